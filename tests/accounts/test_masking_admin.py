"""Identifiers masked on admin pages: lists, change forms, inlines and read-only displays."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from households.masking import mask_id_number, mask_phone
from tests import factories
from tests.accounts.admin_world import build_world, client_for, make_persona
from tests.households.test_admin import form_data

pytestmark = pytest.mark.django_db

BUTTON = "显示完整号码"


@pytest.fixture
def world():
    return build_world()


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def list_url(model_name: str) -> str:
    app = "cadres" if model_name in ("cadre", "helpingunit") else "households"
    return reverse(f"admin:{app}_{model_name}_changelist")


def test_lists_show_identifiers_masked(world):
    # given county staff, who may reveal
    client = client_for(make_persona("county_staff", world))
    here = world["here"]
    member, household, cadre = (
        here["households.member"],
        here["households.household"],
        here["cadres.cadre"],
    )

    # when the member, household and cadre lists are opened
    pages = "".join(
        client.get(list_url(name)).content.decode() for name in ("member", "household", "cadre")
    )

    # then no full number is on them, only the masked forms
    assert member.id_number not in pages and household.phone not in pages
    assert mask_id_number(member.id_number) in pages and mask_phone(cadre.phone) in pages


def test_household_page_masks_numbers_without_a_reveal_button_for_township_staff(world):
    # given township staff, who may edit but never reveal
    client = client_for(make_persona("township_staff", world))
    household, member = world["here"]["households.household"], world["here"]["households.member"]

    # when the household's page, with its member inline, is opened
    page = client.get(change_url(household)).content.decode()

    # then the phone and the member's ID number are masked, with nothing to reveal them
    assert household.phone not in page and member.id_number not in page
    assert mask_phone(household.phone) in page and mask_id_number(member.id_number) in page
    assert BUTTON not in page


def test_a_masked_number_posted_back_by_a_user_who_may_not_reveal_changes_nothing(world):
    # given township staff on a household's page
    client = client_for(make_persona("township_staff", world))
    household, member = world["here"]["households.household"], world["here"]["households.member"]
    page = client.get(change_url(household))
    data = form_data(page) | {"phone": "13900000000", "members-0-id_number": "11010119900307663X"}

    # when they post other numbers than the stored ones
    response = client.post(change_url(household), data)

    # then the page saves but the numbers stay as they were
    assert response.status_code == 302
    household.refresh_from_db()
    member.refresh_from_db()
    assert household.phone == "13812345678"
    assert member.id_number == world["here"]["households.member"].id_number


def test_county_staff_see_numbers_masked_with_a_reveal_button(world):
    # given county staff
    client = client_for(make_persona("county_staff", world))
    member = world["here"]["households.member"]

    # when the member's page is opened
    page = client.get(change_url(member)).content.decode()

    # then the number is masked in a read-only input beside a reveal button, and the script loads
    assert member.id_number not in page
    assert f'value="{mask_id_number(member.id_number)}"' in page
    assert BUTTON in page and "js/reveal.js" in page
    assert reverse("reveal:value", args=["households.member", member.pk, "id_number"]) in page


def test_editing_an_id_number_is_allowed_to_revealing_roles_and_recorded(world):
    # given county staff on a member's page
    user = make_persona("county_staff", world)
    client = client_for(user)
    member = world["here"]["households.member"]
    new_number = factories.id_number_for(7, birth=dt.date(1990, 3, 7), male=True)
    data = form_data(client.get(change_url(member))) | {
        "id_number": new_number,
        "birth_date": "1990-03-07",
    }

    # when they type a new ID number and save
    response = client.post(change_url(member), data)

    # then it is saved and counts as a reveal in the audit trail
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.id_number == new_number
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.additional_data["field"]) == (user, "id_number")


def test_an_unchanged_masked_number_saves_without_a_reveal(world):
    # given county staff on a member's page, the number left masked
    client = client_for(make_persona("county_staff", world))
    member = world["here"]["households.member"]
    data = form_data(client.get(change_url(member))) | {
        "id_number": mask_id_number(member.id_number),
        "name": "改名",
    }

    # when they save another change
    response = client.post(change_url(member), data)

    # then the number stays and no reveal is recorded
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.id_number) == ("改名", world["here"]["households.member"].id_number)
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_view_only_pages_mask_numbers_and_offer_reveal_only_to_own_households(world):
    # given an inspector (never reveals) and the cadre paired with the household (reveals own)
    household, member = world["here"]["households.household"], world["here"]["households.member"]
    inspector = client_for(make_persona("inspector", world))
    cadre = client_for(make_persona("paired_cadre", world))

    # when each opens the household's page, which neither may edit
    pages = [client.get(change_url(household)).content.decode() for client in (inspector, cadre)]

    # then both see masked numbers; only the paired cadre gets reveal buttons
    for page in pages:
        assert household.phone not in page and member.id_number not in page
        assert mask_phone(household.phone) in page and mask_id_number(member.id_number) in page
    assert BUTTON not in pages[0]
    assert BUTTON in pages[1]


def test_cadre_and_unit_pages_mask_phones(world):
    # given an inspector on a cadre's and a unit's page
    client = client_for(make_persona("inspector", world))
    cadre = world["here"]["cadres.cadre"]
    unit = cadre.unit
    unit.contact_phone = "13711112222"
    unit.save()

    # when the pages are opened
    pages = (
        client.get(change_url(cadre)).content.decode()
        + client.get(change_url(unit)).content.decode()
    )

    # then the phones are masked
    assert cadre.phone not in pages and unit.contact_phone not in pages
    assert mask_phone(cadre.phone) in pages and mask_phone(unit.contact_phone) in pages
