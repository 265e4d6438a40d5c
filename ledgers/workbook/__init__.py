"""Booklets to an .xlsx workbook laid out for A4 printing, with the signed stamp.

One household is one sheet: the household's title row (repeated on every printed page), the
cover, then each section as its title row, its note, and either label/value pairs or a table
with a header row. A table's rows carry their record (`member:12`) in a last, hidden column
headed 记录号, shared by all the tables of the sheet, so a row the user inserts has no record and
is read back as new. The reader finds everything by its label, never by its position.

Cells hold what the booklet prints: identifiers, phones and 户编号 as text, amounts as numbers
with two places (they read back through `canonical`), dates as "YYYY-MM-DD" text, and no text
is ever a formula. The household sheets' cells go through `cells.SheetRows` (rows of XML written
directly, several times faster than cell by cell); the index and stamp sheets use xlsxwriter's API.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from xlsxwriter import Workbook

from ledgers.booklet import Booklet
from ledgers.stamp import SHEET as STAMP_SHEET
from ledgers.stamp import SheetNames, StampWriter
from ledgers.workbook.cells import CellSheet
from ledgers.workbook.household import HouseholdLayout, SheetPlans
from ledgers.workbook.styles import Styles

Output = str | Path | IO[bytes]

INDEX_SHEET = "目录"

# Household sheets are A4 landscape scaled to one page wide: the member and income tables have
# 18 and 19 columns, which portrait could only print at an unreadable scale; landscape prints
# them at about 63% (text columns wrap at 12 characters to keep it so). Excel ignores manual
# page breaks once a sheet is scaled to fit, so no section is forced onto a new page; the
# household's title row repeats on every page instead. The index is a narrow list: portrait.
_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.7, "bottom": 0.6}
_HEADER_MARGIN = {"margin": 0.3}
_FOOTER = "&C第 &P 页，共 &N 页"


def write_household_workbook(
    booklet: Booklet, out: Output, *, exported_by: int | None = None
) -> None:
    """One household's ledger: its sheet, then the very hidden stamp sheet."""
    with _LedgerWorkbook(out, exported_by=exported_by, full_ids=booklet.full_ids) as book:
        book.add_household(booklet)


def write_village_workbook(
    booklets: Iterable[Booklet], out: Output, *, title: str, exported_by: int | None = None
) -> None:
    """A village's ledgers: the index sheet 目录, a sheet per household, the stamp sheet.

    `booklets` may be a generator: each booklet is written as it comes and only its values are
    kept, for the stamp."""
    booklets = iter(booklets)
    first = next(booklets, None)
    full_ids = first.full_ids if first is not None else False
    with _LedgerWorkbook(out, exported_by=exported_by, full_ids=full_ids) as book:
        index = _Index(book, title)
        for booklet in _chain(first, booklets):
            index.add(booklet, book.add_household(booklet))


def _chain(first: Booklet | None, rest: Iterator[Booklet]) -> Iterator[Booklet]:
    if first is not None:
        yield first
    yield from rest


class _LedgerWorkbook:
    def __init__(self, out: Output, *, exported_by: int | None, full_ids: bool) -> None:
        # in_memory keeps each sheet's XML in memory rather than in a temporary file per sheet,
        # which is faster for hundreds of small sheets; a village's workbook is a few megabytes.
        self.workbook = Workbook(
            str(out) if isinstance(out, Path) else out,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.workbook.set_properties({"title": "扶贫手册（一户一册）", "author": "PovertyOps"})
        self.styles = Styles(self.workbook)
        self.plans = SheetPlans(self.styles)
        self.names = SheetNames()
        self.stamp = StampWriter(user_id=exported_by, full_ids=full_ids)

    def __enter__(self) -> _LedgerWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        # On an error nothing is written: a workbook without its stamp could not be imported.
        if exc[0] is None:
            _write_stamp(self.workbook, self.stamp.cells())
            self.workbook.close()

    def add_household(self, booklet: Booklet) -> str:
        name = self.names.for_booklet(booklet)
        sheet = self.workbook.add_worksheet(name, worksheet_class=CellSheet)
        HouseholdLayout(sheet, self.plans, booklet).write()
        _print_setup(sheet, booklet.title, landscape=True)
        sheet.repeat_rows(0)
        self.stamp.add(booklet, sheet=name)
        return name


def _write_stamp(workbook: Any, cells: list[str]) -> None:
    sheet = workbook.add_worksheet(STAMP_SHEET)
    for row, cell in enumerate(cells):
        sheet.write_string(row, 0, cell)
    sheet.very_hidden()  # Excel and WPS can only unhide it with a macro


def _print_setup(sheet: Any, title: str, *, landscape: bool) -> None:
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    sheet.set_margins(**_MARGINS)
    sheet.center_horizontally()
    # "&" starts a header code, so a literal one is doubled; a header holds 255 characters.
    sheet.set_header("&C" + title.replace("&", "&&")[:240], _HEADER_MARGIN)
    sheet.set_footer(_FOOTER, _HEADER_MARGIN)


# The index sheet


_INDEX_COLUMNS = (
    ("户编号", 18), ("户主", 10), ("自然村", 14), ("人口", 6), ("户状态", 12), ("工作表", 22)
)  # fmt: skip
_INDEX_KEYS = ("household.hamlet", "computed.household_size", "household.status")
SIZE_AT = 3  # 人口's column


class _Index:
    """目录: a row per household with a link to its sheet, in export order."""

    def __init__(self, book: _LedgerWorkbook, title: str) -> None:
        self.sheet = sheet = book.workbook.add_worksheet(INDEX_SHEET)
        self.formats = book.styles.formats
        self.row = 2
        last = len(_INDEX_COLUMNS) - 1
        sheet.merge_range(0, 0, 0, last, None, self.formats["household_title"])
        sheet.write_string(0, 0, title, self.formats["household_title"])
        sheet.set_row(0, 24)
        for index, (label, width) in enumerate(_INDEX_COLUMNS):
            sheet.set_column(index, index, width)
            sheet.write_string(1, index, label, self.formats["header"])
        _print_setup(sheet, title, landscape=False)
        sheet.repeat_rows(0, 1)
        sheet.activate()

    def add(self, booklet: Booklet, sheet_name: str) -> None:
        values = {item.column.key: item.value for s in booklet.sections for item in s.fields}
        cells = [booklet.household_number, booklet.head_name]
        cells += [values.get(key, "") for key in _INDEX_KEYS]
        for index, text in enumerate(cells):
            if index == SIZE_AT and text.isdigit():  # a number, so the index sums and sorts
                self.sheet.write_number(self.row, index, int(text), self.formats["index_cell"])
            else:
                self.sheet.write_string(self.row, index, text, self.formats["index_cell"])
        # Sheet names never hold an apostrophe (SheetNames drops it), so quoting is enough.
        link = f"internal:'{sheet_name}'!A1"
        self.sheet.write_url(self.row, len(cells), link, self.formats["link"], sheet_name)
        self.row += 1
