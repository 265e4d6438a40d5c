"""帮扶计划: a plan for most households each recent year, listing that year's measures."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from households.choices import HouseholdStatus, MeasureCategory, MeasureStatus, StatusChangeKind
from households.demo.common import REFERENCE_YEAR, bulk, chance
from households.demo.registry import HouseholdPlan
from households.models import HelpMeasure, HelpPlan, MeasureFunding

# A village clerk's wording of what each cause calls for.
CAUSE_AIMS = {
    "illness": "落实健康扶贫政策，减轻医疗负担",
    "disability": "落实残疾人两项补贴和康复服务",
    "schooling": "落实教育资助政策，保障子女完成学业",
    "disaster": "恢复生产，增强抗灾能力",
    "lack_of_land": "流转土地，发展庭院经济",
    "lack_of_water": "解决生产生活用水困难",
    "lack_of_skills": "参加技能培训，稳定务工收入",
    "lack_of_labour": "落实兜底保障，发展力所能及的产业",
    "lack_of_funds": "申请扶贫小额信贷，发展增收产业",
    "poor_transport": "改善出行条件，发展特色产业",
    "lack_of_motivation": "扶志扶智，激发内生动力",
}
CATEGORY_AIMS: dict[str, str] = {
    MeasureCategory.INDUSTRY: "发展特色种养业",
    MeasureCategory.EMPLOYMENT: "稳定务工就业",
    MeasureCategory.HOUSING: "住房安全有保障",
    MeasureCategory.RELOCATION: "搬得出、稳得住",
}
CATEGORY_LABELS = dict(MeasureCategory.choices)  # get_FOO_display is slow over 100,000 rows
PLANNED_SHARE = 0.92  # a few households' plans for a year were never written up


def create_help_plans(
    rng: random.Random,
    plans: list[HouseholdPlan],
    measures: list[HelpMeasure],
    fundings: list[MeasureFunding],
) -> list[HelpPlan]:
    by_year: dict[tuple[int, int], list[HelpMeasure]] = defaultdict(list)
    for measure in measures:
        if measure.status != MeasureStatus.CANCELLED:
            by_year[(measure.household_id, measure.year)].append(measure)
    funds: dict[int, Decimal] = defaultdict(Decimal)
    for funding in fundings:
        funds[funding.measure_id] += funding.amount
    rows = [
        _plan(rng, plan, year, yearly, funds)
        for plan in plans
        for year, yearly in _years_of(plan, by_year)
        if chance(rng, PLANNED_SHARE)
    ]
    return bulk(HelpPlan, rows)


def _years_of(
    plan: HouseholdPlan, by_year: dict[tuple[int, int], list[HelpMeasure]]
) -> list[tuple[int, list[HelpMeasure]]]:
    """The household's years with measures (those in casework), oldest first."""
    pk = plan.household.pk
    return [
        (year, by_year[(pk, year)])
        for year in range(plan.timeline.identified_on.year, REFERENCE_YEAR + 1)
        if (pk, year) in by_year
    ]


def _plan(
    rng: random.Random,
    plan: HouseholdPlan,
    year: int,
    measures: list[HelpMeasure],
    funds: dict[int, Decimal],
) -> HelpPlan:
    total = sum((funds[m.pk] for m in measures), Decimal(0))
    # Planned before the year began: a little above what the measures finally cost.
    planned = Decimal(round(float(total) * rng.uniform(1.0, 1.15), -2)) if total else None
    deadlines = [m.due_on for m in measures if m.due_on]
    return HelpPlan(
        household_id=plan.household.pk,
        year=year,
        goals=_goals(plan, year, measures),
        planned_exit_year=_planned_exit(plan, year),
        projects="；".join(f"{CATEGORY_LABELS[m.category]}：{m.content}" for m in measures),
        planned_funds=planned,
        deadline=max(deadlines) if deadlines else dt.date(year, 12, 31),
    )


def _planned_exit(plan: HouseholdPlan, year: int) -> int:
    """The exit the plan aimed at: the one that came (or was kept), else the 2020 deadline."""
    exits = [s.year for s in plan.timeline.steps if s.kind == StatusChangeKind.MARK_EXITED]
    if plan.timeline.status_at_end_of(year - 1) == HouseholdStatus.EXITED:
        return max(y for y in exits if y < year)
    return min((y for y in exits if y >= year), default=REFERENCE_YEAR)


def _goals(plan: HouseholdPlan, year: int, measures: list[HelpMeasure]) -> str:
    aims = [CAUSE_AIMS[plan.household.main_cause]]
    aims += [CATEGORY_AIMS[m.category] for m in measures if m.category in CATEGORY_AIMS][:1]
    if plan.timeline.status_at_end_of(year - 1) == HouseholdStatus.EXITED:
        return f"巩固脱贫成果，{'，'.join(aims)}，家庭收入稳定增长，防止返贫。"
    return (
        f"{'，'.join(aims)}，{year}年家庭人均纯收入稳定超过扶贫标准，"
        f"实现“两不愁三保障”，计划{_planned_exit(plan, year)}年脱贫。"
    )
