"""Raw cells, as python-calamine reads them, turned into typed values column by column."""

import datetime as dt
from decimal import Decimal

import pytest

from households import idnumbers
from households.choices import ETHNIC_GROUPS
from households.registry.columns import BY_KEY, COLUMNS, Kind
from households.registry.normalise import (
    DATE_FORMS,
    ID_AS_NUMBER,
    PartialDate,
    ValueProblem,
    normaliser,
)

# A valid ID ending in X, and the legacy 15-digit form of the same person (GB 11643 examples).
ID_WITH_X = "11010519491231002X"
LEGACY_ID = "110105491231002"
PERSON_ID = idnumbers.make("142232", dt.date(1980, 1, 1), 12)


def read(key, raw):
    return normaliser(BY_KEY[key])(raw)


def problem(key, raw):
    with pytest.raises(ValueProblem) as caught:
        read(key, raw)
    return str(caught.value)


# --- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("郝玉 ", "郝玉"),
        ("\u3000郝玉\u3000", "郝玉"),
        ("\xa0郝玉\n", "郝玉"),
        ("冯\u3000强", "冯强"),  # a two-character name padded to the width of three
        ("中庄 东村", "中庄东村"),
        ("Li   Ming", "Li Ming"),
        ("\u200b娑婆乡", "娑婆乡"),
        (1.0, "1"),
        (2.5, "2.5"),
        (7, "7"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_text_is_trimmed_of_every_kind_of_space(raw, expected):
    # given a free-text cell as typed; when it is read; then only the words are left
    assert read("name", raw) == expected


# --- 户编号 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1422320000000184", "1422320000000184"),
        ("1422320000000184.0", "1422320000000184"),  # text written by a tool from a number
        (142232000000018.0, "142232000000018"),  # 15 digits: a number keeps them exactly
        (142232000000018, "142232000000018"),
        ("'1422320000000184", "1422320000000184"),
        ('="1422320000000184"', "1422320000000184"),
        (" 1422 3200 0000 0184 ", "1422320000000184"),
        ("１４２２３２０００００００１８４", "1422320000000184"),
        ("0012", "0012"),
        ("", ""),
    ],
)
def test_household_number_is_read_as_its_digits(raw, expected):
    assert read("household_number", raw) == expected


@pytest.mark.parametrize("raw", [1422320000000184.0, 1422320000000184, "1.42232E+15"])
def test_household_number_stored_as_a_long_number_is_refused(raw):
    # given a 16-digit number, which a spreadsheet keeps to 15 significant digits
    # then it is refused instead of stored with a wrong last digit
    assert "户编号被Excel存成了数字" in problem("household_number", raw)


@pytest.mark.parametrize("raw", ["14223A", "1" * 21, 12.5, -3])
def test_household_number_that_is_not_digits_is_refused(raw):
    assert "户编号应为不超过20位的数字" in problem("household_number", raw)


# --- integers and years -----------------------------------------------------------------------


@pytest.mark.parametrize("raw", [3, 3.0, "3", "３", " 3 ", "3人", "3口", "3.0"])
def test_household_size_accepts_the_usual_forms(raw):
    assert read("household_size", raw) == 3


@pytest.mark.parametrize("raw", ["3个月", "3月", 3.0, "３"])
def test_work_months_accept_a_unit(raw):
    assert read("work_months", raw) == 3


def test_empty_integer_is_none():
    assert read("household_size", "") is None
    assert read("work_months", None) is None


@pytest.mark.parametrize("raw", [2.5, "2.5", "三", "abc", "-1人"])
def test_integer_that_is_not_a_whole_number_is_refused(raw):
    # then the message says what to write
    assert "应为不小于1的整数" in problem("household_size", raw)


def test_integer_ranges_of_the_contract_are_checked():
    assert "超出范围，应为不小于1的整数" in problem("household_size", 0)
    assert "“13”超出范围，应为0至12之间的整数" in problem("work_months", 13)
    assert read("work_months", 0) == 0
    assert read("work_months", 12.0) == 12


@pytest.mark.parametrize("raw", [2016, 2016.0, "2016", "2016年", "２０１６", dt.date(2016, 7, 1)])
def test_year_accepts_numbers_text_and_date_cells(raw):
    assert read("identified_year", raw) == 2016


@pytest.mark.parametrize(("key", "raw"), [("identified_year", 2012), ("exit_year", "2031")])
def test_year_outside_2013_to_2030_is_refused(key, raw):
    assert "超出范围，应为2013至2030年之间的年份" in problem(key, raw)


def test_year_that_is_not_a_year_is_refused():
    assert "无法识别“十六年”" in problem("exit_year", "十六年")
    assert read("exit_year", "") is None


