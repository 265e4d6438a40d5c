"""One household's sheet read against its exported booklet: sections by title, fields by label,
tables by their header row, rows by their 记录号."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ledgers.booklet import Booklet, Field, Row, Section, Table, canonical
from ledgers.stamp import StampedHousehold
from ledgers.workbook.household import REF_HEADER

_LABEL_CHARS = 64  # longer texts are values, never titles or labels


@dataclass(frozen=True)
class Problem:
    """An error or warning about one sheet, and where on it (`cell` "D17", or "")."""

    sheet: str
    cell: str
    message: str  # Chinese, naming the sheet and, for a row, its number
    household_id: int | None = None

    def __str__(self) -> str:
        return f"{self.message}（单元格{self.cell}）" if self.cell else self.message


# One sheet's cells


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """A title or label as compared: full-width forms folded, every space removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


class Cells:
    """A sheet's values addressed from A1 (0-based), and where each short text stands."""

    def __init__(self, rows: list[list[Any]], start: tuple[int, int] | None) -> None:
        self.rows = rows
        self.top, self.left = start or (0, 0)
        self.bottom = self.top + len(rows)  # one past the last row
        self.width = self.left + max(map(len, rows), default=0)
        self.where: dict[str, list[tuple[int, int]]] = {}
        for r, row in enumerate(rows, start=self.top):
            for c, value in enumerate(row, start=self.left):
                if type(value) is str and value and len(value) <= _LABEL_CHARS:
                    self.where.setdefault(normalise(value), []).append((r, c))

    def value(self, row: int, col: int) -> Any:
        r, c = row - self.top, col - self.left
        if r < 0 or c < 0 or r >= len(self.rows) or c >= len(self.rows[r]):
            return None
        return self.rows[r][c]

    def find(self, text: str, first: int, end: int) -> list[tuple[int, int]]:
        """Where `text` stands in rows first..end-1, in reading order."""
        return [(r, c) for r, c in self.where.get(normalise(text), ()) if first <= r < end]


def _is_blank(value: Any) -> bool:
    return value is None or (type(value) is str and not value.strip())


def _cell(row: int, col: int) -> str:
    return str(xl_rowcol_to_cell(row, col))


# A household's sheet


