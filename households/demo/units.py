"""Helping units, their cadres, and the quota rules that say how many households each must help."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from cadres.choices import Affiliation, Rank
from cadres.models import Cadre, HelpingUnit, QuotaRule
from households.demo import catalog, names
from households.demo.areas import COUNTY, Areas, VillagePlan
from households.demo.common import REFERENCE_DATE, Scale, Weighted, bulk, chance, phone

QUOTA_START = dt.date(2016, 1, 1)
LEADING_RANKS = Weighted({Rank.COUNTY_LEVEL: 20, Rank.SECTION_LEVEL: 30, Rank.STAFF: 50})
UNIT_RANKS = Weighted({Rank.SECTION_LEVEL: 28, Rank.STAFF: 72})
OUTSIDE_RANKS = Weighted({Rank.SECTION_LEVEL: 40, Rank.STAFF: 60})


@dataclass
class Slot:
    """A cadre who helps households of one village, and how many the rules require at least."""

    cadre: Cadre
    minimum: int


@dataclass
class Staff:
    county_units: list[HelpingUnit]
    outside_units: dict[str, list[HelpingUnit]]  # affiliation → units (市直, 省直, 中央)
    township_units: dict[int, HelpingUnit]  # township pk → its government
    leading: set[str] = field(default_factory=set)  # names of units led by county leaders
    lead_units: dict[int, HelpingUnit] = field(default_factory=dict)  # village pk → 包村单位
    slots: dict[int, list[Slot]] = field(default_factory=dict)  # village pk → pairing cadres
    inactive: list[Cadre] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)
    quotas: dict[tuple[str, int | None], int] = field(default_factory=dict)

    def minimum(self, cadre: Cadre) -> int:
        """The rank's minimum households (enterprise classes bind the enterprise, not a person)."""
        return self.quotas.get((cadre.rank, None), 1)


def ensure_quota_rules() -> dict[tuple[str, int | None], int]:
    """Seed the county defaults unless present; read back the rules in force at the end of 2020."""
    for rank, minimum in catalog.RANK_QUOTAS.items():
        QuotaRule.objects.get_or_create(
            rank=rank,
            enterprise_class=None,
            effective_from=QUOTA_START,
            defaults={"min_households": minimum, "note": "县定默认包户数"},
        )
    for enterprise_class, minimum in catalog.ENTERPRISE_QUOTAS.items():
        QuotaRule.objects.get_or_create(
            rank=Rank.ENTERPRISE,
            enterprise_class=enterprise_class,
            effective_from=QUOTA_START,
            defaults={"min_households": minimum, "note": f"{enterprise_class}类企业包户数"},
        )
    rules = QuotaRule.objects.filter(effective_from__lte=REFERENCE_DATE).order_by("effective_from")
    return {(rule.rank, rule.enterprise_class): rule.min_households for rule in rules}


def create_staff(rng: random.Random, areas: Areas, scale: Scale, quotas: dict) -> Staff:
    staff = _create_units(rng, areas, scale)
    staff.quotas = quotas
    enterprises = _enterprises(rng, scale)
    committees = _committee_units(rng, areas, scale)
    bulk(HelpingUnit, [unit for unit, _ in enterprises] + list(committees.values()))
    _assign_lead_units(rng, areas, staff)
    placed = _place_enterprises(areas, enterprises)
    for plan in areas.villages:
        pk = plan.village.pk
        staff.slots[pk] = _village_slots(rng, plan, staff, committees.get(pk), placed.get(pk, []))
    staff.inactive = [
        make_cadre(rng, rng.choice(staff.county_units), UNIT_RANKS.pick(rng), active=False)
        for _ in range(scale.scaled(40))
    ]
    staff.cadres += [
        slot.cadre for slots in staff.slots.values() for slot in slots
    ] + staff.inactive
    bulk(Cadre, staff.cadres)
    return staff


def _unit(
    rng: random.Random, name: str, affiliation: str, enterprise_class: int | None = None
) -> HelpingUnit:
    contact = names.person_name(rng, chance(rng, 0.7), rng.randint(1965, 1990))
    return HelpingUnit(
        name=name,
        affiliation=affiliation,
        enterprise_class=enterprise_class,
        contact_person=contact,
        contact_phone=phone(rng),
    )


def _create_units(rng: random.Random, areas: Areas, scale: Scale) -> Staff:
    county = COUNTY["name"]
    shorts = catalog.COUNTY_UNITS[: max(4, scale.scaled(len(catalog.COUNTY_UNITS)))]
    county_units = [
        _unit(rng, catalog.county_unit_name(county, s), Affiliation.COUNTY) for s in shorts
    ]
    outside: dict[str, list[HelpingUnit]] = {
        Affiliation.MUNICIPAL: [
            _unit(rng, n, Affiliation.MUNICIPAL) for n in catalog.MUNICIPAL_UNITS[: scale.scaled(4)]
        ],
        Affiliation.PROVINCIAL: [
            _unit(rng, n, Affiliation.PROVINCIAL)
            for n in catalog.PROVINCIAL_UNITS[: scale.scaled(2)]
        ],
        Affiliation.CENTRAL: [_unit(rng, n, Affiliation.CENTRAL) for n in catalog.CENTRAL_UNITS],
    }
    townships = {
        t.pk: _unit(rng, f"{t.name}人民政府", Affiliation.TOWNSHIP) for t in areas.townships
    }
    bulk(
        HelpingUnit,
        county_units + [u for units in outside.values() for u in units] + list(townships.values()),
    )
    leading = {catalog.county_unit_name(county, s) for s in catalog.LEADING_UNITS}
    return Staff(
        county_units=county_units, outside_units=outside, township_units=townships, leading=leading
    )


