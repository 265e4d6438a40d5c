"""The 导入一户一册 pages: upload, preview with changes and conflicts, confirm, by role and area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households.choices import Health
from households.models import Member
from ledgers.models import LedgerImport
from tests import factories
from tests.accounts import personas
from tests.ledgers.builders import make_household_with_ledger_data
from tests.ledgers.editing import edit, exported, insert_row_after, set_in_row

pytestmark = pytest.mark.django_db
MEMBERS, VISITS = "二、家庭成员", "十、走访记录"


def upload(client, data: bytes):
    file = SimpleUploadedFile("一户一册.xlsx", data)
    return client.post(reverse("ledgers:import_upload"), {"workbook": file})


def health_edit(household) -> bytes:
    return edit(exported(household), lambda s: set_in_row(s, MEMBERS, "王小明", "健康状况", "残疾"))


def son(household) -> Member:
    return household.members.get(name="王小明")


def test_anonymous_users_go_to_login_and_users_without_the_permission_get_403(client):
    url = reverse("ledgers:import_upload")
    assert client.get(url).status_code == 302
    client.force_login(personas.outsider())
    assert client.get(url).status_code == 403


def test_a_first_secretary_uploads_previews_and_confirms_an_edit(client):
    # given
    household = make_household_with_ledger_data()
    client.force_login(personas.first_secretary(household.village))

    # when: uploaded (the preview runs as a task, immediately in tests)
    response = upload(client, health_edit(household))

    # then: the preview shows the change, old → new, and nothing is written yet
    job = LedgerImport.objects.get()
    assert response.url == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "健康状况" in page and "（王小明）" in page and "残疾" in page
    assert son(household).health == Health.HEALTHY

    # when: confirmed
    client.post(reverse("ledgers:import_confirm", args=[job.pk]), {"policy": "all"})

    # then
    job.refresh_from_db()
    assert job.status == "done"
    assert son(household).health == Health.DISABLED
    assert "导入已完成" in client.get(job.get_absolute_url()).content.decode()


def test_another_villages_household_is_invalid_for_a_first_secretary(client):
    # given: a ledger of a household in another village
    household = make_household_with_ledger_data()
    client.force_login(personas.first_secretary(factories.VillageFactory()))

    # when
    upload(client, health_edit(household))

    # then
    job = LedgerImport.objects.get()
    assert job.summary["households"]["invalid"] == 1
    assert "不在您的管辖范围内" in client.get(job.get_absolute_url()).content.decode()


def test_someone_elses_upload_answers_404(client):
    household = make_household_with_ledger_data()
    client.force_login(personas.first_secretary(household.village))
    upload(client, health_edit(household))
    job = LedgerImport.objects.get()

    client.force_login(personas.first_secretary(household.village))

    assert client.get(job.get_absolute_url()).status_code == 404
    confirm = client.post(reverse("ledgers:import_confirm", args=[job.pk]), {"policy": "all"})
    assert confirm.status_code == 404


def test_a_paired_cadre_adds_visits_but_may_not_correct_members(client):
    # given: the cadre's upload adds a visit and changes a member's health
    household = make_household_with_ledger_data()
    user = personas.paired_cadre(household)
    name = user.cadre.name
    client.force_login(user)

    def change(sheet):
        set_in_row(sheet, MEMBERS, "王小明", "健康状况", "残疾")
        insert_row_after(sheet, VISITS, "2020-06-12", {
            "走访日期": "2021-05-01", "走访人": name, "走访方式": "电话回访", "发现问题": "无",
        })  # fmt: skip

    # when
    upload(client, edit(exported(household), change))

    # then: the member change is refused for the role, so the household is invalid
    job = LedgerImport.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "您的角色不能修改“健康状况”" in page

    # when: the cadre uploads the visit alone
    job.delete()
    upload(client, edit(exported(household), lambda s: insert_row_after(s, VISITS, "2020-06-12", {
        "走访日期": "2021-05-01", "走访人": name, "走访方式": "电话回访", "发现问题": "无",
    })))  # fmt: skip
    job = LedgerImport.objects.get()
    client.post(reverse("ledgers:import_confirm", args=[job.pk]), {"policy": "all"})

    # then
    assert household.visits.filter(visited_on=dt.date(2021, 5, 1), author=user.cadre).exists()


def test_a_conflict_is_offered_with_both_values_and_resolved_by_the_users_choice(client):
    # given: the same value changed in the system after the export
    household = make_household_with_ledger_data()
    data = health_edit(household)
    Member.objects.filter(pk=son(household).pk).update(health=Health.SERIOUS_ILLNESS)
    client.force_login(personas.first_secretary(household.village))
    upload(client, data)
    job = LedgerImport.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    [conflict_id] = [c["id"] for m in _merges(job) for c in m["conflicts"]]
    assert f'name="conflict-{conflict_id}"' in page and "患有大病" in page

    # when
    client.post(
        reverse("ledgers:import_confirm", args=[job.pk]),
        {"policy": "all", f"conflict-{conflict_id}": "file"},
    )

    # then
    assert son(household).health == Health.DISABLED


def _merges(job):
    from ledgers import pipeline

    return [m.as_json() for m in pipeline.unpack(job).merges]


def test_a_foreign_file_is_refused_with_its_reason(client):
    client.force_login(personas.county_staff(factories.CountyFactory()))
    upload(client, b"not a workbook at all")
    job = LedgerImport.objects.get()
    assert job.status == "refused"
    assert job.refusal in client.get(job.get_absolute_url()).content.decode()


def test_an_unchanged_ledger_says_so_and_offers_nothing_to_confirm(client):
    household = make_household_with_ledger_data()
    client.force_login(personas.first_secretary(household.village))

    upload(client, exported(household))

    page = client.get(LedgerImport.objects.get().get_absolute_url()).content.decode()
    assert "文件与系统中的数据一致" in page
    assert "确认写入" not in page


def test_the_preview_lists_what_changed_in_the_system_since_the_export(client):
    # given: after the export, the son's work months changed in the system only
    household = make_household_with_ledger_data()
    data = health_edit(household)
    Member.objects.filter(pk=son(household).pk).update(work_months=3)
    client.force_login(personas.first_secretary(household.village))

    # when
    upload(client, data)

    # then
    page = client.get(LedgerImport.objects.get().get_absolute_url()).content.decode()
    assert "导出后系统中已更新 1 项" in page and "务工时间（月）" in page
