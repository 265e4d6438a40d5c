"""Revealing one full ID number or phone at a time: who may, and the endpoint that records it.

Every page shows identifiers masked (households.masking). A role whose rule allows it
(accounts.roles.Reveal) asks for one value by POST; the answer is the value as JSON and an
entry in the audit trail. AREA roles reveal any record they can see; OWN roles only the
households that are their own (the first secretary's village, the paired cadre's households).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.backends import role_rule
from accounts.roles import Reveal, Scope
from accounts.scoping import restrict
from households.masking import SENSITIVE_FIELDS


def may_reveal(user: Any, obj: Model) -> bool:
    """Whether `user` may see `obj`'s full identifiers; the caller has checked obj is in area."""
    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    rule = role_rule(user)
    if rule is None or rule.reveal is Reveal.NEVER:
        return False
    if rule.reveal is Reveal.AREA:
        return True
    household_id = household_id_of(obj)
    return household_id is not None and household_id in own_household_ids(user, rule.scope)


def household_id_of(obj: Model) -> int | None:
    """The household a record belongs to: itself, or its `household`; None for cadres and units."""
    if obj._meta.label_lower == "households.household":
        return obj.pk
    return getattr(obj, "household_id", None)


def own_household_ids(user: Any, scope: Scope) -> frozenset[int]:
    """The households that are the user's own, read once per request (cached on the user)."""
    cached = getattr(user, "_own_household_ids", None)
    if cached is not None:
        return cached
    from cadres.models import Pairing
    from households.models import Household

    if scope is Scope.VILLAGE:
        village = user.assignment.village_id
        ids = Household.objects.filter(village_id=village).values_list("pk", flat=True)
    elif scope is Scope.PAIRED and getattr(user, "cadre", None) is not None:
        ids = (
            Pairing.objects.current()
            .filter(cadre=user.cadre)
            .values_list("household_id", flat=True)
        )
    else:
        ids = Household.objects.none().values_list("pk", flat=True)
    user._own_household_ids = frozenset(ids)
    return user._own_household_ids


def reveal_url(obj: Model, field: str) -> str:
    return reverse("reveal:value", args=[obj._meta.label_lower, obj.pk, field])


@never_cache
@require_POST
def reveal_value(request: HttpRequest, label: str, pk: int, field: str) -> JsonResponse:
    """The full value of one identifier, for one record the user may reveal; recorded."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"error": "请先登录"}, status=403)
    if field not in SENSITIVE_FIELDS.get(label, {}):
        raise Http404("没有这个字段")
    model = apps.get_model(label)
    obj = get_object_or_404(restrict(model._default_manager.all(), user, "view"), pk=pk)
    if not may_reveal(user, obj):
        return JsonResponse({"error": "您的角色不能查看完整号码"}, status=403)
    from audit.services import record_reveal  # the audit app imports households: import late

    record_reveal(user=user, obj=obj, field=field, remote_addr=request.META.get("REMOTE_ADDR"))
    return JsonResponse({"value": getattr(obj, field) or ""})
