"""Build the whole demo county in one transaction, part by part, and say what was written."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import reset_queries, transaction
from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from cadres.models import Cadre, HelpingUnit, Visit
from households.choices import StatusChangeKind
from households.demo.areas import create_areas
from households.demo.common import DEFAULT_HOUSEHOLDS, DEFAULT_SEED, REFERENCE_DATE, Scale, stream
from households.demo.events import create_events
from households.demo.help_plans import create_help_plans
from households.demo.income import create_incomes, ensure_poverty_lines
from households.demo.inspections import create_inspections
from households.demo.measures import create_measures
from households.demo.pairings import create_pairings
from households.demo.postings import create_postings
from households.demo.profiles import create_profiles
from households.demo.rankings import create_rankings
from households.demo.registry import create_registry
from households.demo.units import create_staff, ensure_quota_rules
from households.demo.visits import create_visits
from households.models import Household, StatusChange, Village
from povertyops.collector import collector_paused


class DatabaseNotEmpty(Exception):
    """The demo county is only written into an empty registry."""


@dataclass
class DemoSummary:
    households: int = 0
    members: int = 0
    events: int = 0
    cadres: int = 0
    pairings: int = 0
    postings: int = 0
    teams: int = 0
    incomes: int = 0
    measures: int = 0
    profiles: int = 0
    help_plans: int = 0
    visits: int = 0
    inspections: int = 0
    findings: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"贫困户 {self.households} 户，家庭成员 {self.members} 人，动态调整 {self.events} 条",
            f"帮扶干部 {self.cadres} 人，结对帮扶 {self.pairings} 条",
            f"驻村第一书记 {self.postings} 人次，驻村工作队 {self.teams} 支",
            f"年度收入 {self.incomes} 条，帮扶措施 {self.measures} 条，走访记录 {self.visits} 条",
            f"家庭基本情况 {self.profiles} 户，帮扶计划 {self.help_plans} 条",
            f"督查 {self.inspections} 次，发现问题 {self.findings} 个",
            f"用时 {self.seconds:.1f} 秒",
        ]


def ensure_empty() -> None:
    taken = [
        label
        for label, model in (
            ("贫困户", Household),
            ("行政村", Village),
            ("帮扶单位", HelpingUnit),
            ("帮扶干部", Cadre),
        )
        if model.objects.exists()
    ]
    if taken:
        raise DatabaseNotEmpty(
            f"数据库中已有{'、'.join(taken)}数据，演示县只能写入空数据库；"
            "请换用新数据库，或先清空（manage.py flush）后再运行。"
        )


def generate(*, households: int = DEFAULT_HOUSEHOLDS, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Write the demo county; the same seed on an empty database always writes the same rows."""
    started = time.perf_counter()
    with collector_paused(), transaction.atomic():
        ensure_empty()  # inside the transaction, so nothing can slip in between check and write
        summary = _build(Scale(households), seed)
    summary.seconds = time.perf_counter() - started
    return summary


def _build(scale: Scale, seed: int) -> DemoSummary:
    summary = DemoSummary()
    lines = ensure_poverty_lines()
    quotas = ensure_quota_rules()
    areas = create_areas(stream(seed, "areas"), scale)
    plans = create_registry(stream(seed, "registry"), areas)
    summary.households = len(plans)
    summary.members = sum(len(p.people) + len(p.former) for p in plans)
    summary.events = len(create_events(plans))
    _tidy()
    staff = create_staff(stream(seed, "units"), areas, scale, quotas)
    posted = create_postings(stream(seed, "postings"), areas, staff)
    pairings = create_pairings(stream(seed, "pairings"), areas, staff, posted.newcomers)
    summary.pairings = len(pairings)
    summary.postings, summary.teams = len(posted.postings), len(posted.teams)
    summary.cadres = Cadre.objects.count()
    _tidy()
    incomes, checks = create_incomes(stream(seed, "income"), plans, lines)
    measures, fundings = create_measures(stream(seed, "measures"), plans)
    summary.incomes, summary.measures = len(incomes), len(measures)
    _tidy()
    profiles = create_profiles(stream(seed, "profiles"), plans, incomes, checks, measures)
    help_plans = create_help_plans(stream(seed, "help_plans"), plans, measures, fundings)
    summary.profiles, summary.help_plans = len(profiles), len(help_plans)
    del incomes, checks, measures, fundings  # let the rows go before visits and inspections
    _tidy()
    summary.visits = create_visits(stream(seed, "visits"), areas, posted.current)
    counts = create_inspections(stream(seed, "inspections"), areas, scale, posted.current)
    summary.inspections, summary.findings = counts["inspections"], counts["findings"]
    create_rankings(stream(seed, "rankings"), posted.postings)
    _backdate()
    return summary


def _backdate() -> None:
    """Timestamps Django fills with the clock get the dates the records stand for instead."""
    identified = StatusChange.objects.filter(
        household=OuterRef("pk"), kind=StatusChangeKind.NEW_IDENTIFICATION
    )
    as_time = DateTimeField()
    Household.objects.update(
        created_at=Cast(Subquery(identified.values("effective_on")[:1]), as_time),
        updated_at=timezone.make_aware(dt.datetime.combine(REFERENCE_DATE, dt.time(18))),
    )
    StatusChange.objects.update(recorded_at=Cast("effective_on", as_time))
    Visit.objects.update(recorded_at=Cast("visited_on", as_time))


def _tidy() -> None:
    # With DEBUG on, Django keeps every statement; bulk inserts make those long.
    reset_queries()
