# PovertyOps: the two commands of the README, and a few helpers.
.PHONY: run test ci bench

run:  ## set up everything and serve the demo county on http://127.0.0.1:8000
	bash scripts/run.sh

test:  ## install the test tools and run every test (SQLite unless DATABASE_URL is set)
	bash scripts/test.sh

ci:  ## what CI runs: the tests on SQLite, then on PostgreSQL
	bash .ci/run

bench:  ## measure seed_demo and the busiest pages on SQLite and PostgreSQL, print a table
	bash scripts/venv.sh requirements.txt && .venv/bin/python bench/run.py
