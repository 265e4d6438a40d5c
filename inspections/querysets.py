"""Query sets of supervision."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.scoping import ScopedQuerySet


class RectificationQuerySet(ScopedQuerySet):
    def open(self) -> RectificationQuerySet:
        return self.exclude(status="closed")

    def overdue(self, today: dt.date | None = None) -> RectificationQuerySet:
        """逾期 is derived: not closed and past the deadline."""
        return self.open().filter(deadline__lt=today or timezone.localdate())
