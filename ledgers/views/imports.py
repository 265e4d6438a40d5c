"""Ledger upload pages: upload, progress, preview with conflicts to resolve, confirm or cancel."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from households.models import JobStatus
from households.registry.scope import is_unrestricted, may_export_full_ids
from households.views.access import ACTIVE, progress_json, requires
from ledgers import pipeline, tasks
from ledgers.merge import SECTION_OF, TABLES
from ledgers.models import LedgerImport
from ledgers.write import column_of

IMPORT_LEDGER = "ledgers.import_ledger"


class LedgerUploadForm(forms.Form):
    workbook = forms.FileField(
        label="一户一册文件",
        help_text="上传从本系统导出、在 Excel 或 WPS 中修改后的一户一册（.xlsx），单户或整村均可。",
        error_messages={"required": "请选择要导入的一户一册文件", "empty": "上传的文件是空的"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm"}),
    )

    def clean_workbook(self) -> Any:
        upload = self.cleaned_data["workbook"]
        limit = settings.REGISTRY_MAX_UPLOAD_BYTES
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                f"文件大小 {filesizeformat(upload.size)}，超过了上限 {filesizeformat(limit)}"
            )
        return upload


def imports_for(user: Any) -> QuerySet[LedgerImport]:
    """A user's own uploads: a ledger holds one household's or one village's edits."""
    if is_unrestricted(user):
        return LedgerImport.objects.all()
    return LedgerImport.objects.filter(created_by=user)


@requires(IMPORT_LEDGER)
def import_upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = LedgerUploadForm(request.POST, request.FILES) if posted else LedgerUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["workbook"]
        job = pipeline.create_import(
            name=upload.name or "一户一册.xlsx", data=upload.read(), user=cast(User, request.user)
        )
        tasks.preview_ledger_import.enqueue(job.pk)
        return redirect(job)
    recent = imports_for(request.user).defer("content", "plan")[:10]
    return render(request, "ledgers/import_upload.html", {"form": form, "recent": recent})


@requires(IMPORT_LEDGER)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(imports_for(request.user).defer("content"), pk=pk)
    context: dict[str, Any] = {"job": job, "is_active": job.status in ACTIVE}
    if job.status == JobStatus.PREVIEWED:
        context |= preview_context(job, full=may_export_full_ids(request.user))
    return render(request, "ledgers/import_detail.html", context)


@requires(IMPORT_LEDGER)
@require_GET
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    fields = ("id", "status", "stage", "progress_done", "progress_total")
    job = get_object_or_404(imports_for(request.user).only(*fields), pk=pk)
    return JsonResponse(progress_json(job))  # type: ignore[arg-type]


@requires(IMPORT_LEDGER)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the write with the user's choice for each conflict; a second submit does nothing."""
    job = get_object_or_404(imports_for(request.user).defer("content"), pk=pk)
    skip_invalid = request.POST.get("policy") == "skip_invalid"
    if job.summary.get("households", {}).get("invalid") and not skip_invalid:
        messages.error(request, "有无效的户时只能选择“跳过无效户，写入有效户”")
        return redirect(job)
    resolutions = {
        key.removeprefix("conflict-"): value
        for key, value in request.POST.items()
        if key.startswith("conflict-") and value in ("file", "system")
    }
    claimed = LedgerImport.objects.filter(pk=job.pk, status=JobStatus.PREVIEWED).update(
        status=JobStatus.WRITING,
        resolutions=resolutions,
        confirmed_by=request.user,
        confirmed_at=timezone.now(),
        stage="",
    )
    if claimed:
        tasks.write_ledger_import.enqueue(job.pk, skip_invalid=skip_invalid)
    else:
        messages.warning(request, "该导入已确认或已放弃，没有再次写入")
    return redirect(job)


@requires(IMPORT_LEDGER)
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(imports_for(request.user).only("id", "status"), pk=pk)
    cancelled = LedgerImport.objects.filter(pk=job.pk, status=JobStatus.PREVIEWED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )
    if cancelled:
        messages.info(request, "已放弃本次导入，没有写入任何数据")
    return redirect(job)


def preview_context(job: LedgerImport, *, full: bool) -> dict[str, Any]:
    """The stored merge as the preview shows it, identifiers masked unless `full`."""
    result = pipeline.unpack(job)
    households = []
    for merged in result.merges:
        if not (merged.has_work or merged.errors or merged.warnings or merged.since_export):
            continue  # the preview lists what happens; unchanged households are only counted
        households.append(
            {
                "head": result.heads.get(merged.household_id, ""),
                "id": merged.household_id,
                "changes": [_shown(c, full) for c in merged.changes],
                "conflicts": [_shown(c, full) for c in merged.conflicts],
                "since_export": [_shown(c, full) for c in merged.since_export],
                "additions": [_addition(a) for a in merged.additions],
                "errors": merged.errors,
                "warnings": merged.warnings,
                "unchanged": not merged.has_work and not merged.errors,
            }
        )
    file_problems = [p for p in result.problems if not p.get("household_id")]
    return {
        "households": households,
        "file_problems": file_problems,
        "summary": job.summary,
        "has_invalid": bool(job.summary.get("households", {}).get("invalid")),
        "nothing_to_write": not any(m.has_work for m in result.merges if not m.errors),
    }


def _shown(change: Any, full: bool) -> dict[str, Any]:
    column = column_of(change)
    mask = column.masked if column.masked is not None and not full else None

    def show(text: str) -> str:
        return mask(text) if mask and text and "*" not in text else text

    section = SECTION_OF.get(change.table, "") if change.table else ""
    return {
        "id": getattr(change, "id", ""),
        "section": section,
        "place": change.place,
        "subject": change.subject,
        "label": change.label,
        "old": show(change.old),
        "new": show(change.new),
        "base": show(getattr(change, "base", "")),
    }


def _addition(addition: Any) -> dict[str, Any]:
    spec = TABLES[addition.table]
    cells = [(c.label, addition.values.get(c.key, "")) for c in spec.columns if c.editable]
    return {
        "section": SECTION_OF[addition.table],
        "place": addition.place,
        "cells": [(label, value) for label, value in cells if value],
    }
