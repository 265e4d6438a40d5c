"""季度排队 and 年度考核 of every first secretary for each quarter and year of the posting."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from cadres.models import FirstSecretaryPosting
from households.demo.common import REFERENCE_DATE, bulk
from inspections.choices import Grade
from inspections.models import AnnualAssessment, QuarterlyRanking

TIERS = ((0.2, "第一档"), (0.9, "第二档"), (1.0, "第三档"))  # share of ranks, tier name [local]
NOTES = {
    Grade.EXCELLENT: "驻村工作扎实，帮扶成效明显，群众满意度高",
    Grade.COMPETENT: "能够履行驻村工作职责，完成年度帮扶任务",
    Grade.BASICALLY_COMPETENT: "驻村天数不足，工作台账不够规范",
    Grade.INCOMPETENT: "多次暗访不在岗，帮扶措施落实不到位",
}


def create_rankings(rng: random.Random, postings: list[FirstSecretaryPosting]) -> dict[str, int]:
    skill = {posting.pk: _skill(rng, posting) for posting in postings}
    rankings: list[QuarterlyRanking] = []
    yearly: dict[tuple[int, int], list[float]] = {}
    for year in range(2015, REFERENCE_DATE.year + 1):
        for quarter in range(1, 5):
            start = dt.date(year, 3 * quarter - 2, 1)
            end = dt.date(year, 3 * quarter, 30 if quarter in (2, 3) else 31)
            active = [
                p
                for p in postings
                if p.started_on <= end and (p.ended_on is None or p.ended_on >= start)
            ]
            scores = {p.pk: min(99.5, max(60.0, skill[p.pk] + rng.gauss(0, 3))) for p in active}
            rankings += _rank(active, scores, year, quarter)
            for posting in active:
                yearly.setdefault((posting.pk, year), []).append(scores[posting.pk])
    assessments = [
        _assessment(rng, posting, year, yearly[(posting.pk, year)])
        for posting in postings
        for year in range(2015, REFERENCE_DATE.year + 1)
        if (posting.pk, year) in yearly
    ]
    bulk(QuarterlyRanking, rankings)
    bulk(AnnualAssessment, assessments)
    return {"rankings": len(rankings), "assessments": len(assessments)}


def _skill(rng: random.Random, posting: FirstSecretaryPosting) -> float:
    """How well a secretary works; those recalled before their term ended did poorly."""
    recalled = posting.ended_on is not None and posting.ended_on < posting.term_ends_on
    return rng.uniform(62, 70) if recalled else rng.uniform(78, 94)


def _rank(active: list[FirstSecretaryPosting], scores: dict, year: int, quarter: int) -> list:
    ordered = sorted(active, key=lambda p: (-scores[p.pk], p.pk))
    rows = []
    for index, posting in enumerate(ordered, start=1):
        tier = next(name for share, name in TIERS if index <= share * len(ordered) or share == 1.0)
        rows.append(
            QuarterlyRanking(
                posting=posting,
                year=year,
                quarter=quarter,
                rank=index,
                tier=tier,
                score=Decimal(f"{scores[posting.pk]:.2f}"),
            )
        )
    return rows


def _assessment(
    rng: random.Random, posting: FirstSecretaryPosting, year: int, scores: list[float]
) -> AnnualAssessment:
    average = sum(scores) / len(scores)
    if average >= 90:
        grade = Grade.EXCELLENT
    elif average >= 72:
        grade = Grade.COMPETENT
    elif average >= 66:
        grade = Grade.BASICALLY_COMPETENT
    else:
        grade = Grade.INCOMPETENT
    days = min(250, round(len(scores) * rng.uniform(52, 62)))
    return AnnualAssessment(
        posting=posting, year=year, grade=grade, days_in_village=days, notes=NOTES[grade]
    )
