"""The admin's import and export of areas and poverty lines: who may, which rows, recorded."""

from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry

from households.models import PovertyLine, Township, Village
from households.resources import PovertyLineResource
from tests import factories
from tests.accounts import personas
from tests.admin_import_export import (
    admin_url,
    buttons,
    client_for,
    confirm,
    export_rows,
    preview,
    row_errors,
)

pytestmark = pytest.mark.django_db

VILLAGE_HEADERS = ["县（市、区）", "乡（镇）", "行政村", "区划代码", "贫困村"]
TOWNSHIP_HEADERS = ["县（市、区）", "乡（镇）", "区划代码"]
TABLES = (
    "households.county",
    "households.township",
    "households.village",
    "households.povertyline",
)
# (import, export) by role, as accounts.roles grants them; every other pair is (False, False).
BUTTONS = {
    "county_admin": {
        "households.township": (True, True),
        "households.village": (True, True),
        "households.povertyline": (True, True),
    },
    "county_staff": {
        "households.township": (False, True),
        "households.village": (False, True),
        "households.povertyline": (False, True),
    },
    "township_staff": {"households.village": (False, True)},
}


@pytest.fixture
def world():
    """Township `here` (village `home`) and `near` of 清河县, and township `far` of 故城县."""
    county = factories.CountyFactory()
    other = factories.CountyFactory(name="故城县", division_code="130523000000")
    here = factories.TownshipFactory(county=county, name="东关镇")
    near = factories.TownshipFactory(county=county, name="西关镇")
    far = factories.TownshipFactory(county=other, name="郑口镇")
    home = factories.VillageFactory(township=here, name="东关村")
    factories.VillageFactory(township=near, name="西关村")
    factories.VillageFactory(township=far, name="郑口村")
    return SimpleNamespace(county=county, other=other, here=here, near=near, far=far, home=home)


def persona(name: str, world):
    return {
        "county_admin": lambda: personas.county_admin(world.county),
        "county_staff": lambda: personas.county_staff(world.county),
        "township_staff": lambda: personas.township_staff(world.here),
        "first_secretary": lambda: personas.first_secretary(world.home),
        "team_member": lambda: personas.team_member(world.home),
        "paired_cadre": lambda: personas.paired_cadre(
            factories.HouseholdFactory(village=world.home)
        ),
        "inspector": lambda: personas.inspector(world.county),
        "system_admin": personas.system_admin,
    }[name]()


@pytest.mark.parametrize(
    "role",
    [
        "county_admin",
        "county_staff",
        "township_staff",
        "first_secretary",
        "team_member",
        "paired_cadre",
        "inspector",
        "system_admin",
    ],
)
def test_the_import_and_export_buttons_follow_the_role(world, role):
    # given a user of the role
    client = client_for(persona(role, world))

    # when each flat table's list is opened
    shown = {table: buttons(client, table) for table in TABLES}

    # then exactly the role's buttons are there
    assert shown == {table: BUTTONS.get(role, {}).get(table, (False, False)) for table in TABLES}


def test_a_superuser_sees_every_button_including_the_county(world, admin_client):
    assert {table: buttons(admin_client, table) for table in TABLES} == {
        table: (True, True) for table in TABLES
    }


@pytest.mark.parametrize(
    ("role", "table"),
    [
        ("township_staff", "households.village"),
        ("county_staff", "households.township"),
        ("county_staff", "households.povertyline"),
        ("county_admin", "households.county"),
        ("first_secretary", "households.village"),
    ],
)
def test_a_role_without_the_import_permission_gets_403_on_the_import_pages(world, role, table):
    # given a user whose role may not import the table
    client = client_for(persona(role, world))

    # when the import and confirm pages are asked for directly
    page = client.get(admin_url(table, "import"))
    confirmed = client.post(admin_url(table, "process_import"), {"import_file_name": "x"})

    # then both are refused
    assert (page.status_code, confirmed.status_code) == (403, 403)


def test_a_role_without_the_export_permission_gets_403_on_the_export_page(world):
    client = client_for(persona("first_secretary", world))

    assert client.get(admin_url("households.village", "export")).status_code == 403


