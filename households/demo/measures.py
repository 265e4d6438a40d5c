"""帮扶措施: one to four measures a household a year, chosen by what the household needs."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from households.choices import (
    Health,
    HouseholdStatus,
    MeasureStatus,
    StatusChangeKind,
    StudentStatus,
)
from households.demo.common import (
    INCOME_YEARS,
    REFERENCE_DATE,
    Weighted,
    bulk,
    chance,
    date_between,
)
from households.demo.members import ILL, is_labourer
from households.demo.registry import HouseholdPlan
from households.demo.texts import MEASURES
from households.models import HelpMeasure, MeasureFunding

BASE_WEIGHTS = {
    "industry": 24,
    "employment": 18,
    "education": 12,
    "health": 20,
    "relocation": 8,
    "housing": 12,
    "finance": 6,
    "ecology": 5,
    "social_security": 10,
    "other": 4,
}
COUNT = Weighted({1: 25, 2: 35, 3: 27, 4: 13})
PAST_STATUS = Weighted({MeasureStatus.DONE: 96, MeasureStatus.CANCELLED: 4})
CURRENT_STATUS = Weighted(
    {
        MeasureStatus.DONE: 70,
        MeasureStatus.IN_PROGRESS: 20,
        MeasureStatus.PLANNED: 7,
        MeasureStatus.CANCELLED: 3,
    }
)
STUDENT_NEEDS: dict[str, str] = {
    StudentStatus.PRIMARY: "compulsory",
    StudentStatus.JUNIOR_SECONDARY: "compulsory",
    StudentStatus.SENIOR_SECONDARY: "senior",
    StudentStatus.SECONDARY_VOCATIONAL: "vocational",
    StudentStatus.HIGHER_VOCATIONAL: "vocational",
    StudentStatus.BACHELOR_OR_ABOVE: "college",
}


def create_measures(
    rng: random.Random, plans: list[HouseholdPlan]
) -> tuple[list[HelpMeasure], list[MeasureFunding]]:
    """Write the measures and their funds; return both, for the plans and profiles built on them."""
    measures: list[HelpMeasure] = []
    amounts: list[tuple[HelpMeasure, int, tuple[str, ...]]] = []
    for plan in plans:
        facts = _facts(plan)
        for year in _years(plan):
            options = _options(plan, year, facts)
            weights = Weighted({category: BASE_WEIGHTS[category] for category in options})
            for category in _categories(rng, weights):
                measure, amount, sources = _measure(rng, plan, year, category, options[category])
                measures.append(measure)
                if measure.status in (MeasureStatus.DONE, MeasureStatus.IN_PROGRESS):
                    amounts.append((measure, amount, sources))
    bulk(HelpMeasure, measures)
    fundings = [
        row
        for measure, amount, sources in amounts
        for row in _fundings(rng, measure, amount, sources)
    ]
    return measures, bulk(MeasureFunding, fundings)


def _years(plan: HouseholdPlan) -> list[int]:
    removal = plan.timeline.last(StatusChangeKind.REMOVAL)
    first = plan.timeline.identified_on.year
    return [y for y in INCOME_YEARS if y >= first and (removal is None or y < removal.year)]


def _facts(plan: HouseholdPlan) -> set[str]:
    """What the household's measures can presuppose: pupils, illness, labour, 低保 and so on."""
    people = plan.people
    facts = {STUDENT_NEEDS[p.student] for p in people if p.student in STUDENT_NEEDS}
    facts.add(plan.household.poverty_attribute)
    if any(map(is_labourer, people)):
        facts.add("labour")
    if any(p.health in ILL for p in people):
        facts.add("ill")
    if any(p.health == Health.DISABLED for p in people):
        facts.add("disabled")
    return facts


def _options(plan: HouseholdPlan, year: int, facts: set[str]) -> dict[str, list[tuple]]:
    """Templates per category that fit the household that year (housing, moving: while poor)."""
    poor = plan.timeline.status_at_end_of(year - 1) != HouseholdStatus.EXITED
    known = facts | (
        {"poor", "remote_and_poor"} if poor and plan.village.remote else {"poor"} if poor else set()
    )
    options = {}
    for category, templates in MEASURES.items():
        fitting = [t for t in templates if t[4] is None or t[4] in known]
        if fitting:
            options[category] = fitting
    return options


def _categories(rng: random.Random, weights: Weighted) -> list[str]:
    chosen: list[str] = []
    wanted = COUNT.pick(rng)
    for _ in range(wanted * 3):
        category = weights.pick(rng)
        if category not in chosen:
            chosen.append(category)
        if len(chosen) == wanted:
            break
    return chosen


def _measure(
    rng: random.Random, plan: HouseholdPlan, year: int, category: str, templates: list[tuple]
) -> tuple[HelpMeasure, int, tuple[str, ...]]:
    content, (low, high), sources, result, _ = rng.choice(templates)
    amount, n = rng.randint(low, high), rng.randint(1, 5)
    status = (CURRENT_STATUS if year == REFERENCE_DATE.year else PAST_STATUS).pick(rng)
    started = date_between(rng, dt.date(year, 2, 15), dt.date(year, 7, 31))
    due = date_between(rng, started + dt.timedelta(60), dt.date(year, 12, 31))
    done = status == MeasureStatus.DONE
    cadre = plan.cadre_on(started)
    text = _figures(rng, plan, year, content, amount, n)
    measure = HelpMeasure(
        household_id=plan.household.pk,
        year=year,
        category=category,
        content=content.format(**text),
        status=status,
        responsible_cadre=cadre,
        helping_unit_id=cadre.unit_id if cadre else None,
        started_on=None if status == MeasureStatus.PLANNED else started,
        due_on=due,
        completed_on=min(REFERENCE_DATE, due + dt.timedelta(rng.randint(-30, 20)))
        if done
        else None,
        result=result.format(**text) if done else "",
        result_income=_result_income(result, text) if done else None,
    )
    return measure, text["paid"], sources


def _figures(
    rng: random.Random, plan: HouseholdPlan, year: int, content: str, amount: int, n: int
) -> dict[str, int]:
    """The numbers a measure's texts name; `paid` is the year's money, by the month if monthly."""
    if "月" in content:
        paid = amount * 12
    else:
        paid = amount * (n if "{n}" in content and amount < 5000 else 1)
    return {
        "n": n,
        "size": plan.size_at_end_of(year),
        "amount": amount,
        "paid": paid,
        "dividend": max(100, round(paid * rng.uniform(0.06, 0.12))),
        "gain": rng.randint(5, 60) * 100,
    }


def _result_income(result: str, figures: dict[str, int]) -> Decimal | None:
    """增收金额: whichever figure the result reports as income, none for services in kind."""
    for name in ("paid", "dividend", "gain"):
        if "{" + name + "}" in result:
            return Decimal(figures[name])
    return None


def _fundings(
    rng: random.Random, measure: HelpMeasure, amount: int, sources: tuple[str, ...]
) -> list[MeasureFunding]:
    """The measure's money by source; with several sources the first carries most of it."""
    if len(sources) == 1 or chance(rng, 0.2):
        return [MeasureFunding(measure_id=measure.pk, source=sources[0], amount=Decimal(amount))]
    main = int(amount * rng.uniform(0.6, 0.85))
    rest = amount - main
    shares = [main] + [rest // (len(sources) - 1)] * (len(sources) - 1)
    return [
        MeasureFunding(measure_id=measure.pk, source=source, amount=Decimal(share))
        for source, share in zip(sources, shares, strict=True)
    ]
