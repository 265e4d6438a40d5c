"""The tamper-evident stamp a ledger workbook carries in a very hidden sheet.

The stamp holds, signed with the site's secret key, which household each sheet belongs to, the
household's version at export, and the exported values themselves (the BASE of the importer's
three-way merge): a change is what differs from the base, so a value the user did not touch is
never written back, and a conflict is a value changed both in the workbook and in the system.
Excel caps a cell at 32,767 characters, so the signed text is spread over a column of cells.

The payload keeps each distinct layout of sections and columns once ("shapes") and, per
household, only values; the columns themselves come back from `ledgers.sections` by key, which
is why a booklet must use the specs' own columns to be stamped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils import timezone

from households.registry.errors import FileRefused
from ledgers.booklet import Booklet, Column, Field, Row, Section, Table
from ledgers.sections import BY_KEY, SectionSpec

SHEET = "_povertyops"
SALT = "ledgers.stamp"
FORMAT_VERSION = 1
CELL_CHARS = 30_000  # under Excel's 32,767 characters a cell

MISSING = "不是PovertyOps导出的一户一册（缺少校验信息）"
TAMPERED = "一户一册的校验信息被修改或损坏，请使用系统导出的原文件填写"
OUTDATED = "这份一户一册由旧版本的系统导出，格式已不再适用，请重新导出后再填写"


class LedgerRefused(FileRefused):
    """A file that is not a readable PovertyOps ledger; the message is Chinese and says why."""


class StampError(LedgerRefused):
    """The workbook's stamp is missing, altered or from an incompatible version."""


@dataclass(frozen=True)
class StampedHousehold:
    """One household of an exported workbook: its sheet, its version and its exported values."""

    household_id: int
    household_number: str
    version: int
    sheet: str
    base: Booklet


@dataclass(frozen=True)
class Stamp:
    format_version: int
    exported_at: dt.datetime
    exported_by: int | None  # the exporting user's id
    full_ids: bool  # ID numbers and phones were exported in full
    households: tuple[StampedHousehold, ...]


# Shapes: (section key, field keys, ((table key, column keys, can_add, blank_rows), …)), …
SectionShape = tuple[str, tuple[str, ...], tuple[tuple[str, tuple[str, ...], bool, int], ...]]
Shape = tuple[SectionShape, ...]


class StampWriter:
    """Collects the households of a workbook as its sheets are written, and signs them last."""

    def __init__(
        self, *, user_id: int | None, full_ids: bool, at: dt.datetime | None = None
    ) -> None:
        self._header = {
            "v": FORMAT_VERSION,
            "at": (at or timezone.now()).isoformat(),
            "by": user_id,
            "full": full_ids,
        }
        self._shapes: dict[Shape, int] = {}
        self._households: list[list[Any]] = []

    def add(self, booklet: Booklet, *, sheet: str) -> None:
        shape = _shape(booklet)
        if shape not in self._shapes:
            _check_against_specs(booklet)
            self._shapes[shape] = len(self._shapes)
        self._households.append(
            [
                booklet.household_id,
                booklet.household_number,
                booklet.version,
                sheet,
                [booklet.head_name, booklet.county, booklet.township, booklet.village],
                booklet.year,
                self._shapes[shape],
                [_section_values(section) for section in booklet.sections],
            ]
        )

    def cells(self) -> list[str]:
        """The signed payload, cut into cells."""
        payload = self._header | {"shapes": list(self._shapes), "households": self._households}
        token = signing.dumps(payload, salt=SALT, compress=True)
        return [token[start : start + CELL_CHARS] for start in range(0, len(token), CELL_CHARS)]


def make_stamp(
    booklets: Iterable[Booklet],
    *,
    user_id: int | None,
    full_ids: bool,
    sheets: Sequence[str] | None = None,
    at: dt.datetime | None = None,
) -> list[str]:
    """The stamp cells of a workbook holding `booklets` on `sheets` (named as the writer does)."""
    booklets = list(booklets)
    if sheets is None:
        names = SheetNames()
        sheets = [names.for_booklet(booklet) for booklet in booklets]
    writer = StampWriter(user_id=user_id, full_ids=full_ids, at=at)
    for booklet, sheet in zip(booklets, sheets, strict=True):
        writer.add(booklet, sheet=sheet)
    return writer.cells()


def read_stamp(cells: Sequence[object]) -> Stamp:
    """The stamp from the stamp sheet's cells, top to bottom; raises `StampError`."""
    token = "".join(cell for cell in cells if isinstance(cell, str)).strip()
    if not token:
        raise StampError(MISSING)
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise StampError(TAMPERED) from error
    if not isinstance(payload, dict) or payload.get("v") != FORMAT_VERSION:
        raise StampError(OUTDATED)
    try:
        return _stamp(payload)
    except (KeyError, IndexError, TypeError, ValueError, StopIteration) as error:
        raise StampError(OUTDATED) from error


# Writing


def _shape(booklet: Booklet) -> Shape:
    return tuple(
        (
            section.key,
            tuple(item.column.key for item in section.fields),
            tuple(
                (
                    table.key,
                    tuple(column.key for column in table.columns),
                    table.can_add,
                    table.blank_rows,
                )
                for table in section.tables
            ),
        )
        for section in booklet.sections
    )


