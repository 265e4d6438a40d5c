"""The ledger's content: households and their records, read from the database, as Booklets.

Households are read a chunk at a time, each chunk in one query per table (members, income,
pairings, …): a county's 17,000 booklets cost a few hundred queries, never one per household,
and only one chunk's rows are held in memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from households.models import Household
from ledgers.booklet import Booklet
from ledgers.content.assemble import booklet, person
from ledgers.content.load import sources_for

CHUNK_SIZE = 500

__all__ = ["CHUNK_SIZE", "booklet_for", "booklets_for", "person"]


def booklets_for(
    households: QuerySet[Household],
    *,
    full_ids: bool = False,
    year: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[Booklet]:
    """The booklets of `households` in 户编号 order, masked unless `full_ids`; `year` (this
    year in China by default) is the year printed on the cover."""
    year = timezone.localdate().year if year is None else year
    ids = list(households.order_by("household_number").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        for sources in sources_for(ids[start : start + chunk_size], year=year, full_ids=full_ids):
            yield booklet(sources)


def booklet_for(
    household: Household, *, full_ids: bool = False, year: int | None = None
) -> Booklet:
    """The booklet of one household, read afresh from the database."""
    households = Household.objects.filter(pk=household.pk)
    found = next(booklets_for(households, full_ids=full_ids, year=year), None)
    if found is None:
        raise Household.DoesNotExist(f"贫困户 {household.pk} 不存在")
    return found
