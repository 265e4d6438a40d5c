"""The ledger import, stage by stage: read → merge → check → preview → write in one transaction.

The web pages, the task and `import_ledger` call only this module. The preview's merge is
stored on the `LedgerImport`; the write applies exactly that merge after checking that nothing
it compared has changed since, so what the user confirmed is what is written.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import set_actor
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import HelpingUnit
from households.models import Household, JobStatus
from ledgers import content, reader, write
from ledgers.merge import (
    TABLES,
    Addition,
    Change,
    Conflict,
    HouseholdMerge,
    Problem,
    Values,
    merge,
)
from ledgers.models import LedgerImport
from ledgers.permissions import changeable, refused_changes


class StaleMerge(Exception):
    """The stored values changed after the preview: the write would not be what was confirmed."""


@dataclass
class Preview:
    merges: list[HouseholdMerge]
    problems: list[dict[str, Any]] = field(default_factory=list)  # file-level, with sheet+cell
    heads: dict[int, str] = field(default_factory=dict)  # household id → its sheet and number
    sheets: dict[int, str] = field(default_factory=dict)  # household id → its sheet's name
    full_ids: bool = False  # the workbook printed full numbers: the merge compared them so

    @property
    def invalid(self) -> list[HouseholdMerge]:
        return [merged for merged in self.merges if merged.errors]


def create_import(
    *, name: str, data: bytes, user: User | None, source: str = "web"
) -> LedgerImport:
    return LedgerImport.objects.create(
        created_by=user,
        source=source,
        file_name=name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )


def preview(job: LedgerImport) -> Preview | None:
    """Read and merge the job's workbook; store the merge and its summary. None if refused."""
    _stage(job, JobStatus.RUNNING, "读取文件")
    try:
        ledger = reader.read_ledger_workbook(bytes(job.content))
    except reader.LedgerRefused as refusal:
        _finish(job, status=JobStatus.REFUSED, refusal=str(refusal))
        return None
    result = compare(ledger, user=job.created_by, job=job)
    job.plan = _pack(result)
    job.summary = summary(result)
    job.status = JobStatus.PREVIEWED
    job.stage = ""
    job.save(update_fields=["plan", "summary", "status", "stage"])
    return result


def compare(ledger: Any, *, user: User | None, job: LedgerImport | None = None) -> Preview:
    """Merge every household of the workbook with what is stored now, as `user` may change it."""
    stamped = list(ledger.stamp.households)
    ids = [entry.household_id for entry in stamped]
    reachable = _reachable(user, ids)
    result = Preview(merges=[], full_ids=bool(ledger.stamp.full_ids))
    result.problems = [_problem_json(p) for p in ledger.errors if p.household_id is None]
    result.problems += [
        _problem_json(p, warning=True) for p in ledger.warnings if p.household_id is None
    ]
    current = stored_values(list(reachable), full_ids=result.full_ids)
    merges = [
        _merge_one(ledger, entry, reachable.get(pk), current.get(pk))
        for entry, pk in zip(stamped, ids, strict=True)
    ]
    # Permissions and helping units are read once for the whole workbook, not per household.
    checked = [merged for merged, household in merges if household is not None]
    allowed = changeable(checked, user) if user is not None else {}
    units: dict[str, HelpingUnit | None] = {}
    for done, (entry, (merged, household)) in enumerate(zip(stamped, merges, strict=True), 1):
        if household is not None:
            _check(merged, household, user, allowed, units)
        _add_reader_problems(merged, ledger)
        result.merges.append(merged)
        result.heads[entry.household_id] = _head(entry)
        result.sheets[entry.household_id] = entry.sheet
        if job is not None and (done % 20 == 0 or done == len(stamped)):
            _progress(job, "比对数据", done, len(stamped))
    return result


def _reachable(user: User | None, ids: list[int]) -> dict[int, Household]:
    households = Household.objects.all() if user is None else Household.objects.for_user(user)
    found = households.filter(pk__in=ids).select_related("village__township__county")
    return {household.pk: household for household in found}


def stored_values(ids: list[int], *, full_ids: bool) -> dict[int, Values]:
    """What the system holds now for these households, as their ledgers print it; read in
    chunks with a fixed number of queries each (a village workbook holds hundreds)."""
    households = Household.objects.filter(pk__in=ids)
    return {
        b.household_id: Values.of(b) for b in content.booklets_for(households, full_ids=full_ids)
    }


