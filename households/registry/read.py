"""Stage 1, read: a file's bytes to the cells of every sheet, with merged ranges kept.

Workbooks (.xlsx, .xlsm, .xls, .ods) are read by calamine, CSV by the csv module; safety.sniff
decides which from the bytes and refuses hostile or unreadable files first. Cell values are kept
as they come (normalising is a later stage): str, int, float, bool, date and datetime. ODS merged
ranges are not reported by calamine, so an .ods sheet has `merged == []`; the fill stage still
fills household columns written once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

from django.conf import settings
from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    WorksheetNotFound,
    XmlError,
    ZipError,
)

from households.registry import safety
from households.registry.errors import FileRefused

# (first_row, first_col, last_row, last_col), 0-based and inclusive, as calamine gives them.
MergedRange = tuple[int, int, int, int]

_PLAIN_TYPES = frozenset({str, int, float, bool, dt.date, dt.datetime})
_CSV_DELIMITERS = (",", "\t", ";")


@dataclass
class RawSheet:
    """One sheet as read: `rows[i]` is Excel row i + 1; empty cells are ''."""

    file_name: str
    name: str
    rows: list[list[Any]]
    merged: list[MergedRange] = field(default_factory=list)


def read_bytes(data: bytes, file_name: str) -> list[RawSheet]:
    """Read every worksheet of a file held in memory, or refuse it with a Chinese reason."""
    kind = safety.sniff(data, file_name)
    if kind == "csv":
        return [_read_csv(data, file_name)]
    return _read_workbook(data, file_name)


def read_path(path: Path) -> list[RawSheet]:
    """Read every worksheet of a file on disk."""
    # Checked before reading, so an oversized file is never loaded into memory.
    safety.check_upload_size(path.stat().st_size, path.name)
    return read_bytes(path.read_bytes(), path.name)


# Workbooks


def _read_workbook(data: bytes, file_name: str) -> list[RawSheet]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        with workbook:
            return [
                _read_sheet(workbook.get_sheet_by_name(metadata.name), file_name)
                for metadata in workbook.sheets_metadata
                # Chart and dialog sheets hold no cells.
                if metadata.typ == SheetTypeEnum.WorkSheet
            ]
    except CalamineError as error:
        raise FileRefused(_calamine_reason(error), file_name=file_name) from error


def _calamine_reason(error: CalamineError) -> str:
    # Opening from bytes, calamine tries every format in turn and reports only a bare
    # CalamineError when all fail; safety.sniff has already named the format, so the file is
    # damaged. The specific classes come from reading a sheet.
    if isinstance(error, PasswordError):
        return safety.ENCRYPTED
    if isinstance(error, WorksheetNotFound):
        return "文件中的工作表目录与内容不一致，文件已损坏"
    if isinstance(error, XmlError):
        return "文件中的表格内容（XML）已损坏，无法读取"
    if isinstance(error, ZipError):
        return safety.DAMAGED
    return f"无法读取这个文件：{safety.DAMAGED}"


def _read_sheet(sheet: CalamineSheet, file_name: str) -> RawSheet:
    # skip_empty_area=False keeps leading blank rows and columns, so rows[i] is Excel row i + 1.
    end = sheet.end
    if end is not None:
        _check_limits(sheet.name, end[0] + 1, end[1] + 1, file_name)
    rows = _plain_values(_rectangular(_shared_rows(sheet)))
    merged = [
        (first[0], first[1], last[0], last[1]) for first, last in sheet.merged_cell_ranges or []
    ]
    return RawSheet(file_name=file_name, name=sheet.name, rows=rows, merged=merged)


def _shared_rows(sheet: CalamineSheet) -> list[list[Any]]:
    """Every row, with equal texts sharing one object: a registry repeats the same few thousand
    values (汉族, 是, 国家标准, a household's cells) over millions of cells."""
    seen: dict[str, str] = {}
    share = seen.setdefault
    # Only text is shared: as dict keys 1, 1.0 and True are equal, and their types matter.
    rows = [
        [share(value, value) if type(value) is str else value for value in row]
        for row in sheet.iter_rows()
    ]
    return _from_a1(rows, sheet)


def _from_a1(rows: list[list[Any]], sheet: CalamineSheet) -> list[list[Any]]:
    """Put back the blank rows and columns before the first used cell where the format's
    reader left them out, so that rows[i] is Excel row i + 1 (xlsx does, xls and ods don't)."""
    if sheet.start is None or sheet.end is None:
        return rows
    (first_row, first_col), (last_row, last_col) = sheet.start, sheet.end
    if first_col and rows and len(rows[0]) < last_col + 1:
        lead = [""] * first_col
        rows = [lead + row for row in rows]
    if first_row and len(rows) < last_row + 1:
        rows = [[] for _ in range(first_row)] + rows
    return rows


def _plain_values(rows: list[list[Any]]) -> list[list[Any]]:
    """Turn the rare time and duration cells to text, so later stages see only the plain types."""
    # One pass in C over every cell; the per-cell Python loop runs only when such a cell exists.
    if _PLAIN_TYPES.issuperset(map(type, itertools.chain.from_iterable(rows))):
        return rows
    return [[value if type(value) in _PLAIN_TYPES else str(value) for value in row] for row in rows]


# CSV


def _read_csv(data: bytes, file_name: str) -> RawSheet:
    text = _decode(data, file_name)
    first_line = text.partition("\n")[0]
    delimiter = max(_CSV_DELIMITERS, key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileRefused(
            "CSV文件格式错误，无法读取（可能有未配对的引号或过长的单元格）", file_name=file_name
        ) from error
    width = max(map(len, rows), default=0)
    name = PureWindowsPath(file_name).stem or "CSV"
    _check_limits(name, len(rows), width, file_name)
    return RawSheet(file_name=file_name, name=name, rows=_rectangular(rows))


def _decode(data: bytes, file_name: str) -> str:
    """Decode UTF-8 (with or without BOM), else GB18030, which covers GBK and GB2312."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise FileRefused(
            "无法识别文件的文字编码（既不是UTF-8也不是GBK/GB18030），请另存为Excel工作簿(.xlsx)后再上传",
            file_name=file_name,
        ) from error


# Both formats


def _check_limits(sheet: str, rows: int, columns: int, file_name: str) -> None:
    if rows > settings.REGISTRY_MAX_ROWS:
        raise FileRefused(
            f"工作表“{sheet}”有{rows}行，超过上限{settings.REGISTRY_MAX_ROWS}行",
            file_name=file_name,
        )
    if columns > settings.REGISTRY_MAX_COLUMNS:
        raise FileRefused(
            f"工作表“{sheet}”有{columns}列，超过上限{settings.REGISTRY_MAX_COLUMNS}列",
            file_name=file_name,
        )


def _rectangular(rows: list[list[Any]]) -> list[list[Any]]:
    """Pad short rows with '' so every row of a sheet has the same length."""
    width = max(map(len, rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows
