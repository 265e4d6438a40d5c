"""export_ledger: a household's or a village's workbook, exit codes, masking and the audit."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from households.models import Member
from tests import factories
from tests.ledgers.builders import make_household_with_ledger_data

pytestmark = pytest.mark.django_db


def run(*args):
    """Run the command; return its exit status (a CommandError's, as manage.py exits with it,
    printing the error on stderr), its stdout and its error message."""
    out = io.StringIO()
    try:
        call_command("export_ledger", *map(str, args), stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


def visible_text(path) -> str:
    book = load_workbook(path)
    return "".join(
        str(cell)
        for sheet in book.worksheets
        if sheet.sheet_state == "visible"
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    )


def test_a_household_is_written_masked_and_recorded(tmp_path):
    # given a household
    household = make_household_with_ledger_data()
    head = Member.objects.get(household=household, name="王大山")
    out = tmp_path / "一户.xlsx"

    # when the command exports it by its 户编号
    status, stdout, _ = run(out, "--household", household.household_number)

    # then the workbook holds its booklet masked, and the run is recorded without an actor
    assert status == 0 and "1 户" in stdout and "已打码" in stdout
    text = visible_text(out)
    assert "王大山" in text and head.id_number not in text
    entry = LogEntry.objects.latest("pk")
    assert entry.actor is None and entry.additional_data["full_ids"] is False
    assert entry.additional_data["export"].startswith("命令行导出一户一册：")


def test_a_village_is_written_with_full_numbers_and_recorded_as_such(tmp_path):
    # given a village of two households, named with its township
    village = factories.VillageFactory(name="东关村", township__name="城关镇")
    first = make_household_with_ledger_data(village=village)
    make_household_with_ledger_data(village=village)
    head = Member.objects.get(household=first, name="王大山")
    out = tmp_path / "东关村.xlsx"

    # when it is exported with full numbers
    status, stdout, _ = run(out, "--village", "城关镇东关村", "--full-ids")

    # then an index and two household sheets hold the full numbers; the audit says so
    assert status == 0 and "2 户" in stdout
    sheets = [s for s in load_workbook(out).worksheets if s.sheet_state == "visible"]
    assert len(sheets) == 3 and head.id_number in visible_text(out)
    entry = LogEntry.objects.latest("pk")
    assert entry.actor is None and entry.additional_data["full_ids"] is True
    assert entry.additional_data["export"] == "命令行导出一户一册：城关镇东关村（2户）"
    assert entry.additional_data["rows"] == 2


def test_an_unknown_household_exits_2_with_a_message(tmp_path):
    out = tmp_path / "x.xlsx"

    status, _, stderr = run(out, "--household", "999999")

    assert status == 2 and "找不到户编号为“999999”的贫困户" in stderr
    assert not out.exists() and not LogEntry.objects.exists()


def test_an_unknown_village_exits_2_with_a_message(tmp_path):
    factories.VillageFactory(name="东关村")

    status, _, stderr = run(tmp_path / "x.xlsx", "--village", "西关村")

    assert status == 2 and "找不到行政村“西关村”" in stderr


def test_a_village_without_households_exits_1_and_leaves_no_file(tmp_path):
    factories.VillageFactory(name="空村")
    out = tmp_path / "空村.xlsx"

    status, _, stderr = run(out, "--village", "空村")

    assert status == 1 and "没有贫困户" in stderr and not out.exists()


def test_a_village_is_found_by_its_division_code(tmp_path):
    # given a household; when its village is named by its 12-digit code
    household = factories.HouseholdFactory()
    out = tmp_path / "村.xlsx"
    status, _, _ = run(out, "--village", household.village.division_code)

    # then the file holds the index and the household's sheet
    sheets = [s for s in load_workbook(out).worksheets if s.sheet_state == "visible"]
    assert status == 0 and len(sheets) == 2
