"""The ledger's content (ledgers.content): every section against the database, masking, order,
and a number of queries that does not grow with the households."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.choices import VisitKind
from households.masking import mask_id_number
from households.models import Household, YearlyIncome
from ledgers.booklet import Booklet, Table
from ledgers.content import booklet_for, booklets_for
from ledgers.sections import SECTIONS
from tests import factories
from tests.ledgers.builders import make_household_with_ledger_data

pytestmark = pytest.mark.django_db


def fields(booklet: Booklet, section: str) -> dict[str, str]:
    return {field.column.label: field.value for field in booklet.section(section).fields}


def rows(table: Table) -> list[dict[str, str]]:
    labels = [column.label for column in table.columns]
    return [dict(zip(labels, row.values, strict=True)) for row in table.rows]


def column(table: Table, label: str) -> list[str]:
    return [row[label] for row in rows(table)]


def test_sections_follow_the_spec_in_order():
    # given a household with every kind of record
    household = make_household_with_ledger_data()

    # when its booklet is made
    booklet = booklet_for(household, year=2020)

    # then every section of the spec is there, in order, with the spec's columns
    assert [section.title for section in booklet.sections] == [spec.title for spec in SECTIONS]
    for section, spec in zip(booklet.sections, SECTIONS, strict=True):
        assert [field.column for field in section.fields] == list(spec.fields)
        expected = [] if spec.table is None else [spec.table.columns]
        assert [table.columns for table in section.tables] == expected
    assert booklet.table("visits").can_add and booklet.table("visits").blank_rows == 3


def test_booklet_names_the_household_and_its_areas():
    household = make_household_with_ledger_data()
    village = household.village

    booklet = booklet_for(household, year=2020)

    assert (booklet.household_id, booklet.household_number) == (
        household.pk,
        household.household_number,
    )
    assert booklet.version == household.version and booklet.year == 2020
    assert (booklet.county, booklet.township, booklet.village) == (
        village.township.county.name,
        village.township.name,
        village.name,
    )
    assert booklet.head_name == "王大山" and not booklet.full_ids
    assert booklet.meta == {"village_id": village.pk, "township_id": village.township_id}


def test_cover_shows_current_cadres_and_first_secretary_with_masked_phones():
    household = make_household_with_ledger_data()

    cover = fields(booklet_for(household, year=2020), "cover")

    # the ended pairing (刘建国) is not on the cover, only in the cadres table
    assert cover["帮扶责任人"] == "陈红梅（清河县教育局，138****3333）"
    assert cover["驻村第一书记"] == "周明（清河县农业农村局，137****4444）"
    assert cover["户主姓名"] == "王大山"
    assert cover["户编号"] == household.household_number
    assert cover["自然村（组）"] == "二组"
    assert cover["行政村"] == household.village.name
    assert cover["年度"] == "2020"


def test_cover_joins_several_current_cadres():
    # given a second current pairing, with a cadre without a phone
    household = make_household_with_ledger_data()
    cadre = factories.CadreFactory.create(name="赵六", phone="", unit__name="清河县民政局")
    factories.PairingFactory.create(
        household=household, cadre=cadre, started_on=dt.date(2021, 2, 1)
    )

    cover = fields(booklet_for(household), "cover")

    assert cover["帮扶责任人"] == "陈红梅（清河县教育局，138****3333）、赵六（清河县民政局）"


def test_cover_has_no_first_secretary_once_the_posting_ended():
    household = make_household_with_ledger_data()
    household.village.first_secretary_postings.update(ended_on=dt.date(2020, 12, 31))

    assert fields(booklet_for(household), "cover")["驻村第一书记"] == ""


@time_machine.travel(dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC), tick=False)
def test_year_defaults_to_this_year_in_china():
    # given it is already 1 January 2026 in Beijing, though still 2025 in UTC
    household = factories.HouseholdFactory.create()

    booklet = booklet_for(household)

    assert booklet.year == 2026 and fields(booklet, "cover")["年度"] == "2026"


def test_basics_print_household_and_profile_values():
    household = make_household_with_ledger_data()

    booklet = booklet_for(household)
    basics = fields(booklet, "basics")

    assert basics["联系电话"] == "138****5678"
    assert basics["家庭人口数"] == "3"  # the member who died is not counted
    assert basics["识别年度"] == "2014" and basics["脱贫年度"] == ""
    assert basics["户状态"] == "未脱贫" and basics["享受政策"] == "是"
    assert basics["家庭住址"] == "清河县第一镇第一村二组12号"
    assert basics["耕地面积（亩）"] == "5.50" and basics["林地面积（亩）"] == ""
    assert basics["住房面积（平方米）"] == "96.50" and basics["危房等级"] == "B级"
    assert basics["饮水安全"] == "是" and basics["卫生厕所"] == "否"
    assert basics["入户路类型"] == "水泥路" and basics["主要燃料"] == "柴草"
    assert basics["加入农民专业合作社"] == "是" and basics["军烈属"] == "否"
    refs = {field.column.key.split(".")[0]: field.ref for field in booklet.section("basics").fields}
    assert refs == {
        "household": f"household:{household.pk}",
        "computed": f"household:{household.pk}",
        "profile": f"profile:{household.profile.pk}",
    }


def test_causes_print_labels_and_situation():
    household = make_household_with_ledger_data()

    causes = fields(booklet_for(household), "causes")

    assert causes == {
        "主要致贫原因": "因病",
        "其他致贫原因": "因残、缺资金",
        "家庭情况简述": "户主患慢性病，配偶残疾，缺少劳动力与资金。",
    }


def test_members_table_lists_current_members_head_first_with_masked_numbers():
    # given the spouse was entered before the head, and the father left
    household = make_household_with_ledger_data()
    spouse, head, son = household.members.filter(left_on__isnull=True).order_by("pk")

    table = booklet_for(household).table("members")

    # then the head comes first, then the others in the order they were entered
    assert [row.ref for row in table.rows] == [f"member:{m.pk}" for m in (head, spouse, son)]
    first, second, third = rows(table)
    assert first["姓名"] == "王大山" and first["与户主关系"] == "户主"
    assert first["证件号码"] == mask_id_number(head.id_number) != head.id_number
    assert first["出生日期"] == "1965-03-08" and first["性别"] == "男"
    assert first["健康状况"] == "长期慢性病" and first["务工状况"] == "县内务工"
    assert first["务工时间（月）"] == "6" and first["是否参加大病保险"] == "是"
    assert second["残疾证号"] == mask_id_number(spouse.disability_card_number)
    assert second["是否享受低保"] == "是" and second["在家居住时间（月）"] == "12"
    assert third["在家居住时间（月）"] == "2" and third["残疾证号"] == ""
    assert "王老汉" not in column(table, "姓名")


def test_full_ids_print_id_numbers_and_phones_in_full():
    household = make_household_with_ledger_data()
    spouse = household.members.get(name="李秀英")

    booklet = booklet_for(household, full_ids=True)

    assert booklet.full_ids
    spouse_row = rows(booklet.table("members"))[1]
    assert spouse_row["证件号码"] == spouse.id_number
    assert spouse_row["残疾证号"] == spouse.disability_card_number
    assert fields(booklet, "basics")["联系电话"] == "13812345678"
    cover = fields(booklet, "cover")
    assert cover["帮扶责任人"] == "陈红梅（清河县教育局，13822223333）"
    assert cover["驻村第一书记"] == "周明（清河县农业农村局，13733334444）"
    assert column(booklet.table("cadres"), "联系电话") == ["13911112222", "13822223333"]


def test_income_rows_by_year_with_that_years_size_per_capita_and_line():
    household = make_household_with_ledger_data()

    table = booklet_for(household).table("income")

    # 2019 counts the father (he died in 2020); each year has its province's line
    assert column(table, "年度") == ["2019", "2020"]
    earlier, later = rows(table)
    assert earlier["工资性收入"] == "12000.00" and earlier["生产经营性支出"] == "1000.00"
    assert earlier["年收入"] == "16200.00" and earlier["纯收入"] == "15200.00"
    assert earlier["家庭人口数"] == "4" and earlier["人均纯收入"] == "3800.00"
    assert earlier["当年扶贫标准"] == "3600.00" and earlier["备注"] == "父亲住院，支出较大"
    assert later["公益性岗位收入"] == "3600.00" and later["年收入"] == "20400.00"
    assert later["家庭人口数"] == "3" and later["人均纯收入"] == "6800.00"
    assert later["当年扶贫标准"] == "4100.00"


def test_income_figures_agree_with_the_models_own():
    household = make_household_with_ledger_data()
    incomes = YearlyIncome.objects.filter(household=household).order_by("year")

    table = booklet_for(household).table("income")

    for income, row in zip(incomes, rows(table), strict=True):
        assert row["纯收入"] == f"{income.net_income:.2f}"
        assert row["家庭人口数"] == str(income.household_size)
        assert row["人均纯收入"] == f"{income.net_income_per_capita:.2f}"
        assert row["当年扶贫标准"] == f"{income.poverty_line_amount:.2f}"
    assert [row.ref for row in table.rows] == [f"income:{income.pk}" for income in incomes]


def test_needs_rows_by_year():
    household = make_household_with_ledger_data()

    earlier, later = rows(booklet_for(household).table("needs"))

    assert earlier["年度"] == "2019" and earlier["住房安全有保障"] == "否"
    assert earlier["情况说明"] == "住房为B级，需加固" and earlier["评估日期"] == "2019-11-20"
    assert later["年度"] == "2020" and later["住房安全有保障"] == "是"
    assert later["评估人"] == "赵会计"


def test_cadres_table_keeps_ended_pairings_in_start_order():
    household = make_household_with_ledger_data()
    ended = household.pairings.get(ended_on__isnull=False)

    table = booklet_for(household).table("cadres")

    former, current = rows(table)
    assert former == {
        "姓名": "刘建国",
        "工作单位": "清河县水利局",
        "单位层级": "县直",
        "职务": "科员",
        "联系电话": "139****2222",
        "结对日期": "2016-03-01",
        "解除日期": "2019-12-31",
    }
    assert current["姓名"] == "陈红梅" and current["解除日期"] == ""
    assert table.rows[0].ref == f"pairing:{ended.pk}"


def test_plans_table():
    household = make_household_with_ledger_data()
    plan = household.plans.get()

    table = booklet_for(household).table("plans")

    assert [row.ref for row in table.rows] == [f"plan:{plan.pk}"]
    assert rows(table) == [
        {
            "年度": "2020",
            "帮扶目标": "发展肉牛养殖，务工增收，2020年稳定脱贫",
            "计划脱贫年度": "2020",
            "帮扶项目及规模": "肉牛养殖2头；公益性岗位1个",
            "计划资金（元）": "12000.00",
            "完成时限": "2020-12-31",
        }
    ]


def test_measures_print_funds_by_source_and_helping_unit():
    household = make_household_with_ledger_data()

    table = booklet_for(household).table("measures")

    # the 2019 measure comes first though it was entered second
    earlier, later = rows(table)
    assert earlier["帮扶内容"] == "发展养殖：肉牛2头" and earlier["帮扶单位"] == "清河县畜牧局"
    assert earlier["财政专项扶贫资金（元）"] == "8000.00" and earlier["群众自筹（元）"] == "2000.00"
    assert earlier["帮扶单位资金（元）"] == "" and earlier["信贷资金（元）"] == ""
    assert earlier["状态"] == "已完成" and earlier["户主签字"] == ""
    assert later["帮扶类别"] == "就业扶贫" and later["帮扶单位"] == "清河县人社局"
    assert later["财政专项扶贫资金（元）"] == "3600.00" and later["帮扶单位资金（元）"] == "1000.00"
    assert later["群众自筹（元）"] == "" and later["实施日期"] == "2020-03-01"


def test_measure_without_helping_unit_or_funds_prints_blanks():
    household = factories.HouseholdFactory.create()
    factories.HelpMeasureFactory.create(household=household, helping_unit=None)

    (row,) = rows(booklet_for(household).table("measures"))

    assert row["帮扶单位"] == ""
    assert all(value == "" for label, value in row.items() if label.endswith("资金（元）"))


def test_results_rows_follow_the_measures():
    household = make_household_with_ledger_data()

    booklet = booklet_for(household)

    results = booklet.table("results")
    assert [row.ref for row in results.rows] == [row.ref for row in booklet.table("measures").rows]
    done, ongoing = rows(results)
    assert done == {
        "年度": "2019",
        "帮扶内容": "发展养殖：肉牛2头",
        "完成日期": "2019-10-15",
        "帮扶成效": "存栏肉牛2头，年增收3000元",
        "增收金额（元）": "3000.00",
        "户主签字": "",
    }
    assert ongoing["完成日期"] == "" and ongoing["增收金额（元）"] == ""


def test_visits_are_this_households_only_by_date():
    # given a visit to the village as a whole and one to a neighbour
    household = make_household_with_ledger_data()
    neighbour = factories.HouseholdFactory.create(village=household.village)
    factories.VisitFactory.create(household=neighbour, visited_on=dt.date(2019, 1, 1))
    factories.VisitFactory.create(household=None, village=household.village)

    table = booklet_for(household).table("visits")

    assert column(table, "走访日期") == ["2019-05-06", "2020-06-12"]
    first, second = rows(table)
    assert first["走访人"] == "刘建国" and first["走访方式"] == VisitKind.HOME_VISIT.label
    assert first["采取措施"] == "联系村医定期随访" and first["后续跟进"] == "每月回访"
    assert second["走访人"] == "陈红梅" and second["走访方式"] == "电话回访"


def test_member_who_left_is_in_the_adjustments_not_the_members():
    household = make_household_with_ledger_data()
    change = household.status_changes.get()

    booklet = booklet_for(household)

    assert "王老汉" not in column(booklet.table("members"), "姓名")
    table = booklet.table("adjustments")
    assert [row.ref for row in table.rows] == [f"status_change:{change.pk}"]
    assert rows(table) == [
        {
            "调整类型": "自然减少",
            "成员": "王老汉",
            "调整前户状态": "",
            "调整后户状态": "",
            "生效日期": "2020-04-10",
            "原因": "病故",
            "批准人（单位）": "第一镇人民政府",
            "批准日期": "2020-04-20",
        }
    ]


def test_adjustments_in_date_order_with_household_changes():
    # given a household change entered after, but dated before, the member's death
    household = make_household_with_ledger_data()
    factories.StatusChangeFactory.create(household=household)

    table = booklet_for(household).table("adjustments")

    assert column(table, "调整类型") == ["新识别", "自然减少"]
    assert rows(table)[0]["成员"] == "" and rows(table)[0]["调整后户状态"] == "未脱贫"


def test_signatures_are_blank_lines():
    household = make_household_with_ledger_data()

    signatures = fields(booklet_for(household), "signatures")

    labels = ["户主（签字）", "帮扶责任人（签字）", "村委会（盖章）", "乡镇（盖章）"]
    assert list(signatures) == labels
    assert set(signatures.values()) == {""}


def test_household_without_profile_has_blank_profile_fields():
    household = make_household_with_ledger_data()
    household.profile.delete()

    section = booklet_for(household).section("basics")

    profile_fields = [f for f in section.fields if f.column.key.startswith("profile.")]
    assert profile_fields and all(f.ref == "profile:" and f.value == "" for f in profile_fields)


def test_household_without_any_records_still_has_every_section():
    # given a household just registered: no members, profile, income or anything else
    household = factories.HouseholdFactory.create()

    booklet = booklet_for(household, year=2020)

    assert [section.key for section in booklet.sections] == [spec.key for spec in SECTIONS]
    tables = [table for section in booklet.sections for table in section.tables]
    assert len(tables) == 9 and all(table.rows == () for table in tables)
    assert booklet.head_name == ""
    cover = fields(booklet, "cover")
    assert cover["户主姓名"] == cover["帮扶责任人"] == cover["驻村第一书记"] == ""
    assert fields(booklet, "basics")["家庭人口数"] == "0"


def test_booklets_come_in_household_number_order_each_with_its_own_records():
    # given three households entered out of number order, read two at a time
    numbers = ["130534000000000003", "130534000000000001", "130534000000000002"]
    for number in numbers:
        household = factories.HouseholdFactory.create(household_number=number)
        factories.MemberFactory.create(household=household, name=f"户主{number[-1]}")
        factories.YearlyIncomeFactory.create(
            household=household, wage_income=int(number[-1]) * 1000
        )

    booklets = list(booklets_for(Household.objects.all(), chunk_size=2))

    assert [b.household_number for b in booklets] == sorted(numbers)
    assert [b.head_name for b in booklets] == ["户主1", "户主2", "户主3"]
    wages = [column(b.table("income"), "工资性收入") for b in booklets]
    assert wages == [["1000.00"], ["2000.00"], ["3000.00"]]


def test_booklets_for_reads_only_the_given_households():
    inside = make_household_with_ledger_data()
    make_household_with_ledger_data()

    booklets = list(booklets_for(Household.objects.filter(pk=inside.pk)))

    assert [b.household_id for b in booklets] == [inside.pk]


def count_queries(households, **options) -> int:
    with CaptureQueriesContext(connection) as queries:
        for _ in booklets_for(households, **options):
            pass
    return len(queries.captured_queries)


def test_queries_do_not_grow_with_the_households():
    # given five households with every kind of record
    households = [make_household_with_ledger_data() for _ in range(5)]
    one = Household.objects.filter(pk=households[0].pk)
    five = Household.objects.filter(pk__in=[h.pk for h in households])

    # when their booklets are made, one household or five, in one chunk or in three
    for_one, for_five = count_queries(one), count_queries(five)
    in_chunks = count_queries(five, chunk_size=2)

    # then five cost what one does, and each chunk a fixed number: one query lists the
    # households, then one per table (12 in all) for each chunk
    assert for_one == for_five == 13
    assert in_chunks == 1 + 3 * (for_one - 1)


def test_booklet_for_a_deleted_household_says_it_does_not_exist():
    household = factories.HouseholdFactory.create()
    Household.objects.filter(pk=household.pk).delete()

    with pytest.raises(Household.DoesNotExist):
        booklet_for(household)
