"""The registry import, stage by stage: the web view, the task and the command call only this."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from households.models import (
    Household,
    ImportBatch,
    ImportFile,
    JobStatus,
    Member,
    StatusChange,
    WritePolicy,
)
from households.registry import diff, scope, stored, validate
from households.registry.errors import FileRefused, RowError
from households.registry.fill import fill
from households.registry.headers import BY_KEY, HeaderMap, locate
from households.registry.plan import Action, Plan
from households.registry.read import RawSheet, read_bytes
from households.registry.write import StalePlan, apply, plan_has_work, plan_numbers
from povertyops.collector import collector_paused


class OutsideArea(Exception):
    """A write would leave the uploader's or the confirmer's area: it is rolled back."""


STORED_PROBLEMS = 5000  # the batch keeps this many of each; the annotated copy has them all
PROGRESS_EVERY = 2000


@dataclass
class Preview:
    plan: Plan
    summary: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    header_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (file, sheet) → row
    fingerprint: str = ""

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def create_batch(
    *, files: Sequence[tuple[str, bytes]], user: User | None, source: str = "web"
) -> ImportBatch:
    """Keep the uploaded files on a new batch, queued for its preview."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(created_by=user if user else None, source=source)
        for name, content in files:
            ImportFile.objects.create(
                batch=batch,
                name=name,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                content=content,
            )
    return batch


def _progress(batch: ImportBatch, stage: str, done: int, total: int) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        stage=stage, progress_done=done, progress_total=total
    )


def _headers(sheets: list[RawSheet], summary: dict[str, Any], errors: list[RowError]) -> list:
    found: list[HeaderMap] = []
    for sheet in sheets:
        header = locate(sheet)
        if header is None:
            summary["skipped_sheets"].append(
                {"file": sheet.file_name, "sheet": sheet.name, "reason": "没有找到花名册表头行"}
            )
            continue
        missing = [BY_KEY[key].header for key in header.missing_required]
        if missing:
            reason = f"缺少必填列：{'、'.join(missing)}"
            summary["skipped_sheets"].append(
                {"file": sheet.file_name, "sheet": sheet.name, "reason": reason}
            )
            errors.append(RowError(sheet.name, header.header_row + 1, "", "", "missing_columns",
                                   f"表头缺少必填列：{'、'.join(missing)}，整张工作表未导入",
                                   file=sheet.file_name))  # fmt: skip
            continue
        found.append(header)
        summary["sheets"].append(
            {"file": sheet.file_name, "sheet": sheet.name, "header_row": header.header_row + 1,
             "rows": len(sheet.rows) - header.header_row - 1, "unknown_headers": header.unknown}
        )  # fmt: skip
    return found


def _empty_summary() -> dict[str, Any]:
    return {"skipped_sheets": [], "sheets": [], "new_areas": {}}


def preview_files(
    files: Sequence[tuple[str, bytes]],
    *,
    report: Any = None,
    area: scope.UploaderArea | None = None,
) -> Preview:
    """Read, check and compare the files with the database; nothing is written. FileRefused.

    Households outside `area`, the uploader's (None: no limit), are invalid with a row error."""
    with collector_paused():
        return _compare(files, report, area)


def _compare(
    files: Sequence[tuple[str, bytes]], report: Any, area: scope.UploaderArea | None
) -> Preview:
    summary, file_errors = _empty_summary(), list[RowError]()
    headers: list[HeaderMap] = []
    for name, content in files:
        sheets = read_bytes(content, name)
        headers.extend(_headers(sheets, summary, file_errors))
        if report:
            report("读取文件", len(headers), len(files))
    if not headers:
        raise FileRefused("文件中没有找到花名册表头行（需要户编号、姓名、证件号码等列）")
    sources = fill(headers)
    for header in headers:
        header.sheet.rows = []  # the rows now live in `sources`; the report reads the file again
    checked = []
    for index, source in enumerate(sources, 1):
        checked.append(validate.check_household(source))
        if report and index % PROGRESS_EVERY == 0:
            report("检查数据", index, len(sources))
    validate.check_file(checked)
    if report:
        report("与系统数据比对", 0, len(checked))
    ids = [m.values["id_number"] for h in checked for m in h.members if m.values.get("id_number")]
    current = stored.load([h.number for h in checked], ids)
    plan, errors, warnings = diff.build_plan(checked, current, area)
    return _preview(plan, file_errors + errors, warnings, headers, summary, current)


