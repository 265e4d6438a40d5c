"""Reading households for their ledgers: one query per table and chunk of households.

Rows are read as plain values rather than model instances: a county has about 30 ledger rows
per household, and building them as instances, with Django's prefetch bookkeeping, took most
of the export's time. Income is the exception: its totals and per-capita figure are the
model's own properties, fed by the query set's annotations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet

from cadres.models import FirstSecretaryPosting, Pairing, Visit
from cadres.selectors import current_first_secretaries
from households.choices import Relation
from households.models import (
    BasicNeedsAssessment,
    HelpMeasure,
    HelpPlan,
    Household,
    HouseholdProfile,
    MeasureFunding,
    Member,
    StatusChange,
    YearlyIncome,
)
from households.models.income import MONEY_FIELDS
from households.querysets import per_capita
from ledgers.sections import SECTIONS

Values = dict[str, Any]  # one database row, by field name
TABLES = {spec.table.key: spec.table for spec in SECTIONS if spec.table is not None}


@dataclass(frozen=True)
class Sources:
    """One household's rows, as the sections read them."""

    household: Values  # HOUSEHOLD_FIELDS
    profile: Values | None  # None: no 家庭基本情况 recorded yet
    rows: dict[str, list[Values]]  # table key → its rows in print order
    secretary: FirstSecretaryPosting | None  # the village's first secretary now
    year: int
    full_ids: bool

    @property
    def head(self) -> Values | None:
        members = self.rows["members"]
        return next((m for m in members if m["relation_to_head"] == Relation.HEAD), None)


AREA_FIELDS = (
    "village_id",
    "village__name",
    "village__township_id",
    "village__township__name",
    "village__township__county__name",
)


def _field_names(model: str) -> tuple[str, ...]:
    """The attributes of `model` ("household", "profile") that the sections' fields print."""
    prefix = f"{model}."
    keys = (column.key for spec in SECTIONS for column in spec.fields)
    return tuple(key.removeprefix(prefix) for key in keys if key.startswith(prefix))


HOUSEHOLD_FIELDS = tuple(
    dict.fromkeys(("id", "household_number", "version", *AREA_FIELDS, *_field_names("household")))
)
PROFILE_FIELDS = ("id", "household_id", *_field_names("profile"))


def sources_for(ids: Sequence[int], *, year: int, full_ids: bool) -> Iterator[Sources]:
    """The rows of the households `ids`, in 户编号 order, in a fixed number of queries."""
    households = Household.objects.filter(pk__in=ids).order_by("household_number")
    rows = list(households.values(*HOUSEHOLD_FIELDS))
    profiles = HouseholdProfile.objects.filter(household_id__in=ids).values(*PROFILE_FIELDS)
    profile_of = {profile["household_id"]: profile for profile in profiles}
    tables = {key: _grouped(read(ids)) for key, read in READERS.items()}
    tables["results"] = tables["measures"]  # one result row per measure, in the same order
    secretaries = current_first_secretaries({row["village_id"] for row in rows})
    for row in rows:
        yield Sources(
            household=row,
            profile=profile_of.get(row["id"]),
            rows={key: table.get(row["id"], []) for key, table in tables.items()},
            secretary=secretaries.get(row["village_id"]),
            year=year,
            full_ids=full_ids,
        )


def _grouped(rows: Iterable[Values]) -> dict[int, list[Values]]:
    groups: dict[int, list[Values]] = defaultdict(list)
    for row in rows:
        groups[row["household_id"]].append(row)
    return groups


def _fields(*tables: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The stored columns of `tables` (computed ones come from `extra` lookups), and keys."""
    stored = (
        column.key for table in tables for column in TABLES[table].columns if "." not in column.key
    )
    return tuple(dict.fromkeys(("id", "household_id", *stored, *extra)))


def _members(ids: Sequence[int]) -> list[Values]:
    current = Member.objects.current().filter(household_id__in=ids)
    rows = current.values(*_fields("members", extra=("relation_to_head",)))
    # Head first, then in the order the members were entered.
    return sorted(rows, key=lambda m: (m["relation_to_head"] != Relation.HEAD, m["id"]))


def _incomes(ids: Sequence[int]) -> list[Values]:
    """Income rows with the model's figures; the annotations give that year's household size
    (members on 31 December) and the poverty line of that year and province."""
    incomes = YearlyIncome.objects.filter(household_id__in=ids).with_household_size()
    incomes = incomes.with_poverty_line().order_by("year", "pk")
    return [_income_values(income) for income in incomes]


def _income_values(income: YearlyIncome) -> Values:
    # The model's properties, each read once: net_income_per_capita would work out the net
    # income (and the gross) again, so its `per_capita` is applied to the net income read here.
    net_income = income.net_income
    return {
        "id": income.pk,
        "household_id": income.household_id,
        "year": income.year,
        "notes": income.notes,
        **{name: getattr(income, name) for name in MONEY_FIELDS},
        "gross_income": income.gross_income,
        "net_income": net_income,
        "household_size": income.household_size,
        "net_income_per_capita": per_capita(net_income, income.household_size),
        "poverty_line": income.poverty_line_amount,
    }


def _measures(ids: Sequence[int]) -> list[Values]:
    """Measures with `funds`, their amounts by source (summed, should a source repeat)."""
    measures = HelpMeasure.objects.filter(household_id__in=ids).order_by("year", "pk")
    rows = list(measures.values(*_fields("measures", "results", extra=("helping_unit__name",))))
    funds: dict[int, dict[str, Decimal]] = defaultdict(dict)
    fundings = MeasureFunding.objects.filter(measure__household_id__in=ids)
    for measure, source, amount in fundings.values_list("measure_id", "source", "amount"):
        funds[measure][source] = funds[measure].get(source, Decimal("0")) + amount
    for row in rows:
        row["funds"] = funds.get(row["id"], {})
    return rows


def _ordered(
    model: type[Model], table: str, order: str, extra: tuple[str, ...] = ()
) -> Callable[[Sequence[int]], QuerySet[Any]]:
    def read(ids: Sequence[int]) -> QuerySet[Any]:
        rows = model._default_manager.filter(household_id__in=ids).order_by(order, "pk")
        return rows.values(*_fields(table, extra=extra))

    return read


CADRE_FIELDS = (
    "cadre__name", "cadre__unit__name", "cadre__unit__affiliation", "cadre__post", "cadre__phone"
)  # fmt: skip
READERS: dict[str, Callable[[Sequence[int]], Iterable[Values]]] = {
    "members": _members,
    "income": _incomes,
    "needs": _ordered(BasicNeedsAssessment, "needs", "year"),
    # Current and ended pairings alike: a change of cadre is a new row, history stays.
    "cadres": _ordered(Pairing, "cadres", "started_on", CADRE_FIELDS),
    "plans": _ordered(HelpPlan, "plans", "year"),
    "measures": _measures,
    # Only visits to this household (a village's general visits have no household).
    "visits": _ordered(Visit, "visits", "visited_on", ("author__name",)),
    "adjustments": _ordered(StatusChange, "adjustments", "effective_on", ("member__name",)),
}
