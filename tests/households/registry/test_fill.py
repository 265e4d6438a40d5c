"""Spreading merged cells, skipping non-data rows and grouping member rows into households."""

from households.registry.columns import HEADERS
from households.registry.fill import fill
from households.registry.headers import locate
from households.registry.read import RawSheet

NUMBER, NAME, ID = HEADERS.index("户编号"), HEADERS.index("姓名"), HEADERS.index("证件号码")
COUNTY = HEADERS.index("县（市、区）")


def row(number="", name="", id_number="", county=""):
    cells = [""] * len(HEADERS)
    cells[NUMBER], cells[NAME], cells[ID], cells[COUNTY] = number, name, id_number, county
    return cells


def households_of(rows, merged=()):
    sheet = RawSheet("f.xlsx", "乡", rows, list(merged))
    return fill([locate(sheet)])


def test_rows_without_a_number_belong_to_the_household_above():
    # given a household whose columns are filled on its first row only
    rows = [
        list(HEADERS),
        row("1001", "张三", "1", "清河县"),
        row("", "李梅", "2"),
        row("1002", "王五", "3"),
    ]
    # when the rows are grouped
    households = households_of(rows)
    # then the second row joins the first household, with its Excel row numbers
    assert [h.number for h in households] == ["1001", "1002"]
    assert [r.row for r in households[0].rows] == [2, 3]
    assert households[0].rows[1].cells["county"] == ""


def test_merged_household_cells_are_spread_over_their_rows():
    # given 户编号 and 县 merged down over two member rows (0-based ranges as calamine gives)
    rows = [list(HEADERS), row("1001", "张三", "1", "清河县"), row("", "李梅", "2")]
    merged = [(1, NUMBER, 2, NUMBER), (1, COUNTY, 2, COUNTY)]
    households = households_of(rows, merged)
    # then both rows carry the value
    assert len(households) == 1
    assert households[0].rows[1].cells["county"] == "清河县"
    assert households[0].rows[1].cells["household_number"] == "1001"


def test_blank_and_footer_rows_are_skipped():
    footer = [""] * len(HEADERS)
    footer[0] = "制表人：张三"
    rows = [list(HEADERS), row("1001", "张三", "1"), [""] * len(HEADERS), footer]
    households = households_of(rows)
    assert len(households) == 1 and len(households[0].rows) == 1


def test_a_household_split_across_sheets_is_one_household():
    first = RawSheet("f.xlsx", "甲", [list(HEADERS), row("1001", "张三", "1")])
    second = RawSheet("f.xlsx", "乙", [list(HEADERS), row("1001", "李梅", "2")])
    households = fill([locate(first), locate(second)])
    assert len(households) == 1
    assert [r.sheet for r in households[0].rows] == ["甲", "乙"]


def test_numbers_stored_as_numbers_group_with_text_numbers():
    rows = [list(HEADERS), row(1001.0, "张三", "1"), row("1001", "李梅", "2")]
    households = households_of(rows)
    assert [h.number for h in households] == ["1001"]
