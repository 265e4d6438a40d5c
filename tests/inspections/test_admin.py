"""The inspections admin: pages render, the 逾期 filter, query counts, the 销号 rule."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.choices import RectificationStatus
from inspections.models import Rectification
from tests import factories

pytestmark = pytest.mark.django_db

PAST, FUTURE = dt.date(2019, 7, 1), dt.date(2099, 7, 1)


def result_pks(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


def rectification_form(rectification: Rectification, **changes) -> dict:
    data = {
        "finding": rectification.finding_id,
        "owner": rectification.owner,
        "owner_unit": "",
        "deadline": rectification.deadline.isoformat(),
        "status": rectification.status,
        "response": "",
        "evidence": "",
        "closed_on": "",
        "closed_by": "",
    }
    return {**data, **changes}


def test_overdue_filter_lists_open_items_past_their_deadline(admin_client):
    # given open and in-progress items past the deadline, a closed one, and one not yet due
    open_late = factories.RectificationFactory(deadline=PAST)
    working_late = factories.RectificationFactory(
        deadline=PAST, status=RectificationStatus.IN_PROGRESS
    )
    closed_late = factories.RectificationFactory(
        deadline=PAST, status=RectificationStatus.CLOSED, closed_on=dt.date(2019, 8, 1)
    )
    not_due = factories.RectificationFactory(deadline=FUTURE)
    url = reverse("admin:inspections_rectification_changelist")

    # when the list is filtered on 逾期
    overdue = admin_client.get(url, {"overdue": "yes"})
    on_time = admin_client.get(url, {"overdue": "no"})

    # then exactly the open items past their deadline are overdue, and the rest are not
    assert result_pks(overdue) == {open_late.pk, working_late.pk}
    assert result_pks(on_time) == {closed_late.pk, not_due.pk}


def test_inspection_list_counts_findings_and_open_rectifications(admin_client):
    # given an inspection with three findings: one open, one closed, one not yet assigned
    inspection = factories.InspectionFactory()
    factories.RectificationFactory(finding__inspection=inspection)
    factories.RectificationFactory(
        finding__inspection=inspection,
        status=RectificationStatus.CLOSED,
        closed_on=dt.date(2019, 8, 1),
    )
    factories.FindingFactory(inspection=inspection)

    # when the list is opened
    response = admin_client.get(reverse("admin:inspections_inspection_changelist"))

    # then the row carries both counts
    (row,) = response.context["cl"].result_list
    assert (row.finding_count, row.open_rectification_count) == (3, 1)


def changelist_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Session, user, the townships of the 乡镇 filter, the page's COUNT and rows, and the date
# hierarchy's range and dates.
RECTIFICATION_LIST_QUERIES = 7


def test_rectification_list_query_count_does_not_grow_with_rows(admin_client):
    # given a few rectifications, in different villages
    url = reverse("admin:inspections_rectification_changelist")
    factories.RectificationFactory.create_batch(2)
    few = changelist_queries(admin_client, url)

    # when many more are added
    factories.RectificationFactory.create_batch(12)
    many = changelist_queries(admin_client, url)

    # then the list runs the same, pinned number of queries
    assert few == many == RECTIFICATION_LIST_QUERIES


def test_closing_a_rectification_without_a_date_gives_a_chinese_error(admin_client):
    # given an open rectification
    rectification = factories.RectificationFactory()
    url = reverse("admin:inspections_rectification_change", args=[rectification.pk])

    # when it is set to 已销号 without a 销号日期
    response = admin_client.post(url, rectification_form(rectification, status="closed"))

    # then the form explains the rule and nothing is written
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["closed_on"] == ["整改销号必须填写销号日期"]
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_a_close_date_on_an_open_rectification_gives_a_chinese_error(admin_client):
    # given an open rectification
    rectification = factories.RectificationFactory()
    url = reverse("admin:inspections_rectification_change", args=[rectification.pk])

    # when a 销号日期 is posted while the status stays 整改中
    data = rectification_form(rectification, status="in_progress", closed_on="2019-08-01")
    response = admin_client.post(url, data)

    # then the form refuses it and nothing is written
    assert response.status_code == 200
    assert "只有已销号的整改才能填写销号日期" in response.content.decode()
    rectification.refresh_from_db()
    assert rectification.closed_on is None


def test_closing_a_rectification_with_a_date_saves_it(admin_client):
    # given an open rectification
    rectification = factories.RectificationFactory()
    url = reverse("admin:inspections_rectification_change", args=[rectification.pk])

    # when it is closed with a date
    data = rectification_form(
        rectification, status="closed", closed_on="2019-08-01", closed_by="县扶贫办王某"
    )
    response = admin_client.post(url, data)

    # then it is 销号
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert (rectification.status, rectification.closed_on) == ("closed", dt.date(2019, 8, 1))


def test_inspection_records_who_entered_it(admin_client, admin_user):
    # given a village to inspect
    village = factories.VillageFactory()

    # when an inspection is added in the admin
    response = admin_client.post(
        reverse("admin:inspections_inspection_add"),
        {
            "inspected_on": "2019-06-01",
            "kind": "unannounced",
            "inspectors": "王督查",
            "village": village.pk,
            "results-TOTAL_FORMS": 0,
            "results-INITIAL_FORMS": 0,
            "findings-TOTAL_FORMS": 0,
            "findings-INITIAL_FORMS": 0,
        },
    )

    # then it is saved with the user as 录入人
    assert response.status_code == 302
    assert village.inspections.get().recorded_by == admin_user
