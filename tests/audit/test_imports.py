"""Entries of a registry import, written explicitly because bulk writes skip model signals."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from audit import imports as audit_imports
from households.models import Household, Member
from households.registry import pipeline
from tests import factories
from tests.accounts import personas
from tests.households.registry.workbooks import canonical, household_rows

pytestmark = pytest.mark.django_db


def run(rows, **options):
    return pipeline.run([("花名册.xlsx", canonical(rows))], **options)


def county_clerk():
    """County staff of the workbooks' county: an import refuses rows outside its area."""
    return personas.county_staff(factories.CountyFactory(name="清河县"))


def entries(model, action):
    content_type = ContentType.objects.get_for_model(model)
    return LogEntry.objects.filter(content_type=content_type, action=action)


def test_an_import_records_each_created_household_with_its_members_as_its_confirming_user():
    # given a clerk importing two households of two members
    clerk = county_clerk()

    # when the file is imported
    batch, _ = run(household_rows("1001") + household_rows("1002", first_sequence=31), user=clerk)

    # then each household has a creation entry naming the clerk, the batch and its members
    created = entries(Household, LogEntry.Action.CREATE)
    assert {e.object_id for e in created} == set(Household.objects.values_list("pk", flat=True))
    entry = created.get(object_repr="1001")
    assert entry.actor == clerk
    assert entry.additional_data["source"] == f"花名册导入（批次 #{batch.pk}）"
    # with the values masked as everywhere in the trail
    assert entry.changes["phone"] == ["None", "138****5678"]
    head = Member.objects.get(household__household_number="1001", name="张三")
    members = entry.changes["members"][1]
    assert f"张三（{head.id_number[:6]}********{head.id_number[-4:]}）" in members
    assert head.id_number not in str(entry.changes)


def test_a_reimport_records_changed_households_and_members_old_to_new():
    # given an imported household
    clerk = county_clerk()
    run(household_rows("1001"), user=clerk)
    rows = household_rows("1001")
    for row in rows:
        row[9] = "因残"  # 主要致贫原因
        row[15] = "13900001111"  # 联系电话
    rows[1][17] = "李美"  # the wife's name
    rows[1][25] = "残疾"  # the wife's 健康状况

    # when the changed file is imported
    batch, _ = run(rows, user=clerk)
    assert batch.status == "done", (batch.failure, batch.errors)

    # then the household's and the wife's changes are recorded in its entry, sensitive ones masked
    household = entries(Household, LogEntry.Action.UPDATE).get()
    assert household.changes["main_cause"] == ["因病", "因残"]
    assert household.changes["phone"] == ["138****5678", "139****1111"]
    assert household.changes["成员 李美·姓名"] == ["李梅", "李美"]
    assert household.changes["成员 李美·健康状况"] == ["（已隐去）", "（已隐去）"]
    assert household.additional_data["batch"] == batch.pk


def test_members_who_leave_or_join_in_an_import_are_recorded():
    # given a household of three
    run(household_rows("1001", members=3))
    run(household_rows("1001", members=2), mark_left=True)

    # then the son's leaving is recorded in the household's entry
    son = Member.objects.get(name="张强")
    left = entries(Household, LogEntry.Action.UPDATE).get()
    assert left.changes["减少成员 张强"][1].startswith(son.left_on.isoformat())

    # when a daughter joins in a later file, her joining is recorded
    run(household_rows("1001", members=4), mark_left=True)
    latest = entries(Household, LogEntry.Action.UPDATE).latest("timestamp")
    assert latest.changes["新增成员 张丽"][1].startswith("张丽（")


def test_an_unchanged_reimport_records_nothing():
    run(household_rows("1001"))
    count = LogEntry.objects.count()

    run(household_rows("1001"))

    assert LogEntry.objects.count() == count


def test_a_failure_while_making_the_entries_writes_nothing_at_all(monkeypatch):
    # given the audit entries fail to be made (they are made beside the members' insert)
    def broken(households, ids):
        raise ValueError("entry broken")
        yield  # pragma: no cover - a generator, as the real one

    monkeypatch.setattr(audit_imports, "_created", broken)
    # when a file is imported, the error reaches the caller (the task marks its batch failed)
    with pytest.raises(ValueError, match="entry broken"):
        run(household_rows("1001"))
    # then neither the households nor any entry of them is stored
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not entries(Household, LogEntry.Action.CREATE).exists()
