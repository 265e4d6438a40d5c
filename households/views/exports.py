"""Registry export pages: choose the area, watch the workbook being built, download it."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from households import tasks
from households.forms import OUTSIDE_AREA, ExportForm
from households.models import JobStatus, RegistryExport
from households.views.access import (
    ACTIVE,
    EXPORT_PERMISSION,
    exports_for,
    progress_json,
    requires,
    xlsx_response,
)

RECENT_EXPORTS = 10
LIGHT_FIELDS = (
    "id", "created_at", "status", "progress_done", "progress_total", "file_name", "rows",
    "finished_at", "failure", "county", "township", "village", "full_ids",
)  # fmt: skip


@requires(EXPORT_PERMISSION)
def export_create(request: HttpRequest) -> HttpResponse:
    """Choose the area; the workbook is built in the background and the page follows it."""
    posted = request.method == "POST"
    form = ExportForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        user = cast(User, request.user)  # `requires` let only a signed-in user through
        # From the request on, exports_for hides a full-number export from those who may not
        # export one themselves; the task checks the right again before it builds the file.
        full_ids = bool(form.cleaned_data.get("full_ids"))
        export = RegistryExport.objects.create(
            created_by=user, full_ids=full_ids, **form.cleaned_data["area"]
        )
        tasks.build_registry_export.enqueue(export.pk, remote_addr=request.META.get("REMOTE_ADDR"))
        return redirect("households:export_detail", pk=export.pk)
    if form.has_error("area", OUTSIDE_AREA):
        raise Http404("无权导出该地区")
    recent = (
        exports_for(request.user)
        .only(*LIGHT_FIELDS)
        .select_related("county", "township", "village__township")[:RECENT_EXPORTS]
    )
    context = {"form": form, "recent": recent}
    return render(request, "households/registry/export.html", context)


@requires(EXPORT_PERMISSION)
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = exports_for(request.user).only(*LIGHT_FIELDS)
    export = get_object_or_404(
        queryset.select_related("county", "township", "village__township"), pk=pk
    )
    context = {"export": export, "is_active": export.status in ACTIVE}
    return render(request, "households/registry/export_detail.html", context)


@requires(EXPORT_PERMISSION)
@require_GET
def export_progress(request: HttpRequest, pk: int) -> JsonResponse:
    fields = ("id", "status", "progress_done", "progress_total")
    export = get_object_or_404(exports_for(request.user).only(*fields), pk=pk)
    return JsonResponse(progress_json(export))


@requires(EXPORT_PERMISSION)
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(exports_for(request.user), pk=pk)
    if export.status != JobStatus.DONE or export.content is None:
        raise Http404("该导出尚未完成")
    return xlsx_response(export.content, export.file_name)
