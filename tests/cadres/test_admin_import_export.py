"""The admin's import and export of helping units, cadres and pairings: who, which rows, masked."""

from types import SimpleNamespace

import pytest
import tablib
from auditlog.models import LogEntry

from cadres.models import Cadre, Pairing
from cadres.resources import CadreResource, PairingResource
from households.models import Household
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

PAIRING_HEADERS = ["帮扶责任人", "责任人单位", "户编号", "结对日期", "解除日期", "解除原因"]
CADRE_HEADERS = ["姓名", "所在单位", "职级", "职务", "联系电话", "在岗"]
TABLES = ("cadres.helpingunit", "cadres.cadre", "cadres.pairing")
# (import, export) by role, as accounts.roles grants them; every other pair is (False, False).
BUTTONS = {
    "county_admin": {table: (True, True) for table in TABLES},
    "county_staff": {
        "cadres.helpingunit": (False, True),
        "cadres.cadre": (True, True),
        "cadres.pairing": (True, True),
    },
    "township_staff": {"cadres.cadre": (False, True), "cadres.pairing": (True, True)},
}


@pytest.fixture
def world():
    """A cadre of 县财政局, and a household in each of 东关镇 (`home`) and 西关镇 (`near`) of
    清河县 and 郑口镇 (`far`) of 故城县, each paired with a cadre of its own."""
    county = factories.CountyFactory()
    other = factories.CountyFactory(name="故城县", division_code="130523000000")
    here = factories.TownshipFactory(county=county, name="东关镇")
    households = {
        place: factories.HouseholdFactory(
            household_number=number, village__township=township, village__name=f"{place}村"
        )
        for place, number, township in [
            ("home", "130534000100001", here),
            ("near", "130534000200001", factories.TownshipFactory(county=county, name="西关镇")),
            ("far", "130523000300001", factories.TownshipFactory(county=other, name="郑口镇")),
        ]
    }
    for household in households.values():
        factories.PairingFactory(household=household, cadre__name=f"{household.village.name}干部")
    cadre = factories.CadreFactory(name="张伟", unit__name="县财政局", phone="13912345678")
    return SimpleNamespace(county=county, here=here, cadre=cadre, **households)


def persona(name: str, world):
    return {
        "county_admin": lambda: personas.county_admin(world.county),
        "county_staff": lambda: personas.county_staff(world.county),
        "township_staff": lambda: personas.township_staff(world.here),
        "first_secretary": lambda: personas.first_secretary(world.home.village),
        "paired_cadre": lambda: personas.paired_cadre(world.home),
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
        "paired_cadre",
        "inspector",
        "system_admin",
    ],
)
def test_the_import_and_export_buttons_follow_the_role(world, role):
    # given a user of the role
    client = client_for(persona(role, world))

    # when each table's list is opened
    shown = {table: buttons(client, table) for table in TABLES}

    # then exactly the role's buttons are there
    assert shown == {table: BUTTONS.get(role, {}).get(table, (False, False)) for table in TABLES}


@pytest.mark.parametrize(
    ("role", "table"),
    [
        ("township_staff", "cadres.cadre"),
        ("township_staff", "cadres.helpingunit"),
        ("county_staff", "cadres.helpingunit"),
        ("first_secretary", "cadres.pairing"),
        ("inspector", "cadres.pairing"),
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
    client = client_for(persona("inspector", world))

    assert client.get(admin_url("cadres.pairing", "export")).status_code == 403


def test_a_township_clerks_pairing_export_holds_only_their_townships_pairings(world):
    # given a township clerk of 东关镇 (the county and another county have pairings too)
    user = personas.township_staff(world.here)
    client = client_for(user)

    # when pairings are exported
    rows = export_rows(client, "cadres.pairing")

    # then only 东关镇's household is in the file, and the export is recorded
    assert [(row["户编号"], row["乡镇"]) for row in rows] == [("130534000100001", "东关镇")]
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=user)
    assert (entry.object_repr, entry.additional_data["rows"]) == ("结对帮扶导出（管理后台）", 1)


def test_a_township_clerks_cadre_export_masks_phones(world):
    # given a township clerk, whose role may not export full numbers
    user = personas.township_staff(world.here)

    # when cadres are exported
    rows = export_rows(client_for(user), "cadres.cadre")

    # then the county's cadres are listed with masked phones, and the record says so
    phones = {row["姓名"]: row["联系电话"] for row in rows}
    assert phones["张伟"] == "139****5678"
    assert "13912345678" not in str(rows)
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=user)
    assert entry.additional_data["full_ids"] is False


