"""Stage 4, validate: typed values per row, then per household, then across the file.

Every problem becomes a `RowError` and all of them are collected; an error in any of a
household's rows makes the whole household invalid, a warning is only listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from households import idnumbers
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


def _normaliser(key: str) -> Callable[[Any], Any]:
    if key not in _NORMALISERS:
        _NORMALISERS[key] = normaliser(BY_KEY[key])
    return _NORMALISERS[key]


def _typed(household: CheckedHousehold, row: SourceRow, keys: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in keys:
        if key not in row.cells:
            continue
        raw = row.cells[key]
        try:
            values[key] = _normaliser(key)(raw)
        except ValueProblem as problem:
            household.problem(row, key, raw, "invalid_value", str(problem))
            values[key] = None
    return values


def _merge_household_values(household: CheckedHousehold) -> None:
    """The household's columns: the first value given; another value on a later row is an error."""
    for row in household.source.rows:
        household.present.update(row.cells)
        for key, value in _typed(household, row, HOUSEHOLD_KEYS).items():
            if value in EMPTY:
                continue
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


def _check_required(household: CheckedHousehold) -> None:
    row = household.first_row
    for column in COLUMNS:
        if column.required and column.level is Level.HOUSEHOLD and column.key in household.present:
            if household.values.get(column.key) in EMPTY and not _has_error(household, column.key):
                household.problem(row, column.key, "", "required", f"缺少必填项【{column.header}】")
    for member in household.members:
        for key in MEMBER_KEYS:
            column = BY_KEY[key]
            if column.required and key in member.source.cells and member.values.get(key) in EMPTY:
                if key == "birth_date" or _has_error(household, key, member.source.row):
                    continue  # taken from the ID number, or already reported as invalid
                household.problem(
                    member.source, key, "", "required", f"缺少必填项【{column.header}】"
                )


def _has_error(household: CheckedHousehold, key: str, row: int | None = None) -> bool:
    if row is not None:
        return (row, key) in household.invalid_cells
    return any(cell_key == key for _, cell_key in household.invalid_cells)


def _check_identity(household: CheckedHousehold, member: CheckedMember) -> None:
    """Birth date and sex against the ID: a missing date is taken from it, a mismatch warned."""
    number = member.values.get("id_number")
    if not number:
        return
    facts = idnumbers.parse(number)
    row, birth = member.source, member.values.get("birth_date")
    id_birth = f"{facts.birth_date:%Y-%m-%d}"
    if birth is None or isinstance(birth, PartialDate):
        if isinstance(birth, PartialDate) and (
            birth.year != facts.birth_date.year or birth.month not in (None, facts.birth_date.month)
        ):
            household.problem(
                row, "birth_date", row.cells.get("birth_date"), "birth_mismatch",
                f"出生日期与证件号码不符：证件号码为 {id_birth}，已按证件号码记录", warning=True,
            )  # fmt: skip
        member.values["birth_date"] = facts.birth_date
    elif birth != facts.birth_date:
        household.problem(
            row, "birth_date", row.cells.get("birth_date"), "birth_mismatch",
            f"出生日期 {birth:%Y-%m-%d} 与证件号码中的 {id_birth} 不符", warning=True,
        )  # fmt: skip
    sex = member.values.get("sex")
    if sex and (sex == Sex.MALE) != facts.is_male:
        expected = "男" if facts.is_male else "女"
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
    for row in source.rows:
        household.members.append(
            CheckedMember(source=row, values=_typed(household, row, MEMBER_KEYS))
        )
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
