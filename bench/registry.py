"""Benchmark of the registry import and export (issue 3, "Speed"), on SQLite and PostgreSQL.

Run: `make bench-registry` or `.venv/bin/python bench/registry.py [--members N]
[--db sqlite|postgres|both] [--repeat N] [--skip-baseline] [--keep FILE]`;
`bench/registry.py generate OUT.xlsx --members N --seed S` only writes the workbook.

It generates a valid canonical registry (bench/registry/workbook.py), then, for each database,
migrates a fresh one and runs every step in a fresh process, `--repeat` rounds of them (3 by
default; each round's import starts from an emptied database): reading the file (the floor), the
import into the empty database (then, untimed, the background tasks it queued, as a worker would),
a re-import of the same file, the export, and xlsxwriter writing the exported cells (the
export's floor); then, once, django-import-export importing the member rows. A step's process
times only the step (not Django's start-up) and its peak memory is the whole process's peak RSS.
The table keeps each step's fastest round, since this shared machine's speed varies by half from
minute to minute, and its highest peak memory. Prints a Markdown table and the ratios against
the issue's targets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

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
PG_DATABASE = "povertyops_bench_registry"

# Steps shown in the table, in order: name → label. Each runs as `registry.py step NAME …`.
STEPS = {
    "read": "read: `read_bytes` (the floor)",
    "calamine": "read: python-calamine `to_python` alone",
    "import": "import into an empty database (preview + write)",
    "reimport": "re-import of the same file (nothing changes)",
    "export": "export: `export_registry`",
    "xlsxwriter": "xlsxwriter constant_memory, the exported cells",
    "import_export": "django-import-export: members only, `use_bulk=True`",
}
TARGETS = (  # label, numerator step, denominator step, limit
    ("import / read", "import", "read", 4.0),
    ("re-import / read", "reimport", "read", 3.0),
    ("export / xlsxwriter", "export", "xlsxwriter", 1.3),
)
PEAK_LIMIT_MB = 600
PEAK_STEPS = ("read", "import", "reimport", "export")


# Processes


def run_step(step: str, workbook: Path, env: dict[str, str], *extra: str) -> Result:
    _, peak, output = run_child([PYTHON, __file__, "step", step, str(workbook), *extra], env)
    report = json.loads(output.strip().splitlines()[-1])
    return Result(report.pop("seconds"), peak, report)


def bench_database(
    database: str, workbook: Path, expected: dict[str, int], *, baseline: bool, repeat: int
) -> dict[str, Result]:
    """Every step on one fresh database; the PostgreSQL database is dropped afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-registry-") as directory:
        env = environment(database, Path(directory), PG_DATABASE)
        try:
            return _steps(
                workbook, Path(directory), env, expected, baseline=baseline, repeat=repeat
            )
        finally:
            if database == "postgres":
                drop_postgres(PG_DATABASE)


def _steps(
    workbook: Path, directory: Path, env: dict[str, str], expected: dict[str, int], *,
    baseline: bool, repeat: int,
) -> dict[str, Result]:  # fmt: skip
    counts = ["--households", str(expected["households"]), "--members", str(expected["members"])]
    exported = str(directory / "export.xlsx")
    run_child([PYTHON, "manage.py", "migrate", "-v", "0"], env)
    results: dict[str, Result] = {}
    for round_ in range(1, repeat + 1):
        for step in STEPS:
            if step == "import_export":
                continue  # once, after the rounds: it takes minutes
            if step == "import" and round_ > 1:
                run_step("clear_registry", workbook, env)
            result = run_step(step, workbook, env, *counts, "--out", exported)
            details = json.dumps(result.details, ensure_ascii=False)
            print(f"  {round_}. {step}: {result.seconds:.2f} s {details}", file=sys.stderr)
            results[step] = best(results.get(step), result)
            if step == "import":
                # The work the import queued (PostgreSQL's ANALYZE of the filled tables), run
                # as `make run`'s worker runs it, untimed: the steps after it meet the database
                # as a running install has it seconds after an import.
                run_child([PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay"], env)
    if baseline:
        run_step("clear_members", workbook, env)  # the households stay for members to join
        results["import_export"] = run_step("import_export", workbook, env, *counts)
        print(f"  import_export: {results['import_export'].seconds:.2f} s", file=sys.stderr)
    return results


# The table


def verdicts(results: dict[str, Result]) -> str:
    parts = []
    for label, step, floor, limit in TARGETS:
        if step in results and floor in results:
            ratio = results[step].seconds / results[floor].seconds
            parts.append(f"{label} {ratio:.1f} {'✓' if ratio <= limit else '✗'} (≤ {limit:g})")
    peak = max(results[step].peak_mb for step in PEAK_STEPS if step in results)
    parts.append(f"peak {peak} MB {'✓' if peak < PEAK_LIMIT_MB else '✗'} (< {PEAK_LIMIT_MB})")
    return " · ".join(parts)


def report(results: dict[str, dict[str, Result]], expected: dict[str, int]) -> None:
    print(f"\n{expected['members']:,} member rows, {expected['households']:,} households\n")
    print("\n".join(table(results, STEPS)))
    print()
    for database, steps in results.items():
        print(f"- {DATABASE_LABELS[database]} targets: {verdicts(steps)}")
    # Timings on a busy machine are not comparable with the figures: say how busy it was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print("\nPeak MB is the step's whole process (Django included); the xlsxwriter step holds the")
    print(f"exported rows in memory before writing. Load average at the end: {load}.")


# Commands


# `registry` below is the package bench/registry/ beside this script (sys.path[0] is bench/).


def generate_command(options: argparse.Namespace) -> None:
    from registry.workbook import generate

    start = time.perf_counter()
    counts = generate(options.out, members=options.members, seed=options.seed)
    seconds = time.perf_counter() - start
    print(
        f"{options.out}: {counts['members']} members in {counts['households']} households "
        f"({seconds:.1f} s)",
        file=sys.stderr,
    )


def bench_command(options: argparse.Namespace) -> None:
    from registry.workbook import generate

    databases = ["sqlite", "postgres"] if options.db == "both" else [options.db]
    with tempfile.TemporaryDirectory(prefix="bench-registry-") as directory:
        workbook = options.keep or Path(directory) / "registry.xlsx"
        expected = generate(workbook, members=options.members, seed=1)
        print(f"generated {workbook}", file=sys.stderr)
        results = {}
        for database in databases:
            print(f"{DATABASE_LABELS[database]}:", file=sys.stderr)
            results[database] = bench_database(
                database,
                workbook,
                expected,
                baseline=not options.skip_baseline,
                repeat=options.repeat,
            )
    report(results, expected)


def main() -> None:
    if sys.argv[1:2] == ["step"]:
        from registry.steps import main as step_main

        step_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--skip-baseline", action="store_true", help="skip django-import-export")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of every step but the baseline; best kept"
    )
    parser.add_argument("--keep", type=Path, help="keep the generated workbook at this path")
    commands = parser.add_subparsers(dest="command")
    generator = commands.add_parser("generate", help="only write the workbook")
    generator.add_argument("out", type=Path)
    generator.add_argument("--members", type=int, default=100_000)
    generator.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    if options.command == "generate":
        generate_command(options)
    else:
        bench_command(options)


if __name__ == "__main__":
    main()
