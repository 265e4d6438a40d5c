"""The ledger (一户一册) of one household as plain data: what the workbook, the print page and
the import all work from.

Every value is held as its printed text, so that a workbook exported and read back unchanged
compares equal cell for cell; `canonical` brings what Excel or WPS hands back (numbers, dates,
booleans) to that same text, and `to_python` turns an edited text into the model's value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

YES, NO = "是", "否"


class Kind(StrEnum):
    """How a value is printed and read back."""

    TEXT = "text"
    INT = "int"
    MONEY = "money"  # yuan, two places
    DECIMAL = "decimal"  # 亩 and m², two places
    DATE = "date"  # YYYY-MM-DD
    BOOL = "bool"  # 是 / 否 / blank
    CHOICE = "choice"  # the choice's Chinese label
    CHOICES = "choices"  # several labels joined by 、


class LedgerValueError(ValueError):
    """An edited cell that cannot become the field's value; the message is Chinese."""


@dataclass(frozen=True)
class Column:
    """One labelled value: a field of a form-like section or a column of a table."""

    key: str  # the model attribute it comes from, or a computed name
    label: str  # the Chinese label printed in the ledger and searched for on import
    kind: Kind = Kind.TEXT
    editable: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    width: int = 10  # printed width in characters
    required: bool = False
    masked: Callable[[str | None], str] | None = None  # a personal identifier's mask


@dataclass(frozen=True)
class Row:
    """A table row; `ref` ("member:12") names the stored record, "" a row added by the user."""

    ref: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    key: str  # "members", "measures", …
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    can_add: bool = False  # the user may insert rows (a visit, a measure, this year's income)
    blank_rows: int = 0  # empty lines printed for writing by hand

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


@dataclass(frozen=True)
class Field:
    """A labelled value of a form-like section; `ref` names its record ("household:5")."""

    column: Column
    value: str
    ref: str


@dataclass(frozen=True)
class Section:
    key: str  # "cover", "basics", "members", …
    title: str  # printed title, found by the importer: "二、家庭基本情况"
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    note: str = ""  # printed under the title (how to fill it in)


@dataclass(frozen=True)
class Booklet:
    """One household's ledger, masked as its reader may see it."""

    household_id: int
    household_number: str
    version: int
    head_name: str
    county: str
    township: str
    village: str
    year: int  # the ledger's year, printed on the cover
    sections: tuple[Section, ...]
    full_ids: bool = False  # ID numbers and phones printed in full
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def table(self, key: str) -> Table:
        return next(t for section in self.sections for t in section.tables if t.key == key)

    @property
    def title(self) -> str:
        return f"{self.township}{self.village} {self.head_name}户（{self.household_number}）"


# --- Values: model value → printed text → model value ------------------------------------


def display(column: Column, value: Any, *, full: bool = False) -> str:
    """The printed text of a model value (masked unless `full`)."""
    if value is None or value == "" or value == []:
        return ""
    text = _display(column, value)
    if column.masked is not None and not full:
        return column.masked(text)
    return text


def _display(column: Column, value: Any) -> str:
    match column.kind:
        case Kind.MONEY | Kind.DECIMAL:
            return f"{Decimal(value):.2f}"
        case Kind.DATE:
            return value.isoformat() if isinstance(value, dt.date) else str(value)
        case Kind.BOOL:
            return YES if value else NO
        case Kind.CHOICE:
            return dict(column.choices).get(value, str(value))
        case Kind.CHOICES:
            labels = dict(column.choices)
            return "、".join(labels.get(item, str(item)) for item in value)
        case _:
            # Printed as the reader will read it back (spaces squeezed), so that an unchanged
            # ledger re-imports unchanged.
            return _squeeze(str(value))


