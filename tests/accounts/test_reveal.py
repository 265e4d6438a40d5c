"""Revealing one full ID number or phone: who may, for which records, and that it is recorded."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.admin_world import build_world, client_for, make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def reveal_url(obj, field: str) -> str:
    return reverse("reveal:value", args=[obj._meta.label_lower, obj.pk, field])


def reveals() -> list:
    return list(LogEntry.objects.filter(action=LogEntry.Action.ACCESS))


def test_county_staff_reveal_a_members_id_number_and_it_is_recorded(world):
    # given county staff and a member of their county
    user = make_persona("county_staff", world)
    member = world["near"]["households.member"]

    # when they reveal the member's ID number
    response = client_for(user).post(reveal_url(member, "id_number"), REMOTE_ADDR="10.1.2.3")

    # then the full number comes back and the reveal is in the audit trail, without the number
    assert response.status_code == 200
    assert response.json() == {"value": member.id_number}
    assert response["Cache-Control"].startswith("max-age=0")
    [entry] = reveals()
    assert (entry.actor, entry.object_pk, entry.remote_addr) == (user, str(member.pk), "10.1.2.3")
    assert entry.additional_data["field"] == "id_number"
    assert member.id_number not in str(entry.additional_data)


def test_a_record_outside_the_area_is_a_404_and_nothing_is_recorded(world):
    # given county staff and a member of another county
    client = client_for(make_persona("county_staff", world))
    member = world["far"]["households.member"]

    # when they ask for its ID number
    response = client.post(reveal_url(member, "id_number"))

    # then it is not found and no reveal is recorded
    assert response.status_code == 404
    assert reveals() == []


@pytest.mark.parametrize("persona", ["township_staff", "inspector", "team_member"])
def test_roles_without_reveal_rights_are_refused_inside_their_area(world, persona):
    # given a role that sees identifiers masked only
    client = client_for(make_persona(persona, world))
    member = world["here"]["households.member"]

    # when it asks for a member's ID number of its area
    response = client.post(reveal_url(member, "id_number"))

    # then it is forbidden and nothing is recorded
    assert response.status_code == 403
    assert reveals() == []


def test_a_first_secretary_reveals_their_villages_households_only(world):
    # given a first secretary of the village `here`
    client = client_for(make_persona("first_secretary", world))
    own, other = world["here"]["households.household"], world["near"]["households.household"]

    # when they reveal the phone of their household and of another village's
    mine = client.post(reveal_url(own, "phone"))
    theirs = client.post(reveal_url(other, "phone"))

    # then only their own is revealed
    assert (mine.status_code, theirs.status_code) == (200, 404)
    assert mine.json()["value"] == own.phone
    assert len(reveals()) == 1


def test_a_paired_cadre_reveals_their_paired_households_but_not_cadres(world):
    # given a cadre paired with the household `here`
    user = make_persona("paired_cadre", world)
    client = client_for(user)
    paired = world["here"]["households.member"]
    unpaired = world["near"]["households.member"]
    cadre = world["here"]["cadres.cadre"]

    # when they reveal IDs of a paired and an unpaired household, and a cadre's phone
    codes = [
        client.post(reveal_url(paired, "id_number")).status_code,
        client.post(reveal_url(unpaired, "id_number")).status_code,
        client.post(reveal_url(cadre, "phone")).status_code,
    ]

    # then only their own household's number is revealed
    assert codes == [200, 404, 403]


def test_county_staff_reveal_a_cadres_phone(world):
    cadre = world["here"]["cadres.cadre"]

    response = client_for(make_persona("county_staff", world)).post(reveal_url(cadre, "phone"))

    assert response.json() == {"value": cadre.phone}


@pytest.mark.parametrize("field", ["name", "household_number", "health"])
def test_only_identifier_fields_can_be_asked_for(world, field):
    # given county staff
    client = client_for(make_persona("county_staff", world))
    member = world["here"]["households.member"]

    # when they ask the endpoint for a field that is not a masked identifier
    response = client.post(reverse("reveal:value", args=["households.member", member.pk, field]))

    # then there is no such thing to reveal
    assert response.status_code == 404


def test_reveal_needs_a_post_a_login_and_a_csrf_token(world):
    # given a member and county staff
    member = world["here"]["households.member"]
    user = make_persona("county_staff", world)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)

    # when asked by GET, anonymously, or without a CSRF token
    codes = [
        client_for(user).get(reveal_url(member, "id_number")).status_code,
        Client().post(reveal_url(member, "id_number")).status_code,
        strict.post(reveal_url(member, "id_number")).status_code,
    ]

    # then nothing is revealed
    assert codes == [405, 403, 403]
    assert reveals() == []


def test_a_user_without_a_role_is_told_nothing(world):
    client = client_for(make_persona("outsider", world))
    household = factories.HouseholdFactory()

    response = client.post(reveal_url(household, "phone"))

    assert response.status_code == 404
