"""Which of a ledger's changes the uploader's role may make: checked per record, as in the admin.

A first secretary may correct their village's members and add measures; a paired cadre may
only add visits. A change the role may not make is an error of its household, named by place.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps

from households.models import Household
from ledgers.merge import HouseholdMerge, Problem
from ledgers.write import MODELS, ROW_MODEL

FUND_MODEL = "households.MeasureFunding"


def _model_of(table: str, ref: str, column: str) -> str:
    if column.startswith("fund."):
        return FUND_MODEL
    if table:
        return MODELS[ROW_MODEL[table]]
    return MODELS[ref.partition(":")[0]]


def _codename(model_label: str, action: str) -> str:
    app, _, model = model_label.partition(".")
    return f"{app}.{action}_{model.lower()}"


def refused_changes(merged: HouseholdMerge, *, household: Household, user: Any) -> list[Problem]:
    """The changes and additions of `merged` outside what `user` may change, as errors."""
    wanted: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    problems: list[Problem] = []
    for change in [*merged.changes, *merged.conflicts]:
        label = _model_of(change.table, change.ref, change.column)
        number = change.ref.partition(":")[2]
        if label == FUND_MODEL or not number:
            # New funding rows and a first profile are added records: the add permission decides.
            if not user.has_perm(_codename(label, "add")):
                problems.append(Problem(change.place, f"您的角色不能修改“{change.label}”"))
            continue
        wanted[label][int(number)].append(change)
    for label, by_pk in wanted.items():
        model = apps.get_model(label)
        allowed = set(
            model.objects.for_user(user, "change")
            .filter(pk__in=list(by_pk))
            .values_list("pk", flat=True)
        )
        for key, changes in by_pk.items():
            if key not in allowed:
                problems += [Problem(c.place, f"您的角色不能修改“{c.label}”") for c in changes]
    for addition in merged.additions:
        added = MODELS[ROW_MODEL[addition.table]]
        if not user.has_perm(_codename(added, "add")):
            problems.append(Problem(addition.place, "您的角色不能在本表中新增记录"))
    return problems