def test_a_township_clerk_exports_only_the_villages_of_their_township(world):
    # given a township clerk of 东关镇 (the county also has 西关村, another county 郑口村)
    client = client_for(personas.township_staff(world.here))

    # when villages are exported
    rows = export_rows(client, "households.village")

    # then only 东关镇's village is in the file
    assert [(row["乡（镇）"], row["行政村"]) for row in rows] == [("东关镇", "东关村")]


def test_a_county_export_of_townships_leaves_out_other_counties_and_is_recorded(world):
    # given a county clerk of 清河县
    user = personas.county_staff(world.county)
    client = client_for(user)

    # when townships are exported
    rows = export_rows(client, "households.township")

    # then the county's townships only, and the audit trail records who exported how many rows
    assert sorted(row["乡（镇）"] for row in rows) == ["东关镇", "西关镇"]
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=user)
    assert entry.object_repr == "乡镇导出（管理后台）"
    assert entry.remote_addr == "10.1.2.3"
    assert entry.additional_data["rows"] == 2
    assert entry.additional_data["full_ids"] is False  # townships hold no personal data


def test_a_county_administrator_imports_a_village_of_their_county(world):
    # given a county administrator and a sheet with a new village of 西关镇
    client = client_for(personas.county_admin(world.county))
    row = ["清河县", "西关镇", "北关村", "130534101201", "是"]

    # when the sheet is previewed and confirmed
    previewed = preview(client, "households.village", VILLAGE_HEADERS, row)
    done = confirm(client, "households.village", previewed)

    # then the preview had no error and the village is written
    assert row_errors(previewed) == []
    assert done.status_code == 200
    assert Village.objects.filter(township=world.near, name="北关村", is_poor_village=True).exists()


def test_a_village_of_another_county_is_a_row_error_and_nothing_is_written(world):
    # given a county administrator of 清河县 and a sheet whose second row is in 故城县
    client = client_for(personas.county_admin(world.county))
    rows = [
        ["清河县", "东关镇", "南关村", "130534101202", "是"],
        ["故城县", "郑口镇", "北郑村", "130523101201", "否"],
    ]

    # when it is previewed
    previewed = preview(client, "households.village", VILLAGE_HEADERS, *rows)

    # then the second row says why, no confirm button is offered, and nothing is written
    assert row_errors(previewed) == [
        "第2行：乡（镇）“郑口镇”不在您的管辖范围（清河县）内，不能导入"
    ]
    assert "confirm_form" not in previewed.context
    assert not Village.objects.filter(name__in=["南关村", "北郑村"]).exists()


def test_a_township_of_another_county_is_a_row_error(world):
    # given a county administrator of 清河县 and a sheet adding a township to 故城县
    client = client_for(personas.county_admin(world.county))

    # when it is previewed
    previewed = preview(
        client, "households.township", TOWNSHIP_HEADERS, ["故城县", "新镇", "130523102000"]
    )

    # then the row is refused and nothing is written
    assert row_errors(previewed) == [
        "第1行：县（市、区）“故城县”不在您的管辖范围（清河县）内，不能导入"
    ]
    assert not Township.objects.filter(name="新镇").exists()


def test_an_unknown_township_is_named_in_chinese(world):
    client = client_for(personas.county_admin(world.county))

    previewed = preview(
        client,
        "households.village",
        VILLAGE_HEADERS,
        ["清河县", "郑口镇", "甲村", "130534101203", "是"],
    )

    assert row_errors(previewed) == ["清河县没有名为“郑口镇”的乡（镇）"]


def test_a_county_administrator_imports_poverty_lines(world):
    # given a county administrator and a sheet with a provincial line (a county-shared table)
    client = client_for(personas.county_admin(world.county))
    headers = PovertyLineResource().get_export_headers()  # 年度 适用省份 口径 …
    basis = dict(PovertyLine._meta.get_field("basis").choices)["operational"]

    # when it is previewed and confirmed
    previewed = preview(
        client, "households.povertyline", headers, [2021, "河北省", basis, "4200", "否", "测试"]
    )
    confirm(client, "households.povertyline", previewed)

    # then the line is written
    assert row_errors(previewed) == []
    assert PovertyLine.objects.filter(year=2021, province="河北省", amount=4200).exists()
