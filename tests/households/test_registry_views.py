"""The registry import pages: permissions, upload, preview, confirm or cancel, downloads."""

import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from households import tasks
from households.models import (
    BatchHousehold,
    Household,
    ImportBatch,
    ImportFile,
    JobStatus,
    Member,
    RegistryExport,
)
from households.registry.columns import HEADERS
from tests import factories
from tests.accounts import personas
from tests.accounts.factories import AssignmentFactory
from tests.households.registry.workbooks import canonical, household_rows
from tests.households.registry_pages import (
    UPLOAD,
    XLSX,
    Spy,
    broken_id_rows,
    confirm,
    count,
    logged_in_clerk,
    page,
    two_households,
    upload,
    uploaded_batch,
)

pytestmark = pytest.mark.django_db


def other_county():
    return factories.CountyFactory(name="故城县", division_code="130523000000")


@pytest.fixture
def clerk(client):
    return logged_in_clerk(client)


IMPORTS = reverse("households:import_list")
TEMPLATE = reverse("households:import_template")
EXPORT = reverse("households:export")


# Permissions


@pytest.fixture
def owned():
    """Another county's township clerk's finished batch (with an annotated file) and finished
    export; their URLs."""
    township = factories.TownshipFactory(county=other_county())
    owner = AssignmentFactory(
        user=factories.UserFactory(username="owner_clerk"), role=Role.TOWNSHIP_STAFF,
        county=None, township=township,
    ).user  # fmt: skip
    batch = ImportBatch.objects.create(created_by=owner, status=JobStatus.DONE, summary={})
    upload_file = ImportFile.objects.create(
        batch=batch, name="花名册.xlsx", sha256="0" * 64, size=3, content=b"abc", annotated=b"xyz"
    )
    export = RegistryExport.objects.create(
        created_by=owner, status=JobStatus.DONE, content=b"xlsx", file_name="花名册.xlsx"
    )
    urls = [
        reverse("households:import_detail", args=[batch.pk]),
        reverse("households:import_progress", args=[batch.pk]),
        reverse("households:import_annotated", args=[batch.pk, upload_file.pk]),
        reverse("households:export_detail", args=[export.pk]),
        reverse("households:export_progress", args=[export.pk]),
        reverse("households:export_download", args=[export.pk]),
    ]
    return owner, urls


def test_every_page_sends_anonymous_users_to_login(client, owned):
    # given nobody logged in
    _owner, urls = owned
    for url in [UPLOAD, IMPORTS, EXPORT, TEMPLATE, *urls]:
        # when a page is asked for, then the login page is offered
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url


def test_users_without_the_permissions_get_403(client, owned):
    # given a user with no registry permission
    _owner, urls = owned
    client.force_login(factories.UserFactory(username="outsider"))
    # when any page is asked for, then it is forbidden
    for url in [UPLOAD, IMPORTS, EXPORT, TEMPLATE, *urls]:
        assert client.get(url).status_code == 403, url


def test_another_clerks_batch_and_export_are_404(client, clerk, owned):
    # given a clerk who did not upload the batch nor ask for the export
    _owner, urls = owned
    batch = ImportBatch.objects.get()
    # when the clerk opens, confirms or cancels them, then they do not exist for the clerk
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert confirm(client, batch).status_code == 404
    assert client.post(reverse("households:import_cancel", args=[batch.pk])).status_code == 404


def test_the_owner_and_a_supervisor_see_the_batch(client, owned):
    # given the owner, and the county staff of the owner's county
    owner, urls = owned
    supervisor = personas.county_staff(owner.assignment.township.county)
    for user in (owner, supervisor):
        # when they open the pages, then they see them
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)


def test_history_lists_the_users_own_batches_newest_first_in_constant_queries(client, clerk, owned):
    # given two batches of the clerk's and one of another clerk's
    mine = [ImportBatch.objects.create(created_by=clerk, summary={}) for _ in range(2)]

    # when the clerk opens the history
    with CaptureQueriesContext(connection) as few:
        listed = list(client.get(IMPORTS).context["page"])

    # then only the clerk's are listed, newest first; more batches cost no more queries
    assert listed == mine[::-1]
    for batch in [ImportBatch.objects.create(created_by=clerk) for _ in range(5)]:
        ImportFile.objects.create(batch=batch, name="a.xlsx", sha256="0", size=1, content=b"a")
    with CaptureQueriesContext(connection) as many:
        assert "a.xlsx" in client.get(IMPORTS).content.decode()
    assert len(many) == len(few)


def test_navigation_offers_import_and_export_only_with_the_permissions(client, clerk):
    # given the clerk, then the menu links to both pages
    html = client.get(reverse("home")).content.decode()
    assert UPLOAD in html and EXPORT in html

    # given a user without the permissions, then it does not
    client.force_login(factories.UserFactory(username="outsider"))
    html = client.get(reverse("home")).content.decode()
    assert UPLOAD not in html and EXPORT not in html


