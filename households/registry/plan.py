"""The plan a preview shows and the write applies: what happens to each household and member.

It is stored on the batch (compressed JSON), so that the write applies exactly what the user saw
instead of reading the file again.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
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
        """Compressed JSON, built by hand: `asdict` deep-copies and is slow at 100,000 members."""
        # Compressed household by household: the whole JSON text of a county is ~70 MB.
        compressor = zlib.compressobj(1)
        areas = [self.new_counties, self.new_townships, self.new_villages]
        parts = [compressor.compress(json.dumps(areas, ensure_ascii=False).encode() + b"\n")]
        for household in self.households:
            line = json.dumps(_household_data(household), ensure_ascii=False).encode() + b"\n"
            parts.append(compressor.compress(line))
        parts.append(compressor.flush())
        return b"".join(parts)

    @classmethod
    def loads(cls, data: bytes) -> Plan:
        first, *lines = zlib.decompress(data).splitlines()
        counties, townships, villages = json.loads(first)
        return cls(
            households=[_household(json.loads(line)) for line in lines],
            new_counties=counties,
            new_townships=[tuple(item) for item in townships],
            new_villages=[tuple(item) for item in villages],
        )


def _changes_data(changes: list[Change]) -> list[list[str]]:
    return [[c.field, c.label, c.old, c.new] for c in changes]


def _household_data(h: PlannedHousehold) -> list[Any]:
    members = [
        [str(m.action), m.name, m.id_number, m.values, _changes_data(m.changes), m.member_id]
        for m in h.members
    ]
    leaving = [[m.member_id, m.name, m.id_number] for m in h.leaving]
    return [
        str(h.action), h.household_number, h.head_name, h.area, h.sheet, h.row, h.values,
        _changes_data(h.changes), members, leaving, h.household_id, h.status_event,
    ]  # fmt: skip


def _household(raw: list[Any]) -> PlannedHousehold:
    action, number, head, area, sheet, row, values, changes, members, leaving, pk, event = raw
    return PlannedHousehold(
        action=Action(action),
        household_number=number,
        head_name=head,
        area=tuple(area),  # type: ignore[arg-type]
        sheet=sheet,
        row=row,
        values=values,
        changes=[Change(*item) for item in changes],
        members=[_member(item) for item in members],
        leaving=[LeavingMember(*item) for item in leaving],
        household_id=pk,
        status_event=event,
    )


def _member(raw: list[Any]) -> PlannedMember:
    action, name, number, values, changes, pk = raw
    return PlannedMember(Action(action), name, number, values, [Change(*c) for c in changes], pk)