def canonical(column: Column, raw: Any) -> str:
    """What a spreadsheet cell holds, as the text `display` would have printed for it."""
    if raw is None:
        return ""
    if isinstance(raw, dt.datetime):
        raw = raw.date() if column.kind == Kind.DATE else raw
    if isinstance(raw, dt.date) and column.kind == Kind.DATE:
        return raw.isoformat()
    if isinstance(raw, bool) and column.kind == Kind.BOOL:
        return YES if raw else NO
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        return _number_text(column, raw)
    text = _squeeze(str(raw))
    if column.kind in (Kind.MONEY, Kind.DECIMAL, Kind.INT):
        try:
            return _number_text(column, Decimal(text.replace(",", "")))
        except InvalidOperation:
            return text
    if column.kind == Kind.DATE:
        return _date_text(text)
    return text


def _squeeze(text: str) -> str:
    """Spaces (full-width too) collapsed and trimmed line by line; the line breaks a cell holds
    (Alt+Enter) are kept, so a multi-line text reads back as it was printed."""
    if "\n" not in text and "\r" not in text:
        return " ".join(text.replace("\u3000", " ").split())
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(" ".join(line.replace("\u3000", " ").split()) for line in lines).strip("\n")


def _number_text(column: Column, number: int | float | Decimal) -> str:
    if column.kind in (Kind.MONEY, Kind.DECIMAL):
        return f"{Decimal(str(number)):.2f}"
    if float(number).is_integer():
        return str(int(number))
    return str(number)


def _date_text(text: str) -> str:
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text


def to_python(column: Column, text: str) -> Any:
    """The model value of an edited text; raises `LedgerValueError` with a Chinese message."""
    if text == "":
        if column.required:
            raise LedgerValueError(f"{column.label}不能为空")
        return _empty(column)
    if "*" in text and column.masked is not None:
        raise LedgerValueError(f"{column.label}是遮挡后的号码，请填写完整号码或保持原样")
    return _PARSERS.get(column.kind, _parse_text)(column, text)


def _empty(column: Column) -> Any:
    if column.kind == Kind.CHOICES:
        return []
    if column.kind in (Kind.TEXT, Kind.CHOICE):
        return ""
    return None


def _parse_text(column: Column, text: str) -> str:
    return text


def _parse_int(column: Column, text: str) -> int:
    if not text.isdigit():
        raise LedgerValueError(f"{column.label}应为整数，实际为“{text}”")
    return int(text)


def _parse_decimal(column: Column, text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise LedgerValueError(f"{column.label}应为数字，实际为“{text}”") from None
    if number < 0:
        raise LedgerValueError(f"{column.label}不能为负数")
    return number.quantize(Decimal("0.01"))


def _parse_date(column: Column, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LedgerValueError(f"{column.label}应为日期（如2025-03-01），实际为“{text}”") from None


def _parse_bool(column: Column, text: str) -> bool:
    if text in (YES, "√", "✓", "1", "有"):
        return True
    if text in (NO, "×", "0", "无"):
        return False
    raise LedgerValueError(f"{column.label}应填“是”或“否”，实际为“{text}”")


def _parse_choice(column: Column, text: str) -> str:
    by_label = {label: value for value, label in column.choices}
    if text in by_label:
        return by_label[text]
    allowed = "、".join(label for _, label in column.choices)
    raise LedgerValueError(f"{column.label}应为以下之一：{allowed}；实际为“{text}”")


def _parse_choices(column: Column, text: str) -> list[str]:
    parts = [part.strip() for part in text.replace(",", "、").replace("，", "、").split("、")]
    return [_parse_choice(column, part) for part in parts if part]


_PARSERS: dict[Kind, Callable[[Column, str], Any]] = {
    Kind.INT: _parse_int,
    Kind.MONEY: _parse_decimal,
    Kind.DECIMAL: _parse_decimal,
    Kind.DATE: _parse_date,
    Kind.BOOL: _parse_bool,
    Kind.CHOICE: _parse_choice,
    Kind.CHOICES: _parse_choices,
}
