"""Shared reads of the registry: the county dashboard's figures.

Every figure comes from a GROUP BY or an aggregate: the dashboard runs the same handful of queries
for 30 households or 17,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, TextChoices
from django.utils import timezone

from cadres.models import Cadre, FirstSecretaryPosting
from households.choices import Cause, HouseholdStatus, PovertyAttribute
from households.models import Household, Township, Village
from inspections.models import Rectification

# Persons are current members: a member who left (减少日期 set) is no longer counted.
_CURRENT_MEMBERS = Q(members__left_on__isnull=True)


@dataclass(frozen=True)
class Tally:
    """户数 and 人数 of one group of households."""

    households: int = 0
    persons: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.households + other.households, self.persons + other.persons)

    def __sub__(self, other: Tally) -> Tally:
        return Tally(self.households - other.households, self.persons - other.persons)


def _total(tallies: Iterable[Tally]) -> Tally:
    return sum(tallies, Tally())


@dataclass(frozen=True)
class StatusRow:
    """One township (or the county total): a tally per 户状态, in `HouseholdStatus` order."""

    label: str
    by_status: list[Tally]
    total: Tally


@dataclass(frozen=True)
class TownshipStatusTable:
    """Households and persons by township × 户状态, with a totals row and column."""

    statuses: list[str]
    rows: list[StatusRow]
    totals: StatusRow

    @property
    def column_count(self) -> int:
        """Table columns: the township, then 户数 and 人数 for each status and the total."""
        return 1 + 2 * (len(self.statuses) + 1)


@dataclass(frozen=True)
class ShareRow:
    """One category (a cause, an attribute): its tally and its share of households, in %."""

    label: str
    tally: Tally
    share: Decimal


@dataclass(frozen=True)
class ShareTable:
    """Households in casework by one category, with the total the shares are taken of."""

    rows: list[ShareRow]
    total: Tally


@dataclass(frozen=True)
class Headline:
    """The county's headline figures."""

    households: int
    persons: int
    removed_households: int
    not_exited_households: int
    exited_households: int
    poor_villages: int
    exited_villages: int
    active_cadres: int
    serving_first_secretaries: int
    open_rectifications: int
    overdue_rectifications: int


@dataclass(frozen=True)
class CountySummary:
    """The county at a glance: what the home page shows."""

    headline: Headline
    by_township: TownshipStatusTable
    by_cause: ShareTable
    by_attribute: ShareTable


def _tallies(households: QuerySet[Household], *keys: str) -> dict[tuple, Tally]:
    """Group `households` by `keys` into tallies, in one query."""
    # The join to members repeats each household once per member, hence the distinct count.
    rows = (
        households.order_by()
        .values(*keys)
        .annotate(
            n_households=Count("pk", distinct=True),
            n_persons=Count("members", filter=_CURRENT_MEMBERS),
        )
    )
    return {
        tuple(row[key] for key in keys): Tally(row["n_households"], row["n_persons"])
        for row in rows
    }


def _scoped(queryset: QuerySet[Any], user: Any | None) -> QuerySet[Any]:
    """The rows `user` may view; all of them for the system's own callers (user None)."""
    return queryset if user is None else queryset.for_user(user)  # type: ignore[attr-defined]


def township_status_table(user: Any | None = None) -> TownshipStatusTable:
    """Households and persons by township × 户状态; townships without households show zeros."""
    cells = _tallies(_scoped(Household.objects.all(), user), "village__township", "status")
    rows = []
    townships = _scoped(Township.objects.all(), user)
    for township in townships.order_by("county__name", "division_code", "name"):
        by_status = [cells.get((township.pk, status), Tally()) for status in HouseholdStatus.values]
        rows.append(StatusRow(township.name, by_status, _total(by_status)))
    column_totals = [_total(row.by_status[i] for row in rows) for i in range(len(HouseholdStatus))]
    totals = StatusRow("合计", column_totals, _total(column_totals))
    return TownshipStatusTable(list(HouseholdStatus.labels), rows, totals)


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _share_table(field_name: str, choices: type[TextChoices], user: Any | None) -> ShareTable:
    """Households in casework by `field_name`: every choice, largest first, ties in choice order."""
    tallies = _tallies(_scoped(Household.objects.in_casework(), user), field_name)
    total = _total(tallies.values())
    rows = []
    for value, label in choices.choices:
        tally = tallies.get((value,), Tally())
        rows.append(ShareRow(label, tally, _share(tally.households, total.households)))
    return ShareTable(sorted(rows, key=lambda row: -row.tally.households), total)


def cause_shares(user: Any | None = None) -> ShareTable:
    """Households in casework (清退 excluded) by 主要致贫原因."""
    return _share_table("main_cause", Cause, user)


def attribute_shares(user: Any | None = None) -> ShareTable:
    """Households in casework (清退 excluded) by 贫困户属性."""
    return _share_table("poverty_attribute", PovertyAttribute, user)


def headline(
    *, table: TownshipStatusTable, user: Any | None = None, today: dt.date | None = None
) -> Headline:
    """Headline figures; household counts are read off the township table, not re-queried."""
    today = today or timezone.localdate()
    by_status = dict(zip(HouseholdStatus.values, table.totals.by_status, strict=True))
    removed = by_status[HouseholdStatus.REMOVED]
    in_casework = table.totals.total - removed
    villages = _scoped(Village.objects.all(), user).aggregate(
        poor=Count("pk", filter=Q(is_poor_village=True)),
        exited=Count("pk", filter=Q(is_poor_village=True, exit_year__isnull=False)),
    )
    rectifications = _scoped(Rectification.objects.open(), user).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today))
    )
    return Headline(
        households=in_casework.households,
        persons=in_casework.persons,
        removed_households=removed.households,
        not_exited_households=by_status[HouseholdStatus.NOT_EXITED].households,
        exited_households=by_status[HouseholdStatus.EXITED].households,
        poor_villages=villages["poor"],
        exited_villages=villages["exited"],
        active_cadres=Cadre.objects.filter(is_active=True).count(),
        serving_first_secretaries=_scoped(FirstSecretaryPosting.objects.current(), user).count(),
        open_rectifications=rectifications["open"],
        overdue_rectifications=rectifications["overdue"],
    )


def county_summary(*, user: Any | None = None, today: dt.date | None = None) -> CountySummary:
    """Everything the home page shows for `user`'s area (None: the whole database, for the
    system's own reports), in eight queries whatever the county's size."""
    table = township_status_table(user)
    return CountySummary(
        headline=headline(table=table, user=user, today=today),
        by_township=table,
        by_cause=cause_shares(user),
        by_attribute=attribute_shares(user),
    )
