"""Real-browser tests: Debian's Chromium, driven by Playwright, against the live test server."""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, Response, expect, sync_playwright

from accounts.roles import Role
from households.models import County, Household, Member
from tests import factories
from tests.accounts import personas
from tests.accounts.factories import AssignmentFactory
from tests.builders import small_county

# Playwright's sync API runs an event loop in this thread; without this Django refuses ORM calls
# (the test's own and the database teardown) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "Demo-pass-2024"  # the factories' password

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@contextmanager
def chromium_page(**context_options) -> Iterator[tuple[Page, list[str]]]:
    """A page in headless Chromium, and the list of failed requests it collects."""
    if not CHROMIUM.exists():
        # Fail, not skip: CI installs Chromium, so its absence is a broken environment.
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="zh-CN", **context_options)
            yield page, watch_failures(page)
        finally:
            # ORM calls made inside Playwright's event loop get their own connection (asgiref's
            # context-local storage); close it, or it blocks dropping the PostgreSQL test database.
            connections.close_all()
            browser.close()


def watch_failures(page: Page) -> list[str]:
    """Record error responses, failed requests and script errors: a missing static file shows."""
    failures: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
    return failures


def log_in(page: Page, base_url: str, username: str = "clerk") -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/login/?next=/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base_url}/")


def test_clerk_logs_in_sees_the_county_totals_and_logs_out(live_server):
    # given
    # a long display name, as the demo's: beside it the bar once ran past the screen
    clerk = factories.UserFactory(username="clerk", first_name="演示县扶贫办业务员")
    small_county(today=timezone.localdate())
    AssignmentFactory(user=clerk, role=Role.COUNTY_STAFF, county=County.objects.get())
    households = Household.objects.exclude(status="removed")
    persons = Member.objects.filter(household__in=households, left_on__isnull=True)
    ARTIFACTS.mkdir(exist_ok=True)

    with chromium_page(viewport={"width": 1280, "height": 900}) as (page, failures):
        # when
        log_in(page, live_server.url)

        # then
        expect(page.get_by_role("heading", name="全县概况")).to_be_visible()
        expect(page.locator("[data-figure=households]")).to_have_text(str(households.count()))
        expect(page.locator("[data-figure=persons]")).to_have_text(str(persons.count()))
        expect(page.locator("#township-status tfoot td").nth(-2)).to_have_text(
            str(Household.objects.count())
        )
        # app.css was served (the brand colour) and Bootstrap's JS too (no failed requests).
        navbar_colour = page.locator("nav.app-navbar").evaluate(
            "nav => getComputedStyle(nav).backgroundColor"
        )
        assert navbar_colour == "rgb(168, 32, 26)"
        # every menu of the county staff's top bar fits laptop screens (no sideways scroll)
        for width in (1440, 1366, 1280, 1200):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        expect(page.get_by_test_id("current-user")).to_be_visible()
        page.get_by_role("button", name="一户一册", exact=True).click()
        expect(page.get_by_role("link", name="导入一户一册")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "home.png", full_page=True)

        # when the clerk logs out from the account menu under the name
        page.get_by_test_id("user-menu").click()
        expect(page.get_by_role("link", name="两步验证")).to_be_visible()
        page.get_by_role("button", name="退出登录").click()

        # then
        expect(page).to_have_url(f"{live_server.url}/login/")
        expect(page.get_by_role("button", name="登录")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "login.png")
        assert failures == []


def test_phone_sees_a_collapsed_menu_that_opens(live_server):
    # given
    clerk = factories.UserFactory(username="clerk")
    small_county(today=timezone.localdate())
    AssignmentFactory(user=clerk, role=Role.COUNTY_STAFF, county=County.objects.get())
    ARTIFACTS.mkdir(exist_ok=True)

    with chromium_page(viewport={"width": 390, "height": 844}, is_mobile=True) as (page, failures):
        log_in(page, live_server.url)
        home_link = page.locator("#main-nav").get_by_role("link", name="首页")
        expect(home_link).to_be_hidden()

        # when
        page.get_by_role("button", name="展开导航").click()

        # then: Bootstrap's bundle (a static file, no inline script) opens the menu
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
        expect(home_link).to_be_visible()
        page.get_by_test_id("user-menu").click()
        expect(page.get_by_role("button", name="退出登录")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "home-mobile.png", full_page=True)
        assert failures == []


def test_a_first_secretary_sees_only_their_village_and_cannot_open_another_by_url(live_server):
    # given a first secretary of one village, and a household in another township's village
    county = small_county(today=timezone.localdate())
    mine = county.villages[0]
    other = Household.objects.exclude(village__township=mine.township).first()
    secretary = personas.first_secretary(mine)
    own = Household.objects.filter(village=mine).in_casework()
    ARTIFACTS.mkdir(exist_ok=True)

    with chromium_page(viewport={"width": 1280, "height": 900}) as (page, failures):
        # when they log in
        log_in(page, live_server.url, secretary.username)

        # then the home page is their village's, with its figures only
        expect(page.get_by_role("heading", name=f"{mine.name}概况")).to_be_visible()
        expect(page.locator("[data-figure=households]")).to_have_text(str(own.count()))

        # when they open the household list
        page.get_by_role("link", name="贫困户", exact=True).click()

        # then only their village's households are listed
        for household in Household.objects.filter(village=mine)[:3]:
            expect(page.get_by_text(household.household_number)).to_be_visible()
        expect(page.get_by_text(other.household_number)).to_have_count(0)
        page.screenshot(path=ARTIFACTS / "secretary-households.png", full_page=True)

        # when they type another village's household into the address bar
        response = page.goto(f"{live_server.url}/admin/households/household/{other.pk}/change/")

        # then it does not exist for them, and nothing of it is shown
        assert response is not None and response.status == 404
        expect(page.get_by_text(other.household_number)).to_have_count(0)
        assert failures == [f"404 {live_server.url}/admin/households/household/{other.pk}/change/"]
