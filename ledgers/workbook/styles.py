"""The ledger workbook's cell formats."""

from __future__ import annotations

from typing import Any

from ledgers.booklet import Kind

FONT = "宋体"
_NUMBER_FORMATS = {Kind.MONEY: "0.00", Kind.DECIMAL: "0.00", Kind.INT: "0"}


class Styles:
    """The workbook's formats, made once, with their style (xf) indices for `cells.SheetRows`."""

    def __init__(self, workbook: Any) -> None:
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        cell = base | {"border": 1, "text_wrap": True}
        add = workbook.add_format
        self.formats = {
            "household_title": add(base | {"bold": True, "font_size": 12}),
            "cover_title": add(base | {"bold": True, "font_size": 20, "align": "center"}),
            "legend": add(base | {"font_size": 9, "font_color": "#595959", "text_wrap": True}),
            "section_title": add(base | {"bold": True, "font_size": 12, "bg_color": "#DDEBF7"}),
            "note": add(base | {"italic": True, "font_size": 9, "text_wrap": True}),
            "label": add(cell | {"bold": True, "bg_color": "#D9D9D9"}),
            "header": add(cell | {"bold": True, "bg_color": "#D9D9D9", "align": "center"}),
            "ref": add(base | {"font_size": 8, "font_color": "#808080"}),
            "link": add(base | {"font_color": "blue", "underline": 1}),
            "index_cell": add(cell),
        }
        for kind in Kind:
            for editable in (True, False):
                # Grey marks what the system fills in: editing it there has no effect.
                extra = {} if editable else {"bg_color": "#F2F2F2"}
                if kind in _NUMBER_FORMATS:
                    extra |= {"num_format": _NUMBER_FORMATS[kind], "align": "right"}
                self.formats[f"value:{kind}:{editable}"] = add(cell | extra)
        self.index = {name: fmt._get_xf_index() for name, fmt in self.formats.items()}

    def value(self, kind: Kind, editable: bool) -> int:
        return self.index[f"value:{kind}:{editable}"]
