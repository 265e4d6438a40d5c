"""Fixtures of the account tests: a frozen clock for lockouts, expiry and session timeouts."""

import datetime as dt

import pytest

START = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    """Time stands still at START until the test moves it."""
    time_machine.move_to(START, tick=False)
    return time_machine
