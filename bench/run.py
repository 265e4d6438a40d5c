"""Benchmarks of the foundation: seed the demo county and time the busiest pages.

Run: `make bench` or `.venv/bin/python bench/run.py [--households N] [--databases sqlite,postgres]`.
For each database it migrates a fresh one, times `seed_demo` (seconds, peak memory of that
process), then times the home page and the admin lists a clerk opens most, with their
query counts. Prints a table; nothing here is a test.
"""

import argparse
import json
import tempfile
from pathlib import Path

from processes import PYTHON, environment, run_child


def bench_database(database: str, households: int) -> list[tuple[str, str, str]]:
    env = environment(database, Path(tempfile.mkdtemp(prefix="bench-")), "povertyops_bench")
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
