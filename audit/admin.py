"""The audit trail in the admin: read, searched and exported by the 审计管理员, never changed.

It replaces auditlog's own registration, which lets a deletion of a tracked object cascade into
the trail and is labelled in English.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from audit import display
from audit.export import trail_workbook
from audit.filters import LIST_FILTER
from audit.models import TrailEntry
from audit.services import record_export

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)

VIEW_PERMISSION = "auditlog.view_logentry"
EXPORT_PERMISSION = "audit.export_trail"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DETAIL_FIELDS = (
    "when", "who", "what", "object_type", "object_number", "object_name", "from_where",
    "changes_table", "source", "correlation",
)  # fmt: skip


@admin.register(TrailEntry)
class TrailEntryAdmin(admin.ModelAdmin):
    list_display = ("when", "who", "what", "object_type", "object_link", "summary", "from_where")
    list_display_links = ("when",)
    list_filter = LIST_FILTER
    list_select_related = ("actor", "content_type")
    list_per_page = 50
    show_full_result_count = False
    search_fields = (
        "object_repr", "=object_pk", "actor__username", "actor__first_name", "actor__last_name",
        "=remote_addr",
    )  # fmt: skip
    search_help_text = "按对象名称、对象编号、操作人账号或姓名、来源地址搜索"
    fields = DETAIL_FIELDS
    readonly_fields = DETAIL_FIELDS
    actions = None  # no bulk delete: entries leave the trail only through purge_audit_trail
    change_list_template = "admin/audit/trailentry/change_list.html"

    # Read only, for whoever holds auditlog's view permission (the 审计管理员, a superuser).
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request) and request.user.has_perm(EXPORT_PERMISSION)

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_trailentry_export",
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The entries the list shows with the same filters and search, as a workbook."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        entries: QuerySet[Any] = self.get_changelist_instance(request).queryset
        content, rows = trail_workbook(entries)
        record_export(
            user=request.user,
            description=f"审计日志导出（{request.GET.urlencode() or '全部'}）",
            full_ids=False,
            rows=rows,
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
        response = HttpResponse(content, content_type=XLSX)
        name = f"audit-trail-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.display(description="时间", ordering="timestamp")
    def when(self, entry: LogEntry) -> str:
        return f"{timezone.localtime(entry.timestamp):%Y-%m-%d %H:%M:%S}"

    @admin.display(description="操作人", ordering="actor__username")
    def who(self, entry: LogEntry) -> str:
        return entry.actor.get_username() if entry.actor else "系统"

    @admin.display(description="操作", ordering="action")
    def what(self, entry: LogEntry) -> str:
        return display.action_label(entry)

    @admin.display(description="对象类型")
    def object_type(self, entry: LogEntry) -> str:
        return display.object_type(entry)

    @admin.display(description="对象")
    def object_link(self, entry: LogEntry) -> str:
        """The object's whole trail (its records' pages are casework the auditor cannot open)."""
        query = urlencode({"object_type": entry.content_type_id, "object_pk": entry.object_pk})
        url = reverse("admin:audit_trailentry_changelist") + "?" + query
        return format_html('<a href="{}">{}（#{}）</a>', url, entry.object_repr, entry.object_pk)

    @admin.display(description="变更内容")
    def summary(self, entry: LogEntry) -> str:
        return display.summary(entry)

    @admin.display(description="来源地址")
    def from_where(self, entry: LogEntry) -> str:
        return entry.remote_addr or ""

    @admin.display(description="说明")
    def source(self, entry: LogEntry) -> str:
        return display.source(entry)

    @admin.display(description="变更明细")
    def changes_table(self, entry: LogEntry) -> str:
        rows = display.change_rows(entry)
        if not rows:
            return display.summary(entry) or "—"
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><thead><tr><th>字段</th><th>原值</th><th>新值</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            body,
        )

    @admin.display(description="对象编号")
    def object_number(self, entry: LogEntry) -> str:
        return entry.object_pk

    @admin.display(description="对象名称")
    def object_name(self, entry: LogEntry) -> str:
        return entry.object_repr

    @admin.display(description="请求关联号")
    def correlation(self, entry: LogEntry) -> str:
        return entry.cid or ""
