"""What a login session must respect, written into the session once, at login.

The middleware reads these keys on every request; nothing here queries the database after
login, so pages keep their query counts. A changed policy or role applies from the next login.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.backends import role_rule
from accounts.models.security import PasswordHistory
from accounts.security.policy import LoginPolicy, login_policy

LOGIN_AT = "security.login_at"
SEEN_AT = "security.seen_at"
IDLE_SECONDS = "security.idle_seconds"
ENDS_AT = "security.ends_at"
PASSWORD_EXPIRES_AT = "security.password_expires_at"
NEEDS_SECOND_FACTOR = "security.needs_second_factor"
KEYS = (LOGIN_AT, SEEN_AT, IDLE_SECONDS, ENDS_AT, PASSWORD_EXPIRES_AT, NEEDS_SECOND_FACTOR)

DAY = 24 * 60 * 60


def password_changed_at(user: Any) -> float:
    """When the user's password was last set: the newest history entry, else the joining date."""
    latest = PasswordHistory.objects.filter(user=user).values_list("changed_at", flat=True).first()
    return (latest or user.date_joined).timestamp()


def password_expires_at(user: Any, policy: LoginPolicy) -> float | None:
    if not policy.password_max_age_days:
        return None
    return password_changed_at(user) + policy.password_max_age_days * DAY


def needs_second_factor(user: Any) -> bool:
    """Administrator roles must use one; anyone who set up a device has chosen to."""
    rule = role_rule(user)
    if rule is not None and rule.needs_second_factor:
        return True
    return user.totpdevice_set.filter(confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    """Whether the session passed the second factor (django-otp's middleware adds the method)."""
    user: Any = request.user
    return bool(user.is_verified())


def start(session: Any, user: Any, now: float) -> None:
    """Record the login's deadlines in its session."""
    policy = login_policy()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[IDLE_SECONDS] = policy.idle_timeout_minutes * 60
    session[ENDS_AT] = now + policy.absolute_timeout_hours * 60 * 60
    session[PASSWORD_EXPIRES_AT] = password_expires_at(user, policy)
    session[NEEDS_SECOND_FACTOR] = needs_second_factor(user)


@receiver(user_logged_in, dispatch_uid="accounts.security.start_session")
def start_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # force_login() in tests and every login view pass through here; so does the admin's.
    start(request.session, user, time.time())
