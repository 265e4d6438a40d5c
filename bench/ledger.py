"""Benchmark of 导出一户一册 (issue 4, "Speed"), on SQLite and PostgreSQL.

Run: `make bench-ledger` or `.venv/bin/python bench/ledger.py [--households N]
[--db sqlite|postgres|both] [--repeat N]`.

For each database it migrates a fresh one and writes the demo county (`seed_demo`: members,
income, needs, pairings, plans, measures, visits and profiles for every household), gives one
village exactly 200 households (moving some from or to its neighbours), runs ANALYZE, then,
`--repeat` rounds of each (3 by default), exports in a fresh process: the whole county as a zip
of village workbooks, and that village's workbook. A step's process times only the export (not
Django's start-up); its peak memory is the process's peak RSS, as in bench/registry.py, plus
that of each worker process a zip's export spawns. The table keeps each step's fastest round
(this shared machine's speed varies by half from minute to minute) and its highest peak memory,
and compares them with the issue's targets.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from processes import (
    DATABASE_LABELS,
    PYTHON,
    ROOT,
    Result,
    best,
    drop_postgres,
    environment,
    run_child,
    table,
)

sys.path.insert(0, str(ROOT))
PG_DATABASE = "povertyops_bench_ledger"
VILLAGE_HOUSEHOLDS = 200
STEPS = {  # name → label, limit in seconds
    "county": ("the county as a zip of village workbooks", 60.0),
    "village": (f"one {VILLAGE_HOUSEHOLDS}-household village workbook", 3.0),
}
PEAK_LIMIT_MB = 500


# Processes (the parent)


def run_step(step: str, env: dict[str, str], *extra: str) -> Result:
    """A step in its own process. Its peak memory adds the peak of each worker process the
    export spawned to the step process's own peak: an upper bound of their sum."""
    _, peak, output = run_child([PYTHON, __file__, "step", step, *extra], env)
    report = json.loads(output.strip().splitlines()[-1])
    workers = report.get("workers", 0)
    peak = report.get("own_mb", peak) + workers * report.get("worker_mb", 0)
    return Result(report.pop("seconds"), peak, report)


def bench_database(database: str, households: int, repeat: int) -> dict[str, Result]:
    """Seed, then every step `repeat` times on one fresh database (dropped afterwards)."""
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as directory:
        env = environment(
            database, Path(directory), PG_DATABASE, MEDIA_ROOT=str(Path(directory) / "media")
        )
        try:
            return _steps(Path(directory), env, households, repeat)
        finally:
            if database == "postgres":
                drop_postgres(PG_DATABASE)


def _steps(directory: Path, env: dict[str, str], households: int, repeat: int) -> dict[str, Result]:
    manage = [PYTHON, "manage.py"]
    run_child([*manage, "migrate", "-v", "0"], env)
    seconds, peak, _ = run_child(
        [*manage, "seed_demo", "--households", str(households), "--seed", "1"], env
    )
    print(f"  seed_demo: {seconds:.1f} s, {peak} MiB", file=sys.stderr)
    results = {"seed": Result(seconds, peak, {})}
    village = run_step("prepare", env).details["village"]
    for round_ in range(1, repeat + 1):
        for step in STEPS:
            out = str(directory / f"{step}.out")
            result = run_step(step, env, "--out", out, "--village", str(village))
            details = json.dumps(result.details, ensure_ascii=False)
            print(f"  {round_}. {step}: {result.seconds:.2f} s {details}", file=sys.stderr)
            results[step] = best(results.get(step), result)
    return results


# The table


