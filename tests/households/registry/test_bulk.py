"""The bulk insert of the write stage: values arrive as given, on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.utils import timezone

from households.models import BatchHousehold, StatusChange
from households.registry import pipeline
from households.registry.bulk import insert_rows
from households.registry.write import EVENT_INSERT
from tests import factories

pytestmark = pytest.mark.django_db


def test_text_with_quotes_commas_newlines_and_json_arrives_unchanged():
    # given a batch and a household, and changes full of characters a CSV or COPY must escape
    batch = pipeline.create_batch(files=[], user=None, source="command")
    household = factories.HouseholdFactory()
    changes = [{"label": 'a,"b"\n\tc\\N', "old": "", "new": None}]
    # when the row is inserted in bulk
    insert_rows(BatchHousehold, ("batch", "household", "action", "changes"),
                [[batch.pk, household.pk, "updated", changes]])  # fmt: skip
    # then it reads back exactly
    assert BatchHousehold.objects.get().changes == changes


def test_an_empty_string_stays_empty_and_none_becomes_null():
    # given an event with empty texts and missing member, approver and date
    household = factories.HouseholdFactory()
    now = timezone.now()
    row = [household.pk, None, "new_identification", "", "not_exited", 2014,
           dt.date(2014, 12, 31), "", None, now, "", None]  # fmt: skip
    # when it is inserted in bulk
    insert_rows(StatusChange, EVENT_INSERT, [row])
    # then empty stays empty and None is NULL
    event = StatusChange.objects.get()
    assert (event.member, event.from_status, event.reason) == (None, "", "")
    assert event.approved_on is None and event.recorded_by is None
    assert event.recorded_at == now and event.effective_on == dt.date(2014, 12, 31)
