"""Loading what is stored: chunked IN (…) queries for a few households, a table scan for many."""

import datetime as dt

import pytest

from households.models import Household, Member
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


def test_id_numbers_of_other_households_are_found_both_ways(monkeypatch):
    # given stored households; the upload holds 1001 and IDs that belong to 1003 or to no one
    _import_three_households()
    elsewhere = Member.objects.filter(household__household_number="1003").first()
    assert elsewhere is not None
    left = Member.objects.filter(household__household_number="1002").first()
    assert left is not None
    Member.objects.filter(pk=left.pk).update(left_on=dt.date(2020, 1, 1), leave_reason="other")
    ids = [elsewhere.id_number, left.id_number, "110101199001011234"]
    # when they are looked up in chunks and by a scan of the table
    chunked = stored.load(["1001"], ids)
    monkeypatch.setattr(stored, "SCAN_ABOVE", 0)
    scanned = stored.load(["1001"], ids)
    # then only the current member's ID has an owner, the same both ways
    assert scanned.id_owners == chunked.id_owners
    assert scanned.id_owners[elsewhere.id_number] == "1003"
    assert left.id_number not in scanned.id_owners
    assert "110101199001011234" not in scanned.id_owners