def _merge_one(
    ledger: Any, entry: Any, household: Household | None, current: Any
) -> tuple[HouseholdMerge, Household | None]:
    """One household's merge, and its household when its changes are still to be checked."""
    merged = HouseholdMerge(entry.household_id)
    sheet = ledger.sheets.get(entry.household_id)
    if household is None or current is None:
        merged.errors.append(Problem(f"工作表“{entry.sheet}”", "该户不存在或不在您的管辖范围内"))
        return merged, None
    if sheet is None:
        return merged, None  # the reader could not read the sheet: its errors say why
    base = Values.of(entry.base)
    edited = Values.of(sheet.booklet, sheet.places)
    merged = merge(household_id=entry.household_id, base=base, edited=edited, current=current)
    _name_field_places(merged, sheet)
    return merged, household


def _check(
    merged: HouseholdMerge,
    household: Household,
    user: User | None,
    allowed: dict[str, set[int]],
    units: dict[str, HelpingUnit | None],
) -> None:
    """Add the errors of what `user` may not change or the models would refuse."""
    if user is not None:
        merged.errors += refused_changes(merged, user=user, allowed=allowed)
    merged.errors += write.check(merged, household, units=units)
    # A row that cannot be written is shown as an error, not also as an addition.
    refused = {problem.place for problem in merged.errors}
    merged.additions = [a for a in merged.additions if a.place not in refused]


def _add_reader_problems(merged: HouseholdMerge, ledger: Any) -> None:
    """The reader's problems of this household's sheet (a missing section or header makes the
    whole household invalid: its edits there cannot be read, so none of them is written)."""
    for found, kept in ((ledger.errors, merged.errors), (ledger.warnings, merged.warnings)):
        for problem in found:
            if problem.household_id == merged.household_id:
                # A section that is not found has no cell of its own: its sheet is the place.
                kept.append(Problem(problem.cell or f"工作表“{problem.sheet}”", problem.message))


def _name_field_places(merged: HouseholdMerge, sheet: Any) -> None:
    places = getattr(sheet, "field_places", {}) or {}
    for change in [*merged.changes, *merged.conflicts]:
        if not change.table and change.column in places:
            change.place = places[change.column]


def _head(entry: Any) -> str:
    return f"{entry.sheet}（户编号 {entry.household_number}）"


def summary(result: Preview) -> dict[str, Any]:
    merges = result.merges
    invalid = [m for m in merges if m.errors]
    valid = [m for m in merges if not m.errors]
    return {
        "households": {
            "created": 0,
            "updated": sum(1 for m in valid if m.changes or m.additions),
            "unchanged": sum(1 for m in valid if not m.has_work),
            "invalid": len(invalid),
        },
        "changes": sum(len(m.changes) for m in valid),
        "additions": sum(len(m.additions) for m in valid),
        "conflicts": sum(len(m.conflicts) for m in merges),
        "since_export": sum(len(m.since_export) for m in merges),
        "errors": sum(len(m.errors) for m in merges)
        + sum(1 for p in result.problems if not p["warning"]),
        "warnings": sum(len(m.warnings) for m in merges)
        + sum(1 for p in result.problems if p["warning"]),
    }


def _problem_json(problem: Any, *, warning: bool = False) -> dict[str, Any]:
    return {
        "sheet": problem.sheet,
        "cell": problem.cell,
        "message": problem.message,
        "household_id": getattr(problem, "household_id", None),
        "warning": warning,
    }


# --- The stored merge ----------------------------------------------------------------------


def _pack(result: Preview) -> bytes:
    data = {
        "merges": [m.as_json() for m in result.merges],
        "problems": result.problems,
        "heads": {str(k): v for k, v in result.heads.items()},
        "sheets": {str(k): v for k, v in result.sheets.items()},
        "full_ids": result.full_ids,
    }
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode(), 6)


def unpack(job: LedgerImport) -> Preview:
    data = json.loads(zlib.decompress(bytes(job.plan or b"")) or "{}")
    merges = [_merge_from_json(item) for item in data.get("merges", [])]
    heads = {int(k): v for k, v in data.get("heads", {}).items()}
    sheets = {int(k): v for k, v in data.get("sheets", {}).items()}
    problems = data.get("problems", [])
    return Preview(merges, problems, heads, sheets, full_ids=bool(data.get("full_ids")))


def _merge_from_json(item: dict[str, Any]) -> HouseholdMerge:
    return HouseholdMerge(
        household_id=item["household_id"],
        changes=[Change(**c) for c in item["changes"]],
        conflicts=[Conflict(**c) for c in item["conflicts"]],
        additions=[Addition(**a) for a in item["additions"]],
        errors=[Problem(**p) for p in item["errors"]],
        warnings=[Problem(**p) for p in item["warnings"]],
        known=item.get("known", {}),
        since_export=[Change(**c) for c in item.get("since_export", [])],
    )


