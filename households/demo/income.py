"""Poverty lines, yearly incomes and 两不愁三保障 checks that agree with each household's status."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from households.choices import (
    HouseholdStatus,
    PovertyAttribute,
    PovertyLineBasis,
    StatusChangeKind,
    WorkStatus,
)
from households.demo.common import INCOME_YEARS, bulk, chance, date_between
from households.demo.registry import HouseholdPlan
from households.models import BasicNeedsAssessment, PovertyLine, YearlyIncome

STAT, OPER = PovertyLineBasis.STATISTICAL, PovertyLineBasis.OPERATIONAL
# domain.md §3.3: verified rows, then the ones the county has to confirm.
LINES = (
    (2011, 2536, STAT, True, "国家扶贫标准（2010年不变价2300元）2011年现价"),
    (2013, 2736, STAT, True, "2014年建档立卡识别所用标准"),
    (2019, 3218, STAT, True, "国家统计局2019年现价扶贫标准"),
    (2020, 4000, OPER, True, "2020年脱贫底线（工作标准）"),
    (2014, 2800, STAT, False, "单一来源，待核实"),
    (2015, 2855, STAT, False, "待核实"),
    (2016, 3000, STAT, False, "约数，待核实"),
    (2017, 3335, STAT, False, "待核实"),
    (2018, 3535, STAT, False, "待核实"),
    (2019, 3747, OPER, False, "工作标准，待核实"),
)
UNMET_NOTES = {
    "safe_housing": "住房为C级危房，已列入危房改造计划",
    "safe_water": "饮水需到村口井取水，自来水入户工程在建",
    "basic_medical": "有家庭成员未参加城乡居民基本医疗保险",
}


def ensure_poverty_lines() -> dict[int, tuple[Decimal, Decimal]]:
    """Seed the national lines unless present; return each year's (lowest, highest) amount."""
    for year, amount, basis, verified, note in LINES:
        PovertyLine.objects.get_or_create(
            year=year,
            province="",
            basis=basis,
            defaults={"amount": Decimal(amount), "is_verified": verified, "source_note": note},
        )
    lines: dict[int, tuple[Decimal, Decimal]] = {}
    for line in PovertyLine.objects.filter(province="").order_by("year", "basis"):
        low, high = lines.get(line.year, (line.amount, line.amount))
        lines[line.year] = (min(low, line.amount), max(high, line.amount))
    return lines


def create_incomes(
    rng: random.Random, plans: list[HouseholdPlan], lines: dict[int, tuple[Decimal, Decimal]]
) -> tuple[list[YearlyIncome], list[BasicNeedsAssessment]]:
    incomes, checks = [], []
    for plan in plans:
        prosperity = 1.12 + rng.betavariate(2, 5) * 1.6
        for year in _income_years(plan):
            low, high = _line(lines, year)
            exited = plan.timeline.status_at_end_of(year) == HouseholdStatus.EXITED
            size = plan.size_at_end_of(year)
            per_head = (
                float(high) * max(1.1, prosperity * rng.uniform(0.97, 1.06))
                if exited
                else float(low) * rng.uniform(0.55, 0.92)
            )
            total = int(per_head * size) + (1 if exited else 0)
            incomes.append(_income(rng, plan, year, total))
            checks.append(_assessment(rng, plan, year, exited))
    return bulk(YearlyIncome, incomes), bulk(BasicNeedsAssessment, checks)


def _income_years(plan: HouseholdPlan) -> list[int]:
    """The last three years while in casework, and any earlier year the household exited in."""
    removal = plan.timeline.last(StatusChangeKind.REMOVAL)
    last = removal.year - 1 if removal else INCOME_YEARS[-1]
    exits = [
        s.year
        for s in plan.timeline.steps
        if s.kind == StatusChangeKind.MARK_EXITED and s.year < INCOME_YEARS[0]
    ]
    years = sorted(set(exits) | {y for y in INCOME_YEARS if y >= plan.timeline.identified_on.year})
    return [year for year in years if year <= last]


def _line(lines: dict[int, tuple[Decimal, Decimal]], year: int) -> tuple[Decimal, Decimal]:
    known = [y for y in lines if y <= year] or list(lines)
    return lines[max(known)] if known else (Decimal(4000), Decimal(4000))


def _transfers(rng: random.Random, plan: HouseholdPlan, year: int, size: int) -> dict[str, int]:
    attribute = plan.household.poverty_attribute
    elderly = sum(1 for p in plan.people if p.age_in(year) >= 60 and p.left_on is None)
    step = year - 2018
    parts = {
        "pension": elderly * rng.randint(105 + 5 * step, 130 + 5 * step) * 12,
        "family_planning_award": rng.choice((960, 1920)) if chance(rng, 0.08) else 0,
        "ecological_compensation": rng.randint(150, 1200) if chance(rng, 0.3) else 0,
        "other_transfer_income": rng.randint(300, 1800) if chance(rng, 0.4) else 0,
        "asset_dividend_income": rng.randint(300, 1500) if chance(rng, 0.45) else 0,
        "other_property_income": rng.randint(300, 2500) if chance(rng, 0.12) else 0,
    }
    if attribute == PovertyAttribute.MINIMUM_LIVING:
        covered = rng.randint(1, size)
        parts["minimum_living_allowance"] = (
            covered * rng.randint(180 + 20 * step, 260 + 20 * step) * 12
        )
    elif attribute == PovertyAttribute.EXTREME_POVERTY_SUPPORT:
        parts["extreme_poverty_allowance"] = rng.randint(4200 + 300 * step, 5400 + 300 * step)
    return parts


def _income(rng: random.Random, plan: HouseholdPlan, year: int, total: int) -> YearlyIncome:
    """Split a net income into its parts: transfers and property first, work makes up the rest."""
    parts = _transfers(rng, plan, year, plan.size_at_end_of(year))
    fixed = sum(parts.values())
    if fixed > 0.85 * total:  # a poor year: what came in was less than the usual allowances
        parts = {name: int(value * 0.85 * total / fixed) for name, value in parts.items()}
    rest = total - sum(parts.values())
    working = any(p.work_status not in ("", WorkStatus.NOT_WORKING) for p in plan.people)
    wage = int(rest * rng.uniform(0.55, 0.9)) if working else int(rest * rng.uniform(0, 0.3))
    wage = wage if wage >= 1000 else 0
    business_net = rest - wage
    expense = max(1, int(business_net * rng.uniform(0.3, 0.7))) if business_net else 0
    return YearlyIncome(
        household_id=plan.household.pk,
        year=year,
        wage_income=Decimal(wage),
        business_income=Decimal(business_net + expense),
        business_expense=Decimal(expense),
        **{name: Decimal(value) for name, value in parts.items()},
    )


def _assessment(
    rng: random.Random, plan: HouseholdPlan, year: int, exited: bool
) -> BasicNeedsAssessment:
    unmet: list[str] = []
    if not exited:
        if any(not p.insured for p in plan.people):
            unmet.append("basic_medical")
        if chance(rng, 0.6):
            unmet.append(rng.choice(("safe_housing", "safe_housing", "safe_water")))
    cadre = plan.cadre_on(dt.date(year, 11, 30))
    return BasicNeedsAssessment(
        household_id=plan.household.pk,
        year=year,
        notes="；".join(UNMET_NOTES[i] for i in unmet),
        assessed_on=date_between(rng, dt.date(year, 11, 5), dt.date(year, 12, 20)),
        assessor=cadre.name if cadre else "村两委",
        **{item: False for item in unmet},
    )
