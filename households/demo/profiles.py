"""家庭基本情况: mountain land, old houses and living conditions that agree with the records.

A household's house grade, water and 搬迁 follow its measures and its latest 两不愁三保障 check;
退耕还林 land backs any 生态补偿金, and a 计划生育金 marks an 独生子女户 or 双女户.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from households.choices import (
    Cause,
    Fuel,
    HousingGrade,
    MeasureCategory,
    MeasureStatus,
    Relation,
    RoadType,
)
from households.demo.common import Weighted, bulk, chance
from households.demo.registry import HouseholdPlan
from households.models import BasicNeedsAssessment, HelpMeasure, HouseholdProfile, YearlyIncome

ROADS = Weighted({RoadType.CEMENT: 70, RoadType.GRAVEL: 20, RoadType.ASPHALT: 5, RoadType.DIRT: 5})
REMOTE_ROADS = Weighted({RoadType.GRAVEL: 45, RoadType.CEMENT: 30, RoadType.DIRT: 25})
FUELS = Weighted({Fuel.FIREWOOD: 50, Fuel.COAL: 22, Fuel.CLEAN: 22, Fuel.DUNG: 2, Fuel.OTHER: 4})
REMOTE_FUELS = Weighted({Fuel.FIREWOOD: 75, Fuel.COAL: 15, Fuel.CLEAN: 5, Fuel.DUNG: 5})
OLD_HOUSE = Weighted({HousingGrade.C: 40, HousingGrade.D: 60})
UNSAFE_HOUSE = Weighted({HousingGrade.C: 70, HousingGrade.D: 30})
SAFE_HOUSE = Weighted({HousingGrade.A: 40, HousingGrade.B: 60})
# The flats of the county's relocation sites, by family size (人均不超过25平方米).
FLAT_AREAS = {1: 50, 2: 50, 3: 75, 4: 100}
RELOCATION_MODE = "集中安置（县城安置点）"
CHILDREN = (Relation.SON, Relation.DAUGHTER)


@dataclass
class Records:
    """What the household's other records already say about its land and house."""

    relocated: set[int] = field(default_factory=set)
    rebuilt: dict[int, str] = field(default_factory=dict)  # household → grade after the work
    unsafe_house: set[int] = field(default_factory=set)  # unmet in the latest check
    unsafe_water: set[int] = field(default_factory=set)
    ecological: set[int] = field(default_factory=set)  # drew 生态补偿金
    family_planning: set[int] = field(default_factory=set)  # drew 计划生育金
    dividends: set[int] = field(default_factory=set)  # drew 资产收益分红


def create_profiles(
    rng: random.Random,
    plans: list[HouseholdPlan],
    incomes: list[YearlyIncome],
    checks: list[BasicNeedsAssessment],
    measures: list[HelpMeasure],
) -> list[HouseholdProfile]:
    records = gather(incomes, checks, measures)
    return bulk(HouseholdProfile, [_profile(rng, plan, records) for plan in plans])


def gather(
    incomes: list[YearlyIncome], checks: list[BasicNeedsAssessment], measures: list[HelpMeasure]
) -> Records:
    records = Records()
    for measure in measures:
        if measure.category == MeasureCategory.RELOCATION:
            if measure.status != MeasureStatus.CANCELLED:
                records.relocated.add(measure.household_id)
        elif measure.category == MeasureCategory.HOUSING and measure.status == MeasureStatus.DONE:
            rebuilt = measure.content.startswith("D级")
            records.rebuilt[measure.household_id] = HousingGrade.A if rebuilt else HousingGrade.B
    latest: dict[int, BasicNeedsAssessment] = {}
    for check in checks:
        if check.household_id not in latest or latest[check.household_id].year < check.year:
            latest[check.household_id] = check
    for household_id, check in latest.items():
        if not check.safe_housing:
            records.unsafe_house.add(household_id)
        if not check.safe_water:
            records.unsafe_water.add(household_id)
    for income in incomes:
        if income.ecological_compensation:
            records.ecological.add(income.household_id)
        if income.family_planning_award:
            records.family_planning.add(income.household_id)
        if income.asset_dividend_income:
            records.dividends.add(income.household_id)
    return records


def _acres(low: float, high: float, rng: random.Random) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 1)))


