# PovertyOps: the two commands of the README, and a few helpers.
.PHONY: run test ci bench bench-registry bench-ledger

run:  ## set up everything and serve the demo county on http://127.0.0.1:8000
	bash scripts/run.sh

test:  ## install the test tools and run every test (SQLite unless DATABASE_URL is set)
	bash scripts/test.sh

ci:  ## what CI runs: the tests on SQLite, then on PostgreSQL
	bash .ci/run

bench:  ## measure seed_demo, the busiest pages, the registry import/export and the 一户一册 export
	bash scripts/venv.sh requirements.txt && .venv/bin/python bench/run.py
	.venv/bin/python bench/registry.py
	.venv/bin/python bench/ledger.py

bench-registry:  ## import and export a generated 100,000-member registry on both databases
	bash scripts/venv.sh requirements.txt && .venv/bin/python bench/registry.py

bench-ledger:  ## export the 17,000-household demo county's 一户一册 as a zip, and a 200-household village
	bash scripts/venv.sh requirements.txt && .venv/bin/python bench/ledger.py
