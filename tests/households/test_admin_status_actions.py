"""动态调整 from the household's admin page: buttons, intermediate pages, and 新识别 on adding."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from households.choices import HouseholdStatus, Relation, StatusChangeKind
from households.models import BasicNeedsAssessment, Household, StatusChange
from tests import factories
from tests.accounts.factories import AssignmentFactory
from tests.households.test_admin import form_data

HOUSEHOLD_ADD = reverse("admin:households_household_add")


def change_url(household: Household) -> str:
    return reverse("admin:households_household_change", args=[household.pk])


def action_url(household: Household, action: str) -> str:
    return reverse("admin:households_household_status_action", args=[household.pk, action])


def record(**overrides) -> dict:
    """A filled-in 动态调整 form."""
    return {
        "year": "2019",
        "effective_on": "2019-12-01",
        "reason": "收入稳定超过标准，经民主评议通过",
        "approved_by": "县扶贫开发领导小组办公室",
        "approved_on": "2019-12-20",
    } | overrides


def texts_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def ready_to_exit(db):
    """A two-person household whose 2019 income and assessment allow exit."""
    head = factories.MemberFactory(name="王大山")
    factories.MemberFactory(household=head.household, relation_to_head=Relation.SPOUSE, male=False)
    factories.YearlyIncomeFactory(household=head.household, year=2019, wage_income=Decimal("9000"))
    BasicNeedsAssessment.objects.create(household=head.household, year=2019)
    return head.household


@pytest.fixture
def viewer_client(db):
    """An inspector of the county, who may look at households but not change them."""
    viewer = factories.UserFactory(username="county_inspector", is_staff=True)
    AssignmentFactory(user=viewer, role=Role.INSPECTOR)
    client = Client()
    client.force_login(viewer)
    return client


# Buttons


@pytest.mark.parametrize(
    ("status", "exit_year", "return_year", "offered"),
    [
        (HouseholdStatus.NOT_EXITED, None, None, ["标注脱贫", "清退"]),
        (HouseholdStatus.EXITED, 2019, None, ["返贫", "清退"]),
        (HouseholdStatus.RETURNED, 2018, 2019, ["标注脱贫", "清退"]),
        (HouseholdStatus.REMOVED, None, None, []),
    ],
)
def test_change_page_offers_only_the_changes_allowed_from_the_status(
    admin_client, status, exit_year, return_year, offered
):
    household = factories.HouseholdFactory(
        status=status, exit_year=exit_year, return_year=return_year
    )

    response = admin_client.get(change_url(household))

    assert [label for label, _url in response.context["status_actions"]] == offered
    html = response.content.decode()
    for label, url in response.context["status_actions"]:
        assert f'<a href="{url}" class="status-action">{label}</a>' in html


def test_change_page_offers_no_changes_to_a_user_who_may_only_view(viewer_client):
    household = factories.HouseholdFactory()

    response = viewer_client.get(change_url(household))

    assert response.status_code == 200
    assert "status_actions" not in response.context
    assert "status-action" not in response.content.decode()


# 标注脱贫


def test_mark_exited_page_defaults_to_the_current_year_and_has_breadcrumbs(
    admin_client, ready_to_exit
):
    response = admin_client.get(action_url(ready_to_exit, "mark-exited"))

    assert response.status_code == 200
    assert response.context["form"]["year"].value() == timezone.localdate().year
    html = response.content.decode()
    assert 'class="breadcrumbs"' in html and f'href="{change_url(ready_to_exit)}"' in html
    assert "王大山" in html and "csrfmiddlewaretoken" in html


def test_mark_exited_page_shows_why_the_chosen_year_would_be_refused(admin_client, ready_to_exit):
    ready_to_exit.incomes.update(wage_income=Decimal("5000"))
    ready_to_exit.assessments.update(safe_water=False)

    response = admin_client.get(action_url(ready_to_exit, "mark-exited"), {"year": "2019"})

    assert response.context["form"]["year"].value() == 2019
    assert response.context["blockers"] == [
        "2019年人均纯收入 2500.00 元未超过扶贫标准 3218.00 元",
        "未达到：饮水安全有保障",
    ]
    assert "未超过扶贫标准" in response.content.decode()


def test_mark_exited_page_says_when_the_chosen_year_meets_the_standard(admin_client, ready_to_exit):
    response = admin_client.get(action_url(ready_to_exit, "mark-exited"), {"year": "2019"})

    assert response.context["blockers"] == []
    assert "全部达标" in response.content.decode()


def test_mark_exited_records_the_event_by_the_clerk(admin_client, admin_user, ready_to_exit):
    response = admin_client.post(action_url(ready_to_exit, "mark-exited"), record())

    assert response.status_code == 302
    assert response.url == change_url(ready_to_exit)
    ready_to_exit.refresh_from_db()
    assert (ready_to_exit.status, ready_to_exit.exit_year) == (HouseholdStatus.EXITED, 2019)
    event = StatusChange.objects.get()
    assert (event.kind, event.recorded_by, event.approved_by) == (
        StatusChangeKind.MARK_EXITED,
        admin_user,
        "县扶贫开发领导小组办公室",
    )
    assert (event.effective_on, event.approved_on) == (dt.date(2019, 12, 1), dt.date(2019, 12, 20))
    assert "已办理标注脱贫（2019年）" in texts_of(response)[0]


def test_mark_exited_is_refused_with_the_blockers_and_writes_nothing(admin_client, ready_to_exit):
    ready_to_exit.incomes.update(wage_income=Decimal("5000"))
    ready_to_exit.assessments.update(safe_housing=False)

    response = admin_client.post(action_url(ready_to_exit, "mark-exited"), record())

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == [
        "不符合脱贫条件：",
        "2019年人均纯收入 2500.00 元未超过扶贫标准 3218.00 元",
        "未达到：住房安全有保障",
    ]
    assert "未超过扶贫标准" in response.content.decode()
    ready_to_exit.refresh_from_db()
    assert (ready_to_exit.status, ready_to_exit.exit_year) == (HouseholdStatus.NOT_EXITED, None)
    assert not StatusChange.objects.exists() and not LogEntry.objects.exists()


def test_a_change_needs_its_reason(admin_client, ready_to_exit):
    response = admin_client.post(action_url(ready_to_exit, "mark-exited"), record(reason=""))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason"}
    assert not StatusChange.objects.exists()


# 返贫 and 清退


def test_return_from_exited_records_the_return_year(admin_client, admin_user):
    household = factories.HouseholdFactory(status=HouseholdStatus.EXITED, exit_year=2018)

    response = admin_client.post(
        action_url(household, "return"),
        record(year="2020", effective_on="2020-06-01", reason="因病返贫"),
    )

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.status, household.return_year) == (HouseholdStatus.RETURNED, 2020)
    event = StatusChange.objects.get()
    assert (event.kind, event.reason, event.recorded_by) == (
        StatusChangeKind.RETURN,
        "因病返贫",
        admin_user,
    )


def test_removal_ends_the_households_pairings(admin_client):
    pairing = factories.PairingFactory()
    household = pairing.household

    response = admin_client.post(
        action_url(household, "remove"), record(effective_on="2019-05-10", reason="识别不精准")
    )

    assert response.status_code == 302
    household.refresh_from_db()
    pairing.refresh_from_db()
    assert household.status == HouseholdStatus.REMOVED
    assert (pairing.ended_on, pairing.end_reason) == (dt.date(2019, 5, 10), "贫困户已清退")


def test_a_change_not_allowed_from_the_status_is_turned_away(admin_client):
    household = factories.HouseholdFactory()

    response = admin_client.post(action_url(household, "return"), record())

    assert response.status_code == 302 and response.url == change_url(household)
    assert texts_of(response) == ["户状态为“未脱贫”的贫困户不能办理“返贫”"]
    household.refresh_from_db()
    assert household.status == HouseholdStatus.NOT_EXITED
    assert not StatusChange.objects.exists()


def test_unknown_change_or_household_is_not_found(admin_client):
    household = factories.HouseholdFactory()

    unknown_action = admin_client.get(action_url(household, "merge"))
    unknown_household = admin_client.get(
        reverse("admin:households_household_status_action", args=[household.pk + 1, "remove"])
    )

    assert (unknown_action.status_code, unknown_household.status_code) == (404, 404)


# The history on the household page


def test_events_appear_in_the_history_on_the_household_page(admin_client, ready_to_exit):
    admin_client.post(action_url(ready_to_exit, "mark-exited"), record())
    admin_client.post(
        action_url(ready_to_exit, "return"),
        record(year="2020", effective_on="2020-06-01", reason="因灾返贫"),
    )

    response = admin_client.get(change_url(ready_to_exit))

    (history,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is StatusChange
    ]
    kinds = [form.instance.kind for form in history.forms]
    assert kinds == [StatusChangeKind.MARK_EXITED, StatusChangeKind.RETURN]
    assert "因灾返贫" in response.content.decode()


# Permissions and CSRF


def test_user_without_change_permission_is_forbidden(viewer_client, ready_to_exit):
    url = action_url(ready_to_exit, "mark-exited")

    shown = viewer_client.get(url)
    posted = viewer_client.post(url, record())

    assert (shown.status_code, posted.status_code) == (403, 403)
    ready_to_exit.refresh_from_db()
    assert ready_to_exit.status == HouseholdStatus.NOT_EXITED
    assert not StatusChange.objects.exists()


def test_anonymous_user_is_sent_to_the_login(client, ready_to_exit):
    response = client.get(action_url(ready_to_exit, "mark-exited"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_a_change_posted_without_the_csrf_token_is_refused(admin_user, ready_to_exit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(action_url(ready_to_exit, "mark-exited"), record())

    assert response.status_code == 403
    assert not StatusChange.objects.exists()


# Adding a household is its 新识别


def new_household(admin_client, **overrides) -> dict:
    """The add page's POST body for a household identified in 2016."""
    village = factories.VillageFactory()
    return form_data(admin_client.get(HOUSEHOLD_ADD)) | {
        "household_number": "130534000300001",
        "village": village.pk,
        "poverty_attribute": "ordinary",
        "main_cause": "illness",
        "identified_year": "2016",
        "identified_on": "2016-06-15",
        **overrides,
    }


