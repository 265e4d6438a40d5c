"""The demo county's areas: one county, its townships, administrative villages and hamlets."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from households.demo import names
from households.demo.common import Scale, Weighted, bulk, chance
from households.models import County, Township, Village

COUNTY_CODE = "130599"  # 河北省邢台市 + an unused county number: plausible, and no real county's
COUNTY = {"name": "宁川县", "province": "河北省", "city": "邢台市"}
NEIGHBOUR_CODES = ("130534", "130535", "130581", "130522", "130529", "130528")
VILLAGE_EXIT_YEARS = Weighted({2017: 0.25, 2018: 0.35, 2019: 0.3, 2020: 0.1})


@dataclass
class VillagePlan:
    """A village with what the generator needs besides the row: families, hamlets, size."""

    village: Village
    township: Township
    clans: list[str]
    hamlets: list[str]
    household_count: int = 0
    remote: bool = False
    households: list = field(default_factory=list)  # HouseholdPlan, filled by the registry


@dataclass
class Areas:
    county: County
    townships: list[Township]
    villages: list[VillagePlan]


def create_areas(rng: random.Random, scale: Scale) -> Areas:
    county = County.objects.create(
        **COUNTY, division_code=f"{COUNTY_CODE}000000", is_poor_county=True, exit_year=2019
    )
    townships = bulk(Township, _townships(county, scale.townships))
    plans = _villages(rng, townships, scale.villages)
    _share_households(rng, plans, scale.households)
    for plan in plans:
        incidence = (
            rng.uniform(0.18, 0.35) if plan.village.is_poor_village else rng.uniform(0.05, 0.12)
        )
        plan.village.rural_population = round(plan.household_count * 2.95 / incidence)
    bulk(Village, [plan.village for plan in plans])
    return Areas(county=county, townships=townships, villages=plans)


def _townships(county: County, count: int) -> list[Township]:
    towns = [name for name, is_town in names.TOWNSHIP_NAMES if is_town]
    rural = [name for name, is_town in names.TOWNSHIP_NAMES if not is_town]
    chosen = towns[: (count + 1) // 2] + rural[: count // 2]
    result = []
    for name in chosen:
        # NBS numbering: towns (镇) 1xx, townships (乡) 2xx.
        series = towns if name.endswith("镇") else rural
        number = (100 if name.endswith("镇") else 200) + series.index(name)
        result.append(
            Township(county=county, name=name, division_code=f"{COUNTY_CODE}{number:03d}000")
        )
    return result


def _villages(rng: random.Random, townships: list[Township], count: int) -> list[VillagePlan]:
    plans: list[VillagePlan] = []
    taken: set[str] = set()
    for index, township in enumerate(townships):
        share = count // len(townships) + (1 if index < count % len(townships) else 0)
        for number in range(share):
            clans = names.village_clans(rng)
            is_poor = chance(rng, 0.45)
            village = Village(
                township=township,
                name=names.village_name(rng, clans, taken),
                division_code=f"{township.division_code[:9]}{200 + number:03d}",
                is_poor_village=is_poor,
                exit_year=VILLAGE_EXIT_YEARS.pick(rng) if is_poor else None,
            )
            plans.append(
                VillagePlan(
                    village=village,
                    township=township,
                    clans=clans,
                    hamlets=names.hamlet_names(rng),
                    remote=chance(rng, 0.2),
                )
            )
    if not any(plan.village.is_poor_village for plan in plans):
        plans[0].village.is_poor_village, plans[0].village.exit_year = True, 2019
    return plans


def _share_households(rng: random.Random, plans: list[VillagePlan], total: int) -> None:
    """Split households between villages, poor villages holding about three times as many."""
    weights = [
        rng.uniform(1.8, 3.2) if p.village.is_poor_village else rng.uniform(0.5, 1.2) for p in plans
    ]
    floor = min(3, total // len(plans))
    spare = total - floor * len(plans)
    exact = [spare * weight / sum(weights) for weight in weights]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(plans)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    for plan, count in zip(plans, counts, strict=True):
        plan.household_count = floor + count
