"""Roles and areas on the registry pages: a township clerk imports, exports and sees only the
township's; full numbers only for county roles, and every export recorded (issue 5)."""

import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from python_calamine import CalamineWorkbook

from households.models import Household, ImportBatch, RegistryExport
from households.registry import pipeline
from tests import factories
from tests.accounts import personas
from tests.households.registry.workbooks import canonical, household_rows
from tests.households.registry_pages import confirm, page, uploaded_batch

pytestmark = pytest.mark.django_db
EXPORT = reverse("households:export")


@pytest.fixture
def county():
    """清河县: 城关镇 (东关村) and 河口镇 (河口村, with household 2001 of 赵六 stored)."""
    county = factories.CountyFactory()
    east = factories.VillageFactory(name="东关村", township__name="城关镇", township__county=county)
    river = factories.VillageFactory(
        name="河口村", township__name="河口镇", township__county=county
    )
    rows = household_rows("2001", township="河口镇", village="河口村", head="赵六",
                          first_sequence=61)  # fmt: skip
    pipeline.run([("河口镇.xlsx", canonical(rows))])
    return county, east, river


@pytest.fixture
def clerk(client, county):
    """The 城关镇 township clerk, logged in."""
    user = personas.township_staff(county[1].township)
    client.force_login(user)
    return user


