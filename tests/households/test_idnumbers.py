import datetime as dt

import pytest

from households import idnumbers


def test_worked_examples_from_the_standard_are_valid():
    assert idnumbers.parse("11010519491231002X").birth_date == dt.date(1949, 12, 31)
    assert idnumbers.parse("440524188001010014").is_male is True


def test_wrong_check_character_is_refused_with_the_expected_one():
    with pytest.raises(idnumbers.IdNumberError, match="校验位错误：最后一位应为 X"):
        idnumbers.parse("110105194912310021")


def test_impossible_birth_date_is_refused():
    number = idnumbers.make("110105", dt.date(1949, 12, 31), 2)
    broken = number[:10] + "1332" + number[14:17]
    with pytest.raises(idnumbers.IdNumberError, match="不是有效日期"):
        idnumbers.parse(broken + idnumbers.check_character(broken))


def test_birth_date_in_the_future_is_refused():
    number = idnumbers.make("110105", dt.date(2030, 1, 1), 1)
    with pytest.raises(idnumbers.IdNumberError, match="不合理"):
        idnumbers.parse(number, today=dt.date(2026, 1, 1))


def test_lowercase_x_spaces_and_full_width_digits_are_normalised():
    assert idnumbers.parse(" 110105 1949 1231002x").number == "11010519491231002X"
    assert idnumbers.parse("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


def test_legacy_fifteen_digit_id_is_converted():
    facts = idnumbers.parse("110105491231002")
    assert facts.number == "11010519491231002X"
    assert facts.is_male is False


def test_sex_comes_from_the_seventeenth_digit():
    assert idnumbers.parse(idnumbers.make("130534", dt.date(1980, 5, 6), 13)).is_male is True
    assert idnumbers.parse(idnumbers.make("130534", dt.date(1980, 5, 6), 14)).is_male is False


@pytest.mark.parametrize("raw", ["", "12345", "4.10102E+17", "11010519491231002Y"])
def test_malformed_numbers_are_refused(raw):
    assert idnumbers.is_valid(raw) is False
