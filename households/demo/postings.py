"""驻村第一书记 and 驻村工作队: who was posted to which village, for which term, with which team."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from cadres.choices import Affiliation, DispatchLevel, Rank, TeamRole
from cadres.models import Cadre, FirstSecretaryPosting, HelpingUnit, WorkTeam, WorkTeamMember
from households.demo import catalog, names
from households.demo.areas import Areas, VillagePlan
from households.demo.common import Weighted, bulk, chance, date_between, days_after, phone
from households.demo.units import Staff, make_cadre

DISPATCH = Weighted(
    {
        DispatchLevel.COUNTY: 78,
        DispatchLevel.MUNICIPAL: 13,
        DispatchLevel.PROVINCIAL: 7,
        DispatchLevel.CENTRAL: 2,
    }
)
LEVEL_UNITS = {
    DispatchLevel.MUNICIPAL: Affiliation.MUNICIPAL,
    DispatchLevel.PROVINCIAL: Affiliation.PROVINCIAL,
    DispatchLevel.CENTRAL: Affiliation.CENTRAL,
}
ALLOWANCE: dict[str, tuple[int, ...]] = {
    DispatchLevel.COUNTY: (600, 800, 900),
    DispatchLevel.MUNICIPAL: (1000, 1200),
    DispatchLevel.PROVINCIAL: (1500,),
    DispatchLevel.CENTRAL: (1800, 2000),
}
CHAIN_POOR = Weighted({2: 85, 3: 8, 1: 7})  # postings in a row: an earlier term, a recall
CHAIN_WEAK = Weighted({1: 60, 2: 40})


@dataclass
class Term:
    started_on: dt.date
    term_ends_on: dt.date
    ended_on: dt.date | None


@dataclass
class Postings:
    postings: list[FirstSecretaryPosting]
    teams: list[WorkTeam]
    members: list[WorkTeamMember]
    # Cadres new to the county's rolls, with their village and the day they arrived there.
    newcomers: list[tuple[Cadre, int, dt.date]]

    @property
    def current(self) -> list[FirstSecretaryPosting]:
        return [posting for posting in self.postings if posting.ended_on is None]


def create_postings(rng: random.Random, areas: Areas, staff: Staff) -> Postings:
    """Every poor village has a first secretary now, so do some weak-branch villages."""
    cadres, postings, teams, memberships, newcomers = [], [], [], [], []
    for plan in areas.villages:
        if plan.village.is_poor_village:
            length = CHAIN_POOR.pick(rng)
        elif chance(rng, 0.3):
            length = CHAIN_WEAK.pick(rng)
        else:
            continue
        for term in _terms(rng, length):
            level, unit = _dispatch(rng, plan, staff)
            cadre = _secretary(rng, unit, level)
            cadres.append(cadre)
            newcomers.append((cadre, plan.village.pk, term.started_on))
            postings.append(_posting(rng, cadre, plan, level, unit, term))
            team, crew = _team(rng, plan, unit, staff, term)
            new = [member for member, _ in crew if member.pk is None]
            cadres += new
            newcomers += [(member, plan.village.pk, term.started_on) for member in new]
            teams.append(team)
            memberships.append((team, [(cadre, _leader_role(rng, crew))] + crew))
    bulk(Cadre, cadres)
    bulk(FirstSecretaryPosting, postings)
    bulk(WorkTeam, teams)
    members = [
        WorkTeamMember(
            team=team, cadre=cadre, role=role, started_on=team.started_on, ended_on=team.ended_on
        )
        for team, crew in memberships
        for cadre, role in crew
    ]
    return Postings(postings, teams, bulk(WorkTeamMember, members), newcomers)


def _terms(rng: random.Random, length: int) -> list[Term]:
    """Consecutive terms ending with the current one (started early 2018, three years)."""
    current_start = date_between(rng, dt.date(2018, 2, 20), dt.date(2018, 4, 10))
    terms = [Term(current_start, days_after(current_start, 3 * 365), None)]
    if length == 3:  # the 2018 secretary was recalled and replaced
        recalled = date_between(rng, dt.date(2018, 10, 1), dt.date(2019, 9, 30))
        terms = [
            Term(current_start, days_after(current_start, 3 * 365), recalled),
            Term(
                days_after(recalled, rng.randint(5, 20)), days_after(current_start, 3 * 365), None
            ),
        ]
    if length >= 2:
        first = date_between(rng, dt.date(2015, 8, 1), dt.date(2015, 9, 15))
        terms.insert(0, Term(first, days_after(first, 2 * 365), current_start))
    return terms


def _dispatch(rng: random.Random, plan: VillagePlan, staff: Staff) -> tuple[str, HelpingUnit]:
    level = DISPATCH.pick(rng)
    outside = staff.outside_units.get(LEVEL_UNITS.get(level, ""), [])
    if outside:
        return level, rng.choice(outside)
    lead = staff.lead_units[plan.village.pk]
    unit = lead if lead.affiliation == Affiliation.COUNTY else rng.choice(staff.county_units)
    return DispatchLevel.COUNTY, unit


def _secretary(rng: random.Random, unit: HelpingUnit, level: str) -> Cadre:
    senior = 0.7 if level in (DispatchLevel.CENTRAL, DispatchLevel.PROVINCIAL) else 0.45
    rank = Rank.SECTION_LEVEL if chance(rng, senior) else Rank.STAFF
    return Cadre(
        name=names.person_name(rng, chance(rng, 0.8), rng.randint(1970, 1992)),
        unit=unit,
        rank=rank,
        post=rng.choice(catalog.POSTS[rank]),
        phone=phone(rng),
    )


def _posting(
    rng: random.Random, cadre: Cadre, plan: VillagePlan, level: str, unit: HelpingUnit, term: Term
) -> FirstSecretaryPosting:
    return FirstSecretaryPosting(
        cadre=cadre,
        village=plan.village,
        dispatch_level=level,
        dispatching_unit=unit,
        started_on=term.started_on,
        term_ends_on=term.term_ends_on,
        ended_on=term.ended_on,
        monthly_allowance=Decimal(rng.choice(ALLOWANCE[level])),
        transport_allowance=Decimal(rng.choice((200, 300, 400))),
        has_accident_insurance=chance(rng, 0.97),
    )


def _team(
    rng: random.Random, plan: VillagePlan, unit: HelpingUnit, staff: Staff, term: Term
) -> tuple[WorkTeam, list[tuple[Cadre, str]]]:
    """The first secretary and two or three others, mostly cadres who already help there."""
    team = WorkTeam(
        village=plan.village,
        name=f"{unit.name}驻{plan.village.name}工作队",
        dispatching_unit=unit,
        started_on=term.started_on,
        ended_on=term.ended_on,
    )
    local = [
        slot.cadre
        for slot in staff.slots[plan.village.pk]
        if slot.cadre.rank in (Rank.SECTION_LEVEL, Rank.STAFF)
    ]
    size = rng.randint(2, 3)
    crew = rng.sample(local, min(size, len(local)))
    township = staff.township_units[plan.township.pk]
    while len(crew) < size:
        crew.append(make_cadre(rng, township if not crew else unit, Rank.STAFF))
    return team, [(cadre, TeamRole.MEMBER) for cadre in crew]


def _leader_role(rng: random.Random, crew: list[tuple[Cadre, str]]) -> str:
    """The first secretary usually leads; otherwise the township cadre does."""
    if chance(rng, 0.85):
        return TeamRole.LEADER
    crew[0] = (crew[0][0], TeamRole.LEADER)
    return TeamRole.FIRST_SECRETARY
