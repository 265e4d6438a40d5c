"""Benchmarks of the foundation: seed the demo county and time the busiest pages.

Run: `make bench` or `.venv/bin/python bench/run.py [--households N] [--databases sqlite,postgres]`.
For each database it migrates a fresh one, times `seed_demo` (seconds, peak memory of that
process), then times the home page and the admin lists a clerk opens most, with their
query counts. Prints a table; nothing here is a test.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = "postgres://postgres@127.0.0.1:5432/povertyops_bench"


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a child process; return wall seconds, its peak RSS in MiB and its stdout."""
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    output = child.stdout.read() if child.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{output}")
    return seconds, usage.ru_maxrss // 1024, output


def prepare(database: str) -> dict[str, str]:
    env = dict(
        os.environ,
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnop",
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="povertyops.settings",
    )
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3"
    else:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "povertyops_bench"],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "povertyops_bench"], check=True
        )
        env["DATABASE_URL"] = PG_URL
    return env


def bench_database(database: str, households: int) -> list[tuple[str, str, str]]:
    env = prepare(database)
    manage = [PYTHON, "manage.py"]
    run_child([*manage, "migrate", "-v", "0"], env)
    run_child([*manage, "collectstatic", "--no-input", "-v", "0"], env)  # pages use the manifest
    seconds, peak, _ = run_child(
        [*manage, "seed_demo", "--households", str(households), "--seed", "1"], env
    )
    rows = [(database, f"seed_demo --households {households}", f"{seconds:.1f} s, {peak} MiB")]
    _, _, output = run_child([PYTHON, "bench/pages.py"], env)
    for name, timing in json.loads(output.strip().splitlines()[-1]).items():
        rows.append((database, name, timing))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=17000)
    parser.add_argument("--databases", default="sqlite,postgres")
    options = parser.parse_args()
    rows = []
    for database in options.databases.split(","):
        rows += bench_database(database.strip(), options.households)
    width = max(len(row[1]) for row in rows)
    print(f"\n{'database':<10} {'what':<{width}}  result")
    print(f"{'-' * 10} {'-' * width}  {'-' * 34}")
    for database, name, result in rows:
        print(f"{database:<10} {name:<{width}}  {result}")


if __name__ == "__main__":
    main()
