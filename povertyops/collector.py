"""Pause Python's cyclic garbage collector around work that builds millions of live objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Each full collection walks every live object: with a county's cells held in memory, the
    collector runs again and again and finds nothing (rows and values hold no cycles), so it is
    paused. No collection is forced at the end: the work's objects are still alive then, and
    freed by reference counting once the caller lets them go."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
