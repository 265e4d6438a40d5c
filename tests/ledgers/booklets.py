"""Booklets built by hand from the section specs, for the workbook, stamp and reader tests.

Every value is already in its printed (canonical) form, so a booklet written to a workbook and
read back compares equal. The rich booklet carries the awkward cases: Chinese and multi-line
text, texts that look like formulas, masked numbers, 0.00 amounts and blank cells.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ledgers.booklet import Booklet, Column, Field, Kind, Row, Section, Table
from ledgers.sections import SECTIONS, SectionSpec, TableSpec
from ledgers.workbook import write_household_workbook, write_village_workbook

ROW_COUNTS = {
    "members": 4,
    "income": 2,
    "needs": 2,
    "cadres": 2,
    "plans": 1,
    "measures": 3,
    "results": 3,
    "visits": 2,
    "adjustments": 1,
}
# Texts a spreadsheet could take for something else: formulas, numbers, line breaks.
AWKWARD_TEXTS = ("=SUM(A1:A3)", "+86 到村走访", "-1 待核实", "@张三", "第一行\n第二行")
NAMES = ("张三", "李四", "王五", "赵六", "钱七", "孙八")


def make_booklet(
    *,
    household_id: int = 1,
    household_number: str = "430121000123",
    head_name: str = "张三",
    version: int = 3,
    rows: dict[str, int] | None = None,
) -> Booklet:
    """A booklet with every section of the spec filled in, values varying with the household."""
    counts = ROW_COUNTS | (rows or {})
    sections = tuple(
        _section(spec, household_id, counts.get(spec.key, 0), head_name, household_number)
        for spec in SECTIONS
    )
    return Booklet(
        household_id=household_id,
        household_number=household_number,
        version=version,
        head_name=head_name,
        county="长沙县",
        township="金井镇",
        village="蒲塘村",
        year=2025,
        sections=sections,
    )


def replace_value(booklet: Booklet, section_key: str, column_key: str, value: str) -> Booklet:
    """The booklet with one field's value replaced."""
    sections = tuple(
        dataclasses.replace(
            section,
            fields=tuple(
                dataclasses.replace(item, value=value) if item.column.key == column_key else item
                for item in section.fields
            ),
        )
        if section.key == section_key
        else section
        for section in booklet.sections
    )
    return dataclasses.replace(booklet, sections=sections)


def _section(
    spec: SectionSpec, household_id: int, row_count: int, head_name: str, number: str
) -> Section:
    fields = tuple(
        Field(
            column, _field_value(column, index, head_name, number), _field_ref(column, household_id)
        )
        for index, column in enumerate(spec.fields)
    )
    tables = () if spec.table is None else (_table(spec.table, household_id, row_count),)
    return Section(spec.key, spec.title, fields=fields, tables=tables, note=spec.note)


def _field_ref(column: Column, household_id: int) -> str:
    return (
        f"profile:{household_id + 500}"
        if column.key.startswith("profile.")
        else f"household:{household_id}"
    )


def _field_value(column: Column, index: int, head_name: str, number: str) -> str:
    special = {
        "household.household_number": number,
        "computed.head_name": head_name,
        "computed.year": "2025",
        "computed.cadres": "李明（县农业农村局，139****1234）、周红（金井镇人民政府）",
        "household.address": "金井镇蒲塘村三组18号",
        "household.situation": "家中两位老人长期患病，\n主要劳动力外出务工。",
        "profile.housing_area": "0.00",
        "profile.relocation_mode": "",
        "household.exit_year": "",
    }
    if column.key in special:
        return special[column.key]
    return _sample(column, index)


def _table(spec: TableSpec, household_id: int, row_count: int) -> Table:
    rows = tuple(
        Row(
            f"{spec.model}:{household_id * 100 + index}",
            tuple(_cell(column, index, position) for position, column in enumerate(spec.columns)),
        )
        for index in range(row_count)
    )
    return Table(spec.key, spec.columns, rows, can_add=spec.can_add, blank_rows=spec.blank_rows)


def _cell(column: Column, row: int, position: int) -> str:
    if column.key == "name" or column.key == "computed.cadre_name":
        return NAMES[row % len(NAMES)]
    if column.key == "year":
        return str(2023 + row)
    if column.kind == Kind.TEXT and column.masked is None and column.width >= 16:
        return AWKWARD_TEXTS[(row + position) % len(AWKWARD_TEXTS)]
    if (row + position) % 5 == 4:
        return ""  # a blank cell now and then
    return _sample(column, row + position)


def _sample(column: Column, index: int) -> str:
    match column.kind:
        case Kind.INT:
            return str(index + 1)
        case Kind.MONEY:
            return "0.00" if index % 4 == 0 else f"{1234.5 * (index + 1):.2f}"
        case Kind.DECIMAL:
            return f"{0.25 * (index + 1):.2f}"
        case Kind.DATE:
            return f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}"
        case Kind.BOOL:
            return "是" if index % 2 else "否"
        case Kind.CHOICE:
            return column.choices[index % len(column.choices)][1]
        case Kind.CHOICES:
            return "、".join(label for _, label in column.choices[:2])
    if column.masked is not None:
        digits = "43012119800101" + f"{index:04d}"
        return column.masked(
            digits if "证" in column.label or "号" in column.label else "13812345678"
        )
    return f"{column.label}内容{index}"


# Workbooks: written, then edited with openpyxl the way a user's spreadsheet program would.


def household_workbook(booklet: Booklet | None = None) -> bytes:
    out = io.BytesIO()
    write_household_workbook(booklet or make_booklet(), out)
    return out.getvalue()


def village_workbook(booklets: list[Booklet]) -> bytes:
    out = io.BytesIO()
    write_village_workbook(booklets, out, title="金井镇蒲塘村 一户一册（2025年）")
    return out.getvalue()


def three_households() -> list[Booklet]:
    return [
        make_booklet(household_id=1, household_number="430121000123", head_name="张三"),
        make_booklet(household_id=2, household_number="430121000124", head_name="李四"),
        make_booklet(household_id=3, household_number="430121000125", head_name="王五"),
    ]


def edited(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook after `change` was made to it in openpyxl and it was saved again."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def find(sheet: Worksheet, text: str, *, after: int = 0) -> tuple[int, int]:
    """(row, column), 1-based, of the first cell holding `text` below row `after`."""
    for row in sheet.iter_rows(min_row=after + 1):
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise LookupError(text)


def table_rows(sheet: Worksheet, title: str) -> tuple[int, dict[str, int]]:
    """The header row of the table under section `title`, and each header's column."""
    title_row, _ = find(sheet, title)
    header, _ = find(sheet, "记录号", after=title_row)
    columns = {cell.value: cell.column for cell in sheet[header] if isinstance(cell.value, str)}
    return header, columns
