"""The worker processes of a large 导出一户一册: they write village workbooks beside the reader.

A spawned worker imports this module before Django is set up, so nothing here imports Django
(or a model) at module level. Workers never touch the database: the parent reads the booklets
and sends them, so a worker needs no connection and sees exactly what the parent read.
"""

from __future__ import annotations

import gc
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledgers.booklet import Booklet


def start() -> None:
    """Set Django up in a fresh worker (the settings module comes from the environment)."""
    import django

    django.setup()
    # What Django loaded stays for the worker's life: the collections after each workbook
    # need not scan it again (15 ms a village instead of 60).
    gc.freeze()


def village_workbook(booklets: list[Booklet], title: str, exported_by: int | None) -> bytes:
    """The village workbook of `booklets` (index sheet, a sheet per household, the stamp)."""
    from ledgers.workbook import write_village_workbook

    out = io.BytesIO()
    write_village_workbook(booklets, out, title=title, exported_by=exported_by)
    # A workbook leaves reference cycles (xlsxwriter's workbook and sheets point at each
    # other) that the collector reaches only now and then: collected after each village, a
    # county's export stays at one village's memory instead of growing to three times that.
    gc.collect()
    return out.getvalue()
