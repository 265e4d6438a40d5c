"""Stage 4a, normalise: raw cell values, as python-calamine reads them, to typed values.

Run on every cell of 100,000-row files. Most columns hold few distinct values, so a column's
function is the C-level lookup of a dict that computes each value once; ID numbers skip it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import TextChoices

from households import choices, idnumbers
from households.registry.columns import Column, Kind

Normaliser = Callable[[Any], Any]


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is Chinese and says what was expected."""


@dataclass(frozen=True)
class PartialDate:
    """A date whose day (or month and day) is unknown, such as 1965.03 or 1965年3月."""

    year: int
    month: int | None

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


DIGITS_AS_NUMBER = "户编号被Excel存成了数字，可能已丢失末位，请设置为文本格式后重新填写"
ID_AS_NUMBER = (
    "证件号码被Excel存成了数字（只保留15位有效数字），无法确定原值，请将该列设为文本格式后重新填写"
)
PHONE_EXPECTED = "联系电话应为11位手机号或带区号的固定电话"
DATE_FORMS = (
    "应为日期，如1965-03-12、1965.03.12、1965/3/12、19650312或1965年3月12日；"
    "日不详时可写1965.03、196503或1965年3月"
)
# Columns the contract bounds: key → (lowest, highest or None, what to write).
_RANGES: dict[str, tuple[int, int | None, str]] = {
    "household_size": (1, None, "不小于1的整数"),
    "work_months": (0, 12, "0至12之间的整数"),
    "identified_year": (2013, 2030, "2013至2030年之间的年份，如2016"),
    "exit_year": (2013, 2030, "2013至2030年之间的年份，如2016"),
}
_ANY_COUNT = (0, None, "不小于0的整数")
_ANY_YEAR = (1949, 2100, "1949至2100年之间的年份，如2016")

# Full-width ASCII (as Chinese input methods type it) to half-width; zero-width characters go.
_INVISIBLE = dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF))
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 32} | _INVISIBLE
_CACHE_LIMIT = 50_000  # validate keeps normalisers for the process's life: bound their memory
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
_SEPARATORS = re.compile(r"[、,;/|\\。\n]+")
_LIST_MARKS = re.compile(r"[、,;/|\\。\s]")
_INTEGER_TEXT = re.compile(r"(\d+)(?:\.0*)?(?:个月|人|口|月|个|年)?")  # 3人, 10个月, 2016年
_DECIMAL_TEXT = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NUMBER_TEXT = re.compile(r"(\d+)(?:\.(\d*))?(?:E\+?(\d+))?")
_CENT = Decimal("0.01")
_MOBILE = re.compile(r"1\d{10}")
_LANDLINE = re.compile(r"\(?(0\d{2,3})\)?(-?)(\d{7,8})")
_FULL_DATE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})[日号]?(T?\d\d?:\d\d(:\d\d)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)?(?:\.0*)?")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:年|[-./年](\d{1,2})月?)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def normaliser(column: Column) -> Normaliser:
    """The function that types one raw cell of `column`; never change a list it returns."""
    return _BUILDERS[column.kind](column)


class _Memo(dict[Any, Any]):
    """Raw value → result, each computed once by `convert`; errors are raised, never kept."""

    __slots__ = ("convert",)

    def __init__(self, convert: Normaliser) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, raw: Any) -> Any:
        # True == 1 and False == 0 share a key, so a TRUE cell reads as 1, as in Excel arithmetic.
        value = self.convert(int(raw) if raw.__class__ is bool else raw)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[raw] = value
        return value


def _memo(convert: Normaliser) -> Normaliser:
    return _Memo(convert).__getitem__


def _squash(text: str) -> str:
    """Half-width, without any whitespace: the form in which numbers and codes are compared."""
    return "".join(text.translate(_HALF_WIDTH).split())


def _cell_text(raw: Any) -> str:
    """What Excel shows for a cell that is not text: 1.0 as 1, a date as YYYY-MM-DD."""
    if raw.__class__ is str:
        return raw
    if raw.__class__ is float:
        return str(int(raw)) if raw.is_integer() and abs(raw) < 1e16 else format(raw, ".15g")
    if isinstance(raw, dt.date):
        return f"{raw:%Y-%m-%d}"
    return "" if raw is None else str(raw)


def _unreadable(raw: Any, expected: str) -> ValueProblem:
    return ValueProblem(f"无法识别“{_cell_text(raw).strip()}”，{expected}")


