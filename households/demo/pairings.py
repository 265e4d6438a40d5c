"""结对帮扶: every household in casework gets a responsible cadre, every paired cadre its quota."""

from __future__ import annotations

import datetime as dt
import random

from cadres.models import Cadre, Pairing
from households.choices import StatusChangeKind
from households.demo.areas import Areas
from households.demo.common import bulk, chance, date_between, days_after
from households.demo.registry import HouseholdPlan
from households.demo.units import Slot, Staff

END_REASONS = ("帮扶干部工作调动", "帮扶干部退休", "帮扶力量调整", "帮扶干部提拔交流")
REMOVAL_REASON = "贫困户清退，解除结对帮扶"


def create_pairings(
    rng: random.Random,
    areas: Areas,
    staff: Staff,
    newcomers: list[tuple[Cadre, int, dt.date]],
) -> list[Pairing]:
    """Pair every household in casework; then give every other cadre in post their quota too."""
    rows: list[Pairing] = []
    uncovered: list[HouseholdPlan] = []
    waiting: list[tuple[Cadre, int, dt.date | None]] = list(newcomers)
    for village in areas.villages:
        casework = [plan for plan in village.households if plan.in_casework]
        slots = staff.slots[village.village.pk]
        chosen = _feasible(slots, len(casework))
        if chosen:
            _assign(rng, casework, chosen)
        else:
            uncovered += casework
        waiting += [(s.cadre, village.village.pk, None) for s in slots if s not in chosen]
    _cover_the_rest(rng, areas, uncovered)
    _top_up(rng, areas, staff, waiting)
    since = {cadre.pk: day for cadre, _, day in waiting if day}
    for plan in (p for village in areas.villages for p in village.households):
        if plan.in_casework:
            rows += _current_rows(rng, plan, staff, since)
        else:
            rows.append(_removed_row(rng, plan, staff))
    return bulk(Pairing, rows)


def _feasible(slots: list[Slot], households: int) -> list[Slot]:
    """The village's cadres whose minimums the village's households can fill together."""
    chosen, needed = [], 0
    for slot in slots:
        if needed + slot.minimum <= households:
            chosen.append(slot)
            needed += slot.minimum
    return chosen


def _assign(rng: random.Random, households: list[HouseholdPlan], slots: list[Slot]) -> None:
    """Each cadre first gets their minimum, then the rest go round; some households get two."""
    order = households[:]
    rng.shuffle(order)
    position = 0
    for slot in slots:
        for plan in order[position : position + slot.minimum]:
            plan.cadres.append(slot.cadre)
        position += slot.minimum
    for plan in order[position:]:
        plan.cadres.append(rng.choice(slots).cadre)
    if len(slots) > 1:
        for plan in order:
            if chance(rng, 0.1):
                second = rng.choice([s.cadre for s in slots if s.cadre is not plan.cadres[0]])
                plan.cadres.append(second)


def _cover_the_rest(rng: random.Random, areas: Areas, uncovered: list[HouseholdPlan]) -> None:
    """Households of villages too small for any cadre's quota go to cadres of the same township."""
    if not uncovered:
        return
    paired = [
        (v.township.pk, p.cadres[0]) for v in areas.villages for p in v.households if p.cadres
    ]
    for plan in uncovered:
        township = plan.village.township.pk
        nearby = [cadre for pk, cadre in paired if pk == township]
        plan.cadres.append(rng.choice(nearby or [cadre for _, cadre in paired]))


def _top_up(
    rng: random.Random,
    areas: Areas,
    staff: Staff,
    waiting: list[tuple[Cadre, int, dt.date | None]],
) -> None:
    """Cadres still without households (first secretaries, team members, cadres of villages too
    small for them) become the second cadre of households nearby, up to their minimum."""
    villages = {v.village.pk: v for v in areas.villages}
    for cadre, village_pk, _ in waiting:
        home = villages[village_pk]
        nearby = [v for v in areas.villages if v.township is home.township and v is not home]
        rings = ([home], nearby, areas.villages)
        needed = staff.minimum(cadre)
        for ring in rings:
            pool = [
                p
                for v in ring
                for p in v.households
                if p.in_casework and len(p.cadres) == 1 and p.cadres[0] is not cadre
            ]
            for plan in rng.sample(pool, min(needed, len(pool))):
                plan.cadres.append(cadre)
                needed -= 1
            if not needed:
                break


def _first_start(rng: random.Random, plan: HouseholdPlan) -> dt.date:
    identified = plan.timeline.identified_on
    if identified.year <= 2015:  # the county paired every registered household in winter 2015–16
        return max(
            days_after(identified, 20),
            date_between(rng, dt.date(2015, 10, 1), dt.date(2016, 4, 30)),
        )
    return days_after(identified, rng.randint(20, 90))


def _current_rows(
    rng: random.Random, plan: HouseholdPlan, staff: Staff, since: dict[int, dt.date]
) -> list[Pairing]:
    rows = []
    start = _first_start(rng, plan)
    household_id = plan.household.pk
    main = plan.cadres[0]
    if chance(rng, 0.07) and days_after(start, 180) < dt.date(2019, 12, 31):
        switch = date_between(
            rng, max(days_after(start, 180), dt.date(2017, 3, 1)), dt.date(2019, 12, 31)
        )
        former = _former_cadre(rng, plan, staff)
        rows.append(
            Pairing(
                cadre=former,
                household_id=household_id,
                started_on=start,
                ended_on=switch,
                end_reason=rng.choice(END_REASONS),
            )
        )
        plan.history.append((former, start, switch))
        start = switch
    rows.append(Pairing(cadre=main, household_id=household_id, started_on=start))
    plan.history.append((main, start, None))
    for extra in plan.cadres[1:]:
        earliest = max(start, since.get(extra.pk, start))
        extra_start = date_between(rng, earliest, max(earliest, dt.date(2019, 6, 30)))
        rows.append(Pairing(cadre=extra, household_id=household_id, started_on=extra_start))
        plan.history.append((extra, extra_start, None))
    return rows


def _former_cadre(rng: random.Random, plan: HouseholdPlan, staff: Staff) -> Cadre:
    if staff.inactive and chance(rng, 0.4):
        return rng.choice(staff.inactive)
    others = [
        s.cadre for s in staff.slots[plan.village.village.pk] if s.cadre is not plan.cadres[0]
    ]
    return rng.choice(others) if others else rng.choice(staff.inactive or [plan.cadres[0]])


def _removed_row(rng: random.Random, plan: HouseholdPlan, staff: Staff) -> Pairing:
    """A removed household's pairing, ended on the day it left the registry."""
    removal = plan.timeline.last(StatusChangeKind.REMOVAL)
    assert removal is not None
    removed_on = removal.on
    start = max(
        plan.timeline.identified_on, min(_first_start(rng, plan), days_after(removed_on, -10))
    )
    slots = staff.slots[plan.village.village.pk]
    cadre = rng.choice(slots).cadre if slots else rng.choice(staff.inactive)
    plan.history.append((cadre, start, removed_on))
    return Pairing(
        cadre=cadre,
        household_id=plan.household.pk,
        started_on=start,
        ended_on=removed_on,
        end_reason=REMOVAL_REASON,
    )
