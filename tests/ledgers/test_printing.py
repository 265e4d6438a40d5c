"""The print pages: a household's booklet and 明白卡, a village's in one print job."""

import re
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.choices import HouseholdStatus, Relation
from households.masking import mask_id_number, mask_phone
from households.models import Household, Village
from ledgers.booklet import Booklet, Field, Kind, Row, Section, Table
from ledgers.sections import SECTIONS, col
from ledgers.views.printing import printed
from tests import factories
from tests.accounts import personas
from tests.ledgers.builders import make_household_with_ledger_data

pytestmark = pytest.mark.django_db
HOUSEHOLD_PAGES = ("ledgers:household_print", "ledgers:household_card")
VILLAGE_PAGES = ("ledgers:village_print", "ledgers:village_cards")


@dataclass
class World:
    village: Village
    mine: Household  # every ledger table filled
    neighbour: Household  # the same village
    foreign_village: Village  # another township's
    foreign: Household


def _plain(village: Village, head: str, **extra) -> Household:
    household = factories.HouseholdFactory(village=village, **extra)
    factories.MemberFactory(household=household, name=head, relation_to_head=Relation.HEAD)
    return household


@pytest.fixture
def world() -> World:
    village = factories.VillageFactory()
    foreign_village = factories.VillageFactory()  # its own township
    return World(
        village=village,
        mine=make_household_with_ledger_data(village=village),
        neighbour=_plain(village, "赵邻居"),
        foreign_village=foreign_village,
        foreign=_plain(foreign_village, "钱外村"),
    )


def _urls(household: Household, village: Village) -> list[str]:
    return [reverse(name, args=[household.pk]) for name in HOUSEHOLD_PAGES] + [
        reverse(name, args=[village.pk]) for name in VILLAGE_PAGES
    ]


def _get(client, user, url: str):
    client.force_login(user)
    return client.get(url)


# --- Who may print what ------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for url in _urls(world.mine, world.village):
        # when
        response = client.get(url)

        # then
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url


def test_users_without_a_role_get_403(client, world):
    # given
    outsider = personas.outsider()

    for url in _urls(world.mine, world.village):
        # when / then
        assert _get(client, outsider, url).status_code == 403, url


def test_the_first_secretary_prints_their_village_and_nothing_outside_it(client, world):
    # given
    secretary = personas.first_secretary(world.village)

    # then
    for url in _urls(world.mine, world.village):
        assert _get(client, secretary, url).status_code == 200, url
    for url in _urls(world.foreign, world.foreign_village):
        assert _get(client, secretary, url).status_code == 404, url


def test_a_township_clerk_gets_404_for_another_townships_village(client, world):
    # given
    clerk = personas.township_staff(world.foreign_village.township)

    # then
    for url in _urls(world.mine, world.village):
        assert _get(client, clerk, url).status_code == 404, url
    for url in _urls(world.foreign, world.foreign_village):
        assert _get(client, clerk, url).status_code == 200, url


def test_a_paired_cadre_prints_their_own_household_only(client, world):
    # given a cadre paired with `mine`, not with its neighbour
    cadre = personas.paired_cadre(world.mine)

    # then
    for name in HOUSEHOLD_PAGES:
        assert _get(client, cadre, reverse(name, args=[world.mine.pk])).status_code == 200
        assert _get(client, cadre, reverse(name, args=[world.neighbour.pk])).status_code == 404
    for name in VILLAGE_PAGES:
        response = _get(client, cadre, reverse(name, args=[world.village.pk]))
        assert response.status_code == 200
        assert "王大山" in response.text and "赵邻居" not in response.text
        foreign = reverse(name, args=[world.foreign_village.pk])
        assert _get(client, cadre, foreign).status_code == 404


# --- The booklet page ---------------------------------------------------------------------


def _booklet_page(client, world) -> str:
    secretary = personas.first_secretary(world.village)
    response = _get(client, secretary, reverse("ledgers:household_print", args=[world.mine.pk]))
    assert response.status_code == 200
    return response.text


def test_the_booklet_page_prints_every_section_title_in_order(client, world):
    # when
    html = _booklet_page(client, world)

    # then
    positions = [html.find(f">{spec.title}<") for spec in SECTIONS]
    assert -1 not in positions, [spec.title for spec in SECTIONS]
    assert positions == sorted(positions)


def test_the_booklet_page_masks_id_numbers_and_phones(client, world):
    # when
    html = _booklet_page(client, world)

    # then
    for member in world.mine.members.filter(left_on__isnull=True):
        assert member.id_number not in html
        assert mask_id_number(member.id_number) in html
    assert "13812345678" not in html and mask_phone("13812345678") in html
    assert "13822223333" not in html  # the cadre's phone


def test_the_booklet_page_prints_members_measures_and_visits(client, world):
    # when
    html = _booklet_page(client, world)

    # then
    for text in ("王大山", "李秀英", "安排公益性岗位：护林员", "发展养殖：肉牛2头",
                 "存栏肉牛2头，年增收3000元", "儿子外出务工收入稳定",
                 "户主慢性病，需按时服药"):  # fmt: skip
        assert text in html, text


def test_print_pages_have_no_inline_script_or_style(client, world):
    # given
    secretary = personas.first_secretary(world.village)

    for url in _urls(world.mine, world.village):
        # when
        html = _get(client, secretary, url).text

        # then: the CSP allows only this site's files
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and " style=" not in html, url
        assert "ledger-print.css" in html and "ledger-print.js" in html, url