def _plain_digits(raw: Any, too_long: str, exact: int) -> str:
    """A cell's text as typed; numbers of 16+ digits (Excel keeps 15) and their display refused."""
    if raw.__class__ is float and math.isfinite(raw) and raw.is_integer():
        raw = int(raw)
    if raw.__class__ is int and raw >= 10**15:
        raise ValueProblem(too_long)
    if raw.__class__ is not str:
        return _cell_text(raw)
    text = _squash(raw).lstrip("'‘`").upper()  # ' and ="…" keep Excel from reading a number
    text = text[2:-1] if text.startswith('="') and text.endswith('"') else text
    if ("." in text or "E" in text) and (match := _NUMBER_TEXT.fullmatch(text)):
        if match[3] or len(match[1].lstrip("0")) > exact:
            raise ValueProblem(too_long)
        return match[1] if not (match[2] or "").strip("0") else text
    return text


def _text_value(raw: Any) -> str:
    text = _cell_text(raw).strip()
    if " " not in text and text.isprintable():
        return text
    # One space between words, none between Chinese characters (names are padded as 冯　强).
    return _CJK_GAP.sub("", " ".join(text.translate(_INVISIBLE).split()))


def _digits_value(raw: Any) -> str:
    if raw.__class__ is str and len(raw) <= 20 and raw.isdigit() and raw.isascii():
        return raw
    text = _plain_digits(raw, DIGITS_AS_NUMBER, exact=20)
    if len(text) <= 20 and (not text or (text.isdigit() and text.isascii())):
        return text
    raise _unreadable(raw, "户编号应为不超过20位的数字")


def _integer_value(raw: Any, expected: str) -> int | None:
    if raw.__class__ is int or (raw.__class__ is float and raw.is_integer()):
        return int(raw)
    if (text := _cell_text(raw)) and (match := _INTEGER_TEXT.fullmatch(_squash(text))):
        return int(match[1])
    if not text.strip():
        return None
    raise _unreadable(raw, "应为" + expected)


def _bounded(bounds: tuple[int, int | None, str], *, dates: bool = False) -> Normaliser:
    low, high, expected = bounds

    def convert(raw: Any) -> int | None:
        if dates and isinstance(raw, dt.date):
            value: int | None = raw.year  # a year typed as a date
        else:
            value = _integer_value(raw, expected)
        if value is not None and not low <= value <= (value if high is None else high):
            raise ValueProblem(f"“{value}”超出范围，应为{expected}")
        return value

    return _memo(convert)


