"""Area scoping: the rows of each model that a user's role reaches, as one queryset filter.

Every list, page, form, admin page, import, export and download starts from
`Model.objects.for_user(user, action)`, which calls `restrict` here. Deny by default: a user
without a role, without the action's permission, or a model not listed in `PATHS`, gets nothing.
"""

from __future__ import annotations

from typing import Any, Self

from django.db.models import Model, Q, QuerySet

from accounts.backends import role_rule
from accounts.roles import Scope

# Model label → (path to its Village, path to its Household or None). "" is the model itself.
# A paired cadre reaches a row through its household; rows without one (a village's work team)
# are outside that role's reach.
PATHS: dict[str, tuple[str | None, str | None]] = {
    "households.county": (None, None),
    "households.township": (None, None),
    "households.village": ("", None),
    "households.household": ("village", ""),
    "households.member": ("household__village", "household"),
    "households.yearlyincome": ("household__village", "household"),
    "households.helpmeasure": ("household__village", "household"),
    "households.helpplan": ("household__village", "household"),
    "households.householdprofile": ("household__village", "household"),
    "households.measurefunding": ("measure__household__village", "measure__household"),
    "households.statuschange": ("household__village", "household"),
    "households.basicneedsassessment": ("household__village", "household"),
    "households.batchhousehold": ("household__village", "household"),
    "cadres.pairing": ("household__village", "household"),
    "cadres.visit": ("village", "household"),
    "cadres.workteam": ("village", None),
    "cadres.workteammember": ("team__village", None),
    "cadres.firstsecretaryposting": ("village", None),
    "inspections.quarterlyranking": ("posting__village", None),
    "inspections.annualassessment": ("posting__village", None),
}
# An inspection targets a township, a village or a first secretary (at least one of them):
# model label → path to its Inspection.
INSPECTION_PATHS = {
    "inspections.inspection": "",
    "inspections.checklistresult": "inspection",
    "inspections.finding": "inspection",
    "inspections.rectification": "finding__inspection",
}
ACTIONS = ("view", "add", "change", "delete")


class ScopedQuerySet(QuerySet[Any]):
    """The base of every casework model's query set: `for_user` is the way in."""

    def for_user(self, user: Any, action: str = "view") -> Self:
        return restrict(self, user, action)  # type: ignore[return-value]


def is_unrestricted(user: Any) -> bool:
    """An active superuser (the emergency account) reaches every row; nobody else does."""
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def restrict(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """The rows of `queryset` that `user` may `action` (view, add, change, delete)."""
    model = queryset.model
    if is_unrestricted(user):
        return queryset
    if not user.has_perm(permission(model, action)):
        return queryset.none()
    condition = area_condition(model, user)
    return queryset.none() if condition is None else queryset.filter(condition)


class Reach:
    """`restrict` for single rows, each answer kept: a sheet's rows repeat their township or
    household, and one admin page asks about its object several times."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._rows: dict[tuple[str, Any, str], bool] = {}
        self._tables: dict[tuple[str, str], frozenset[Any]] = {}

    def row(self, model: type[Model], pk: Any, action: str = "view") -> bool:
        """Whether the user may `action` the row `pk` of `model` (one EXISTS query each)."""
        key = (model._meta.label_lower, pk, action)
        if key not in self._rows:
            rows = model._default_manager.filter(pk=pk)
            self._rows[key] = restrict(rows, self.user, action).exists()
        return self._rows[key]

    def among(self, model: type[Model], pk: Any, action: str = "view") -> bool:
        """As `row`, from every reachable pk of `model` loaded once: for tables a caller only
        reads (an import's townships or households), one query however many rows name them."""
        key = (model._meta.label_lower, action)
        if key not in self._tables:
            rows = restrict(model._default_manager.all(), self.user, action)
            self._tables[key] = frozenset(rows.values_list("pk", flat=True))
        return pk in self._tables[key]


def permission(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def area_condition(model: type[Model], user: Any) -> Q | None:
    """The filter of `model`'s rows in the user's area; Q() for all, None for none."""
    rule = role_rule(user)
    if rule is None or rule.scope is Scope.NONE:
        return None
    label = model._meta.label_lower
    if label in INSPECTION_PATHS:
        return _inspections(INSPECTION_PATHS[label], rule.scope, user)
    if label not in PATHS:
        return Q() if label in UNSCOPED else None
    village_path, household_path = PATHS[label]
    if rule.scope is Scope.PAIRED:
        return _paired(user, model, household_path)
    return _in_area(model, user.assignment, rule.scope, village_path)


# Reference tables the whole county shares: units, cadres, poverty lines, quota rules.
UNSCOPED = frozenset({
    "households.povertyline", "cadres.helpingunit", "cadres.cadre", "cadres.quotarule",
    "inspections.admonitorytalk",
})  # fmt: skip


def _join(*parts: str) -> str:
    return "__".join(part for part in parts if part)


def _in_area(model: type[Model], assignment: Any, scope: Scope, village_path: str | None) -> Q:
    label = model._meta.label_lower
    if label == "households.county":
        return Q(pk=_county_id(assignment))
    if label == "households.township":
        if scope is Scope.COUNTY:
            return Q(county_id=assignment.county_id)
        township = assignment.township_id or assignment.village.township_id
        return Q(pk=township)
    if scope is Scope.COUNTY:
        return Q(**{_join(village_path or "", "township__county_id"): assignment.county_id})
    if scope is Scope.TOWNSHIP:
        return Q(**{_join(village_path or "", "township_id"): assignment.township_id})
    field = "pk" if village_path == "" else f"{village_path}_id"
    return Q(**{field: assignment.village_id})


def _inspections(path: str, scope: Scope, user: Any) -> Q | None:
    if scope is Scope.PAIRED:
        return None
    assignment = user.assignment
    targets: tuple[str, ...] = (
        "township",
        "village__township",
        "first_secretary__village__township",
    )
    if scope is Scope.COUNTY:
        field, value = "county_id", assignment.county_id
    elif scope is Scope.TOWNSHIP:
        field, value = "id", assignment.township_id
    else:
        targets, field, value = ("village", "first_secretary__village"), "id", assignment.village_id
    condition = Q()
    for target in targets:
        condition |= Q(**{_join(path, target, field): value})
    return condition


def _county_id(assignment: Any) -> int | None:
    if assignment.county_id:
        return int(assignment.county_id)
    if assignment.township_id:
        return int(assignment.township.county_id)
    return int(assignment.village.township.county_id) if assignment.village_id else None


def _paired(user: Any, model: type[Model], household_path: str | None) -> Q | None:
    """Rows of the households currently paired with the user's cadre record, and their villages
    (a visit names its village)."""
    from cadres.models import Pairing

    cadre = getattr(user, "cadre", None)  # the reverse one-to-one: None when no cadre record
    if cadre is None:
        return None
    households = Pairing.objects.current().filter(cadre=cadre).values("household_id")
    if model._meta.label_lower == "households.village":
        from households.models import Household

        return Q(pk__in=Household.objects.filter(pk__in=households).values("village_id"))
    if household_path is None:
        return None
    return Q(**{f"{_join(household_path, 'pk')}__in": households})
