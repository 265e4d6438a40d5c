"""The demo county (宁川县) that `manage.py seed_demo` writes: deterministic, realistic, fast.

One module per area of the registry; `generate.generate()` runs them in order in one
transaction. Every part draws from its own `random.Random` stream seeded from the command's
seed, and every date is fixed (the county as it stood on 31 December 2020), so the same seed
on an empty database always writes the same rows, on SQLite and PostgreSQL alike.
"""
