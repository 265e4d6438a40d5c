"""Status changes (动态调整): every change is an event, and only the allowed transitions happen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from households import services
from households.choices import HouseholdStatus, MemberLeaveReason, Relation, StatusChangeKind
from households.models import BasicNeedsAssessment, Household, StatusChange
from tests import factories

DAY = dt.date(2019, 12, 1)


@pytest.fixture
def ready_to_exit(db):
    """A two-person household whose 2019 income and assessment allow exit."""
    head = factories.MemberFactory()
    factories.MemberFactory(household=head.household, relation_to_head=Relation.SPOUSE, male=False)
    factories.YearlyIncomeFactory(household=head.household, year=2019, wage_income=Decimal("9000"))
    BasicNeedsAssessment.objects.create(household=head.household, year=2019)
    return head.household


def test_mark_exited_records_the_event_and_sets_status_and_year(ready_to_exit):
    event = services.household_mark_exited(
        household=ready_to_exit,
        year=2019,
        effective_on=DAY,
        reason="收入稳定超过标准",
        approved_by="县扶贫办",
    )
    ready_to_exit.refresh_from_db()
    assert (ready_to_exit.status, ready_to_exit.exit_year) == (HouseholdStatus.EXITED, 2019)
    assert (event.from_status, event.to_status) == (
        HouseholdStatus.NOT_EXITED,
        HouseholdStatus.EXITED,
    )


def test_exit_is_refused_when_income_is_not_above_the_line(ready_to_exit):
    ready_to_exit.incomes.update(wage_income=Decimal("5000"))
    with pytest.raises(ValidationError, match="未超过扶贫标准"):
        services.household_mark_exited(
            household=ready_to_exit, year=2019, effective_on=DAY, reason=""
        )
    assert not StatusChange.objects.exists()
    assert Household.objects.get().status == HouseholdStatus.NOT_EXITED


def test_exit_is_refused_when_a_guarantee_is_unmet(ready_to_exit):
    ready_to_exit.assessments.update(safe_housing=False)
    with pytest.raises(ValidationError, match="住房安全有保障"):
        services.household_mark_exited(
            household=ready_to_exit, year=2019, effective_on=DAY, reason=""
        )


def test_return_only_from_exited_and_records_the_year(ready_to_exit):
    with pytest.raises(ValidationError, match="不能办理“返贫”"):
        services.household_mark_returned(
            household=ready_to_exit, year=2020, effective_on=DAY, reason="因病"
        )
    services.household_mark_exited(household=ready_to_exit, year=2019, effective_on=DAY, reason="")
    services.household_mark_returned(
        household=ready_to_exit, year=2020, effective_on=DAY, reason="因病"
    )
    ready_to_exit.refresh_from_db()
    assert (ready_to_exit.status, ready_to_exit.return_year) == (HouseholdStatus.RETURNED, 2020)
    assert list(ready_to_exit.status_changes.values_list("kind", flat=True)) == [
        StatusChangeKind.MARK_EXITED,
        StatusChangeKind.RETURN,
    ]


def test_removal_is_final_and_ends_current_pairings(db):
    pairing = factories.PairingFactory()
    household = pairing.household
    services.household_remove(household=household, year=2019, effective_on=DAY, reason="识别不精准")
    pairing.refresh_from_db()
    assert pairing.ended_on == DAY
    with pytest.raises(ValidationError):
        services.household_remove(household=household, year=2019, effective_on=DAY, reason="")


def test_identification_is_recorded_once(db):
    household = factories.HouseholdFactory()
    services.household_record_identification(household=household, effective_on=DAY, reason="新识别")
    with pytest.raises(ValidationError, match="已有新识别记录"):
        services.household_record_identification(household=household, effective_on=DAY, reason="")


def test_member_leaving_is_an_event_and_keeps_the_record(db):
    head = factories.MemberFactory()
    father = factories.MemberFactory(household=head.household, relation_to_head=Relation.FATHER)
    event = services.member_mark_left(
        member=father, left_on=DAY, leave_reason=MemberLeaveReason.DEATH, note="病故"
    )
    father.refresh_from_db()
    assert father.left_on == DAY and event.kind == StatusChangeKind.NATURAL_DECREASE
    assert event.reason == "死亡：病故"
    assert head.household.members.current().count() == 1


def test_head_leaving_needs_a_new_head(db):
    head = factories.MemberFactory()
    spouse = factories.MemberFactory(
        household=head.household, relation_to_head=Relation.SPOUSE, male=False
    )
    with pytest.raises(ValidationError, match="新户主"):
        services.member_mark_left(member=head, left_on=DAY, leave_reason=MemberLeaveReason.DEATH)
    services.member_mark_left(
        member=head, left_on=DAY, leave_reason=MemberLeaveReason.DEATH, new_head=spouse
    )
    spouse.refresh_from_db()
    assert spouse.relation_to_head == Relation.HEAD


def test_member_joining_is_validated_and_recorded(db):
    head = factories.MemberFactory()
    baby = factories.MemberFactory.build(
        household=head.household,
        relation_to_head=Relation.GRANDSON,
        birth_date=dt.date(2019, 3, 1),
        id_number=factories.id_number_for(7, birth=dt.date(2019, 3, 1), male=True),
    )
    event = services.member_add(member=baby, joined_on=dt.date(2019, 3, 1), reason="出生")
    assert event.kind == StatusChangeKind.NATURAL_INCREASE and baby.pk is not None


def test_register_saves_the_household_with_its_new_identification(db):
    user = factories.UserFactory()
    household = factories.HouseholdFactory.build(
        village=factories.VillageFactory(), identified_year=2016, status=HouseholdStatus.EXITED
    )

    event = services.household_register(
        household=household,
        identified_on=dt.date(2016, 6, 15),
        reason="新识别建档",
        recorded_by=user,
    )

    household.refresh_from_db()
    assert (household.status, household.exit_year) == (HouseholdStatus.NOT_EXITED, None)
    assert (event.kind, event.year, event.effective_on, event.recorded_by) == (
        StatusChangeKind.NEW_IDENTIFICATION,
        2016,
        dt.date(2016, 6, 15),
        user,
    )


def test_register_refuses_a_date_outside_the_identification_year(db):
    household = factories.HouseholdFactory.build(
        village=factories.VillageFactory(), identified_year=2016
    )

    with pytest.raises(ValidationError, match="识别日期应在识别年度"):
        services.household_register(
            household=household, identified_on=dt.date(2017, 1, 3), reason="新识别建档"
        )

    assert not Household.objects.exists() and not StatusChange.objects.exists()


def test_register_refuses_a_household_already_in_the_registry(db):
    household = factories.HouseholdFactory()

    with pytest.raises(ValidationError, match="已建档"):
        services.household_register(household=household, identified_on=DAY, reason="新识别建档")

    assert not StatusChange.objects.exists()
