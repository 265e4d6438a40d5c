"""The uploader's and the exporter's area: what an import may write and an export may read.

The import checks each household twice, by dictionary lookups only (no query per row): the
area the file names and, for a stored household, the village it is in now. A township clerk
may neither create a household in another township nor update one stored there, whatever
township the file gives it. New villages are allowed inside the clerk's township; new townships
only to county roles; new counties only to superusers and the `import_registry` command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

from accounts.backends import role_rule
from accounts.roles import Scope
from accounts.scoping import is_unrestricted
from households.models import County, Household, Township, Village

if TYPE_CHECKING:
    from households.registry.validate import CheckedHousehold

AreaKey = tuple[str, str, str]  # county, township, village names, as the plan holds them
AREA_MODELS: dict[str, type[Model]] = {"county": County, "township": Township, "village": Village}
# The levels a role may export or import as a whole: a township clerk never the whole county.
LEVELS = {
    Scope.COUNTY: ("county", "township", "village"),
    Scope.TOWNSHIP: ("township", "village"),
    Scope.VILLAGE: ("village",),
}
FULL_ID_MARK = "含完整证件号码"  # in the file name of every export with unmasked numbers


@dataclass(frozen=True)
class UploaderArea:
    """The names of the area an uploader may write; no county means nowhere at all."""

    county: str | None
    township: str | None = None
    village: str | None = None

    @property
    def names(self) -> tuple[str | None, str | None, str | None]:
        return self.county, self.township, self.village

    @property
    def label(self) -> str:
        return self.village or self.township or self.county or "无"


NOWHERE = UploaderArea(county=None)


def uploader_area(user: Any) -> UploaderArea | None:
    """The area `user` may import into; None for no limit (superusers, and no user at all:
    the `import_registry` command, an administrator's tool on the server)."""
    if user is None or is_unrestricted(user):
        return None
    rule = role_rule(user)
    if rule is None or rule.scope not in LEVELS:
        return NOWHERE
    assignment = user.assignment
    if rule.scope is Scope.COUNTY:
        return UploaderArea(assignment.county.name)
    if rule.scope is Scope.TOWNSHIP:
        return UploaderArea(assignment.township.county.name, assignment.township.name)
    village = assignment.village
    return UploaderArea(village.township.county.name, village.township.name, village.name)


_LEVEL_KEYS = ("county", "township", "village")


def _outside(names: AreaKey, area: UploaderArea) -> int | None:
    """The first level (0 county, 1 township, 2 village) where `names` leaves `area`."""
    for level, (name, allowed) in enumerate(zip(names, area.names, strict=True)):
        if allowed is not None and name != allowed:
            return level
    return None


def check_household(
    household: CheckedHousehold, stored_area: AreaKey | None, area: UploaderArea | None
) -> bool:
    """Add a row error to `household` for each of its areas (named, stored) outside `area`.

    Return whether its stored row is outside: the plan must then show nothing of that row."""
    if area is None:
        return False
    row = household.first_row
    if area.county is None:
        household.problem(row, "township", household.values.get("township"), "outside_area",
                          "您的账号没有管辖区域，不能导入花名册")  # fmt: skip
        return stored_area is not None
    values = household.values
    named = (
        str(values.get("county") or ""),
        str(values.get("township") or ""),
        str(values.get("village") or ""),
    )
    level = _outside(named, area) if all(named) else None  # blanks are `required` errors already
    if level is not None:
        where = named[1] + named[2] if level == 2 else named[level]
        household.problem(row, _LEVEL_KEYS[level], named[level], "outside_area",
                          f"该户属于{where}，不在您的管辖范围（{area.label}）内")  # fmt: skip
    if stored_area is None:
        return False
    stored_level = _outside(stored_area, area)
    if stored_level is None:
        return False
    key = _LEVEL_KEYS[max(stored_level, 1)]
    household.problem(row, key, values.get(key), "outside_area",
                      f"户编号 {household.number} 在系统中属于{''.join(stored_area[1:])}，"
                      f"不在您的管辖范围（{area.label}）内，不能修改")  # fmt: skip
    return True


def outside_written(batch_id: int, users: list[Any]) -> bool:
    """Whether a household the batch wrote lies outside the area of one of `users`."""
    written = Household.objects.filter(import_batches__batch_id=batch_id)
    for user in users:
        allowed = Household.objects.for_user(user, "change").values("pk")
        if written.exclude(pk__in=allowed).exists():
            return True
    return False


def exportable(
    user: Any, permission: str = "households.export_registry"
) -> dict[str, QuerySet[Any]]:
    """The counties, townships and villages whose whole registry (or, with `permission`
    export_notice, public-notice list) `user` may export."""
    rule = role_rule(user)
    if is_unrestricted(user):
        levels = LEVELS[Scope.COUNTY]
    elif rule is None or not user.has_perm(permission):
        levels = ()
    else:
        levels = LEVELS.get(rule.scope, ())
    return {
        kind: model._default_manager.for_user(user) if kind in levels  # type: ignore[attr-defined]
        else model._default_manager.none()
        for kind, model in AREA_MODELS.items()
    }  # fmt: skip


def may_export(user: Any, kind: str, pk: int | None) -> bool:
    return pk is not None and exportable(user)[kind].filter(pk=pk).exists()


def may_export_full_ids(user: Any) -> bool:
    """Only roles whose rule allows it (county staff) export unmasked ID numbers and phones."""
    if is_unrestricted(user):
        return True
    rule = role_rule(user)
    return bool(rule and rule.full_id_export and user.has_perm("households.export_registry"))
