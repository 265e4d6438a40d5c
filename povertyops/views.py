"""Site-wide pages: the home dashboard (login and logout are Django's own views)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from households.selectors import county_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The county at a glance: headline figures and the township, cause and attribute tables."""
    return render(request, "home.html", {"summary": county_summary()})
