"""Stage 2a, headers: find each sheet's header row and map its headers to the contract's columns.

Matching ignores spaces, bracket width and a leading `*` (a "required" marker), so that
`乡 镇`, `乡(镇)`, `务工时间（月）` and `*户编号` all match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from households.registry.columns import BY_KEY, COLUMNS, SYNONYMS
from households.registry.read import RawSheet

SCAN_ROWS = 40  # a header lower than this is not a registry sheet
MIN_MATCHES = 5  # fewer recognised headers than this: a notes or cover sheet
# Columns a sheet may lack: the birth date is taken from the ID number.
OPTIONAL_COLUMNS = frozenset(c.key for c in COLUMNS if not c.required) | {"birth_date"}

_SPACES = re.compile(r"[\s\u3000]+")
_WIDTH = str.maketrans("（）【】［］：", "()()[]:")


def header_key(text: object) -> str:
    """The form headers are compared in: no spaces, half-width brackets, no `*` or `:`."""
    normalised = _SPACES.sub("", str(text)).translate(_WIDTH)
    return normalised.strip("*:").lower()


def _lookup() -> dict[str, str]:
    table = {header_key(column.header): column.key for column in COLUMNS}
    for key, spellings in SYNONYMS.items():
        for spelling in spellings:
            table.setdefault(header_key(spelling), key)
    return table


LOOKUP = _lookup()


@dataclass
class HeaderMap:
    """Where a sheet's data are: its header row and which column holds which contract key."""

    sheet: RawSheet
    header_row: int  # 0-based index of the (lower) header row
    columns: dict[str, int] = field(default_factory=dict)  # key → 0-based column
    labels: dict[str, str] = field(default_factory=dict)  # key → header as the file writes it
    unknown: list[str] = field(default_factory=list)  # headers that match no column

    @property
    def missing_required(self) -> list[str]:
        return [
            c.key for c in COLUMNS if c.key not in self.columns and c.key not in OPTIONAL_COLUMNS
        ]

    def label(self, key: str) -> str:
        return self.labels.get(key) or BY_KEY[key].header


def _matches(row: list[object]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        if isinstance(cell, str) and cell:
            key = LOOKUP.get(header_key(cell))
            if key and key not in found.values():
                found[index] = key
    return found


def locate(sheet: RawSheet) -> HeaderMap | None:
    """Find the header row (the one naming most columns); None for a sheet with no such row."""
    best_row, best = -1, dict[int, str]()
    for index, row in enumerate(sheet.rows[:SCAN_ROWS]):
        found = _matches(row)
        if len(found) > len(best):
            best_row, best = index, found
    if len(best) < MIN_MATCHES:
        return None
    header = HeaderMap(sheet=sheet, header_row=best_row)
    # A two-row header: a column merged down from the group row keeps its name one row up.
    above = _matches(sheet.rows[best_row - 1]) if best_row > 0 else {}
    for index, key in best.items():
        header.columns[key] = index
        header.labels[key] = str(sheet.rows[best_row][index]).strip()
    for index, key in above.items():
        if key not in header.columns and index not in best:
            header.columns[key] = index
            header.labels[key] = str(sheet.rows[best_row - 1][index]).strip()
    header.unknown = [
        str(cell).strip()
        for index, cell in enumerate(sheet.rows[best_row])
        if str(cell).strip() and index not in best
    ]
    return header