# --- 人均纯收入 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3506.59, "3506.59"),
        (0.1, "0.10"),
        (4460.9, "4460.90"),
        (3506, "3506.00"),
        ("3,506.59", "3506.59"),
        ("3，506.59", "3506.59"),
        ("3506.59元", "3506.59"),
        ("￥3506.59", "3506.59"),
        ("３５０６．５９", "3506.59"),
        (1.005, "1.01"),  # half up, on the number as written (the float is 1.00499…)
        (2.675, "2.68"),
        ("0.125", "0.13"),
        (0, "0.00"),
    ],
)
def test_income_is_an_exact_decimal_of_two_places(raw, expected):
    value = read("income_per_capita", raw)
    assert isinstance(value, Decimal) and value == Decimal(expected)
    assert str(value) == expected


def test_negative_or_unreadable_income_is_refused():
    assert "“-120.5”为负数，应为不小于0的数" in problem("income_per_capita", -120.5)
    assert "为负数" in problem("income_per_capita", "-3")
    assert "无法识别“约三千”，应为不小于0的数" in problem("income_per_capita", "约三千")
    assert read("income_per_capita", "") is None


# --- choices ----------------------------------------------------------------------------------


def test_every_label_of_every_choice_column_reads_as_its_value():
    # given each column with a choices class and each of its labels
    for column in COLUMNS:
        if column.kind != Kind.CHOICE or column.choices is None:
            continue
        read_cell = normaliser(column)
        for value, label in column.choices.choices:
            # then the label, its English value and a spaced, full-width form all read
            assert read_cell(label) == value, (column.key, label)
            assert read_cell(value) == value
            assert read_cell(f" {label}\u3000") == value


# column value: the variants real files write for it (contract §9 and more), space-separated.
VARIANTS = """
main_cause illness: 因病致贫 因_病
main_cause disability: 因残致贫
main_cause lack_of_labour: 缺劳动力 缺劳动力致贫
poverty_attribute minimum_living: 低保户 低保
poverty_attribute extreme_poverty_support: 五保户 五保 特困供养 特困
poverty_attribute ordinary: 一般户 一般
labour_skill lost: 丧失劳动能力 丧失劳动力
labour_skill ordinary: 普通
labour_skill skilled: 技能
labour_skill weak_or_half: 弱劳动力 半劳动力
labour_skill none: 无
health disabled: 残疾人
health chronic_illness: 慢性病
health serious_illness: 大病
sex male: 男性 1
sex female: 女性 2
status exited: 已脱贫 脱贫 是
status not_exited: 未脱贫 否 贫困
status returned: 返贫 已返贫
status removed: 清退 已清退
relation_to_head head: 户主本人 本人 户主
relation_to_head son: 儿子 长子 次子 三子 子
relation_to_head daughter: 女儿 长女 次女 女
relation_to_head spouse: 妻子 丈夫 妻 夫
relation_to_head daughter_in_law: 儿媳
relation_to_head son_in_law: 女婿
relation_to_head grandson: 孙子
relation_to_head granddaughter: 孙女
relation_to_head daughters_son: 外孙
relation_to_head daughters_daughter: 外孙女
relation_to_head father: 父亲
relation_to_head mother: 母亲
relation_to_head wifes_father: 岳父
relation_to_head wifes_mother: 岳母
relation_to_head husbands_father: 公公
relation_to_head husbands_mother: 婆婆
relation_to_head grandfather: 祖父
relation_to_head grandmother: 祖母
relation_to_head sibling: 兄弟 姐妹 兄 弟 姐 妹
relation_to_head other: 其它
identification_standard national: 国家 国标
identification_standard provincial: 省定 省标
identification_standard municipal: 市定
education illiterate: 文盲 半文盲
education college_or_above: 大专 本科 大学 大专以上
student_status not_student: 非在校 不在校
student_status preschool: 学前 幼儿园
student_status higher_vocational: 高职 大专
student_status bachelor_or_above: 本科 大学
work_status not_working: 未务工 无 否
work_status in_township: 乡镇内务工 乡(镇)内务工 乡（镇)内务工 乡（镇）内务工_
work_status in_county: 县内务工
work_status in_province: 省内县外务工 省内务工
work_status out_of_province: 省外务工
"""
ALIASES = [
    (key, raw.replace("_", " "), value)  # _ stands for a space typed in the cell
    for line in VARIANTS.strip().splitlines()
    for key, value, raws in [line.replace(":", "").split(maxsplit=2)]
    for raw in raws.split()
]


@pytest.mark.parametrize(("key", "raw", "expected"), ALIASES)
def test_the_usual_variants_read_as_the_contract_value(key, raw, expected):
    # given a variant seen in real files; then it reads as the canonical choice's value
    assert read(key, raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(1, "male"), (2.0, "female"), (1.0, "male")])