@pytest.mark.parametrize("table", ["cadres.cadre", "cadres.helpingunit"])
def test_county_staff_export_full_phones_and_the_record_says_so(world, table):
    # given county staff, whose role exports full numbers (recorded), and a unit with a phone
    world.cadre.unit.contact_phone = "13712345678"
    world.cadre.unit.save(update_fields=["contact_phone"])
    user = personas.county_staff(world.county)

    # when the table is exported
    rows = export_rows(client_for(user), table)

    # then the phones are whole and the audit entry marks the export as holding full numbers
    assert {"13912345678", "13712345678"} & {row["联系电话"] for row in rows}
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=user)
    assert entry.additional_data["full_ids"] is True


def test_a_township_clerk_imports_a_pairing_of_their_household(world):
    # given a township clerk of 东关镇 and a sheet pairing 张伟 with a 东关镇 household
    clerk = personas.township_staff(world.here)
    client = client_for(clerk)
    row = ["张伟", "县财政局", "130534000100001", "2021-03-01", "", ""]

    # when it is previewed and confirmed
    previewed = preview(client, "cadres.pairing", PAIRING_HEADERS, row)
    confirm(client, "cadres.pairing", previewed)

    # then the pairing is written, and the audit trail says who created it
    assert row_errors(previewed) == []
    pairing = Pairing.objects.get(cadre=world.cadre, household=world.home)
    entry = LogEntry.objects.get_for_object(pairing).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, clerk)


@pytest.mark.parametrize("number", ["130534000200001", "130523000300001"])
def test_a_pairing_outside_the_clerks_township_is_a_row_error_and_nothing_is_written(world, number):
    # given a township clerk of 东关镇 and a sheet whose second row names a household elsewhere
    client = client_for(personas.township_staff(world.here))
    rows = [
        ["张伟", "县财政局", "130534000100001", "2021-03-01", "", ""],
        ["张伟", "县财政局", number, "2021-03-01", "", ""],
    ]

    # when it is previewed
    previewed = preview(client, "cadres.pairing", PAIRING_HEADERS, *rows)

    # then the second row says why, no confirm button is offered, and nothing is written
    message = f"第2行：户编号“{number}”不在您的管辖范围（东关镇）内，不能导入"
    assert row_errors(previewed) == [message]
    assert message in previewed.content.decode()
    assert "confirm_form" not in previewed.context
    assert not Pairing.objects.filter(cadre=world.cadre).exists()


def test_ending_a_pairing_outside_the_clerks_township_is_refused(world):
    # given a township clerk of 东关镇 and a sheet ending 西关镇's pairing
    client = client_for(personas.township_staff(world.here))
    pairing = world.near.pairings.get()
    row = [pairing.cadre.name, pairing.cadre.unit.name, "130534000200001", "2016-03-01",
           "2022-01-01", "调岗"]  # fmt: skip

    # when it is previewed
    previewed = preview(client, "cadres.pairing", PAIRING_HEADERS, row)

    # then the row is refused and the pairing is still current
    assert row_errors(previewed) == [
        "第1行：户编号“130534000200001”不在您的管辖范围（东关镇）内，不能导入"
    ]
    pairing.refresh_from_db()
    assert pairing.ended_on is None


def test_a_household_moved_away_between_preview_and_confirm_makes_the_import_write_nothing(world):
    # given a clean preview of two pairings of 东关镇 households
    client = client_for(personas.township_staff(world.here))
    second = factories.HouseholdFactory(
        household_number="130534000100002", village=world.home.village
    )
    rows = [
        ["张伟", "县财政局", "130534000100001", "2021-03-01", "", ""],
        ["张伟", "县财政局", "130534000100002", "2021-03-01", "", ""],
    ]
    previewed = preview(client, "cadres.pairing", PAIRING_HEADERS, *rows)
    assert row_errors(previewed) == []

    # when the second household moves to 西关镇 before the clerk confirms
    Household.objects.filter(pk=second.pk).update(village=world.near.village)
    done = confirm(client, "cadres.pairing", previewed)

    # then nothing is written and the clerk is told which row failed
    assert not Pairing.objects.filter(cadre=world.cadre).exists()
    assert "第2行有错误，导入未写入任何数据" in done.content.decode()


