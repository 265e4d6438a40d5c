"""Resident ID numbers (公民身份号码, GB 11643-1999): normalise, validate, read birth and sex."""

import datetime as dt
import re
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
LEGACY_PATTERN = re.compile(r"^\d{15}$")
# Full-width digits and letters as Chinese input methods type them.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＩ", "0123456789XxI")


class IdNumberError(ValueError):
    """An ID number that is not valid; the message is Chinese and says what was expected."""


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    birth_date: dt.date
    is_male: bool


def normalise(raw: str) -> str:
    """Strip spaces, turn full-width characters half-width and a lowercase x upper-case."""
    text = str(raw).translate(_FULL_WIDTH)
    return re.sub(r"\s+", "", text).upper()


def check_character(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def convert_legacy(number: str) -> str:
    """Turn a 15-digit ID (GB 11643-1989) into its 18-character form (births after 1900)."""
    first_17 = number[:6] + "19" + number[6:]
    return first_17 + check_character(first_17)


def parse(raw: str, *, today: dt.date | None = None) -> IdNumberFacts:
    """Validate an ID number and return its normalised 18-character form with birth date and sex."""
    number = normalise(raw)
    if LEGACY_PATTERN.match(number):
        number = convert_legacy(number)
    if not ID_PATTERN.match(number):
        raise IdNumberError("证件号码应为18位：前17位数字，最后一位为数字或X")
    try:
        birth_date = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError(f"证件号码中的出生日期 {number[6:14]} 不是有效日期") from exc
    if birth_date > (today or dt.date.today()) or birth_date.year < 1850:
        raise IdNumberError(f"证件号码中的出生日期 {birth_date:%Y-%m-%d} 不合理")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError(f"证件号码校验位错误：最后一位应为 {expected}")
    return IdNumberFacts(number=number, birth_date=birth_date, is_male=int(number[16]) % 2 == 1)


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except IdNumberError:
        return False
    return True


def make(area_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid ID (demo data and tests); an odd sequence gives a man, an even one a woman."""
    first_17 = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first_17 + check_character(first_17)
