"""A household's history: its own entries and those of its records, on its admin pages."""

import pytest
from django.urls import reverse

from audit.selectors import household_trail
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_households_trail_includes_its_members_incomes_and_visits_but_not_others():
    # given a household with a member, an income and a visit, and another household
    member = factories.MemberFactory(name="王五")
    household = member.household
    income = factories.YearlyIncomeFactory(household=household)
    visit = factories.VisitFactory(household=household)
    other = factories.MemberFactory()

    # when the member is edited
    member.name = "王伍"
    member.save()

    # then the household's trail has every one of them and nothing of the other household
    found = {(e.content_type.model, e.object_id) for e in household_trail(household.pk)}
    assert {("household", household.pk), ("member", member.pk)} <= found
    assert {("yearlyincome", income.pk), ("visit", visit.pk)} <= found
    assert ("member", other.pk) not in found and ("household", other.household.pk) not in found


def test_a_deleted_member_stays_in_the_households_trail():
    member = factories.MemberFactory()
    household, pk = member.household, member.pk

    member.delete()

    deleted = [e for e in household_trail(household.pk) if e.object_id == pk and e.action == 2]
    assert len(deleted) == 1


def test_the_household_admin_shows_its_history_on_its_page_and_its_history_page(admin_client):
    # given a member whose phone-bearing household was edited
    member = factories.MemberFactory(name="王五")
    household = member.household
    household.phone = "13900001111"
    household.save()
    member.name = "王伍"
    member.save()

    # when the household's page and its 历史 page are opened
    change = admin_client.get(reverse("admin:households_household_change", args=[household.pk]))
    history = admin_client.get(reverse("admin:households_household_history", args=[household.pk]))

    # then both list the changes, masked
    for response in (change, history):
        page = response.content.decode()
        assert response.status_code == 200
        assert "王五 → 王伍" in page and "138****5678 → 139****1111" in page
    assert "13900001111" not in history.content.decode()
