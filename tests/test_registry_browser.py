"""Real-browser test of the registry import: a messy workbook, fixed in its annotated copy, written.

Screenshots of every page, at desktop and phone widths, go to /tmp/registry-*.png (not committed).
"""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from accounts.roles import Role
from households.models import BatchHousehold, Household, ImportBatch, JobStatus, Member
from households.registry.columns import HEADERS
from tests import factories
from tests.accounts.factories import AssignmentFactory
from tests.households.registry.workbooks import household_rows, person_id, xlsx
from tests.households.registry_pages import broken_id_rows
from tests.test_browser import chromium_page, log_in  # also allows the ORM in Playwright's loop

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
SHEET = "城关镇"
HEALTH, ID = HEADERS.index("健康状况"), HEADERS.index("证件号码")
SPELLINGS = {"户编号": "户号", "证件号码": "身份证号码", "户主姓名": "户主", "乡（镇）": "乡镇"}
HOUSEHOLD_COLUMNS = 17
ERROR_FILL = "FFFFC7CE"  # the annotated copy's light red


def messy_workbook() -> bytes:
    """A notes sheet, then a title row above a header of synonyms, household cells filled once.

    Two errors: 1001's second member (Excel row 4) is "还行" in health, and 1002's head (row 5)
    has an ID number with a wrong check character. 1003 (rows 7-8) is valid.
    """
    households = [
        household_rows("1001"),
        broken_id_rows("1002"),
        household_rows("1003", first_sequence=61),
    ]
    households[0][1][HEALTH] = "还行"
    for rows in households:
        for row in rows[1:]:
            row[:HOUSEHOLD_COLUMNS] = [None] * HOUSEHOLD_COLUMNS
    title = ["清河县2019年建档立卡贫困人口花名册"]
    header = [SPELLINGS.get(name, name) for name in HEADERS]
    data = [title, header, *(row for rows in households for row in rows)]
    notes = [["填表说明"], ["每名成员一行，户主在前；户的信息只填在该户第一行。"]]
    return xlsx({"填表说明": notes, SHEET: data}, {SHEET: ["A1:AE1"]})


