"""Three-way merge of an edited ledger: what was exported, what the file says, what is stored now.

A value the user left as exported is never touched, whatever happened to it since. A value the
user changed is written when the system still holds what was exported (or already holds the
user's value); when the system changed it too, it is a conflict, skipped unless resolved.
Everything is compared as printed text (`ledgers.booklet`), the way the ledger showed it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ledgers.booklet import Booklet, Column, Kind, LedgerValueError, to_python
from ledgers.sections import SECTIONS, TableSpec

TABLES: dict[str, TableSpec] = {s.table.key: s.table for s in SECTIONS if s.table is not None}
FIELDS: dict[str, Column] = {c.key: c for s in SECTIONS for c in s.fields}
SECTION_OF: dict[str, str] = {
    **{c.key: s.title for s in SECTIONS for c in s.fields},
    **{s.table.key: s.title for s in SECTIONS if s.table is not None},
}
# Rows unique per household and year: a second row for a stored year is an error, not a copy.
ONE_PER_YEAR = ("income", "needs", "plans")


@dataclass
class Values:
    """A booklet's values by key: fields by column key, stored rows by ref, added rows in order."""

    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (ref, text)
    rows: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # table → ref → row
    added: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    places: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, ref) → 第N行

    @classmethod
    def of(cls, booklet: Booklet, places: dict[tuple[str, int], str] | None = None) -> Values:
        """`places` names where each table row was read: (table, index in its rows) → 第N行."""
        values = cls()
        for section in booklet.sections:
            for item in section.fields:
                values.fields[item.column.key] = (item.ref, item.value)
            for table in section.tables:
                stored = values.rows.setdefault(table.key, {})
                added = values.added.setdefault(table.key, [])
                for index, row in enumerate(table.rows):
                    place = (places or {}).get((table.key, index), "")
                    if row.ref and row.ref not in stored:
                        stored[row.ref] = row.values
                        values.places[(table.key, row.ref)] = place
                    elif any(row.values):
                        added.append((place, row.values))
        return values


@dataclass
class Change:
    table: str  # "" for a field of a form-like section
    ref: str
    column: str
    label: str
    old: str  # the stored value now
    new: str  # the file's value
    place: str = ""  # "第17行" or the field's label, for the preview
    subject: str = ""  # the row's first cell (a member's name, a year), for the preview


@dataclass
class Conflict(Change):
    base: str = ""  # the value when the ledger was exported
    id: str = ""  # stable within a plan, for the preview's choice


@dataclass
class Addition:
    table: str
    values: dict[str, str]
    place: str = ""


@dataclass
class Problem:
    place: str
    message: str


@dataclass
class HouseholdMerge:
    household_id: int
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # The stored rows the preview saw, by table, for the tables with additions: the write
    # refuses if rows were added since (a second upload of the same file, confirmed twice).
    known: dict[str, list[str]] = field(default_factory=dict)
    # Values changed in the system since the export that the file still shows as exported:
    # kept as the system has them (old = the exported value, new = the system's).
    since_export: list[Change] = field(default_factory=list)

    @property
    def has_work(self) -> bool:
        return bool(self.changes or self.additions or self.conflicts)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def merge(*, household_id: int, base: Values, edited: Values, current: Values) -> HouseholdMerge:
    """Compare the three versions of one household's ledger."""
    result = HouseholdMerge(household_id)
    _merge_fields(result, base, edited, current)
    for spec in TABLES.values():
        _merge_rows(result, spec, base, edited, current)
        _merge_additions(result, spec, base, edited, current)
        _note_removed(result, spec, base, edited, current)
    for table in {addition.table for addition in result.additions}:
        result.known[table] = sorted(current.rows.get(table, {}))
    for number, conflict in enumerate(result.conflicts, start=1):
        conflict.id = f"{household_id}-{number}"
    return result


def _merge_fields(result: HouseholdMerge, base: Values, edited: Values, current: Values) -> None:
    for key, (ref, text) in edited.fields.items():
        column = FIELDS[key]
        was = base.fields.get(key, (ref, text))[1]
        now = current.fields.get(key, (ref, was))
        _compare(result, "", now[0], column, was, text, now[1], place=column.label)


