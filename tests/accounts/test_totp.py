"""TOTP second factor: required for the administrator roles, optional for everyone else."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests import factories
from tests.accounts.factories import AssignmentFactory, TOTPDeviceFactory
from tests.accounts.logins import force_login_verified

START = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
HOME = reverse("home")
VERIFY = reverse("accounts:totp_verify")
SETUP = reverse("accounts:totp_setup")
PASSWORD = "Demo-pass-2024"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def auditor(db):
    return AssignmentFactory(role=Role.AUDIT_ADMIN, county=None).user


@pytest.fixture
def county_staff(db):
    return AssignmentFactory(role=Role.COUNTY_STAFF).user


def code_for(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_county_staff_need_no_second_factor(client, county_staff):
    log_in(client, county_staff)

    assert client.get(HOME).status_code == 200


def test_an_audit_administrator_without_a_device_must_set_one_up(client, auditor):
    # given an audit administrator logged in with the password only
    log_in(client, auditor)

    # when they open any page, they are held at the verify page, which sends them to set up
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2F"
    response = client.get(response.url)
    assert response.url == f"{SETUP}?next=%2F"

    # then the set-up page shows a QR code drawn inline and the secret in text
    html = client.get(response.url).content.decode()
    assert "须启用两步验证" in html
    assert re.search(r'<svg [^>]*class="segno"', html)
    assert "<img" not in html.split('data-testid="totp-qr"')[1].split("</div>")[0]
    assert client.get(reverse("admin:index")).status_code == 302


def test_confirming_the_first_code_enables_the_device_and_opens_the_application(client, auditor):
    # given the set-up page opened
    log_in(client, auditor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=auditor, confirmed=False)

    # when the code of the app is sent
    response = client.post(SETUP, {"token": code_for(device), "next": HOME})

    # then the device is confirmed and pages open
    assert response.status_code == 302 and response.url == HOME
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200


def test_an_audit_administrator_with_a_device_must_enter_its_code(client, auditor, clock):
    # given a confirmed device and a password login
    device = TOTPDeviceFactory(user=auditor)
    log_in(client, auditor)
    assert client.get(HOME).url == f"{VERIFY}?next=%2F"

    # when a wrong code is sent, the page says so and the user stays held
    response = client.post(VERIFY, {"token": "000000", "next": HOME})
    assert "验证码不正确" in response.content.decode()
    assert client.get(HOME).status_code == 302

    # when the right code is sent (after the throttle's wait), the application opens
    clock.shift(dt.timedelta(seconds=31))
    response = client.post(VERIFY, {"token": code_for(device), "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_a_password_alone_cannot_add_a_second_device(client, auditor):
    # given a user with a device, logged in with the password only
    TOTPDeviceFactory(user=auditor)
    log_in(client, auditor)

    # when they try to set up another one, they are sent to verify first
    assert client.get(SETUP).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=auditor).count() == 1


def test_the_verify_page_refuses_an_outside_next_address(client, auditor):
    device = TOTPDeviceFactory(user=auditor)
    log_in(client, auditor)

    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example/"})

    assert response.url == HOME


def test_any_user_may_turn_on_the_second_factor_and_is_then_asked_for_it(client, county_staff):
    # given county staff who set up a device
    log_in(client, county_staff)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=county_staff)
    client.post(SETUP, {"token": code_for(device)})

    # when they log in again
    client.logout()
    log_in(client, county_staff)

    # then the code is asked for
    assert client.get(HOME).url == f"{VERIFY}?next=%2F"


def test_force_login_verified_lets_tests_open_pages_as_an_administrator(client, auditor):
    force_login_verified(client, auditor)

    assert client.get(HOME).status_code == 200


def test_a_user_without_a_role_needs_no_second_factor(client, db):
    log_in(client, factories.UserFactory())

    assert client.get(HOME).status_code == 200
