"""The annotated copy: marked cells, the notes column, the problem list, merges, re-reading."""

import datetime as dt
import io
import zipfile

from openpyxl import load_workbook

from households.registry import report
from households.registry.columns import HEADERS
from households.registry.errors import RowError
from households.registry.headers import locate
from households.registry.read import RawSheet, read_bytes
from households.registry.report import annotated_workbook
from tests.households.registry.workbooks import household_rows, xlsx

ID_COLUMN, SEX_COLUMN = HEADERS.index("证件号码"), HEADERS.index("性别")
RED, YELLOW = "FFFFC7CE", "FFFFEB9C"


def upload() -> tuple[list, dict[str, int]]:
    """A township's sheet: a merged title on row 1, headers on row 2, two members on rows 3–4,
    the household number merged down over them; then a notes sheet with no header."""
    rows = household_rows("1001")
    sheets = {
        "城关镇": [["清河县2019年建档立卡贫困人口花名册"], list(HEADERS), *rows],
        "说明": [["本表由城关镇填报"]],
    }
    merged = {"城关镇": ["A1:H1", "E3:E4"]}
    return read_bytes(xlsx(sheets, merged), "城关镇.xlsx"), {"城关镇": 1}


def problem(row: int, col: int, message: str, **fields) -> RowError:
    column = HEADERS[col] if col >= 0 else ""
    return RowError(
        "城关镇", row, column, "x", "code", message, household_number="1001", col=col, **fields
    )


def annotated(problems: list[RowError]):
    sheets, header_rows = upload()
    return load_workbook(io.BytesIO(annotated_workbook(sheets, problems, header_rows)))


def test_an_error_cell_is_filled_red_and_a_warning_cell_yellow_each_with_its_comment():
    # given an error in row 3's ID and a warning in row 4's sex
    problems = [
        problem(4, SEX_COLUMN, "性别与证件号码第17位不符", is_warning=True),
        problem(3, ID_COLUMN, "证件号码校验位错误"),
    ]
    # when the copy is made
    sheet = annotated(problems)["城关镇"]
    # then those cells are filled, red for the error and yellow for the warning
    error_cell, warning_cell = sheet.cell(3, ID_COLUMN + 1), sheet.cell(4, SEX_COLUMN + 1)
    assert error_cell.fill.fgColor.rgb == RED and warning_cell.fill.fgColor.rgb == YELLOW
    assert sheet.cell(3, SEX_COLUMN + 1).fill.fgColor.rgb != RED  # the others are untouched
    # and each holds its message as a comment
    assert "错误：【证件号码】证件号码校验位错误" in error_cell.comment.text
    assert "警告：【性别】" in warning_cell.comment.text


def test_the_notes_column_holds_each_rows_messages_errors_first():
    # given a warning and an error on row 3 and a problem of the whole sheet
    problems = [
        problem(3, SEX_COLUMN, "性别与证件号码第17位不符", is_warning=True),
        problem(3, ID_COLUMN, "证件号码校验位错误"),
        problem(0, -1, "缺少必填列“民族”"),
    ]
    # when the copy is made
    sheet = annotated(problems)["城关镇"]
    # then a last column 错误说明 is headed on the header row and sums up row 3
    notes = len(HEADERS) + 1
    assert sheet.cell(2, notes).value == "错误说明" and sheet.cell(1, notes).value is None
    assert sheet.cell(3, notes).value == (
        "错误：【证件号码】证件号码校验位错误；警告：【性别】性别与证件号码第17位不符"
    )
    assert sheet.cell(4, notes).value is None


def test_the_problem_list_is_the_last_sheet_and_names_every_problem():
    # given two problems on rows and one of the whole sheet
    problems = [
        problem(4, SEX_COLUMN, "性别与证件号码第17位不符", is_warning=True),
        problem(0, -1, "缺少必填列“民族”"),
        problem(3, ID_COLUMN, "证件号码校验位错误"),
    ]
    # when the copy is made
    workbook = annotated(problems)
    # then its last sheet lists them by row, the row-less one first
    assert workbook.sheetnames == ["城关镇", "说明", "错误清单"]
    listed = [list(row) for row in workbook["错误清单"].iter_rows(values_only=True)]
    assert listed == [
        ["工作表", "行号", "列", "值", "类型", "说明", "户编号"],
        ["城关镇", None, None, "x", "错误", "缺少必填列“民族”", "1001"],
        ["城关镇", 3, "证件号码", "x", "错误", "证件号码校验位错误", "1001"],
        ["城关镇", 4, "性别", "x", "警告", "性别与证件号码第17位不符", "1001"],
    ]


