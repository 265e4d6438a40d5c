"""Stage 6, write: apply a previewed plan in one transaction, with fast bulk inserts.

The write re-checks the stored rows the plan was built on (its fingerprint) inside the
transaction, so that an import never applies a preview that another import has overtaken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from audit.imports import registry_entries
from audit.services import insert_bulk_rows
from households.choices import (
    HouseholdStatus,
    MemberJoinReason,
    MemberLeaveReason,
    StatusChangeKind,
)
from households.models import (
    BatchHousehold,
    County,
    Household,
    Member,
    StatusChange,
    Township,
    Village,
)
from households.models.status import TRANSITIONS
from households.registry import stored as stored_module
from households.registry.bulk import ids_by, insert_rows
from households.registry.diff import fingerprint
from households.registry.plan import Action, Plan, PlannedHousehold
from households.registry.stored import MEMBER_FIELDS

Progress = Callable[[str, int, int], None]
LOCK_KEY = 7_100_301  # pg_advisory_xact_lock key of registry writes


class StalePlan(Exception):
    """The stored data changed after the preview; the user must preview again."""


@dataclass
class WriteContext:
    batch_id: int
    user_id: int | None
    today: dt.date
    now: dt.datetime
    mark_left: bool
    villages: dict[tuple[str, str, str], int] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    created_ids: dict[str, int] = field(default_factory=dict)  # 户编号 → pk of new households

    @property
    def reason(self) -> str:
        return f"花名册导入（批次 #{self.batch_id}）"


def plan_numbers(plan: Plan) -> list[str]:
    return [h.household_number for h in plan.households if h.action != Action.INVALID]


def apply(
    plan: Plan,
    *,
    batch_id: int,
    expected_fingerprint: str,
    user_id: int | None,
    mark_left: bool,
    progress: Progress | None = None,
) -> dict[str, dict[str, int]]:
    """Write every valid household of `plan`; all of it or, on any error, none of it."""
    now = timezone.now()
    context = WriteContext(batch_id, user_id, timezone.localdate(now), now, mark_left)
    context.counts = {
        "households": {"created": 0, "updated": 0, "unchanged": 0, "invalid": 0},
        "members": {"created": 0, "updated": 0, "unchanged": 0, "left": 0},
    }
    if not plan_has_work(plan, mark_left=mark_left):  # a no-op re-import: no transaction
        context.counts["households"]["unchanged"] = len(plan.of(Action.UNCHANGED))
        context.counts["households"]["invalid"] = len(plan.of(Action.INVALID))
        context.counts["members"]["unchanged"] = sum(
            len(h.members) for h in plan.of(Action.UNCHANGED)
        )
        return context.counts
    with transaction.atomic():
        _lock()
        numbers = [h.household_number for h in plan.households if h.action != Action.INVALID]
        current = stored_module.load(numbers, [])
        if fingerprint(current, numbers) != expected_fingerprint:
            raise StalePlan(
                "预览之后，系统中这些户的数据已被修改（可能是另一批次导入），请重新上传预览"
            )
        context.villages = _ensure_areas(plan, current)
        _check_keys_per_statement()
        created = plan.of(Action.CREATE)
        context.created_ids = _create_households(created, context, progress)
        # Bulk writes skip auditlog's signals: the trail gets its entries explicitly. Making
        # them is Python work only (a county's first import: 2.5 s), done in another thread
        # while the database inserts the members, the slow part here.
        entries = registry_entries(
            plan, created_ids=context.created_ids, batch_id=batch_id, actor_id=user_id,
            mark_left=mark_left, today=context.today,
        )  # fmt: skip
        with ThreadPoolExecutor(1, thread_name_prefix="registry-audit") as audit:
            made = audit.submit(list, entries)
            _create_members(created, context, progress)
            _update([*plan.of(Action.UPDATE), *plan.of(Action.UNCHANGED)], context, current,
                    progress)  # fmt: skip
            insert_bulk_rows(made.result())
    context.counts["households"]["invalid"] = len(plan.of(Action.INVALID))
    return context.counts


def plan_has_work(plan: Plan, *, mark_left: bool) -> bool:
    """Whether applying `plan` writes anything; without work the fingerprint is not checked."""
    if plan.of(Action.CREATE) or plan.of(Action.UPDATE):
        return True
    return mark_left and any(h.leaving for h in plan.of(Action.UNCHANGED))


def _lock() -> None:
    """Serialise registry writes: a second import waits here instead of racing the first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _check_keys_per_statement() -> None:
    """Have PostgreSQL check foreign keys as each COPY ends rather than all at commit.

    1.5 s for a county's first import: while PostgreSQL checks the members', the audit thread
    still has work to overlap with; at commit nothing is left to do. Every row the write
    inserts refers to rows written before it, so no check needs the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _ensure_areas(plan: Plan, current: stored_module.Stored) -> dict[tuple[str, str, str], int]:
    """The village pk of each valid household's area; areas new to the system are created.

    `current` holds every stored area, so a county's hundreds of villages cost no query each."""
    counties, townships = dict(current.counties), dict(current.townships)
    villages: dict[tuple[str, str, str], int] = {}
    for planned in plan.households:
        if planned.action == Action.INVALID or planned.area in villages:
            continue
        county_name, township_name, village_name = planned.area
        if county_name not in counties:
            counties[county_name] = County.objects.create(name=county_name).pk
        township_key = (county_name, township_name)
        if township_key not in townships:
            township = Township.objects.create(county_id=counties[county_name], name=township_name)
            townships[township_key] = township.pk
        village_pk = current.villages.get(planned.area)
        if village_pk is None:
            village_pk = Village.objects.create(
                township_id=townships[township_key], name=village_name
            ).pk
        villages[planned.area] = village_pk
    return villages


