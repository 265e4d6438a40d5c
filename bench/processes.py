"""What the benchmarks share: fresh databases, steps in child processes, the best of rounds.

Each benchmark script imports this module from its own directory (`python bench/X.py` puts
`bench/` first on the path).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


@dataclass
class Result:
    seconds: float
    peak_mb: int
    details: dict[str, Any] = field(default_factory=dict)  # what the step checked and counted


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a child process; return its wall seconds, peak RSS in MiB and stdout; stop on failure."""
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{output}")
    return time.perf_counter() - start, usage.ru_maxrss // 1024, output


def environment(database: str, directory: Path, pg_database: str, **extra: str) -> dict[str, str]:
    """A child's settings, with a fresh empty database of the kind `database` names."""
    env = dict(
        os.environ,
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnop",
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="povertyops.settings",
        **extra,
    )
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    else:
        drop_postgres(pg_database)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", pg_database], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_database}"
    return env


def drop_postgres(pg_database: str) -> None:
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", pg_database], check=True
    )


def best(kept: Result | None, new: Result) -> Result:
    """The fastest round's time (the least disturbed by other work on a shared machine) and the
    highest peak memory of all rounds (memory is what the step needs, not luck)."""
    if kept is None:
        return new
    fastest = new if new.seconds < kept.seconds else kept
    return Result(fastest.seconds, max(kept.peak_mb, new.peak_mb), fastest.details)


def table(results: dict[str, dict[str, Result]], labels: dict[str, str]) -> list[str]:
    """The Markdown table of `results` (database → step → result): a row per step of `labels`
    (step → label) that some database ran, seconds and peak MB per database."""
    databases = list(results)
    header = ["step"]
    for database in databases:
        label = DATABASE_LABELS[database]
        header += [f"{label} s", f"{label} peak MB"]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|--:" * (len(header) - 1) + "|"]
    for step, label in labels.items():
        if not any(step in steps for steps in results.values()):
            continue  # a step left out, as django-import-export under --skip-baseline
        cells = [label]
        for database in databases:
            result = results[database].get(step)
            cells += [f"{result.seconds:.2f}", str(result.peak_mb)] if result else ["–", "–"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines
