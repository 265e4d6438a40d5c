"""Per-request login checks: session timeouts, the second factor and password expiry.

They run after authentication, the OTP middleware and messages, and read only the session
(see `sessions`), so an ordinary page costs no extra query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.security import sessions

# Touching the session on every request would save it every time; a minute's precision is enough.
ACTIVITY_STEP_SECONDS = 60
LOGIN_VIEWS = frozenset({"login", "logout", "admin:login", "admin:logout"})
SECOND_FACTOR_VIEWS = LOGIN_VIEWS | {"accounts:totp_verify", "accounts:totp_setup"}
PASSWORD_VIEWS = SECOND_FACTOR_VIEWS | {"accounts:password_change"}


class SessionTimeoutMiddleware:
    """Log out a session idle too long or older than the absolute limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.check(request, time.time()) or self.get_response(request)

    def check(self, request: HttpRequest, now: float) -> HttpResponse | None:
        session = request.session
        ends_at = session.get(sessions.ENDS_AT)
        if ends_at is None:
            # A session from before these checks existed: start counting now.
            if request.user.is_authenticated:
                sessions.start(session, request.user, now)
            return None
        if now >= ends_at:
            hours = round((ends_at - session[sessions.LOGIN_AT]) / 3600)
            return self.end(request, f"本次登录已超过 {hours} 小时，为保护数据安全请重新登录。")
        idle = session[sessions.IDLE_SECONDS]
        if now - session[sessions.SEEN_AT] >= idle:
            return self.end(
                request, f"您已 {idle // 60} 分钟未操作，为保护数据安全已自动退出，请重新登录。"
            )
        if now - session[sessions.SEEN_AT] >= ACTIVITY_STEP_SECONDS:
            session[sessions.SEEN_AT] = now
        return None

    @staticmethod
    def end(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.warning(request, message)
        return redirect_to_login(request.get_full_path())


def _view_name(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.view_name if match else ""


def _with_next(url: str, request: HttpRequest) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorMiddleware:
    """Hold a session that needs a second factor on the verify page until it has one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> HttpResponse | None:
        if not request.session.get(sessions.NEEDS_SECOND_FACTOR):
            return None
        if sessions.is_verified(request) or _view_name(request) in SECOND_FACTOR_VIEWS:
            return None
        return redirect(_with_next(reverse("accounts:totp_verify"), request))


class PasswordExpiryMiddleware:
    """Send a user whose password is past its age limit to change it before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> HttpResponse | None:
        expires_at = request.session.get(sessions.PASSWORD_EXPIRES_AT)
        if expires_at is None or time.time() < expires_at:
            return None
        if _view_name(request) in PASSWORD_VIEWS:
            return None
        messages.warning(request, "您的密码已超过有效期，请先修改密码再继续使用。")
        return redirect(_with_next(reverse("accounts:password_change"), request))