def _maybe(rng: random.Random, probability: float, low: float, high: float) -> Decimal | None:
    return _acres(low, high, rng) if chance(rng, probability) else None


def _land(rng: random.Random, plan: HouseholdPlan, records: Records) -> dict[str, Decimal | None]:
    """Terraced mountain fields: little land, less of it irrigated, some forest."""
    pk, size = plan.household.pk, max(1, len(plan.people))
    short = plan.household.main_cause == Cause.LACK_OF_LAND
    cultivated = _acres(0.3, 1.2, rng) if short else _acres(1, min(8, 1 + 1.4 * size), rng)
    dry = plan.household.main_cause == Cause.LACK_OF_WATER or plan.village.remote
    share = 0 if dry and chance(rng, 0.6) else rng.uniform(0, 0.5)
    return {
        "cultivated_land": cultivated,
        "irrigated_land": Decimal(str(round(float(cultivated) * share, 1))),
        "forest_land": _maybe(rng, 0.75 if plan.village.remote else 0.5, 2, 30),
        "returned_farmland": _acres(0.5, 5, rng)
        if pk in records.ecological
        else _maybe(rng, 0.1, 0.5, 3),
        "orchard_land": _maybe(rng, 0.2, 0.5, 3),
        "grassland": _maybe(rng, 0.05, 2, 20),
        "water_surface": _maybe(rng, 0.03, 0.2, 2),
    }


def _house(rng: random.Random, plan: HouseholdPlan, records: Records) -> dict[str, object]:
    """A relocated family keeps its old house's grade on record and lives in a site flat."""
    pk, size = plan.household.pk, max(1, len(plan.people))
    if pk in records.relocated:
        grade, area = OLD_HOUSE.pick(rng), Decimal(FLAT_AREAS.get(size, 125))
    else:
        if pk in records.rebuilt:
            grade = records.rebuilt[pk]
        else:
            grade = (UNSAFE_HOUSE if pk in records.unsafe_house else SAFE_HOUSE).pick(rng)
        area = Decimal(str(round(20 + size * rng.uniform(18, 35), 1)))
    return {"housing_grade": grade, "housing_area": area}


def _living(rng: random.Random, plan: HouseholdPlan, records: Records) -> dict[str, object]:
    pk, remote = plan.household.pk, plan.village.remote
    if pk in records.relocated:  # a town flat: tap water, tarmac and gas
        road, fuel, toilet = RoadType.CEMENT, Fuel.CLEAN, True
    else:
        road = (REMOTE_ROADS if remote else ROADS).pick(rng)
        fuel = (REMOTE_FUELS if remote else FUELS).pick(rng)
        toilet = chance(rng, 0.35 if remote else 0.6)
    surveyed = chance(rng, 0.98)  # a few households not yet surveyed: unknown, not 否
    return {
        "has_safe_water": (pk not in records.unsafe_water) if surveyed else None,
        "has_electricity": chance(rng, 0.998) if surveyed else None,
        "has_tv": chance(rng, 0.3 if remote else 0.95) if surveyed else None,
        "has_sanitary_toilet": toilet if surveyed else None,
        "road_type": road,
        "main_fuel": fuel,
    }


def _family(rng: random.Random, plan: HouseholdPlan, records: Records) -> dict[str, object]:
    pk = plan.household.pk
    # 计划生育金 rewards parents of one child or of two daughters, and only those.
    children = [p for p in plan.people + plan.former if p.relation in CHILDREN]
    rewarded = pk in records.family_planning
    daughters = all(p.relation == Relation.DAUGHTER for p in children)
    relocated = pk in records.relocated
    return {
        "is_military_family": chance(rng, 0.015),
        "is_single_child": rewarded and len(children) == 1,
        "is_two_daughters": rewarded and len(children) == 2 and daughters,
        "is_relocated": relocated,
        "relocation_mode": RELOCATION_MODE if relocated else "",
        "joined_cooperative": chance(rng, 0.7 if pk in records.dividends else 0.15),
    }


def _profile(rng: random.Random, plan: HouseholdPlan, records: Records) -> HouseholdProfile:
    return HouseholdProfile(
        household_id=plan.household.pk,
        **_land(rng, plan, records),
        **_house(rng, plan, records),
        **_living(rng, plan, records),
        **_family(rng, plan, records),
    )