class SheetReader:
    def __init__(self, cells: Cells, household: StampedHousehold) -> None:
        self.cells = cells
        self.household = household
        self.sheet = household.sheet
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.places: dict[tuple[str, int], str] = {}
        self.field_places: dict[str, str] = {}

    def error(self, message: str, cell: str = "") -> None:
        self.errors.append(self._problem(message, cell))

    def warn(self, message: str, cell: str = "") -> None:
        self.warnings.append(self._problem(message, cell))

    def _problem(self, message: str, cell: str) -> Problem:
        text = f"工作表“{self.sheet}”{message}"
        return Problem(self.sheet, cell, text, self.household.household_id)

    def read(self) -> Booklet | None:
        base = self.household.base
        bounds = self._bounds(base.sections)
        if bounds is None:
            return None
        sections = tuple(
            self._section(section, *rows)
            for section, rows in zip(base.sections, bounds, strict=True)
        )
        edited = Booklet(
            household_id=base.household_id,
            household_number=base.household_number,
            version=base.version,
            head_name=base.head_name,
            county=base.county,
            township=base.township,
            village=base.village,
            year=base.year,
            sections=sections,
            full_ids=base.full_ids,
            meta={"sheet": self.sheet},
        )
        self._check_number(edited)
        return None if self.errors else edited

    def _bounds(self, sections: Iterable[Section]) -> list[tuple[int, int]] | None:
        """Each section's title row and the row where it ends (the next title, or the end)."""
        starts: list[int] = []
        previous = -1
        for section in sections:
            found = self.cells.find(section.title, 0, self.cells.bottom)
            after = [r for r, _ in found if r > previous] or [r for r, _ in found]
            if not after:
                self.error(f"找不到“{section.title}”一节")
                continue
            previous = after[0]
            starts.append(previous)
        if self.errors:
            return None
        ends = [min([s for s in starts if s > start] or [self.cells.bottom]) for start in starts]
        return list(zip(starts, ends, strict=True))

    def _section(self, section: Section, start: int, end: int) -> Section:
        labels = {normalise(item.column.label) for item in section.fields}
        fields = tuple(
            self._field(item, section.title, start, end, labels) for item in section.fields
        )
        tables = tuple(self._table(table, section.title, start, end) for table in section.tables)
        return Section(section.key, section.title, fields=fields, tables=tables, note=section.note)

    # Label/value pairs

    def _field(self, item: Field, title: str, start: int, end: int, labels: set[str]) -> Field:
        found = self.cells.find(item.column.label, start, end)
        if not found:
            self.error(f"“{title}”一节中找不到“{item.column.label}”", _cell(start, 0))
            return item
        row, col = found[0]
        value_col, raw = self._right_of(row, col, labels)
        self.field_places[item.column.key] = f"单元格{_cell(row, value_col)}"
        return Field(item.column, canonical(item.column, raw), item.ref)

    def _right_of(self, row: int, col: int, labels: set[str]) -> tuple[int, Any]:
        """The first filled cell right of a label, unless it is the next label (a blank value)."""
        for c in range(col + 1, self.cells.width):
            value = self.cells.value(row, c)
            if _is_blank(value):
                continue
            if type(value) is str and normalise(value) in labels:
                return col + 1, None
            return c, value
        return col + 1, None

    # Tables

    def _table(self, table: Table, title: str, start: int, end: int) -> Table:
        header = self._header_row(table, start, end)
        if header is None:
            self.error(f"“{title}”一节中找不到表头（{table.columns[0].label}…）", _cell(start, 0))
            return table
        columns = self._header_columns(table, header, title)
        ref_col = columns.pop(REF_HEADER, None)
        if ref_col is None:
            self.error(
                f"第{header + 1}行：“{title}”表头缺少隐藏的“{REF_HEADER}”列", _cell(header, 0)
            )
            return table
        rows = _Rows(self, table, {row.ref: row for row in table.rows})
        for r in range(header + 1, end):
            rows.read(r, columns, ref_col)
        return Table(table.key, table.columns, tuple(rows.rows), table.can_add, table.blank_rows)

    def _header_row(self, table: Table, start: int, end: int) -> int | None:
        hits: Counter[int] = Counter()
        for label in {column.label for column in table.columns} | {REF_HEADER}:
            hits.update({r for r, _ in self.cells.find(label, start, end)})
        if not hits:
            return None
        best = max(hits.values())
        return min(r for r, count in hits.items() if count == best)

    def _header_columns(self, table: Table, header: int, title: str) -> dict[str, int]:
        """Each column's key (and 记录号) → its sheet column; warns of unknown headers."""
        columns: dict[str, int] = {}
        for column in table.columns:
            found = self.cells.find(column.label, header, header + 1)
            if found:
                columns[column.key] = found[0][1]
            elif column.editable:
                self.error(
                    f"第{header + 1}行：“{title}”表头缺少“{column.label}”列", _cell(header, 0)
                )
            else:
                self.warn(f"第{header + 1}行：“{title}”表头缺少“{column.label}”列，按原值处理")
        found = self.cells.find(REF_HEADER, header, header + 1)
        if found:
            columns[REF_HEADER] = found[0][1]
        known = set(columns.values())
        for c in range(self.cells.left, self.cells.width):
            value = self.cells.value(header, c)
            if c not in known and not _is_blank(value):
                self.warn(
                    f"第{header + 1}行：表头“{value}”不是“{title}”表的列，已忽略", _cell(header, c)
                )
        return columns

    def _check_number(self, edited: Booklet) -> None:
        number = next(
            (
                item
                for s in edited.sections
                for item in s.fields
                if item.column.key == "household.household_number"
            ),
            None,
        )
        if number is not None and number.value != self.household.household_number:
            self.error(
                f"的户编号为“{number.value}”，与导出时的“{self.household.household_number}”不一致"
                "，可能是从其他户的工作表复制而来",
                self.field_places.get(number.column.key, "").removeprefix("单元格"),
            )


class _Rows:
    """A table's rows as read, with each record claimed once."""

    def __init__(self, reader: SheetReader, table: Table, base: dict[str, Row]) -> None:
        self.reader = reader
        self.table = table
        self.base = base
        self.claimed: set[str] = set()
        self.rows: list[Row] = []

    def read(self, r: int, columns: dict[str, int], ref_col: int) -> None:
        cells = self.reader.cells
        raw = [
            cells.value(r, columns[c.key]) if c.key in columns else None for c in self.table.columns
        ]
        ref_value = cells.value(r, ref_col)
        if all(map(_is_blank, raw)) and _is_blank(ref_value):
            return
        ref = self._ref("" if _is_blank(ref_value) else str(ref_value).strip(), r, ref_col)
        self.reader.places[(self.table.key, len(self.rows))] = f"第{r + 1}行"
        base = self.base.get(ref)
        values = tuple(
            canonical(column, value)
            if column.key in columns or base is None
            else base.values[index]  # a read-only column the user removed keeps its value
            for index, (column, value) in enumerate(zip(self.table.columns, raw, strict=True))
        )
        self.rows.append(Row(ref, values))

    def _ref(self, ref: str, r: int, ref_col: int) -> str:
        if not ref:
            return ""
        where = _cell(r, ref_col)
        if ref not in self.base:
            self.reader.warn(
                f"第{r + 1}行：“{REF_HEADER}”“{ref}”不属于本户本表，本行按新增处理", where
            )
            return ""
        if ref in self.claimed:
            self.reader.warn(f"第{r + 1}行：“{REF_HEADER}”“{ref}”重复，本行按新增处理", where)
            return ""
        self.claimed.add(ref)
        return ref