def _section_values(section: Section) -> list[Any]:
    return [
        [item.value for item in section.fields],
        [item.ref for item in section.fields],
        [[[row.ref, *row.values] for row in table.rows] for table in section.tables],
    ]


def _check_against_specs(booklet: Booklet) -> None:
    """Refuse (a programming error) a booklet whose columns are not the specs' own: the stamp
    keeps only keys, and the importer looks the labels up in the specs."""
    for section in booklet.sections:
        spec = BY_KEY.get(section.key)
        if spec is None or spec.title != section.title:
            raise ValueError(f"section {section.key!r} is not in ledgers.sections")
        known = _spec_columns(spec)
        columns = [item.column for item in section.fields]
        columns += [column for table in section.tables for column in table.columns]
        for column in columns:
            if known.get(column.key) != column:
                raise ValueError(f"column {section.key}.{column.key} differs from its spec")


def _spec_columns(spec: SectionSpec) -> dict[str, Column]:
    columns = {column.key: column for column in spec.fields}
    if spec.table is not None:
        columns |= {column.key: column for column in spec.table.columns}
    return columns


# Reading


def _stamp(payload: dict[str, Any]) -> Stamp:
    shapes = [_resolve(shape) for shape in payload["shapes"]]
    return Stamp(
        format_version=payload["v"],
        exported_at=dt.datetime.fromisoformat(payload["at"]),
        exported_by=payload["by"],
        full_ids=bool(payload["full"]),
        households=tuple(
            _household(entry, shapes, full_ids=bool(payload["full"]))
            for entry in payload["households"]
        ),
    )


# A shape with its columns looked up: (spec, field columns, ((table key, columns, can_add,
# blank_rows), …)) per section.
ResolvedSection = tuple[
    SectionSpec, tuple[Column, ...], tuple[tuple[str, tuple[Column, ...], bool, int], ...]
]


def _resolve(shape: list[Any]) -> tuple[ResolvedSection, ...]:
    resolved = []
    for section_key, field_keys, tables in shape:
        spec = BY_KEY[section_key]
        columns = _spec_columns(spec)
        resolved.append(
            (
                spec,
                tuple(columns[key] for key in field_keys),
                tuple(
                    (key, tuple(columns[name] for name in names), bool(can_add), int(blank_rows))
                    for key, names, can_add, blank_rows in tables
                ),
            )
        )
    return tuple(resolved)


def _household(
    entry: list[Any], shapes: list[tuple[ResolvedSection, ...]], *, full_ids: bool
) -> StampedHousehold:
    household_id, number, version, sheet, names, year, shape, values = entry
    head_name, county, township, village = names
    sections = tuple(
        _section(resolved, section_values)
        for resolved, section_values in zip(shapes[shape], values, strict=True)
    )
    base = Booklet(
        household_id=int(household_id),
        household_number=str(number),
        version=int(version),
        head_name=head_name,
        county=county,
        township=township,
        village=village,
        year=int(year),
        sections=sections,
        full_ids=full_ids,
        meta={"sheet": sheet},
    )
    return StampedHousehold(int(household_id), str(number), int(version), str(sheet), base)


def _section(resolved: ResolvedSection, values: list[Any]) -> Section:
    spec, field_columns, tables = resolved
    field_values, field_refs, table_rows = values
    fields = tuple(
        Field(column, value, ref)
        for column, value, ref in zip(field_columns, field_values, field_refs, strict=True)
    )
    return Section(
        spec.key,
        spec.title,
        fields=fields,
        tables=tuple(
            Table(key, columns, _rows(rows, len(columns)), can_add=can_add, blank_rows=blank_rows)
            for (key, columns, can_add, blank_rows), rows in zip(tables, table_rows, strict=True)
        ),
        note=spec.note,
    )


def _rows(rows: list[list[str]], width: int) -> tuple[Row, ...]:
    if any(len(row) != width + 1 for row in rows):
        raise ValueError("row width differs from its columns")
    return tuple(Row(row[0], tuple(row[1:])) for row in rows)


# Sheet names

_FORBIDDEN = str.maketrans("", "", "[]:*?/\\'")
_RESERVED = {"目录", SHEET.casefold(), "history"}
SHEET_CHARS = 31


class SheetNames:
    """Unique sheet names "<户主姓名>_<户编号后6位>", as Excel allows them (≤ 31 characters,
    none of []:*?/\\, and no apostrophe, which internal links would need to escape)."""

    def __init__(self) -> None:
        self._used = set(_RESERVED)

    def for_booklet(self, booklet: Booklet) -> str:
        head = " ".join(booklet.head_name.translate(_FORBIDDEN).split()) or "户主"
        number = booklet.household_number.translate(_FORBIDDEN)[-6:] or str(booklet.household_id)
        return self.claim(f"{head[: SHEET_CHARS - len(number) - 1]}_{number}")

    def claim(self, name: str) -> str:
        """`name`, or `name` with a "(2)"-style suffix when it is taken (Excel ignores case)."""
        candidate, counter = name, 1
        while candidate.casefold() in self._used:
            counter += 1
            suffix = f"({counter})"
            candidate = name[: SHEET_CHARS - len(suffix)] + suffix
        self._used.add(candidate.casefold())
        return candidate
