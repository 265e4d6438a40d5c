"""Background work of the registry: preview and write an import batch, build an export.

Tasks take row ids only (their arguments are stored as JSON by the queue) and read everything
else from the row, so a worker on another machine needs nothing but the database.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.tasks import task
from django.utils import timezone

from households.models import ImportBatch, JobStatus, RegistryExport
from households.registry import pipeline, scope
from households.registry.export import export_registry, households_in

PROGRESS_INTERVAL = 0.5  # seconds between two progress UPDATEs of an export
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.WRITING)


@task
def preview_registry_import(batch_id: int) -> str:
    """Read, check and compare a queued batch with the database; store its plan for the preview."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != JobStatus.QUEUED:
        return batch.status  # already previewed: a task delivered twice does nothing
    with failing_on_crash(ImportBatch, batch_id, "检查文件时发生内部错误，未写入任何数据"):
        pipeline.preview_batch(batch)
    return batch.status


@task
def write_registry_import(batch_id: int) -> str:
    """Apply the plan of a confirmed batch, as its preview showed it, in one transaction."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != JobStatus.WRITING:
        return batch.status  # only a confirmation (PREVIEWED → WRITING) leads here
    with failing_on_crash(ImportBatch, batch_id, "写入时发生内部错误，未写入任何数据"):
        pipeline.write_batch(batch)
    return batch.status


@task
def analyse_registry_tables() -> str:
    """Refresh PostgreSQL's statistics of the registry tables after a county's first import."""
    pipeline.analyse_registry_tables()
    return "analysed"


@task
def build_registry_export(export_id: int, remote_addr: str | None = None) -> str:
    """Write the canonical workbook of the export's area into the export row, and record it.

    ID numbers and phones are masked unless the row asks for full ones (its file name carries
    the mark) and its requester may export them; the area is checked again against theirs."""
    claimed = RegistryExport.objects.filter(pk=export_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    if not claimed:
        return "skipped"  # already built: a task delivered twice does nothing
    export = RegistryExport.objects.select_related(
        "created_by", "county", "township", "village__township"
    ).get(pk=export_id)
    full_ids = export.full_ids
    if refusal := _refusal(export, full_ids):
        _finish(export_id, status=JobStatus.FAILED, failure=refusal)
        return JobStatus.FAILED
    out = io.BytesIO()
    with failing_on_crash(RegistryExport, export_id, "生成文件时发生内部错误，请稍后重试"):
        try:
            rows = export_registry(
                out,
                households=households_in(export.village or export.township or export.county),
                progress=progress_saver(export_id),
                full_ids=full_ids,
            )
        except ValueError as error:  # the export's own refusals carry a Chinese message
            _finish(export_id, status=JobStatus.FAILED, failure=str(error))
            return JobStatus.FAILED
    mark = f"-{scope.FULL_ID_MARK}" if full_ids else ""
    name = f"花名册-{export.area_name}{mark}-{timezone.localdate().isoformat()}.xlsx"
    _finish(export_id, status=JobStatus.DONE, content=out.getvalue(), rows=rows, file_name=name)
    _record(export, full_ids=full_ids, rows=rows, remote_addr=remote_addr)
    return JobStatus.DONE


def _refusal(export: RegistryExport, full_ids: bool) -> str:
    """Why the requester may not have this export ("" if they may): the page checked it, but
    the role or the area may have changed while the export waited in the queue."""
    user = export.created_by
    area = export.village or export.township or export.county
    if user is None or area is None:
        return "导出申请人或导出范围已不存在"
    if not scope.may_export(user, area._meta.model_name or "", area.pk):
        return "您无权导出该地区"
    if full_ids and not scope.may_export_full_ids(user):
        return "您无权导出完整证件号码和电话"
    return ""


def _record(export: RegistryExport, *, full_ids: bool, rows: int, remote_addr: str | None) -> None:
    from audit.services import record_export  # the audit app imports the households models

    description = f"导出花名册：{export.area_name}（{rows}行）"
    user = export.created_by or AnonymousUser()
    record_export(
        user=user, description=description, full_ids=full_ids, rows=rows, remote_addr=remote_addr
    )


def progress_saver(
    export_id: int, model: type[Model] = RegistryExport
) -> Callable[[int, int], None]:
    """A progress callback that writes at most one UPDATE per PROGRESS_INTERVAL, and the last."""
    last = 0.0
    rows = model._default_manager.filter(pk=export_id)

    def save(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_INTERVAL and done < total:
            return
        last = now
        rows.update(progress_done=done, progress_total=total)

    return save


def _finish(export_id: int, **fields: object) -> None:
    RegistryExport.objects.filter(pk=export_id).update(finished_at=timezone.now(), **fields)


@contextmanager
def failing_on_crash(model: type[Model], pk: int, message: str) -> Iterator[None]:
    """Mark the job FAILED if it crashes, so its page stops waiting; the error still propagates.

    The queue records the traceback of the re-raised exception for the administrator; the user
    sees `message` instead of a progress bar that never moves again.
    """
    try:
        yield
    except Exception:
        model._default_manager.filter(pk=pk, status__in=UNFINISHED).update(
            status=JobStatus.FAILED, failure=message, finished_at=timezone.now()
        )
        raise