def test_adding_a_household_records_its_new_identification(admin_client, admin_user):
    data = new_household(admin_client)

    response = admin_client.post(HOUSEHOLD_ADD, data)

    assert response.status_code == 302
    household = Household.objects.get(household_number="130534000300001")
    assert household.status == HouseholdStatus.NOT_EXITED
    event = household.status_changes.get()
    assert (event.kind, event.year, event.effective_on) == (
        StatusChangeKind.NEW_IDENTIFICATION,
        2016,
        dt.date(2016, 6, 15),
    )
    assert (event.reason, event.recorded_by, event.to_status) == (
        "新识别建档",
        admin_user,
        HouseholdStatus.NOT_EXITED,
    )


def test_adding_a_household_needs_the_identification_date(admin_client):
    data = new_household(admin_client, identified_on="")

    response = admin_client.post(HOUSEHOLD_ADD, data)

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"identified_on"}
    assert not Household.objects.exists() and not StatusChange.objects.exists()


def test_identification_date_must_fall_in_the_identification_year(admin_client):
    data = new_household(admin_client, identified_on="2015-12-30")

    response = admin_client.post(HOUSEHOLD_ADD, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["identified_on"] == [
        "识别日期应在识别年度（2016年）内"
    ]
    assert not Household.objects.exists()


def test_identification_date_is_asked_only_when_adding(admin_client):
    household = factories.HouseholdFactory()

    added = admin_client.get(HOUSEHOLD_ADD).context["adminform"].form
    changed = admin_client.get(change_url(household)).context["adminform"].form

    assert "identified_on" in added.fields and "identified_on" not in changed.fields
