"""The admin scoped to each role's area: role × area × object × action, over every admin model."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.admin_scoping import ScopedRelatedFieldListFilter
from cadres.models import Pairing
from households.admin.filters import TownshipFilter, VillageFilter
from households.models import HelpMeasure, Household, Village
from tests import factories
from tests.accounts.admin_world import (
    NEVER_DELETED,
    build_world,
    client_for,
    make_persona,
    reaches,
)

pytestmark = pytest.mark.django_db

OURS = sorted(
    (
        m
        for m in admin.site._registry
        if m._meta.app_label in {"households", "cadres", "inspections"}
    ),
    key=lambda model: model._meta.label_lower,
)
PERSONAS = [
    "county_admin",
    "county_staff",
    "township_staff",
    "first_secretary",
    "paired_cadre",
    "inspector",
    "outsider",
    "system_admin",
    "audit_admin",
]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


@pytest.fixture
def world():
    return build_world()


def test_the_world_has_a_row_of_every_admin_model(world):
    # Inline-only models (fundings, checklist results, team members) are rows of their pages.
    assert set(world["here"]) >= {model._meta.label_lower for model in OURS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_change_history_and_delete_pages_answer_by_area(world, persona):
    # given a persona working where `here` is, and rows of every model in three places
    user = make_persona(persona, world)
    client = client_for(user)
    wrong = []
    for model in OURS:
        label = model._meta.label_lower
        may_view = user.has_perm(perm(model, "view"))
        may_delete = user.has_perm(perm(model, "delete")) and label not in NEVER_DELETED
        for place, rows in world.items():
            pk = rows[label].pk
            inside = reaches(persona, label, place)
            # when each page of the row is opened
            got = (
                client.get(url(model, "change", pk)).status_code,
                client.get(url(model, "history", pk)).status_code,
                client.get(url(model, "delete", pk)).status_code,
            )
            # then a row outside the area is a 404, inside a 200, without the permission a 403
            expected = (
                (200 if inside else 404) if may_view else 403,
                200 if may_view and inside else 404,
                (200 if inside else 404) if may_delete else 403,
            )
            if got != expected:
                wrong.append((label, place, got, expected))
    assert wrong == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_changelists_list_only_rows_of_the_area(world, persona):
    # given a persona and rows of every model in three places
    user = make_persona(persona, world)
    client = client_for(user)
    wrong = []
    for model in OURS:
        label = model._meta.label_lower
        # when the model's list is opened
        response = client.get(url(model, "changelist"))
        if not user.has_perm(perm(model, "view")):
            if response.status_code != 403:
                wrong.append((label, response.status_code))
            continue
        # then it holds exactly the built rows of the persona's area
        listed = {row.pk for row in response.context["cl"].result_list}
        built = {rows[label].pk: place for place, rows in world.items()}
        expected = {pk for pk, place in built.items() if reaches(persona, label, place)}
        if listed & set(built) != expected:
            wrong.append((label, sorted(listed & set(built)), sorted(expected)))
    assert wrong == []


def test_an_unknown_id_and_an_id_outside_the_area_look_the_same(world):
    # given township staff
    client = client_for(make_persona("township_staff", world))
    far = world["far"]["households.household"]

    # when a household of another township and one that never existed are opened
    outside = client.get(url(Household, "change", far.pk))
    missing = client.get(url(Household, "change", 999999))

    # then both are a plain 404, not the admin's redirect with a message
    assert (outside.status_code, missing.status_code) == (404, 404)


def test_foreign_key_choices_offer_only_rows_of_the_area(world):
    # given township staff on the add page of a help measure
    client = client_for(make_persona("township_staff", world))

    # when the form's choices are read
    form = client.get(url(HelpMeasure, "add")).context["adminform"].form

    # then only the township's households are offered
    households = set(form.fields["household"].queryset.values_list("pk", flat=True))
    assert world["here"]["households.household"].pk in households
    assert world["near"]["households.household"].pk not in households
    assert households == set(Household.objects.filter(village=world["here"]["households.village"])
                             .values_list("pk", flat=True))  # fmt: skip


def test_autocomplete_offers_only_rows_of_the_area(world):
    # given a first secretary
    client = client_for(make_persona("first_secretary", world))

    # when the household autocomplete of a help measure is asked for every household
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "households", "model_name": "helpmeasure", "field_name": "household"},
    )

    # then only the village's households come back
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert ids == {world["here"]["households.household"].pk}


def test_saving_a_foreign_key_outside_the_area_is_refused_and_nothing_is_written(world):
    # given township staff adding a help measure
    client = client_for(make_persona("township_staff", world))
    before = HelpMeasure.objects.count()

    # when the form names a household of another township
    response = client.post(
        url(HelpMeasure, "add"),
        {
            "household": world["near"]["households.household"].pk,
            "year": 2019,
            "category": "industry",
            "status": "planned",
            "content": "养殖",
            "fundings-TOTAL_FORMS": 0,
            "fundings-INITIAL_FORMS": 0,
        },
    )

    # then the form refuses the choice and no measure is added
    assert response.status_code == 200
    assert "household" in response.context["adminform"].form.errors
    assert HelpMeasure.objects.count() == before


def test_moving_a_household_to_a_village_outside_the_area_is_refused(world):
    # given a first secretary on their household's page
    client = client_for(make_persona("first_secretary", world))
    household = world["here"]["households.household"]
    page = client.get(url(Household, "change", household.pk))
    data = _form_data(page) | {"village": world["near"]["households.village"].pk}

    # when the household is saved with another township's village
    response = client.post(url(Household, "change", household.pk), data)

    # then the village is refused and the household stays
    assert response.status_code == 200
    assert "village" in response.context["adminform"].form.errors
    household.refresh_from_db()
    assert household.village == world["here"]["households.village"]


def test_township_filters_list_only_townships_of_the_area(world):
    # given township staff and county staff
    township_client = client_for(make_persona("township_staff", world))
    county_client = client_for(make_persona("county_staff", world))

    # when the household list's township filter and the pairing list's one are read
    households = township_client.get(url(Household, "changelist"))
    pairings = county_client.get(url(Pairing, "changelist"))

    # then each offers the townships of the user's area only
    here, near = world["here"]["households.township"], world["near"]["households.township"]
    household_filter = _filter(households, TownshipFilter)
    pairing_filter = _filter(pairings, ScopedRelatedFieldListFilter)
    assert [pk for pk, _name in household_filter.lookup_choices] == [here.pk]
    assert {pk for pk, _name in pairing_filter.lookup_choices} == {here.pk, near.pk}


def _filter(response, kind):
    return next(spec for spec in response.context["cl"].filter_specs if isinstance(spec, kind))


def test_village_filter_of_another_township_lists_nothing(world):
    # given township staff asking for the villages of another township
    client = client_for(make_persona("township_staff", world))
    near = world["near"]["households.township"]

    # when the household list is filtered by that township
    response = client.get(url(Household, "changelist"), {"township": near.pk})

    # then no village of it is offered and no household listed
    specs = response.context["cl"].filter_specs
    assert not [spec for spec in specs if isinstance(spec, VillageFilter)]
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("persona", ["township_staff", "first_secretary", "paired_cadre"])
def test_household_list_query_count_does_not_grow_with_rows(world, persona):
    # given a persona and their list of households
    user = make_persona(persona, world)
    client = client_for(user)
    list_url = url(Household, "changelist")
    with CaptureQueriesContext(connection) as few:
        assert client.get(list_url).status_code == 200

    # when more households of their area are added
    village = world["here"]["households.village"]
    for household in factories.HouseholdFactory.create_batch(5, village=village):
        factories.PairingFactory(cadre=getattr(user, "cadre", None) or factories.CadreFactory(),
                                 household=household)  # fmt: skip
    client = client_for(user)
    with CaptureQueriesContext(connection) as many:
        assert client.get(list_url).status_code == 200

    # then the list costs the same number of queries
    assert len(many) == len(few)


def test_a_casework_user_cannot_link_a_cadre_to_a_login_account(world):
    # given county staff on a cadre's page (accounts are the system administrator's)
    client = client_for(make_persona("county_staff", world))
    cadre = world["here"]["cadres.cadre"]

    # when the page is opened
    form = (
        client.get(reverse("admin:cadres_cadre_change", args=[cadre.pk])).context["adminform"].form
    )

    # then the login account is not a field of the form
    assert "user" not in form.fields


def test_no_role_sees_nothing_even_with_a_village_of_the_same_name(world):
    # given a user without a role
    client = client_for(make_persona("outsider", world))

    # when they open the village list
    response = client.get(url(Village, "changelist"))

    # then it is forbidden
    assert response.status_code == 403


def _form_data(response) -> dict:
    from tests.households.test_admin import form_data

    return form_data(response)
