"""Stage 4, validate: typed values per row, then per household, then across the file.

Every problem becomes a `RowError` and all of them are collected; an error in any of a
household's rows makes the whole household invalid, a warning is only listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from households.choices import HouseholdStatus, Relation, Sex
from households.registry.columns import BY_KEY, COLUMNS, HOUSEHOLD_KEYS, MEMBER_KEYS, Level
from households.registry.errors import RowError
from households.registry.fill import SourceHousehold, SourceRow
from households.registry.normalise import PartialDate, ValueProblem, normaliser

EMPTY: tuple[Any, ...] = ("", None, [])


@dataclass
class CheckedMember:
    source: SourceRow
    values: dict[str, Any]


@dataclass
class CheckedHousehold:
    """A household's typed values, its members, and every problem found in its rows."""

    source: SourceHousehold
    values: dict[str, Any] = field(default_factory=dict)
    members: list[CheckedMember] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # keys some sheet of the household has
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    invalid_cells: set[tuple[int, str]] = field(default_factory=set)  # (Excel row, key)

    @property
    def number(self) -> str:
        return str(self.values.get("household_number") or self.source.number)

    @property
    def first_row(self) -> SourceRow:
        return self.source.rows[0]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def problem(
        self,
        row: SourceRow,
        key: str,
        value: Any,
        code: str,
        message: str,
        *,
        warning: bool = False,
    ) -> None:
        error = RowError(
            sheet=row.sheet,
            row=row.row,
            column=row.header.label(key) if key else "",
            value="" if value in EMPTY else _display(value),
            code=code,
            message=message,
            is_warning=warning,
            household_number=self.source.number,
            file=row.file,
            col=row.header.columns.get(key, -1) if key else -1,
        )
        (self.warnings if warning else self.errors).append(error)
        if not warning:
            self.invalid_cells.add((row.row, key))


