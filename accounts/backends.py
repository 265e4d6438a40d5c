"""Permissions from the user's role (accounts.roles), beside Django's own user and group ones."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend

from accounts.roles import RULES, RoleRule


def role_rule(user: Any) -> RoleRule | None:
    """The rule of the user's role; None for anonymous, inactive or unassigned users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if hasattr(user, "_role_rule"):  # looked up once per request's user object
        return cast(RoleRule | None, user._role_rule)
    from accounts.models import Assignment  # the models' query sets import this module

    # One query for the role and its area; `user.assignment` then reads it from the cache.
    assignment = (
        Assignment.objects.select_related("county", "township", "village").filter(user=user).first()
    )
    # request.user is a lazy proxy: the cache belongs to the user object behind it.
    user_model = get_user_model()
    user_model.assignment.related.set_cached_value(  # type: ignore[attr-defined]
        getattr(user, "_wrapped", user), assignment
    )
    rule = RULES.get(assignment.role) if assignment else None
    user._role_rule = rule
    return rule


class RoleBackend(BaseBackend):
    """Grants the permissions of the user's role; authenticates nobody (ModelBackend does)."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        rule = role_rule(user_obj)
        return set(rule.permissions) if rule and obj is None else set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
