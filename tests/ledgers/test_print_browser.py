"""Real-browser test: Chromium prints a household's booklet and its 明白卡 to PDF."""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.accounts import personas
from tests.ledgers.builders import make_household_with_ledger_data
from tests.test_browser import ARTIFACTS, chromium_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _print(page: Page, url: str, name: str) -> PdfReader:
    """Open a print page, press its 打印 button, then print it to PDF as the dialog would."""
    page.goto(url)
    # The button calls window.print() from a static file; headless Chromium has no dialog.
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="打印").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    page.screenshot(path=ARTIFACTS / f"{name}.png")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    """The PDF's text without white space: a table cell's text may wrap over lines."""
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _is_landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def test_the_booklet_and_the_card_print_to_pdf_with_the_head_and_the_measures(live_server):
    # given a first secretary and a household of their village with measures
    household = make_household_with_ledger_data()
    secretary = personas.first_secretary(household.village)
    ARTIFACTS.mkdir(exist_ok=True)

    with chromium_page(viewport={"width": 1280, "height": 900}) as (page, failures):
        log_in(page, live_server.url, secretary.username)

        # when
        booklet = _print(
            page,
            live_server.url + reverse("ledgers:household_print", args=[household.pk]),
            "ledger-booklet",
        )
        card = _print(
            page,
            live_server.url + reverse("ledgers:household_card", args=[household.pk]),
            "ledger-card",
        )

        # then: the booklet runs over many A4 sheets, wide tables on landscape ones
        text = _text(booklet)
        sections = ("一、家庭基本情况", "八、帮扶措施", "十、走访记录", "十二、签字确认")
        measures = ("安排公益性岗位：护林员", "发展养殖：肉牛2头", "儿子外出务工收入稳定")
        for expected in ("王大山", *sections, *measures):
            assert expected in text, expected
        assert "13812345678" not in text and "138****5678" in text
        assert len(booklet.pages) >= 12
        assert any(_is_landscape(sheet) for sheet in booklet.pages)
        assert not _is_landscape(booklet.pages[0])
        # and the 明白卡 is one portrait page
        text = _text(card)
        for expected in ("精准扶贫明白卡", "王大山", "安排公益性岗位：护林员", "陈红梅", "周明"):
            assert expected in text, expected
        assert len(card.pages) == 1 and not _is_landscape(card.pages[0])
        assert failures == []
