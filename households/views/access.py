"""Who may see which import batches and exports, and the file responses the pages send."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from households.models import ImportBatch, JobStatus, RegistryExport

IMPORT_PERMISSION = "households.import_registry"
EXPORT_PERMISSION = "households.export_registry"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def requires(permission: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Anonymous users go to the login page; users without `permission` get 403."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def _own_unless_allowed(queryset: QuerySet, user: Any, view_all: str) -> QuerySet:
    # Area scoping (issue: roles) plugs in here: a county clerk sees every batch of the county,
    # a township clerk those of the township, once users carry an area.
    if user.has_perm(view_all):
        return queryset
    return queryset.filter(created_by=user)


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    """The batches `user` may see: their own, or all with 查看花名册导入批次 (superusers too)."""
    return _own_unless_allowed(ImportBatch.objects.all(), user, "households.view_importbatch")


def exports_for(user: Any) -> QuerySet[RegistryExport]:
    """The exports `user` may see and download: their own, or all with 查看花名册导出."""
    queryset = RegistryExport.objects.all()
    return _own_unless_allowed(queryset, user, "households.view_registryexport")


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