def _preview(
    plan: Plan,
    errors: list[RowError],
    warnings: list[RowError],
    headers: list[HeaderMap],
    summary: dict[str, Any],
    current: stored.Stored,
) -> Preview:
    summary.update(counts(plan))
    summary["new_areas"] = {
        "counties": plan.new_counties,
        "townships": ["/".join(t) for t in plan.new_townships],
        "villages": ["/".join(v[1:]) for v in plan.new_villages],
    }
    summary["error_count"], summary["warning_count"] = len(errors), len(warnings)
    rows = {(h.sheet.file_name, h.sheet.name): h.header_row for h in headers}
    # A plan with nothing to write is never checked against the database (a re-import's usual case).
    might_write = plan_has_work(plan, mark_left=True)
    fingerprint = diff.fingerprint(current, plan_numbers(plan)) if might_write else ""
    return Preview(plan, summary, errors, warnings, rows, fingerprint)


COUNT_NAMES = {
    Action.CREATE: "created",
    Action.UPDATE: "updated",
    Action.UNCHANGED: "unchanged",
    Action.INVALID: "invalid",
}


def counts(plan: Plan) -> dict[str, dict[str, int]]:
    """What the plan would do, in the names `import_registry --json` uses."""
    members = {"created": 0, "updated": 0, "unchanged": 0, "left": 0}
    for household in plan.households:
        if household.action == Action.INVALID:
            continue
        for member in household.members:
            members[COUNT_NAMES[member.action]] += 1
        members["left"] += len(household.leaving)
    households = {name: len(plan.of(action)) for action, name in COUNT_NAMES.items()}
    return {"households": households, "members": members}


def _annotate(batch: ImportBatch, preview: Preview) -> None:
    """Keep an annotated copy of each file with errors (the report re-reads it: originals only)."""
    from households.registry.report import annotated_workbook

    for upload in batch.files.all():
        problems = [p for p in [*preview.errors, *preview.warnings] if p.file == upload.name]
        if not any(not p.is_warning for p in problems):
            continue
        sheets = read_bytes(bytes(upload.content), upload.name)
        rows = {s: r for (f, s), r in preview.header_rows.items() if f == upload.name}
        upload.annotated = annotated_workbook(sheets, problems, rows)
        upload.save(update_fields=["annotated"])


def preview_batch(batch: ImportBatch) -> Preview | None:
    """Run a queued batch's preview and keep its plan; the batch ends PREVIEWED or REFUSED."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=JobStatus.RUNNING, stage="读取文件")
    files = [(upload.name, bytes(upload.content)) for upload in batch.files.all()]
    try:
        area = _uploader_area(batch)
        preview = preview_files(files, report=lambda *a: _progress(batch, *a), area=area)
    except FileRefused as refused:
        batch.status, batch.refusal = JobStatus.REFUSED, str(refused)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "refusal", "finished_at"])
        return None
    _progress(batch, "生成预览", 1, 1)
    _keep(batch, preview)
    batch.status, batch.stage = JobStatus.PREVIEWED, ""
    batch.save(
        update_fields=["plan", "summary", "errors", "warnings", "fingerprint", "status", "stage"]
    )
    # The user reads the preview while the annotated copies (slow for big files) are built.
    _annotate(batch, preview)
    return preview


def _uploader_area(batch: ImportBatch) -> scope.UploaderArea | None:
    """The batch's uploader's area; only the command's batches have no uploader, and no limit."""
    if batch.created_by_id is None and batch.source != "command":
        raise FileRefused("上传该批次的账号已不存在，不能导入")
    return scope.uploader_area(batch.created_by)


def _keep(batch: ImportBatch, preview: Preview, *, plan: bool = True) -> None:
    """Keep the preview on the batch; the plan only when a later confirmation will apply it."""
    batch.plan = preview.plan.dumps() if plan else None
    batch.summary = preview.summary
    batch.errors = [e.as_dict() for e in preview.errors[:STORED_PROBLEMS]]
    batch.warnings = [w.as_dict() for w in preview.warnings[:STORED_PROBLEMS]]
    batch.fingerprint = preview.fingerprint


