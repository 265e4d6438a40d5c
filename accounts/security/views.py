"""Pages of login security: lockout notice, password change, second-factor setup and check."""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import sessions
from accounts.security.forms import TokenForm
from accounts.security.policy import axes_cool_off, axes_failure_limit, login_policy


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page a locked-out login gets, with the policy's numbers."""
    context = {
        "failure_limit": axes_failure_limit(request),
        "minutes": int(axes_cool_off(request).total_seconds() // 60),
    }
    return render(request, "accounts/lockout.html", context, status=429)


class PasswordChange(PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        # The new password starts a new age: recompute the deadline the middleware checks.
        user = self.request.user
        self.request.session[sessions.PASSWORD_EXPIRES_AT] = sessions.password_expires_at(
            user, login_policy()
        )
        messages.success(self.request, "密码已修改。")
        return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("home")


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code of the user's authenticator app."""
    if sessions.is_verified(request):
        return redirect(_next_url(request))
    device = _confirmed_device(request.user)
    if device is None:
        return redirect(
            f"{reverse('accounts:totp_setup')}?{urlencode({'next': _next_url(request)})}"
        )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        # verify_token throttles: each failure doubles the wait before the next try.
        if device.verify_token(form.cleaned_data["token"]):
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", "验证码不正确或已过期，请等待新的验证码后重试。")
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/totp_verify.html", context)


def _pending_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=False)


def _setup_context(device: TOTPDevice, form: TokenForm, next_url: str) -> dict[str, Any]:
    qr = segno.make(device.config_url, error="m")
    secret = base64.b32encode(device.bin_key).decode()
    return {
        "form": form,
        "next": next_url,
        "qr_svg": qr.svg_inline(scale=4, light="#fff", title="两步验证二维码"),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code, then confirm with one code."""
    if _confirmed_device(request.user) is not None:
        if not sessions.is_verified(request):
            # A password alone must not let anyone register a second device.
            return redirect(
                f"{reverse('accounts:totp_verify')}?{urlencode({'next': _next_url(request)})}"
            )
        return render(request, "accounts/totp_enabled.html")
    device = _pending_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            request.session[sessions.NEEDS_SECOND_FACTOR] = True
            messages.success(request, "两步验证已启用，今后登录时需要输入动态验证码。")
            return redirect(_next_url(request))
        form.add_error("token", "验证码不正确，请确认手机时间准确后重试。")
    context = _setup_context(device, form, _next_url(request))
    context["required"] = request.session.get(sessions.NEEDS_SECOND_FACTOR, False)
    return render(request, "accounts/totp_setup.html", context)
