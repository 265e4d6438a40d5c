"""The public-notice list (公示名单) of a village's households, as an .xlsx ready to print.

A 公示 list is posted on the village's notice board (and the township's) for about seven days,
so that villagers can object (shared/domain.md, 两公示一公告). It is public: ID numbers are
masked, and nothing about health, disability, income or the cause of poverty (因病, 因残 are
health details) is on it; only who is registered, under which standard and with which status.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from households.choices import HouseholdStatus, IdentificationStandard, PovertyAttribute, Relation
from households.masking import mask_id_number
from households.models import Household, Member, Village
from households.registry.export import WORKBOOK_OPTIONS

HEADERS = (
    "序号", "乡镇", "行政村", "户编号", "户主姓名", "户主证件号码", "家庭人口数",
    "识别标准", "贫困户属性", "户状态", "脱贫年度",
)  # fmt: skip
WIDTHS = (6, 12, 12, 20, 10, 22, 10, 10, 14, 8, 9)
TABLE_ROW = 2  # the header row; the title and the summary line are above it
A4 = 9  # xlsxwriter's paper code
STANDARD = dict(IdentificationStandard.choices)
ATTRIBUTE = dict(PovertyAttribute.choices)
STATUS = dict(HouseholdStatus.choices)
CLOSING = (
    "公示期：　　　年　　月　　日至　　　年　　月　　日（7天）。公示期内如有异议，"
    "请向村民委员会或乡（镇）人民政府反映。",
    "监督电话：　　　　　　　　　　　　　　　　　　　　村民委员会（盖章）　　　　年　　月　　日",
)


@dataclass
class NoticeRow:
    number: str
    head_name: str
    head_id: str  # masked
    size: int
    standard: str
    attribute: str
    status: str
    exit_year: int | None


def notice_rows(village: Village) -> list[NoticeRow]:
    """The village's registered households (已清退 ones are no longer on it), by 户编号."""
    households = (
        Household.objects.filter(village=village)
        .exclude(status=HouseholdStatus.REMOVED)
        .order_by("household_number")
        .values_list("pk", "household_number", "identification_standard",
                     "poverty_attribute", "status", "exit_year")
    )  # fmt: skip
    members = Member.objects.current().filter(household__village=village)
    sizes: dict[int, int] = {}
    heads: dict[int, tuple[str, str]] = {}
    for household_id, name, number, relation in members.values_list(
        "household_id", "name", "id_number", "relation_to_head"
    ):
        sizes[household_id] = sizes.get(household_id, 0) + 1
        if relation == Relation.HEAD:
            heads[household_id] = (name, number)
    rows = []
    for pk, number, standard, attribute, status, exit_year in households:
        head_name, head_id = heads.get(pk, ("", ""))
        rows.append(NoticeRow(number, head_name, mask_id_number(head_id), sizes.get(pk, 0),
                              STANDARD.get(standard, standard), ATTRIBUTE.get(attribute, attribute),
                              STATUS.get(status, status), exit_year))  # fmt: skip
    return rows


def title(village: Village) -> str:
    return f"{village.name}建档立卡贫困户公示名单"


def file_name(village: Village, today: dt.date) -> str:
    return f"公示名单-{village.township.name}{village.name}-{today.isoformat()}.xlsx"


def notice_workbook(village: Village, rows: list[NoticeRow], today: dt.date) -> bytes:
    """The list as one A4 landscape sheet: the title and the header row on every page."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {**WORKBOOK_OPTIONS, "constant_memory": False})
    sheet = workbook.add_worksheet("公示名单")
    formats = _formats(workbook)
    last = len(HEADERS) - 1
    sheet.merge_range(0, 0, 0, last, title(village), formats["title"])
    people = sum(row.size for row in rows)
    summary = (f"乡镇：{village.township.name}　行政村：{village.name}　共 {len(rows)} 户 "
               f"{people} 人　　制表日期：{today.year}年{today.month}月{today.day}日")  # fmt: skip
    sheet.merge_range(1, 0, 1, last, summary, formats["summary"])
    sheet.write_row(TABLE_ROW, 0, HEADERS, formats["header"])
    for index, row in enumerate(rows, 1):
        sheet.write_row(TABLE_ROW + index, 0, _cells(index, village, row), formats["cell"])
    end = TABLE_ROW + len(rows)
    for offset, line in enumerate(CLOSING, 2):
        sheet.merge_range(end + offset, 0, end + offset, last, line, formats["note"])
    _page_setup(sheet, end + len(CLOSING) + 1)
    workbook.close()
    return out.getvalue()


def _cells(index: int, village: Village, row: NoticeRow) -> list[Any]:
    return [
        index, village.township.name, village.name, row.number, row.head_name, row.head_id,
        row.size, row.standard, row.attribute, row.status, row.exit_year or "",
    ]  # fmt: skip


def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    table = {**base, "border": 1, "align": "center", "text_wrap": True}
    return {
        "title": workbook.add_format({**base, "bold": True, "font_size": 18, "align": "center"}),
        "summary": workbook.add_format({**base, "align": "left"}),
        "header": workbook.add_format({**table, "bold": True, "bg_color": "#D9D9D9"}),
        "cell": workbook.add_format({**table, "num_format": "@"}),
        "note": workbook.add_format({**base, "text_wrap": True}),
    }


def _page_setup(sheet: Worksheet, last_row: int) -> None:
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    sheet.set_row(0, 32)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.repeat_rows(0, TABLE_ROW)  # the title and the header row on every printed page
    sheet.fit_to_pages(1, 0)  # as wide as one page, as many pages long as needed
    sheet.print_area(0, 0, last_row, len(HEADERS) - 1)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    sheet.freeze_panes(TABLE_ROW + 1, 0)
