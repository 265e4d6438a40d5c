"""Stage 5, diff: compare each checked household with what is stored and plan the write."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from households.choices import HouseholdStatus, StatusChangeKind
from households.models.status import TRANSITIONS
from households.registry import scope
from households.registry.columns import BY_KEY, Kind
from households.registry.errors import RowError
from households.registry.plan import (
    Action,
    Change,
    LeavingMember,
    Plan,
    PlannedHousehold,
    PlannedMember,
)
from households.registry.stored import MEMBER_FIELDS, Stored
from households.registry.validate import CheckedHousehold, CheckedMember, values_of

# Contract key → Household field, where they differ.
HOUSEHOLD_FIELD_OF = {
    "income_per_capita": "registry_income_per_capita",
    "responsible_cadres": "registry_cadre_names",
}
KEY_OF_FIELD = {field: key for key, field in HOUSEHOLD_FIELD_OF.items()}


def stored_form(key: str, value: Any) -> Any:
    """A typed value as the model field holds it, in JSON-safe form (dates and money as text)."""
    if value is None:
        kind = BY_KEY[key].kind
        return None if kind in _NULLABLE else [] if kind is Kind.CHOICES else ""
    if key == "responsible_cadres":
        return "、".join(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_NULLABLE = {Kind.INTEGER, Kind.YEAR, Kind.DECIMAL, Kind.DATE, Kind.BOOLEAN}


def display(key: str, value: Any) -> str:
    """A stored value as the preview shows it: Chinese labels, 是/否, dates as YYYY-MM-DD."""
    column = BY_KEY[key]
    if value in (None, "", []):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if column.choices is not None:
        labels = dict(column.choices.choices)
        if isinstance(value, list):
            return "、".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    return str(value)


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _changes(keys: list[tuple[str, str]], new: dict[str, Any], old: dict[str, Any]) -> list[Change]:
    # Most rows of a re-import are equal as they are: compare them at once, in C.
    if [new[field] for _, field in keys] == [old.get(field) for _, field in keys]:
        return []
    changes = []
    for key, field in keys:
        before, after = _comparable(old.get(field)), new[field]
        if (before in (None, "")) and (after in (None, "")):
            continue
        if before != after:
            label = BY_KEY[key].header
            changes.append(Change(field, label, display(key, before), display(key, after)))
    return changes


def _household_values(household: CheckedHousehold, stored: Stored, row: dict | None) -> dict:
    """The Household fields the file sets; columns the file lacks are left as they are."""
    values: dict[str, Any] = {}
    for key in household.present:
        if BY_KEY[key].level != "household" or key in _NOT_FIELDS:
            continue
        values[HOUSEHOLD_FIELD_OF.get(key, key)] = stored_form(key, household.values.get(key))
    if row is not None:
        _derived(household, stored, row, values)
    return values


_NOT_FIELDS = {"county", "township", "village", "household_number", "head_name", "household_size"}


def _derived(household: CheckedHousehold, stored: Stored, row: dict, values: dict) -> None:
    """Income and cadres kept by other records are compared with the file, never overwritten."""
    pk = row["id"]
    checks = (
        ("income_per_capita", stored.incomes, "系统按年度收入计算为"),
        ("responsible_cadres", stored.cadres, "结对帮扶记录为"),
    )
    for key, derived, what in checks:
        field = HOUSEHOLD_FIELD_OF[key]
        if pk not in derived or field not in values:
            continue
        system = _comparable(derived[pk]) or ""
        if (values.pop(field) or "") != system:
            household.problem(
                household.first_row, key, household.values.get(key), "derived_mismatch",
                f"与{what}“{system or '空'}”不一致，以系统记录为准，未修改", warning=True,
            )  # fmt: skip


_MEMBER_DEFAULTS: dict[str, Any] = {
    key: None if BY_KEY[key].kind in _NULLABLE else "" for key in MEMBER_FIELDS
}


def _member_values(member: CheckedMember, keys: list[str]) -> dict[str, Any]:
    """The member's fields the file sets, as stored (the hot path: 100,000 rows a county)."""
    typed = member.values
    values = {key: typed.get(key, _MEMBER_DEFAULTS[key]) for key in keys}
    birth = values.get("birth_date")
    if isinstance(birth, dt.date):
        values["birth_date"] = birth.isoformat()
    for key, value in values.items():
        if value is None and _MEMBER_DEFAULTS[key] == "":
            values[key] = ""
    return values


def _status_event(old: str, new: str) -> str | None:
    """The 动态调整 kind that takes a household from `old` to `new`; None when none may."""
    if old == new:
        return ""
    for kind, (sources, target) in TRANSITIONS.items():
        if target == new and old in sources:
            return str(kind)
    return None


