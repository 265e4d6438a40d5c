"""A household's sheet: its title row, the cover, then each section's title, note, label/value
pairs and tables, on a grid of columns shared by every table of the sheet.

What does not depend on the household (labels, headers, blank lines, merges) is rendered once
per workbook as XML fragments (`SheetPlans`); a sheet adds its values between them.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ledgers.booklet import Booklet, Column, Field, Kind, Row, Section, Table
from ledgers.workbook.cells import CellSheet, SheetRows, blank_cells, cell_start, merge_ref
from ledgers.workbook.styles import Styles

REF_HEADER = "记录号"
LEGEND = (
    "说明：白底单元格可填写修改，灰底单元格由系统生成、修改无效；表格中可插入行或填在空白行，"
    "请勿删除隐藏的“记录号”列。"
)
FIELDS_PER_ROW = 3
LONG_FIELD = 30  # a field this wide (an address, a situation) gets a line of its own
WRAP_WIDTH = 12  # wider text columns wrap: 19 columns must fit across A4
MASKED_WIDTH = 22  # identifiers do not wrap well: an ID number keeps its 18 digits on a line
MIN_COLUMNS = 6
LINE_POINTS = 13.5  # a line of 10-point text
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_NUMERIC = frozenset({Kind.MONEY, Kind.DECIMAL, Kind.INT})
_SHORT = frozenset({Kind.MONEY, Kind.DECIMAL, Kind.INT, Kind.DATE, Kind.BOOL})  # never wrap

Span = tuple[int, int]  # first and last column


@dataclass(frozen=True)
class Grid:
    """The sheet's data columns; the hidden 记录号 column follows them."""

    widths: tuple[int, ...]

    @property
    def columns(self) -> int:
        return len(self.widths)

    @property
    def pair_span(self) -> int:
        return self.columns // FIELDS_PER_ROW

    @property
    def label_span(self) -> int:
        return max(1, self.pair_span * 2 // 5)

    def width(self, span: Span) -> int:
        return sum(self.widths[span[0] : span[1] + 1])


def grid_for(booklet: Booklet) -> Grid:
    return _grid(
        tuple(
            tuple(_print_width(column) for column in table.columns)
            for section in booklet.sections
            for table in section.tables
        )
    )


def _print_width(column: Column) -> int:
    return min(column.width, MASKED_WIDTH if column.masked else WRAP_WIDTH)


@functools.lru_cache(maxsize=64)
def _grid(tables: tuple[tuple[int, ...], ...]) -> Grid:
    """Each column as wide as the widest table column at its position."""
    count = max([MIN_COLUMNS, *map(len, tables)])
    return Grid(
        tuple(
            max([8, *(table[index] for table in tables if index < len(table))])
            for index in range(count)
        )
    )


def text_width(text: str) -> int:
    """Width in Excel's character units: a CJK character takes two, ASCII one."""
    return (len(text.encode()) + len(text)) // 2


def line_count(text: str, width: int) -> int:
    """How many lines `text` wraps to in `width` character units."""
    usable = max(width - 1, 1)
    if 2 * len(text) <= usable and "\n" not in text:
        return 1  # the common case, decided without measuring
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


def _height(lines: int) -> float | None:
    return None if lines <= 1 else lines * LINE_POINTS + 2


# What every sheet of a workbook shares, rendered once


@dataclass(frozen=True)
class _Slot:
    """Where a value goes: its cell's opening XML, its kind, and the width it wraps in."""

    start: str
    kind: Kind
    width: int


@dataclass(frozen=True)
class _FieldLine:
    statics: tuple[str, ...]  # around the values: statics[0] slot[0] statics[1] slot[1] …
    slots: tuple[_Slot, ...]
    merges: str
    label_lines: int
    strings: int


@dataclass(frozen=True)
class _TablePlan:
    header: str
    header_height: float | None
    strings: int
    slots: tuple[_Slot, ...]
    ref_start: str
    blank_row: str


class SheetPlans:
    """The fragments of XML every household sheet of one workbook shares, made on first use.

    They are keyed by column keys: a booklet's columns are the specs' own (the stamp checks)."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self._fields: dict[tuple[tuple[str, ...], Grid], _FieldLine] = {}
        self._tables: dict[tuple[tuple[str, ...], Grid], _TablePlan] = {}

    def field_line(self, rows: SheetRows, line: Sequence[Field], grid: Grid) -> _FieldLine:
        key = (tuple(item.column.key for item in line), grid)
        plan = self._fields.get(key)
        if plan is None:
            columns = tuple(item.column for item in line)
            plan = self._fields[key] = self._make_field_line(rows, columns, grid)
        return plan

    def table(self, rows: SheetRows, table: Table, grid: Grid) -> _TablePlan:
        key = (tuple(column.key for column in table.columns), grid)
        plan = self._tables.get(key)
        if plan is None:
            plan = self._tables[key] = self._make_table(rows, table.columns, grid)
        return plan

    def _make_field_line(
        self, rows: SheetRows, columns: tuple[Column, ...], grid: Grid
    ) -> _FieldLine:
        label = self.styles.index["label"]
        statics: list[str] = []
        slots: list[_Slot] = []
        merges: list[str] = []
        before = ""
        for column, (label_span, value_span) in zip(columns, _spans(columns, grid), strict=True):
            index = rows.shared(column.label)
            before += f'{cell_start(label_span[0], label)} t="s"><v>{index}</v></c>'
            before += blank_cells(label_span[0] + 1, label_span[1], label)
            statics.append(before)
            style = self.styles.value(column.kind, column.editable)
            slots.append(
                _Slot(cell_start(value_span[0], style), column.kind, grid.width(value_span))
            )
            before = blank_cells(value_span[0] + 1, value_span[1], style)
            merges += [merge_ref(*span) for span in (label_span, value_span) if span[1] > span[0]]
        label_lines = max(
            line_count(column.label, grid.width(spans[0]))
            for column, spans in zip(columns, _spans(columns, grid), strict=True)
        )
        return _FieldLine(
            (*statics, before), tuple(slots), "".join(merges), label_lines, len(columns)
        )

    def _make_table(self, rows: SheetRows, columns: tuple[Column, ...], grid: Grid) -> _TablePlan:
        header = self.styles.index["header"]
        labels = [*(column.label for column in columns), REF_HEADER]
        cols = [*range(len(columns)), grid.columns]
        xml = "".join(
            f'{cell_start(col, header)} t="s"><v>{rows.shared(label)}</v></c>'
            for col, label in zip(cols, labels, strict=True)
        )
        lines = max(line_count(column.label, grid.widths[i]) for i, column in enumerate(columns))
        styles = [self.styles.value(column.kind, column.editable) for column in columns]
        slots = tuple(
            _Slot(cell_start(i, style), column.kind, grid.widths[i])
            for i, (column, style) in enumerate(zip(columns, styles, strict=True))
        )
        blank_row = "".join(f"{slot.start}/>" for slot in slots)
        ref_start = cell_start(grid.columns, self.styles.index["ref"])
        return _TablePlan(xml, _height(lines), len(labels), slots, ref_start, blank_row)


def _spans(columns: Sequence[Column], grid: Grid) -> list[tuple[Span, Span]]:
    """Label and value spans of a line of fields: three pairs, or one long field."""
    labels = grid.label_span
    if len(columns) == 1 and columns[0].width >= LONG_FIELD:
        return [((0, labels - 1), (labels, grid.columns - 1))]
    spans = []
    for index in range(len(columns)):
        first = index * grid.pair_span
        last = grid.columns - 1 if index == FIELDS_PER_ROW - 1 else first + grid.pair_span - 1
        spans.append(((first, first + labels - 1), (first + labels, last)))
    return spans


# One household's sheet


class HouseholdLayout:
    """Writes one booklet on a `CellSheet`, top to bottom."""

    def __init__(self, sheet: CellSheet, plans: SheetPlans, booklet: Booklet) -> None:
        self.sheet = sheet
        self.rows = SheetRows(sheet)
        self.plans = plans
        self.style = plans.styles.index
        self.booklet = booklet
        self.grid = grid_for(booklet)
        self.row = 0

    def write(self) -> None:
        for index, width in enumerate(self.grid.widths):
            self.sheet.set_column(index, index, width)
        self.sheet.set_column(self.grid.columns, self.grid.columns, 14, None, {"hidden": True})
        self._line(self.booklet.title, "household_title", height=20)
        for section in self.booklet.sections:
            self._section(section)
        self.rows.finish(self.grid.columns)

    def _section(self, section: Section) -> None:
        if section.key == "cover":
            self._line(section.title, "cover_title", height=36)
            self._line(LEGEND, "legend")
        else:
            self.row += 1  # a blank line between sections
            self._line(section.title, "section_title", height=20)
        if section.note:
            self._line(section.note, "note")
        for line in _field_lines(section.fields):
            self._fields(line)
        for table in section.tables:
            self._table(table)

    def _line(self, text: str, style: str, *, height: float | None = None) -> None:
        """A line of text in column A, merged across the sheet. Its styles have no border, so
        the covered cells are left out: a merged cell takes its font and fill from the first."""
        last = self.grid.columns - 1
        lines = line_count(text, self.grid.width((0, last)))
        self.rows.start(self.row, height if lines <= 1 else _height(lines))
        cell = self.rows.text(cell_start(0, self.style[style]), text)
        self.rows.add(cell, merge_ref(0, last))
        self.row += 1

    def _fields(self, line: Sequence[Field]) -> None:
        plan = self.plans.field_line(self.rows, line, self.grid)
        parts, lines = [plan.statics[0]], plan.label_lines
        for item, slot, after in zip(line, plan.slots, plan.statics[1:], strict=True):
            parts += [self._value(slot, item.value), after]
            if slot.kind not in _SHORT and item.value:
                lines = max(lines, line_count(item.value, slot.width))
        self.rows.start(self.row, _height(lines))
        self.rows.add("".join(parts), plan.merges, strings=plan.strings)
        self.row += 1

    def _table(self, table: Table) -> None:
        plan = self.plans.table(self.rows, table, self.grid)
        self.rows.start(self.row, plan.header_height)
        self.rows.add(plan.header, strings=plan.strings)
        self.row += 1
        for row in table.rows:
            self._table_row(plan, row)
        for _ in range(table.blank_rows):
            self.rows.start(self.row)
            self.rows.add(plan.blank_row)
            self.row += 1

    def _table_row(self, plan: _TablePlan, row: Row) -> None:
        cells, lines = [], 1
        for slot, text in zip(plan.slots, row.values, strict=True):
            cells.append(self._value(slot, text))
            if text and slot.kind not in _SHORT:
                lines = max(lines, line_count(text, slot.width))
        if row.ref:
            cells.append(self.rows.text(plan.ref_start, row.ref))
        self.rows.start(self.row, _height(lines))
        self.rows.add("".join(cells))
        self.row += 1

    def _value(self, slot: _Slot, text: str) -> str:
        if not text:
            return f"{slot.start}/>"
        if slot.kind in _NUMERIC and _NUMBER.fullmatch(text):
            return f"{slot.start}><v>{float(text)!r}</v></c>"
        return self.rows.text(slot.start, text)


def _field_lines(fields: Sequence[Field]) -> list[list[Field]]:
    """Fields three to a line; a long one (an address, a situation) on a line of its own."""
    lines: list[list[Field]] = []
    current: list[Field] = []
    for item in fields:
        if item.column.width >= LONG_FIELD:
            lines += [current] if current else []
            lines.append([item])
            current = []
            continue
        current.append(item)
        if len(current) == FIELDS_PER_ROW:
            lines.append(current)
            current = []
    return lines + ([current] if current else [])
