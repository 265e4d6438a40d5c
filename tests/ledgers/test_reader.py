"""Reading a ledger workbook back: round trip, edits made the way users make them, refusals."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from ledgers.booklet import Booklet
from ledgers.reader import LedgerRefused, read_ledger_workbook
from ledgers.stamp import SHEET as STAMP_SHEET
from ledgers.stamp import StampError
from tests.households.registry.workbooks import canonical, household_rows, xls
from tests.ledgers.booklets import (
    edited,
    find,
    household_workbook,
    make_booklet,
    replace_value,
    table_rows,
    three_households,
    village_workbook,
)

SHEET = "张三_000123"


def rows_of(booklet: Booklet, table: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(row.ref, row.values) for row in booklet.table(table).rows]


def read_one(data: bytes) -> Booklet:
    ledger = read_ledger_workbook(data)
    assert ledger.errors == []
    return ledger.sheets[1].booklet


def test_an_unchanged_ledger_reads_back_equal_to_what_was_exported():
    # given a booklet with multi-line text, formula-like text, masked numbers, 0.00 and blanks
    booklet = make_booklet()

    # when its workbook is written and read back
    ledger = read_ledger_workbook(household_workbook(booklet))

    # then the edited booklet equals the exported one, values and records alike
    assert ledger.errors == [] and ledger.warnings == []
    assert ledger.sheets[1].booklet == booklet
    assert ledger.stamp.households[0].base == booklet
    assert "=SUM(A1:A3)" in booklet.table("visits").rows[0].values  # the awkward cases are there


def test_a_village_workbook_reads_back_every_household():
    # given a village workbook of three households
    booklets = three_households()

    # when it is read back
    ledger = read_ledger_workbook(village_workbook(booklets))

    # then each household's booklet comes back from its own sheet
    assert ledger.errors == [] and ledger.warnings == []
    assert [ledger.sheets[b.household_id].booklet for b in booklets] == booklets
    assert ledger.sheets[2].sheet == "李四_000124"


def test_edited_cells_read_through_canonical_with_their_places():
    # given a ledger where a phone, an amount (typed as text) and a date (as a date) were edited
    def edit(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        row, column = find(sheet, "联系电话")
        sheet.cell(row, column + 2).value = "13912345678"
        header, columns = table_rows(sheet, "四、收入情况")
        sheet.cell(header + 1, columns["工资性收入"]).value = "1,234.5"
        header, columns = table_rows(sheet, "十、走访记录")
        sheet.cell(header + 2, columns["走访日期"]).value = dt.datetime(2025, 3, 1)

    ledger = read_ledger_workbook(edited(household_workbook(), edit))

    # then the booklet holds the printed forms, and where each was read
    booklet = ledger.sheets[1].booklet
    phone = next(f for f in booklet.section("basics").fields if f.column.label == "联系电话")
    assert phone.value == "13912345678" and phone.ref == "household:1"
    assert booklet.table("income").rows[0].values[1] == "1234.50"
    assert booklet.table("visits").rows[1].values[0] == "2025-03-01"
    assert ledger.sheets[1].field_places["household.phone"].startswith("单元格")
    header, _ = table_rows(load(household_workbook())[SHEET], "十、走访记录")
    assert ledger.sheets[1].places[("visits", 1)] == f"第{header + 2}行"


def load(data: bytes) -> Workbook:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_a_row_inserted_in_the_middle_of_a_table_is_read_as_new():
    # given a visit inserted between the two exported ones (openpyxl leaves merges behind)
    base = make_booklet()

    def insert(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        header, columns = table_rows(sheet, "十、走访记录")
        sheet.insert_rows(header + 2)
        sheet.cell(header + 2, columns["走访日期"]).value = "2025-04-01"
        sheet.cell(header + 2, columns["走访人"]).value = "李明"
        sheet.cell(header + 2, columns["发现问题"]).value = "屋顶漏雨"

    booklet = read_one(edited(household_workbook(base), insert))

    # then the new row has no record, the others keep theirs, and later sections still read
    visits = rows_of(booklet, "visits")
    assert [ref for ref, _ in visits] == ["visit:100", "", "visit:101"]
    assert visits[1][1][:4] == ("2025-04-01", "李明", "", "屋顶漏雨")
    assert booklet.table("adjustments") == base.table("adjustments")
    assert booklet.section("signatures") == base.section("signatures")


def test_a_row_filled_in_the_blank_lines_is_read_as_new():
    # given this year's income typed into the income table's blank line
    def fill(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        header, columns = table_rows(sheet, "四、收入情况")
        sheet.cell(header + 3, columns["年度"]).value = 2025
        sheet.cell(header + 3, columns["工资性收入"]).value = 8000

    booklet = read_one(edited(household_workbook(), fill))

    # then it follows the exported rows, without a record
    income = rows_of(booklet, "income")
    assert [ref for ref, _ in income] == ["income:100", "income:101", ""]
    assert income[2][1][:3] == ("2025", "8000.00", "")


def test_widened_moved_and_inserted_columns_still_read():
    # given a ledger with a wider column, two member columns swapped and a column inserted
    base = make_booklet()

    def rearrange(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        sheet.column_dimensions["C"].width = 40
        header, columns = table_rows(sheet, "二、家庭成员")
        health, skill = columns["健康状况"], columns["劳动技能"]
        for row in range(header, header + 5):
            a, b = sheet.cell(row, health), sheet.cell(row, skill)
            a.value, b.value = b.value, a.value
        sheet.insert_cols(2)

    # when it is read back
    ledger = read_ledger_workbook(edited(household_workbook(base), rearrange))

    # then every value is found under its label
    assert ledger.errors == [] and ledger.warnings == []
    assert ledger.sheets[1].booklet == base


def test_an_unknown_column_is_ignored_with_a_warning():
    # given a column "备忘" added after the visits table's last column
    def add_column(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        header, columns = table_rows(sheet, "十、走访记录")
        sheet.cell(header, columns["后续跟进"] + 1).value = "备忘"
        sheet.cell(header + 1, columns["后续跟进"] + 1).value = "下次带上表格"

    ledger = read_ledger_workbook(edited(household_workbook(), add_column))

    # then the visits read as before, and a warning names the header cell
    assert ledger.sheets[1].booklet.table("visits") == make_booklet().table("visits")
    [warning] = ledger.warnings
    assert warning.sheet == SHEET and warning.cell.startswith("G")
    assert "表头“备忘”不是“十、走访记录”表的列" in warning.message


def test_a_duplicated_record_makes_the_second_row_new_with_a_warning():
    # given a visit row copied, hidden record and all, into the blank lines below
    def copy_row(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        header, columns = table_rows(sheet, "十、走访记录")
        for column in columns.values():
            source, copy = sheet.cell(header + 1, column), sheet.cell(header + 3, column)
            copy.value = source.value
            copy.data_type = source.data_type  # "=SUM(A1:A3)" stays text, as Excel copies it

    ledger = read_ledger_workbook(edited(household_workbook(), copy_row))

    # then the copy is a new row, and the warning names its row and the record cell
    visits = rows_of(ledger.sheets[1].booklet, "visits")
    assert [ref for ref, _ in visits] == ["visit:100", "visit:101", ""]
    assert visits[2][1] == visits[0][1]
    [warning] = ledger.warnings
    header, columns = table_rows(load(household_workbook())[SHEET], "十、走访记录")
    assert (
        warning.message
        == f"工作表“{SHEET}”第{header + 3}行：“记录号”“visit:100”重复，本行按新增处理"
    )
    assert warning.household_id == 1


def test_a_record_of_another_table_or_household_is_read_as_new():
    # given a visit row whose record was changed to a member's
    def change_ref(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        header, columns = table_rows(sheet, "十、走访记录")
        sheet.cell(header + 1, columns["记录号"]).value = "member:100"

    ledger = read_ledger_workbook(edited(household_workbook(), change_ref))

    # then that row is new, with a warning
    assert rows_of(ledger.sheets[1].booklet, "visits")[0][0] == ""
    assert "不属于本户本表" in ledger.warnings[0].message


def test_a_deleted_section_title_is_an_error_naming_the_sheet():
    # given a ledger whose 四、收入情况 title was cleared
    def clear(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        row, column = find(sheet, "四、收入情况")
        sheet.cell(row, column).value = None

    ledger = read_ledger_workbook(edited(household_workbook(), clear))

    # then the sheet is not read, and the error says which section of which sheet
    assert ledger.sheets == {}
    assert [e.message for e in ledger.errors] == [f"工作表“{SHEET}”找不到“四、收入情况”一节"]


def test_titles_and_labels_are_found_despite_spaces_and_full_width_forms():
    # given a title retyped with spaces and half-width punctuation, a label with full-width ones
    def retype(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        row, column = find(sheet, "扶贫手册（一户一册）")
        sheet.cell(row, column).value = " 扶贫手册 (一户一册) "
        row, column = find(sheet, "耕地面积（亩）")
        sheet.cell(row, column).value = "耕地面积　（亩）"

    # then the ledger reads as exported
    assert read_one(edited(household_workbook(), retype)) == make_booklet()


def test_a_cleared_first_row_and_title_still_read():
    # given a ledger whose household title (A1, the sheet's first cell) was cleared
    def clear(workbook: Workbook) -> None:
        workbook[SHEET]["A1"].value = None

    # then every value is still found where it is
    assert read_one(edited(household_workbook(), clear)) == make_booklet()


def test_a_missing_editable_column_is_an_error_and_a_read_only_one_keeps_its_values():
    # given a members table without its 健康状况 (editable) and 民族 (read-only) headers
    def drop(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        header, columns = table_rows(sheet, "二、家庭成员")
        sheet.cell(header, columns["民族"]).value = None
        sheet.cell(header, columns["健康状况"]).value = None

    ledger = read_ledger_workbook(edited(household_workbook(), drop))

    # then the missing editable column is an error; the read-only one only a warning
    assert [e.message for e in ledger.errors] == [
        f"工作表“{SHEET}”第{table_rows(load(household_workbook())[SHEET], '二、家庭成员')[0]}行："
        "“二、家庭成员”表头缺少“健康状况”列"
    ]
    assert "缺少“民族”列，按原值处理" in ledger.warnings[0].message


def test_a_sheet_carrying_another_households_number_is_an_error():
    # given a sheet whose 户编号 was overwritten (as when another household's sheet is pasted)
    def overwrite(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        row, column = find(sheet, "户编号")
        sheet.cell(row, column + 2).value = "430121000999"

    ledger = read_ledger_workbook(edited(household_workbook(), overwrite))

    assert ledger.sheets == {}
    assert "户编号为“430121000999”，与导出时的“430121000123”不一致" in ledger.errors[0].message


def test_a_removed_household_sheet_is_an_error_naming_it_and_the_others_still_read():
    # given a village workbook from which 李四's sheet was deleted, and a sheet added
    def remove(workbook: Workbook) -> None:
        del workbook["李四_000124"]
        workbook.create_sheet("我的笔记")

    ledger = read_ledger_workbook(edited(village_workbook(three_households()), remove))

    # then an error names the missing sheet; the others are read; the extra one is ignored
    assert sorted(ledger.sheets) == [1, 3]
    [error] = ledger.errors
    assert error.sheet == "李四_000124" and "找不到工作表“李四_000124”" in error.message
    assert [w.sheet for w in ledger.warnings] == ["我的笔记"]


def test_a_ledger_without_its_stamp_is_refused():
    def remove(workbook: Workbook) -> None:
        del workbook[STAMP_SHEET]

    with pytest.raises(StampError, match="缺少校验信息") as refused:
        read_ledger_workbook(edited(household_workbook(), remove))
    assert SHEET in str(refused.value)  # the sheets the file does hold are named


def test_a_tampered_stamp_is_refused():
    # given a stamp whose first cell was edited (a macro can unhide it)
    def tamper(workbook: Workbook) -> None:
        cell = workbook[STAMP_SHEET]["A1"]
        cell.value = cell.value[:-3] + "xyz"

    with pytest.raises(StampError, match="校验信息被修改或损坏") as refused:
        read_ledger_workbook(edited(household_workbook(), tamper))
    assert STAMP_SHEET in str(refused.value)


def workbook_of(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (workbook_of([["姓名", "金额"], ["张三", 12]]), "缺少校验信息"),
        (canonical(household_rows()), "缺少校验信息"),
        ("户编号,户主\n1,张三\n".encode(), "这个文件是CSV文本文件"),
        (xls({"花名册": [["户编号"], ["1001"]]}), r"这个文件是Excel 97-2003\(.xls\)文件"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"", "文件为空"),
    ],
    ids=["random xlsx", "registry workbook", "csv", "xls", "pdf", "empty"],
)
def test_a_foreign_file_is_refused(data, reason):
    with pytest.raises(LedgerRefused, match=reason):
        read_ledger_workbook(data, file_name="上传.xlsx")


def test_a_truncated_ledger_is_refused():
    data = household_workbook()

    with pytest.raises(LedgerRefused, match="不完整或已损坏"):
        read_ledger_workbook(data[: len(data) // 2])


def test_a_masked_booklet_and_an_edited_blank_value_read_back():
    # given a booklet whose optional value is blank, then filled in by the user
    base = replace_value(make_booklet(), "basics", "profile.relocation_mode", "")

    def fill(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        row, column = find(sheet, "安置方式")
        sheet.cell(row, column + 2).value = "集中安置"

    booklet = read_one(edited(household_workbook(base), fill))

    # then the filled value is read, and the blank one beside it stays blank
    assert booklet == replace_value(base, "basics", "profile.relocation_mode", "集中安置")
