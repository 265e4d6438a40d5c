"""The login rules in force: the saved SecurityPolicy row, else the settings' defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.http import HttpRequest

from accounts.models.security import SecurityPolicy


@dataclass(frozen=True)
class LoginPolicy:
    failure_limit: int
    lockout_minutes: int
    password_min_length: int
    password_min_classes: int
    password_history: int
    password_max_age_days: int  # 0: passwords never expire
    idle_timeout_minutes: int
    absolute_timeout_hours: int


FIELD_NAMES = tuple(field.name for field in fields(LoginPolicy))


def login_policy() -> LoginPolicy:
    """Read the policy once; callers keep it for the request or the login."""
    row = SecurityPolicy.objects.filter(pk=1).values(*FIELD_NAMES).first()
    return LoginPolicy(**(row or SecurityPolicy.defaults()))


def security_policy_row() -> SecurityPolicy:
    """The singleton row, created from the settings the first time it is edited."""
    row, _ = SecurityPolicy.objects.get_or_create(pk=1, defaults=SecurityPolicy.defaults())
    return row


def _request_policy(request: HttpRequest | None) -> LoginPolicy:
    # Axes asks for the limit and the cool-off several times per attempt: read the row once.
    if request is None:
        return login_policy()
    cached = getattr(request, "_login_policy", None)
    if cached is None:
        cached = login_policy()
        request._login_policy = cached  # type: ignore[attr-defined]
    return cached


def axes_failure_limit(request: HttpRequest | None, credentials: Any = None) -> int:
    """AXES_FAILURE_LIMIT: failures that lock a username."""
    return _request_policy(request).failure_limit


def axes_cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: how long failures count and a lockout lasts."""
    return dt.timedelta(minutes=_request_policy(request).lockout_minutes)