def test_household_admin_list_links_to_import_and_export(admin_client):
    html = admin_client.get(reverse("admin:households_household_changelist")).content.decode()

    assert UPLOAD in html and EXPORT in html


# Upload and preview


def test_upload_page_shows_the_field_table_of_all_31_columns(client, clerk):
    # when the clerk opens the upload page
    html = client.get(UPLOAD).content.decode()

    # then every column is described, with its allowed values, beside a template link
    assert html.count('<th scope="row" class="text-nowrap">') == len(HEADERS) == 31
    assert "一般贫困户、低保贫困户、特困供养贫困户" in html and "是、否" in html
    assert TEMPLATE in html


def test_upload_refuses_a_file_that_is_not_a_spreadsheet(client, clerk):
    # when a Word file is uploaded
    response = upload(client, b"hello", names=("说明.docx",))

    # then the form says so and no batch is made
    assert "“说明.docx”不是支持的格式" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_refuses_files_over_the_size_limit(client, clerk, settings):
    # given a limit smaller than the file
    settings.REGISTRY_MAX_UPLOAD_BYTES = 100

    # when the file is uploaded
    response = upload(client, canonical(household_rows()))

    # then the form refuses it and no batch is made
    assert "超过了上限" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_without_a_file_asks_for_one(client, clerk):
    response = client.post(UPLOAD, {})

    assert "请选择要导入的花名册文件" in response.content.decode()


def test_valid_workbook_is_previewed_with_its_counts_and_nothing_written(client, clerk):
    # when a canonical workbook of two households is uploaded
    batch = uploaded_batch(client, two_households())
    html = page(client, batch)

    # then its page shows what would be written, and nothing is
    assert batch.status == JobStatus.PREVIEWED and batch.created_by == clerk
    assert count(html, "households-created") == "2"
    assert count(html, "members-created") == "4"
    assert count(html, "households-invalid") == "0"
    assert "东关村" in html and 'value="all_or_nothing"' in html
    assert not Household.objects.exists()


def test_preview_lists_errors_and_masks_id_numbers(client, clerk):
    # given a workbook with one household whose head's ID number is wrong
    rows = broken_id_rows("1002")

    # when it is previewed
    html = page(client, uploaded_batch(client, canonical(household_rows("1001") + rows)))

    # then the household is invalid, the error listed, and the ID number masked
    assert count(html, "households-invalid") == "1"
    assert 'id="errors"' in html and 'id="invalid-households"' in html
    assert rows[0][18] not in html
    assert rows[0][18][:6] + "********" + rows[0][18][-4:] in html


def test_preview_shows_field_changes_of_households_to_update(client, clerk):
    # given a household already imported
    confirm(client, uploaded_batch(client, canonical(household_rows("1001"))))
    rows = household_rows("1001")
    for row in rows:
        row[11], row[13] = "已脱贫", 2019

    # when a file marks it 已脱贫
    html = page(client, uploaded_batch(client, canonical(rows)))

    # then the preview shows the change from the old value to the new one
    assert count(html, "households-updated") == "1"
    assert 'class="old-value">未脱贫<' in html and 'class="new-value">已脱贫<' in html
    assert rows[0][18] not in html


# Confirm and cancel


def test_confirm_writes_the_households_and_links_to_them(client, clerk):
    # given a previewed batch
    batch = uploaded_batch(client, canonical(household_rows("1001")))

    # when the clerk writes it all
    response = confirm(client, batch)

    # then the household is written and the result links to the batch's households
    batch.refresh_from_db()
    assert response.status_code == 302 and batch.status == JobStatus.DONE
    assert batch.confirmed_by == clerk and batch.confirmed_at is not None
    assert Household.objects.get(household_number="1001").members.count() == 2
    html = page(client, batch)
    assert f"?import_batches__batch={batch.pk}" in html
    assert count(html, "households-created") == "1"


def test_admin_lists_the_households_of_a_batch_and_the_batch_on_each_household(admin_client):
    # given a written batch of two households, and a household of no batch
    batch = uploaded_batch(admin_client, two_households())
    confirm(admin_client, batch)
    other = factories.HouseholdFactory()

    # when the admin list is filtered to the batch
    changelist = reverse("admin:households_household_changelist")
    response = admin_client.get(f"{changelist}?import_batches__batch={batch.pk}")

    # then it lists the two, and each household's page names the batch
    listed = {household.household_number for household in response.context["cl"].result_list}
    assert listed == {"1001", "1002"} and other.household_number not in listed
    household = Household.objects.get(household_number="1001")
    change = admin_client.get(reverse("admin:households_household_change", args=[household.pk]))
    assert batch.get_absolute_url() in change.content.decode()


def test_writing_all_is_refused_while_a_household_is_invalid(client, clerk):
    # given a preview with an invalid household: 全部写入 is not offered
    batch = uploaded_batch(client, canonical(household_rows("1001") + broken_id_rows("1002")))
    assert 'value="all_or_nothing"' not in page(client, batch)

    # when it is posted all the same
    response = confirm(client, batch, "all_or_nothing")

    # then nothing is written and the batch waits for a valid decision
    batch.refresh_from_db()
    assert batch.status == JobStatus.PREVIEWED
    assert not Household.objects.exists()
    assert "不能全部写入" in client.get(response.url).content.decode()


