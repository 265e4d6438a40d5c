"""Causes of poverty (致贫原因) that the members bear out, and the household's short account."""

from __future__ import annotations

import random

from households.choices import Cause, Health, LabourSkill, StudentStatus
from households.demo.common import Weighted
from households.demo.family import Person
from households.demo.members import ILL, is_labourer

# Like seed county B (domain.md §6): illness- and disability-heavy.
CAUSE_GROUP = Weighted({"illness": 55, "disability": 35, "other": 10})
OTHER_MAIN = Weighted(
    {
        Cause.LACK_OF_LABOUR: 25,
        Cause.LACK_OF_FUNDS: 20,
        Cause.SCHOOLING: 15,
        Cause.LACK_OF_SKILLS: 15,
        Cause.DISASTER: 8,
        Cause.LACK_OF_LAND: 5,
        Cause.POOR_TRANSPORT: 5,
        Cause.LACK_OF_WATER: 4,
        Cause.LACK_OF_MOTIVATION: 3,
    }
)
OTHER_COUNT = Weighted({0: 30, 1: 45, 2: 25})
HIGHER_STUDENTS = (
    StudentStatus.SENIOR_SECONDARY,
    StudentStatus.SECONDARY_VOCATIONAL,
    StudentStatus.HIGHER_VOCATIONAL,
    StudentStatus.BACHELOR_OR_ABOVE,
)


def main_cause(rng: random.Random, group: str, people: list[Person]) -> str:
    if group != "other":
        return group
    cause = OTHER_MAIN.pick(rng)
    if cause == Cause.SCHOOLING and not _has_higher_student(people):
        return Cause.LACK_OF_FUNDS
    if cause == Cause.LACK_OF_LABOUR and sum(map(is_labourer, people)) > 1:
        return Cause.LACK_OF_SKILLS
    return cause


def other_causes(rng: random.Random, main: str, people: list[Person], remote: bool) -> list[str]:
    """At most two further causes, each one the household's facts support."""
    candidates = []
    if any(p.health in ILL for p in people):
        candidates.append(Cause.ILLNESS)
    if any(p.health == Health.DISABLED for p in people):
        candidates.append(Cause.DISABILITY)
    if _has_higher_student(people):
        candidates.append(Cause.SCHOOLING)
    labourers = sum(map(is_labourer, people))
    if labourers <= 1:
        candidates.append(Cause.LACK_OF_LABOUR)
    elif not any(p.skill == LabourSkill.SKILLED for p in people):
        candidates.append(Cause.LACK_OF_SKILLS)
    candidates.append(Cause.LACK_OF_FUNDS)
    if remote:
        candidates += [Cause.POOR_TRANSPORT, Cause.LACK_OF_WATER]
    candidates = [cause for cause in candidates if cause != main]
    return rng.sample(candidates, min(OTHER_COUNT.pick(rng), len(candidates)))


def _has_higher_student(people: list[Person]) -> bool:
    return any(p.student in HIGHER_STUDENTS for p in people)


def situation(main: str, people: list[Person]) -> str:
    """家庭情况简述: one sentence the way village clerks write it."""
    head = people[0]
    labourers = sum(map(is_labourer, people))
    ill = [p for p in people if p.health in ILL]
    disabled = [p for p in people if p.health == Health.DISABLED]
    parts = [f"户主{head.name}，{head.age}岁，家庭共{len(people)}口人，劳动力{labourers}人"]
    if ill:
        parts.append(f"{ill[0].name}{Health(ill[0].health).label}，常年需要治疗")
    if disabled:
        parts.append(f"{disabled[0].name}残疾，生活需要照料")
    students = [p for p in people if p.student in HIGHER_STUDENTS]
    if students:
        parts.append(
            f"{students[0].name}在读{StudentStatus(students[0].student).label}，教育支出较大"
        )
    parts.append(f"主要致贫原因为{Cause(main).label}")
    return "；".join(parts) + "。"