def _display(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


_NORMALISERS: dict[str, Callable[[Any], Any]] = {}
_MISSING = object()


def _normalisers(keys: tuple[str, ...]) -> list[tuple[str, Callable[[Any], Any]]]:
    """Each key with its column's normaliser, built once: they cache the values they have seen."""
    for key in keys:
        if key not in _NORMALISERS:
            _NORMALISERS[key] = normaliser(BY_KEY[key])
    return [(key, _NORMALISERS[key]) for key in keys]


def _typed(
    household: CheckedHousehold, row: SourceRow, items: list[tuple[str, Callable[[Any], Any]]]
) -> dict[str, Any]:
    cells = row.cells
    try:
        # The usual row: every value valid, typed in one comprehension (a third faster than
        # the loop below, which runs only for a row with a bad value, to name each one).
        return {key: normalise(cells[key]) for key, normalise in items if key in cells}
    except ValueProblem:
        pass
    values: dict[str, Any] = {}
    for key, normalise in items:
        raw = cells.get(key, _MISSING)
        if raw is _MISSING:
            continue
        try:
            values[key] = normalise(raw)
        except ValueProblem as problem:
            if key in MASKED_MESSAGES and "*" in str(raw):
                household.problem(row, key, raw, "masked_value", MASKED_MESSAGES[key])
            else:
                household.problem(row, key, raw, "invalid_value", str(problem))
            values[key] = None
    return values


# A masked export (the default) read back in: say why instead of "not a valid ID number".
MASKED_MESSAGES = {
    "id_number": "证件号码已打码，不能导入；请使用含完整证件号码的导出文件",
    "phone": "联系电话已打码，不能导入；请填写完整号码或留空",
}


def _merge_household_values(household: CheckedHousehold) -> None:
    """The household's columns: the first value given; another value on a later row is an error."""
    items = _normalisers(HOUSEHOLD_KEYS)
    first, *others = household.source.rows
    household.present.update(first.cells)
    typed = _typed(household, first, items)
    household.values = {key: value for key, value in typed.items() if value not in EMPTY}
    repeated = values_of([key for key, _ in items if key in first.cells])
    first_values = repeated(first.cells)
    for row in others:
        if row.header is not first.header:
            household.present.update(row.cells)
        elif repeated(row.cells) == first_values:
            continue  # the household's cells repeated verbatim: the canonical form
        # Other files leave them blank on later rows, or differ in a cell or two: compare each.
        changed = [
            (key, normalise)
            for key, normalise in items
            if (raw := row.cells.get(key, "")) != "" and raw != first.cells.get(key)
        ]
        if changed:
            for key, value in _typed(household, row, changed).items():
                _merge_value(household, row, key, value)


def values_of(keys: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A getter of `keys`' values as one tuple, compared in C (rows of one sheet share keys)."""
    if not keys:
        return lambda cells: ()
    if len(keys) == 1:
        return lambda cells: (cells[keys[0]],)
    return itemgetter(*keys)


def _merge_value(household: CheckedHousehold, row: SourceRow, key: str, value: Any) -> None:
    if value in EMPTY:
        return
    known = household.values.get(key)
    if known in EMPTY:
        household.values[key] = value
    elif known != value:
        household.problem(
            row,
            key,
            row.cells[key],
            "household_mismatch",
            f"同一户各行的【{BY_KEY[key].header}】不一致："
            f"第{household.first_row.row}行为“{_display(known)}”",
        )


REQUIRED_HOUSEHOLD = tuple(c for c in COLUMNS if c.required and c.level is Level.HOUSEHOLD)
# The birth date is taken from the ID number when it is missing.
REQUIRED_MEMBER = tuple(
    c for c in COLUMNS if c.required and c.level is Level.MEMBER and c.key != "birth_date"
)


def _check_required(household: CheckedHousehold) -> None:
    row, values = household.first_row, household.values
    for column in REQUIRED_HOUSEHOLD:
        if column.key in household.present and values.get(column.key) in EMPTY:
            if not _has_error(household, column.key):
                household.problem(row, column.key, "", "required", f"缺少必填项【{column.header}】")
    for member in household.members:
        cells, typed = member.source.cells, member.values
        for column in REQUIRED_MEMBER:
            key = column.key
            if key in cells and typed.get(key) in EMPTY:
                if not _has_error(household, key, member.source.row):  # not reported already
                    household.problem(
                        member.source, key, "", "required", f"缺少必填项【{column.header}】"
                    )


def _has_error(household: CheckedHousehold, key: str, row: int | None = None) -> bool:
    if row is not None:
        return (row, key) in household.invalid_cells
    return any(cell_key == key for _, cell_key in household.invalid_cells)


_BIRTHS: dict[str, dt.date] = {}


def _id_birth(number: str) -> dt.date:
    """The birth date in a normalised, already validated ID (memoised: dates repeat)."""
    digits = number[6:14]
    birth = _BIRTHS.get(digits)
    if birth is None:
        birth = _BIRTHS[digits] = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    return birth


def _check_identity(household: CheckedHousehold, member: CheckedMember) -> None:
    """Birth date and sex against the ID: a missing date is taken from it, a mismatch warned."""
    number = member.values.get("id_number")
    if not number:
        return
    row, birth, id_birth = member.source, member.values.get("birth_date"), _id_birth(number)
    if birth is None or isinstance(birth, PartialDate):
        if isinstance(birth, PartialDate) and (
            birth.year != id_birth.year or birth.month not in (None, id_birth.month)
        ):
            household.problem(
                row, "birth_date", row.cells.get("birth_date"), "birth_mismatch",
                f"出生日期与证件号码不符：证件号码为 {id_birth:%Y-%m-%d}，已按证件号码记录",
                warning=True,
            )  # fmt: skip
        member.values["birth_date"] = id_birth
    elif birth != id_birth:
        household.problem(
            row, "birth_date", row.cells.get("birth_date"), "birth_mismatch",
            f"出生日期 {birth:%Y-%m-%d} 与证件号码中的 {id_birth:%Y-%m-%d} 不符", warning=True,
        )  # fmt: skip
    sex = member.values.get("sex")
    is_male = number[16] in "13579"
    if sex and (sex == Sex.MALE) != is_male:
        expected = "男" if is_male else "女"
        household.problem(
            row, "sex", row.cells.get("sex"), "sex_mismatch",
            f"性别与证件号码第17位不符（证件号码为{expected}性）", warning=True,
        )  # fmt: skip


def _check_household(household: CheckedHousehold) -> None:
    values, first = household.values, household.first_row
    heads = [m for m in household.members if m.values.get("relation_to_head") == Relation.HEAD]
    if not heads:
        household.problem(
            first, "relation_to_head", "", "no_head", "该户没有与户主关系为“户主”的成员"
        )
    for extra in heads[1:]:
        household.problem(
            extra.source, "relation_to_head", extra.source.cells.get("relation_to_head"),
            "two_heads", f"该户有两名户主（另一名在第{heads[0].source.row}行）",
        )  # fmt: skip
    head_name = values.get("head_name")
    if len(heads) == 1 and head_name and heads[0].values.get("name") not in (head_name, None, ""):
        household.problem(
            first, "head_name", head_name, "head_name",
            f"户主姓名“{head_name}”与户主那一行的姓名“{heads[0].values['name']}”不一致",
        )  # fmt: skip
    size = values.get("household_size")
    if size and size != len(household.members):
        household.problem(
            first, "household_size", size, "size_mismatch",
            f"家庭人口数为{size}，但该户有{len(household.members)}行成员", warning=True,
        )  # fmt: skip
    _check_years(household)


def _check_years(household: CheckedHousehold) -> None:
    values, first = household.values, household.first_row
    status, exit_year = values.get("status"), values.get("exit_year")
    if status == HouseholdStatus.EXITED and not exit_year and "status" in household.present:
        household.problem(first, "exit_year", "", "exit_year", "户状态为已脱贫时必须填写脱贫年度")
    identified = values.get("identified_year")
    if exit_year and identified and exit_year < identified:
        household.problem(
            first, "exit_year", exit_year, "exit_year",
            f"脱贫年度{exit_year}早于识别年度{identified}",
        )  # fmt: skip


def check_household(source: SourceHousehold) -> CheckedHousehold:
    """Type and check one household's rows (no database)."""
    household = CheckedHousehold(source=source)
    if not source.number:
        household.problem(
            source.rows[0], "household_number", "", "required",
            "缺少必填项【户编号】：无法确定这一行属于哪一户",
        )  # fmt: skip
    _merge_household_values(household)
    items = _normalisers(MEMBER_KEYS)
    for row in source.rows:
        household.members.append(CheckedMember(source=row, values=_typed(household, row, items)))
    _check_required(household)
    for member in household.members:
        _check_identity(household, member)
    _check_household(household)
    return household


def check_file(households: list[CheckedHousehold]) -> None:
    """Problems across households: the same ID number on two rows of the upload."""
    rows_by_id: dict[str, list[tuple[CheckedHousehold, CheckedMember]]] = {}
    for household in households:
        for member in household.members:
            if number := member.values.get("id_number"):
                rows_by_id.setdefault(number, []).append((household, member))
    for number, rows in rows_by_id.items():
        if len(rows) < 2:
            continue
        for household, member in rows:
            others = "、".join(
                f"“{other.source.sheet}”第{other.source.row}行"
                for _, other in rows
                if other is not member
            )
            household.problem(
                member.source, "id_number", number, "duplicate_id", f"证件号码与{others}重复"
            )
