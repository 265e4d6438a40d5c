"""Site-wide pages: the home dashboard (login and logout are Django's own views)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.backends import role_rule
from accounts.roles import Scope
from households.selectors import county_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's area at a glance; the administrator roles, which see no casework, get links."""
    user = request.user
    rule = role_rule(user)
    if not user.is_superuser and (rule is None or rule.scope is Scope.NONE):
        return render(request, "home_without_casework.html", {"has_role": rule is not None})
    # A township's or a village's staff see their own area; county roles the whole county.
    assignment = getattr(user, "assignment", None)
    area = (assignment.village or assignment.township) if assignment else None
    title = f"{area.name}概况" if area else "全县概况"
    return render(request, "home.html", {"summary": county_summary(user=user), "title": title})
