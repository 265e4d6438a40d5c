"""A year (2020) of visit logs: paired cadres at their households, first secretaries in villages."""

from __future__ import annotations

import datetime as dt
import random

from cadres.choices import VisitKind
from cadres.models import Cadre, FirstSecretaryPosting, Visit
from households.choices import Health, HouseholdStatus
from households.demo.areas import Areas
from households.demo.common import REFERENCE_YEAR, Weighted, bulk, chance, date_between
from households.demo.registry import HouseholdPlan
from households.demo.texts import VILLAGE_TALKS, VISIT_ACTIONS, VISIT_FINDINGS, VISIT_FOLLOW_UPS

CADRE_KINDS = Weighted({VisitKind.HOME_VISIT: 80, VisitKind.PHONE: 17, VisitKind.OTHER: 3})
SECRETARY_KINDS = Weighted(
    {VisitKind.HOME_VISIT: 62, VisitKind.MEETING: 15, VisitKind.POLICY_TALK: 18, VisitKind.OTHER: 5}
)
KEY_STATUSES = (HouseholdStatus.NOT_EXITED, HouseholdStatus.RETURNED)
YEAR_START, YEAR_END = dt.date(REFERENCE_YEAR, 1, 2), dt.date(REFERENCE_YEAR, 12, 28)


def create_visits(rng: random.Random, areas: Areas, current: list[FirstSecretaryPosting]) -> int:
    rows: list[Visit] = []
    for village in areas.villages:
        for plan in village.households:
            if plan.in_casework:
                rows += _cadre_visits(rng, plan)
    households_by_village = {
        v.village.pk: [p for p in v.households if p.in_casework] for v in areas.villages
    }
    for posting in current:
        rows += _secretary_visits(rng, posting, households_by_village[posting.village_id])
    rows.sort(key=lambda visit: visit.visited_on)
    return len(bulk(Visit, rows))


def _visit_day(rng: random.Random) -> dt.date:
    """A weekday of the year; home visits paused in February (epidemic control)."""
    while True:
        day = date_between(rng, YEAR_START, YEAR_END)
        if day.weekday() < 5 and (day.month != 2 or chance(rng, 0.3)):
            return day


def _cadre_visits(rng: random.Random, plan: HouseholdPlan) -> list[Visit]:
    """Households still poor are visited about monthly, the others about quarterly."""
    key = plan.timeline.status in KEY_STATUSES
    count = rng.randint(6, 10) if key else rng.randint(1, 3)
    visits = []
    for index in range(count):
        cadre = plan.cadres[0] if index or len(plan.cadres) == 1 else plan.cadres[-1]
        visits.append(_household_visit(rng, plan, cadre, CADRE_KINDS.pick(rng)))
    return visits


def _household_visit(rng: random.Random, plan: HouseholdPlan, cadre: Cadre, kind: str) -> Visit:
    day = _visit_day(rng)
    if day.month == 2:
        kind = VisitKind.PHONE
    follow = chance(rng, 0.2)
    return Visit(
        author=cadre,
        visited_on=day,
        village_id=plan.household.village_id,
        household_id=plan.household.pk,
        kind=kind,
        findings=_finding(rng, plan),
        actions=rng.choice(VISIT_ACTIONS) if chance(rng, 0.7) else "",
        follow_up=rng.choice(VISIT_FOLLOW_UPS) if follow else "",
        follow_up_due_on=day + dt.timedelta(rng.randint(7, 30)) if follow else None,
    )


def _finding(rng: random.Random, plan: HouseholdPlan) -> str:
    if chance(rng, 0.45):
        return rng.choice(VISIT_FINDINGS["common"])
    ill = [p for p in plan.people if p.health in (Health.CHRONIC_ILLNESS, Health.SERIOUS_ILLNESS)]
    disabled = [p for p in plan.people if p.health == Health.DISABLED]
    if ill and chance(rng, 0.7):
        return rng.choice(VISIT_FINDINGS["illness"]).format(name=rng.choice(ill).name)
    if disabled and chance(rng, 0.7):
        return rng.choice(VISIT_FINDINGS["disability"]).format(name=rng.choice(disabled).name)
    return rng.choice(VISIT_FINDINGS["other"])


def _secretary_visits(
    rng: random.Random, posting: FirstSecretaryPosting, households: list[HouseholdPlan]
) -> list[Visit]:
    visits = []
    for _ in range(rng.randint(45, 80)):
        kind = SECRETARY_KINDS.pick(rng)
        if kind == VisitKind.HOME_VISIT and households:
            visits.append(_household_visit(rng, rng.choice(households), posting.cadre, kind))
            continue
        kind = VisitKind.MEETING if kind == VisitKind.HOME_VISIT else kind
        visits.append(
            Visit(
                author=posting.cadre,
                visited_on=_visit_day(rng),
                village_id=posting.village_id,
                kind=kind,
                findings=rng.choice(VILLAGE_TALKS[kind]),
                actions="形成会议记录，明确责任人和完成时限" if kind == VisitKind.MEETING else "",
            )
        )
    return visits
