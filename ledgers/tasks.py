"""Background work of the ledger: build a 导出一户一册 into its export row's file, and preview
and write a 导入一户一册 upload.

Like the registry's tasks, a task takes the row's id only and reads everything else from it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.tasks import task
from django.utils import timezone

from households import tasks as households_tasks
from households.models import JobStatus
from households.registry import scope
from households.tasks import failing_on_crash
from ledgers import pipeline
from ledgers.exporting import Area, area_label, export_ledgers, file_name
from ledgers.forms import EXPORT_LEDGER, exportable_household
from ledgers.models import LedgerExport, LedgerImport

SPOOL_BYTES = 16 * 1024 * 1024  # a village workbook stays in memory, a county's zip goes to disk


@task
def build_ledger_export(export_id: int, remote_addr: str | None = None) -> str:
    """Write the ledgers of the export's area into its file, and record the export.

    ID numbers and phones are masked unless the row asks for full ones and its requester may
    export them; the area is checked again against the requester's, which may have changed
    while the export waited in the queue."""
    claimed = LedgerExport.objects.filter(pk=export_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    if not claimed:
        return "skipped"  # already built: a task delivered twice does nothing
    export = LedgerExport.objects.select_related(
        "created_by", "household__village__township", "village__township", "township", "county"
    ).get(pk=export_id)
    if refusal := _refusal(export):
        _finish(export_id, status=JobStatus.FAILED, failure=refusal)
        return JobStatus.FAILED
    area = cast(Area, export.area)  # _refusal refused an export without one
    with failing_on_crash(LedgerExport, export_id, "生成文件时发生内部错误，请稍后重试"):
        return _build(export, area, remote_addr)


def _build(export: LedgerExport, area: Area, remote_addr: str | None) -> str:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        try:
            households = export_ledgers(
                area=area,
                out=out,
                full_ids=export.full_ids,
                user_id=export.created_by_id,
                progress=progress_saver(export.pk),
            )
        except ValueError as error:  # the export's own refusals carry a Chinese message
            _finish(export.pk, status=JobStatus.FAILED, failure=str(error))
            return JobStatus.FAILED
        name = file_name(area, full_ids=export.full_ids, on=timezone.localdate())
        out.seek(0)
        # The storage's own name (ASCII, unique); the user downloads it as `name`.
        export.file.save(f"ledger-{export.pk}{name[name.rfind('.') :]}", File(out), save=False)
    _finish(
        export.pk,
        status=JobStatus.DONE,
        file=export.file.name,
        file_name=name,
        households=households,
    )
    _record(export, area, households=households, remote_addr=remote_addr)
    purge_old_files()
    return JobStatus.DONE


def purge_old_files() -> int:
    """Delete the files of exports older than LEDGER_EXPORT_KEEP_DAYS; return how many.

    Each holds a village's or a county's personal data: kept for downloading, not forever.
    The export's row stays (who exported what, when) without its file."""
    cutoff = timezone.now() - dt.timedelta(days=settings.LEDGER_EXPORT_KEEP_DAYS)
    old = LedgerExport.objects.filter(finished_at__lt=cutoff).exclude(file="")
    purged = 0
    for export in old.only("id", "file"):
        export.file.delete(save=False)
        LedgerExport.objects.filter(pk=export.pk).update(file="")
        purged += 1
    return purged


def _refusal(export: LedgerExport) -> str:
    """Why the requester may not have this export ("" if they may)."""
    user, area = export.created_by, export.area
    if user is None or area is None:
        return "导出申请人或导出范围已不存在"
    if export.household_id is not None:
        allowed = exportable_household(user, export.household_id) is not None
    else:
        kind = area._meta.model_name or ""
        allowed = scope.exportable(user, EXPORT_LEDGER)[kind].filter(pk=area.pk).exists()
    if not allowed:
        return "您无权导出该范围的一户一册"
    if export.full_ids and not scope.may_export_full_ids(user):
        return "您无权导出完整证件号码和电话"
    return ""


def _record(export: LedgerExport, area: Area, *, households: int, remote_addr: str | None) -> None:
    from audit.services import record_export  # the audit app imports the households models

    record_export(
        user=export.created_by or AnonymousUser(),
        description=f"导出一户一册：{area_label(area)}（{households}户）",
        full_ids=export.full_ids,
        rows=households,
        remote_addr=remote_addr,
    )


def progress_saver(export_id: int) -> Callable[[int, int], None]:
    return households_tasks.progress_saver(export_id, LedgerExport)


def _finish(export_id: int, **fields: object) -> None:
    LedgerExport.objects.filter(pk=export_id).update(finished_at=timezone.now(), **fields)


@task
def preview_ledger_import(job_id: int) -> str:
    """Read the uploaded ledger and compare it with what is stored; keep the merge to show."""
    job = LedgerImport.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status  # a task delivered twice does nothing
    with failing_on_crash(LedgerImport, job_id, "检查文件时发生内部错误，未写入任何数据"):
        pipeline.preview(job)
    return LedgerImport.objects.values_list("status", flat=True).get(pk=job_id)


@task
def write_ledger_import(job_id: int, skip_invalid: bool = False) -> str:
    """Write a confirmed upload's merge, as its preview showed it, in one transaction."""
    job = LedgerImport.objects.select_related("created_by", "confirmed_by").get(pk=job_id)
    if job.status != JobStatus.WRITING:
        return job.status  # only a confirmation (PREVIEWED → WRITING) leads here
    with failing_on_crash(LedgerImport, job_id, "写入时发生内部错误，未写入任何数据"):
        try:
            pipeline.write_job(job, skip_invalid=skip_invalid)
        except (pipeline.StaleMerge, ValueError) as refusal:
            pipeline.fail(job, str(refusal))
    return LedgerImport.objects.values_list("status", flat=True).get(pk=job_id)
