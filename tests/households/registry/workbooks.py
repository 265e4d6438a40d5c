"""Build registry workbooks in code, in every format the reader accepts (no binary fixtures)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from households.registry.columns import HEADERS

Sheets = dict[str, list[list[Any]]]
Merges = dict[str, list[str]]  # sheet → ranges in A1 notation, e.g. "A3:A5"


def xlsx(sheets: Sheets, merged: Merges | None = None) -> bytes:
    """An .xlsx file holding `sheets` (rows of cell values) with the given merged ranges."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merged or {}).get(name, []):
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def canonical(rows: list[list[Any]], sheet: str = "花名册") -> bytes:
    """A canonical workbook: the contract's header row, then `rows`."""
    return xlsx({sheet: [list(HEADERS), *rows]})


def person_id(birth: str, sequence: int, area: str = "130534") -> str:
    """A valid 18-character ID for a birth date `YYYY-MM-DD`; odd sequence → man."""
    import datetime as dt

    from households import idnumbers

    return idnumbers.make(area, dt.date.fromisoformat(birth), sequence)


def household_rows(
    number: str = "1001",
    *,
    county: str = "清河县",
    township: str = "城关镇",
    village: str = "东关村",
    head: str = "张三",
    status: str = "未脱贫",
    exit_year: Any = "",
    first_sequence: int = 11,
    members: int = 2,
) -> list[list[Any]]:
    """Canonical rows of one valid household: a male head born 1960, then a wife and children."""
    people = [
        (head, "户主", "男", "1960-03-12"),
        ("李梅", "配偶", "女", "1962-07-01"),
        ("张强", "之子", "男", "1988-10-20"),
        ("张丽", "之女", "女", "1991-05-05"),
    ][:members]
    rows = []
    for index, (name, relation, sex, birth) in enumerate(people):
        sequence = first_sequence + 2 * index + (0 if sex == "男" else 1)
        household = [
            county, township, village, "一组", number, head, members, "国家标准",
            "一般贫困户", "因病", "", status, 2014, exit_year, "3500.50", "13812345678", "",
        ]  # fmt: skip
        member = [
            name, person_id(birth, sequence), relation, sex, "汉族", birth, "初中", "非在校生",
            "健康", "普通劳动力", "未务工", 0, "是", "是",
        ]  # fmt: skip
        rows.append(household + member)
    return rows


def xls(sheets: Sheets, merged: Merges | None = None) -> bytes:
    """An Excel 97-2003 .xls file (xlwt) holding `sheets`, with the given merged ranges."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        covered = _covered_cells((merged or {}).get(name, []))
        for row_index, row in enumerate(rows):
            for col_index, value in enumerate(row):
                if (row_index, col_index) not in covered and value not in (None, ""):
                    sheet.write(row_index, col_index, value, _xls_style(value))
        for first_row, first_col, last_row, last_col in _ranges((merged or {}).get(name, [])):
            sheet.merge(first_row, last_row, first_col, last_col)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(sheets: Sheets, merged: Merges | None = None) -> bytes:
    """An OpenDocument .ods file (odfpy) holding `sheets`, with the given merged ranges."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableRow

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        ranges = _ranges((merged or {}).get(name, []))
        spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in ranges}
        covered = _covered_cells((merged or {}).get(name, []))
        for row_index, row in enumerate(rows):
            table_row = TableRow()
            for col_index, value in enumerate(row or [""]):
                if (row_index, col_index) in covered:
                    table_row.addElement(CoveredTableCell())
                    continue
                table_row.addElement(_ods_cell(value, spans.get((row_index, col_index))))
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    """A CSV file of `rows` in `encoding` ("utf-8", "utf-8-sig", "gb18030", …)."""
    import csv

    text = io.StringIO(newline="")
    csv.writer(text).writerows([["" if value is None else value for value in row] for row in rows])
    return text.getvalue().encode(encoding)


def _ranges(cell_ranges: list[str]) -> list[tuple[int, int, int, int]]:
    """A1-notation ranges as 0-based (first_row, first_col, last_row, last_col)."""
    from openpyxl.utils.cell import range_boundaries

    result = []
    for cell_range in cell_ranges:
        min_col, min_row, max_col, max_row = range_boundaries(cell_range)
        result.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return result


def _covered_cells(cell_ranges: list[str]) -> set[tuple[int, int]]:
    """Cells hidden under a merge: all of each range but its top-left cell."""
    covered = set()
    for first_row, first_col, last_row, last_col in _ranges(cell_ranges):
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                covered.add((row, col))
        covered.discard((first_row, first_col))
    return covered


def _xls_style(value: Any) -> Any:
    import datetime as dt

    import xlwt

    if isinstance(value, dt.datetime):
        return xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")
    if isinstance(value, dt.date):
        return xlwt.easyxf(num_format_str="YYYY-MM-DD")
    return xlwt.Style.default_style


def _ods_cell(value: Any, span: tuple[int, int] | None) -> Any:
    import datetime as dt

    from odf.table import TableCell
    from odf.text import P

    attributes: dict[str, Any] = {}
    if span:
        attributes = {"numberrowsspanned": span[0], "numbercolumnsspanned": span[1]}
    if value is None or value == "":
        return TableCell(**attributes)
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attributes)
    elif isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value, **attributes)
    else:
        cell = TableCell(valuetype="string", **attributes)
    cell.addElement(P(text=str(value)))
    return cell
