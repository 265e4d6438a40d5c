"""The whole import: preview, write all or nothing, re-import, updates, leaving members."""

import datetime as dt

import pytest
from django.db import DatabaseError

from households.choices import HouseholdStatus, StatusChangeKind
from households.models import (
    BatchHousehold,
    County,
    Household,
    ImportBatch,
    JobStatus,
    Member,
    StatusChange,
    Township,
    Village,
)
from households.registry import pipeline, write
from households.registry.plan import Action
from tests import factories
from tests.households.registry.workbooks import canonical, household_rows, person_id

pytestmark = pytest.mark.django_db


def run(rows, **options):
    return pipeline.run([("花名册.xlsx", canonical(rows))], **options)


def test_stored_areas_are_reused_and_only_missing_ones_created():
    # given a stored village 东关村 of 城关镇, 清河县
    village = factories.VillageFactory(
        name="东关村", township__name="城关镇", township__county__name="清河县"
    )
    # when households of that village, of a new village of that township and of a new
    # township are imported
    rows = (
        household_rows("1001")
        + household_rows("1002", village="西关村", first_sequence=31)
        + household_rows("1003", township="河口乡", village="河口村", first_sequence=61)
    )
    batch, _ = run(rows)
    # then the stored village and township take the households, and only the rest is new
    assert batch.status == JobStatus.DONE, batch.failure
    placed = dict(Household.objects.values_list("household_number", "village_id"))
    assert placed["1001"] == village.pk
    assert Village.objects.get(pk=placed["1002"]).township_id == village.township_id
    new_township = Village.objects.get(pk=placed["1003"]).township
    assert new_township.name == "河口乡" and new_township.county_id == village.township.county_id
    assert County.objects.count() == 1 and Township.objects.count() == 2
    assert Village.objects.count() == 3


def test_a_canonical_file_creates_areas_households_members_and_events():
    # given two valid households, one of them exited
    rows = household_rows("1001") + household_rows(
        "1002", village="西关村", status="已脱贫", exit_year=2018, first_sequence=31
    )
    # when it is imported
    batch, preview = run(rows)
    # then everything is written with the file's values
    assert batch.status == JobStatus.DONE, batch.failure
    assert preview.errors == []
    household = Household.objects.get(household_number="1002")
    assert household.village.name == "西关村" and household.village.township.name == "城关镇"
    assert household.status == HouseholdStatus.EXITED and household.exit_year == 2018
    assert str(household.registry_income_per_capita) == "3500.50"
    assert Member.objects.filter(household=household).count() == 2
    head = Member.objects.get(household=household, relation_to_head="head")
    assert head.name == "张三" and head.birth_date == dt.date(1960, 3, 12)
    kinds = list(household.status_changes.values_list("kind", flat=True))
    assert kinds == [StatusChangeKind.NEW_IDENTIFICATION, StatusChangeKind.MARK_EXITED]
    assert BatchHousehold.objects.filter(batch=batch, action="created").count() == 2
    assert batch.summary["written"]["households"]["created"] == 2


def test_reimporting_the_same_file_changes_nothing():
    rows = household_rows("1001")
    run(rows)
    events = StatusChange.objects.count()
    # when the same file comes again
    batch, preview = run(rows)
    # then every household is unchanged and no event is added
    assert preview.summary["households"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "invalid": 0,
    }
    assert batch.summary["written"]["households"]["unchanged"] == 1
    assert StatusChange.objects.count() == events
    assert not BatchHousehold.objects.filter(batch=batch).exists()


def test_a_changed_value_is_previewed_field_by_field_and_written():
    run(household_rows("1001"))
    rows = household_rows("1001")
    for row in rows:
        row[9] = "因残"  # 主要致贫原因
    rows[1][25] = "残疾"  # the wife's 健康状况
    batch, preview = run(rows, dry_run=True)
    planned = preview.plan.households[0]
    # then the preview names old and new values in Chinese
    assert planned.action == Action.UPDATE
    assert [(c.label, c.old, c.new) for c in planned.changes] == [("主要致贫原因", "因病", "因残")]
    member = planned.members[1]
    assert [(c.label, c.old, c.new) for c in member.changes] == [("健康状况", "健康", "残疾")]
    assert Household.objects.get().main_cause == "illness"  # a dry run writes nothing
    # when written
    batch, _ = run(rows)
    assert Household.objects.get().main_cause == "disability"
    assert Member.objects.get(name="李梅").health == "disabled"
    assert BatchHousehold.objects.get(batch=batch).action == "updated"


def test_members_absent_from_the_file_leave_only_when_asked():
    run(household_rows("1001", members=3))
    two = household_rows("1001", members=2)
    batch, preview = run(two)
    assert [m.name for m in preview.plan.households[0].leaving] == ["张强"]
    assert Member.objects.current().count() == 3
    # when the user ticks "mark as left"
    run(two, mark_left=True)
    son = Member.objects.get(name="张强")
    assert son.left_on is not None and son.leave_reason == "other"
    assert son.status_changes.get().kind == StatusChangeKind.NATURAL_DECREASE


def test_a_new_member_of_an_existing_household_joins_with_an_event():
    run(household_rows("1001", members=2))
    batch, _ = run(household_rows("1001", members=3))
    son = Member.objects.get(name="张强")
    assert son.joined_on is not None
    assert son.status_changes.get().kind == StatusChangeKind.NATURAL_INCREASE
    assert batch.summary["written"]["members"]["created"] == 1


