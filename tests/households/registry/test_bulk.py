"""The bulk insert of the write stage: values arrive as given, on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.db import transaction
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


def test_rows_from_a_generator_arrive_in_order_and_are_counted():
    # given a generator of rows, as the write stage hands them over
    household = factories.HouseholdFactory()
    now = timezone.now()
    rows = ([household.pk, None, "new_identification", "", "not_exited", 2000 + i,
             dt.date(2000 + i, 12, 31), f"第{i}条", None, now, "", None]
            for i in range(5000))  # fmt: skip
    # when they are inserted in bulk (more rows than one slice of the stream)
    count = insert_rows(StatusChange, EVENT_INSERT, rows)
    # then every row is stored and counted
    assert count == 5000
    reasons = StatusChange.objects.order_by("year").values_list("reason", flat=True)
    assert list(reasons) == [f"第{i}条" for i in range(5000)]


def test_an_error_while_making_the_rows_inserts_none_of_them():
    # given a generator that fails after its first few thousand rows
    household = factories.HouseholdFactory()
    now = timezone.now()

    def rows():
        for _ in range(4500):
            yield [household.pk, None, "new_identification", "", "not_exited", 2014,
                   dt.date(2014, 12, 31), "", None, now, "", None]  # fmt: skip
        raise ValueError("broken row")

    # when the insert runs in a transaction
    with pytest.raises(ValueError, match="broken row"), transaction.atomic():
        insert_rows(StatusChange, EVENT_INSERT, rows())
    # then nothing of it is stored
    assert not StatusChange.objects.exists()
