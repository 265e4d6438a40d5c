"""How long the audit trail is kept, and the one way old entries leave it."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone

DEFAULT_DAYS = 3 * 365
# Below this a reviewer could not trace an incident back over half a year; refused outright.
MINIMUM_DAYS = 180


def retention_days() -> int:
    """AUDIT_RETENTION_DAYS, checked: a whole number of days, at least `MINIMUM_DAYS`."""
    days = getattr(settings, "AUDIT_RETENTION_DAYS", DEFAULT_DAYS)
    if isinstance(days, bool) or not isinstance(days, int):
        raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS 应为天数（整数），当前为 {days!r}")
    if days < MINIMUM_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS 为 {days} 天，审计日志至少应保存 {MINIMUM_DAYS} 天"
        )
    return days


def purge_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=retention_days())


def expired(*, now: dt.datetime | None = None) -> QuerySet[LogEntry]:
    """The entries older than the retention period."""
    return LogEntry.objects.filter(timestamp__lt=purge_cutoff(now=now))


def purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the expired entries; return how many."""
    # QuerySet.delete() goes around the admin, which refuses deletion to everyone.
    deleted, _ = expired(now=now).delete()
    return deleted
