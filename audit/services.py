"""Entries of the audit trail written explicitly: reveals, exports and bulk writes.

Model signals write the entries of ordinary saves (see `registry`); these cover what signals
cannot see: reading a full identifier, exporting many records, and bulk inserts and updates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from audit.masking import SENSITIVE, Masker, mask_value
from audit.models import DataExport
from households.registry.bulk import insert_rows

REVEAL_LABELS = {"id_number": "查看完整证件号码", "phone": "查看完整联系电话"}


def record_reveal(
    *,
    user: AbstractBaseUser | AnonymousUser,
    obj: models.Model,
    field: str,
    remote_addr: str | None,
) -> None:
    """Record that `user` saw the full value of `obj.<field>` (never the value itself)."""
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=str(obj),
        action=LogEntry.Action.ACCESS,
        changes=None,
        additional_data={"access": REVEAL_LABELS.get(field, f"查看完整{field}"), "field": field},
        **_actor(user, remote_addr),
    )


def record_export(
    *,
    user: AbstractBaseUser | AnonymousUser,
    description: str,
    full_ids: bool,
    rows: int,
    remote_addr: str | None,
) -> None:
    """Record an export of `rows` records; `full_ids` says whether it had unmasked numbers."""
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(DataExport, for_concrete_model=False),
        object_pk="",
        object_repr=description,
        action=LogEntry.Action.ACCESS,
        changes=None,
        additional_data={
            "access": "导出（含完整证件号码）" if full_ids else "导出（证件号码已脱敏）",
            "export": description,
            "full_ids": full_ids,
            "rows": rows,
        },
        **_actor(user, remote_addr),
    )


def _actor(user: AbstractBaseUser | AnonymousUser, remote_addr: str | None) -> dict[str, Any]:
    actor = user if user.is_authenticated else None
    return {
        "actor": actor,
        "actor_email": getattr(actor, "email", None) or None,
        "remote_addr": remote_addr,
    }


@dataclass(frozen=True)
class BulkChange:
    """One object's change in a bulk write: `changes` maps a field to (old, new)."""

    pk: int
    label: str  # the object's name in the trail (its str())
    action: int  # LogEntry.Action
    changes: dict[str, tuple[Any, Any]]


def bulk_rows(
    changes: Iterable[BulkChange],
    *,
    model: type[models.Model],
    actor_id: int | None,
    source: str,
    remote_addr: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Iterator[list[Any]]:
    """The entries of a bulk write, one per change of a `model` object, masked as signal-written
    ones are: rows for `insert_bulk_rows`, made as they are iterated.

    Bulk inserts and updates skip model signals, so auditlog never sees them; `source` names
    the bulk write in each entry (`花名册导入（批次 #12）`). The rows go in through the registry's
    own fast insert: `bulk_create` builds a model instance per entry and took a minute for the
    100,000 members of a county.

    What needs the database or the request (actor, address, correlation id, content type) is
    read at the call; making the rows queries nothing, so that another thread may make them
    (the registry's write does, while the database inserts the members) or a COPY consume
    them as they come."""
    # Values the whole batch shares are converted for the database once, not per row.
    common = [
        actor_id,
        _email(actor_id),
        remote_addr if remote_addr is not None else request_remote_addr(),
        get_cid(),
        connection.ops.adapt_datetimefield_value(timezone.now()),
        json.dumps({"source": source, **(extra or {})}, ensure_ascii=False),
        "",  # changes_text: auditlog's legacy column, unused with JSON changes
    ]
    content_type = ContentType.objects.get_for_model(model)
    maskers = SENSITIVE.get(f"{content_type.app_label}.{content_type.model}", {})
    return (_bulk_row(change, common, content_type.pk, maskers) for change in changes)


def insert_bulk_rows(rows: Iterable[list[Any]]) -> int:
    """Insert rows of `bulk_rows`; return how many."""
    return insert_rows(LogEntry, BULK_COLUMNS, rows)


BULK_COLUMNS = (
    "content_type", "object_pk", "object_id", "object_repr", "action", "changes",
    "actor", "actor_email", "remote_addr", "cid", "timestamp", "additional_data", "changes_text",
)  # fmt: skip
_to_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per entry


def _bulk_row(
    change: BulkChange, common: list[Any], content_type_id: int, maskers: dict[str, Masker]
) -> list[Any]:
    """The entry's columns; 100,000 of them per county registry, so kept to plain loops."""
    changes = {}
    for name, (old, new) in change.changes.items():
        # Most values are text already; the type test is the cheapest way to find the rest.
        old = old if type(old) is str else _text(old)
        new = new if type(new) is str else _text(new)
        masker = maskers.get(name)
        changes[name] = [mask_value(masker, old), mask_value(masker, new)] if masker else [old, new]
    return [
        content_type_id, str(change.pk), change.pk, change.label, change.action,
        _to_json(changes), *common,
    ]  # fmt: skip


def _text(value: Any) -> str:
    """A value as auditlog stores it (`AUDITLOG_STORE_JSON_CHANGES` off): text, None as "None"."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _email(actor_id: int | None) -> str | None:
    if actor_id is None:
        return None
    user = get_user_model()._default_manager.filter(pk=actor_id).values_list("email", flat=True)
    return user.first() or None


def request_remote_addr() -> str | None:
    """The address of the request being served, as AuditlogMiddleware recorded it, if any."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return None
    return context.get("remote_addr")
