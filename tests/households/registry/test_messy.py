"""A county's messy workbook reads the same as the canonical one (the contract's variations)."""

import pytest

from households.models import Household, Member
from households.registry import pipeline
from households.registry.columns import HEADERS, HOUSEHOLD_KEYS
from tests.households.registry.workbooks import canonical, csv_bytes, household_rows, ods, xls, xlsx

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Other spellings, as real files write the headers.
SPELLINGS = {
    "县（市、区）": "县区", "乡（镇）": "乡 镇", "行政村": "村", "自然村（组）": "组",
    "户编号": "户号", "户主姓名": "户主", "家庭人口数": "人口数", "贫困户属性": "贫困属性",
    "主要致贫原因": "致贫原因", "户状态": "脱贫状态", "证件号码": "身份证号码",
    "与户主关系": "关系", "出生日期": "出生年月", "务工时间（月）": "务工时间(月)",
}  # fmt: skip
VARIANTS = {"因病": "因病致贫", "一般贫困户": "一般户", "户主": "户主本人", "配偶": "妻子",
            "之子": "儿子", "之女": "长女", "男": "男性", "是": "√", "汉族": "汉"}  # fmt: skip


def data():
    return (
        household_rows("1001", members=4)
        + household_rows("1002", village="西关村", first_sequence=41, members=3)
        + household_rows(
            "1003",
            township="东风乡",
            village="东风村",
            first_sequence=61,
            status="已脱贫",
            exit_year=2017,
        )  # fmt: skip
    )


def messy(rows):
    """The same rows as a township would send them, every variation at once."""
    household_count = len(HOUSEHOLD_KEYS)
    order = list(range(household_count))[::-1] + list(range(household_count, len(HEADERS)))[::-1]
    header = [SPELLINGS.get(HEADERS[i], HEADERS[i]) for i in order]
    group = ["户基本情况"] + [""] * (household_count - 1) + ["家庭成员情况"]
    group += [""] * (len(HEADERS) - len(group))
    title = ["清河县2019年建档立卡贫困人口花名册"]
    sheet = [title, ["填报单位：城关镇人民政府", "", "填报日期：2020年12月"], [], group, header]
    merged = [
        f"A4:{_col(household_count - 1)}4",
        f"{_col(household_count)}4:{_col(len(HEADERS) - 1)}4",
    ]
    first_rows: dict[str, int] = {}
    for index, row in enumerate(rows):
        cells = [VARIANTS.get(row[i], row[i]) if isinstance(row[i], str) else row[i] for i in order]
        number = row[4]
        if number in first_rows:  # household columns filled once
            cells[:household_count] = [""] * household_count
        else:
            first_rows[number] = len(sheet) + 1
        sheet.append(_mangle(cells, index, order))
    # household 1002's columns are merged down over its three rows instead of filled once
    top = first_rows["1002"]
    merged += [f"{_col(c)}{top}:{_col(c)}{top + 2}" for c in range(household_count)]
    sheet += [[], ["制表人：张三", "", "审核人：李四"]]
    return xlsx(
        {"填表说明": [["填表说明：身份证号请以文本格式录入。"]], "城关镇": sheet},
        {"城关镇": merged},
    )


def _mangle(cells, index, order):
    """Spaces, full-width digits, a lowercase x and many date spellings, row by row."""
    id_at, birth_at = order.index(HEADERS.index("证件号码")), order.index(HEADERS.index("出生日期"))
    number, birth = cells[id_at], cells[birth_at]
    forms = [
        lambda: (f"{number[:6]} {number[6:14]} {number[14:]}", birth.replace("-", ".")),
        lambda: (number.translate(FULL_WIDTH), birth.replace("-", "")),
        lambda: (number.lower() + " ", f"{birth[:4]}年{int(birth[5:7])}月{int(birth[8:])}日"),
        lambda: (number, birth[:7].replace("-", ".")),  # day unknown: taken from the ID
        lambda: (number, ""),  # missing: taken from the ID
        lambda: (number, birth.replace("-", "/")),
    ]
    cells[id_at], cells[birth_at] = forms[index % len(forms)]()
    return cells


def _col(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def test_a_messy_workbook_imports_like_the_canonical_one():
    # given the messy form of three households
    batch, preview = pipeline.run([("城关镇.xlsx", messy(data()))])
    # then it is read without errors, the notes sheet skipped
    assert preview.errors == [], [str(e) for e in preview.errors]
    assert batch.summary["skipped_sheets"][0]["sheet"] == "填表说明"
    assert Household.objects.count() == 3 and Member.objects.count() == 9
    # and the canonical file of the same data finds nothing to change
    _, again = pipeline.run([("花名册.xlsx", canonical(data()))])
    assert again.summary["households"]["unchanged"] == 3, [
        (h.household_number, h.changes, [m.changes for m in h.members])
        for h in again.plan.households
    ]
    assert again.summary["members"]["unchanged"] == 9


@pytest.mark.parametrize(
    "name, build",
    [
        ("城关镇.xls", lambda rows: xls({"城关镇": [list(HEADERS), *rows]})),
        ("城关镇.ods", lambda rows: ods({"城关镇": [list(HEADERS), *rows]})),
        ("城关镇.csv", lambda rows: csv_bytes([list(HEADERS), *rows])),
        ("城关镇.csv", lambda rows: csv_bytes([list(HEADERS), *rows], "gb18030")),
        ("城关镇.xls", lambda rows: _messy_as_xls(rows)),
    ],
)
def test_every_format_reads_like_the_canonical_workbook(name, build):
    # given the registry already imported from the canonical workbook
    pipeline.run([("花名册.xlsx", canonical(data()))])
    # when the same data arrive in another format
    _, preview = pipeline.run([(name, build(data()))])
    # then nothing is invalid and nothing changes
    assert preview.errors == [], [str(e) for e in preview.errors]
    assert preview.summary["households"]["unchanged"] == 3
    assert preview.summary["members"]["unchanged"] == 9


def _messy_as_xls(rows):
    """The messy workbook's cells (merges included) written as Excel 97–2003."""
    from households.registry.read import read_bytes

    sheets = read_bytes(messy(rows), "m.xlsx")
    merged = {
        sheet.name: [f"{_col(c1)}{r1 + 1}:{_col(c2)}{r2 + 1}" for r1, c1, r2, c2 in sheet.merged]
        for sheet in sheets
    }
    return xls({sheet.name: sheet.rows for sheet in sheets}, merged)
