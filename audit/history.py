"""A household's history in its admin: its own entries and those of its members, incomes,
measures, status changes, pairings, visits and findings.

Added to `HouseholdAdmin` as a mixin (one line): a 变更记录 section on the change page with the
latest entries, and the whole trail behind the admin's 历史 button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from audit import display
from audit.selectors import household_trail

PREVIEW = 10
PAGE = 100


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    action: str
    object_type: str
    object_repr: str
    changes: list[tuple[str, str, str]]
    note: str
    remote_addr: str


def history_rows(entries: Any) -> list[HistoryRow]:
    return [
        HistoryRow(
            when=f"{timezone.localtime(entry.timestamp):%Y-%m-%d %H:%M}",
            who=entry.actor.get_username() if entry.actor else "系统",
            action=display.action_label(entry),
            object_type=display.object_type(entry),
            object_repr=entry.object_repr,
            changes=display.change_rows(entry),
            note=display.source(entry)
            or (display.summary(entry) if entry.action == LogEntry.Action.ACCESS else ""),
            remote_addr=entry.remote_addr or "",
        )
        for entry in entries
    ]


class HouseholdHistoryMixin:
    """For `HouseholdAdmin`: the household's audit trail on its page and its 历史 page."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return (*fields, "audit_history") if obj is not None else fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None:
            return fieldsets
        fieldsets = [fs for fs in fieldsets if "audit_history" not in str(fs[1].get("fields"))]
        return [*fieldsets, ("变更记录", {"fields": ["audit_history"]})]

    def audit_history(self, obj: Any) -> str:
        entries = household_trail(obj.pk).order_by("-timestamp")[:PREVIEW]
        url = reverse("admin:households_household_history", args=[obj.pk])
        context = {"rows": history_rows(entries), "history_url": url}
        return render_to_string("audit/household_trail.html", context)

    audit_history.short_description = "最近的变更"  # type: ignore[attr-defined]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> TemplateResponse:
        """The whole trail of the household and its records, newest first."""
        admin: Any = self
        obj = admin.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        paginator = Paginator(household_trail(obj.pk).order_by("-timestamp", "-pk"), PAGE)
        page = paginator.get_page(request.GET.get("p", 1))
        context = {
            **admin.admin_site.each_context(request),
            "title": f"变更记录：{obj}",
            "subtitle": None,
            "object": obj,
            "opts": admin.opts,
            "rows": history_rows(page),
            "page": page,
            **(extra_context or {}),
        }
        request.current_app = admin.admin_site.name
        return TemplateResponse(request, "audit/household_history.html", context)