def _merge_rows(
    result: HouseholdMerge, spec: TableSpec, base: Values, edited: Values, current: Values
) -> None:
    stored = current.rows.get(spec.key, {})
    exported = base.rows.get(spec.key, {})
    for ref, values in edited.rows.get(spec.key, {}).items():
        place = edited.places.get((spec.key, ref), "")
        if ref not in exported:
            # A ref the export never wrote (typed, or copied from another household's sheet).
            edited.added.setdefault(spec.key, []).append((place, values))
            result.warnings.append(Problem(place, "记录号不属于本户，按新增行处理"))
            continue
        if ref not in stored:
            if values != exported[ref]:
                result.warnings.append(Problem(place, "该记录已在系统中删除，本行的修改未导入"))
            continue
        for index, column in enumerate(spec.columns):
            text, was, now = values[index], exported[ref][index], stored[ref][index]
            _compare(
                result, spec.key, ref, column, was, text, now, place=place, subject=stored[ref][0]
            )


def _compare(
    result: HouseholdMerge,
    table: str,
    ref: str,
    column: Column,
    was: str,
    text: str,
    now: str,
    *,
    place: str,
    subject: str = "",
) -> None:
    if text == was and now != was:
        # Changed in the system since the export, left alone in the file: the system's value
        # stays; the preview lists it so the user knows their printed booklet is behind.
        result.since_export.append(
            Change(table=table, ref=ref, column=column.key, label=column.label, old=was,
                   new=now, place=place, subject=subject)
        )  # fmt: skip
        return
    if text == was or text == now:
        return
    if not column.editable:
        result.warnings.append(Problem(place, f"“{column.label}”不能在一户一册中修改，已忽略"))
        return
    if not _parses(result, column, text, place):
        return
    change = dict(table=table, ref=ref, column=column.key, label=column.label, old=now, new=text)
    if now == was:
        result.changes.append(Change(**change, place=place, subject=subject))
    else:
        result.conflicts.append(Conflict(**change, place=place, subject=subject, base=was))


def _parses(result: HouseholdMerge, column: Column, text: str, place: str) -> bool:
    try:
        to_python(column, text)
    except LedgerValueError as error:
        result.errors.append(Problem(place, str(error)))
        return False
    return True


def _merge_additions(
    result: HouseholdMerge, spec: TableSpec, base: Values, edited: Values, current: Values
) -> None:
    years = _stored_years(spec, current)
    exported = base.rows.get(spec.key, {})
    since = [v for ref, v in current.rows.get(spec.key, {}).items() if ref not in exported]
    for place, values in edited.added.get(spec.key, []):
        if not spec.can_add:
            result.warnings.append(Problem(place, "本表不能新增行，已忽略"))
            continue
        row = {c.key: text for c, text in zip(spec.columns, values, strict=True) if c.editable}
        if any(_same_row(spec, row, stored) for stored in since):
            continue  # added by an earlier upload of this file: re-importing changes nothing
        if all(_parses(result, c, values[i], place) for i, c in enumerate(spec.columns)
               if c.editable):  # fmt: skip
            year = row.get("year", "")
            if spec.key in ONE_PER_YEAR and year in years:
                result.errors.append(Problem(place, f"{year}年已有记录，请在原行修改"))
                continue
            years.add(year)
            result.additions.append(Addition(spec.key, row, place))


def _same_row(spec: TableSpec, row: dict[str, str], stored: tuple[str, ...]) -> bool:
    """Whether a typed row holds what a stored row shows (a blank amount is stored as 0)."""
    for index, column in enumerate(spec.columns):
        if column.key not in row or row[column.key] == stored[index]:
            continue
        if column.kind in (Kind.MONEY, Kind.DECIMAL) and {row[column.key], stored[index]} <= {
            "",
            "0.00",
        }:
            continue
        return False
    return True


def _stored_years(spec: TableSpec, current: Values) -> set[str]:
    if spec.key not in ONE_PER_YEAR:
        return set()
    index = [c.key for c in spec.columns].index("year")
    return {values[index] for values in current.rows.get(spec.key, {}).values()}


def _note_removed(
    result: HouseholdMerge, spec: TableSpec, base: Values, edited: Values, current: Values
) -> None:
    kept = edited.rows.get(spec.key, {})
    for ref in base.rows.get(spec.key, {}):
        if ref not in kept and ref in current.rows.get(spec.key, {}):
            result.warnings.append(
                Problem(SECTION_OF[spec.key], f"删除了一行（{ref}），系统中的记录保留不变")
            )
