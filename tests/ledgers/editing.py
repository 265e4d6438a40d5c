"""A household's ledger exported, edited the way a first secretary edits it in Excel, read back."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from households.models import Household
from ledgers.content import booklet_for
from ledgers.workbook import write_household_workbook, write_village_workbook
from tests.ledgers.booklets import find, table_rows


def exported(household: Household, *, full_ids: bool = False) -> bytes:
    out = io.BytesIO()
    write_household_workbook(booklet_for(household, full_ids=full_ids), out)
    return out.getvalue()


def exported_village(households: list[Household]) -> bytes:
    out = io.BytesIO()
    booklets = [booklet_for(household) for household in households]
    write_village_workbook(booklets, out, title="第一村 一户一册")
    return out.getvalue()


def edit(data: bytes, change: Callable[[Worksheet], None], *, sheet: int = 0) -> bytes:
    """`data` after `change` was made to one household's sheet and the file saved again."""
    workbook: Workbook = load_workbook(io.BytesIO(data))
    change(workbook.worksheets[sheet])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row_of(sheet: Worksheet, title: str, first_cell: str) -> tuple[int, dict[str, int]]:
    """The row of a table (under section `title`) whose first column reads `first_cell`."""
    header, columns = table_rows(sheet, title)
    row, _ = find(sheet, first_cell, after=header)
    return row, columns


def set_in_row(sheet: Worksheet, title: str, first_cell: str, label: str, value: object) -> None:
    row, columns = row_of(sheet, title, first_cell)
    sheet.cell(row, columns[label]).value = value


def set_field(sheet: Worksheet, label: str, value: object) -> None:
    """A form field's value: the first cell right of its label's (merged) cell."""
    row, column = find(sheet, label)
    column += 1
    while isinstance(sheet.cell(row, column), MergedCell):
        column += 1
    sheet.cell(row, column).value = value


def fill_blank_row(sheet: Worksheet, title: str, values: dict[str, object]) -> int:
    """Write `values` (by header label) into the table's first empty printed line."""
    header, columns = table_rows(sheet, title)
    row = header + 1
    while any(sheet.cell(row, c).value not in (None, "") for c in columns.values()):
        row += 1
    for label, value in values.items():
        sheet.cell(row, columns[label]).value = value
    return row


def insert_row_after(
    sheet: Worksheet, title: str, first_cell: str, values: dict[str, object]
) -> None:
    """Insert a new line below a table row, as Excel's 插入行 does, and fill it."""
    row, columns = row_of(sheet, title, first_cell)
    sheet.insert_rows(row + 1)
    for label, value in values.items():
        sheet.cell(row + 1, columns[label]).value = value
