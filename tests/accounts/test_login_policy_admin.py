"""The 安全管理员 edits the single security policy row in the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

import accounts.security.admin  # noqa: F401  (registers the page until accounts/admin.py does)
from accounts.models import SecurityPolicy
from accounts.roles import Role
from tests.accounts.factories import AssignmentFactory, SecurityPolicyFactory
from tests.accounts.logins import force_login_verified


@pytest.fixture
def security_client(client, db):
    user = AssignmentFactory(role=Role.SECURITY_ADMIN, county=None, user__is_staff=True).user
    return force_login_verified(client, user)


def test_the_policy_page_is_registered():
    assert SecurityPolicy in admin.site._registry


def test_the_list_starts_the_one_row_from_the_settings(security_client):
    # when the security administrator opens the list for the first time
    response = security_client.get(reverse("admin:accounts_securitypolicy_changelist"))

    # then the one row exists with the settings' values; none can be added or deleted
    assert response.status_code == 200
    assert SecurityPolicy.objects.values(*SecurityPolicy.defaults()).get() == (
        SecurityPolicy.defaults()
    )
    assert security_client.get(reverse("admin:accounts_securitypolicy_add")).status_code == 403
    delete = reverse("admin:accounts_securitypolicy_delete", args=[1])
    assert security_client.get(delete).status_code == 403


def test_the_security_administrator_changes_a_value(security_client):
    SecurityPolicyFactory()
    change = reverse("admin:accounts_securitypolicy_change", args=[1])

    response = security_client.post(
        change, {**SecurityPolicy.defaults(), "idle_timeout_minutes": 15}
    )

    assert response.status_code == 302
    assert SecurityPolicy.objects.get().idle_timeout_minutes == 15


def test_values_below_the_floor_are_refused(security_client):
    SecurityPolicyFactory()
    change = reverse("admin:accounts_securitypolicy_change", args=[1])

    response = security_client.post(change, {**SecurityPolicy.defaults(), "failure_limit": 50})

    assert response.status_code == 200
    assert SecurityPolicy.objects.get().failure_limit == 5
