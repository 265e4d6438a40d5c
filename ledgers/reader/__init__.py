"""An uploaded ledger workbook back to booklets: every value found by its label, never by position.

The stamp names the sheet of each household and holds the booklet as exported (the base). On
each sheet, a section is found by its title anywhere on the sheet and runs to the next title; a
field's value is the first filled cell to the right of its label; a table's header is the row of
the section holding most of its labels, so inserted rows, moved or widened columns and extra
columns still read. A table row's record is its 记录号 cell: a row without one is new, and a
duplicated or foreign one is read as new too, with a warning. Problems name the sheet and cell.
A file that is not a PovertyOps ledger at all is refused with `LedgerRefused`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from households.registry import safety
from households.registry.errors import FileRefused
from ledgers.booklet import Booklet
from ledgers.reader.sheet import Cells, Problem, SheetReader, normalise
from ledgers.stamp import (
    MISSING,
    LedgerRefused,
    Stamp,
    StampedHousehold,
    StampError,
    read_stamp,
)
from ledgers.stamp import SHEET as STAMP_SHEET
from ledgers.workbook import INDEX_SHEET

__all__ = [
    "LedgerFile",
    "LedgerRefused",
    "LedgerSheet",
    "Problem",
    "StampError",
    "normalise",
    "read_ledger_workbook",
]

NOT_WORKBOOK = "一户一册须为系统导出的Excel工作簿(.xlsx)，这个文件是{kind}文件"
_KIND_NAMES = {"csv": "CSV文本", "xls": "Excel 97-2003(.xls)", "ods": "OpenDocument表格(.ods)"}


@dataclass
class LedgerSheet:
    """One household's sheet, read without errors: its booklet as edited, and where each value
    was read, for the preview."""

    household: StampedHousehold
    booklet: Booklet
    places: dict[tuple[str, int], str]  # (table key, index in its rows) → "第17行"
    field_places: dict[str, str]  # field column key → "单元格D17"

    @property
    def sheet(self) -> str:
        return self.household.sheet

    @property
    def base(self) -> Booklet:
        return self.household.base


@dataclass
class LedgerFile:
    stamp: Stamp
    sheets: dict[int, LedgerSheet]  # household id → its sheet; absent when it had errors
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_ledger_workbook(data: bytes, *, file_name: str = "") -> LedgerFile:
    """Read an uploaded ledger; raises `LedgerRefused` for a file that is not one."""
    try:
        kind = safety.sniff(data, file_name)
    except FileRefused as refusal:
        raise LedgerRefused(refusal.reason, file_name=file_name) from refusal
    if kind != "xlsx":
        raise LedgerRefused(NOT_WORKBOOK.format(kind=_KIND_NAMES[kind]), file_name=file_name)
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
            stamp = _stamp(workbook, names, file_name)
            ledger = LedgerFile(stamp, {}, warnings=_extra_sheets(names, stamp))
            for household in stamp.households:
                _read_household(workbook, names, household, ledger)
    except CalamineError as error:
        raise LedgerRefused(safety.DAMAGED, file_name=file_name) from error
    return ledger


def _stamp(workbook: CalamineWorkbook, names: list[str], file_name: str) -> Stamp:
    if STAMP_SHEET not in names:
        listed = "、".join(f"“{name}”" for name in names[:5])
        raise StampError(f"{MISSING}；文件中的工作表：{listed}", file_name=file_name)
    cells = [row[0] for row in workbook.get_sheet_by_name(STAMP_SHEET).to_python() if row]
    try:
        return read_stamp(cells)
    except StampError as error:
        raise StampError(f"{error.reason}（工作表“{STAMP_SHEET}”）", file_name=file_name) from error


def _extra_sheets(names: list[str], stamp: Stamp) -> list[Problem]:
    known = {household.sheet for household in stamp.households} | {INDEX_SHEET, STAMP_SHEET}
    return [
        Problem(name, "", f"工作表“{name}”不是导出时的户工作表，已忽略")
        for name in names
        if name not in known
    ]


def _read_household(
    workbook: CalamineWorkbook, names: list[str], household: StampedHousehold, ledger: LedgerFile
) -> None:
    if household.sheet not in names:
        message = (
            f"找不到工作表“{household.sheet}”（户编号{household.household_number}），"
            "可能已被删除或改名"
        )
        ledger.errors.append(Problem(household.sheet, "", message, household.household_id))
        return
    sheet = workbook.get_sheet_by_name(household.sheet)
    reader = SheetReader(Cells(sheet.to_python(), sheet.start), household)
    booklet = reader.read()
    ledger.errors += reader.errors
    ledger.warnings += reader.warnings
    if booklet is not None:
        ledger.sheets[household.household_id] = LedgerSheet(
            household, booklet, reader.places, reader.field_places
        )