def test_the_village_page_prints_its_households_and_no_other(client, world):
    # given a household of the village removed from the registry (已清退)
    removed = _plain(world.village, "孙已清退", status=HouseholdStatus.REMOVED)
    clerk = personas.county_staff(world.village.township.county)

    for name in VILLAGE_PAGES:
        # when
        html = _get(client, clerk, reverse(name, args=[world.village.pk])).text

        # then
        for household in (world.mine, world.neighbour):
            assert f'data-household="{household.household_number}"' in html, name
        assert "赵邻居" in html and "王大山" in html, name
        assert removed.household_number not in html and "孙已清退" not in html, name
        assert world.foreign.household_number not in html and "钱外村" not in html, name


def test_each_village_print_is_recorded_once_as_an_export(client, world):
    # given
    secretary = personas.first_secretary(world.village)
    client.force_login(secretary)
    before = LogEntry.objects.count()

    # when
    client.get(reverse("ledgers:village_print", args=[world.village.pk]))
    client.get(reverse("ledgers:village_cards", args=[world.village.pk]))
    client.get(reverse("ledgers:household_print", args=[world.mine.pk]))

    # then: the two village prints, masked, two households each
    entries = LogEntry.objects.order_by("pk")[before:]
    place = f"{world.village.township.name}{world.village.name}"
    assert [entry.additional_data["export"] for entry in entries] == [
        f"打印一户一册：{place}（2户）",
        f"打印明白卡：{place}（2户）",
    ]
    assert all(entry.actor == secretary for entry in entries)
    assert all(entry.additional_data["full_ids"] is False for entry in entries)


def _village_queries(client, user, households: int, name: str) -> int:
    village = factories.VillageFactory()
    for _ in range(households):
        make_household_with_ledger_data(village=village)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=[village.pk]))
    assert response.status_code == 200
    assert response.text.count('class="booklet"') + response.text.count('class="help-card"') == (
        households
    )
    return len(queries)


@pytest.mark.parametrize("name", VILLAGE_PAGES)
def test_village_pages_make_as_many_queries_for_six_households_as_for_two(client, name):
    # given
    clerk = personas.county_staff(factories.CountyFactory())

    # when
    two, six = (_village_queries(client, clerk, n, name) for n in (2, 6))

    # then
    assert two == six


# --- The 明白卡 page ----------------------------------------------------------------------


def test_the_card_page_shows_who_helps_with_what_phones_masked(client, world):
    # given
    secretary = personas.first_secretary(world.village)

    # when
    html = _get(client, secretary, reverse("ledgers:household_card", args=[world.mine.pk])).text

    # then
    for text in ("精准扶贫明白卡", "王大山", "一般贫困户", "清河县第一镇第一村二组12号",
                 "安排公益性岗位：护林员", "存栏肉牛2头，年增收3000元", "陈红梅", "周明",
                 "2020年家庭纯收入 <strong>20400.00</strong>", "户主（签字）"):  # fmt: skip
        assert text in html, text
    for phone in ("13812345678", "13822223333", "13733334444"):
        assert phone not in html and mask_phone(phone) in html


def test_the_household_admin_page_links_to_its_print_pages(client, world):
    # given
    clerk = personas.county_staff(world.village.township.county)
    url = reverse("admin:households_household_change", args=[world.mine.pk])

    # when
    html = _get(client, clerk, url).text

    # then
    assert reverse("ledgers:household_print", args=[world.mine.pk]) in html
    assert reverse("ledgers:household_card", args=[world.mine.pk]) in html
    assert "打印一户一册" in html and "打印明白卡" in html


def test_the_village_admin_page_links_to_the_village_print_pages(client, world):
    # given
    clerk = personas.county_staff(world.village.township.county)
    url = reverse("admin:households_village_change", args=[world.village.pk])

    # when
    html = _get(client, clerk, url).text

    # then
    assert reverse("ledgers:village_print", args=[world.village.pk]) in html
    assert reverse("ledgers:village_cards", args=[world.village.pk]) in html


# --- The booklet template, from a hand-made booklet ----------------------------------------


def _hand_made_booklet() -> Booklet:
    narrow = Table(
        key="visits",
        columns=(col("visited_on", "走访日期", Kind.DATE), col("findings", "发现问题", width=30)),
        rows=(Row("visit:1", ("2024-05-06", "屋顶漏雨")),),
        blank_rows=3,
    )
    wide = Table(
        key="income",
        columns=tuple(col(f"item{n}", f"收入项{n}", Kind.MONEY, width=20) for n in range(8)),
        rows=(Row("income:1", tuple(f"{n}00.00" for n in range(8))),),
    )
    sign = col("computed.sign_head", "户主（签字）")
    number = Field(col("household.household_number", "户编号"), "0001", "household:1")
    return Booklet(
        household_id=1, household_number="130534000100000001", version=1, head_name="测试户主",
        county="清河县", township="第一镇", village="第一村", year=2024,
        sections=(
            Section("cover", "扶贫手册（一户一册）", fields=(number,)),
            Section("visits", "十、走访记录", tables=(narrow,), note="走访人须填写姓名。"),
            Section("income", "四、收入情况", tables=(wide,)),
            Section("signatures", "十二、签字确认", fields=(Field(sign, "", ""),)),
        ),
    )  # fmt: skip


def test_the_booklet_template_prints_blank_rows_landscape_tables_and_signature_lines():
    # when
    html = render_to_string("ledgers/_booklet.html", {"printed": printed(_hand_made_booklet())})

    # then
    visits = html[html.index('data-section="visits"') : html.index('data-section="income"')]
    assert visits.count('class="blank-row"') == 3
    assert "屋顶漏雨" in visits and "走访人须填写姓名。" in visits
    assert 'class="ledger-section landscape" data-section="income"' in html
    assert 'class="ledger-section" data-section="visits"' in html
    assert '<td class="num">700.00</td>' in html
    assert 'class="signature-label">户主（签字）：' in html
    assert "扶贫手册（一户一册）" in html and "2024年度" in html