def shoot(page: Page, name: str) -> None:
    """Screenshot the page at both widths; on a phone, wide tables scroll inside their card."""
    page.screenshot(path=f"/tmp/registry-{name}.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=f"/tmp/registry-{name}-phone.png", full_page=True)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    assert page_width <= PHONE["width"], f"{name}: the page is {page_width}px wide on a phone"


def open_menu(page: Page, menu: str, item: str) -> None:
    """Click `item` in the top bar's `menu` (花名册 or 一户一册)."""
    page.get_by_role("button", name=menu, exact=True).click()
    page.get_by_role("link", name=item).click()


def upload(page: Page, content: bytes) -> None:
    open_menu(page, "花名册", "导入花名册")
    page.get_by_label("花名册文件").set_input_files(
        files=[{"name": "花名册.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.get_by_role("button", name="上传并检查").click()


def checked_and_fixed(path: Path) -> bytes:
    """The annotated copy, its marks checked, with the two bad cells corrected in place."""
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    assert "错误清单" in workbook.sheetnames
    sheet = workbook[SHEET]
    notes = [cell.value for cell in sheet[2]].index("错误说明") + 1
    for row, col, header in [(4, HEALTH + 1, "健康状况"), (5, ID + 1, "身份证号码")]:
        assert sheet.cell(row, col).fill.fgColor.rgb == ERROR_FILL, (row, header)
        assert f"【{header}】" in sheet.cell(row, notes).value
    assert sheet.cell(3, notes).value is None
    sheet.cell(4, HEALTH + 1).value = "健康"
    sheet.cell(5, ID + 1).value = person_id("1960-03-12", 41)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_clerk_fixes_the_errors_in_the_annotated_copy_and_imports_the_registry(live_server):
    # given a clerk who imports and exports the registry and sees households in the admin
    clerk = factories.UserFactory(username="clerk", is_staff=True)
    AssignmentFactory(user=clerk, role=Role.COUNTY_STAFF, county=factories.CountyFactory())
    running = ImportBatch.objects.create(
        created_by=clerk, status=JobStatus.RUNNING, stage="检查数据",
        progress_done=50, progress_total=200,
    )  # fmt: skip

    with chromium_page(viewport=DESKTOP, accept_downloads=True) as (page, failures):
        log_in(page, live_server.url)
        open_menu(page, "花名册", "导入花名册")
        expect(page.get_by_role("heading", name="导入花名册")).to_be_visible()
        shoot(page, "upload")

        # when the messy workbook is uploaded
        upload(page, messy_workbook())

        # then the preview counts the households, places both errors, and withholds 全部写入
        expect(page.get_by_test_id("batch-status")).to_have_text("待确认")
        expect(page.locator("[data-count=households-created]")).to_have_text("1")
        expect(page.locator("[data-count=households-invalid]")).to_have_text("2")
        errors = page.locator("#errors tbody tr")
        expect(errors).to_have_count(2)
        expect(errors.nth(0).locator("td")).to_contain_text([SHEET, "4", "健康状况", "还行"])
        expect(errors.nth(1).locator("td")).to_contain_text([SHEET, "5", "身份证号码", "校验"])
        expect(page.locator("#sheets")).to_contain_text("填表说明")
        expect(page.get_by_role("button", name="全部写入")).to_have_count(0)
        expect(page.get_by_role("button", name="跳过无效户，写入有效户")).to_be_visible()
        shoot(page, "preview-errors")

        # when the annotated copy is downloaded, fixed in place and uploaded again
        with page.expect_download() as download:
            page.get_by_test_id("annotated-link").click()
        assert download.value.suggested_filename == "花名册-错误标注.xlsx"
        upload(page, checked_and_fixed(download.value.path()))

        # then the preview has no error and offers 全部写入
        expect(page.get_by_test_id("batch-status")).to_have_text("待确认")
        expect(page.locator("[data-count=households-created]")).to_have_text("3")
        expect(page.locator("#errors")).to_have_count(0)
        expect(page.get_by_test_id("annotated-link")).to_have_count(0)

        # when the clerk writes it all
        page.get_by_role("button", name="全部写入").click()

        # then the result shows the households written, and each one's page names the batch
        expect(page.get_by_test_id("batch-status")).to_have_text("已完成")
        expect(page.locator("#written-counts [data-count=households-created]")).to_have_text("3")
        expect(page.locator("#written-counts [data-count=members-created]")).to_have_text("6")
        batch_name = page.get_by_role("heading", level=1).inner_text()
        shoot(page, "result")
        page.get_by_test_id("written-households").click()
        page.get_by_role("link", name="1002", exact=True).click()
        expect(page.locator("#import-batches")).to_contain_text(batch_name)

        # and the export page offers the county, whose file is made at once
        page.goto(f"{live_server.url}/")
        open_menu(page, "花名册", "导出花名册")
        expect(page.get_by_label("导出范围")).to_have_value(re.compile(r"^county:"))
        shoot(page, "export")
        page.get_by_role("button", name="生成花名册").click()
        expect(page.get_by_test_id("export-status")).to_have_text("已完成")
        shoot(page, "export-done")

        # and the page of a running batch moves its bar as the job advances (registry.js polls)
        page.goto(f"{live_server.url}{running.get_absolute_url()}")
        bar = page.get_by_role("progressbar", name="进度")
        expect(bar).to_have_attribute("aria-valuenow", "25")
        shoot(page, "progress")
        ImportBatch.objects.filter(pk=running.pk).update(progress_done=150)
        expect(bar).to_have_attribute("aria-valuenow", "75")
        expect(bar).to_contain_text("75%")
        # A download, or leaving a page whose images still load, aborts a request: no fault.
        assert [failure for failure in failures if not failure.startswith("failed ")] == []

    # then the database holds the three households, written by the second batch only
    written = ImportBatch.objects.get(status=JobStatus.DONE)
    assert str(written) == batch_name
    numbers = set(Household.objects.values_list("household_number", flat=True))
    assert numbers == {"1001", "1002", "1003"}
    assert Member.objects.count() == 6
    assert BatchHousehold.objects.filter(batch=written).count() == 3
    assert ImportBatch.objects.filter(status=JobStatus.PREVIEWED).count() == 1  # the first upload
