"""Factories of accounts, roles and the security apps' records (axes lockouts, TOTP devices)."""

import datetime as dt

import factory

from accounts.models import Assignment
from accounts.roles import Role
from tests import factories


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A county staff role by default; pass role= and the matching area for others."""

    class Meta:
        model = Assignment

    user = factory.SubFactory(factories.UserFactory)
    role = Role.COUNTY_STAFF
    county = factory.SubFactory(factories.CountyFactory)


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "axes.AccessAttempt"

    username = factory.Sequence(lambda n: f"user{n}")
    ip_address = "10.0.0.1"
    user_agent = "Mozilla/5.0"
    path_info = "/login/"
    get_data = ""
    post_data = ""
    http_accept = "*/*"
    failures_since_start = 3


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "axes.AccessLog"

    username = factory.Sequence(lambda n: f"user{n}")
    ip_address = "10.0.0.1"
    user_agent = "Mozilla/5.0"
    path_info = "/login/"
    http_accept = "*/*"
    attempt_time = factory.LazyFunction(lambda: dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))


class AccessFailureLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "axes.AccessFailureLog"

    username = factory.Sequence(lambda n: f"user{n}")
    ip_address = "10.0.0.1"
    user_agent = "Mozilla/5.0"
    path_info = "/login/"
    http_accept = "*/*"
    attempt_time = factory.LazyFunction(lambda: dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
    locked_out = False


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "otp_totp.TOTPDevice"

    user = factory.SubFactory(factories.UserFactory)
    name = "手机令牌"
    confirmed = True


ADMIN_FACTORIES = {
    "accounts.Assignment": AssignmentFactory,
    "axes.AccessAttempt": AccessAttemptFactory,
    "axes.AccessLog": AccessLogFactory,
    "axes.AccessFailureLog": AccessFailureLogFactory,
    "otp_totp.TOTPDevice": TOTPDeviceFactory,
}


class SecurityPolicyFactory(factory.django.DjangoModelFactory):
    """The singleton policy row, with the settings' values."""

    class Meta:
        model = "accounts.SecurityPolicy"
        django_get_or_create = ("id",)

    id = 1
    failure_limit = 5
    lockout_minutes = 30
    password_min_length = 10
    password_min_classes = 3
    password_history = 5
    password_max_age_days = 90
    idle_timeout_minutes = 30
    absolute_timeout_hours = 12


ADMIN_FACTORIES["accounts.SecurityPolicy"] = SecurityPolicyFactory
