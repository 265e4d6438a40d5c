"""The registry proper: households and their members, with joins and departures over the years."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from households.choices import (
    Health,
    HouseholdStatus,
    IdentificationStandard,
    MemberJoinReason,
    MemberLeaveReason,
    PovertyAttribute,
    Relation,
    StatusChangeKind,
)
from households.demo import causes, family, members
from households.demo.areas import COUNTY, COUNTY_CODE, NEIGHBOUR_CODES, Areas, VillagePlan
from households.demo.common import REFERENCE_DATE, Weighted, bulk, chance, date_between, phone
from households.demo.family import Person
from households.demo.timeline import Timeline, plan_timeline
from households.models import Household, Member

if TYPE_CHECKING:
    from cadres.models import Cadre

ETHNICITY = Weighted({"汉族": 98.5, "回族": 1.0, "满族": 0.5})
MARRIED_IN = (
    Relation.SPOUSE,
    Relation.DAUGHTER_IN_LAW,
    Relation.SON_IN_LAW,
    Relation.MOTHER,
    Relation.HUSBANDS_MOTHER,
    Relation.WIFES_MOTHER,
)


@dataclass
class HouseholdPlan:
    """A household row with everything later parts need: members, history, cadres."""

    village: VillagePlan
    household: Household
    people: list[Person]  # current members, head first
    former: list[Person]  # members who left, kept on record
    timeline: Timeline
    cadres: list = field(default_factory=list)  # current responsible cadres, main one first
    history: list = field(default_factory=list)  # (cadre, started_on, ended_on) of every pairing

    @property
    def in_casework(self) -> bool:
        return self.timeline.status != HouseholdStatus.REMOVED

    def cadre_on(self, day: dt.date) -> Cadre | None:
        """The responsible cadre on `day`: the main one of the pairings running then."""
        running = [
            cadre
            for cadre, start, end in self.history
            if start <= day and (end is None or end > day)
        ]
        return running[0] if running else (self.history[0][0] if self.history else None)

    def size_at_end_of(self, year: int) -> int:
        """Members present on 31 December of `year`, as per-capita income counts them."""
        return sum(
            1
            for p in self.people + self.former
            if (p.joined_on is None or p.joined_on.year <= year)
            and (p.left_on is None or p.left_on.year > year)
        )


def create_registry(rng: random.Random, areas: Areas) -> list[HouseholdPlan]:
    ids = members.IdMaker()
    plans = []
    for village in areas.villages:
        for number in range(1, village.household_count + 1):
            plan = _plan_household(rng, village, number, ids)
            village.households.append(plan)
            plans.append(plan)
    bulk(Household, [plan.household for plan in plans])
    _create_members(rng, plans)
    return plans


def _plan_household(
    rng: random.Random, village: VillagePlan, number: int, ids: members.IdMaker
) -> HouseholdPlan:
    people = family.compose(rng, village.clans)
    group = causes.CAUSE_GROUP.pick(rng)
    members.assign_health(rng, people, group)
    for person in people:
        members.assign_attributes(rng, person)
    main = causes.main_cause(rng, group, people)
    attribute = _attribute(rng, people)
    # 特困供养 households are carried over the line by their support (兜底): none stays poor.
    stays_poor = attribute != PovertyAttribute.EXTREME_POVERTY_SUPPORT
    timeline = plan_timeline(rng, group, stays_poor=stays_poor)
    former = _former_members(rng, people, timeline)
    for person in people + former:
        _birth_and_id(rng, person, ids)
    removal = timeline.last(StatusChangeKind.REMOVAL)
    last_day = removal.on if removal else REFERENCE_DATE
    # Nobody joins a household after it was removed from the registry.
    people = [p for p in people if p.birth_date <= last_day]
    _joins(rng, people, timeline.identified_on, last_day)
    household = _household_row(rng, village, number, people, timeline, main, attribute)
    return HouseholdPlan(village, household, people, former, timeline)


def _household_row(
    rng: random.Random,
    village: VillagePlan,
    number: int,
    people: list[Person],
    timeline: Timeline,
    main: str,
    attribute: str,
) -> Household:
    hamlet = rng.choice(village.hamlets)
    exit_step, return_step = (
        timeline.last(StatusChangeKind.MARK_EXITED),
        timeline.last(StatusChangeKind.RETURN),
    )
    status = timeline.status
    exit_year = exit_step.year if exit_step else None
    return Household(
        household_number=f"{village.village.division_code}{number:04d}",
        village=village.village,
        hamlet=hamlet,
        poverty_attribute=attribute,
        identification_standard=IdentificationStandard.PROVINCIAL
        if chance(rng, 0.04)
        else IdentificationStandard.NATIONAL,
        main_cause=main,
        other_causes=causes.other_causes(rng, main, people, village.remote),
        status=status,
        identified_year=timeline.identified_on.year,
        exit_year=exit_year,
        return_year=return_step.year if return_step else None,
        # 脱贫不脱政策: a few who left early no longer draw support (不再享受政策).
        keeps_policies=status != HouseholdStatus.REMOVED
        and not (
            status == HouseholdStatus.EXITED and (exit_year or 0) <= 2017 and chance(rng, 0.05)
        ),
        phone=phone(rng) if chance(rng, 0.92) else "",
        address=f"{village_address(village)}{hamlet}{rng.randint(1, 160)}号",
        situation=causes.situation(main, people),
    )


def village_address(village: VillagePlan) -> str:
    return f"{COUNTY['name']}{village.township.name}{village.village.name}"


def _attribute(rng: random.Random, people: list[Person]) -> str:
    """特困供养 goes to old people living alone; 低保 to about a quarter of the rest."""
    extreme = {1: 0.3 if people[0].age >= 60 else 0.1, 2: 0.03}.get(len(people), 0.0)
    if chance(rng, extreme):
        return PovertyAttribute.EXTREME_POVERTY_SUPPORT
    return PovertyAttribute.MINIMUM_LIVING if chance(rng, 0.263) else PovertyAttribute.ORDINARY


def _birth_and_id(rng: random.Random, person: Person, ids: members.IdMaker) -> None:
    year = person.birth_year
    person.birth_date = date_between(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
    from_elsewhere = person.relation in MARRIED_IN and chance(rng, 0.3)
    area = rng.choice(NEIGHBOUR_CODES) if from_elsewhere else COUNTY_CODE
    person.id_number = ids.make(rng, area, person.birth_date, person.male)


def _joins(
    rng: random.Random, people: list[Person], identified_on: dt.date, last_day: dt.date
) -> None:
    """Children born after registration joined by birth; some young wives married in since."""
    for person in people:
        if person.birth_date > identified_on:
            person.joined_on = min(last_day, person.birth_date + dt.timedelta(rng.randint(7, 60)))
            person.join_reason = MemberJoinReason.BIRTH
    births = [p.birth_date for p in people if p.relation in family.GRANDCHILD.values()]
    for person in people:
        if (
            person.relation in (Relation.DAUGHTER_IN_LAW, Relation.SON_IN_LAW)
            and person.age <= 32
            and chance(rng, 0.3)
        ):
            start = max(identified_on + dt.timedelta(30), dt.date(person.birth_year + 20, 12, 31))
            end = min([last_day - dt.timedelta(30)] + [b - dt.timedelta(30) for b in births])
            if start < end:
                person.joined_on, person.join_reason = (
                    date_between(rng, start, end),
                    MemberJoinReason.MARRIED_IN,
                )


def _former_members(rng: random.Random, people: list[Person], timeline: Timeline) -> list[Person]:
    """A few members who died, married out or moved away since registration."""
    head = people[0]
    relations = {p.relation for p in people}
    start = timeline.identified_on + dt.timedelta(60)
    removal = timeline.last(StatusChangeKind.REMOVAL)
    end = removal.on if removal else REFERENCE_DATE
    former = None
    if Relation.SPOUSE not in relations and head.age >= 55 and chance(rng, 0.3):
        former = Person(
            Relation.SPOUSE,
            not head.male,
            head.age + rng.randint(-3, 5),
            family.other_family(rng, head.family),
        )
        reason = MemberLeaveReason.DEATH
    elif head.male and 45 <= head.age <= 70 and chance(rng, 0.06):
        former = Person(
            Relation.DAUGHTER, False, rng.randint(21, min(30, head.age - 20)), head.family
        )
        start = max(start, dt.date(former.birth_year + 20, 6, 30))
        reason = MemberLeaveReason.MARRIED_OUT
    elif head.age <= 55 and Relation.FATHER not in relations and chance(rng, 0.04):
        former = Person(Relation.FATHER, True, min(95, head.age + rng.randint(24, 32)), head.family)
        reason = MemberLeaveReason.DEATH
    if former is None or start >= end:
        return []
    former.name = f"{former.family}{family.names.given_name(rng, former.male, former.birth_year)}"
    former.health = Health.SERIOUS_ILLNESS if reason == MemberLeaveReason.DEATH else Health.HEALTHY
    members.assign_attributes(rng, former)
    former.left_on, former.leave_reason = date_between(rng, start, end), reason
    return [former]


def _create_members(rng: random.Random, plans: list[HouseholdPlan]) -> None:
    rows = []
    for plan in plans:
        ethnicity = ETHNICITY.pick(rng)
        minimum_living = plan.household.poverty_attribute == PovertyAttribute.MINIMUM_LIVING
        # A few households still poor have someone outside basic medical insurance.
        if plan.timeline.status == HouseholdStatus.NOT_EXITED and chance(rng, 0.08):
            rng.choice(plan.people).insured = False
        for person in plan.people + plan.former:
            person.member = members.build_member(
                rng, person, plan.household.pk, ethnicity=ethnicity, minimum_living=minimum_living
            )
            rows.append(person.member)
    bulk(Member, rows)
