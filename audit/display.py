"""An entry as people read it: Chinese action and field names, choice labels, empty as （空）."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models

ACTIONS = {
    LogEntry.Action.CREATE: "新增",
    LogEntry.Action.UPDATE: "修改",
    LogEntry.Action.DELETE: "删除",
    LogEntry.Action.ACCESS: "查看/导出",
}
ACTION_CHOICES = list(ACTIONS.items())
EMPTY = ("", "None", None)


def action_label(entry: LogEntry) -> str:
    return ACTIONS.get(entry.action, str(entry.action))


def object_type(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model else entry.content_type.model


def change_rows(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, old, new) for each changed field, in the words of the model's form."""
    model = entry.content_type.model_class()
    rows = []
    for name, values in (entry.changes or {}).items():
        field = _field(model, name)
        label = str(field.verbose_name) if field else name
        if isinstance(values, dict):  # a many-to-many change: {"operation", "objects"}
            verb = "添加" if values.get("operation") == "add" else "移除"
            rows.append((label, "", f"{verb}：{'、'.join(map(str, values.get('objects', [])))}"))
            continue
        old, new = (list(values) + [None, None])[:2]
        rows.append((label, _value(field, old), _value(field, new)))
    return rows


def summary(entry: LogEntry) -> str:
    """One line: the changes as `字段：旧 → 新`, or what an access entry records."""
    extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if entry.action == LogEntry.Action.ACCESS:
        parts = [str(extra.get("access", "查看"))]
        if "rows" in extra:
            parts.append(f"{extra['rows']} 条")
        return "，".join(parts)
    return "；".join(f"{label}：{old} → {new}" for label, old, new in change_rows(entry))


def source(entry: LogEntry) -> str:
    extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    return str(extra.get("source", ""))


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation named like a field has no verbose name; m2m fields are concrete enough.
    return field if hasattr(field, "verbose_name") else None


def _value(field: Any, value: Any) -> str:
    if value in EMPTY:
        return "（空）"
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if value in ("True", "False") and isinstance(field, models.BooleanField):
        return "是" if value == "True" else "否"
    return str(value)
