"""Which of a ledger's changes the uploader's role may make: checked per record, as in the admin.

A first secretary may correct their village's members and add measures; a paired cadre may
only add visits. A change the role may not make is an error of its household, named by place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps

from accounts.scoping import permission
from ledgers.merge import TABLES, Change, HouseholdMerge, Problem
from ledgers.write import MODELS

FUND_MODEL = "households.MeasureFunding"
# The stored records a merge changes: model label → pk → its changes.
Wanted = dict[str, dict[int, list[Change]]]


def _model_of(table: str, ref: str, column: str) -> str:
    if column.startswith("fund."):
        return FUND_MODEL
    if table:
        return MODELS[TABLES[table].model]
    return MODELS[ref.partition(":")[0]]


def _may_add(user: Any, label: str) -> bool:
    return bool(user.has_perm(permission(apps.get_model(label), "add")))


def _sort(merged: HouseholdMerge, user: Any) -> tuple[list[Problem], Wanted]:
    """The changes refused for want of the add permission, and the stored records the others
    change (whether the role may change those depends on the record)."""
    wanted: Wanted = defaultdict(lambda: defaultdict(list))
    problems: list[Problem] = []
    for change in [*merged.changes, *merged.conflicts]:
        label = _model_of(change.table, change.ref, change.column)
        number = change.ref.partition(":")[2]
        if label == FUND_MODEL or not number:
            # New funding rows and a first profile are added records: the add permission decides.
            if not _may_add(user, label):
                problems.append(Problem(change.place, f"您的角色不能修改“{change.label}”"))
            continue
        wanted[label][int(number)].append(change)
    return problems, wanted


def changeable(merges: Iterable[HouseholdMerge], user: Any) -> dict[str, set[int]]:
    """The stored records the merges change that `user` may change, by model label: one query
    per model for a whole village workbook rather than one per household."""
    pks: dict[str, set[int]] = defaultdict(set)
    for merged in merges:
        for label, by_pk in _sort(merged, user)[1].items():
            pks[label].update(by_pk)
    return {
        label: set(
            apps.get_model(label)
            .objects.for_user(user, "change")
            .filter(pk__in=sorted(keys))
            .values_list("pk", flat=True)
        )
        for label, keys in pks.items()
    }


def refused_changes(
    merged: HouseholdMerge, *, user: Any, allowed: dict[str, set[int]] | None = None
) -> list[Problem]:
    """The changes and additions of `merged` outside what `user` may change, as errors.
    `allowed` is `changeable` of a set of merges holding this one (read here if not given)."""
    problems, wanted = _sort(merged, user)
    if allowed is None:
        allowed = changeable([merged], user)
    for label, by_pk in wanted.items():
        for key, changes in by_pk.items():
            if key not in allowed.get(label, set()):
                problems += [Problem(c.place, f"您的角色不能修改“{c.label}”") for c in changes]
    for addition in merged.additions:
        if not _may_add(user, MODELS[TABLES[addition.table].model]):
            problems.append(Problem(addition.place, "您的角色不能在本表中新增记录"))
    return problems
