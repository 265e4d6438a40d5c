"""Idle (30 minutes) and absolute (12 hours) session timeouts, with a frozen clock."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.accounts.factories import SecurityPolicyFactory

HOME = reverse("home")
LOGIN = reverse("login")


@pytest.fixture
def clerk_client(client, db, clock):
    client.force_login(factories.UserFactory(username="clerk"))
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_session_idle_for_30_minutes_is_logged_out(clerk_client, clock):
    # given 30 minutes without a request
    clock.shift(dt.timedelta(minutes=30))

    # when the user comes back
    response = clerk_client.get(HOME)

    # then the session is over and the login page says why
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/"
    assert messages_of(response) == ["您已 30 分钟未操作，为保护数据安全已自动退出，请重新登录。"]
    assert "_auth_user_id" not in clerk_client.session
    assert "自动退出" in clerk_client.get(response.url).content.decode()


def test_activity_keeps_the_session_alive(clerk_client, clock):
    # given a request every 29 minutes for two hours
    for _ in range(4):
        clock.shift(dt.timedelta(minutes=29))
        assert clerk_client.get(HOME).status_code == 200


def test_a_session_ends_12_hours_after_login_however_active(clerk_client, clock):
    # given a user active every 20 minutes
    for _ in range(12 * 3 - 1):
        clock.shift(dt.timedelta(minutes=20))
        assert clerk_client.get(HOME).status_code == 200

    # when the twelfth hour is reached
    clock.shift(dt.timedelta(minutes=20))
    response = clerk_client.get(HOME)

    # then the session is over
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert messages_of(response) == ["本次登录已超过 12 小时，为保护数据安全请重新登录。"]
    assert "_auth_user_id" not in clerk_client.session


def test_the_timeouts_follow_the_saved_policy_from_the_next_login(client, db, clock):
    # given a policy of 10 idle minutes, saved before the login
    SecurityPolicyFactory(idle_timeout_minutes=10)
    client.force_login(factories.UserFactory())

    # when the user is idle for 10 minutes
    clock.shift(dt.timedelta(minutes=10))

    # then they are logged out
    assert messages_of(client.get(HOME)) == [
        "您已 10 分钟未操作，为保护数据安全已自动退出，请重新登录。"
    ]


def test_pages_read_the_limits_from_the_session_without_queries_of_their_own(clerk_client, clock):
    # given two pages opened within the same minute
    with CaptureQueriesContext(connection) as queries:
        clerk_client.get(HOME)
        clock.shift(dt.timedelta(seconds=50))
        clerk_client.get(HOME)

    # then neither wrote the session nor read a security table
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if sql.startswith(("UPDATE", "INSERT"))]
    security_tables = ("accounts_passwordhistory", "accounts_securitypolicy", "otp_totp")
    assert not [sql for sql in statements if any(table in sql for table in security_tables)]