def load_plan(batch: ImportBatch) -> Plan:
    return Plan.loads(bytes(batch.plan or b""))


def write_batch(batch: ImportBatch, plan: Plan | None = None) -> None:
    """Apply a confirmed batch's plan; the batch ends DONE, or FAILED with nothing written."""
    plan = plan or load_plan(batch)
    if batch.policy == WritePolicy.ALL_OR_NOTHING and (
        plan.of(Action.INVALID) or batch.summary.get("error_count")
    ):
        return _fail(batch, "文件中有无效的户，不能“全部写入”；请修正后重新上传，或选择跳过无效户")
    users = [user for user in (batch.created_by, batch.confirmed_by) if user is not None]
    if batch.source != "command" and batch.created_by_id is None:
        return _fail(batch, "上传该批次的账号已不存在，未写入任何数据")
    _progress(batch, "写入数据库", 0, 1)
    try:
        with collector_paused(), transaction.atomic():
            written = apply(
                plan,
                batch_id=batch.pk,
                expected_fingerprint=batch.fingerprint,
                user_id=batch.confirmed_by_id,
                mark_left=batch.mark_left,
            )
            # The plan was checked row by row at the preview; check what was written, in
            # aggregate, before it is committed: all of it inside the area of both users.
            if scope.outside_written(batch.pk, users):
                raise OutsideArea("写入的户中有不在您管辖范围内的户，未写入任何数据")
    except (StalePlan, OutsideArea) as refused:
        return _fail(batch, str(refused))
    except IntegrityError as error:
        return _fail(batch, "写入时与现有数据冲突（可能另一批次同时导入了相同的户或成员），"
                            f"未写入任何数据，请重新上传预览。详情：{error}")  # fmt: skip
    except DatabaseError as error:
        return _fail(batch, f"数据库错误，未写入任何数据：{error}")
    _refresh_statistics(written)
    batch.summary = {**batch.summary, "written": written}
    batch.status, batch.finished_at, batch.stage = JobStatus.DONE, timezone.now(), ""
    batch.save(update_fields=["summary", "status", "finished_at", "stage"])


ANALYZE_ABOVE = 5000  # households created by one import


def _refresh_statistics(written: dict[str, Any]) -> None:
    """After a county's first import, have PostgreSQL's planner learn how big the tables are.

    Until autovacuum gets to it, the planner believes the tables are empty and picks plans
    that take seconds instead of milliseconds (the ledger export of a village: 390 ms → 2 ms).
    A background task does it: the import is complete and usable without it."""
    created = written.get("households", {}).get("created", 0)
    if connection.vendor != "postgresql" or created < ANALYZE_ABOVE:
        return
    from households.tasks import analyse_registry_tables  # the tasks import this module

    analyse_registry_tables.enqueue()  # maintenance: the import is complete without it


def analyse_registry_tables() -> None:
    tables = ", ".join(model._meta.db_table for model in (Household, Member, StatusChange))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _fail(batch: ImportBatch, message: str) -> None:
    batch.status, batch.failure, batch.finished_at = JobStatus.FAILED, message, timezone.now()
    batch.save(update_fields=["status", "failure", "finished_at"])


def run(
    files: Sequence[tuple[str, bytes]],
    *,
    user: User | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    mark_left: bool = False,
) -> tuple[ImportBatch, Preview]:
    """Preview and, unless a dry run, write at once (the command's path). FileRefused.

    Without a `user` (the `import_registry` command) the import has no area limit."""
    preview = preview_files(files, area=scope.uploader_area(user))
    batch = create_batch(files=files, user=user, source="command")
    _keep(batch, preview, plan=False)  # written at once (or a dry run): never confirmed later
    batch.status = JobStatus.CANCELLED if dry_run else JobStatus.PREVIEWED
    batch.policy = WritePolicy.SKIP_INVALID if skip_invalid else WritePolicy.ALL_OR_NOTHING
    batch.mark_left, batch.confirmed_by = mark_left, user if user else None
    batch.save()
    if not dry_run:
        write_batch(batch, preview.plan)  # refuses ALL_OR_NOTHING when anything is invalid
    return batch, preview
