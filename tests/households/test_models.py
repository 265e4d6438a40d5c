"""Rules that live in the database: they hold whatever code writes, not only through forms."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from households.choices import HouseholdStatus, MemberLeaveReason, Relation
from households.models import Household, Member
from tests import factories


def _fails(callable_) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_household_number_is_unique(db):
    household = factories.HouseholdFactory()
    _fails(lambda: factories.HouseholdFactory(household_number=household.household_number))


def test_household_number_must_be_digits(db):
    _fails(lambda: factories.HouseholdFactory(household_number="13A"))


def test_exited_household_needs_an_exit_year(db):
    _fails(lambda: factories.HouseholdFactory(status=HouseholdStatus.EXITED, exit_year=None))


def test_exit_year_cannot_precede_identification(db):
    _fails(lambda: factories.HouseholdFactory(identified_year=2016, exit_year=2015))


def test_identified_year_within_2013_to_2030(db):
    _fails(lambda: factories.HouseholdFactory(identified_year=2012))


def test_current_member_id_is_unique_across_households(db):
    member = factories.MemberFactory()
    _fails(lambda: factories.MemberFactory(id_number=member.id_number))


def test_a_member_who_left_frees_the_id_for_a_new_record(db):
    member = factories.MemberFactory()
    Member.objects.filter(pk=member.pk).update(
        left_on=dt.date(2019, 1, 1), leave_reason=MemberLeaveReason.SPLIT
    )
    factories.MemberFactory(id_number=member.id_number)
    assert Member.objects.filter(id_number=member.id_number).count() == 2


def test_one_current_head_per_household(db):
    head = factories.MemberFactory()
    _fails(
        lambda: factories.MemberFactory(household=head.household, relation_to_head=Relation.HEAD)
    )


def test_left_member_needs_a_reason(db):
    _fails(lambda: factories.MemberFactory(left_on=dt.date(2019, 1, 1), leave_reason=""))


def test_id_number_format_is_checked_by_the_database(db):
    _fails(lambda: factories.MemberFactory(id_number="11010519491231002x"))


def test_member_clean_reports_wrong_check_character_in_chinese(db):
    member = factories.MemberFactory.build(
        household=factories.HouseholdFactory(), id_number="110105194912310021"
    )
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "校验位错误" in str(error.value.message_dict["id_number"])


def test_member_clean_normalises_lowercase_x(db):
    member = factories.MemberFactory.build(
        household=factories.HouseholdFactory(),
        id_number="11010519491231002x",
        birth_date=dt.date(1949, 12, 31),
        male=False,
    )
    member.full_clean()
    assert member.id_number == "11010519491231002X"


def test_member_clean_flags_sex_and_birth_date_that_disagree_with_the_id(db):
    member = factories.MemberFactory.build(
        household=factories.HouseholdFactory(),
        id_number="11010519491231002X",
        birth_date=dt.date(1950, 1, 1),
        male=True,
    )
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert set(error.value.message_dict) >= {"sex", "birth_date"}


def test_household_clean_rejects_unknown_other_causes(db):
    household = factories.HouseholdFactory.build(
        village=factories.VillageFactory(), other_causes=["illness", "因婚"]
    )
    with pytest.raises(ValidationError, match="未知的致贫原因"):
        household.full_clean()


def test_household_queryset_annotates_head_and_member_count(db):
    head = factories.MemberFactory()
    factories.MemberFactory(household=head.household, relation_to_head=Relation.SPOUSE, male=False)
    factories.MemberFactory(
        household=head.household,
        relation_to_head=Relation.SON,
        left_on=dt.date(2019, 1, 1),
        leave_reason=MemberLeaveReason.DEATH,
    )
    row = Household.objects.with_head().with_member_count().get()
    assert (row.head_name, row.member_count) == (head.name, 2)
