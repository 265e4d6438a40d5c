"""Shared fixtures: personas and a small county."""

import pytest

from tests import factories


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="county_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