def calamine(content: bytes, sheet: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(sheet).to_python()


def exports_recorded() -> list[dict]:
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")
    return [entry.additional_data for entry in entries]


# Import


def test_a_township_clerk_cannot_import_another_townships_household(client, clerk):
    # given a file with a household of 城关镇 and one of 河口镇
    rows = household_rows("1001") + household_rows(
        "1002", township="河口镇", village="河口村", first_sequence=21
    )

    # when the 城关镇 clerk uploads it and writes the valid households
    batch = uploaded_batch(client, canonical(rows))
    html = page(client, batch)
    confirm(client, batch, policy="skip_invalid")

    # then the preview shows the row error, and nothing of 河口镇's household is written
    assert "该户属于河口镇，不在您的管辖范围（城关镇）内" in html
    assert Household.objects.filter(household_number="1001").exists()
    assert not Household.objects.filter(household_number="1002").exists()


def test_a_township_clerk_cannot_update_another_townships_stored_household(client, clerk):
    # given a file that names 河口镇's household 2001 as the clerk's own, under a new head
    rows = household_rows("2001", head="钱八", first_sequence=61)

    # when the clerk uploads it
    batch = uploaded_batch(client, canonical(rows))
    html = page(client, batch)
    confirm(client, batch, policy="skip_invalid")

    # then it is an error, the stored head's name is not shown, and nothing changes
    assert "户编号 2001 在系统中属于河口镇河口村" in html and "赵六" not in html
    household = Household.objects.get(household_number="2001")
    assert household.village.name == "河口村"
    assert household.members.get(relation_to_head="head").name == "赵六"


def test_the_upload_page_names_the_clerks_area(client, clerk):
    html = client.get(reverse("households:import_upload")).content.decode()

    assert "只能导入您管辖范围（<strong>城关镇</strong>）内的户" in html


# Batch pages


def test_batches_are_seen_by_their_township_and_county_but_not_by_another_township(client, county):
    # given a batch of a 城关镇 clerk and one of the county staff
    _, east, river = county
    clerk = personas.township_staff(east.township)
    staff = personas.county_staff(county[0])
    clerks_batch = ImportBatch.objects.create(created_by=clerk, summary={})
    staffs_batch = ImportBatch.objects.create(created_by=staff, summary={})

    def seen_by(user) -> list[bool]:
        client.force_login(user)
        listed = set(client.get(reverse("households:import_list")).context["page"])
        return [
            client.get(batch.get_absolute_url()).status_code == 200 and batch in listed
            for batch in (clerks_batch, staffs_batch)
        ]

    # then a colleague of the same township sees the clerk's, not the county's
    assert seen_by(personas.township_staff(east.township)) == [True, False]
    # and a clerk of another township sees neither (404), the county staff both
    assert seen_by(personas.township_staff(river.township)) == [False, False]
    client.force_login(personas.township_staff(river.township))
    assert client.get(clerks_batch.get_absolute_url()).status_code == 404
    assert seen_by(staff) == [True, True]


# Export


def test_the_export_form_offers_only_the_clerks_township_and_its_villages(client, clerk, county):
    _, east, river = county

    html = client.get(EXPORT).content.decode()

    assert f'value="township:{east.township.pk}"' in html and f'value="village:{east.pk}"' in html
    assert f'value="village:{river.pk}"' not in html and "county:" not in html
    assert "包含完整证件号码和电话" not in html


def test_exporting_another_township_or_the_county_is_404_and_creates_nothing(client, clerk, county):
    county_, _, river = county
    for area in (f"village:{river.pk}", f"township:{river.township.pk}", f"county:{county_.pk}"):
        assert client.post(EXPORT, {"area": area}).status_code == 404, area
    assert not RegistryExport.objects.exists()


def test_a_clerks_export_is_masked_even_when_full_numbers_are_forged(client, clerk, county):
    # given 河口镇's household moved into the clerk's village, with a phone
    _, east, _ = county
    household = Household.objects.get()
    Household.objects.filter(pk=household.pk).update(village=east)
    head = household.members.get(relation_to_head="head")

    # when the clerk exports the village, adding the checkbox the form does not offer them
    client.post(EXPORT, {"area": f"village:{east.pk}", "full_ids": "on"})
    export = RegistryExport.objects.get()
    content = client.get(reverse("households:export_download", args=[export.pk])).content

    # then the file, read back, holds no full ID or phone; the export is recorded as masked
    cells = "".join(str(cell) for row in calamine(content, "花名册") for cell in row)
    assert head.id_number not in cells and "13812345678" not in cells
    assert head.id_number[:6] + "********" + head.id_number[-4:] in cells
    assert [(r["full_ids"], r["rows"]) for r in exports_recorded()] == [(False, 2)]


def test_county_staff_may_export_full_numbers_and_it_is_recorded(client, county):
    # given the county staff
    client.force_login(personas.county_staff(county[0]))
    head = Household.objects.get().members.get(relation_to_head="head")

    # when they export the county with full numbers
    assert "包含完整证件号码和电话" in client.get(EXPORT).content.decode()
    client.post(EXPORT, {"area": f"county:{county[0].pk}", "full_ids": "on"})
    export = RegistryExport.objects.get()
    content = client.get(reverse("households:export_download", args=[export.pk])).content

    # then the file holds the full ID, and the trail says so
    assert head.id_number in [row[18] for row in calamine(content, "花名册")]
    assert [(r["full_ids"], r["rows"]) for r in exports_recorded()] == [(True, 2)]


def test_a_full_number_export_is_hidden_from_who_may_not_export_them(client, county):
    # given a full-number export of a user who is now a township clerk
    user = personas.township_staff(county[1].township)
    export = RegistryExport.objects.create(
        created_by=user,
        status="done",
        content=b"x",
        full_ids=True,
        file_name="花名册-城关镇-含完整证件号码.xlsx",
    )
    client.force_login(user)

    # then it is neither listed nor downloadable
    assert client.get(reverse("households:export_download", args=[export.pk])).status_code == 404
    assert list(client.get(EXPORT).context["recent"]) == []


# Public notice (公示)

NOTICE = reverse("households:notice")


def test_the_notice_of_a_village_is_masked_and_holds_no_health_or_income(client, clerk, county):
    # given household 2001 moved into the clerk's village
    _, east, river = county
    household = Household.objects.get()
    Household.objects.filter(pk=household.pk).update(village=east)
    head = household.members.get(relation_to_head="head")

    # when the clerk downloads the village's notice
    assert f'value="village:{river.pk}"' not in client.get(NOTICE).content.decode()
    response = client.post(NOTICE, {"village": f"village:{east.pk}"})

    # then it is titled, one row per household, the head's ID masked, nothing of health
    rows = calamine(response.content, "公示名单")
    assert rows[0][0] == "东关村建档立卡贫困户公示名单"
    assert rows[2] == ["序号", "乡镇", "行政村", "户编号", "户主姓名", "户主证件号码",
                       "家庭人口数", "识别标准", "贫困户属性", "户状态", "脱贫年度"]  # fmt: skip
    assert rows[3][:7] == [1.0, "城关镇", "东关村", "2001", "赵六",
                           head.id_number[:6] + "********" + head.id_number[-4:], 2.0]  # fmt: skip
    text = "".join(str(cell) for row in rows for cell in row)
    assert head.id_number not in text and "健康" not in text and "因病" not in text
    assert "3500" not in text and "13812345678" not in text
    assert [r["rows"] for r in exports_recorded()] == [1]


def test_the_notice_of_another_townships_village_is_404(client, clerk, county):
    response = client.post(NOTICE, {"village": f"village:{county[2].pk}"})

    assert response.status_code == 404 and not exports_recorded()


def test_a_first_secretary_prints_the_notice_of_their_own_village_only(client, county):
    # given the first secretary of 河口村 (who may not export the registry itself)
    _, east, river = county
    secretary = personas.first_secretary(river)
    client.force_login(secretary)
    assert not secretary.has_perm("households.export_registry")
    # when they open the notice page, only their village is offered, and its list downloads
    page = client.get(NOTICE).content.decode()
    assert f'value="village:{river.pk}"' in page and f'value="village:{east.pk}"' not in page
    response = client.post(NOTICE, {"village": f"village:{river.pk}"})
    assert response.status_code == 200
    rows = calamine(response.content, "公示名单")
    assert any("2001" in [str(cell) for cell in row] for row in rows)
    # and another village is not theirs
    assert client.post(NOTICE, {"village": f"village:{east.pk}"}).status_code == 404
