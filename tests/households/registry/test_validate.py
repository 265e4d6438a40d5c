"""Every error and warning of the contract, found on the right sheet, row and column."""

from households.registry.columns import HEADERS
from households.registry.fill import fill
from households.registry.headers import locate
from households.registry.read import RawSheet
from households.registry.validate import check_file, check_household
from tests.households.registry.workbooks import household_rows

COL = {header: index for index, header in enumerate(HEADERS)}


def checked(rows):
    sheet = RawSheet("f.xlsx", "花名册", [list(HEADERS), *rows])
    households = [check_household(source) for source in fill([locate(sheet)])]
    check_file(households)
    return households


def problems(rows, *, warnings=False):
    found = []
    for household in checked(rows):
        found += household.warnings if warnings else household.errors
    return [(p.row, p.column, p.code) for p in found]


def test_a_valid_household_has_no_problems():
    household = checked(household_rows())[0]
    assert household.is_valid and household.warnings == []
    assert [m.values["name"] for m in household.members] == ["张三", "李梅"]


def test_a_missing_required_value_is_an_error_of_its_cell():
    rows = household_rows()
    rows[1][COL["健康状况"]] = ""
    assert problems(rows) == [(3, "健康状况", "required")]


def test_a_wrong_check_character_is_an_error():
    rows = household_rows()
    number = rows[0][COL["证件号码"]]
    rows[0][COL["证件号码"]] = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert problems(rows) == [(2, "证件号码", "invalid_value")]


def test_an_18_digit_id_stored_as_a_number_is_an_error_never_a_guess():
    rows = household_rows()
    rows[0][COL["证件号码"]] = float(rows[0][COL["证件号码"]][:17] + "0")
    household = checked(rows)[0]
    assert [(e.row, e.code) for e in household.errors] == [(2, "invalid_value")]
    assert "15位" in household.errors[0].message


def test_the_same_id_twice_in_the_file_is_an_error_on_both_rows():
    rows = household_rows("1001") + household_rows("1002")
    found = problems(rows)
    assert (2, "证件号码", "duplicate_id") in found and (4, "证件号码", "duplicate_id") in found


def test_two_heads_or_none_is_an_error():
    two = household_rows()
    two[1][COL["与户主关系"]] = "户主"
    assert ("two_heads") in [code for _, _, code in problems(two)]
    none = household_rows()
    none[0][COL["与户主关系"]] = "之子"
    assert "no_head" in [code for _, _, code in problems(none)]


def test_head_name_must_be_the_heads_name():
    rows = household_rows()
    for row in rows:
        row[COL["户主姓名"]] = "张三丰"
    assert problems(rows) == [(2, "户主姓名", "head_name")]


def test_household_columns_that_disagree_between_rows_are_an_error():
    rows = household_rows()
    rows[1][COL["主要致贫原因"]] = "因残"
    assert problems(rows) == [(3, "主要致贫原因", "household_mismatch")]


def test_an_unrecognised_value_names_column_value_and_what_was_expected():
    rows = household_rows()
    rows[0][COL["健康状况"]] = "还行"
    household = checked(rows)[0]
    error = household.errors[0]
    assert (error.column, error.value) == ("健康状况", "还行")
    assert "健康" in error.message and "残疾" in error.message


def test_an_exited_household_needs_its_exit_year_after_identification():
    rows = household_rows(status="已脱贫", exit_year="")
    assert ("exit_year") in [code for _, _, code in problems(rows)]
    early = household_rows(status="已脱贫", exit_year=2013)
    assert problems(early) == [(2, "脱贫年度", "exit_year")]


def test_size_sex_and_birth_date_disagreements_are_warnings():
    rows = household_rows()
    for row in rows:
        row[COL["家庭人口数"]] = 3
    rows[0][COL["性别"]] = "女"
    rows[1][COL["出生日期"]] = "1962-07-02"
    household = checked(rows)[0]
    assert household.is_valid
    codes = {(w.row, w.column, w.code) for w in household.warnings}
    assert codes == {
        (2, "家庭人口数", "size_mismatch"),
        (2, "性别", "sex_mismatch"),
        (3, "出生日期", "birth_mismatch"),
    }
    birth = next(w for w in household.warnings if w.code == "birth_mismatch")
    assert "1962-07-02" in birth.message and "1962-07-01" in birth.message


def test_a_missing_or_partial_birth_date_is_taken_from_the_id():
    rows = household_rows()
    rows[0][COL["出生日期"]] = ""
    rows[1][COL["出生日期"]] = "1962.07"
    household = checked(rows)[0]
    assert household.is_valid and household.warnings == []
    assert [str(m.values["birth_date"]) for m in household.members] == ["1960-03-12", "1962-07-01"]


def test_a_row_without_a_household_number_before_any_household_is_an_error():
    rows = household_rows()
    rows[0][COL["户编号"]] = ""
    rows[1][COL["户编号"]] = ""
    assert (2, "户编号", "required") in problems(rows)