def _plan_members(household: CheckedHousehold, stored: Stored, planned: PlannedHousehold) -> None:
    current = {row["id_number"]: row for row in stored.members.get(planned.household_id or 0, [])}
    present = household.present
    keys = [key for key in MEMBER_FIELDS if key in present or key in ("id_number", "birth_date")]
    compared = [(key, key) for key in keys if key != "id_number"]
    compared_values = values_of([field for _, field in compared])  # stored rows have every field
    for member in household.members:
        values = _member_values(member, keys)
        number = values.get("id_number") or ""
        owner = stored.id_owners.get(number)
        if number not in current and owner and owner != planned.household_number:
            household.problem(
                member.source, "id_number", number, "id_elsewhere",
                f"该证件号码已是户编号 {owner} 的现有成员",
            )  # fmt: skip
        row = current.get(number)
        if row is None or compared_values(values) == compared_values(row):
            changes = []
        else:
            changes = _changes(compared, values, row)
        action = Action.CREATE if row is None else Action.UPDATE if changes else Action.UNCHANGED
        planned.members.append(
            PlannedMember(
                action=action,
                name=values.get("name") or "",
                id_number=number,
                values=values,
                changes=changes,
                member_id=row["id"] if row else None,
            )
        )
    in_file = {m.id_number for m in planned.members}
    planned.leaving = [
        LeavingMember(member_id=row["id"], name=row["name"], id_number=number)
        for number, row in current.items()
        if number not in in_file
    ]


def _area(household: CheckedHousehold) -> tuple[str, str, str]:
    values = household.values
    return (values.get("county") or "", values.get("township") or "", values.get("village") or "")


def plan_household(
    household: CheckedHousehold, stored: Stored, area: scope.UploaderArea | None = None
) -> PlannedHousehold:
    row = stored.households.get(household.number)
    stored_area = stored.village_names.get(row["village_id"]) if row else None
    if scope.check_household(household, stored_area, area):
        row = None  # outside the uploader's area: the preview shows nothing of the stored row
    planned = PlannedHousehold(
        action=Action.CREATE,
        household_number=household.number,
        head_name=str(household.values.get("head_name") or ""),
        area=_area(household),
        sheet=household.first_row.sheet,
        row=household.first_row.row,
        values=_household_values(household, stored, row),
        household_id=row["id"] if row else None,
    )
    if row is not None:
        _plan_update(household, stored, row, planned)
    else:
        planned.status_event = StatusChangeKind.NEW_IDENTIFICATION
    _plan_members(household, stored, planned)
    if household.errors:
        planned.action = Action.INVALID
    elif row is not None:
        changed = planned.changes or planned.member_changes
        planned.action = Action.UPDATE if changed else Action.UNCHANGED
    return planned


def _plan_update(
    household: CheckedHousehold, stored: Stored, row: dict, planned: PlannedHousehold
) -> None:
    keys = [(KEY_OF_FIELD.get(field, field), field) for field in planned.values]
    planned.changes = _changes(keys, planned.values, row)
    old_area = stored.village_names.get(row["village_id"])
    if "village" in household.present and old_area != planned.area:
        old = "".join(old_area[1:]) if old_area else ""
        planned.changes.append(Change("village", "行政村", old, planned.area_label))
    new_status = planned.values.get("status")
    if new_status is None:
        return
    event = _status_event(row["status"], new_status)
    if event is None:
        labels = dict(HouseholdStatus.choices)
        household.problem(
            household.first_row, "status", household.values.get("status"), "status_change",
            f"户状态不能由“{labels[row['status']]}”直接改为“{labels[new_status]}”，"
            "请通过动态调整办理",
        )  # fmt: skip
    else:
        planned.status_event = event


def build_plan(
    households: list[CheckedHousehold],
    stored: Stored,
    area: scope.UploaderArea | None = None,
) -> tuple[Plan, list[RowError], list[RowError]]:
    """The plan, with every error and warning; `households` is emptied as it is planned, so
    that a county's checked rows and its plan are not both held in memory at the end.

    A household outside the uploader's `area` (None: no limit) is invalid, with a row error."""
    plan, errors, warnings = Plan(), [], []
    for index, household in enumerate(households):
        plan.households.append(plan_household(household, stored, area))
        errors.extend(household.errors)
        warnings.extend(household.warnings)
        households[index] = None  # type: ignore[call-overload]
    households.clear()
    _new_areas(plan, stored)
    return plan, errors, warnings


def _new_areas(plan: Plan, stored: Stored) -> None:
    seen: set[tuple[str, ...]] = set()
    for planned in plan.households:
        if planned.action == Action.INVALID:
            continue
        county, township, village = planned.area
        for key, known, target in (
            ((county,), county in stored.counties, plan.new_counties),
            ((county, township), (county, township) in stored.townships, plan.new_townships),
            (planned.area, planned.area in stored.villages, plan.new_villages),
        ):
            if not known and key not in seen:
                seen.add(key)
                target.append(key[0] if len(key) == 1 else key)  # type: ignore[arg-type]


def fingerprint(stored: Stored, numbers: list[str]) -> str:
    """A hash of the stored rows a plan depends on: the write refuses a plan whose rows moved."""
    digest = hashlib.sha256()
    for number in sorted(numbers):
        row = stored.households.get(number)
        members = stored.members.get(row["id"], []) if row else []
        # repr of plain values from .values() queries: stable for the same rows, and fast.
        digest.update(repr((number, row, members)).encode())
    return digest.hexdigest()