HOUSEHOLD_INSERT = (
    "household_number", "village", "hamlet", "identification_standard", "poverty_attribute",
    "main_cause", "other_causes", "status", "identified_year", "exit_year", "return_year",
    "keeps_policies", "phone", "address", "situation", "created_at", "updated_at",
    "registry_income_per_capita", "registry_cadre_names", "version",
)  # fmt: skip
MEMBER_INSERT = (
    "household", *MEMBER_FIELDS, "has_serious_illness_insurance", "disability_card_number",
    "joined_on", "join_reason", "left_on", "leave_reason",
)  # fmt: skip
EVENT_INSERT = (
    "household", "member", "kind", "from_status", "to_status", "year", "effective_on",
    "reason", "recorded_by", "recorded_at", "approved_by", "approved_on",
)  # fmt: skip
HOUSEHOLD_DEFAULTS: dict[str, Any] = {
    "hamlet": "", "other_causes": [], "exit_year": None, "phone": "",
    "registry_income_per_capita": None, "registry_cadre_names": "",
}  # fmt: skip
MEMBER_DEFAULTS: dict[str, Any] = {
    "education": "", "student_status": "", "work_status": "", "work_months": None,
}  # fmt: skip


def _household_row(planned: PlannedHousehold, context: WriteContext) -> list[Any]:
    values = {**HOUSEHOLD_DEFAULTS, **planned.values}
    returned = values["status"] == HouseholdStatus.RETURNED
    income = values["registry_income_per_capita"]
    return [
        planned.household_number, context.villages[planned.area], values["hamlet"],
        values["identification_standard"], values["poverty_attribute"], values["main_cause"],
        values["other_causes"], values["status"], values["identified_year"], values["exit_year"],
        context.today.year if returned else None, True, values["phone"], "", "",
        context.now, context.now, Decimal(income) if income is not None else None,
        values["registry_cadre_names"], 1,
    ]  # fmt: skip


def _member_row(household_id: int, values: dict[str, Any], joined_on: dt.date | None) -> list:
    values = {**MEMBER_DEFAULTS, **values}
    return [
        household_id, *(values[name] for name in MEMBER_FIELDS),
        False, "", joined_on, MemberJoinReason.OTHER if joined_on else "", None, "",
    ]  # fmt: skip


def _event(
    context: WriteContext, household_id: int, kind: str, year: int, on: dt.date,
    from_status: str = "", member_id: int | None = None,
) -> list[Any]:  # fmt: skip
    to_status = TRANSITIONS[kind][1] if kind in TRANSITIONS else ""
    return [
        household_id, member_id, kind, from_status, to_status, year, on, context.reason,
        context.user_id, context.now, "", None,
    ]  # fmt: skip


