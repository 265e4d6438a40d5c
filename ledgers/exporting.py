"""导出一户一册: a household's workbook, a village's workbook, or a zip of village workbooks.

A township or a county is written village by village: each village's booklets are read, written
into its workbook and added to the zip, and only a few villages are held at a time whatever the
size of the county. Writing the workbooks is three quarters of the work: for a large zip, worker
processes write them while this process reads the next villages.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import IO

from django.db.models import Model, QuerySet

from households.models import County, Household, Township, Village
from households.registry.export import find_areas, households_in
from households.registry.scope import FULL_ID_MARK
from ledgers import export_worker, workbook
from ledgers.booklet import Booklet
from ledgers.content import booklets_for

Area = Household | Village | Township | County
Progress = Callable[[int, int], None]  # (households written, households in all)
PARALLEL_FROM = 2000  # households: below, one process writes a zip faster than spawning workers
MAX_WORKERS = 2


class Tally:
    """The households handed to the writer so far, reported to `progress` as each one is."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def add(self, households: int) -> None:
        self.done += households
        if self.progress is not None:
            self.progress(self.done, self.total)

    def counted(self, booklets: Iterable[Booklet]) -> Iterator[Booklet]:
        for booklet in booklets:
            self.add(1)
            yield booklet


def export_ledgers(
    *,
    area: Area,
    out: IO[bytes],
    full_ids: bool,
    user_id: int | None,
    progress: Progress | None = None,
    year: int | None = None,
    workers: int | None = None,
) -> int:
    """Write the ledgers of `area` into `out`; return the number of households written.

    A household gives its own workbook, a village one workbook (an index sheet, then a sheet
    per household), a township or a county a zip of village workbooks. Numbers are masked
    unless `full_ids`; the stamp names `user_id` (None for the command). A zip's workbooks are
    written by `workers` processes (by default `export_workers`). Raise ValueError, in Chinese,
    for an area without households."""
    households = households_of(area)
    tally = Tally(households.count(), progress)
    if not tally.total:
        raise ValueError(f"{area_label(area)}没有贫困户，无需导出一户一册")
    tally.add(0)
    if isinstance(area, Township | County):
        workers = export_workers(tally.total) if workers is None else workers
        _write_zip(
            households, out, tally, full_ids=full_ids, user_id=user_id, year=year, workers=workers
        )
        return tally.done
    booklets = tally.counted(booklets_for(households, full_ids=full_ids, year=year))
    if isinstance(area, Household):
        workbook.write_household_workbook(next(booklets), out, exported_by=user_id)
    else:
        title = village_title(area)
        workbook.write_village_workbook(booklets, out, title=title, exported_by=user_id)
    return tally.done


def _write_zip(
    households: QuerySet[Household],
    out: IO[bytes],
    tally: Tally,
    *,
    full_ids: bool,
    user_id: int | None,
    year: int | None,
    workers: int,
) -> None:
    jobs = _village_booklets(households, full_ids=full_ids, year=year)
    # Stored, not deflated: an .xlsx is already a deflated zip, squeezing it again gains
    # a few per cent for the time of a second compression.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        names: set[str] = set()
        for village, count, data in _village_workbooks(jobs, user_id=user_id, workers=workers):
            with archive.open(_entry_name(village, names), "w", force_zip64=True) as entry:
                entry.write(data)
            tally.add(count)


def _village_booklets(
    households: QuerySet[Household], *, full_ids: bool, year: int | None
) -> Iterator[tuple[Village, list[Booklet]]]:
    for village in villages_of(households):
        village_households = households.filter(village=village)
        yield village, list(booklets_for(village_households, full_ids=full_ids, year=year))


