"""A worksheet whose cells are written as rows of XML, for the 17,000 household sheets of a county.

xlsxwriter keeps every cell as an object and turns it into XML when the workbook closes, and
checks every merge cell by cell: some 7 µs a cell, and a household's sheet has about 800 cells
and 100 merges. `SheetRows` writes each row's XML as it goes (about 1 µs a cell), from
fragments made once per workbook for what every sheet shares, with the workbook's own shared
strings and styles; `CellSheet` puts those rows and merges where xlsxwriter would have written
its own. Everything else (columns, page setup, print titles, header and footer) is still
xlsxwriter's. This leans on internals of xlsxwriter 3.3 (pinned in requirements.txt):
`Worksheet._write_sheet_data` and `_write_merge_cells`, the `fh` they write to, the `dim_*`
attributes and the shared string table's `count`; the tests open the result with openpyxl
and calamine.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

_LETTERS = [xl_col_to_name(col) for col in range(256)]
_MAX_TEXT = 32_767  # Excel's limit, in UTF-16 code units
# Characters XML 1.0 cannot hold, which Excel writes as _xHHHH_.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class CellSheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose <sheetData> is the XML `SheetRows` wrote."""

    def __init__(self) -> None:
        super().__init__()
        self.xml_rows: list[str] = []
        self.xml_merges: list[str] = []

    def _write_sheet_data(self) -> None:
        if not self.xml_rows:
            super()._write_sheet_data()
            return
        self.fh.write("<sheetData>")
        self.fh.write("".join(self.xml_rows))
        self.fh.write("</sheetData>")

    def _write_merge_cells(self) -> None:
        if not self.xml_merges:
            super()._write_merge_cells()
            return
        merges = "".join(self.xml_merges)
        self.fh.write(f'<mergeCells count="{merges.count("<mergeCell ")}">')
        self.fh.write(merges)
        self.fh.write("</mergeCells>")


ROW = "\x01"  # the row number in a fragment of XML, put in when the row is closed


def cell_start(col: int, style: int) -> str:
    """The opening of a cell's XML in column `col` with style (xf index) `style`, row left open:
    what every cell of that column begins with, made once per column."""
    return f'<c r="{_LETTERS[col]}{ROW}" s="{style}"'


def blank_cells(first: int, last: int, style: int) -> str:
    return "".join(f"{cell_start(col, style)}/>" for col in range(first, last + 1))


def merge_ref(first: int, last: int) -> str:
    return f'<mergeCell ref="{_LETTERS[first]}{ROW}:{_LETTERS[last]}{ROW}"/>'


class SheetRows:
    """Writes a `CellSheet` row by row, top to bottom; within a row, cells left to right.

    Cells and merges are fragments of XML whose row number is `ROW`, so the fragments every
    sheet shares (labels, headers, blank lines) are made once per workbook. Texts go to the
    workbook's shared strings, so the labels repeated on every sheet are stored once."""

    def __init__(self, sheet: CellSheet) -> None:
        self.sheet = sheet
        self.strings = sheet.str_table
        self._shared = self.strings._get_shared_string_index
        self._row = -1
        self._cells: list[str] = []
        self._merges: list[str] = []
        self._height: float | None = None

    def start(self, row: int, height: float | None = None) -> None:
        """Begin row `row` (0-based, after the last one), `height` points tall or the default."""
        self._flush()
        self._row, self._height = row, height

    def add(self, cells: str, merges: str = "", *, strings: int = 0) -> None:
        """Add made fragments: cells holding `strings` shared strings, and merges."""
        self._cells.append(cells)
        if merges:
            self._merges.append(merges)
        self.strings.count += strings

    def text(self, start: str, text: str) -> str:
        """A text cell's XML, from its `cell_start`."""
        if len(text) > _MAX_TEXT // 2:
            text = _truncate(text)
        if text[:3] == "<r>" and text[-4:] == "</r>":
            # xlsxwriter would write such a shared string as raw rich-text XML.
            inline = escape(_CONTROL.sub(_control_escape, text))
            return f'{start} t="inlineStr"><is><t>{inline}</t></is></c>'
        return f'{start} t="s"><v>{self._shared(text)}</v></c>'

    def shared(self, text: str) -> int:
        """The shared string index of `text`, for a fragment made once and added many times."""
        index = self._shared(text)
        self.strings.count -= 1  # counted each time the fragment is added
        return int(index)

    def finish(self, last_col: int) -> None:
        """Close the last row and record the sheet's used range (A1 to the last row and column),
        which Excel reads before the cells."""
        self._flush()
        sheet = self.sheet
        sheet.dim_rowmin, sheet.dim_rowmax = 0, max(self._row, 0)
        sheet.dim_colmin, sheet.dim_colmax = 0, last_col

    def _flush(self) -> None:
        if self._row < 0 or (not self._cells and self._height is None):
            return
        number = str(self._row + 1)
        height = "" if self._height is None else f' ht="{self._height:g}" customHeight="1"'
        cells = "".join(self._cells).replace(ROW, number)
        self.sheet.xml_rows.append(f'<row r="{number}"{height}>{cells}</row>')
        if self._merges:
            self.sheet.xml_merges.append("".join(self._merges).replace(ROW, number))
        self._cells, self._merges = [], []


def _truncate(text: str) -> str:
    encoded = text.encode("utf-16-le")
    if len(encoded) <= 2 * _MAX_TEXT:
        return text
    return encoded[: 2 * _MAX_TEXT].decode("utf-16-le", errors="ignore")


def _control_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"