def test_sex_codes_of_national_exports_read_as_numbers_too(raw, expected):
    assert read("sex", raw) == expected


def test_unknown_choice_is_refused_naming_every_allowed_label():
    # given a value no spelling matches; then nothing is invented and the labels are listed
    assert problem("health", "还行") == "无法识别“还行”，应为：健康、长期慢性病、患有大病、残疾"
    assert problem("sex", 3) == "无法识别“3”，应为：男、女"
    assert "应为：户主、配偶、之子" in problem("relation_to_head", "邻居")


def test_empty_choice_is_empty_text():
    assert read("education", "") == ""
    assert read("health", " ") == ""


@pytest.mark.parametrize("name", ETHNIC_GROUPS)
def test_each_ethnic_group_reads_with_or_without_its_last_character(name):
    # given one of the 56 names; then the name itself, without 族 and padded all read as it
    assert read("ethnicity", name) == name
    assert read("ethnicity", name.removesuffix("族")) == name
    assert read("ethnicity", f"{name} ") == name


def test_han_and_unknown_ethnicity():
    assert read("ethnicity", "汉") == "汉族"
    assert read("ethnicity", "蒙古") == "蒙古族"
    assert "无法识别“火星族”，应为56个民族的名称之一" in problem("ethnicity", "火星族")


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("缺资金、交通条件落后", ["lack_of_funds", "poor_transport"]),
        ("缺水，因灾;缺技术；因学", ["lack_of_water", "disaster", "lack_of_skills", "schooling"]),
        ("缺水/因灾 缺技术", ["lack_of_water", "disaster", "lack_of_skills"]),
        ("因病致贫、因病、缺水", ["illness", "lack_of_water"]),
        ("因 病", ["illness"]),
        ("无", []),
        ("", []),
    ],
)
def test_other_causes_are_split_read_and_deduplicated(raw, expected):
    assert read("other_causes", raw) == expected


def test_unknown_other_cause_is_refused():
    assert "无法识别“缺钱”，应为：因病、因残" in problem("other_causes", "因病、缺钱")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("沈胜", ["沈胜"]),
        ("沈胜、 赖伟 ", ["沈胜", "赖伟"]),
        ("沈胜，赖伟;高秋花", ["沈胜", "赖伟", "高秋花"]),
        ("沈胜 赖伟", ["沈胜", "赖伟"]),
        ("冯\u3000强", ["冯强"]),  # padding inside one name, not two names
        ("、、", []),
        ("", []),
    ],
)
def test_cadre_names_are_split_and_trimmed(raw, expected):
    assert read("responsible_cadres", raw) == expected


# --- 联系电话 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        (13812345678.0, "13812345678"),
        (13812345678, "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("'13812345678", "13812345678"),
        ("0351-1234567", "0351-1234567"),
        ("010-12345678", "010-12345678"),
        ("(0351)1234567", "0351-1234567"),
        ("03511234567", "03511234567"),
        ("", ""),
    ],
)
def test_phone_is_a_mobile_or_a_landline_with_area_code(raw, expected):
    assert read("phone", raw) == expected


@pytest.mark.parametrize("raw", ["1234567", "23812345678", "138123456789", "电话", 3511234567.0])
def test_phone_that_is_neither_is_refused(raw):
    assert problem("phone", raw) == "联系电话应为11位手机号或带区号的固定电话"


# --- 证件号码 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (PERSON_ID, PERSON_ID),
        (ID_WITH_X, ID_WITH_X),
        (ID_WITH_X.lower(), ID_WITH_X),
        ("110105 19491231 002x", ID_WITH_X),
        (" 11010519491231002X\u3000", ID_WITH_X),
        ("１１０１０５１９４９１２３１００２Ｘ", ID_WITH_X),
        ("'11010519491231002X", ID_WITH_X),
        (LEGACY_ID, ID_WITH_X),
        (int(LEGACY_ID), ID_WITH_X),
        (float(LEGACY_ID), ID_WITH_X),
        (LEGACY_ID + ".0", ID_WITH_X),
        ("", ""),
    ],
)
def test_id_number_is_normalised_to_eighteen_characters(raw, expected):
    assert read("id_number", raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        float(PERSON_ID),
        int(PERSON_ID),
        "4.10102E+17",
        "4.10102e17",
        "410102198001011234.0",
        "１.４２２３２E＋１７",
    ],
)
def test_eighteen_digit_id_stored_as_a_number_is_refused_never_guessed(raw):
    assert problem("id_number", raw) == ID_AS_NUMBER


def test_wrong_check_character_gives_the_expected_one():
    # given a valid ID with its last character changed
    broken = ID_WITH_X[:17] + "1"
    # then the message of idnumbers names the right character
    assert problem("id_number", broken) == "证件号码校验位错误：最后一位应为 X"


@pytest.mark.parametrize("raw", ["12345", "11010519491331002X", "身份证", 12.5])
def test_malformed_id_number_is_refused(raw):
    assert problem("id_number", raw).startswith("证件号码")


def test_id_with_a_birth_date_in_the_future_is_refused():
    future = idnumbers.make("142232", dt.date.today() + dt.timedelta(days=400), 11)
    assert "不合理" in problem("id_number", future)


# --- 出生日期 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(1965, 3, 12),
        dt.datetime(1965, 3, 12),
        "1965-03-12",
        "1965.03.12",
        "1965-3-12",
        "1965/03/12",
        "1965/3/12",
        "19650312",
        "19650312.0",
        19650312,
        19650312.0,
        "1965年3月12日",
        "1965年03月12号",
        "1965-03-12 00:00:00",
        " 1965.03.12\u3000",
        "１９６５－０３－１２",
        23813.0,  # an Excel serial day number
        23813,
    ],
)
def test_birth_date_accepts_every_usual_form(raw):
    assert read("birth_date", raw) == dt.date(1965, 3, 12)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1965.03", PartialDate(1965, 3)),
        ("1965-03", PartialDate(1965, 3)),
        ("1965-3", PartialDate(1965, 3)),
        ("196503", PartialDate(1965, 3)),
        (196503, PartialDate(1965, 3)),
        (196503.0, PartialDate(1965, 3)),
        ("1965年3月", PartialDate(1965, 3)),
        ("1965年", PartialDate(1965, None)),
    ],
)
def test_birth_date_without_a_day_is_a_partial_date(raw, expected):
    # given a date without its day; then year and month are kept, the day left to the ID
    assert read("birth_date", raw) == expected


def test_partial_date_prints_what_is_known():
    assert str(PartialDate(1965, 3)) == "1965-03"
    assert str(PartialDate(1965, None)) == "1965"


def test_empty_birth_date_is_none():
    assert read("birth_date", "") is None
    assert read("birth_date", None) is None


@pytest.mark.parametrize("raw", ["1965-02-30", "1965.13", "19651301", "1965年2月30日"])
def test_impossible_date_is_refused(raw):
    assert problem("birth_date", raw).endswith("不是有效日期，" + DATE_FORMS)


@pytest.mark.parametrize("raw", ["不详", "65.3.12", "1965.03.12.1", 123456789, -5.0, 0])
def test_unreadable_date_is_refused_naming_the_accepted_forms(raw):
    message = problem("birth_date", raw)
    assert "1965-03-12" in message and "1965年3月" in message


def test_date_with_an_implausible_year_is_refused():
    assert "“1765-03-12”不是有效日期" in problem("birth_date", "1765-03-12")
    assert "不是有效日期" in problem("birth_date", 75000.0)  # serial day 75000 is in 2105


# --- yes / no ---------------------------------------------------------------------------------


YES = ["是", "Y", "y", "YES", "yes", "√", "✓", "☑", "1", 1, 1.0, True, "有", "参加", "已参加"]
YES += ["TRUE", "true", "Ｙ", " 是 "]
NO = ["否", "N", "n", "NO", "×", "✗", "0", 0, 0.0, False, "无", "未参加", "FALSE", "否 "]


@pytest.mark.parametrize("raw", YES)
def test_yes_marks_read_as_true(raw):
    assert read("has_medical_insurance", raw) is True


@pytest.mark.parametrize("raw", NO)
def test_no_marks_read_as_false(raw):
    assert read("has_pension_insurance", raw) is False


def test_empty_or_unknown_yes_no():
    assert read("has_medical_insurance", "") is None
    assert problem("has_medical_insurance", "不清楚") == "无法识别“不清楚”，应为：是、否"


# --- the cache --------------------------------------------------------------------------------


def test_a_value_read_twice_gives_the_same_result_and_errors_are_raised_each_time():
    # given one normaliser reading the same cells again, as it does on every member row
    read_cell = normaliser(BY_KEY["poverty_attribute"])
    assert read_cell("低保户") == read_cell("低保户") == "minimum_living"
    # then an unreadable value is refused every time, not only the first
    for _ in range(2):
        with pytest.raises(ValueProblem):
            read_cell("富裕户")


def test_a_true_cell_reads_as_one_whichever_comes_first():
    # given Excel's TRUE, which the cache cannot tell from 1
    first_true, first_one = normaliser(BY_KEY["sex"]), normaliser(BY_KEY["sex"])
    # then it reads as the number 1 whether or not 1 was seen before
    assert first_true(True) == first_true(1) == "male"
    assert first_one(1) == first_one(True) == "male"
