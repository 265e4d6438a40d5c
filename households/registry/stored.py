"""What the database holds for the households of an upload, loaded in a few chunked queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from django.db.models import QuerySet

from cadres.models import Pairing
from households.models import County, Household, Member, Township, Village, YearlyIncome
from households.querysets import per_capita
from households.registry.columns import COLUMNS, Kind, Level

CHUNK = 2000  # ids per IN (…): well under SQLite's and PostgreSQL's parameter limits
SCAN_ABOVE = 10_000  # more values than this: read the whole table instead of IN (…) chunks
HOUSEHOLD_FIELDS = (
    "hamlet",
    "identification_standard",
    "poverty_attribute",
    "main_cause",
    "other_causes",
    "status",
    "identified_year",
    "exit_year",
    "phone",
    "registry_income_per_capita",
    "registry_cadre_names",
)
MEMBER_FIELDS = (
    "name",
    "id_number",
    "relation_to_head",
    "sex",
    "ethnicity",
    "birth_date",
    "education",
    "student_status",
    "health",
    "labour_skill",
    "work_status",
    "work_months",
    "has_medical_insurance",
    "has_pension_insurance",
)
# The member columns of enumerated values (the registry's CHOICE columns).
SHARED_FIELDS = tuple(c.key for c in COLUMNS if c.level is Level.MEMBER and c.kind is Kind.CHOICE)
AreaKey = tuple[str, str, str]


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Stored:
    households: dict[str, dict[str, Any]] = field(default_factory=dict)  # by 户编号
    members: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # current, by household
    id_owners: dict[str, str] = field(default_factory=dict)  # ID → 户编号 of its current member
    incomes: dict[int, Decimal | None] = field(default_factory=dict)  # computed, latest year
    cadres: dict[int, str] = field(default_factory=dict)  # current pairings' cadre names
    counties: dict[str, int] = field(default_factory=dict)
    townships: dict[tuple[str, str], int] = field(default_factory=dict)
    villages: dict[AreaKey, int] = field(default_factory=dict)
    village_names: dict[int, AreaKey] = field(default_factory=dict)


def load(numbers: Iterable[str], id_numbers: Iterable[str]) -> Stored:
    stored = Stored()
    _load_areas(stored)
    fields = ("id", "household_number", "village_id", *HOUSEHOLD_FIELDS)
    households = Household.objects.values(*fields)
    for row in matching(households, "household_number", numbers, itemgetter("household_number")):
        income = row["registry_income_per_capita"]
        row["registry_income_per_capita"] = None if income is None else f"{income:.2f}"
        stored.households[row["household_number"]] = row
    ids = [row["id"] for row in stored.households.values()]
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    current = Member.objects.filter(left_on__isnull=True).order_by("id")
    current_rows = current.values("id", "household_id", *MEMBER_FIELDS)
    shared: dict[str, str] = {}
    for row in matching(current_rows, "household_id", ids, itemgetter("household_id")):
        row["birth_date"] = row["birth_date"].isoformat()  # as the plan holds it
        # The database driver makes a new string per cell: a county's 100,000 members hold a
        # million copies of a few dozen enumeration values unless they share one each.
        for name in SHARED_FIELDS:
            value = row[name]
            row[name] = shared.setdefault(value, value)
        members[row["household_id"]].append(row)
    stored.members = dict(members)
    # IDs of members of the upload's own households need no query (a re-import: all of them).
    number_of = {row["id"]: number for number, row in stored.households.items()}
    for household_id, rows in stored.members.items():
        stored.id_owners.update((row["id_number"], number_of[household_id]) for row in rows)
    others = Member.objects.filter(left_on__isnull=True)
    owners = others.values_list("id_number", "household__household_number")
    stored.id_owners.update(
        matching(owners, "id_number", set(id_numbers) - stored.id_owners.keys(), itemgetter(0))
    )
    _load_derived(stored, ids)
    return stored


def matching(
    queryset: QuerySet[Any, Any], field: str, values: Iterable[Any], key: Callable[[Any], Any]
) -> Iterator[Any]:
    """The rows of `queryset` whose `field` (read from a row by `key`) is one of `values`.

    A few values are asked for in chunks of `IN (…)`; for many (a county's whole registry) one
    pass over the table is faster than preparing tens of thousands of query parameters."""
    wanted = set(values)
    if len(wanted) > SCAN_ABOVE:
        yield from (row for row in queryset.iterator(chunk_size=CHUNK) if key(row) in wanted)
        return
    for batch in chunks(wanted):
        yield from queryset.filter(**{f"{field}__in": batch})


def _load_areas(stored: Stored) -> None:
    stored.counties = dict(County.objects.values_list("name", "id"))
    county_names = {pk: name for name, pk in stored.counties.items()}
    townships = {}
    for pk, county_id, name in Township.objects.values_list("id", "county_id", "name"):
        townships[pk] = (county_names[county_id], name)
        stored.townships[(county_names[county_id], name)] = pk
    for pk, township_id, name in Village.objects.values_list("id", "township_id", "name"):
        key = (*townships[township_id], name)
        stored.villages[key] = pk
        stored.village_names[pk] = key


def _load_derived(stored: Stored, ids: list[int]) -> None:
    """Per-capita income and responsible cadres where other records decide them."""
    household_of = attrgetter("household_id")
    incomes = YearlyIncome.objects.with_household_size().order_by("household_id", "year")
    for income in matching(incomes, "household_id", ids, household_of):
        stored.incomes[income.household_id] = per_capita(income.net_income, income.household_size)
    pairings = Pairing.objects.filter(ended_on__isnull=True).order_by("started_on", "id")
    names: dict[int, list[str]] = defaultdict(list)
    rows = pairings.values_list("household_id", "cadre__name")
    for household_id, name in matching(rows, "household_id", ids, itemgetter(0)):
        names[household_id].append(name)
    stored.cadres.update({pk: "、".join(found) for pk, found in names.items()})
