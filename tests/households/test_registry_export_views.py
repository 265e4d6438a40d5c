"""The registry export pages: choose an area, follow the build, download the workbook.

Their permission matrix is in test_registry_views.py, beside the import pages'.
"""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from households.models import JobStatus, RegistryExport
from households.registry.columns import HEADERS
from tests import factories
from tests.accounts import personas

pytestmark = pytest.mark.django_db

EXPORT = reverse("households:export")


@pytest.fixture
def exporter(client):
    """The county staff of 清河县, who may export its registry with full numbers, logged in."""
    user = personas.county_staff(factories.CountyFactory())
    client.force_login(user)
    return user


def test_export_builds_the_areas_workbook_and_downloads_it(client, exporter):
    # given a member in 清河县
    member = factories.MemberFactory(household__village__township__name="城关镇")
    county = member.household.village.township.county

    # when the county is exported with full numbers and the result downloaded
    response = client.post(EXPORT, {"area": f"county:{county.pk}", "full_ids": "on"})
    export = RegistryExport.objects.get()
    html = client.get(response.url).content.decode()
    download = client.get(reverse("households:export_download", args=[export.pk]))

    # then the workbook has the contract's header row and the member, under a dated name
    assert export.status == JobStatus.DONE and export.rows == 1 and export.created_by == exporter
    assert export.file_name.startswith("花名册-清河县-含完整证件号码-")
    assert reverse("households:export_download", args=[export.pk]) in html
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert sheet.cell(2, 19).value == member.id_number
    assert quote(export.file_name) in download["Content-Disposition"]


def test_export_of_a_village_holds_only_its_households(client, exporter):
    # given members in two villages
    member = factories.MemberFactory()
    factories.MemberFactory()

    village = member.household.village

    # when one village is exported
    response = client.post(EXPORT, {"area": f"village:{village.pk}"})

    # then only its member is in the file, and the pages name the village
    assert RegistryExport.objects.get().rows == 1
    assert str(village) in client.get(response.url).content.decode()
    assert str(village) in client.get(EXPORT).content.decode()


def test_export_area_select_groups_villages_by_township(client, exporter):
    village = factories.VillageFactory(name="东关村", township__name="城关镇")

    html = client.get(EXPORT).content.decode()

    assert '<optgroup label="城关镇">' in html
    assert f'value="village:{village.pk}"' in html and "城关镇（全乡镇）" in html


def test_export_of_an_unknown_area_is_refused(client, exporter):
    response = client.post(EXPORT, {"area": "village:999999"})

    assert response.status_code == 200 and not RegistryExport.objects.exists()


def test_unfinished_export_has_no_download(client, exporter):
    # given an export still being built
    export = RegistryExport.objects.create(created_by=exporter, status=JobStatus.RUNNING)

    # then its page shows progress, and its download does not exist yet
    html = client.get(reverse("households:export_detail", args=[export.pk])).content.decode()
    assert reverse("households:export_progress", args=[export.pk]) in html
    assert client.get(reverse("households:export_download", args=[export.pk])).status_code == 404
