"""The 安全管理员's page: the one security policy row (view and change, never add twice)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts.models import SecurityPolicy
from accounts.security.policy import security_policy_row


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__", "failure_limit", "lockout_minutes", "password_min_length",
        "password_max_age_days", "idle_timeout_minutes", "absolute_timeout_hours", "updated_at",
    )  # fmt: skip
    fieldsets = [
        ("登录失败处理", {"fields": ["failure_limit", "lockout_minutes"]}),
        (
            "密码规则",
            {
                "fields": [
                    "password_min_length",
                    "password_min_classes",
                    "password_history",
                    "password_max_age_days",
                ]
            },
        ),  # fmt: skip
        ("会话超时", {"fields": ["idle_timeout_minutes", "absolute_timeout_hours"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The row is made from the settings when the list is first opened (see below).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would silently fall back to the settings: change the values instead.
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if self.has_view_or_change_permission(request):
            security_policy_row()
        return super().changelist_view(request, extra_context)
