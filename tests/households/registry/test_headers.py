"""Finding the header row and mapping header spellings to the contract's columns."""

from households.registry.columns import HEADERS
from households.registry.headers import header_key, locate
from households.registry.read import RawSheet


def sheet(rows):
    width = max(len(row) for row in rows)
    return RawSheet("f.xlsx", "花名册", [row + [""] * (width - len(row)) for row in rows])


def test_canonical_headers_map_every_column():
    # given the contract's header row
    header = locate(sheet([list(HEADERS)]))
    # then all 31 columns are found in order on row 1
    assert header is not None and header.header_row == 0
    assert list(header.columns.values()) == list(range(31))
    assert header.missing_required == []


def test_spellings_ignore_spaces_brackets_and_required_marks():
    assert header_key("乡 镇") == header_key("乡镇")
    assert header_key("乡（镇）") == header_key("乡(镇)") == "乡(镇)"
    assert header_key("务工时间（月）") == header_key(" 务工时间(月) ")
    assert header_key("*户编号") == "户编号"


def test_synonyms_and_shuffled_order_are_mapped():
    # given a title row, a blank row and headers in another order with other spellings
    rows = [
        ["XX县2019年建档立卡贫困人口花名册"],
        [""],
        ["身份证号码", "户号", "姓名", "乡 镇", "村", "县区", "关系", "出生年月", "脱贫状态"],
    ]
    header = locate(sheet(rows))
    # then the header row is the third and each synonym names its column
    assert header is not None and header.header_row == 2
    assert header.columns["id_number"] == 0
    assert header.columns["household_number"] == 1
    assert header.columns["township"] == 3
    assert header.columns["status"] == 8
    assert header.label("household_number") == "户号"


def test_two_row_header_takes_vertically_merged_names_from_the_group_row():
    # given a group row whose 户编号 and 姓名 cells are merged down over the header row
    rows = [
        ["户编号", "户基本情况", "", "", "姓名", "家庭成员情况", ""],
        ["", "县", "乡镇", "行政村", "", "证件号码", "与户主关系"],
    ]
    header = locate(sheet(rows))
    # then the lower row is the header and the merged names come from the row above
    assert header is not None and header.header_row == 1
    assert header.columns["household_number"] == 0
    assert header.columns["name"] == 4
    assert header.columns["id_number"] == 5


def test_a_notes_sheet_has_no_header():
    assert locate(sheet([["填表说明：户编号以系统为准"], ["身份证号请以文本格式录入"]])) is None


def test_missing_required_columns_are_named_and_unknown_headers_kept():
    header = locate(sheet([["户编号", "姓名", "证件号码", "县", "乡镇", "行政村", "备注"]]))
    assert header is not None
    assert "relation_to_head" in header.missing_required
    assert "birth_date" not in header.missing_required  # taken from the ID number
    assert header.unknown == ["备注"]