def _entry_events(planned: PlannedHousehold, pk: int, context: WriteContext) -> list[list[Any]]:
    """新识别, then the events that led to the status the file gives."""
    values, today = planned.values, context.today
    identified, exited = values["identified_year"], values.get("exit_year")
    events = [_event(context, pk, StatusChangeKind.NEW_IDENTIFICATION, identified,
                     dt.date(identified, 12, 31))]  # fmt: skip
    status, before = values["status"], HouseholdStatus.NOT_EXITED
    if status in (HouseholdStatus.EXITED, HouseholdStatus.RETURNED) and exited:
        events.append(_event(context, pk, StatusChangeKind.MARK_EXITED, exited,
                             dt.date(exited, 12, 31), before))  # fmt: skip
        before = HouseholdStatus.EXITED
    if status == HouseholdStatus.RETURNED:
        events.append(_event(context, pk, StatusChangeKind.RETURN, today.year, today, before))
    if status == HouseholdStatus.REMOVED:
        events.append(_event(context, pk, StatusChangeKind.REMOVAL, today.year, today, before))
    return events


def _create_households(
    households: list[PlannedHousehold], context: WriteContext, progress: Progress | None
) -> dict[str, int]:
    """Insert the new households; return their pks by 户编号."""
    if not households:  # a re-import: no COPY round trips for nothing
        return {}
    if progress:
        progress("写入新增户", 0, len(households))
    # Generators: on PostgreSQL each table's rows are made while its COPY runs (bulk.CopyStream).
    insert_rows(Household, HOUSEHOLD_INSERT, (_household_row(h, context) for h in households))
    return ids_by(Household, "household_number", [h.household_number for h in households])


def _create_members(
    households: list[PlannedHousehold], context: WriteContext, progress: Progress | None
) -> None:
    """The new households' members, events (新识别…) and links to the batch."""
    if not households:
        return
    ids = context.created_ids
    members = (_member_row(ids[planned.household_number], member.values, None)
               for planned in households for member in planned.members)  # fmt: skip
    created_members = insert_rows(Member, MEMBER_INSERT, members)
    events = (event for h in households
              for event in _entry_events(h, ids[h.household_number], context))  # fmt: skip
    insert_rows(StatusChange, EVENT_INSERT, events)
    links = ([context.batch_id, ids[h.household_number], "created", []] for h in households)
    insert_rows(BatchHousehold, ("batch", "household", "action", "changes"), links)
    context.counts["households"]["created"] = len(households)
    context.counts["members"]["created"] += created_members
    if progress:
        progress("写入新增户", len(households), len(households))


def _household_updates(planned: PlannedHousehold, context: WriteContext) -> dict[str, Any]:
    fields = {change.field for change in planned.changes}
    values: dict[str, Any] = {name: planned.values[name] for name in fields if name != "village"}
    if "village" in fields:
        values["village_id"] = context.villages[planned.area]
    if values.get("status") == HouseholdStatus.RETURNED:
        values["return_year"] = context.today.year
    return values


def _bulk_update(model: type[Any], rows: list[tuple[int, dict[str, Any]]], now: Any = None) -> None:
    """Update rows grouped by the set of fields they change (bulk_update needs one field list)."""
    groups: dict[frozenset[str], list[Any]] = {}
    for pk, values in rows:
        if now is not None:
            values = {**values, "updated_at": now}
        groups.setdefault(frozenset(values), []).append(model(pk=pk, **values))
    for fields, objects in groups.items():
        model.objects.bulk_update(objects, sorted(fields), batch_size=500)


