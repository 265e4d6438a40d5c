"""The ledger workbook as written: sheets, cells, layout and A4 print setup (read with openpyxl)."""

from __future__ import annotations

import io
import random
import time
import zipfile

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ledgers.sections import SECTIONS
from ledgers.stamp import SHEET as STAMP_SHEET
from ledgers.workbook import INDEX_SHEET, write_household_workbook, write_village_workbook
from tests.ledgers.booklets import (
    find,
    household_workbook,
    make_booklet,
    replace_value,
    table_rows,
    three_households,
    village_workbook,
)


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_a_village_workbook_is_the_index_then_a_sheet_per_household_then_the_stamp():
    # given three households
    booklets = three_households()

    # when their village workbook is written
    workbook = opened(village_workbook(booklets))

    # then the index comes first, each household has its sheet, and the stamp is very hidden
    assert workbook.sheetnames == [
        INDEX_SHEET, "张三_000123", "李四_000124", "王五_000125", STAMP_SHEET
    ]  # fmt: skip
    assert workbook[STAMP_SHEET].sheet_state == "veryHidden"
    assert all(workbook[name].sheet_state == "visible" for name in workbook.sheetnames[:-1])


def test_the_index_lists_each_household_with_a_link_to_its_sheet():
    # given the village workbook of three households
    index = opened(village_workbook(three_households()))[INDEX_SHEET]

    # then a header row, then a row per household with its number, head, hamlet, size and status
    assert [cell.value for cell in index[2]] == [
        "户编号",
        "户主",
        "自然村",
        "人口",
        "户状态",
        "工作表",
    ]
    first = [cell.value for cell in index[3]]
    assert first[:2] == ["430121000123", "张三"]
    assert first[2] == "自然村（组）内容3" and first[5] == "张三_000123"
    assert index.cell(3, 6).hyperlink.location == "'张三_000123'!A1"
    assert index.cell(5, 2).value == "王五"
    assert index.page_setup.paperSize == 9 and index.print_title_rows == "$1:$2"


def test_a_household_workbook_holds_its_sheet_and_the_stamp():
    # when one household's workbook is written
    workbook = opened(household_workbook(make_booklet(head_name="赵六", household_number="9")))

    # then it has the household's sheet and the stamp, no index
    assert workbook.sheetnames == ["赵六_9", STAMP_SHEET]


def test_every_section_title_is_in_column_a_merged_across_the_sheet():
    # given a household's sheet
    sheet = opened(household_workbook())["张三_000123"]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}

    for spec in SECTIONS:
        # then its title stands alone in column A, merged to the last printed column
        row, column = find(sheet, spec.title)
        assert column == 1
        assert f"A{row}:S{row}" in merged
        if spec.note:
            assert sheet.cell(row + 1, 1).value == spec.note


def test_fields_are_a_label_then_its_value_to_the_right():
    # given a household's sheet
    sheet = opened(household_workbook())["张三_000123"]

    # then each label's value is the next cell right of its (merged) label
    row, column = find(sheet, "户编号")
    assert sheet.cell(row, column + 2).value == "430121000123"
    row, column = find(sheet, "家庭情况简述")
    assert sheet.cell(row, column + 2).value == "家中两位老人长期患病，\n主要劳动力外出务工。"
    assert sheet.row_dimensions[row].height > 15  # two lines


def test_tables_have_their_labels_as_header_and_the_record_in_a_hidden_last_column():
    # given a household's sheet
    sheet = opened(household_workbook())["张三_000123"]

    # when the members table's header row is found
    header, columns = table_rows(sheet, "二、家庭成员")

    # then its labels are the spec's, the record column is hidden, each row has its record
    spec = next(s for s in SECTIONS if s.key == "members").table
    assert spec is not None
    assert [sheet.cell(header, i + 1).value for i in range(len(spec.columns))] == [
        column.label for column in spec.columns
    ]
    ref_column = columns["记录号"]
    assert sheet.column_dimensions[sheet.cell(1, ref_column).column_letter].hidden
    assert sheet.cell(header + 1, ref_column).value == "member:100"
    assert sheet.cell(header + 1, 1).border.left.style == "thin"


def test_identifiers_are_text_amounts_are_numbers_and_nothing_is_a_formula():
    # given a household's sheet
    data = household_workbook()
    sheet = opened(data)["张三_000123"]

    # then the household number, ID numbers and phones are text cells
    row, column = find(sheet, "户编号")
    assert sheet.cell(row, column + 2).data_type == "s"
    header, columns = table_rows(sheet, "二、家庭成员")
    assert sheet.cell(header + 1, columns["证件号码"]).value == "430121********0001"
    # and amounts are numbers printed with two places
    header, columns = table_rows(sheet, "四、收入情况")
    wage = sheet.cell(header + 1, columns["工资性收入"])
    assert (wage.data_type, wage.number_format) == ("n", "0.00")
    # and texts beginning with = + - @ are strings: no formula anywhere in the sheet
    assert find(sheet, "=SUM(A1:A3)")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_every_household_sheet_prints_on_a4_one_page_wide_with_its_title():
    # given a village workbook
    workbook = opened(village_workbook(three_households()))

    for name in workbook.sheetnames[1:-1]:
        sheet = workbook[name]
        # then A4 landscape, fit to one page wide, the title row repeated, header and footer
        assert sheet.page_setup.paperSize == 9
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, left unwritten
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddHeader.center.text == sheet["A1"].value
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert workbook["李四_000124"]["A1"].value == "金井镇蒲塘村 李四户（430121000124）"


def test_a_workbook_is_written_to_a_path(tmp_path):
    # when a workbook is written to a file
    path = tmp_path / "一户一册.xlsx"
    write_household_workbook(make_booklet(), path)

    # then the file is a workbook
    assert opened(path.read_bytes()).sheetnames[0] == "张三_000123"


def test_a_village_without_households_still_has_its_index_and_stamp():
    # when no booklet is given
    out = io.BytesIO()
    write_village_workbook(iter(()), out, title="空村")

    # then the workbook holds the index and the stamp
    assert opened(out.getvalue()).sheetnames == [INDEX_SHEET, STAMP_SHEET]


def test_writing_a_village_of_200_households(capsys):
    # given 200 households with varied values, made as a generator (as the export streams them)
    rng = random.Random(4)
    booklets = (
        make_booklet(
            household_id=index,
            household_number=f"4301210{index:05d}",
            head_name=rng.choice("张李王赵钱孙周吴") + rng.choice("伟芳娜敏静丽强磊军洋"),
            rows={"members": rng.randint(1, 7), "visits": rng.randint(0, 6)},
        )
        for index in range(1, 201)
    )

    # when their village workbook is written
    out = io.BytesIO()
    started = time.perf_counter()
    write_village_workbook(booklets, out, title="金井镇蒲塘村")
    elapsed = time.perf_counter() - started

    # then every household has its sheet (the time is printed, not asserted)
    with CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())) as workbook:
        assert len(workbook.sheet_names) == 202
    with capsys.disabled():
        print(
            f"\n200-household village workbook: {elapsed:.2f} s, {len(out.getvalue()) / 1e6:.1f} MB"
        )


def test_the_index_holds_the_household_size_as_a_number():
    # given a household of four persons
    booklet = replace_value(make_booklet(), "basics", "computed.household_size", "4")

    # when
    index = opened(village_workbook([booklet]))[INDEX_SHEET]

    # then the 人口 cell can be summed in Excel
    assert index.cell(3, 4).value == 4