def _enterprises(rng: random.Random, scale: Scale) -> list[tuple[HelpingUnit, int]]:
    chosen = catalog.ENTERPRISES[: scale.scaled(len(catalog.ENTERPRISES))]
    if scale.factor < 0.5:  # a small county has no village big enough for a first-class enterprise
        chosen = catalog.ENTERPRISES[-len(chosen) :]
    return [(_unit(rng, name, Affiliation.ENTERPRISE, level), level) for name, level in chosen]


def _place_enterprises(
    areas: Areas, enterprises: list[tuple[HelpingUnit, int]]
) -> dict[int, list[tuple[HelpingUnit, int]]]:
    """Put each enterprise in a village big enough for its quota, the largest villages first."""
    by_size = sorted(areas.villages, key=lambda p: -sum(h.in_casework for h in p.households))
    placed: dict[int, list[tuple[HelpingUnit, int]]] = {}
    for index, (unit, level) in enumerate(enterprises):
        plan = by_size[index % len(by_size)]
        placed.setdefault(plan.village.pk, []).append((unit, level))
    return placed


def _committee_units(rng: random.Random, areas: Areas, scale: Scale) -> dict[int, HelpingUnit]:
    """Village committees that help households as a unit of their own (村级帮扶单位)."""
    plans = rng.sample(areas.villages, min(len(areas.villages), scale.scaled(10)))
    return {
        p.village.pk: _unit(
            rng, f"{p.township.name}{p.village.name}村民委员会", Affiliation.VILLAGE
        )
        for p in plans
    }


def _assign_lead_units(rng: random.Random, areas: Areas, staff: Staff) -> None:
    """One 包村 unit a village, poor villages first: each unit has one before any has two."""
    pool = staff.county_units + [u for units in staff.outside_units.values() for u in units]
    rng.shuffle(pool)
    ordered = sorted(areas.villages, key=lambda p: not p.village.is_poor_village)
    for index, plan in enumerate(ordered):
        staff.lead_units[plan.village.pk] = pool[index % len(pool)]


def _village_slots(
    rng: random.Random,
    plan: VillagePlan,
    staff: Staff,
    committee: HelpingUnit | None,
    enterprises: list[tuple[HelpingUnit, int]],
) -> list[Slot]:
    """The cadres who will help this village's households, about one for every dozen."""
    casework = sum(1 for household in plan.households if household.in_casework)
    slots = _committee_and_enterprise_slots(rng, staff, committee, enterprises, casework)
    remaining = casework - sum(slot.minimum for slot in slots)
    wanted = max(1, round(remaining / rng.uniform(10.5, 13.5)))
    lead = staff.lead_units[plan.village.pk]
    if lead.name in staff.leading:
        ranks = LEADING_RANKS
    else:
        ranks = UNIT_RANKS if lead.affiliation == Affiliation.COUNTY else OUTSIDE_RANKS
    township = staff.township_units[plan.township.pk]
    for index in range(wanted):
        # Two in three come from the 包村 unit, the others from the township government.
        unit, table = (lead, ranks) if index % 3 != 2 else (township, UNIT_RANKS)
        cadre = make_cadre(rng, unit, table.pick(rng))
        slots.append(Slot(cadre, staff.minimum(cadre)))
    return slots


def _committee_and_enterprise_slots(
    rng: random.Random,
    staff: Staff,
    committee: HelpingUnit | None,
    enterprises: list[tuple[HelpingUnit, int]],
    casework: int,
) -> list[Slot]:
    """村两委 members of a committee unit; one cadre per enterprise carrying its whole quota."""
    slots = []
    if committee:
        for _ in range(rng.randint(2, 3)):
            cadre = make_cadre(rng, committee, Rank.VILLAGE_COMMITTEE)
            slots.append(Slot(cadre, staff.minimum(cadre)))
    for unit, level in enterprises:
        minimum = staff.quotas.get((Rank.ENTERPRISE, level), 1)
        if minimum * 2 <= casework - sum(s.minimum for s in slots):
            slots.append(Slot(make_cadre(rng, unit, Rank.ENTERPRISE), minimum))
    return slots


def make_cadre(rng: random.Random, unit: HelpingUnit, rank: str, *, active: bool = True) -> Cadre:
    male = chance(rng, 0.68 if rank != Rank.VILLAGE_COMMITTEE else 0.8)
    posts = catalog.TOWNSHIP_POSTS if unit.affiliation == Affiliation.TOWNSHIP else catalog.POSTS
    post = rng.choice(posts.get(rank, catalog.POSTS[rank]))
    birth_year = rng.randint(1962, 1975) if rank == Rank.COUNTY_LEVEL else rng.randint(1962, 1996)
    return Cadre(
        name=names.person_name(rng, male, birth_year),
        unit=unit,
        rank=rank,
        post=post,
        phone=phone(rng),
        is_active=active,
    )
