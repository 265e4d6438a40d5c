"""Builders of small, fully known counties shared by the dashboard, home page and browser tests."""

import datetime as dt
from dataclasses import dataclass

from households.choices import Cause, HouseholdStatus, MemberLeaveReason, PovertyAttribute, Relation
from households.models import Household, Member, Township, Village
from households.selectors import Tally
from inspections.choices import RectificationStatus
from inspections.models import Rectification
from tests import factories

TODAY = dt.date(2024, 6, 1)
YEARS = {  # the years each status needs (database constraints)
    HouseholdStatus.NOT_EXITED: {},
    HouseholdStatus.EXITED: {"exit_year": 2019},
    HouseholdStatus.RETURNED: {"exit_year": 2019, "return_year": 2021},
    HouseholdStatus.REMOVED: {},
}


@dataclass
class SmallCounty:
    """What `small_county` built, for tests that need to name a township or a village."""

    east: Township
    west: Township
    south: Township
    villages: list[Village]


def _household(village, status, cause, attribute, *, members: int, left: int = 0) -> Household:
    household = factories.HouseholdFactory(
        village=village,
        status=status,
        main_cause=cause,
        poverty_attribute=attribute,
        **YEARS[status],
    )
    for index in range(members):
        factories.MemberFactory(
            household=household, relation_to_head=Relation.HEAD if index == 0 else Relation.SON
        )
    for _ in range(left):
        factories.MemberFactory(
            household=household,
            relation_to_head=Relation.SPOUSE,
            left_on=dt.date(2020, 3, 1),
            leave_reason=MemberLeaveReason.DEATH,
        )
    return household


def _rectification(village: Village, status: str, deadline: dt.date) -> Rectification:
    closed_on = deadline if status == RectificationStatus.CLOSED else None
    return factories.RectificationFactory(
        finding__inspection__village=village, status=status, deadline=deadline, closed_on=closed_on
    )


def small_county(today: dt.date = TODAY) -> SmallCounty:
    """Three townships (one empty), four villages, seven households in every status, 19 members
    of whom 2 left, cadres in and out of post, and rectifications open, overdue and closed."""
    east, west, south = (factories.TownshipFactory(name=name) for name in ("东镇", "西镇", "南镇"))
    e1 = factories.VillageFactory(township=east, name="东一村", exit_year=2019)
    e2 = factories.VillageFactory(township=east, name="东二村")
    w1 = factories.VillageFactory(township=west, name="西一村", is_poor_village=False)
    w2 = factories.VillageFactory(township=west, name="西二村", exit_year=2020)
    s, c, a = HouseholdStatus, Cause, PovertyAttribute
    _household(e1, s.NOT_EXITED, c.ILLNESS, a.ORDINARY, members=3)
    _household(e1, s.EXITED, c.DISABILITY, a.MINIMUM_LIVING, members=2, left=1)
    _household(e2, s.RETURNED, c.ILLNESS, a.ORDINARY, members=4)
    _household(e2, s.REMOVED, c.LACK_OF_FUNDS, a.ORDINARY, members=2, left=1)
    _household(w1, s.NOT_EXITED, c.SCHOOLING, a.EXTREME_POVERTY_SUPPORT, members=1)
    _household(w2, s.EXITED, c.ILLNESS, a.MINIMUM_LIVING, members=5)
    # A household whose members are not entered yet still counts as one household.
    _household(w2, s.NOT_EXITED, c.LACK_OF_LABOUR, a.ORDINARY, members=0)

    serving, retired = factories.CadreFactory(), factories.CadreFactory(is_active=False)
    factories.CadreFactory()
    factories.FirstSecretaryPostingFactory(cadre=serving, village=e2)
    factories.FirstSecretaryPostingFactory(
        cadre=retired, village=e1, ended_on=dt.date(2020, 12, 31)
    )

    past, future = today - dt.timedelta(days=10), today + dt.timedelta(days=10)
    _rectification(e1, RectificationStatus.OPEN, past)
    _rectification(e1, RectificationStatus.AWAITING_CHECK, past)
    _rectification(e2, RectificationStatus.IN_PROGRESS, future)
    _rectification(w2, RectificationStatus.CLOSED, past)
    _rectification(w2, RectificationStatus.OPEN, today)  # due today: not yet overdue
    return SmallCounty(east, west, south, [e1, e2, w1, w2])


def tally_of(households) -> Tally:
    """The direct count: households, and their members who have not left."""
    persons = Member.objects.filter(household__in=households, left_on__isnull=True)
    return Tally(households.count(), persons.count())


def add_households(count: int) -> None:
    """More of everything: a township, a village, households with two members each."""
    village = factories.VillageFactory(township=factories.TownshipFactory())
    for index in range(count):
        status = HouseholdStatus.values[index % len(HouseholdStatus)]
        cause = Cause.values[index % len(Cause)]
        _household(village, status, cause, PovertyAttribute.ORDINARY, members=2, left=index % 2)