def _update(
    households: list[PlannedHousehold],
    context: WriteContext,
    current: stored_module.Stored,
    progress: Progress | None,
) -> None:
    counts = context.counts
    events: list[list[Any]] = []
    touched: dict[int, PlannedHousehold] = {}
    if progress:
        progress("写入更新户", 0, len(households))
    if context.mark_left:
        _leave(households, context, events, touched)
    updates = []
    for planned in households:
        pk = planned.household_id or 0
        if planned.changes:
            updates.append((pk, _household_updates(planned, context)))
            touched[pk] = planned
        kind = planned.status_event
        if kind and kind != StatusChangeKind.NEW_IDENTIFICATION:
            before = current.households[planned.household_number]["status"]
            events.append(_event(context, pk, kind, context.today.year, context.today, before))
        counts["members"]["unchanged"] += sum(m.action == Action.UNCHANGED for m in planned.members)
    _bulk_update(Household, updates, context.now)
    _update_members(households, context, touched)
    events.extend(_join(households, context, touched))
    # A household form opened before the import must not save over it (the version check).
    for batch in stored_module.chunks(list(touched)):
        Household.objects.filter(pk__in=batch).update(version=F("version") + 1)
    insert_rows(StatusChange, EVENT_INSERT, events)
    links = [[context.batch_id, pk, "updated", _changes_json(h)] for pk, h in touched.items()]
    insert_rows(BatchHousehold, ("batch", "household", "action", "changes"), links)
    counts["households"]["updated"] = len(touched)
    counts["households"]["unchanged"] = len(households) - len(touched)
    if progress:
        progress("写入更新户", len(households), len(households))


def _changes_json(planned: PlannedHousehold) -> list[dict[str, str]]:
    changes = [{"label": c.label, "old": c.old, "new": c.new} for c in planned.changes]
    for member in planned.member_changes:
        label = "新增成员" if member.action == Action.CREATE else f"成员{member.name}"
        if member.action == Action.CREATE:
            changes.append({"label": label, "old": "", "new": member.name})
        changes.extend({"label": f"{label}·{c.label}", "old": c.old, "new": c.new}
                       for c in member.changes)  # fmt: skip
    return changes


def _leave(households, context, events, touched) -> None:  # type: ignore[no-untyped-def]
    """Members absent from their household's rows leave (迁出/其他) — only when the user asked."""
    leaving = [(h, m) for h in households for m in h.leaving]
    ids = [m.member_id for _, m in leaving]
    for batch in stored_module.chunks(ids):
        Member.objects.filter(pk__in=batch).update(
            left_on=context.today, leave_reason=MemberLeaveReason.OTHER
        )
    for planned, member in leaving:
        pk = planned.household_id or 0
        events.append(_event(context, pk, StatusChangeKind.NATURAL_DECREASE, context.today.year,
                             context.today, member_id=member.member_id))  # fmt: skip
        touched[pk] = planned
    context.counts["members"]["left"] = len(leaving)


def _update_members(households, context, touched) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for planned in households:
        for member in planned.members:
            if member.action == Action.UPDATE and member.member_id:
                values = {c.field: member.values[c.field] for c in member.changes}
                rows.append((member.member_id, values, values.get("relation_to_head") == "head"))
                touched[planned.household_id or 0] = planned
    # A new head is written last, after the old head's relation has changed (one head at a time).
    _bulk_update(Member, [(pk, values) for pk, values, head in rows if not head])
    _bulk_update(Member, [(pk, values) for pk, values, head in rows if head])
    context.counts["members"]["updated"] = len(rows)


def _join(households, context, touched) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    """Members new to an existing household join it (自然增加), each with its event."""
    joining = [(h, m) for h in households for m in h.members if m.action == Action.CREATE]
    rows = [_member_row(h.household_id or 0, m.values, context.today) for h, m in joining]
    insert_rows(Member, MEMBER_INSERT, rows)
    events = []
    numbers = {(h.household_id, m.id_number) for h, m in joining}
    for batch in stored_module.chunks(sorted(numbers, key=str)):
        found = Member.objects.filter(
            household_id__in={pk for pk, _ in batch},
            id_number__in={number for _, number in batch},
            left_on__isnull=True,
            joined_on=context.today,
        ).values_list("pk", "household_id")
        for member_id, household_id in found:
            kind, today = StatusChangeKind.NATURAL_INCREASE, context.today
            events.append(
                _event(context, household_id, kind, today.year, today, member_id=member_id)
            )
    for planned, _ in joining:
        touched[planned.household_id or 0] = planned
    context.counts["members"]["created"] += len(rows)
    return events