def test_an_invalid_household_stops_the_whole_write_by_default():
    # given one valid household and one with a wrong ID check character
    bad = household_rows("1002", first_sequence=31)
    bad[0][18] = bad[0][18][:-1] + ("1" if bad[0][18][-1] != "1" else "2")
    batch, preview = run(household_rows("1001") + bad)
    # then nothing is written and the error names sheet, row and column
    assert Household.objects.count() == 0
    assert batch.status == JobStatus.FAILED
    error = preview.errors[0]
    assert (error.sheet, error.row, error.column) == ("花名册", 4, "证件号码")
    assert "校验位" in error.message
    assert preview.summary["households"]["invalid"] == 1


def test_skip_invalid_writes_the_valid_households():
    bad = household_rows("1002", first_sequence=31)
    bad[0][19] = "老板"  # 与户主关系
    batch, preview = run(household_rows("1001") + bad, skip_invalid=True)
    assert list(Household.objects.values_list("household_number", flat=True)) == ["1001"]
    assert "无法识别" in preview.errors[0].message and preview.errors[0].value == "老板"


def test_a_crash_in_the_middle_of_the_write_leaves_nothing(monkeypatch):
    # given a database error after households and members are inserted
    real = write.insert_rows

    def failing(model, fields, rows):
        if model is StatusChange:
            raise DatabaseError("disk I/O error")
        return real(model, fields, rows)

    monkeypatch.setattr(write, "insert_rows", failing)
    batch, _ = run(household_rows("1001"))
    # then the batch failed and nothing of it is stored
    assert batch.status == JobStatus.FAILED and "未写入任何数据" in batch.failure
    assert Household.objects.count() == Member.objects.count() == 0


def test_a_plan_overtaken_by_another_import_is_refused():
    run(household_rows("1001"))
    rows = household_rows("1001")
    for row in rows:
        row[3] = "二组"
    batch = pipeline.create_batch(files=[("a.xlsx", canonical(rows))], user=None, source="command")
    pipeline.preview_batch(batch)
    # when the household changes after the preview
    Household.objects.update(phone="13900000000")
    batch.refresh_from_db()
    batch.policy = "all_or_nothing"
    pipeline.write_batch(batch)
    # then the write is refused and the household keeps the other change
    assert batch.status == JobStatus.FAILED and "重新上传预览" in batch.failure
    assert Household.objects.get().hamlet == "一组"


def test_a_status_change_is_written_as_a_dated_event():
    run(household_rows("1001"))
    batch, _ = run(household_rows("1001", status="已脱贫", exit_year=2019))
    household = Household.objects.get()
    assert household.status == HouseholdStatus.EXITED and household.exit_year == 2019
    assert household.status_changes.last().kind == StatusChangeKind.MARK_EXITED


def test_a_status_no_event_can_reach_is_an_error():
    run(household_rows("1001", status="已脱贫", exit_year=2019))
    batch, preview = run(household_rows("1001", status="未脱贫", exit_year=""))
    assert "不能由“已脱贫”直接改为“未脱贫”" in preview.errors[0].message


def test_an_id_of_another_households_member_is_an_error():
    run(household_rows("1001"))
    rows = household_rows("1002", head="张三")  # same people, another household number
    batch, preview = run(rows)
    assert any("户编号 1001 的现有成员" in e.message for e in preview.errors)
    assert Household.objects.count() == 1


def test_the_batch_keeps_file_name_hash_and_counts():
    batch, _ = run(household_rows("1001"))
    batch = ImportBatch.objects.get(pk=batch.pk)
    upload = batch.files.get()
    assert upload.name == "花名册.xlsx" and len(upload.sha256) == 64
    assert batch.summary["households"]["created"] == 1


def test_person_ids_of_the_builder_are_valid():
    assert person_id("1960-03-12", 11).startswith("130534196003120")


def test_two_imports_of_the_same_new_household_never_create_it_twice():
    # given two batches previewed before either is written
    content = canonical(household_rows("1001"))
    first = pipeline.create_batch(files=[("a.xlsx", content)], user=None, source="command")
    second = pipeline.create_batch(files=[("b.xlsx", content)], user=None, source="command")
    for batch in (first, second):
        pipeline.preview_batch(batch)
        batch.refresh_from_db()
        batch.policy = "all_or_nothing"
    # when both are confirmed
    pipeline.write_batch(first)
    pipeline.write_batch(second)
    # then the second fails with a clear message and the household exists once
    assert first.status == JobStatus.DONE
    assert second.status == JobStatus.FAILED and "另一批次" in second.failure
    assert Household.objects.count() == 1 and Member.objects.count() == 2


def test_a_large_first_import_refreshes_the_planners_statistics(monkeypatch):
    # given: any import above the threshold counts as large
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(pipeline, "ANALYZE_ABOVE", 1)

    # when
    with CaptureQueriesContext(connection) as queries:
        batch, _ = run(household_rows("1001"))

    # then: PostgreSQL analyses the registry tables after the write (SQLite has no such need)
    assert batch.status == JobStatus.DONE
    analysed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert analysed == ["ANALYZE households_household, households_member, "
                            "households_statuschange"]  # fmt: skip
    else:
        assert analysed == []
