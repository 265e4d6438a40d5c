"""导出一户一册 pages and task: choose, build in the background, download; scoping and audit."""

import datetime as dt
import io
import os
import zipfile
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from households.models import JobStatus, Member
from ledgers import tasks
from ledgers.models import LedgerExport
from tests import factories
from tests.accounts import personas
from tests.ledgers.builders import make_household_with_ledger_data

pytestmark = pytest.mark.django_db

EXPORT = reverse("ledgers:export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def village():
    return factories.VillageFactory(name="东关村", township__name="城关镇")


@pytest.fixture
def household(village):
    return make_household_with_ledger_data(village=village)


def url(name, export):
    return reverse(f"ledgers:{name}", args=[export.pk])


def all_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "".join(
        str(cell)
        for sheet in book.worksheets
        if sheet.sheet_state == "visible"
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    )


def download(client, export) -> bytes:
    response = client.get(url("export_download", export))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# Permissions


def test_pages_send_anonymous_users_to_login_and_refuse_users_without_a_role(client, household):
    export = LedgerExport.objects.create(village=household.village)
    names = ("export_detail", "export_progress", "export_download")
    pages = [EXPORT, *(url(name, export) for name in names)]

    for page in pages:
        assert client.get(page).status_code == 302, page
    client.force_login(personas.outsider())
    for page in pages:
        assert client.get(page).status_code == 403, page


def test_a_first_secretary_exports_their_village_masked(client, village, household):
    # given the village's first secretary
    secretary = personas.first_secretary(village)
    client.force_login(secretary)
    head = Member.objects.get(household=household, name="王大山")

    # when they ask for full numbers (the box is not offered to them) and the village
    page = client.get(EXPORT).content.decode()
    response = client.post(EXPORT, {"area": f"village:{village.pk}", "full_ids": "on"})

    # then the workbook is built masked, under the village's name, and recorded
    export = LedgerExport.objects.get()
    assert 'name="full_ids"' not in page and f'value="village:{village.pk}"' in page
    assert response.url == url("export_detail", export)
    assert export.status == JobStatus.DONE and not export.full_ids and export.households == 1
    assert export.file_name.startswith("一户一册-城关镇东关村-")
    data = download(client, export)
    assert head.id_number not in all_text(data) and "王大山" in all_text(data)


def test_an_inspector_may_export_the_county_but_only_masked(client, village):
    # given an inspector of the county
    client.force_login(personas.inspector(village.township.county))

    # when they open the page
    page = client.get(EXPORT).content.decode()

    # then the county is offered, full numbers are not
    assert f'value="county:{village.township.county.pk}"' in page
    assert 'name="full_ids"' not in page


def test_a_first_secretary_cannot_export_another_village(client, village):
    # given a secretary of another village
    client.force_login(personas.first_secretary(factories.VillageFactory()))

    # when they post this village
    response = client.post(EXPORT, {"area": f"village:{village.pk}"})

    # then 404, nothing queued, and the village is not offered
    assert response.status_code == 404 and not LedgerExport.objects.exists()
    assert f"village:{village.pk}" not in client.get(EXPORT).content.decode()


def test_a_first_secretary_cannot_open_another_villages_household(client, household):
    client.force_login(personas.first_secretary(factories.VillageFactory()))

    assert client.get(EXPORT, {"household": household.pk}).status_code == 404
    response = client.post(EXPORT, {"area": f"household:{household.pk}"})
    assert response.status_code == 404 and not LedgerExport.objects.exists()


def test_the_task_refuses_full_numbers_to_a_first_secretary(village, household):
    # given an export row asking full numbers for a first secretary (a forged or stale request)
    secretary = personas.first_secretary(village)
    export = LedgerExport.objects.create(created_by=secretary, village=village, full_ids=True)

    # when it is built
    result = tasks.build_ledger_export.call(export.pk)

    # then it fails with the reason, without a file
    export.refresh_from_db()
    assert result == JobStatus.FAILED and export.status == JobStatus.FAILED
    assert export.failure == "您无权导出完整证件号码和电话" and not export.file


def test_county_staff_export_the_county_with_full_numbers_as_a_zip(client, village, household):
    # given county staff, and a second township's household
    other = make_household_with_ledger_data(
        village=factories.VillageFactory(name="西关村", township__name="王集乡")
    )
    staff = personas.county_staff(village.township.county)
    client.force_login(staff)
    head = Member.objects.get(household=household, name="王大山")

    # when the county is exported with full numbers
    county = village.township.county
    client.post(EXPORT, {"area": f"county:{county.pk}", "full_ids": "on"})

    # then the download is a zip of the two village workbooks, numbers in full, recorded
    export = LedgerExport.objects.get()
    assert export.file_name.startswith("一户一册-清河县-含完整证件号码-")
    assert export.file_name.endswith(".zip") and export.households == 2
    with zipfile.ZipFile(io.BytesIO(download(client, export))) as archive:
        assert sorted(archive.namelist()) == [
            "城关镇/东关村-一户一册.xlsx",
            "王集乡/西关村-一户一册.xlsx",
        ]
        assert head.id_number in all_text(archive.read("城关镇/东关村-一户一册.xlsx"))
        assert other.household_number in all_text(archive.read("王集乡/西关村-一户一册.xlsx"))
    entry = LogEntry.objects.filter(actor=staff).latest("pk")
    assert entry.additional_data["export"] == "导出一户一册：清河县（全县）（2户）"
    assert entry.additional_data["full_ids"] is True and entry.additional_data["rows"] == 2


def test_a_household_is_exported_from_its_page(client, household):
    # given a paired cadre of the household, coming from its page
    cadre = personas.paired_cadre(household)
    client.force_login(cadre)
    page = client.get(EXPORT, {"household": household.pk}).content.decode()

    # when they export it
    client.post(f"{EXPORT}?household={household.pk}", {"area": f"household:{household.pk}"})

    # then they get its one workbook
    export = LedgerExport.objects.get()
    assert f'value="household:{household.pk}" selected' in page
    assert export.household == household and export.file_name.endswith(".xlsx")
    assert "王大山" in all_text(download(client, export))


def test_the_household_admin_page_links_to_its_export(client, household):
    client.force_login(personas.county_staff(household.village.township.county))

    page = client.get(reverse("admin:households_household_change", args=[household.pk]))

    assert f'href="{EXPORT}?household={household.pk}"' in page.content.decode()


def test_a_paired_cadre_cannot_export_a_household_they_do_not_help(client, household):
    client.force_login(personas.paired_cadre(factories.HouseholdFactory()))

    assert client.get(EXPORT, {"household": household.pk}).status_code == 404


def test_another_users_export_is_404(client, village, household):
    # given an export of the village made by its first secretary
    export = LedgerExport.objects.create(
        created_by=personas.first_secretary(village), village=village
    )
    tasks.build_ledger_export.call(export.pk)

    # when a team member of the same village asks for it
    client.force_login(personas.team_member(village))

    # then none of its pages exist for them
    for name in ("export_detail", "export_progress", "export_download"):
        assert client.get(url(name, export)).status_code == 404, name


def test_township_staff_see_their_townships_users_exports_without_full_numbers(
    client, village, household
):
    # given a masked export by the village's secretary and a full one by county staff
    masked = LedgerExport.objects.create(
        created_by=personas.first_secretary(village), village=village
    )
    full = LedgerExport.objects.create(
        created_by=personas.county_staff(village.township.county), village=village, full_ids=True
    )

    # when the township's staff look at them
    client.force_login(personas.township_staff(village.township))

    # then they see their township's user's export, never a full-number one
    assert client.get(url("export_detail", masked)).status_code == 200
    assert client.get(url("export_detail", full)).status_code == 404


# The build


def test_an_unfinished_export_shows_progress_and_has_no_download(client, village):
    # given an export still being built by the county staff
    staff = personas.county_staff(village.township.county)
    export = LedgerExport.objects.create(
        created_by=staff,
        village=village,
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=12,
    )
    client.force_login(staff)

    # then its page polls its progress, which says how far it is, and there is nothing to download
    html = client.get(url("export_detail", export)).content.decode()
    assert f'data-progress-url="{url("export_progress", export)}"' in html and "registry.js" in html
    progress = client.get(url("export_progress", export)).json()
    assert progress["done"] == 3 and progress["total"] == 12 and progress["finished"] is False
    assert client.get(url("export_download", export)).status_code == 404


def test_the_task_moves_the_progress_to_every_household(village):
    # given three households and an export of their village
    for _ in range(3):
        factories.HouseholdFactory(village=village)
    export = LedgerExport.objects.create(
        created_by=personas.county_staff(village.township.county), village=village
    )
    seen = []
    saver = tasks.progress_saver

    def watching(export_id):
        save = saver(export_id)

        def record(done, total):
            save(done, total)
            seen.append(LedgerExport.objects.values_list("progress_done", "progress_total").get())

        return record

    # when it is built
    with mock.patch.object(tasks, "progress_saver", watching):
        tasks.build_ledger_export.call(export.pk)

    # then the stored progress started at nothing and ended at every household
    export.refresh_from_db()
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert (export.progress_done, export.progress_total, export.households) == (3, 3, 3)


def test_progress_is_saved_on_the_ledger_export_row(village):
    # given: the registry's throttled saver (tests/households/test_tasks.py), on this row
    export = LedgerExport.objects.create(village=village)
    save = tasks.progress_saver(export.pk)

    # when
    save(10, 10)  # the last call is always saved

    # then
    export.refresh_from_db()
    assert (export.progress_done, export.progress_total) == (10, 10)


def test_a_task_delivered_twice_builds_once(village, household):
    export = LedgerExport.objects.create(
        created_by=personas.county_staff(village.township.county), village=village
    )

    assert tasks.build_ledger_export.call(export.pk) == JobStatus.DONE
    assert tasks.build_ledger_export.call(export.pk) == "skipped"
    assert LogEntry.objects.filter(object_repr__startswith="导出一户一册").count() == 1


def test_a_crash_marks_the_export_failed(village, household):
    # given an export whose build crashes
    export = LedgerExport.objects.create(
        created_by=personas.county_staff(village.township.county), village=village
    )

    # when it is built
    with mock.patch.object(tasks, "export_ledgers", side_effect=RuntimeError("disk")):
        with pytest.raises(RuntimeError):
            tasks.build_ledger_export.call(export.pk)

    # then its page stops waiting and says so
    export.refresh_from_db()
    assert export.status == JobStatus.FAILED and export.failure.startswith("生成文件时发生内部错误")


def test_files_older_than_the_keeping_period_are_deleted_and_no_longer_downloadable(
    client, village, household, settings
):
    # given: an export built nine days ago and one built now, kept seven days
    settings.LEDGER_EXPORT_KEEP_DAYS = 7
    staff = personas.county_staff(village.township.county)
    old, new = (LedgerExport.objects.create(created_by=staff, village=village) for _ in range(2))
    tasks.build_ledger_export.call(old.pk)
    LedgerExport.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=9))
    old.refresh_from_db()
    old_path = old.file.path

    # when: the next export is built
    tasks.build_ledger_export.call(new.pk)

    # then: the old file is gone, its record stays, its download answers 404
    old.refresh_from_db()
    assert not old.file and not os.path.exists(old_path)
    assert old.status == JobStatus.DONE and old.households == 1
    client.force_login(staff)
    assert client.get(url("export_download", old)).status_code == 404
    assert download(client, new)
