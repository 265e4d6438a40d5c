"""Search of registry rows by household: number, member ID number or member name.

Django's default search ORs `icontains` over joined tables, a scan of every member row with
DISTINCT on top. A clerk types either a household number, an ID number or a name; each has an
index, so the term is classified and matched through that index alone.
"""

from django.db.models import Q, QuerySet

from accounts.admin_scoping import choosable
from households import idnumbers
from households.models import Household, Member

HELP_TEXT = "输入户编号（可只输开头几位）、完整身份证号码或成员姓名（按开头匹配）"


def _words(search_term: str) -> list[str]:
    return [idnumbers.normalise(word) for word in search_term.split()]


def household_matches(queryset: QuerySet, search_term: str) -> QuerySet:
    """Households matching every word of the term (a number, an ID number or a name)."""
    for word in _words(search_term):
        if idnumbers.ID_PATTERN.match(word):
            # An 18-digit household number can look like an ID number: match either.
            holders = Member.objects.filter(id_number=word).values("household_id")
            queryset = queryset.filter(Q(household_number=word) | Q(pk__in=holders))
        elif word.isdigit():
            queryset = queryset.filter(household_number__startswith=word)
        else:
            named = Member.objects.filter(name__startswith=word).values("household_id")
            queryset = queryset.filter(pk__in=named)
    return queryset


def member_matches(queryset: QuerySet, search_term: str) -> QuerySet:
    """Members matching every word: their own ID number or name, or their household's number."""
    for word in _words(search_term):
        if idnumbers.ID_PATTERN.match(word):
            # A subquery, not a join, so that both sides of the OR use their index.
            numbered = Household.objects.filter(household_number=word).values("pk")
            queryset = queryset.filter(Q(id_number=word) | Q(household__in=numbered))
        elif word.isdigit():
            queryset = queryset.filter(household__household_number__startswith=word)
        else:
            queryset = queryset.filter(name__startswith=word)
    return queryset


class HouseholdSearchMixin:
    """Search a list of rows that belong to a household (income, measures, events…)."""

    # Non-empty so that the search box shows; the matching itself is get_search_results'.
    search_fields = ("household__household_number",)
    search_help_text = HELP_TEXT
    household_path = "household"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        households = household_matches(
            choosable(Household.objects.all(), request.user), search_term
        )
        return queryset.filter(**{f"{self.household_path}__in": households}), False
