"""导出一户一册 pages: choose the household or the area, follow the build, download the file."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from households.models import Household, JobStatus
from households.registry.scope import may_export_full_ids
from households.views.access import ACTIVE, XLSX, own_or_area, progress_json, requires
from ledgers import tasks
from ledgers.exporting import area_label
from ledgers.forms import EXPORT_LEDGER, OUTSIDE_AREA, LedgerExportForm, exportable_household
from ledgers.models import LedgerExport

ZIP = "application/zip"
RECENT_EXPORTS = 10
AREAS = ("household__village__township", "village__township", "township", "county")


def exports_for(user: Any) -> QuerySet[LedgerExport]:
    """The exports `user` may see and download: their own, and with 查看一户一册导出 their area's
    users'; one with full ID numbers only if they may export such files themselves."""
    queryset = own_or_area(LedgerExport.objects.all(), user, "ledgers.view_ledgerexport")
    if not may_export_full_ids(user):
        queryset = queryset.exclude(full_ids=True)
    return queryset


@requires(EXPORT_LEDGER)
def export_create(request: HttpRequest) -> HttpResponse:
    """Choose what to export; the file is built in the background and the page follows it."""
    household = _household_from(request)
    posted = request.method == "POST"
    form = LedgerExportForm(
        request.POST if posted else None, user=request.user, household=household
    )
    if posted and form.is_valid():
        user = cast(User, request.user)  # `requires` let only a signed-in user through
        export = LedgerExport.objects.create(
            created_by=user,
            full_ids=bool(form.cleaned_data.get("full_ids")),
            **form.cleaned_data["area"],
        )
        tasks.build_ledger_export.enqueue(export.pk, remote_addr=request.META.get("REMOTE_ADDR"))
        return redirect("ledgers:export_detail", pk=export.pk)
    if form.has_error("area", OUTSIDE_AREA):
        raise Http404("无权导出该范围")
    recent = exports_for(request.user).select_related(*AREAS)[:RECENT_EXPORTS]
    context = {"form": form, "recent": [(export, area_label(export.area)) for export in recent]}
    return render(request, "ledgers/export.html", context)


def _household_from(request: HttpRequest) -> Household | None:
    """The household whose page the user came from (`?household=<pk>`); 404 outside their area."""
    pk = request.GET.get("household") or request.POST.get("household")
    if not pk:
        return None
    household = exportable_household(request.user, pk)
    if household is None:
        raise Http404("无权导出该户")
    return household


@requires(EXPORT_LEDGER)
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(exports_for(request.user).select_related(*AREAS), pk=pk)
    context = {
        "export": export,
        "area": area_label(export.area),
        "is_active": export.status in ACTIVE,
    }
    return render(request, "ledgers/export_detail.html", context)


@requires(EXPORT_LEDGER)
@require_GET
def export_progress(request: HttpRequest, pk: int) -> JsonResponse:
    fields = ("id", "status", "progress_done", "progress_total")
    export = get_object_or_404(exports_for(request.user).only(*fields), pk=pk)
    return JsonResponse(progress_json(export))  # type: ignore[arg-type]


@requires(EXPORT_LEDGER)
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_object_or_404(exports_for(request.user), pk=pk)
    if export.status != JobStatus.DONE or not export.file:
        raise Http404("该导出尚未完成，或文件已过保存期限被删除")
    kind = ZIP if export.file_name.endswith(".zip") else XLSX
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.file_name, content_type=kind
    )
