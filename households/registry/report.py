"""Stage 7, report: the annotated copy of an uploaded workbook, to fix in Excel and upload again.

Every sheet is written back with its cells where they were, so that "第N行" in the error list is
row N of the copy; merged ranges are re-applied. Cells with an error are filled light red and
those with a warning light yellow, each with its message as a comment (the first COMMENTS of
them); a last column `错误说明` sums up each row's problems, and a last sheet `错误清单` lists them
all. The copy keeps the original headers, so the reader takes it back as it took the original.

xlsxwriter writes it in constant-memory mode (a row goes to disk as soon as the next starts):
about as fast as xlsxwriter gets and flat in memory. The one constraint is that a row is written
completely before the next, which the loop below respects, merges included.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import OverlappingRange
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from households.registry.errors import RowError
from households.registry.read import MergedRange, RawSheet

NOTE_HEADER = "错误说明"
LIST_SHEET = "错误清单"
LIST_HEADERS = ("工作表", "行号", "列", "值", "类型", "说明", "户编号")
COMMENTS = 2000  # xlsxwriter keeps comments in memory and writes each as a VML shape: slow
ERROR_FILL, WARNING_FILL = "#FFC7CE", "#FFEB9C"  # Excel's own "light red" and "yellow" fills
DATE_FORMAT = "yyyy-mm-dd"
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # Every str is written as a string cell: an ID stays text, "=…" is never a formula.
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "default_date_format": DATE_FORMAT,
}
INVALID_SHEET_CHARACTERS = str.maketrans({char: "_" for char in "[]:*?/\\"})


class _Styles:
    """The few formats of the copy, made once per workbook."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        def add(**properties: Any) -> Format:
            return workbook.add_format(properties)

        self.fills = {
            (is_error, is_date): add(
                bg_color=ERROR_FILL if is_error else WARNING_FILL,
                num_format=DATE_FORMAT if is_date else "General",
            )
            for is_error in (True, False)
            for is_date in (True, False)
        }
        self.header = add(bold=True, bg_color="#DDEBF7", text_wrap=True)
        self.notes = {True: add(font_color="#9C0006"), False: add(font_color="#9C5700")}

    def fill(self, *, is_error: bool, value: Any) -> Format:
        return self.fills[is_error, isinstance(value, dt.date)]


def annotated_workbook(
    sheets: list[RawSheet], problems: list[RowError], header_rows: dict[str, int]
) -> bytes:
    """The annotated copy of one uploaded file, as .xlsx bytes.

    `problems` are this file's errors and warnings; `header_rows` gives, per sheet name, the
    0-based index of its header row (sheets not in it get no `错误说明` column).
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    annotator = _Annotator(_Styles(workbook), _problems_by_row(problems))
    taken: set[str] = set()
    # The list of an earlier copy, uploaded again after fixes, gives way to the new one.
    for sheet in (sheet for sheet in sheets if not _is_problem_list(sheet)):
        worksheet = workbook.add_worksheet(_sheet_name(sheet.name, taken))
        annotator.copy(worksheet, sheet, header_rows.get(sheet.name))
    _problem_list(
        workbook.add_worksheet(_sheet_name(LIST_SHEET, taken)), annotator.styles, problems, sheets
    )
    workbook.close()
    return buffer.getvalue()


def _is_problem_list(sheet: RawSheet) -> bool:
    first = sheet.rows[0] if sheet.rows else []
    return sheet.name == LIST_SHEET and tuple(first[: len(LIST_HEADERS)]) == LIST_HEADERS


def _problems_by_row(problems: Iterable[RowError]) -> dict[str, dict[int, list[RowError]]]:
    """sheet → Excel row → its problems, errors first; problems of no row are left out."""
    by_row: dict[str, dict[int, list[RowError]]] = defaultdict(lambda: defaultdict(list))
    for problem in sorted(problems, key=lambda problem: problem.is_warning):
        if problem.row > 0:
            by_row[problem.sheet][problem.row].append(problem)
    return by_row


def _sheet_name(name: str, taken: set[str]) -> str:
    """`name` as Excel allows it (31 characters, none of []:*?/\\), unique in the workbook."""
    base = (name.translate(INVALID_SHEET_CHARACTERS).strip("'") or "工作表")[:31]
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f"（{number}）"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


class _Annotator:
    """Copies sheets with their problems marked; comments are counted across all sheets."""

    def __init__(self, styles: _Styles, problems: dict[str, dict[int, list[RowError]]]) -> None:
        self.styles = styles
        self.problems = problems
        self.comments_left = COMMENTS

    def copy(self, worksheet: Worksheet, sheet: RawSheet, header: int | None) -> None:
        """Write `sheet` back row by row, with its merges, marks and the notes column."""
        notes = _notes_column(sheet, header)
        _layout(worksheet, sheet, header, notes)
        merges = _merges_by_first_row(sheet.merged)
        problems = self.problems.get(sheet.name, {})
        for index, row in enumerate(sheet.rows):
            for cell_range in merges.get(index, ()):
                _merge(worksheet, cell_range)
            if header is not None and index > header and notes < len(row) and row[notes]:
                row = [*row[:notes], "", *row[notes + 1 :]]  # an earlier copy's stale note
            worksheet.write_row(index, 0, row)
            if index == header:
                worksheet.write_string(index, notes, NOTE_HEADER, self.styles.header)
            row_problems = problems.get(index + 1)
            if row_problems:
                self.mark(worksheet, index, row, row_problems)
                if header is not None and index != header:
                    self.note(worksheet, index, notes, row_problems)
        for first_row in sorted(row for row in merges if row >= len(sheet.rows)):
            for cell_range in merges[first_row]:  # blank merged cells below the last value
                _merge(worksheet, cell_range)

    def mark(
        self, worksheet: Worksheet, index: int, row: list[Any], problems: list[RowError]
    ) -> None:
        """Fill each cell with a problem (red over yellow) and comment it with its messages."""
        cells: dict[int, list[RowError]] = defaultdict(list)
        for problem in problems:  # errors come first
            if 0 <= problem.col < len(row):
                cells[problem.col].append(problem)
        for col, cell_problems in cells.items():
            value = row[col]
            is_error = not cell_problems[0].is_warning
            worksheet.write(index, col, value, self.styles.fill(is_error=is_error, value=value))
            if self.comments_left > 0:
                self.comments_left -= 1
                text = "\n".join(_describe(problem) for problem in cell_problems)
                worksheet.write_comment(index, col, text, {"x_scale": 2, "y_scale": 1.5})

    def note(self, worksheet: Worksheet, index: int, col: int, problems: list[RowError]) -> None:
        """The row's `错误说明`: every message, errors first."""
        text = "；".join(_describe(problem) for problem in problems)
        worksheet.write_string(index, col, text, self.styles.notes[not problems[0].is_warning])


