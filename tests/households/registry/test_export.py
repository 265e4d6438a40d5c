"""The canonical export: headers, one row per current member, labels, text cells, areas, queries."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from households.choices import (
    Cause,
    Education,
    HouseholdStatus,
    IdentificationStandard,
    MemberLeaveReason,
    PovertyAttribute,
    Relation,
    StudentStatus,
    WorkStatus,
)
from households.models import Household
from households.registry import export
from households.registry.columns import HEADERS
from households.registry.export import area_households, export_registry
from households.registry.read import read_path
from tests import builders, factories

pytestmark = pytest.mark.django_db
COLUMN = {header: index for index, header in enumerate(HEADERS)}


def exported(households=None, **options) -> bytes:
    buffer = io.BytesIO()
    export_registry(buffer, households=households or Household.objects.all(), **options)
    return buffer.getvalue()


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data))["花名册"]


def values(data: bytes) -> list[list]:
    return [list(row) for row in sheet_of(data).iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    return [row[COLUMN[header]] for row in rows[1:]]


def township_with_village(township: str, village: str, code: str):
    place = factories.TownshipFactory(name=township, division_code=code[:9] + "000")
    return factories.VillageFactory(township=place, name=village, division_code=code)


def member(household, relation=Relation.SON, **fields):
    return factories.MemberFactory(household=household, relation_to_head=relation, **fields)


def test_the_header_row_is_the_contract_and_each_current_member_has_one_row_head_first():
    # given the small county: 17 current members, 2 who left, a household with no members
    builders.small_county()
    # when it is exported
    rows = values(exported())
    # then row 1 holds the contract's headers and every current member has a row
    assert tuple(rows[0]) == HEADERS
    assert len(rows) == 1 + 17
    assert "配偶" not in column(rows, "与户主关系")  # the spouses who left are not written
    household_numbers = column(rows, "户编号")
    firsts = [household_numbers.index(number) for number in dict.fromkeys(household_numbers)]
    assert len(firsts) == 6  # the household with no current member has no row
    assert all(column(rows, "与户主关系")[index] == "户主" for index in firsts)
    # and households come by township, then village, then number
    villages = column(rows, "行政村")
    assert list(dict.fromkeys(villages)) == ["东一村", "东二村", "西一村", "西二村"]
    by_village = list(zip(villages, household_numbers, strict=True))
    assert by_village == sorted(by_village, key=lambda pair: (villages.index(pair[0]), pair[1]))


def test_a_household_and_its_members_are_written_with_the_contracts_labels():
    # given an exited household of two current members and one who left
    village = township_with_village("城关镇", "东关村", "130534100201")
    household = factories.HouseholdFactory(
        village=village,
        household_number="130534100201000001",
        hamlet="三组",
        identification_standard=IdentificationStandard.PROVINCIAL,
        poverty_attribute=PovertyAttribute.MINIMUM_LIVING,
        main_cause=Cause.DISABILITY,
        other_causes=[Cause.LACK_OF_FUNDS, Cause.POOR_TRANSPORT],
        status=HouseholdStatus.EXITED,
        identified_year=2015,
        exit_year=2019,
        phone="13912345678",
    )
    son = member(
        household,
        name="王小明",
        birth_date=dt.date(2005, 6, 1),
        education=Education.JUNIOR_SECONDARY,
        student_status=StudentStatus.JUNIOR_SECONDARY,
    )
    head = member(
        household,
        Relation.HEAD,
        name="王大山",
        birth_date=dt.date(1970, 2, 3),
        ethnicity="回族",
        work_status=WorkStatus.OUT_OF_PROVINCE,
        work_months=9,
        has_pension_insurance=True,
    )
    left = dt.date(2020, 1, 1)
    member(household, Relation.SPOUSE, left_on=left, leave_reason=MemberLeaveReason.DEATH)
    # when it is exported with full numbers
    rows = values(exported(full_ids=True))
    # then the head comes first, although the son was entered before him
    assert len(rows) == 3
    assert rows[1] == [
        "清河县", "城关镇", "东关村", "三组", "130534100201000001", "王大山", 2, "省定标准",
        "低保贫困户", "因残", "缺资金、交通条件落后", "已脱贫", 2015, 2019, None, "13912345678",
        None,
        "王大山", head.id_number, "户主", "男", "回族", "1970-02-03", None, None, "健康",
        "普通劳动力", "省外务工", 9, "是", "是",
    ]  # fmt: skip
    assert rows[2][:17] == rows[1][:17]  # household columns repeated on every member row
    assert rows[2][17:] == [
        "王小明", son.id_number, "之子", "男", "汉族", "2005-06-01", "初中", "初中", "健康",
        "普通劳动力", None, None, "是", "否",
    ]  # fmt: skip


def test_ids_household_numbers_and_phones_are_text_cells_in_text_columns_and_counts_numbers():
    # given a household whose number, phone and ID are all digits
    household = factories.HouseholdFactory(
        household_number="000123", phone="13812345678", registry_income_per_capita=Decimal("3500.5")
    )
    person = member(household, Relation.HEAD)
    # when it is exported with full numbers
    sheet = sheet_of(exported(full_ids=True))
    # then those cells are strings formatted as text, so Excel keeps them text when edited
    for header, value in (("户编号", "000123"), ("联系电话", "13812345678")):
        cell = sheet.cell(2, COLUMN[header] + 1)
        assert (cell.value, cell.data_type, cell.number_format) == (value, "s", "@")
    id_cell = sheet.cell(2, COLUMN["证件号码"] + 1)
    assert (id_cell.value, id_cell.data_type, id_cell.number_format) == (person.id_number, "s", "@")
    # and the integer and money columns are numbers
    for header in ("家庭人口数", "识别年度"):
        assert sheet.cell(2, COLUMN[header] + 1).data_type == "n"
    income = sheet.cell(2, COLUMN["人均纯收入（元）"] + 1)
    assert (income.value, income.number_format) == (3500.5, "0.00")


def test_income_per_capita_is_the_latest_yearly_income_over_members_at_that_years_end():
    # given a household with incomes for 2018 and 2019, two members and one who left in 2020
    with_income = factories.HouseholdFactory(registry_income_per_capita=Decimal("9999"))
    member(with_income, Relation.HEAD)
    member(with_income)
    member(with_income, left_on=dt.date(2020, 5, 1), leave_reason=MemberLeaveReason.MOVED_OUT)
    factories.YearlyIncomeFactory(household=with_income, year=2018, wage_income=Decimal("100"))
    latest = factories.YearlyIncomeFactory(
        household=with_income,
        year=2019,
        wage_income=Decimal("9000"),
        pension=Decimal("1000"),
        business_income=Decimal("2000.10"),
        business_expense=Decimal("500"),
    )
    # and a household with only the registry's figure
    registry_only = factories.HouseholdFactory(registry_income_per_capita=Decimal("4321.50"))
    member(registry_only, Relation.HEAD)
    # when they are exported
    rows = values(exported())
    incomes = dict(zip(column(rows, "户编号"), column(rows, "人均纯收入（元）"), strict=True))
    # then 2019's net income is shared by the 3 members of 31 December 2019, as the model does
    assert latest.net_income_per_capita == Decimal("3833.37")  # 11,500.10 ÷ 3
    assert incomes[with_income.household_number] == pytest.approx(3833.37)
    assert incomes[registry_only.household_number] == pytest.approx(4321.5)


def test_responsible_cadres_are_the_current_pairings_else_the_registry_names():
    # given a household with two current pairings and an ended one
    paired = factories.HouseholdFactory(registry_cadre_names="旧名单")
    member(paired, Relation.HEAD)
    later = factories.CadreFactory(name="赵六")
    factories.PairingFactory(household=paired, cadre=later, started_on=dt.date(2019, 1, 1))
    factories.PairingFactory(household=paired, cadre__name="钱七", started_on=dt.date(2017, 1, 1))
    ended = {"started_on": dt.date(2016, 1, 1), "ended_on": dt.date(2018, 1, 1)}
    factories.PairingFactory(household=paired, cadre__name="孙八", **ended)
    # and one with no pairing but names from the registry
    unpaired = factories.HouseholdFactory(registry_cadre_names="王五、李四")
    member(unpaired, Relation.HEAD)
    # when they are exported
    rows = values(exported())
    cadres = dict(zip(column(rows, "户编号"), column(rows, "帮扶责任人"), strict=True))
    # then the current cadres are named in the order they were paired
    assert cadres[paired.household_number] == "钱七、赵六"
    assert cadres[unpaired.household_number] == "王五、李四"


def test_formula_like_text_is_written_as_plain_text_never_as_a_formula():
    # given values that Excel would run if they were formulas
    household = factories.HouseholdFactory(
        hamlet="=1+1", phone="+8613812345678", registry_cadre_names="-5"
    )
    member(household, Relation.HEAD, name="@x")
    # when the household is exported
    data = exported(full_ids=True)
    # then the sheet holds no formula and each cell holds the literal text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    rows = values(data)
    assert column(rows, "自然村（组）") == ["=1+1"]
    assert column(rows, "联系电话") == ["+8613812345678"]
    assert column(rows, "帮扶责任人") == ["-5"]
    assert column(rows, "姓名") == ["@x"]


def test_the_number_of_queries_does_not_grow_with_households():
    # given 5 households, then 50
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            exported()
        return len(queries)

    builders.add_households(5)
    small = count_queries()
    builders.add_households(45)
    # when each is exported, then the same queries are run
    assert count_queries() == small <= 5


def test_progress_is_reported_after_each_chunk_of_households(monkeypatch):
    # given villages of 2, 2 and 1 households, exported about 2 households at a time
    monkeypatch.setattr(export, "CHUNK", 2)
    for size in (2, 2, 1):
        builders.add_households(size)
    calls = []
    # when they are exported
    rows = export_registry(
        io.BytesIO(), households=Household.objects.all(), progress=lambda *a: calls.append(a)
    )
    # then progress counts households done of the total, and every current member is a row
    assert calls == [(2, 5), (4, 5), (5, 5)]
    assert rows == builders.tally_of(Household.objects.all()).persons


def test_the_export_reads_back_through_the_registry_reader_with_text_ids(tmp_path):
    # given a household exported to a file
    household = factories.HouseholdFactory(household_number="0042")
    head = member(household, Relation.HEAD)
    path = tmp_path / "花名册.xlsx"
    export_registry(path, households=Household.objects.all(), full_ids=True)
    # when the file is read as an upload would be
    sheets = read_path(path)
    # then the reader sees the headers, and the ID and number as the text they are
    assert [sheet.name for sheet in sheets] == ["花名册"]
    header, row = sheets[0].rows
    assert tuple(header) == HEADERS
    assert row[COLUMN["户编号"]] == "0042" and row[COLUMN["证件号码"]] == head.id_number


def test_ids_and_phones_are_masked_by_default():
    # given a household with a phone, and its head
    household = factories.HouseholdFactory(phone="13812345678")
    head = member(household, Relation.HEAD)
    # when it is exported without asking for full numbers
    data = exported()
    # then no cell of the file holds the full ID or phone, only their masked forms
    cells = [str(cell) for row in calamine_rows(data) for cell in row]
    assert head.id_number not in "".join(cells) and "13812345678" not in cells
    row = dict(zip(HEADERS, calamine_rows(data)[1], strict=True))
    assert row["证件号码"] == head.id_number[:6] + "********" + head.id_number[-4:]
    assert row["联系电话"] == "138****5678"


def calamine_rows(data: bytes) -> list[list]:
    """The cells as python-calamine reads them: another reader than the one that wrote them."""
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("花名册").to_python()


@pytest.fixture
def two_townships():
    """城关镇 and 河口镇 each have a 东关村; 城关镇 also has 西关村."""
    east = township_with_village("城关镇", "东关村", "130534100201")
    west = factories.VillageFactory(
        township=east.township, name="西关村", division_code="130534100202"
    )
    river = township_with_village("河口镇", "东关村", "130534101201")
    return {village: factories.HouseholdFactory(village=village) for village in (east, west, river)}


def numbers(households) -> set[str]:
    return set(households.values_list("household_number", flat=True))


def test_an_area_is_found_by_township_name_village_with_its_township_or_code(two_townships):
    east, west, river = two_townships
    in_east_village = {two_townships[east].household_number}
    # when an area is named by its township, by 乡+村 with or without a slash, or by its code
    # then it holds that area's households
    township = numbers(area_households("城关镇"))
    assert township == {two_townships[east].household_number, two_townships[west].household_number}
    assert numbers(area_households("城关镇东关村")) == in_east_village
    assert numbers(area_households("城关镇 / 东关村")) == in_east_village
    assert numbers(area_households("130534100201")) == in_east_village
    assert numbers(area_households("西关村")) == {two_townships[west].household_number}
    assert numbers(area_households("清河县")) == numbers(Household.objects.all())


def test_an_ambiguous_village_name_lists_the_candidates(two_townships):
    # when a village name that two townships have is given alone
    with pytest.raises(ValueError) as raised:
        area_households("东关村")
    # then the message names both as 乡+村
    assert "城关镇东关村" in str(raised.value) and "河口镇东关村" in str(raised.value)


def test_an_unknown_area_or_code_is_refused_in_chinese(two_townships):
    for area in ("不存在村", "999999999999"):
        with pytest.raises(ValueError, match="找不到地区"):
            area_households(area)


def test_the_command_writes_the_file_and_a_one_line_summary(tmp_path, two_townships):
    # given households in two townships
    for household in two_townships.values():
        member(household, Relation.HEAD)
    out, stdout = tmp_path / "花名册.xlsx", io.StringIO()
    # when the command exports one township
    call_command("export_registry", str(out), "--area", "城关镇", stdout=stdout)
    # then the file holds its two households and the summary says so
    assert len(values(out.read_bytes())) == 1 + 2
    summary = stdout.getvalue()
    assert "2 户" in summary and "2 行" in summary and "秒" in summary


def test_the_command_masks_numbers_unless_asked_and_records_each_export(tmp_path, two_townships):
    # given a household's head
    head = member(two_townships[next(iter(two_townships))], Relation.HEAD)
    masked, full = tmp_path / "打码.xlsx", tmp_path / "完整.xlsx"
    # when the command exports without and with --full-ids
    call_command("export_registry", str(masked), stdout=io.StringIO())
    call_command("export_registry", str(full), "--full-ids", stdout=io.StringIO())
    # then only the second file holds the full ID, and both runs are in the audit trail
    ids = [column(values(path.read_bytes()), "证件号码") for path in (masked, full)]
    assert head.id_number not in ids[0] and head.id_number in ids[1]
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")
    assert [entry.additional_data["full_ids"] for entry in entries] == [False, True]
    assert all(entry.actor is None for entry in entries)


def test_the_command_refuses_an_unknown_area(tmp_path, db):
    with pytest.raises(CommandError, match="找不到地区"):
        call_command("export_registry", str(tmp_path / "x.xlsx"), "--area", "无此乡")
    assert not (tmp_path / "x.xlsx").exists()
