"""The measured steps, each run in its own process by bench/registry.py (`registry.py step …`).

A step times only its own work with `time.perf_counter` (Django's start-up and any preparation
stay outside the timing) and prints one JSON line: `seconds` plus what it checked. A result that
is wrong (counts that differ from the generated file's) stops the benchmark with the reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

Step = Callable[[argparse.Namespace], dict[str, Any]]
STEPS: dict[str, Step] = {}


def step(function: Step) -> Step:
    STEPS[function.__name__] = function
    return function


class WrongResult(SystemExit):
    """The step ran but did not do what it should: the benchmark's figures would be meaningless."""


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


@step
def read(options: argparse.Namespace) -> dict[str, Any]:
    from households.registry.read import read_bytes

    data = options.workbook.read_bytes()
    seconds, sheets = _timed(lambda: read_bytes(data, options.workbook.name))
    return {"seconds": seconds, "rows": sum(len(sheet.rows) for sheet in sheets)}


@step
def calamine(options: argparse.Namespace) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    def to_python() -> list[list[Any]]:
        return CalamineWorkbook.from_path(str(options.workbook)).get_sheet_by_index(0).to_python()

    seconds, rows = _timed(to_python)
    return {"seconds": seconds, "rows": len(rows)}


def _import(options: argparse.Namespace) -> tuple[float, Any, Any]:
    from households.models import JobStatus
    from households.registry import pipeline

    data = options.workbook.read_bytes()
    seconds, (batch, preview) = _timed(lambda: pipeline.run([(options.workbook.name, data)]))
    if preview.errors:
        lines = "\n".join(str(error) for error in preview.errors[:20])
        raise WrongResult(f"{len(preview.errors)} errors in the generated file:\n{lines}")
    if batch.status != JobStatus.DONE:
        raise WrongResult(f"the import did not write: {batch.status} {batch.failure}")
    return seconds, batch, preview


def _stored_counts() -> dict[str, int]:
    from households.models import Household, Member

    return {"households": Household.objects.count(), "members": Member.objects.count()}


def _check_stored(options: argparse.Namespace) -> dict[str, int]:
    stored, expected = _stored_counts(), {"households": options.households,
                                          "members": options.members}  # fmt: skip
    if stored != expected:
        raise WrongResult(f"the database holds {stored}, the file {expected}")
    return stored


@step
def import_(options: argparse.Namespace) -> dict[str, Any]:
    if any(_stored_counts().values()):
        raise WrongResult("the import must start from an empty database")
    seconds, batch, preview = _import(options)
    stored = _check_stored(options)
    return {"seconds": seconds, **stored, "warnings": len(preview.warnings), "batch": batch.pk}


@step
def reimport(options: argparse.Namespace) -> dict[str, Any]:
    seconds, batch, preview = _import(options)
    households = preview.summary["households"]
    changed = {key: households[key] for key in ("created", "updated", "invalid") if households[key]}
    if changed or households["unchanged"] != options.households:
        raise WrongResult(f"the re-import is not a no-op: {households}")
    _check_stored(options)
    return {"seconds": seconds, "unchanged": households["unchanged"], "batch": batch.pk}


@step
def export(options: argparse.Namespace) -> dict[str, Any]:
    from households.models import Household
    from households.registry.export import export_registry

    out = Path(options.out)
    households = Household.objects.all()
    # Full ID numbers: the canonical file a county sends on (the masked default only differs in
    # the text of two columns).
    seconds, rows = _timed(lambda: export_registry(out, households=households, full_ids=True))
    if rows != options.members:
        raise WrongResult(f"the export wrote {rows} member rows, not {options.members}")
    return {"seconds": seconds, "rows": rows, "bytes": out.stat().st_size}


@step
def xlsxwriter(options: argparse.Namespace) -> dict[str, Any]:
    """The export's floor: the exported cells, already in memory, written by xlsxwriter."""
    import xlsxwriter as writer
    from python_calamine import CalamineWorkbook

    exported = CalamineWorkbook.from_path(options.out).get_sheet_by_index(0).to_python()
    if len(exported) != options.members + 1:
        raise WrongResult(f"the export has {len(exported) - 1} member rows, not {options.members}")

    def write() -> None:
        workbook = writer.Workbook(options.out + ".floor.xlsx", {"constant_memory": True})
        sheet = workbook.add_worksheet()
        for index, row in enumerate(exported):
            sheet.write_row(index, 0, row)
        workbook.close()

    seconds, _ = _timed(write)
    return {"seconds": seconds, "rows": len(exported)}


@step
def clear_members(options: argparse.Namespace) -> dict[str, Any]:
    """Delete the members (not timed), so that django-import-export can create them again."""
    from django.db import connection, transaction

    from households.models import Member

    with transaction.atomic(), connection.cursor() as cursor:
        # The import's status changes name households, not members; nothing else points here.
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Member._meta.db_table)}")
    return {"seconds": 0.0}


@step
def clear_registry(options: argparse.Namespace) -> dict[str, Any]:
    """Empty what an import writes (not timed), so that the next round imports from nothing."""
    from django.db import connection, transaction

    from households import models as hh

    # Children first; nothing else in the bench database points at these.
    models = (hh.BatchHousehold, hh.StatusChange, hh.Member, hh.Household, hh.ImportFile,
              hh.ImportBatch, hh.Village, hh.Township, hh.County)  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    return {"seconds": 0.0}


@step
def import_export(options: argparse.Namespace) -> dict[str, Any]:
    from households.models import Member
    from registry.importexport import member_dataset, member_resource

    dataset = member_dataset(options.workbook)
    resource = member_resource()
    seconds, result = _timed(
        lambda: resource.import_data(dataset, use_bulk=True, batch_size=1000, dry_run=False)
    )
    if result.has_errors() or result.has_validation_errors():
        raise WrongResult(f"django-import-export reported errors: {result.totals}")
    members = Member.objects.count()
    if members != options.members:
        raise WrongResult(f"django-import-export wrote {members} members, not {options.members}")
    return {"seconds": seconds, "members": members}


STEPS["import"] = STEPS.pop("import_")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="registry.py step")
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--households", type=int, default=0)
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--out", default="", help="the exported workbook")
    options = parser.parse_args(argv)
    django.setup()
    print(json.dumps(STEPS[options.step](options), ensure_ascii=False))
    sys.stdout.flush()
