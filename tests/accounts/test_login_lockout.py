"""Lockout after repeated failed logins (django-axes), by username, with a frozen clock."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.urls import reverse

from tests import factories
from tests.accounts.factories import SecurityPolicyFactory

START = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
PASSWORD = "Demo-pass-2024"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def clerk(db, clock):
    return factories.UserFactory(username="clerk")


def log_in(client, password, username="clerk", address="10.0.0.1", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, times, **kwargs):
    return [log_in(client, "wrong-password", **kwargs).status_code for _ in range(times)]


def test_the_fifth_failure_locks_the_username_with_a_chinese_page(client, clerk):
    # given five wrong passwords: the fifth already answers with the lockout page
    assert fail(client, 5) == [200, 200, 200, 200, 429]

    # when the right one is tried
    response = log_in(client, PASSWORD)

    # then the login is refused with the lockout page
    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已临时锁定" in html
    assert "连续 5 次登录失败" in html and "锁定 30 分钟" in html
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, clerk):
    fail(client, 4)

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_a_locked_username_is_refused_before_its_password_is_checked(client, clerk):
    # given a locked username
    fail(client, 5)

    # when the right password is sent again
    with mock.patch.object(ModelBackend, "authenticate") as model_backend:
        response = log_in(client, PASSWORD)

    # then the password backend (and so the hasher) never ran
    assert response.status_code == 429
    model_backend.assert_not_called()


def test_the_lock_holds_from_another_address(client, clerk):
    fail(client, 5, address="10.0.0.1")

    response = log_in(client, PASSWORD, address="10.9.9.9")

    assert response.status_code == 429


def test_failures_of_other_users_do_not_lock_the_username(client, clerk):
    # given five failures spread over other usernames from the same address
    for number in range(5):
        fail(client, 1, username=f"someone{number}")

    # when the clerk logs in from that address, it works
    assert log_in(client, PASSWORD).status_code == 302


def test_the_lock_is_released_after_thirty_minutes(client, clerk, clock):
    # given a locked username
    fail(client, 5)
    clock.shift(dt.timedelta(minutes=29))
    assert log_in(client, PASSWORD).status_code == 429

    # when thirty minutes pass after the last try
    clock.shift(dt.timedelta(minutes=31))

    # then the right password logs in again
    assert log_in(client, PASSWORD).status_code == 302


def test_failures_older_than_thirty_minutes_do_not_count(client, clerk, clock):
    # given four failures, then a pause of more than thirty minutes
    fail(client, 4)
    clock.shift(dt.timedelta(minutes=31))

    # when one more failure follows
    fail(client, 1)

    # then the username is not locked
    assert log_in(client, PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client, clerk):
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    fail(client, 5, url=reverse("admin:login"))

    response = log_in(client, PASSWORD, url=reverse("admin:login"))

    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()


def test_the_saved_security_policy_sets_the_limit(client, clerk):
    # given a policy of three failures
    SecurityPolicyFactory(failure_limit=3, lockout_minutes=60)

    # when three wrong passwords are sent
    fail(client, 3)

    # then the username is locked for sixty minutes
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "锁定 60 分钟" in response.content.decode()


def test_client_login_works_when_given_a_request(client, clerk):
    # axes needs the request: tests pass one (force_login needs nothing)
    assert client.login(request=HttpRequest(), username="clerk", password=PASSWORD)
    assert client.session["_auth_user_id"] == str(clerk.pk)
