"""Registry import pages: upload, progress, preview, confirm or cancel, history, downloads."""

from __future__ import annotations

import io
from pathlib import PurePath
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from households import tasks
from households.forms import ConfirmForm, RegistryUploadForm, can_write_all
from households.models import Household, ImportBatch, ImportFile, JobStatus
from households.registry import pipeline, scope
from households.registry.columns import COLUMNS, Column, Kind, Level
from households.registry.export import export_registry
from households.views.access import (
    ACTIVE,
    IMPORT_PERMISSION,
    batches_for,
    progress_json,
    requires,
    xlsx_response,
)
from households.views.preview import annotated_files, preview_context

BATCHES_PER_PAGE = 30
TEMPLATE_FILE_NAME = "花名册模板.xlsx"


@requires(IMPORT_PERMISSION)
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form beside the field table; a valid upload becomes a batch queued for preview."""
    posted = request.method == "POST"
    form = RegistryUploadForm(request.POST, request.FILES) if posted else RegistryUploadForm()
    if posted and form.is_valid():
        files = [(upload.name or "", upload.read()) for upload in form.cleaned_data["workbooks"]]
        batch = pipeline.create_batch(files=files, user=cast(User, request.user))
        tasks.preview_registry_import.enqueue(batch.pk)
        return redirect(batch)
    area = scope.uploader_area(request.user)
    context = {
        "form": form,
        "columns": [field_row(column) for column in COLUMNS],
        "area_label": area.label if area else "",
    }
    return render(request, "households/registry/upload.html", context)


def field_row(column: Column) -> dict[str, Any]:
    """One line of the field table: header, level, required, and the values it accepts."""
    values = "、".join(str(label) for label in column.choices.labels) if column.choices else ""
    if column.kind is Kind.BOOLEAN:
        values = "是、否"
    return {
        "header": column.header,
        "level": "户" if column.level is Level.HOUSEHOLD else "成员",
        "required": column.required,
        "values": values,
        "note": column.note,
    }


@requires(IMPORT_PERMISSION)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The blank canonical workbook: the export of no household is exactly the header row."""
    out = io.BytesIO()
    export_registry(out, households=Household.objects.none())
    return xlsx_response(out.getvalue(), TEMPLATE_FILE_NAME)


@requires(IMPORT_PERMISSION)
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    """Every batch the user may see, newest first, with its files, status and counts."""
    names_only = ImportFile.objects.only("id", "batch_id", "name")
    batches = (
        batches_for(request.user)
        .defer("plan", "errors", "warnings")
        .select_related("created_by")
        .prefetch_related(Prefetch("files", queryset=names_only))
    )
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "households/registry/import_list.html", {"page": page})


@requires(IMPORT_PERMISSION)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch: progress while it runs, then its preview, then what was written or why not."""
    batch = get_object_or_404(
        batches_for(request.user).select_related("created_by", "confirmed_by"), pk=pk
    )
    context: dict[str, Any] = {
        "batch": batch,
        "is_active": batch.status in ACTIVE,
        "files": annotated_files(batch),
        "summary": batch.summary,
    }
    if batch.status == JobStatus.PREVIEWED:
        context |= preview_context(request, batch)
        context["can_write_all"] = can_write_all(batch)
    return render(request, "households/registry/import_detail.html", context)


@requires(IMPORT_PERMISSION)
@require_GET
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    fields = ("id", "status", "stage", "progress_done", "progress_total")
    batch = get_object_or_404(batches_for(request.user).only(*fields), pk=pk)
    # Annotated copies are built after the preview: the page reloads when one is ready.
    annotated = list(batch.files.filter(annotated__isnull=False).values_list("pk", flat=True))
    return JsonResponse({**progress_json(batch), "annotated_files": annotated})


@requires(IMPORT_PERMISSION)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the write of a previewed batch, once: a second submit finds it no longer PREVIEWED."""
    batch = get_object_or_404(batches_for(request.user).defer("plan", "errors", "warnings"), pk=pk)
    form = ConfirmForm(request.POST, batch=batch)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect(batch)
    # A conditional UPDATE, not a read then a save: two submits racing each other both read
    # PREVIEWED, but only one of them changes the row.
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=JobStatus.PREVIEWED).update(
        status=JobStatus.WRITING,
        policy=form.cleaned_data["policy"],
        mark_left=form.cleaned_data["mark_left"],
        confirmed_by=request.user,
        confirmed_at=timezone.now(),
        stage="",
        progress_done=0,
        progress_total=0,
    )
    if claimed:
        tasks.write_registry_import.enqueue(batch.pk)
    else:
        messages.warning(request, "该批次已确认或已放弃，没有再次写入")
    return redirect(batch)


@requires(IMPORT_PERMISSION)
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Give up a previewed batch: nothing is written, and it can no longer be confirmed."""
    batch = get_object_or_404(batches_for(request.user).only("id", "status"), pk=pk)
    cancelled = ImportBatch.objects.filter(pk=batch.pk, status=JobStatus.PREVIEWED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )
    if cancelled:
        messages.info(request, f"已放弃{batch}，没有写入任何数据")
    else:
        messages.warning(request, "该批次已确认或已放弃，不能再放弃")
    return redirect(batch)


@requires(IMPORT_PERMISSION)
@require_GET
def import_annotated(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """The uploaded file with its bad cells highlighted and explained, as an .xlsx."""
    batch = get_object_or_404(batches_for(request.user).only("id"), pk=pk)
    upload = get_object_or_404(
        ImportFile.objects.only("id", "name", "annotated").filter(annotated__isnull=False),
        batch=batch,
        pk=file_id,
    )
    return xlsx_response(upload.annotated, f"{PurePath(upload.name).stem}-错误标注.xlsx")
