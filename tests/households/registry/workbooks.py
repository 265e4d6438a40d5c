"""Build registry workbooks in code, in every format the reader accepts (no binary fixtures)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from households.registry.columns import HEADERS

Sheets = dict[str, list[list[Any]]]
Merges = dict[str, list[str]]  # sheet → ranges in A1 notation, e.g. "A3:A5"


def xlsx(sheets: Sheets, merged: Merges | None = None) -> bytes:
    """An .xlsx file holding `sheets` (rows of cell values) with the given merged ranges."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merged or {}).get(name, []):
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def canonical(rows: list[list[Any]], sheet: str = "花名册") -> bytes:
    """A canonical workbook: the contract's header row, then `rows`."""
    return xlsx({sheet: [list(HEADERS), *rows]})


def person_id(birth: str, sequence: int, area: str = "130534") -> str:
    """A valid 18-character ID for a birth date `YYYY-MM-DD`; odd sequence → man."""
    import datetime as dt

    from households import idnumbers

    return idnumbers.make(area, dt.date.fromisoformat(birth), sequence)


def household_rows(
    number: str = "1001",
    *,
    county: str = "清河县",
    township: str = "城关镇",
    village: str = "东关村",
    head: str = "张三",
    status: str = "未脱贫",
    exit_year: Any = "",
    first_sequence: int = 11,
    members: int = 2,
) -> list[list[Any]]:
    """Canonical rows of one valid household: a male head born 1960, then a wife and children."""
    people = [
        (head, "户主", "男", "1960-03-12"),
        ("李梅", "配偶", "女", "1962-07-01"),
        ("张强", "之子", "男", "1988-10-20"),
        ("张丽", "之女", "女", "1991-05-05"),
    ][:members]
    rows = []
    for index, (name, relation, sex, birth) in enumerate(people):
        sequence = first_sequence + 2 * index + (0 if sex == "男" else 1)
        household = [
            county, township, village, "一组", number, head, members, "国家标准",
            "一般贫困户", "因病", "", status, 2014, exit_year, "3500.50", "13812345678", "",
        ]  # fmt: skip
        member = [
            name, person_id(birth, sequence), relation, sex, "汉族", birth, "初中", "非在校生",
            "健康", "普通劳动力", "未务工", 0, "是", "是",
        ]  # fmt: skip
        rows.append(household + member)
    return rows
