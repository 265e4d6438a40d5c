"""The home dashboard, login and logout, with every figure on the page checked against the ORM."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.roles import Role
from households.choices import Cause, HouseholdStatus, PovertyAttribute
from households.models import County, Household, Member
from tests import factories
from tests.accounts import personas
from tests.accounts.factories import AssignmentFactory
from tests.accounts.logins import force_login_verified
from tests.builders import add_households, small_county

PASSWORD = "Demo-pass-2024"  # the factories' password


class _TableReader(HTMLParser):
    """Collect the text of each body and footer row of one table: [[cell, cell, ...], ...]."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.in_head, self.rows = table_id, False, False, []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "thead":
            self.in_head = True
        elif self.inside and not self.in_head and tag == "tr":
            self.rows.append([])
        elif self.inside and not self.in_head and tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "thead":
            self.in_head = False

    def handle_data(self, data):
        if self.inside and not self.in_head and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data.strip()


def table_rows(html: str, table_id: str) -> list[list[str]]:
    reader = _TableReader(table_id)
    reader.feed(html)
    assert reader.rows, f"no table #{table_id} on the page"
    return reader.rows


def figure(html: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}"[^>]*>([\d,]+)<', html)
    assert match, f"no figure {name} on the page"
    return int(match.group(1).replace(",", ""))


def counts(households) -> list[str]:
    """户数 and 人数 as the page prints them, counted directly."""
    persons = Member.objects.filter(household__in=households, left_on__isnull=True).count()
    return [str(households.count()), str(persons)]


@pytest.fixture
def user(db):
    return factories.UserFactory(username="clerk", first_name="王", last_name="")


@pytest.fixture
def county(db):
    return small_county(today=timezone.localdate())


@pytest.fixture
def staff(user, county):
    """The clerk as county staff of the small county: the home page shows the whole county."""
    AssignmentFactory(user=user, role=Role.COUNTY_STAFF, county=County.objects.get())
    return user


@pytest.fixture
def home_html(client, staff) -> str:
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    # when
    response = client.get(reverse("home"))

    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_page_is_in_chinese(client, db):
    # when
    html = client.get(reverse("login")).content.decode()

    # then
    assert '<html lang="zh-Hans">' in html
    for label in ("精准扶贫业务管理平台", "用户名", "密码", "登录"):
        assert label in html
    assert "bootstrap/css/bootstrap.min.css" in html
    assert "<script>" not in html  # inline scripts would break the coming strict CSP


def test_login_form_signs_in_and_goes_home(client, user):
    # when
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_a_chinese_error(client, user):
    # when
    response = client.post(reverse("login"), {"username": "clerk", "password": "wrong-pass-1"})

    # then
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_logout_signs_out(client, user):
    # given
    client.force_login(user)

    # when
    response = client.post(reverse("logout"))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_home_shows_the_user_and_a_logout_form(home_html):
    assert "全县概况" in home_html
    assert 'data-testid="current-user">王<' in home_html
    assert f'action="{reverse("logout")}"' in home_html
    assert 'method="post"' in home_html


def test_headline_figures_equal_direct_counts(home_html):
    in_casework = Household.objects.exclude(status=HouseholdStatus.REMOVED)
    persons = Member.objects.filter(household__in=in_casework, left_on__isnull=True)
    assert figure(home_html, "households") == in_casework.count() == 6
    assert figure(home_html, "persons") == persons.count() == 15
    assert figure(home_html, "removed-households") == 1
    assert figure(home_html, "not-exited-households") == 3
    assert figure(home_html, "exited-households") == 2
    assert (figure(home_html, "poor-villages"), figure(home_html, "exited-villages")) == (3, 2)
    assert figure(home_html, "active-cadres") == 2
    assert figure(home_html, "serving-first-secretaries") == 1
    assert figure(home_html, "open-rectifications") == 4
    assert figure(home_html, "overdue-rectifications") == 2


def test_township_table_equals_direct_counts(home_html, county):
    # when
    rows = table_rows(home_html, "township-status")

    # then: one row per township, then the totals row
    expected = []
    for township in (county.east, county.west, county.south):
        in_township = Household.objects.filter(village__township=township)
        cells = [counts(in_township.filter(status=status)) for status in HouseholdStatus.values]
        expected.append([township.name, *sum(cells, []), *counts(in_township)])
    totals = [counts(Household.objects.filter(status=status)) for status in HouseholdStatus.values]
    expected.append(["合计", *sum(totals, []), *counts(Household.objects.all())])
    assert rows == expected
    assert rows[-1][-2:] == ["7", "17"]


@pytest.mark.parametrize(
    ("table_id", "field_name", "choices"),
    [("by-cause", "main_cause", Cause), ("by-attribute", "poverty_attribute", PovertyAttribute)],
)
def test_share_tables_equal_direct_counts(home_html, table_id, field_name, choices):
    # when
    rows = table_rows(home_html, table_id)

    # then: label, 户数, 人数, share; removed households are left out
    in_casework = Household.objects.exclude(status=HouseholdStatus.REMOVED)
    by_label = {row[0]: row[1:] for row in rows}
    for value, label in choices.choices:
        households, persons = counts(in_casework.filter(**{field_name: value}))
        share = f"{100 * int(households) / in_casework.count():.1f}%"
        assert by_label[label] == [households, persons, share], label
    assert by_label["合计"] == [*counts(in_casework), ""]


def test_home_runs_the_same_few_queries_for_a_bigger_county(
    client, staff, django_assert_max_num_queries
):
    # given
    client.force_login(staff)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))

    # when
    add_households(30)
    # 13: the session and user, the role with its area (one query), and the figures.
    with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as bigger:
        client.get(reverse("home"))

    # then
    assert len(bigger) == len(small)


def test_nav_links_only_to_registered_admins(home_html):
    # The home link is always there; admin links appear as their admins get registered.
    assert f'href="{reverse("home")}"' in home_html
    for label, name in [("贫困户", "households_household"), ("督查", "inspections_inspection")]:
        try:
            url = reverse(f"admin:{name}_changelist")
        except NoReverseMatch:  # until that admin is registered
            assert f">{label}</a>" not in home_html
        else:
            assert f'href="{url}">{label}</a>' in home_html


def test_township_staff_see_their_township_only(client, county):
    # given a clerk of one township of the county
    township = Household.objects.first().village.township
    clerk = personas.township_staff(township)
    # when the home page opens
    client.force_login(clerk)
    html = client.get(reverse("home")).content.decode()
    # then its title and figures are the township's
    assert f"{township.name}概况" in html
    in_township = Household.objects.filter(village__township=township).in_casework()
    assert figure(html, "households") == in_township.count()
    assert [row[0] for row in table_rows(html, "township-status")][:-1] == [township.name]


def test_a_user_without_a_role_is_told_to_ask_for_one(client, user, county):
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "尚未分配角色" in html
    assert 'data-figure="households"' not in html


def test_the_audit_administrator_sees_no_casework(client, county):
    force_login_verified(client, personas.audit_admin())
    html = client.get(reverse("home")).content.decode()
    assert "不处理扶贫业务数据" in html
    assert 'data-figure="households"' not in html