def test_skipping_invalid_households_writes_the_valid_ones(client, clerk):
    batch = uploaded_batch(client, canonical(household_rows("1001") + broken_id_rows("1002")))

    confirm(client, batch, "skip_invalid")

    assert list(Household.objects.values_list("household_number", flat=True)) == ["1001"]


def test_a_double_submit_queues_the_write_once(client, clerk, monkeypatch):
    # given a previewed batch whose write has not started yet
    batch = uploaded_batch(client, canonical(household_rows("1001")))
    queued = []
    monkeypatch.setattr(tasks, "write_registry_import", Spy(queued))

    # when the form is submitted twice
    confirm(client, batch)
    response = confirm(client, batch)

    # then the write is queued once, and the second submit is told so
    assert queued == [batch.pk]
    assert "没有再次写入" in client.get(response.url).content.decode()


def test_confirming_again_after_the_write_changes_nothing(client, clerk):
    batch = uploaded_batch(client, canonical(household_rows("1001")))

    confirm(client, batch)
    confirm(client, batch)

    assert Household.objects.count() == 1 and Member.objects.count() == 2
    assert BatchHousehold.objects.filter(batch=batch).count() == 1


def test_cancel_writes_nothing_and_cannot_be_confirmed_afterwards(client, clerk):
    # given a previewed batch
    batch = uploaded_batch(client, canonical(household_rows("1001")))

    # when it is cancelled, then confirmed
    client.post(reverse("households:import_cancel", args=[batch.pk]))
    confirm(client, batch)

    # then it stays cancelled and nothing is written
    batch.refresh_from_db()
    assert batch.status == JobStatus.CANCELLED and batch.finished_at is not None
    assert not Household.objects.exists()


def test_members_absent_from_the_file_leave_only_when_ticked(client, clerk):
    # given a household of three members, and a file listing two of them
    confirm(client, uploaded_batch(client, canonical(household_rows("1001", members=3))))
    smaller = canonical(household_rows("1001", members=2))

    # when the file is written without the box ticked, then all three stay
    first = uploaded_batch(client, smaller)
    assert "同时将这些成员标记为减少" in page(client, first)
    confirm(client, first)
    assert Member.objects.current().count() == 3

    # when it is written with the box ticked, then the third leaves
    confirm(client, uploaded_batch(client, smaller), mark_left="on")
    assert Member.objects.current().count() == 2


# Progress and downloads


def test_progress_json_reports_the_running_batch(client, clerk):
    batch = ImportBatch.objects.create(
        created_by=clerk, status=JobStatus.RUNNING, stage="检查数据",
        progress_done=50, progress_total=200,
    )  # fmt: skip

    data = client.get(reverse("households:import_progress", args=[batch.pk])).json()

    assert data == {"status": "running", "status_label": "处理中", "stage": "检查数据",
                    "done": 50, "total": 200, "percent": 25, "finished": False,
                    "annotated_files": []}  # fmt: skip


def test_progress_json_lists_the_files_whose_annotated_copy_is_ready(client, clerk):
    # given a previewed file with an error, whose copy the preview task has built
    batch = uploaded_batch(client, canonical(broken_id_rows("1002")))

    data = client.get(reverse("households:import_progress", args=[batch.pk])).json()

    assert data["annotated_files"] == [batch.files.get().pk]


def test_running_batch_page_shows_a_progress_bar_and_a_refresh_without_javascript(client, clerk):
    batch = ImportBatch.objects.create(created_by=clerk, status=JobStatus.QUEUED)

    html = page(client, batch)

    assert 'data-progress-url="' + reverse("households:import_progress", args=[batch.pk]) in html
    assert '<noscript><meta http-equiv="refresh"' in html and "js/registry.js" in html


def test_annotated_copy_downloads_under_the_original_name(client, clerk):
    # given a previewed file with an error: its page links to the annotated copy
    batch = uploaded_batch(client, canonical(broken_id_rows("1002")))
    url = reverse("households:import_annotated", args=[batch.pk, batch.files.get().pk])
    assert url in page(client, batch)

    # when it is downloaded
    response = client.get(url)

    # then it is an .xlsx named after the upload, the Chinese name in RFC 5987 form
    assert response["Content-Type"] == XLSX
    expected = f"attachment; filename*=utf-8''{quote('花名册-错误标注.xlsx')}"
    assert response["Content-Disposition"] == expected
    assert load_workbook(io.BytesIO(response.content)).sheetnames


def test_template_is_the_contracts_header_row_only(client, clerk):
    response = client.get(TEMPLATE)

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert sheet.max_row == 1
    assert quote("花名册模板.xlsx") in response["Content-Disposition"]
