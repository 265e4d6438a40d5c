"""Loading what is stored: chunked IN (…) queries for a few households, a table scan for many."""

import pytest

from households.models import Household
from households.registry import pipeline, stored
from tests.factories import PairingFactory, YearlyIncomeFactory
from tests.households.registry.workbooks import canonical, household_rows

pytestmark = pytest.mark.django_db


def _import_three_households() -> None:
    rows = (
        household_rows("1001")
        + household_rows("1002", head="王五", first_sequence=31, members=3)
        + household_rows("1003", head="赵六", first_sequence=61)
    )
    batch, _ = pipeline.run([("花名册.xlsx", canonical(rows))])
    assert batch.status == "done", batch.failure


def test_a_table_scan_loads_exactly_what_chunked_queries_load(monkeypatch):
    # given three stored households, one outside the upload, with an income and a pairing
    _import_three_households()
    first, third = (
        Household.objects.get(household_number="1001"),
        Household.objects.get(household_number="1003"),
    )
    YearlyIncomeFactory(household=first, year=2019)
    PairingFactory(household=first, cadre__name="李干部")
    PairingFactory(household=third, cadre__name="周干部")
    # when the upload's households are loaded both ways
    chunked = stored.load(["1001", "1002"], [])
    monkeypatch.setattr(stored, "SCAN_ABOVE", 0)
    scanned = stored.load(["1001", "1002"], [])
    # then the scan holds the same rows, and only the upload's households
    assert scanned == chunked
    assert set(scanned.households) == {"1001", "1002"}
    assert sorted(len(rows) for rows in scanned.members.values()) == [2, 3]
    assert scanned.cadres == {first.pk: "李干部"}
    assert set(scanned.incomes) == {first.pk}


def test_a_reimport_by_table_scan_finds_nothing_changed(monkeypatch):
    # given stored households and the loader forced to scan
    _import_three_households()
    monkeypatch.setattr(stored, "SCAN_ABOVE", 0)
    rows = household_rows("1001") + household_rows(
        "1002", head="王五", first_sequence=31, members=3
    )
    # when the same households come again
    _, preview = pipeline.run([("花名册.xlsx", canonical(rows))], dry_run=True)
    # then both are unchanged
    assert preview.summary["households"]["unchanged"] == 2
    assert preview.summary["members"]["unchanged"] == 5
