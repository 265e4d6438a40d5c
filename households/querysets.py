"""Query sets of the registry: the filters and annotations that lists, pages and reports use."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from households.models import Township, Village


def _members() -> QuerySet[Any]:
    # Looked up lazily: the models import these query sets, so they cannot import the models.
    return apps.get_model("households", "Member")._default_manager.all()


def count_subquery(queryset: models.QuerySet, field: str) -> Coalesce:
    """Count rows of `queryset` (filtered on an OuterRef) per outer row, 0 when none."""
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class HouseholdQuerySet(ScopedQuerySet):
    def in_township(self, township: Township | int) -> HouseholdQuerySet:
        return self.filter(village__township=township)

    def in_village(self, village: Village | int) -> HouseholdQuerySet:
        return self.filter(village=village)

    def in_casework(self) -> HouseholdQuerySet:
        """Households still followed: every status but 已清退."""
        return self.exclude(status="removed")

    def with_head(self) -> HouseholdQuerySet:
        """Annotate the current head's name and ID number (one subquery each, no N+1)."""
        heads = _members().filter(
            household=OuterRef("pk"), relation_to_head="head", left_on__isnull=True
        )
        return self.annotate(
            head_name=Subquery(heads.values("name")[:1]),
            head_id_number=Subquery(heads.values("id_number")[:1]),
        )

    def with_member_count(self) -> HouseholdQuerySet:
        """Annotate `member_count`: the household's current members."""
        current = _members().filter(household=OuterRef("pk"), left_on__isnull=True)
        return self.annotate(member_count=count_subquery(current, "household"))


class MemberQuerySet(ScopedQuerySet):
    def current(self) -> MemberQuerySet:
        return self.filter(left_on__isnull=True)

    def present_at_end_of(self, year: int) -> MemberQuerySet:
        """Members of a household on 31 December of `year` (the size per-capita income uses)."""
        return self.filter(
            Q(joined_on__isnull=True) | Q(joined_on__year__lte=year),
            Q(left_on__isnull=True) | Q(left_on__year__gt=year),
        )

    def heads(self) -> MemberQuerySet:
        return self.filter(relation_to_head="head")


class IncomeQuerySet(ScopedQuerySet):
    def with_household_size(self) -> IncomeQuerySet:
        """Annotate `household_size`: members present on 31 December of the income's year."""
        members = (
            _members()
            .filter(household=OuterRef("household"))
            .filter(
                Q(joined_on__isnull=True) | Q(joined_on__year__lte=OuterRef("year")),
                Q(left_on__isnull=True) | Q(left_on__year__gt=OuterRef("year")),
            )
        )
        return self.annotate(household_size=count_subquery(members, "household"))

    def with_poverty_line(self) -> IncomeQuerySet:
        """Annotate `poverty_line`: the line that applies to the household's year and province."""
        lines = apps.get_model("households", "PovertyLine").objects.applicable(
            year=OuterRef("year"),
            province=OuterRef("household__village__township__county__province"),
        )
        return self.annotate(poverty_line=Subquery(lines.values("amount")[:1]))


class PovertyLineQuerySet(ScopedQuerySet):
    def applicable(self, *, year: object, province: object) -> PovertyLineQuerySet:
        """Lines for a year, best first: provincial over national, verified over unconfirmed,
        the operational (exit) line over the statistical one."""
        return self.filter(Q(province=province) | Q(province=""), year=year).order_by(
            "-province", "-is_verified", "basis"
        )


def per_capita(net_income: Decimal, household_size: int | None) -> Decimal | None:
    """人均纯收入: net income over the year's household size, two decimals; None for no members."""
    if not household_size:
        return None
    return (Decimal(net_income) / household_size).quantize(Decimal("0.01"), ROUND_HALF_UP)
