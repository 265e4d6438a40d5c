"""Stage 2b, fill: spread merged cells, drop blank, title and footer rows, group rows by household.

A household's columns may be merged down over its rows or filled on its first row only; a row
whose 户编号 is empty belongs to the household above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from households.registry.headers import HeaderMap

MEMBER_MARKERS = ("name", "id_number")


@dataclass
class SourceRow:
    """One member row as the file holds it: raw cells by contract key."""

    header: HeaderMap
    row: int  # Excel row number
    cells: dict[str, Any]

    @property
    def sheet(self) -> str:
        return self.header.sheet.name

    @property
    def file(self) -> str:
        return self.header.sheet.file_name


@dataclass
class SourceHousehold:
    """The rows of one household, in file order (they may come from several sheets)."""

    number: str  # 户编号 as written, trimmed; '' when no row names one
    rows: list[SourceRow] = field(default_factory=list)


def spread_merged(header: HeaderMap) -> None:
    """Copy each merged range's top-left value into every cell of the range, below the header."""
    rows = header.sheet.rows
    for first_row, first_col, last_row, last_col in header.sheet.merged:
        if last_row <= header.header_row or first_row >= len(rows):
            continue
        value = rows[first_row][first_col] if first_col < len(rows[first_row]) else ""
        for r in range(max(first_row, header.header_row + 1), min(last_row, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(first_col, min(last_col, len(row) - 1) + 1):
                row[c] = value


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def data_rows(header: HeaderMap) -> list[SourceRow]:
    """Rows below the header that hold a member (a name, an ID) or a 户编号."""
    keys, columns = list(header.columns), list(header.columns.values())
    cells_of = itemgetter(*columns)  # rows are padded to the sheet's width by the reader
    markers = [header.columns[key] for key in (*MEMBER_MARKERS, "household_number")]
    found = []
    rows = header.sheet.rows
    for index in range(header.header_row + 1, len(rows)):
        row = rows[index]
        if all(_is_empty(row[c]) for c in markers):
            continue  # blank, footer (制表人：…) or note row
        values = cells_of(row)
        cells = dict(zip(keys, values if len(columns) > 1 else (values,), strict=True))
        found.append(SourceRow(header=header, row=index + 1, cells=cells))
    return found


def group(rows: list[SourceRow]) -> list[SourceHousehold]:
    """Group member rows by 户编号; a row without one continues the household above it."""
    households: dict[str, SourceHousehold] = {}
    ordered: list[SourceHousehold] = []
    current: SourceHousehold | None = None
    for row in rows:
        number = _number_text(row.cells.get("household_number"))
        if not number and current is not None and current.rows[-1].header is row.header:
            current.rows.append(row)
            continue
        current = households.get(number) if number else None
        if current is None:
            current = SourceHousehold(number=number)
            ordered.append(current)
            if number:
                households[number] = current
        current.rows.append(row)
    return ordered


def _number_text(value: Any) -> str:
    if _is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().lstrip("'")


def fill(headers: list[HeaderMap]) -> list[SourceHousehold]:
    """Every sheet's member rows, grouped into households across the whole upload."""
    rows: list[SourceRow] = []
    for header in headers:
        spread_merged(header)
        rows.extend(data_rows(header))
    return group(rows)
