import datetime as dt
from decimal import Decimal

from households.choices import MemberLeaveReason, Relation
from households.models import PovertyLine, YearlyIncome
from tests import factories


def _household_of(size: int):
    head = factories.MemberFactory()
    for _ in range(size - 1):
        factories.MemberFactory(household=head.household, relation_to_head=Relation.SON)
    return head.household


def test_net_income_is_gross_minus_business_expense(db):
    income = factories.YearlyIncomeFactory.build(
        wage_income=Decimal("6000"),
        public_welfare_job_income=Decimal("1200"),
        business_income=Decimal("3000"),
        business_expense=Decimal("800"),
        asset_dividend_income=Decimal("300"),
        minimum_living_allowance=Decimal("2400"),
        pension=Decimal("1300"),
    )
    assert income.gross_income == Decimal("14200")
    assert income.net_income == Decimal("13400")


def test_per_capita_divides_by_members_present_on_31_december(db):
    household = _household_of(3)
    factories.MemberFactory(
        household=household,
        relation_to_head=Relation.FATHER,
        left_on=dt.date(2019, 6, 1),
        leave_reason=MemberLeaveReason.DEATH,
    )
    factories.MemberFactory(
        household=household, relation_to_head=Relation.GRANDSON, joined_on=dt.date(2020, 3, 1)
    )
    income = factories.YearlyIncomeFactory(household=household, year=2019, wage_income=10000)
    assert income.household_size == 3
    assert income.net_income_per_capita == Decimal("3333.33")


def test_list_annotation_gives_the_same_size_and_line(db):
    factories.PovertyLineFactory(year=2018, amount=Decimal("3535"))
    household = _household_of(2)
    factories.YearlyIncomeFactory(household=household, year=2018, wage_income=Decimal("7200"))
    row = YearlyIncome.objects.with_household_size().with_poverty_line().get()
    assert row.household_size == 2
    assert row.poverty_line == Decimal("3535")
    assert row.net_income_per_capita == Decimal("3600.00")
    assert row.is_above_line is True


def test_a_verified_line_is_preferred_over_an_unconfirmed_one(db):
    # The data migration loads 2019's verified statistical line (3218) and the unconfirmed
    # operational one (3747).
    factories.YearlyIncomeFactory(household=_household_of(1), year=2019, wage_income=3500)
    row = YearlyIncome.objects.with_poverty_line().get()
    assert row.poverty_line == Decimal("3218")
    assert row.is_above_line is True


def test_operational_line_is_preferred_when_both_are_verified(db):
    PovertyLine.objects.filter(year=2019).update(is_verified=True)
    income = factories.YearlyIncomeFactory(household=_household_of(1), year=2019, wage_income=3500)
    assert YearlyIncome.objects.with_poverty_line().get().poverty_line == Decimal("3747")
    assert income.poverty_line_amount == Decimal("3747")


def test_a_provincial_line_applies_to_households_of_that_province(db):
    factories.PovertyLineFactory(year=2019, province="河北省", amount=Decimal("3600"))
    income = factories.YearlyIncomeFactory(household=_household_of(1), year=2019, wage_income=3500)
    assert YearlyIncome.objects.with_poverty_line().get().poverty_line == Decimal("3600")
    assert income.poverty_line_amount == Decimal("3600")
    assert income.is_above_line is False


def test_household_without_members_has_no_per_capita(db):
    income = factories.YearlyIncomeFactory()
    assert income.net_income_per_capita is None