# --- The write -------------------------------------------------------------------------------


def write_job(job: LedgerImport, *, skip_invalid: bool) -> dict[str, int]:
    """Apply the stored merge in one transaction; refuse it whole if anything compared changed."""
    result = unpack(job)
    if result.invalid and not skip_invalid:
        raise ValueError("存在无效的户，未写入任何数据")
    user = job.confirmed_by or job.created_by
    written = write_merges(
        result.merges, user=user, resolutions=job.resolutions or {}, full_ids=result.full_ids
    )
    job.summary = {**job.summary, "written": written}
    _finish(job, status=JobStatus.DONE)
    return written


def write_merges(
    merges: list[HouseholdMerge],
    *,
    user: User | None,
    resolutions: dict[str, str],
    full_ids: bool,
) -> dict[str, int]:
    """Write the valid households' merges as `user`; all or nothing."""
    todo = [m for m in merges if not m.errors and _has_work(m, resolutions)]
    written = {"households": 0, "records": 0}
    with transaction.atomic(), set_actor(user):
        locked = _lock([m.household_id for m in todo])
        now = stored_values(list(locked), full_ids=full_ids)
        for merged in todo:
            household = locked[merged.household_id]
            _check_fresh(merged, now[merged.household_id])
            try:
                written["records"] += write.apply(merged, household, resolutions=resolutions)
            except ValidationError as error:  # rolls the whole write back
                raise StaleMerge("；".join(error.messages)) from error
            written["households"] += 1
    return written


def _has_work(merged: HouseholdMerge, resolutions: dict[str, str]) -> bool:
    chosen = any(resolutions.get(c.id) == "file" for c in merged.conflicts)
    return bool(merged.changes or merged.additions or chosen)


def _lock(ids: list[int]) -> dict[int, Household]:
    households = Household.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk")
    found = {household.pk: household for household in households}
    missing = set(ids) - set(found)
    if missing:
        raise StaleMerge("预览后有户被删除，请重新上传")
    return found


def _check_fresh(merged: HouseholdMerge, now: Values) -> None:
    """Every value the preview compared still reads as it did (else the user confirmed
    something that is no longer true)."""
    for addition in merged.additions:
        # Another upload of the same rows (or an entry in the admin) since the preview.
        if set(now.rows.get(addition.table, {})) - set(merged.known.get(addition.table, [])):
            raise StaleMerge(f"{addition.place}：预览后本户的该表又新增了记录，请重新上传预览")
    for change in [*merged.changes, *merged.conflicts]:
        if _now(now, change) != change.old:
            raise StaleMerge(f"{change.place}“{change.label}”在预览后被他人修改，请重新上传预览")


def _now(values: Values, change: Change) -> str:
    if not change.table:
        return values.fields.get(change.column, ("", ""))[1]
    row = values.rows.get(change.table, {}).get(change.ref)
    if row is None:
        return "\0deleted"
    return row[[c.key for c in TABLES[change.table].columns].index(change.column)]


def _stage(job: LedgerImport, status: str, stage: str) -> None:
    job.status, job.stage = status, stage
    LedgerImport.objects.filter(pk=job.pk).update(status=status, stage=stage)


def _progress(job: LedgerImport, stage: str, done: int, total: int) -> None:
    LedgerImport.objects.filter(pk=job.pk).update(
        stage=stage, progress_done=done, progress_total=total
    )


def _finish(job: LedgerImport, *, status: str, refusal: str = "", failure: str = "") -> None:
    job.status, job.refusal, job.failure = status, refusal, failure
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "refusal", "failure", "finished_at", "summary"])


def fail(job: LedgerImport, message: str) -> None:
    """End a job whose write was refused as a whole: nothing was written."""
    _finish(job, status=JobStatus.FAILED, failure=message)


def all_problems(result: Preview) -> Iterator[dict[str, Any]]:
    """Every problem of the preview as JSON rows: the file's, then each household's."""
    yield from result.problems
    for merged in result.merges:
        for problem, warning in [(p, False) for p in merged.errors] + [
            (p, True) for p in merged.warnings
        ]:
            yield {
                "sheet": result.sheets.get(merged.household_id, ""),
                "cell": problem.place,
                "message": problem.message,
                "household_id": merged.household_id,
                "warning": warning,
            }
