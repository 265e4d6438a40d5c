"""Problems found in a registry file: row errors and warnings, and files refused outright."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class FileRefused(Exception):
    """A file that cannot be read at all (encrypted, not a spreadsheet, empty, too large, hostile).

    The message is Chinese and names the real problem; the command exits with status 2.
    """

    def __init__(self, message: str, *, file_name: str = "") -> None:
        super().__init__(f"{file_name}：{message}" if file_name else message)
        self.reason = message
        self.file_name = file_name


@dataclass(frozen=True)
class RowError:
    """One problem, named as the user sees it: sheet, Excel row number, column header, value."""

    sheet: str
    row: int
    column: str
    value: str
    code: str
    message: str
    is_warning: bool = False
    household_number: str = ""
    file: str = ""
    col: int = -1  # 0-based column index in the sheet, -1 when the problem is not one cell's

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        return cls(**data)

    def public(self) -> dict[str, Any]:
        """The form `import_registry --json` prints."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"“{self.sheet}”第{self.row}行" if self.row else f"“{self.sheet}”"
        column = f"【{self.column}】" if self.column else ""
        value = f"（值：{self.value}）" if self.value else ""
        return f"{where}{column}{value}：{self.message}"
