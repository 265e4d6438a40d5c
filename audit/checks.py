"""System checks of the audit trail's settings."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from audit.retention import retention_days


def check_retention(**kwargs: Any) -> list[checks.CheckMessage]:
    try:
        retention_days()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="设置 AUDIT_RETENTION_DAYS ≥ 180", id="audit.E001")]
    return []


def register() -> None:
    checks.register(check_retention, checks.Tags.security)
