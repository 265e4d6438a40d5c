"""Stage 1, read: every format to the same cells, Excel row numbers kept, limits enforced."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from households.registry import read
from households.registry.errors import FileRefused
from tests.households.registry import workbooks

Builder = Callable[[dict[str, list[list[Any]]]], bytes]

TEXT_ROWS: list[list[Any]] = [
    ["清河县建档立卡贫困人口花名册"],
    [],
    ["", "户编号", "户主姓名", "证件号码"],
    ["", "1001", "张三", "13053419600312001X"],
    ["", "1002", "李四", ""],
]
# Every row padded to the widest; blank rows and cells are ''.
TEXT_CELLS = [
    ["清河县建档立卡贫困人口花名册", "", "", ""],
    ["", "", "", ""],
    ["", "户编号", "户主姓名", "证件号码"],
    ["", "1001", "张三", "13053419600312001X"],
    ["", "1002", "李四", ""],
]

WORKBOOK_BUILDERS: dict[str, Builder] = {
    "xlsx": workbooks.xlsx,
    "xls": workbooks.xls,
    "ods": workbooks.ods,
}
TEXT_BUILDERS: dict[str, Builder] = {
    **WORKBOOK_BUILDERS,
    "csv utf-8": lambda sheets: workbooks.csv_bytes(sheets["花名册"], "utf-8"),
    "csv utf-8 with BOM": lambda sheets: workbooks.csv_bytes(sheets["花名册"], "utf-8-sig"),
    "csv gb18030": lambda sheets: workbooks.csv_bytes(sheets["花名册"], "gb18030"),
}


@pytest.mark.parametrize("kind", TEXT_BUILDERS)
def test_every_format_reads_to_the_same_cells(kind: str) -> None:
    # given the same title, blank row and table in each format
    data = TEXT_BUILDERS[kind]({"花名册": TEXT_ROWS})

    # when it is read
    sheets = read.read_bytes(data, "花名册.file")

    # then one sheet holds the same cells, row i being Excel row i + 1
    assert [(sheet.file_name, sheet.name) for sheet in sheets] == [("花名册.file", "花名册")]
    assert sheets[0].rows == TEXT_CELLS


@pytest.mark.parametrize("kind", WORKBOOK_BUILDERS)
def test_numbers_dates_and_booleans_keep_their_types(kind: str) -> None:
    # given typed cells
    row = ["文本", 3, 2.5, dt.date(1965, 3, 12), dt.datetime(2020, 1, 2, 3, 4, 5), True]
    data = WORKBOOK_BUILDERS[kind]({"S": [row]})

    # when it is read
    cells = read.read_bytes(data, "typed")[0].rows[0]

    # then the values come back as numbers, dates and booleans (3 may come back as 3.0)
    assert cells == row
    assert [type(value) for value in cells[3:]] == [dt.date, dt.datetime, bool]


def test_csv_cells_stay_strings() -> None:
    # given a CSV with numbers and a date
    data = workbooks.csv_bytes([["1001", "3", "1965-03-12"]])

    # when it is read
    rows = read.read_bytes(data, "registry.csv")[0].rows

    # then nothing is converted
    assert rows == [["1001", "3", "1965-03-12"]]


def test_csv_short_rows_are_padded_and_tabs_detected() -> None:
    # given tab-separated text, as some report systems export under an .xls name
    data = "户编号\t姓名\t证件号码\n1001\t张三\n\n".encode("gb18030")

    # when it is read
    sheet = read.read_bytes(data, "export.xls")[0]

    # then it splits on tabs and every row has the same width
    assert sheet.name == "export"
    assert sheet.rows == [["户编号", "姓名", "证件号码"], ["1001", "张三", ""], ["", "", ""]]


@pytest.mark.parametrize("kind", WORKBOOK_BUILDERS)
def test_leading_blank_rows_and_columns_keep_excel_positions(kind: str) -> None:
    # given a value at C3 and another at D5, with nothing above or left of them
    rows = [[], [], ["", "", "C3"], [], ["", "", "", "D5"]]
    data = WORKBOOK_BUILDERS[kind]({"S": rows})

    # when it is read
    cells = read.read_bytes(data, "blank-start")[0].rows

    # then the values are at their Excel positions
    assert len(cells) == 5
    assert cells[2][2] == "C3"
    assert cells[4][3] == "D5"
    assert cells[0] == ["", "", "", ""]


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_merged_ranges_are_kept_zero_based_inclusive(kind: str) -> None:
    # given a group header merged over B1:C1 and a household cell merged over A2:A4
    rows = [["", "户基本情况", ""], ["1001", "张三", "李梅"], ["", "", "张强"], ["", "", "张丽"]]
    data = WORKBOOK_BUILDERS[kind]({"S": rows}, {"S": ["B1:C1", "A2:A4"]})

    # when it is read
    sheet = read.read_bytes(data, "merged")[0]

    # then both ranges are reported as (first_row, first_col, last_row, last_col)
    assert sorted(sheet.merged) == [(0, 1, 0, 2), (1, 0, 3, 0)]
    assert sheet.rows[1][0] == "1001"
    assert sheet.rows[2][0] == ""


def test_merged_ranges_of_ods_are_not_reported() -> None:
    # given an .ods with a merged household cell (calamine does not report ODS merges)
    rows = [["1001", "张三"], ["", "李梅"]]
    data = workbooks.ods({"S": rows}, {"S": ["A1:A2"]})

    # when it is read
    sheet = read.read_bytes(data, "merged.ods")[0]

    # then the cells are read but no range is given; the fill stage fills the blank cells
    assert sheet.merged == []
    assert sheet.rows == [["1001", "张三"], ["", "李梅"]]


def test_a_wrong_declared_dimension_does_not_cut_rows() -> None:
    # given a sheet of 50 rows whose XML declares it spans only A1:B2
    data = workbooks.xlsx({"S": [[f"第{number}行", number] for number in range(1, 51)]})
    data = _rewrite_member(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', xml),
    )
    assert b'<dimension ref="A1:B2"/>' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )

    # when it is read
    rows = read.read_bytes(data, "dimension.xlsx")[0].rows

    # then every row is there
    assert len(rows) == 50
    assert rows[49] == ["第50行", 50]


def test_every_worksheet_is_read_in_workbook_order_and_charts_skipped() -> None:
    # given two township sheets, a notes sheet and a chart sheet
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "城关镇"
    workbook.active.append(["1001"])
    workbook.create_sheet("填表说明").append(["说明"])
    workbook.create_chartsheet("图表")
    workbook.create_sheet("东关乡").append(["2001", "张三"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when it is read
    sheets = read.read_bytes(buffer.getvalue(), "towns.xlsx")

    # then the three worksheets come back in order, each with its own cells
    assert [(sheet.name, sheet.rows) for sheet in sheets] == [
        ("城关镇", [["1001"]]),
        ("填表说明", [["说明"]]),
        ("东关乡", [["2001", "张三"]]),
    ]


def test_time_cells_become_text() -> None:
    # given a time-formatted cell, which calamine gives as datetime.time
    data = workbooks.xlsx({"S": [["10:30", dt.time(10, 30)]]})

    # when it is read
    rows = read.read_bytes(data, "time.xlsx")[0].rows

    # then later stages see text, not a time object
    assert rows == [["10:30", "10:30:00"]]


def test_the_bytes_decide_the_format_not_the_extension() -> None:
    # given a real workbook named .csv and a CSV named .xlsx
    workbook = workbooks.xlsx({"S": [["户编号"]]})
    text = workbooks.csv_bytes([["户编号"]])

    # when both are read
    from_workbook = read.read_bytes(workbook, "registry.csv")
    from_text = read.read_bytes(text, "registry.xlsx")

    # then each is read by what it is
    assert (from_workbook[0].name, from_workbook[0].rows) == ("S", [["户编号"]])
    assert (from_text[0].name, from_text[0].rows) == ("registry", [["户编号"]])


def test_text_in_neither_utf8_nor_gb18030_is_refused() -> None:
    # given bytes that are valid in neither encoding (0xFF never starts a GB18030 character)
    data = b"a,b\n\xff\xfe\xff,1\n"

    # when it is read, then it is refused naming the encodings tried
    with pytest.raises(FileRefused, match="UTF-8.*GBK/GB18030"):
        read.read_bytes(data, "weird.csv")


@pytest.mark.parametrize("kind", ["xlsx", "csv utf-8"])
def test_too_many_rows_are_refused_naming_the_sheet(kind: str, settings: Any) -> None:
    # given a limit of 3 rows and a sheet of 4
    settings.REGISTRY_MAX_ROWS = 3
    data = TEXT_BUILDERS[kind]({"花名册": [["1"], ["2"], ["3"], ["4"]]})

    # when it is read, then it is refused with the sheet, the count and the limit
    with pytest.raises(FileRefused, match="工作表“花名册”有4行，超过上限3行"):
        read.read_bytes(data, "花名册.csv")


@pytest.mark.parametrize("kind", ["xls", "csv gb18030"])
def test_too_many_columns_are_refused_naming_the_sheet(kind: str, settings: Any) -> None:
    # given a limit of 2 columns and a sheet whose third column holds a value
    settings.REGISTRY_MAX_COLUMNS = 2
    data = TEXT_BUILDERS[kind]({"花名册": [["a"], ["b", "", "c"]]})

    # when it is read, then it is refused with the sheet, the count and the limit
    with pytest.raises(FileRefused, match="工作表“花名册”有3列，超过上限2列"):
        read.read_bytes(data, "花名册.csv")


def test_a_corrupt_sheet_is_refused_without_a_traceback() -> None:
    # given a workbook whose sheet XML is cut off mid-element
    data = _rewrite_member(
        workbooks.xlsx({"S": [["a"]]}),
        "xl/worksheets/sheet1.xml",
        lambda xml: b'<worksheet><sheetData><row><c r="A1" t="s"><v>0</v></c',
    )

    # when it is read, then it is refused as damaged
    with pytest.raises(FileRefused, match="已损坏") as refused:
        read.read_bytes(data, "broken.xlsx")
    assert refused.value.file_name == "broken.xlsx"


def test_read_path_reads_a_file_on_disk(tmp_path: Path) -> None:
    # given a workbook saved to disk
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(workbooks.xlsx({"花名册": [["户编号"], ["1001"]]}))

    # when it is read by path
    sheets = read.read_path(path)

    # then the sheet is named after the file it came from
    assert [(sheet.file_name, sheet.rows) for sheet in sheets] == [
        ("花名册.xlsx", [["户编号"], ["1001"]])
    ]


def test_read_path_refuses_an_oversized_file_by_its_size(tmp_path: Path, settings: Any) -> None:
    # given a 1 MB limit and a file just over it
    settings.REGISTRY_MAX_UPLOAD_BYTES = 1024 * 1024
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * (1024 * 1024 // 4 + 1))

    # when it is read by path, then it is refused with the limit in MB
    with pytest.raises(FileRefused, match="超过上限1MB"):
        read.read_path(path)


def _rewrite_member(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """The zip `data` with member `name` replaced by `change(content)`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, change(content) if info.filename == name else content)
    return buffer.getvalue()
