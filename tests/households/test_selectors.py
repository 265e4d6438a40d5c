"""The county dashboard's figures, checked against direct ORM counts and against known values."""

import datetime as dt
from decimal import Decimal

import pytest

from cadres.models import Cadre, FirstSecretaryPosting
from households.choices import Cause, HouseholdStatus, MemberLeaveReason, PovertyAttribute, Relation
from households.models import Household, Member, Village
from households.selectors import Tally, county_summary
from inspections.choices import RectificationStatus
from inspections.models import Rectification
from tests.builders import TODAY, SmallCounty, add_households, small_county, tally_of


@pytest.fixture
def county(db) -> SmallCounty:
    return small_county()


def test_township_cells_equal_direct_counts(county):
    # when
    table = county_summary(today=TODAY).by_township

    # then
    assert [row.label for row in table.rows] == ["东镇", "西镇", "南镇"]
    for township, row in zip((county.east, county.west, county.south), table.rows, strict=True):
        in_township = Household.objects.filter(village__township=township)
        for status, cell in zip(HouseholdStatus.values, row.by_status, strict=True):
            assert cell == tally_of(in_township.filter(status=status)), (township, status)
        assert row.total == tally_of(in_township)


def test_totals_row_equals_direct_counts(county):
    # when
    totals = county_summary(today=TODAY).by_township.totals

    # then
    for status, cell in zip(HouseholdStatus.values, totals.by_status, strict=True):
        assert cell == tally_of(Household.objects.filter(status=status))
    assert totals.total == tally_of(Household.objects.all())


def test_known_values_of_the_small_county(county):
    # when
    table = county_summary(today=TODAY).by_township

    # then: members who left are not counted, an empty township shows zeros
    east, west, south = table.rows
    assert east.by_status == [Tally(1, 3), Tally(1, 2), Tally(1, 4), Tally(1, 2)]
    assert west.by_status == [Tally(2, 1), Tally(1, 5), Tally(), Tally()]
    assert south.total == Tally()
    assert table.totals.total == Tally(7, 17)


def test_headline_equals_direct_counts(county):
    # when
    headline = county_summary(today=TODAY).headline

    # then
    in_casework = Household.objects.exclude(status=HouseholdStatus.REMOVED)
    assert (headline.households, headline.persons) == (6, 15)
    assert Tally(headline.households, headline.persons) == tally_of(in_casework)
    assert headline.removed_households == 1
    not_exited = Household.objects.filter(status=HouseholdStatus.NOT_EXITED)
    assert headline.not_exited_households == not_exited.count() == 3
    exited = Household.objects.filter(status=HouseholdStatus.EXITED)
    assert headline.exited_households == exited.count() == 2
    assert headline.poor_villages == Village.objects.filter(is_poor_village=True).count() == 3
    assert headline.exited_villages == Village.objects.filter(exit_year__isnull=False).count() == 2
    assert headline.active_cadres == Cadre.objects.filter(is_active=True).count() == 2
    assert headline.serving_first_secretaries == 1
    assert (
        headline.serving_first_secretaries
        == FirstSecretaryPosting.objects.filter(ended_on__isnull=True).count()
    )


def test_rectifications_open_and_overdue(county):
    # when
    headline = county_summary(today=TODAY).headline

    # then: closed ones never count; due today is not overdue
    not_closed = Rectification.objects.exclude(status=RectificationStatus.CLOSED)
    assert headline.open_rectifications == not_closed.count() == 4
    assert headline.overdue_rectifications == not_closed.filter(deadline__lt=TODAY).count() == 2


@pytest.mark.parametrize(
    ("table_name", "field_name", "choices"),
    [("by_cause", "main_cause", Cause), ("by_attribute", "poverty_attribute", PovertyAttribute)],
)
def test_share_tables_equal_direct_counts(county, table_name, field_name, choices):
    # when
    table = getattr(county_summary(today=TODAY), table_name)

    # then: every choice is listed once, removed households are left out
    in_casework = Household.objects.exclude(status=HouseholdStatus.REMOVED)
    assert sorted(row.label for row in table.rows) == sorted(choices.labels)
    by_label = {row.label: row for row in table.rows}
    for value, label in choices.choices:
        expected = tally_of(in_casework.filter(**{field_name: value}))
        assert by_label[label].tally == expected, label
        share = Decimal(100 * expected.households) / 6
        assert by_label[label].share == share.quantize(Decimal("0.1"))
    assert table.total == tally_of(in_casework)


def test_share_rows_are_largest_first(county):
    # when
    causes = county_summary(today=TODAY).by_cause.rows

    # then
    first = causes[0]
    assert (first.label, first.tally, first.share) == ("因病", Tally(3, 12), Decimal("50.0"))
    # Ties keep the contract's order.
    assert [row.label for row in causes[1:4]] == ["因残", "因学", "缺劳力"]
    assert causes[-1].tally == Tally()


def test_an_empty_county_has_zero_shares(db):
    # when
    summary = county_summary(today=TODAY)

    # then
    assert summary.by_township.rows == []
    assert summary.by_township.totals.total == Tally()
    assert {row.share for row in summary.by_cause.rows} == {Decimal("0.0")}


def test_query_count_does_not_grow_with_the_county(county, django_assert_num_queries):
    # given
    add_households(20)

    # then: townships, status table, causes, attributes, villages, cadres, postings, rectifications
    with django_assert_num_queries(8):
        county_summary(today=TODAY)


def test_a_member_who_left_is_not_a_person(county):
    # given
    member = Member.objects.filter(
        left_on__isnull=True, household__status=HouseholdStatus.NOT_EXITED
    ).first()
    before = county_summary(today=TODAY).headline.persons

    # when
    Member.objects.filter(pk=member.pk).update(
        left_on=dt.date(2024, 1, 1),
        leave_reason=MemberLeaveReason.MOVED_OUT,
        relation_to_head=Relation.OTHER,
    )

    # then
    assert county_summary(today=TODAY).headline.persons == before - 1
