"""Entries that ordinary saves leave: who, when, from where, which fields, masked values."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from audit.registry import TRACKED
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def as_request(user, change, remote_addr="10.20.30.40"):
    """Run `change` inside a request of `user` from `remote_addr`, through auditlog's middleware."""
    request = RequestFactory().post("/", REMOTE_ADDR=remote_addr)
    request.user = user

    def view(request):
        change()
        return HttpResponse()

    AuditlogMiddleware(view)(request)


def entries_of(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def test_every_casework_model_and_the_user_are_tracked():
    # given the registry's list, then auditlog follows each model of it
    models = [apps.get_model(app, name) for app, names in TRACKED.items() for name in names]
    assert all(auditlog.contains(model) for model in [*models, get_user_model()])
    assert "Household" in TRACKED["households"] and "Rectification" in TRACKED["inspections"]


def test_a_single_edit_records_who_when_where_and_masked_old_and_new_values():
    # given a member and the county clerk editing them from 10.20.30.40
    clerk = factories.UserFactory(username="clerk")
    member = factories.MemberFactory(name="张三", id_number="130534196003120011")
    household = member.household
    new_id = "142232199001011234"

    def edit():
        member.name, member.id_number = "张叁", new_id
        member.save()
        household.phone = "13987654321"
        household.save()

    # when the edit is saved
    with time_machine.travel(NOW, tick=False):
        as_request(clerk, edit)

    # then the member's entry names the clerk, the time, the address and each change, masked
    entry = entries_of(member).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == clerk and entry.remote_addr == "10.20.30.40"
    assert entry.timestamp == NOW
    assert entry.changes["name"] == ["张三", "张叁"]
    assert entry.changes["id_number"] == ["130534********0011", "142232********1234"]
    phone = entries_of(household).last().changes["phone"]
    assert phone == ["138****5678", "139****4321"]
    assert new_id not in str(LogEntry.objects.values_list("changes", flat=True))


def test_health_disability_and_income_are_recorded_as_changed_without_their_values():
    # given a member and an income of their household
    member = factories.MemberFactory()
    income = factories.YearlyIncomeFactory(household=member.household)

    # when the health, the disability card and an income change
    member.health = "disabled"
    member.disability_card_number = member.id_number + "21"
    member.save()
    income.wage_income = Decimal("12345.00")
    income.save()

    # then the fields are named as changed, their values withheld
    changes = entries_of(member).last().changes
    assert changes["health"] == ["（已隐去）", "（已隐去）"]
    assert changes["disability_card_number"] == ["", "（已隐去）"]
    assert entries_of(income).last().changes["wage_income"] == ["（已隐去）", "（已隐去）"]
    assert "12345" not in str(entries_of(income).values_list("changes", flat=True))


def test_a_new_household_records_its_values_with_the_phone_masked():
    # when a household is created
    household = factories.HouseholdFactory(phone="13812345678")

    # then its creation is recorded with every value, the phone masked
    entry = entries_of(household).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes["phone"] == ["None", "138****5678"]
    assert entry.changes["household_number"][1] == household.household_number


def test_a_password_change_is_not_recorded_but_other_user_fields_are():
    # given a user
    user = factories.UserFactory(first_name="伟")

    # when the password and the name change
    user.set_password("an0ther-Secret!")
    user.first_name = "伟明"
    user.save()

    # then the trail has the name, never the password hash
    changes = entries_of(user).last().changes
    assert changes == {"first_name": ["伟", "伟明"]}


def test_a_role_assignment_is_recorded():
    # given a user given the county staff role
    from tests.accounts.factories import AssignmentFactory

    assignment = AssignmentFactory(role="county_staff", county=factories.CountyFactory())

    # then the assignment's creation names the role
    entry = entries_of(assignment).get()
    assert entry.action == LogEntry.Action.CREATE and entry.changes["role"][1] == "county_staff"