def test_values_and_merged_ranges_stay_where_they_were():
    # given the upload with a title above the header and merged cells
    sheets, _ = upload()
    # when the copy is made
    sheet = annotated([problem(3, ID_COLUMN, "证件号码校验位错误")])["城关镇"]
    # then every value is at its row and column, IDs as text and counts as numbers
    original = sheets[0].rows
    for row_number in (1, 2, 3, 4):
        copied = [cell.value for cell in sheet[row_number]][: len(HEADERS)]
        assert copied == [value if value != "" else None for value in original[row_number - 1]]
    assert sheet.cell(3, ID_COLUMN + 1).data_type == "s"
    assert isinstance(sheet.cell(3, HEADERS.index("家庭人口数") + 1).value, int)
    # and the merges are kept
    assert {str(cell_range) for cell_range in sheet.merged_cells.ranges} == {"A1:H1", "E3:E4"}


def test_dates_stay_dates_and_formula_like_text_stays_text():
    # given two date cells and text that Excel would run as a formula
    born = dt.date(1965, 3, 12)
    rows = [["出生日期", "备注", "登记日期"], [born, "=1+1", born]]
    sheets = [RawSheet(file_name="a.xlsx", name="表", rows=rows)]
    # when the copy is made, with the first date marked
    problems = [RowError("表", 2, "出生日期", "1965-03-12", "c", "与证件号码不符", col=0)]
    data = annotated_workbook(sheets, problems, {"表": 0})
    # then both dates are dates shown as yyyy-mm-dd
    sheet = load_workbook(io.BytesIO(data))["表"]
    for cell in (sheet["A2"], sheet["C2"]):
        assert (cell.value, cell.number_format) == (dt.datetime(1965, 3, 12), "yyyy-mm-dd")
    # and the text is a string, never a formula
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()


def test_the_copy_reads_back_with_the_same_rows_and_header_map():
    # given the upload and its copy
    sheets, header_rows = upload()
    data = annotated_workbook(sheets, [problem(3, ID_COLUMN, "证件号码校验位错误")], header_rows)
    # when the copy is read as an upload
    again = read_bytes(data, "城关镇（已标注）.xlsx")
    # then the sheets hold the same cells, plus the notes column
    assert [sheet.name for sheet in again] == ["城关镇", "说明", "错误清单"]
    assert [row[: len(HEADERS)] for row in again[0].rows] == sheets[0].rows
    assert again[1].rows == sheets[1].rows
    # and the header mapper finds the same header row and columns, the notes sheet being skipped
    before, after = locate(sheets[0]), locate(again[0])
    assert (after.header_row, after.columns) == (before.header_row, before.columns)
    assert locate(again[2]) is None


def test_a_copy_uploaded_again_keeps_one_notes_column_and_one_problem_list():
    # given a copy with a note on row 3, fixed and uploaded again
    sheets, header_rows = upload()
    first = annotated_workbook(sheets, [problem(3, ID_COLUMN, "证件号码校验位错误")], header_rows)
    again = read_bytes(first, "城关镇.xlsx")
    # when the new copy names a problem on row 4 only
    second = annotated_workbook(again, [problem(4, SEX_COLUMN, "性别不符")], header_rows)
    # then the old note is gone, the new one is in the same column, and one list remains
    workbook = load_workbook(io.BytesIO(second))
    assert workbook.sheetnames == ["城关镇", "说明", "错误清单"]
    sheet, notes = workbook["城关镇"], len(HEADERS) + 1
    assert sheet.max_column == notes
    assert sheet.cell(3, notes).value is None
    assert sheet.cell(4, notes).value == "错误：【性别】性别不符"


def test_only_the_first_comments_are_written(monkeypatch):
    # given room for one comment and two marked cells
    monkeypatch.setattr(report, "COMMENTS", 1)
    problems = [problem(3, ID_COLUMN, "一"), problem(4, ID_COLUMN, "二")]
    # when the copy is made
    sheet = annotated(problems)["城关镇"]
    # then both are filled but only the first is commented
    first, second = sheet.cell(3, ID_COLUMN + 1), sheet.cell(4, ID_COLUMN + 1)
    assert first.fill.fgColor.rgb == second.fill.fgColor.rgb == RED
    assert first.comment is not None and second.comment is None
