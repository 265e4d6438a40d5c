"""Password expiry: after 90 days the user must change the password before anything else."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import PasswordHistory
from tests import factories
from tests.accounts.conftest import START

CHANGE = reverse("accounts:password_change")
HOME = reverse("home")


@pytest.fixture
def clerk(db, clock):
    return factories.UserFactory(username="clerk")


def test_a_password_younger_than_90_days_lets_the_user_in(client, clerk, clock):
    # given a password set 89 days before this login
    clock.shift(dt.timedelta(days=89))
    client.force_login(clerk)

    assert client.get(HOME).status_code == 200


def test_after_90_days_every_page_leads_to_the_password_change(client, clerk, clock):
    # given a password set 91 days before this login
    clock.shift(dt.timedelta(days=91))
    client.force_login(clerk)

    # when the user opens a page
    response = client.get(HOME)

    # then they are sent to change the password, told why in Chinese
    assert response.status_code == 302
    assert response.url == f"{CHANGE}?next=%2F"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "您的密码已超过有效期，请先修改密码再继续使用。"
    ]
    assert client.get(reverse("admin:index")).status_code == 302


def test_changing_the_expired_password_opens_the_application(client, clerk, clock):
    # given an expired password
    clock.shift(dt.timedelta(days=91))
    client.force_login(clerk)
    assert client.get(CHANGE).status_code == 200

    # when the user sets a new one
    response = client.post(
        CHANGE,
        {
            "old_password": "Demo-pass-2024",
            "new_password1": "Qinghe-orchard-7",
            "new_password2": "Qinghe-orchard-7",
        },
    )

    # then the session stays logged in and the pages open again; the change is in the history
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert PasswordHistory.objects.get(user=clerk).changed_at == START + dt.timedelta(days=91)


def test_the_age_counts_from_the_last_change(client, clerk, clock):
    # given a password changed 60 days after joining
    clock.shift(dt.timedelta(days=60))
    clerk.set_password("Qinghe-orchard-7")
    clerk.save()

    # when the user logs in 120 days after joining (60 after the change)
    clock.shift(dt.timedelta(days=60))
    client.force_login(clerk)

    # then the password is still valid
    assert client.get(HOME).status_code == 200


def test_the_change_page_refuses_a_recent_password(client, clerk):
    client.force_login(clerk)

    response = client.post(
        CHANGE,
        {
            "old_password": "Demo-pass-2024",
            "new_password1": "Demo-pass-2024",
            "new_password2": "Demo-pass-2024",
        },
    )

    assert response.status_code == 200
    assert "不能使用最近 5 次用过的密码。" in response.content.decode()


def test_expiry_can_be_turned_off(client, clerk, clock, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    clock.shift(dt.timedelta(days=400))
    client.force_login(clerk)

    assert client.get(HOME).status_code == 200