def test_county_staff_import_cadres(world):
    # given county staff and a sheet with a new cadre of an existing unit
    client = client_for(personas.county_staff(world.county))
    row = ["李四", "县财政局", "科级", "副局长", "13800001111", "是"]

    # when it is previewed and confirmed
    previewed = preview(client, "cadres.cadre", CADRE_HEADERS, row)
    confirm(client, "cadres.cadre", previewed)

    # then the cadre is written (cadres are the county's, not an area's)
    assert row_errors(previewed) == []
    assert Cadre.objects.filter(name="李四", unit=world.cadre.unit, phone="13800001111").exists()


def test_a_masked_phone_in_an_imported_sheet_keeps_the_stored_number(world):
    # given county staff and a sheet changing 张伟's post, its phone masked as exports write it
    client = client_for(personas.county_staff(world.county))
    row = ["张伟", "县财政局", "一般干部", "副科长", "139****5678", "是"]

    # when the sheet is previewed
    previewed = preview(client, "cadres.cadre", CADRE_HEADERS, row)

    # then the masked cell means "unchanged" and confirming keeps the number
    assert row_errors(previewed) == []
    confirm(client, "cadres.cadre", previewed)
    world.cadre.refresh_from_db()
    assert (world.cadre.post, world.cadre.phone) == ("副科长", "13912345678")


def test_the_preview_names_each_errors_column_in_chinese(world):
    # given a township clerk and a sheet with an unreadable date and a pairing ending too early
    client = client_for(personas.township_staff(world.here))
    rows = [
        ["张伟", "县财政局", "130534000100001", "2021-03-01", "明年", ""],
        ["张伟", "县财政局", "130534000100001", "2021-03-01", "2020-01-01", "录错"],
    ]

    # when it is previewed
    previewed = preview(client, "cadres.pairing", PAIRING_HEADERS, *rows)

    # then the bad cell is listed under its column, the model's own rule under none
    invalid = previewed.context["result"].invalid_rows
    assert [list(row.error_dict) for row in invalid] == [["解除日期"], ["__all__"]]
    assert invalid[1].error_dict["__all__"] == ["结束日期不能早于开始日期"]
    assert not Pairing.objects.filter(cadre=world.cadre).exists()


class PairingByIdResource(PairingResource):
    """Pairings found by id: a sheet could then move a stored pairing to another household."""

    class Meta(PairingResource.Meta):
        fields = ("id", *PairingResource.Meta.fields)
        import_id_fields = ("id",)


def test_a_stored_row_outside_the_area_is_refused_even_when_the_sheet_moves_it_inside(world):
    # given 西关镇's pairing, and a sheet giving it a 东关镇 household, by a 东关镇 clerk
    pairing = world.near.pairings.get()
    sheet = tablib.Dataset(headers=["id", *PAIRING_HEADERS[:4]])
    sheet.append([pairing.pk, pairing.cadre.name, pairing.cadre.unit.name, "130534000100001",
                  "2016-03-01"])  # fmt: skip
    clerk = personas.township_staff(world.here)

    # when it is imported
    result = PairingByIdResource(user=clerk).import_data(sheet, dry_run=False)

    # then the stored row's area decides, and it stays where it was
    assert [row.error_dict for row in result.invalid_rows] == [
        {"__all__": ["第1行：该结对帮扶不在您的管辖范围（东关镇）内，不能修改"]}
    ]
    pairing.refresh_from_db()
    assert pairing.household == world.near


def test_a_role_without_add_or_change_permission_can_write_no_row(world):
    # given an inspector (who may view cadres, not add or change them) and a sheet of two cadres
    sheet = tablib.Dataset(headers=CADRE_HEADERS)
    sheet.append(["张伟", "县财政局", "一般干部", "局长", "139****5678", "是"])
    sheet.append(["王五", "县财政局", "一般干部", "科员", "", "是"])
    inspector = personas.inspector(world.county)

    # when it is imported directly through the resource
    result = CadreResource(user=inspector).import_data(sheet, dry_run=False)

    # then both rows are refused and nothing changes
    assert [row.error_dict["__all__"] for row in result.invalid_rows] == [
        ["第1行：您没有修改帮扶干部的权限"],
        ["第2行：您没有新增帮扶干部的权限"],
    ]
    world.cadre.refresh_from_db()
    assert world.cadre.post == "科员" and not Cadre.objects.filter(name="王五").exists()
