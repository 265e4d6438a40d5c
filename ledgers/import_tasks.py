"""Background work of a ledger upload: its preview, then its write once confirmed."""

from __future__ import annotations

from django.tasks import task

from households.models import JobStatus
from households.tasks import failing_on_crash
from ledgers import pipeline
from ledgers.models import LedgerImport


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
