"""import_ledger: exit codes, --dry-run, --json, as scripts and cron use it."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from households.choices import Health
from tests.ledgers.builders import make_household_with_ledger_data
from tests.ledgers.editing import edit, exported, set_in_row

pytestmark = pytest.mark.django_db
MEMBERS = "二、家庭成员"


def edited_file(tmp_path, household, health="残疾"):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(
        edit(exported(household), lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", health))
    )
    return path


def son_health(household):
    return household.members.get(name="王小明").health


def test_a_valid_edit_is_written_and_summarised_as_json(tmp_path, capsys):
    household = make_household_with_ledger_data()

    call_command("import_ledger", str(edited_file(tmp_path, household)), "--json")

    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["households"] == {"created": 0, "updated": 1, "unchanged": 0, "invalid": 0}
    assert (summary["changes"], summary["conflicts"], summary["written"]) == (1, 0, True)
    assert son_health(household) == Health.DISABLED


def test_dry_run_writes_nothing(tmp_path, capsys):
    household = make_household_with_ledger_data()

    call_command("import_ledger", str(edited_file(tmp_path, household)), "--dry-run", "--json")

    assert json.loads(capsys.readouterr().out.strip())["written"] is False
    assert son_health(household) == Health.HEALTHY


def test_an_invalid_household_exits_1_and_writes_nothing(tmp_path, capsys):
    household = make_household_with_ledger_data()

    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(edited_file(tmp_path, household, "很好")), "--json")

    assert raised.value.returncode == 1
    summary = json.loads(capsys.readouterr().out.strip())
    assert summary["households"]["invalid"] == 1
    assert "健康状况应为以下之一" in summary["errors"][0]["message"]
    assert summary["errors"][0]["cell"].startswith("第")


def test_a_file_that_is_not_a_ledger_exits_2(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")

    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(path))

    assert raised.value.returncode == 2
    assert "无法导入" in str(raised.value)
