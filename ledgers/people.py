"""Who may sign a household's ledger entries: its paired cadres and its village's posted cadres."""

from __future__ import annotations

from django.db.models import Q

from cadres.models import Cadre
from households.models import Household


def visit_authors(household: Household) -> list[Cadre]:
    """Cadres who may be named as a visit's 走访人: paired with the household (now or before),
    or posted to its village now as first secretary or work-team member."""
    village = household.village_id
    return list(
        Cadre.objects.filter(
            Q(pairings__household=household)
            | Q(postings__village_id=village, postings__ended_on__isnull=True)
            | Q(team_memberships__team__village_id=village, team_memberships__ended_on__isnull=True)
        )
        .distinct()
        .order_by("name", "pk")
    )
