"""Who may see which import batches and exports, and the file responses the pages send."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from accounts.backends import role_rule
from accounts.roles import Scope
from households.models import ImportBatch, JobStatus, RegistryExport
from households.registry.scope import is_unrestricted, may_export_full_ids

IMPORT_PERMISSION = "households.import_registry"
EXPORT_PERMISSION = "households.export_registry"
NOTICE_PERMISSION = "households.export_notice"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def requires(permission: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Anonymous users go to the login page; users without `permission` get 403."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def own_or_area(queryset: QuerySet, user: Any, view_area: str) -> QuerySet:
    """A user's own jobs, and with `view_area` those of the users of their area."""
    if is_unrestricted(user):
        return queryset
    mine = Q(created_by=user)
    if user.has_perm(view_area):
        mine |= area_users(user)
    return queryset.filter(mine)


def area_users(user: Any) -> Q:
    """The jobs made by users of `user`'s area: the county's for a county role, the township's
    (its own and its villages') for a township clerk, none beside their own for the others.

    A township clerk does not see a county clerk's batch that touches the township: it holds
    the other townships' rows too."""
    rule = role_rule(user)
    if rule is None or rule.scope not in (Scope.COUNTY, Scope.TOWNSHIP):
        return Q(pk__in=[])
    assignment = user.assignment
    if rule.scope is Scope.COUNTY:
        county = assignment.county_id
        return (
            Q(created_by__assignment__county_id=county)
            | Q(created_by__assignment__township__county_id=county)
            | Q(created_by__assignment__village__township__county_id=county)
        )
    township = assignment.township_id
    return Q(created_by__assignment__township_id=township) | Q(
        created_by__assignment__village__township_id=township
    )


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    """The batches `user` may see: their own, and with 查看花名册导入批次 their area's users'."""
    return own_or_area(ImportBatch.objects.all(), user, "households.view_importbatch")


def exports_for(user: Any) -> QuerySet[RegistryExport]:
    """The exports `user` may see and download: their own, and with 查看花名册导出 their area's
    users'; one with full ID numbers only if they may export such files themselves."""
    queryset = own_or_area(RegistryExport.objects.all(), user, "households.view_registryexport")
    if not may_export_full_ids(user):
        queryset = queryset.exclude(full_ids=True)
    return queryset


def xlsx_response(content: bytes | memoryview | None, file_name: str) -> HttpResponse:
    """An .xlsx download; Chinese file names travel in RFC 5987 `filename*`."""
    data = bytes(content or b"")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Content-Length"] = str(len(data))
    return response


ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.WRITING})


def progress_json(job: ImportBatch | RegistryExport) -> dict[str, Any]:
    """What registry.js polls: enough to move the bar and to notice that the status changed."""
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": getattr(job, "stage", ""),
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "finished": job.status not in ACTIVE,
    }


def record_page_export(request: HttpRequest, description: str, rows: int) -> None:
    """Record in the audit trail a page or file of `rows` households made for the user, masked
    (a print of a village's booklets, a public-notice list)."""
    from audit.services import record_export  # the audit app imports the households models

    record_export(
        user=request.user, description=f"{description}（{rows}户）", full_ids=False, rows=rows,
        remote_addr=request.META.get("REMOTE_ADDR"),
    )  # fmt: skip
