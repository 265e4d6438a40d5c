"""Audit entries of a registry import: the write stage inserts and updates in bulk, unseen by
auditlog's signals, so it has its plan's entries made here and inserts them in its transaction.

One entry per household the write touched, its members' changes folded in (a county's first
import is 33,000 entries, not 133,000): a created household lists its values and its members
(name and masked ID number); an updated one the preview's changes, field by field (old → new),
its members' too; members who left are named. The batch keeps the uploaded file itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import chain
from typing import Any

from auditlog.models import LogEntry

from audit.masking import SENSITIVE, mask_value
from audit.services import BulkChange, bulk_rows
from households.masking import mask_id_number
from households.models import Household
from households.registry.plan import Action, Plan, PlannedHousehold, PlannedMember

CREATE, UPDATE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE
# A created household's empty values add nothing to its entry.
SKIPPED_VALUES: tuple[Any, ...] = (None, "", [])
MEMBER_MASKS = SENSITIVE["households.member"]


def registry_entries(
    plan: Plan,
    *,
    created_ids: dict[str, int],
    batch_id: int,
    actor_id: int | None,
    mark_left: bool,
    today: dt.date,
) -> Iterator[list[Any]]:
    """The entries (rows for `services.insert_bulk_rows`) of every household the write of
    `plan` created (`created_ids`: 户编号 → pk, as the write inserted them) or changed, with
    its members. Made as they are iterated, without a query: see `services.bulk_rows`."""
    created = plan.of(Action.CREATE)
    existing = [*plan.of(Action.UPDATE), *plan.of(Action.UNCHANGED)]
    changes = chain(_created(created, created_ids), _updated(existing, mark_left, today))
    source = f"花名册导入（批次 #{batch_id}）"
    return bulk_rows(
        changes, model=Household, actor_id=actor_id, source=source, extra={"batch": batch_id}
    )


def _created(households: list[PlannedHousehold], ids: dict[str, int]) -> Iterator[BulkChange]:
    for planned in households:
        values = {"household_number": planned.household_number, **planned.values}
        values["village"] = planned.area_label
        changes = {k: (None, v) for k, v in values.items() if v not in SKIPPED_VALUES}
        changes["members"] = (None, "、".join(_person(m) for m in planned.members))
        yield BulkChange(ids[planned.household_number], planned.household_number,
                         CREATE, changes)  # fmt: skip


def _updated(
    households: list[PlannedHousehold], mark_left: bool, today: dt.date
) -> Iterator[BulkChange]:
    for planned in households:
        changes: dict[str, tuple[Any, Any]] = {c.field: (c.old, c.new) for c in planned.changes}
        for member in planned.members:
            if member.action == Action.CREATE:
                changes[f"新增成员 {member.name}"] = (None, _person(member))
            elif member.action == Action.UPDATE:
                changes.update(_member_changes(member))
        if mark_left:
            for person in planned.leaving:
                changes[f"减少成员 {person.name}"] = (mask_id_number(person.id_number),
                                                     f"{today:%Y-%m-%d} 减少（其他）")  # fmt: skip
        if changes:
            yield BulkChange(planned.household_id or 0, planned.household_number,
                             UPDATE, changes)  # fmt: skip


def _person(member: PlannedMember) -> str:
    return f"{member.name}（{mask_id_number(member.id_number)}）"


def _member_changes(member: PlannedMember) -> Iterator[tuple[str, tuple[Any, Any]]]:
    """A member's changes under the household's entry, masked by the member's own rules."""
    for change in member.changes:
        masker = MEMBER_MASKS.get(change.field)
        old, new = change.old, change.new
        if masker:
            old, new = mask_value(masker, old), mask_value(masker, new)
        yield f"成员 {member.name}·{change.label}", (old, new)