def _village_workbooks(
    jobs: Iterable[tuple[Village, list[Booklet]]], *, user_id: int | None, workers: int
) -> Iterator[tuple[Village, int, bytes]]:
    """Each village's workbook, in the villages' order: (village, households, xlsx bytes).

    With several workers, this process reads the next villages while worker processes write
    the workbooks of the previous ones; at most `workers + 1` villages wait, so memory stays
    flat. Workers are spawned, not forked: a forked child would share this process's database
    connections."""
    if workers <= 1:
        for village, booklets in jobs:
            data = export_worker.village_workbook(booklets, village_title(village), user_id)
            yield village, len(booklets), data
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=export_worker.start) as pool:
        pending: deque[tuple[Village, int, Future[bytes]]] = deque()
        for village, booklets in jobs:
            title = village_title(village)
            future = pool.submit(export_worker.village_workbook, booklets, title, user_id)
            pending.append((village, len(booklets), future))
            while len(pending) > workers:
                yield _written(pending.popleft())
        while pending:
            yield _written(pending.popleft())


def _written(job: tuple[Village, int, Future[bytes]]) -> tuple[Village, int, bytes]:
    village, households, future = job
    return village, households, future.result()


def export_workers(households: int) -> int:
    """How many processes write the workbooks of a zip of `households` households: two from
    PARALLEL_FROM on (spawning one costs about a second), never more than the CPUs. Two, not
    more, keep a county's export under 500 MB: each worker loads Django (~100 MB)."""
    if households < PARALLEL_FROM:
        return 1
    return min(MAX_WORKERS, os.cpu_count() or 1)


def _entry_name(village: Village, taken: set[str]) -> str:
    """`城关镇/东关村-一户一册.xlsx`; a village name repeated in a township gets its code."""
    stem = f"{village.township.name}/{village.name}"
    name = f"{stem}-一户一册.xlsx"
    if name in taken:
        name = f"{stem}-{village.division_code or village.pk}-一户一册.xlsx"
    taken.add(name)
    return name


def households_of(area: Area) -> QuerySet[Household]:
    """The households whose ledgers an export of `area` holds."""
    if isinstance(area, Household):
        return Household.objects.filter(pk=area.pk)
    return households_in(area)


def villages_of(households: QuerySet[Household]) -> QuerySet[Village]:
    """The villages of `households`, township by township, in division-code order."""
    return (
        Village.objects.filter(pk__in=households.values("village_id"))
        .select_related("township")
        .order_by("township__division_code", "township__name", "division_code", "name")
    )


def village_title(village: Village) -> str:
    return f"{village.township.name}{village.name}一户一册"


def area_label(area: Model | None) -> str:
    """How pages, file names and the audit trail name an export's area."""
    if isinstance(area, Household):
        return f"{area.village.township.name}{area.village.name}{area.household_number}户"
    if isinstance(area, Village):
        return f"{area.township.name}{area.name}"
    if isinstance(area, Township):
        return area.name
    if isinstance(area, County):
        return f"{area.name}（全县）"
    return "（已删除）"


def file_name(area: Area, *, full_ids: bool, on: dt.date) -> str:
    """`一户一册-城关镇东关村-2024-06-01.xlsx`; a zip for a township or a county, and the
    full-number mark in the name of every file with unmasked numbers."""
    suffix = ".xlsx" if isinstance(area, Household | Village) else ".zip"
    mark = f"-{FULL_ID_MARK}" if full_ids else ""
    label = area_label(area).replace("（全县）", "")
    return f"一户一册-{label}{mark}-{on.isoformat()}{suffix}"


def find_village(name_or_code: str) -> Village:
    """The village named `东关村`, `城关镇东关村` or `城关镇/东关村`, or with this 12-digit code.

    Raise ValueError, in Chinese, for an unknown village or a name several villages share."""
    found = [area for area in find_areas(name_or_code) if isinstance(area, Village)]
    if not found:
        raise ValueError(f"找不到行政村“{name_or_code}”：请填写村名或12位统计用区划代码")
    if len(found) > 1:
        labels = "、".join(f"{village.township.name}{village.name}" for village in found)
        raise ValueError(f"“{name_or_code}”对应多个行政村：{labels}。请写明乡镇，如“城关镇东关村”")
    return found[0]


def find_household(number: str) -> Household:
    """The household with this 户编号; ValueError, in Chinese, if there is none."""
    household = (
        Household.objects.select_related("village__township")
        .filter(household_number=number.strip())
        .first()
    )
    if household is None:
        raise ValueError(f"找不到户编号为“{number}”的贫困户")
    return household