def report(results: dict[str, dict[str, Result]], households: int) -> None:
    labels = {"seed": f"seed_demo --households {households} (setup)"}
    lines = table(results, labels | {step: label for step, (label, _) in STEPS.items()})
    print(f"\n{households:,} households\n")
    print("\n".join(lines))
    print()
    for database, steps in results.items():
        print(f"- {DATABASE_LABELS[database]}: {verdicts(steps)}; {describe(steps)}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print("\nPeak MB is the step's whole process (Django included) plus, for a zip written by")
    print("worker processes, each worker's peak. The county target is set for 17,000 households.")
    print(f"Load average at the end: {load}.")


def verdicts(steps: dict[str, Result]) -> str:
    parts = []
    for step, (_, limit) in STEPS.items():
        seconds = steps[step].seconds
        parts.append(f"{step} {seconds:.1f} s {'✓' if seconds < limit else '✗'} (< {limit:g} s)")
    peak = max(steps[step].peak_mb for step in STEPS)
    parts.append(f"peak {peak} MB {'✓' if peak < PEAK_LIMIT_MB else '✗'} (< {PEAK_LIMIT_MB})")
    return " · ".join(parts)


def describe(steps: dict[str, Result]) -> str:
    county, village = steps["county"].details, steps["village"].details
    workers = county.get("workers", 1)
    return (
        f"zip of {county['entries']} village workbooks, {county['households']} households, "
        f"{county['bytes'] / 2**20:.0f} MiB, {workers} writing process(es); village workbook "
        f"{village['sheets']} sheets, {village['bytes'] / 2**20:.1f} MiB"
    )


# Steps (the child)


def step_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("prepare", *STEPS))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--village", type=int)
    options = parser.parse_args(argv)
    import django

    django.setup()
    if options.step == "prepare":
        report_ = {"village": prepare_village(), "seconds": 0.0}
    else:
        report_ = export_step(options.step, options.out, options.village)
    print(json.dumps(report_))


def prepare_village() -> int:
    """Give the biggest village exactly VILLAGE_HOUSEHOLDS households; return its pk."""
    from django.db import connection
    from django.db.models import Count

    from households.models import Household, Village

    village = Village.objects.annotate(size=Count("households")).order_by("-size", "pk").first()
    assert village is not None, "seed_demo wrote no village"
    own = Household.objects.filter(village=village).order_by("household_number")
    missing = VILLAGE_HOUSEHOLDS - own.count()
    if missing < 0:
        neighbour = Village.objects.exclude(pk=village.pk).order_by("pk").first()
        extra = list(own.reverse().values_list("pk", flat=True)[:-missing])
        Household.objects.filter(pk__in=extra).update(village=neighbour)
    elif missing > 0:
        others = Household.objects.exclude(village=village).order_by("household_number")
        moved = list(others.values_list("pk", flat=True)[:missing])
        Household.objects.filter(pk__in=moved).update(village=village)
    # The planner's statistics, as autovacuum would have gathered them on a database in use:
    # right after seed_demo's bulk writes PostgreSQL has none, and picks plans a hundred times
    # slower for the income query's correlated subqueries.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return village.pk


def export_step(step: str, out: Path, village_pk: int) -> dict[str, Any]:
    from households.models import County, Village
    from ledgers.exporting import export_ledgers, export_workers

    area = County.objects.get() if step == "county" else Village.objects.get(pk=village_pk)
    start = time.perf_counter()
    with out.open("wb") as file:
        households = export_ledgers(area=area, out=file, full_ids=False, user_id=None)
    seconds = time.perf_counter() - start
    details: dict[str, Any] = {"seconds": seconds, "households": households}
    details["bytes"] = out.stat().st_size
    details["own_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    if step == "county" and export_workers(households) > 1:
        details["workers"] = export_workers(households)
        details["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    if step == "county":
        with zipfile.ZipFile(out) as archive:
            details["entries"] = len(archive.namelist())
    else:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
        details["sheets"] = len(book.sheetnames)
    return details


def main() -> None:
    if sys.argv[1:2] == ["step"]:
        step_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=17_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each export; best kept")
    options = parser.parse_args()
    databases = ["sqlite", "postgres"] if options.db == "both" else [options.db]
    results = {}
    for database in databases:
        print(f"{DATABASE_LABELS[database]}:", file=sys.stderr)
        results[database] = bench_database(database, options.households, options.repeat)
    report(results, options.households)


if __name__ == "__main__":
    main()
