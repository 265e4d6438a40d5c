"""Shared reads of cadres: pairing quotas (包户数) and who falls short of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import BooleanField, Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from cadres.models import Cadre, FirstSecretaryPosting, QuotaRule
from cadres.querysets import CadreQuerySet


def household_quota(*, on: dt.date) -> Subquery:
    """The minimum households of the outer cadre's rank, from the latest rule in force on `on`.

    Rules with an enterprise class set a whole enterprise's quota, not one person's, so a cadre
    is measured against the rank rules only.
    """
    rules = QuotaRule.objects.filter(
        rank=OuterRef("rank"), enterprise_class__isnull=True, effective_from__lte=on
    ).order_by("-effective_from")
    return Subquery(rules.values("min_households")[:1])


def cadres_with_quota(
    queryset: CadreQuerySet | None = None, *, on: dt.date | None = None
) -> CadreQuerySet:
    """Annotate `current_pairings`, `household_quota` and `is_under_quota`.

    Only cadres in post (在岗) whose rank has a rule can be under quota: a cadre who left is not
    chased for households, and a rank without a rule has nothing to fall short of.
    """
    queryset = Cadre.objects.all() if queryset is None else queryset
    under = Q(is_active=True, current_pairings__lt=F("household_quota"))
    return queryset.with_pairing_count().annotate(
        household_quota=household_quota(on=on or timezone.localdate()),
        is_under_quota=Case(
            When(under, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def current_first_secretaries(village_ids: Iterable[int]) -> dict[int, FirstSecretaryPosting]:
    """Each village's first secretary now in post, with cadre and unit, in one query."""
    postings = FirstSecretaryPosting.objects.current().filter(village_id__in=village_ids)
    return {posting.village_id: posting for posting in postings.select_related("cadre__unit")}
