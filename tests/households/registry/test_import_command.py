"""import_registry: exit status 0/1/2, --dry-run, --skip-invalid, --json and the error report."""

import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from households.models import Household
from tests.households.registry.workbooks import canonical, household_rows

pytestmark = pytest.mark.django_db


def invalid_rows():
    bad = household_rows("1002", first_sequence=31)
    bad[1][25] = "还行"  # 健康状况
    return household_rows("1001") + bad


def call(*args):
    output = []

    class Out:
        def write(self, text):
            output.append(text)

        def flush(self):
            pass

    try:
        call_command("import_registry", *args, stdout=Out(), stderr=Out())
    except CommandError as error:
        return error.returncode, "".join(output)
    return 0, "".join(output)


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


def test_a_valid_file_exits_0_and_prints_json_last(tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(canonical(household_rows("1001")))
    status, output = call(str(path), "--json")
    assert status == 0
    summary = last_json(output)
    assert summary["households"] == {"created": 1, "updated": 0, "unchanged": 0, "invalid": 0}
    assert summary["members"] == {"created": 2, "updated": 0, "unchanged": 0, "left": 0}
    assert summary["errors"] == [] and summary["warnings"] == []
    assert Household.objects.count() == 1


def test_an_invalid_household_exits_1_and_writes_nothing(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(canonical(invalid_rows()))
    status, output = call(str(path), "--json")
    assert status == 1 and Household.objects.count() == 0
    error = last_json(output)["errors"][0]
    assert error == {
        "sheet": "花名册", "row": 5, "column": "健康状况", "value": "还行",
        "message": error["message"],
    }  # fmt: skip
    assert "无法识别" in error["message"]


def test_skip_invalid_writes_the_valid_ones_and_still_exits_1(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(canonical(invalid_rows()))
    status, output = call(str(path), "--skip-invalid", "--json")
    assert status == 1
    assert list(Household.objects.values_list("household_number", flat=True)) == ["1001"]
    assert last_json(output)["households"]["created"] == 1


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(canonical(household_rows("1001")))
    status, output = call(str(path), "--dry-run", "--json")
    assert status == 0 and Household.objects.count() == 0
    assert last_json(output)["households"]["created"] == 1


def test_an_unreadable_file_exits_2_with_the_reason(tmp_path):
    path = tmp_path / "a.xls"
    path.write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    status, output = call(str(path))
    assert status == 2


def test_the_error_report_marks_the_bad_cell(tmp_path):
    path, report = tmp_path / "a.xlsx", tmp_path / "errors.xlsx"
    path.write_bytes(canonical(invalid_rows()))
    call(str(path), "--error-report", str(report))
    workbook = load_workbook(report)
    assert "错误清单" in workbook.sheetnames
    sheet = workbook["花名册"]
    notes = [cell.value for cell in sheet[1] if cell.value == "错误说明"]
    assert notes == ["错误说明"]
