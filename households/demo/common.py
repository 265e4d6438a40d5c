"""Shared helpers of the demo county: fixed dates, scale, random streams and bulk writes."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

# The demo shows the county as it stood at the end of 2020: nothing later, nothing from the clock.
REFERENCE_DATE = dt.date(2020, 12, 31)
REFERENCE_YEAR = REFERENCE_DATE.year
INCOME_YEARS = (2018, 2019, 2020)
DEFAULT_HOUSEHOLDS = 17_000
DEFAULT_SEED = 2014
MIN_HOUSEHOLDS = 50
BATCH_SIZE = 2000
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "182",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
)


@dataclass(frozen=True)
class Scale:
    """Counts derived from the number of households (17,000 gives the full demo county)."""

    households: int

    @property
    def factor(self) -> float:
        return self.households / DEFAULT_HOUSEHOLDS

    @property
    def townships(self) -> int:
        return min(8, max(2, self.households // 60))

    @property
    def villages(self) -> int:
        return max(2 * self.townships, round(120 * self.factor))

    def scaled(self, full: int, minimum: int = 1) -> int:
        """`full` at the default size, proportionally fewer (never under `minimum`) below it."""
        return max(minimum, round(full * self.factor))


def stream(seed: int, part: str) -> random.Random:
    """An independent random stream per part, so one part's changes leave the others alone."""
    return random.Random(f"povertyops-demo:{seed}:{part}")


class Weighted:
    """A weighted choice table built once and drawn from many times."""

    def __init__(self, table: Mapping[Any, float]) -> None:
        self.keys = list(table)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in table.values():
            total += weight
            self.cumulative.append(total)

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def days_after(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def bulk(model: type[models.Model], objects: list) -> list:
    """Insert in batches; on PostgreSQL and SQLite ≥ 3.35 the objects come back with their pks."""
    model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
    return objects
