"""What the preview of a batch shows, from its stored plan: ID numbers masked, long lists paged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Value, When
from django.http import HttpRequest

from households import idnumbers
from households.masking import mask_id_number, mask_phone
from households.models import ImportBatch, ImportFile
from households.registry.columns import BY_KEY, SYNONYMS
from households.registry.pipeline import load_plan
from households.registry.plan import (
    ACTION_LABELS,
    Action,
    Change,
    PlannedHousehold,
    PlannedMember,
)

PROBLEMS_SHOWN = 500  # of errors and of warnings; the annotated copy of the file has them all
HOUSEHOLDS_PER_PAGE = 50
PEOPLE_PER_PAGE = 100
ID_HEADERS = frozenset({BY_KEY["id_number"].header, *SYNONYMS["id_number"]})
MASKERS: dict[str, Callable[[str | None], str]] = {
    "id_number": mask_id_number,
    "phone": mask_phone,
}


@dataclass
class PersonRow:
    action: str
    name: str
    id_number: str  # masked
    changes: list[Change] = field(default_factory=list)


@dataclass
class HouseholdRow:
    number: str
    head_name: str
    area: str
    where: str  # sheet and Excel row of its first row
    changes: list[Change]
    members: list[PersonRow]
    leaving: list[PersonRow]
    member_count: int
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Pager:
    """One page of a long list, with links that keep the other lists' pages."""

    page: Page
    rows: list[Any]
    previous_url: str = ""
    next_url: str = ""


def preview_context(request: HttpRequest, batch: ImportBatch) -> dict[str, Any]:
    """Everything the PREVIEWED page shows before anything is written."""
    plan = load_plan(batch)
    errors = masked_problems(batch.errors)
    by_household: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for error in errors:
        if error.get("household_number"):
            by_household[error["household_number"]].append(error)
    leaving = [
        (household, person)
        for household in plan.households
        if household.action != Action.INVALID
        for person in household.leaving
    ]
    summary = batch.summary
    return {
        "plan_counts": {"households": summary["households"], "members": summary["members"]},
        "errors": errors[:PROBLEMS_SHOWN],
        "error_total": summary.get("error_count", len(batch.errors)),
        "warnings": masked_problems(batch.warnings[:PROBLEMS_SHOWN]),
        "warning_total": summary.get("warning_count", len(batch.warnings)),
        "problems_shown": PROBLEMS_SHOWN,
        "updated": pager(request, "page", plan.of(Action.UPDATE), household_row),
        "created": pager(request, "new_page", plan.of(Action.CREATE), household_row),
        "invalid": pager(
            request,
            "invalid_page",
            plan.of(Action.INVALID),
            lambda household: household_row(household, by_household[household.household_number]),
        ),
        "leaving": pager(request, "left_page", leaving, leaving_row, per_page=PEOPLE_PER_PAGE),
        "leaving_total": len(leaving),
    }


def annotated_files(batch: ImportBatch) -> list[ImportFile]:
    """The batch's files, without their content, each marked whether it has an annotated copy."""
    has_annotated = Case(
        When(annotated__isnull=False, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    files = batch.files.only("id", "batch_id", "name", "size").annotate(has_annotated=has_annotated)
    with_errors = {error.get("file") for error in batch.errors if not error.get("is_warning")}
    found: list[ImportFile] = list(files)
    for file in found:
        # The copy is built after the preview is shown: say so until it is there.
        file.annotating = file.name in with_errors and not file.has_annotated  # type: ignore[attr-defined]
    return found


def pager(
    request: HttpRequest,
    param: str,
    items: Sequence[Any],
    to_row: Callable[[Any], Any],
    *,
    per_page: int = HOUSEHOLDS_PER_PAGE,
) -> Pager:
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    rows = [to_row(item) for item in page.object_list]
    result = Pager(page=page, rows=rows)
    if page.has_previous():
        result.previous_url = _page_url(request, param, page.previous_page_number())
    if page.has_next():
        result.next_url = _page_url(request, param, page.next_page_number())
    return result


def _page_url(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"


def household_row(
    household: PlannedHousehold, errors: list[dict[str, Any]] | None = None
) -> HouseholdRow:
    return HouseholdRow(
        number=household.household_number,
        head_name=household.head_name,
        area=household.area_label,
        where=f"“{household.sheet}”第{household.row}行",
        changes=masked_changes(household.changes),
        members=[member_row(member) for member in household.member_changes],
        leaving=[
            PersonRow("减少", person.name, mask_id_number(person.id_number))
            for person in household.leaving
        ],
        member_count=len(household.members),
        errors=errors or [],
    )


def member_row(member: PlannedMember) -> PersonRow:
    return PersonRow(
        action=ACTION_LABELS[member.action],
        name=member.name,
        id_number=mask_id_number(member.id_number),
        changes=masked_changes(member.changes),
    )


def leaving_row(item: tuple[PlannedHousehold, Any]) -> tuple[str, str, PersonRow]:
    household, person = item
    masked = PersonRow("减少", person.name, mask_id_number(person.id_number))
    return household.household_number, household.head_name, masked


def masked_changes(changes: list[Change]) -> list[Change]:
    masker = MASKERS.get
    return [
        Change(change.field, change.label, mask(change.old), mask(change.new))
        if (mask := masker(change.field))
        else change
        for change in changes
    ]


def masked_problems(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors or warnings as stored, with any ID number in their value masked."""
    return [
        {**problem, "value": mask_id_number(problem["value"])} if _is_id(problem) else problem
        for problem in problems
    ]


def _is_id(problem: dict[str, Any]) -> bool:
    value = str(problem.get("value") or "")
    if not value:
        return False
    if problem.get("column") in ID_HEADERS:
        return True
    # An ID number quoted under another column (a duplicate, a head's number) is masked too.
    number = idnumbers.normalise(value)
    return bool(idnumbers.ID_PATTERN.match(number) or idnumbers.LEGACY_PATTERN.match(number))
