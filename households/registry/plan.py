"""The plan a preview shows and the write applies: what happens to each household and member.

It is stored on the batch (compressed JSON), so that the write applies exactly what the user saw
instead of reading the file again.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    INVALID = "invalid"


ACTION_LABELS = {
    Action.CREATE: "新增",
    Action.UPDATE: "更新",
    Action.UNCHANGED: "无变化",
    Action.INVALID: "无效",
}


@dataclass
class Change:
    """One field's change, as the preview shows it: `label: old → new` (display strings)."""

    field: str
    label: str
    old: str
    new: str


@dataclass
class PlannedMember:
    action: Action
    name: str
    id_number: str
    values: dict[str, Any]  # model field → value as stored (dates as ISO text)
    changes: list[Change] = field(default_factory=list)
    member_id: int | None = None


@dataclass
class LeavingMember:
    """A current member of a household in the file whose row is not in the file."""

    member_id: int
    name: str
    id_number: str


@dataclass
class PlannedHousehold:
    action: Action
    household_number: str
    head_name: str
    area: tuple[str, str, str]  # county, township, village names
    sheet: str
    row: int  # Excel row of the household's first row
    values: dict[str, Any] = field(default_factory=dict)  # model field → value as stored
    changes: list[Change] = field(default_factory=list)
    members: list[PlannedMember] = field(default_factory=list)
    leaving: list[LeavingMember] = field(default_factory=list)
    household_id: int | None = None
    status_event: str = ""  # StatusChangeKind to record when 户状态 changes

    @property
    def area_label(self) -> str:
        return "".join(self.area[1:])

    @property
    def member_changes(self) -> list[PlannedMember]:
        return [m for m in self.members if m.action in (Action.CREATE, Action.UPDATE)]


@dataclass
class Plan:
    households: list[PlannedHousehold] = field(default_factory=list)
    new_counties: list[str] = field(default_factory=list)
    new_townships: list[tuple[str, str]] = field(default_factory=list)
    new_villages: list[tuple[str, str, str]] = field(default_factory=list)

    def of(self, action: Action) -> list[PlannedHousehold]:
        return [household for household in self.households if household.action == action]

    def dumps(self) -> bytes:
        return zlib.compress(json.dumps(asdict(self), ensure_ascii=False).encode(), 3)

    @classmethod
    def loads(cls, data: bytes) -> Plan:
        raw = json.loads(zlib.decompress(data))
        return cls(
            households=[_household(item) for item in raw["households"]],
            new_counties=raw["new_counties"],
            new_townships=[tuple(item) for item in raw["new_townships"]],
            new_villages=[tuple(item) for item in raw["new_villages"]],
        )


def _household(raw: dict[str, Any]) -> PlannedHousehold:
    raw["action"] = Action(raw["action"])
    raw["area"] = tuple(raw["area"])
    raw["changes"] = [Change(**item) for item in raw["changes"]]
    raw["leaving"] = [LeavingMember(**item) for item in raw["leaving"]]
    raw["members"] = [_member(item) for item in raw["members"]]
    return PlannedHousehold(**raw)


def _member(raw: dict[str, Any]) -> PlannedMember:
    raw["action"] = Action(raw["action"])
    raw["changes"] = [Change(**item) for item in raw["changes"]]
    return PlannedMember(**raw)