def _notes_column(sheet: RawSheet, header: int | None) -> int:
    """The `错误说明` column: an earlier copy's, or a new one after the last column."""
    if header is not None and header < len(sheet.rows) and NOTE_HEADER in sheet.rows[header]:
        return sheet.rows[header].index(NOTE_HEADER)
    return max((len(row) for row in sheet.rows), default=0)


def _layout(worksheet: Worksheet, sheet: RawSheet, header: int | None, notes: int) -> None:
    """Column widths from the header row's texts; the header frozen on screen."""
    if header is None or header >= len(sheet.rows):
        worksheet.set_column(0, max(notes - 1, 0), 12)
        return
    for index, title in enumerate(sheet.rows[header]):
        worksheet.set_column(index, index, min(max(_display_width(str(title)) + 2, 8), 30))
    worksheet.set_column(notes, notes, 60)
    worksheet.freeze_panes(header + 1, 0)


def _display_width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _merges_by_first_row(merged: list[MergedRange]) -> dict[int, list[MergedRange]]:
    by_row: dict[int, list[MergedRange]] = defaultdict(list)
    for cell_range in merged:
        if cell_range[:2] != cell_range[2:]:  # Excel refuses a one-cell "merge"
            by_row[cell_range[0]].append(cell_range)
    return by_row


def _merge(worksheet: Worksheet, cell_range: MergedRange) -> None:
    """Record a merged range before its first row is written.

    With no value and no format, merge_range only records the range: it writes no cell, so no
    later row is started early (constant-memory mode would then drop this row's cells). The first
    cell gets its value when the row is written right after.
    """
    try:
        worksheet.merge_range(*cell_range, "", None)
    except OverlappingRange:
        pass  # a damaged file's overlapping merges: Excel would refuse the copy, keep the first


def _describe(problem: RowError) -> str:
    kind = "警告" if problem.is_warning else "错误"
    column = f"【{problem.column}】" if problem.column else ""
    return f"{kind}：{column}{problem.message}"


def _problem_list(
    worksheet: Worksheet, styles: _Styles, problems: list[RowError], sheets: list[RawSheet]
) -> None:
    """The `错误清单` sheet: every problem, by sheet and row, row-less ones included."""
    order = {sheet.name: position for position, sheet in enumerate(sheets)}
    listed = sorted(problems, key=lambda p: (order.get(p.sheet, len(order)), p.row, p.is_warning))
    worksheet.write_row(0, 0, LIST_HEADERS, styles.header)
    for width, col in zip((16, 8, 16, 24, 8, 60, 22), range(len(LIST_HEADERS)), strict=True):
        worksheet.set_column(col, col, width)
    worksheet.freeze_panes(1, 0)
    for index, problem in enumerate(listed, start=1):
        kind = "警告" if problem.is_warning else "错误"
        where = [problem.sheet, problem.row or None, problem.column, problem.value]
        worksheet.write_row(index, 0, where)
        worksheet.write_string(
            index, 4, kind, styles.fill(is_error=not problem.is_warning, value=kind)
        )
        worksheet.write_row(index, 5, [problem.message, problem.household_number])
    worksheet.autofilter(0, 0, max(len(listed), 1), len(LIST_HEADERS) - 1)
