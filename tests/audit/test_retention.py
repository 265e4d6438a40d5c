"""Retention: entries older than AUDIT_RETENTION_DAYS leave, through the command only."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from audit.checks import check_retention
from tests.audit.factories import LogEntryFactory

pytestmark = pytest.mark.django_db


def aged(days):
    entry = LogEntryFactory()
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - dt.timedelta(days=days))
    return entry


def test_the_purge_deletes_only_entries_older_than_the_retention(settings):
    # given a retention of 200 days and entries of 10, 199 and 201 days
    settings.AUDIT_RETENTION_DAYS = 200
    recent, kept, old = aged(10), aged(199), aged(201)

    # when the command runs
    call_command("purge_audit_trail")

    # then only the 201-day-old entry is gone
    remaining = set(LogEntry.objects.values_list("pk", flat=True))
    assert {recent.pk, kept.pk} <= remaining and old.pk not in remaining


def test_the_default_retention_is_three_years(settings):
    del settings.AUDIT_RETENTION_DAYS
    kept, old = aged(3 * 365 - 1), aged(3 * 365 + 1)

    call_command("purge_audit_trail")

    assert LogEntry.objects.filter(pk=kept.pk).exists()
    assert not LogEntry.objects.filter(pk=old.pk).exists()


def test_a_retention_under_180_days_is_refused_by_the_command_and_the_checks(settings):
    # given a retention of 90 days
    settings.AUDIT_RETENTION_DAYS = 90
    entry = aged(100)

    # then the command refuses and deletes nothing, and the system check reports it
    with pytest.raises(CommandError, match="至少应保存 180 天"):
        call_command("purge_audit_trail")
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert [error.id for error in check_retention()] == ["audit.E001"]
    settings.AUDIT_RETENTION_DAYS = 180
    assert check_retention() == []