def _decimal_value(raw: Any) -> Decimal | None:
    expected = "应为不小于0的数，如3506.59"
    if raw.__class__ is float and 0 <= raw < 1e15:  # not NaN: it fails both comparisons
        return Decimal(repr(raw)).quantize(_CENT, ROUND_HALF_UP)  # repr: 3506.59 as written
    if raw.__class__ is float or raw.__class__ is int:
        text = repr(raw)
    elif not (text := _squash(_cell_text(raw)).replace(",", "").removesuffix("元").lstrip("¥￥")):
        return None
    if not _DECIMAL_TEXT.fullmatch(text):
        raise _unreadable(raw, expected)
    if (number := Decimal(text)) < 0:
        raise ValueProblem(f"“{_cell_text(raw).strip()}”为负数，应为不小于0的数")
    try:
        return number.quantize(_CENT, ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a Decimal context holds
        raise _unreadable(raw, expected) from None


# Other spellings real files use: "label alias alias | label alias …" (any width, any spaces).
# Every label is also read without its leading 之 (子, 岳父), every cause with 致贫 after it.
_ALIASES: dict[type[TextChoices], str] = {
    choices.IdentificationStandard: "国家标准 国家 国标 | 省定标准 省定 省标 | 市定标准 市定 市标",
    choices.PovertyAttribute: "一般贫困户 一般户 一般 一般农户 | 低保贫困户 低保户 低保 "
    "| 特困供养贫困户 五保户 五保 五保贫困户 特困供养 特困 特困户 特困供养户",
    choices.Cause: "因残 因残疾 | 因灾 因灾害 | 缺土地 缺少土地 | 缺技术 缺少技术 "
    "| 缺资金 缺少资金 | 缺劳力 缺劳动力 缺少劳力 缺少劳动力 | 交通条件落后 交通落后 "
    "| 自身发展动力不足 发展动力不足 缺乏发展动力",
    choices.HouseholdStatus: "已脱贫 脱贫 是 脱贫户 已脱贫户 | 未脱贫 否 贫困 贫困户 未脱贫户 "
    "| 返贫 已返贫 返贫户 | 已清退 清退 清退户",
    choices.Relation: "户主 户主本人 本人 | 配偶 妻子 丈夫 妻 夫 爱人 "
    "| 之子 儿子 长子 次子 三子 四子 五子 独子 养子 继子 "
    "| 之女 女儿 长女 次女 三女 四女 五女 独女 养女 继女 | 之儿媳 儿媳妇 | 之孙子 孙 "
    "| 之外孙子 外孙 | 之父 父亲 | 之母 母亲 | 之祖父 爷爷 | 之祖母 奶奶 "
    "| 之兄弟姐妹 兄弟 姐妹 兄 弟 姐 妹 哥哥 弟弟 姐姐 妹妹 | 其他 其它",
    choices.Sex: "男 男性 1 M | 女 女性 2 F",
    choices.Education: "文盲或半文盲 文盲 半文盲 文盲半文盲 | 中专 中职 "
    "| 大专及以上 大专 本科 大学 大专以上 本科及以上 研究生 | 学龄前儿童 学龄前 学前儿童",
    choices.StudentStatus: "非在校生 非在校 不在校 | 学前教育 学前 幼儿园 | 中职 中专 "
    "| 高职高专 高职 大专 | 本科及以上 本科 大学 研究生",
    choices.Health: "长期慢性病 慢性病 | 患有大病 大病 | 残疾 残疾人",
    choices.LabourSkill: "普通劳动力 普通 | 技能劳动力 技能 "
    "| 弱劳动力或半劳动力 弱劳动力 半劳动力 | 丧失劳动力 丧失劳动能力 | 无劳动力 无",
    choices.WorkStatus: "未务工 无 否 不务工 | 乡（镇）内务工 乡镇内务工 | 省内县外务工 省内务工",
}
_NO_ITEMS = ("无", "没有")  # how a list cell often says "none"


def _key(text: str) -> str:
    return _squash(text).upper()


_YES = "是 Y YES TRUE √ ✓ ✔ ☑ 1 有 参加 已参加 参保 已参保"
_NO = "否 N NO FALSE × ✗ ✘ ☒ 0 无 未参加 不参加 未参保"
_BOOLEANS = {_key(word): True for word in _YES.split()} | {_key(w): False for w in _NO.split()}


def _choice_table(enum: type[TextChoices]) -> dict[str, Any]:
    """Every accepted spelling, as `_key` writes it → the choice's value."""
    labels = {str(label): str(value) for value, label in enum.choices}
    spellings = {label: [value, label, label.removeprefix("之")] for label, value in labels.items()}
    for group in _ALIASES.get(enum, "").split("|"):
        label, *aliases = group.split()
        spellings[label].extend(aliases)  # a KeyError here is a typo in _ALIASES
    table = {_key(word): labels[label] for label, words in spellings.items() for word in words}
    suffix = "致贫" if enum is choices.Cause else ""  # 因病致贫 for 因病
    return table | {key + suffix: value for key, value in table.items()}


# The 56 names all end in 族, which files often leave out (汉, 蒙古).
_ETHNICITIES = {_key(word): name for name in choices.ETHNIC_GROUPS for word in (name, name[:-1])}


def _lookup(table: dict[str, Any], expected: str, empty: Any) -> Callable[[Any], Any]:
    def convert(raw: Any) -> Any:
        text = _cell_text(raw)
        if (value := table.get(key := _key(text), empty)) is empty and key:
            raise ValueProblem(f"无法识别“{text.strip()}”，应为{expected}")
        return value

    return convert


def _choice_value(column: Column) -> Callable[[Any], str]:
    if column.choices is not None:
        expected = "：" + "、".join(str(label) for label in column.choices.labels)
        return _lookup(_choice_table(column.choices), expected, "")
    if column.key == "ethnicity":
        return _lookup(_ETHNICITIES, "56个民族的名称之一，如汉族、蒙古族、回族", "")
    raise TypeError(f"column {column.key} has no choices")


def _split(text: str) -> list[str]:
    """A list cell's items; spaces separate items unless they only pad a name (冯 强)."""
    if not _LIST_MARKS.search(text := text.translate(_HALF_WIDTH)):
        return [text] if text else []  # most cells: one name or cause, nothing to trim
    items: list[str] = []
    for words in map(str.split, _SEPARATORS.split(text)):
        is_padded = any(len(word) == 1 for word in words)
        items.extend(["".join(words)] if is_padded else words)
    return items


def _choices(column: Column) -> Normaliser:
    one = _choice_value(column)

    def convert(raw: Any) -> list[str]:
        items = [item for item in _split(_cell_text(raw)) if item not in _NO_ITEMS]
        return list(dict.fromkeys(map(one, items)))

    return _memo(convert)


def _phone_value(raw: Any) -> str:
    if raw.__class__ is str and _MOBILE.fullmatch(raw):
        return raw
    text = _plain_digits(raw, PHONE_EXPECTED, exact=15).removeprefix("+86").removeprefix("0086")
    if _MOBILE.fullmatch(plain := text.replace("-", "")) or not text:
        return plain
    if match := _LANDLINE.fullmatch(text):
        area, hyphen, number = match.groups()
        return f"{area}-{number}" if hyphen or text.startswith("(") else area + number
    raise ValueProblem(PHONE_EXPECTED)


def _id_number(column: Column) -> Normaliser:
    births: set[str] = set()  # valid ones only: a date in the future becomes valid one day
    this_year, check_characters = str(dt.date.today().year), idnumbers.CHECK_CHARACTERS

    def is_valid(text: str) -> bool:
        if len(text) != 18 or not ((head := text[:17]).isdigit() and text.isascii()):
            return False
        # The weights are 2**k mod 11, and 13 ≡ 2 (mod 11): reading base 13 sums them in C.
        if text[17] != check_characters[2 * int(head, 13) % 11]:
            return False
        if (birth := text[6:14]) not in births:
            try:
                date = dt.date.fromisoformat(birth)  # YYYYMMDD, ISO 8601's basic form
            except ValueError:
                return False
            if date.year < 1850 or (birth[:4] >= this_year and date > dt.date.today()):
                return False
            if len(births) >= _CACHE_LIMIT:
                births.clear()
            births.add(birth)
        return True

    def normalise(raw: Any) -> str:
        if raw.__class__ is str and is_valid(raw):
            return raw
        text = _plain_digits(raw, ID_AS_NUMBER, exact=15)
        if not text or is_valid(text):
            return text
        try:  # idnumbers turns a 15-digit ID into 18 and says what is wrong with the others
            return idnumbers.parse(text).number
        except idnumbers.IdNumberError as error:
            raise ValueProblem(str(error)) from None

    return normalise


def _date_value(raw: Any) -> dt.date | PartialDate | None:
    if raw.__class__ is str and len(raw) == 10 and raw[4] == raw[7] == "-":
        try:  # the canonical form; checked first, since fromisoformat also reads week dates
            if 1850 <= (date := dt.date.fromisoformat(raw)).year <= 2100:
                return date
        except ValueError:
            pass
    if isinstance(raw, dt.date):
        return raw.date() if isinstance(raw, dt.datetime) else raw
    if raw.__class__ is float or raw.__class__ is int:
        return _date_number(raw)
    text = _squash(_cell_text(raw))
    match = _FULL_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match := match or _PARTIAL_DATE.fullmatch(text):
        year, month, day = (int(part) if part else None for part in (*match.groups(), None)[:3])
        return _checked_date(year, month, day, text)
    if text:
        raise ValueProblem(f"无法识别“{text}”，{DATE_FORMS}")
    return None


def _date_number(raw: float) -> dt.date | PartialDate | None:
    """19650312 or 196503 as a number, or an Excel serial day number (days since 1899-12-30)."""
    if math.isfinite(raw) and float(raw).is_integer() and raw >= 100_000:
        return _date_value(str(int(raw)))
    if 1 <= raw < 80_000:
        date = _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        return _checked_date(date.year, date.month, date.day, _cell_text(raw))
    raise ValueProblem(f"无法识别“{_cell_text(raw)}”，{DATE_FORMS}")


def _checked_date(year: int | None, month: int | None, day: int | None, text: str) -> Any:
    """The date, or a PartialDate when the day (or month and day) is missing."""
    try:
        if year is None or not 1850 <= year <= 2100 or not 1 <= (month or 1) <= 12:
            raise ValueError(year)
        return PartialDate(year, month) if day is None else dt.date(year, month or 0, day)
    except ValueError:
        raise ValueProblem(f"“{text}”不是有效日期，{DATE_FORMS}") from None


_BUILDERS: dict[Kind, Callable[[Column], Normaliser]] = {
    Kind.TEXT: lambda column: _memo(_text_value),
    Kind.DIGITS: lambda column: _memo(_digits_value),
    Kind.INTEGER: lambda column: _bounded(_RANGES.get(column.key, _ANY_COUNT)),
    Kind.YEAR: lambda column: _bounded(_RANGES.get(column.key, _ANY_YEAR), dates=True),
    Kind.DECIMAL: lambda column: _memo(_decimal_value),
    Kind.CHOICE: lambda column: _memo(_choice_value(column)),
    Kind.CHOICES: _choices,
    Kind.NAMES: lambda column: _memo(lambda raw: _split(_cell_text(raw))),
    Kind.PHONE: lambda column: _memo(_phone_value),
    Kind.ID_NUMBER: _id_number,
    Kind.DATE: lambda column: _memo(_date_value),
    Kind.BOOLEAN: lambda column: _memo(_lookup(_BOOLEANS, "：是、否", None)),
}
