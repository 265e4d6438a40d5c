"""Importing an edited ledger: exactly the user's edits are written, conflicts are held back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from households.choices import Health
from households.models import Household, Member, YearlyIncome
from ledgers import pipeline
from ledgers.booklet import Kind
from ledgers.reader import read_ledger_workbook
from tests.ledgers.booklets import find
from tests.ledgers.builders import make_household_with_ledger_data
from tests.ledgers.editing import (
    edit,
    exported,
    exported_village,
    fill_blank_row,
    insert_row_after,
    set_field,
    set_in_row,
)

pytestmark = pytest.mark.django_db
MEMBERS, INCOME, VISITS = "二、家庭成员", "四、收入情况", "十、走访记录"


def run(data: bytes, *, user=None, write=True, resolutions=None):
    job = pipeline.create_import(name="ledger.xlsx", data=data, user=user)
    result = pipeline.preview(job)
    if write and result is not None and not result.invalid:
        job.resolutions = resolutions or {}
        pipeline.write_job(job, skip_invalid=False)
    job.refresh_from_db()
    return job, result


def editable_values(booklet) -> dict:
    """Every editable value of a booklet, fields by key and table rows in order (a blank
    amount reads as 0.00, as it is stored)."""

    def text(column, value):
        return "0.00" if column.kind in (Kind.MONEY, Kind.DECIMAL) and value == "" else value

    values: dict = {}
    for section in booklet.sections:
        for item in section.fields:
            if item.column.editable:
                values[item.column.key] = text(item.column, item.value)
        for table in section.tables:
            values[table.key] = [
                tuple(text(c, v) for c, v in zip(table.columns, row.values, strict=True)
                      if c.editable)
                for row in table.rows
                if any(row.values)
            ]  # fmt: skip
    return values


def son(household: Household) -> Member:
    return household.members.get(name="王小明")


def test_an_unchanged_ledger_changes_nothing():
    # given
    household = make_household_with_ledger_data()
    entries = LogEntry.objects.count()

    # when
    job, result = run(exported(household))

    # then
    assert job.summary["households"] == {"created": 0, "updated": 0, "unchanged": 1, "invalid": 0}
    assert job.summary["changes"] == job.summary["additions"] == job.summary["conflicts"] == 0
    assert Household.objects.get(pk=household.pk).version == household.version
    assert LogEntry.objects.count() == entries


def test_the_users_edits_and_inserted_rows_are_written_and_nothing_else():
    # given: a first secretary corrects the son's health, the land, adds 2021 income in the
    # printed blank line and inserts a visit row below the last one
    household = make_household_with_ledger_data()

    def change(sheet):
        set_in_row(sheet, MEMBERS, "王小明", "健康状况", "长期慢性病")
        set_field(sheet, "耕地面积（亩）", 6.5)
        fill_blank_row(sheet, INCOME, {"年度": 2021, "工资性收入": 16000, "低保金": 1500})
        insert_row_after(sheet, VISITS, "2020-06-12", {
            "走访日期": "2021-03-02", "走访人": "陈红梅", "走访方式": "入户走访",
            "发现问题": "春耕缺化肥", "采取措施": "联系农资店赊购",
        })  # fmt: skip

    data = edit(exported(household), change)

    # when
    job, result = run(data)

    # then
    assert job.status == "done", job.failure
    assert job.summary["changes"] == 2 and job.summary["additions"] == 2
    assert son(household).health == Health.CHRONIC_ILLNESS
    household.refresh_from_db()
    assert household.profile.cultivated_land == Decimal("6.50")
    income = YearlyIncome.objects.get(household=household, year=2021)
    assert (income.wage_income, income.minimum_living_allowance) == (16000, 1500)
    visit = household.visits.get(visited_on=dt.date(2021, 3, 2))
    assert (visit.author.name, visit.findings, visit.village_id) == (
        "陈红梅",
        "春耕缺化肥",
        household.village_id,
    )
    assert household.version == 2
    # and: exported again, the ledger holds the edited file's values, every editable cell
    again = read_ledger_workbook(exported(household)).sheets[household.pk].booklet
    assert editable_values(again) == editable_values(
        read_ledger_workbook(data).sheets[household.pk].booklet
    )


def test_a_value_changed_in_the_system_since_the_export_is_kept_when_the_user_left_it():
    # given: exported, then the son's work changed in the system; the user edits his health only
    household = make_household_with_ledger_data()
    data = edit(exported(household), lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "残疾"))
    Member.objects.filter(pk=son(household).pk).update(work_months=3)

    # when
    job, result = run(data)

    # then: the system's value stays, and the preview said so
    member = son(household)
    assert (member.health, member.work_months) == (Health.DISABLED, 3)
    [since] = result.merges[0].since_export
    assert (since.label, since.subject, since.old, since.new) == (
        "务工时间（月）",
        "王小明",
        "10",
        "3",
    )
    assert job.summary["since_export"] == 1


def test_a_conflict_keeps_the_system_value_unless_the_user_takes_the_files():
    # given: the son's health changed in the system and differently in the file
    household = make_household_with_ledger_data()
    data = edit(exported(household), lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "残疾"))
    Member.objects.filter(pk=son(household).pk).update(health=Health.SERIOUS_ILLNESS)

    # when: written without a choice
    job, result = run(data)

    # then: reported, kept
    assert job.summary["conflicts"] == 1
    [conflict] = result.merges[0].conflicts
    assert (conflict.base, conflict.new, conflict.old) == ("健康", "残疾", "患有大病")
    assert son(household).health == Health.SERIOUS_ILLNESS

    # when: the same file, the conflict resolved to the file's value
    job, result = run(data, resolutions={result.merges[0].conflicts[0].id: "file"})

    # then
    assert son(household).health == Health.DISABLED


def test_a_change_after_the_preview_refuses_the_whole_write():
    # given: a preview of an edit, then someone changes the same value
    household = make_household_with_ledger_data()
    data = edit(exported(household), lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "残疾"))
    job = pipeline.create_import(name="l.xlsx", data=data, user=None)
    pipeline.preview(job)
    Member.objects.filter(pk=son(household).pk).update(health=Health.SERIOUS_ILLNESS)

    # when / then
    with pytest.raises(pipeline.StaleMerge, match="在预览后被他人修改"):
        pipeline.write_job(job, skip_invalid=False)
    assert son(household).health == Health.SERIOUS_ILLNESS


def test_a_failure_in_the_middle_of_the_write_leaves_nothing_behind(monkeypatch):
    # given: two households edited; the second one's save fails
    first, second = make_household_with_ledger_data(), make_household_with_ledger_data()
    data = exported_village([first, second])
    data = edit(data, lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "残疾"), sheet=1)
    data = edit(data, lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "残疾"), sheet=2)
    job = pipeline.create_import(name="v.xlsx", data=data, user=None)
    pipeline.preview(job)
    from ledgers import write

    calls = {"n": 0}
    original = write.Records.save

    def failing(self):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(self)

    monkeypatch.setattr(write.Records, "save", failing)

    # when
    with pytest.raises(RuntimeError):
        pipeline.write_job(job, skip_invalid=False)

    # then
    assert son(first).health == son(second).health == Health.HEALTHY
    assert Household.objects.get(pk=first.pk).version == 1


def test_an_invalid_value_makes_its_household_invalid_with_its_place():
    household = make_household_with_ledger_data()
    data = edit(exported(household), lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "很好"))

    job, result = run(data)

    assert job.summary["households"]["invalid"] == 1
    [error] = result.merges[0].errors
    assert "第" in error.place and "行" in error.place
    assert "健康状况应为以下之一" in error.message
    assert son(household).health == Health.HEALTHY


def test_a_foreign_workbook_is_refused_with_its_reason():
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "随便一张表"
    out = io.BytesIO()
    book.save(out)

    job, result = run(out.getvalue())

    assert result is None and job.status == "refused"
    assert "不是PovertyOps导出的一户一册" in job.refusal


def test_a_village_workbook_imports_each_household_it_changed():
    first, second = make_household_with_ledger_data(), make_household_with_ledger_data()
    data = edit(
        exported_village([first, second]),
        lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "残疾"),
        sheet=2,
    )

    job, _ = run(data)

    assert job.summary["households"] == {"created": 0, "updated": 1, "unchanged": 1, "invalid": 0}
    assert (son(first).health, son(second).health) == (Health.HEALTHY, Health.DISABLED)


def visit_added(sheet):
    insert_row_after(sheet, VISITS, "2020-06-12", {
        "走访日期": "2021-03-02", "走访人": "陈红梅", "走访方式": "入户走访", "发现问题": "缺化肥",
    })  # fmt: skip


def test_a_renamed_section_makes_the_household_invalid_and_nothing_of_it_is_written():
    # given: the visits' title renamed, a visit added under it, and a health edit elsewhere
    household = make_household_with_ledger_data()

    def change(sheet):
        set_in_row(sheet, MEMBERS, "王小明", "健康状况", "残疾")
        visit_added(sheet)
        row, column = find(sheet, VISITS)
        sheet.cell(row, column).value = "十、入户走访情况"

    # when
    job, result = run(edit(exported(household), change))

    # then
    assert job.summary["households"]["invalid"] == 1
    [error] = result.merges[0].errors
    assert "十、走访记录" in error.message and error.place
    assert son(household).health == Health.HEALTHY
    assert household.visits.count() == 2


def test_uploading_an_imported_file_again_changes_nothing():
    # given: an edited ledger with an added income year and visit, imported once
    household = make_household_with_ledger_data()

    def change(sheet):
        fill_blank_row(sheet, INCOME, {"年度": 2021, "工资性收入": 16000})
        visit_added(sheet)

    data = edit(exported(household), change)
    run(data)

    # when: the same file is uploaded again
    job, _ = run(data)

    # then
    assert job.summary["households"] == {"created": 0, "updated": 0, "unchanged": 1, "invalid": 0}
    assert household.visits.count() == 3
    assert household.incomes.filter(year=2021).count() == 1


def test_two_previews_of_one_file_cannot_both_add_their_rows():
    # given: the same file previewed twice, before either is confirmed
    household = make_household_with_ledger_data()
    data = edit(exported(household), visit_added)
    first = pipeline.create_import(name="a.xlsx", data=data, user=None)
    second = pipeline.create_import(name="a.xlsx", data=data, user=None)
    pipeline.preview(first)
    pipeline.preview(second)

    # when: both are confirmed
    pipeline.write_job(first, skip_invalid=False)
    with pytest.raises(pipeline.StaleMerge, match="又新增了记录"):
        pipeline.write_job(second, skip_invalid=False)

    # then
    assert household.visits.filter(findings="缺化肥").count() == 1


def test_a_visit_by_someone_not_helping_the_household_is_one_error_and_no_addition():
    household = make_household_with_ledger_data()
    data = edit(exported(household), lambda s: insert_row_after(s, VISITS, "2020-06-12", {
        "走访日期": "2021-03-02", "走访人": "张三丰", "走访方式": "入户走访", "发现问题": "无",
    }))  # fmt: skip

    job, result = run(data)

    merged = result.merges[0]
    assert [e.message for e in merged.errors] == [
        "走访人“张三丰”不是本户的帮扶责任人或本村的驻村干部"
    ]
    assert merged.additions == []


def test_comparing_a_village_workbook_reads_the_same_queries_for_one_or_three_households():
    # given: an unchanged workbook of one household, and one of three
    households = [make_household_with_ledger_data() for _ in range(3)]
    one, three = exported_village(households[:1]), exported_village(households)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(data):
        ledger = read_ledger_workbook(data)
        with CaptureQueriesContext(connection) as captured:
            pipeline.compare(ledger, user=None)
        return len(captured.captured_queries)

    # then: the stored ledgers are read in one batch, not household by household
    assert queries(one) == queries(three)
