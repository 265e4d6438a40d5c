"""The 明白卡's content, read from the database (ledgers/card.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.choices import HousingGrade, MeasureCategory, MeasureStatus, Relation, StudentStatus
from households.models import Household
from ledgers.card import MAX_MEASURES, Tick, card_for, cards_for
from tests import factories
from tests.ledgers.builders import make_household_with_ledger_data

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 6, 1)


def _card(household, **options):
    return next(cards_for(Household.objects.filter(pk=household.pk), today=TODAY, **options))


def _tick(card, label: str) -> Tick:
    return next(tick for tick in card.ticks if tick.label == label)


def test_header_names_the_household_its_area_and_masks_the_phone():
    # given
    household = make_household_with_ledger_data()

    # when
    card = _card(household)

    # then
    village = household.village
    assert (card.county, card.township) == (village.township.county.name, village.township.name)
    assert (card.village, card.hamlet) == (village.name, "二组")
    assert (card.head_name, card.household_size) == ("王大山", 3)  # the father left in 2020
    assert card.address == "清河县第一镇第一村二组12号"
    assert card.poverty_attribute == "一般贫困户"
    assert card.phone == "138****5678"
    assert card.title.endswith(f"王大山户（{household.household_number}）")


def test_ticks_come_from_the_profile_members_and_measures():
    # given: a cooperative member, all insured for medical care, only the head for a pension
    household = make_household_with_ledger_data()

    # when
    card = _card(household)

    # then
    assert [(tick.label, tick.checked, tick.detail) for tick in card.ticks] == [
        ("加入农民专业合作社", True, ""),
        ("全员参加基本医疗保险", True, "3/3人"),
        ("参加城乡居民基本养老保险", False, "1/3人"),
        ("饮水安全", True, ""),
        ("义务教育阶段无失学辍学", True, "适龄儿童0人"),
        ("住房安全", True, ""),  # grade B
        ("危房改造", False, ""),
        ("易地扶贫搬迁", False, ""),
    ]
    assert card.land == "耕地5.50亩"


def test_a_school_age_child_not_in_school_is_named_as_out_of_school():
    # given a ten-year-old recorded as 非在校生, and a twelve-year-old at school
    household = make_household_with_ledger_data()
    factories.MemberFactory(
        household=household, name="王小丫", birth_date=dt.date(2014, 2, 1),
        relation_to_head=Relation.GRANDDAUGHTER, student_status=StudentStatus.NOT_STUDENT,
    )  # fmt: skip
    factories.MemberFactory(
        household=household, name="王小虎", birth_date=dt.date(2012, 2, 1),
        relation_to_head=Relation.GRANDSON, student_status=StudentStatus.PRIMARY,
    )  # fmt: skip

    # when
    tick = _tick(_card(household), "义务教育阶段无失学辍学")

    # then
    assert tick == Tick("义务教育阶段无失学辍学", False, "失学辍学：王小丫")


def test_a_rebuilt_house_and_a_relocation_show_with_their_year_and_mode():
    # given a dangerous house rebuilt in 2019, and a relocation recorded on the profile
    household = make_household_with_ledger_data()
    household.profile.housing_grade = HousingGrade.D
    household.profile.is_relocated = True
    household.profile.relocation_mode = "集中安置"
    household.profile.save()
    factories.HelpMeasureFactory(
        household=household, year=2019, category=MeasureCategory.HOUSING, content="危房改造",
        status=MeasureStatus.DONE, completed_on=dt.date(2019, 9, 1),
    )  # fmt: skip

    # when
    card = _card(household)

    # then
    assert _tick(card, "住房安全").checked is False
    assert _tick(card, "危房改造") == Tick("危房改造", True, "2019年")
    assert _tick(card, "易地扶贫搬迁") == Tick("易地扶贫搬迁", True, "安置方式：集中安置")


def test_without_profile_or_assessment_the_card_does_not_guess():
    # given a household with a head only
    household = factories.HouseholdFactory()
    factories.MemberFactory(household=household, relation_to_head=Relation.HEAD)

    # when
    card = _card(household)

    # then
    for label in ("加入农民专业合作社", "饮水安全", "住房安全", "易地扶贫搬迁"):
        assert _tick(card, label).checked is None, label
    assert (card.land, card.measures, card.income, card.helpers) == ("", (), None, ())


def test_measures_newest_first_cancelled_ones_left_out():
    # given the builder's two measures and a cancelled one
    household = make_household_with_ledger_data()
    factories.HelpMeasureFactory(
        household=household, year=2020, content="已取消的措施", status=MeasureStatus.CANCELLED
    )

    # when
    card = _card(household)

    # then
    assert [(m.year, m.category, m.content) for m in card.measures] == [
        (2020, "就业扶贫", "安排公益性岗位：护林员"),
        (2019, "产业扶贫", "发展养殖：肉牛2头"),
    ]
    assert (card.measures[1].result, card.measures[1].result_income) == (
        "存栏肉牛2头，年增收3000元",
        "3000.00",
    )
    assert card.measures[0].status == "实施中"
    assert card.more_measures == 0


def test_a_long_list_of_measures_is_cut_to_one_page_and_says_how_many_are_left():
    # given the builder's two measures and twelve more
    household = make_household_with_ledger_data()
    factories.HelpMeasureFactory.create_batch(MAX_MEASURES, household=household, year=2021)

    # when
    card = _card(household)

    # then
    assert len(card.measures) == MAX_MEASURES
    assert card.more_measures == 2


def test_income_is_the_latest_year_with_per_capita_against_the_line():
    # given incomes for 2019 and 2020
    household = make_household_with_ledger_data()

    # when
    latest, earlier = _card(household), _card(household, year=2019)

    # then
    assert latest.income is not None and earlier.income is not None
    assert (latest.income.year, latest.income.net_income, latest.income.household_size) == (
        2020,
        "20400.00",
        3,
    )
    assert (latest.income.per_capita, latest.income.poverty_line) == ("6800.00", "4100.00")
    assert latest.income.is_above_line is True
    assert (earlier.income.year, earlier.income.per_capita) == (2019, "3800.00")


def test_helpers_are_the_current_cadres_and_the_first_secretary_with_masked_phones():
    # given a current pairing (陈红梅), an ended one (刘建国) and the village's first secretary
    household = make_household_with_ledger_data()

    # when
    card = card_for(household)

    # then
    assert [(h.role, h.name, h.unit, h.phone) for h in card.helpers] == [
        ("帮扶责任人", "陈红梅", "清河县教育局", "138****3333"),
        ("驻村第一书记", "周明", "清河县农业农村局", "137****4444"),
    ]


def test_cards_come_in_household_number_order():
    # given two households built in reverse number order
    village = factories.VillageFactory()
    second = make_household_with_ledger_data(village=village, household_number="130534000000000002")
    first = make_household_with_ledger_data(village=village, household_number="130534000000000001")

    # when
    cards = list(cards_for(Household.objects.filter(village=village), today=TODAY))

    # then
    assert [card.household_id for card in cards] == [first.pk, second.pk]


def _queries_for_cards(households: int) -> int:
    village = factories.VillageFactory()
    for _ in range(households):
        make_household_with_ledger_data(village=village)
    with CaptureQueriesContext(connection) as queries:
        cards = list(cards_for(Household.objects.filter(village=village), today=TODAY))
    assert len(cards) == households
    return len(queries)


def test_query_count_does_not_grow_with_the_households():
    # when
    two, six = _queries_for_cards(2), _queries_for_cards(6)

    # then
    assert two == six
