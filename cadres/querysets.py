"""Query sets of pairings, postings and cadres."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from accounts.scoping import ScopedQuerySet


class DatedQuerySet(ScopedQuerySet):
    """Rows with a start and an optional end: pairings, postings, team memberships."""

    def current(self, on: dt.date | None = None) -> DatedQuerySet:
        if on is None:
            return self.filter(ended_on__isnull=True)
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class CadreQuerySet(ScopedQuerySet):
    def with_pairing_count(self) -> CadreQuerySet:
        """Annotate `current_pairings`: households this cadre helps now."""
        return self.annotate(
            current_pairings=Count("pairings", filter=Q(pairings__ended_on__isnull=True))
        )
