"""Members' attributes that agree with age and health, valid ID numbers, and the Member rows."""

from __future__ import annotations

import datetime as dt
import random

from households import idnumbers
from households.choices import Education, Health, LabourSkill, Sex, StudentStatus, WorkStatus
from households.demo.common import Weighted, chance
from households.demo.family import Person
from households.models import Member

BASE_HEALTH = {
    "child": Weighted({Health.HEALTHY: 97, Health.CHRONIC_ILLNESS: 1, Health.DISABLED: 2}),
    "adult": Weighted(
        {
            Health.HEALTHY: 82,
            Health.CHRONIC_ILLNESS: 12,
            Health.SERIOUS_ILLNESS: 3,
            Health.DISABLED: 3,
        }
    ),
    "old": Weighted(
        {
            Health.HEALTHY: 45,
            Health.CHRONIC_ILLNESS: 42,
            Health.SERIOUS_ILLNESS: 6,
            Health.DISABLED: 7,
        }
    ),
}
# Disability categories (digit 19 of the card: 4 肢体 the commonest) and grades (digit 20).
DISABILITY_CATEGORY = Weighted({4: 40, 1: 12, 2: 12, 3: 3, 5: 12, 6: 14, 7: 7})
DISABILITY_GRADE = Weighted({1: 15, 2: 25, 3: 30, 4: 30})
E = Education
ADULT_EDUCATION = [  # by birth year: up to 1949, 1950–1965, 1966–1980, after
    (1949, Weighted({E.ILLITERATE: 50, E.PRIMARY: 40, E.JUNIOR_SECONDARY: 10})),
    (
        1965,
        Weighted({E.ILLITERATE: 25, E.PRIMARY: 45, E.JUNIOR_SECONDARY: 25, E.SENIOR_SECONDARY: 5}),
    ),
    (
        1980,
        Weighted(
            {
                E.ILLITERATE: 8,
                E.PRIMARY: 35,
                E.JUNIOR_SECONDARY: 45,
                E.SENIOR_SECONDARY: 8,
                E.TECHNICAL_SECONDARY: 3,
                E.COLLEGE_OR_ABOVE: 1,
            }
        ),
    ),
    (
        9999,
        Weighted(
            {
                E.ILLITERATE: 3,
                E.PRIMARY: 15,
                E.JUNIOR_SECONDARY: 55,
                E.SENIOR_SECONDARY: 15,
                E.TECHNICAL_SECONDARY: 7,
                E.COLLEGE_OR_ABOVE: 5,
            }
        ),
    ),
]
WORKING_PLACES = Weighted(
    {
        WorkStatus.OUT_OF_PROVINCE: 30,
        WorkStatus.IN_PROVINCE: 18,
        WorkStatus.IN_COUNTY: 20,
        WorkStatus.IN_TOWNSHIP: 12,
        WorkStatus.NOT_WORKING: 20,
    }
)
ILL = (Health.CHRONIC_ILLNESS, Health.SERIOUS_ILLNESS)


def assign_health(rng: random.Random, people: list[Person], main_cause: str) -> None:
    """Health by age, then make sure the household's main cause shows in its members."""
    for person in people:
        band = "child" if person.age < 16 else ("adult" if person.age < 60 else "old")
        person.health = BASE_HEALTH[band].pick(rng)
    adults = [p for p in people if p.age >= 30] or people
    if main_cause == "illness" and not any(p.health in ILL for p in people):
        target = people[0] if chance(rng, 0.5) else rng.choice(adults)
        target.health = Health.SERIOUS_ILLNESS if chance(rng, 0.35) else Health.CHRONIC_ILLNESS
    if main_cause == "disability" and not any(p.health == Health.DISABLED for p in people):
        target = people[0] if chance(rng, 0.45) else rng.choice(people)
        target.health = Health.DISABLED
    for person in people:
        if person.health == Health.DISABLED:
            person.disability = (DISABILITY_CATEGORY.pick(rng), DISABILITY_GRADE.pick(rng))


def schooling(rng: random.Random, person: Person) -> tuple[str, str]:
    """(文化程度, 在校生状况) plausible for the age; every child of 7–15 is at school."""
    age = person.age
    if age < 3:
        return E.PRESCHOOL_CHILD, StudentStatus.NOT_STUDENT
    if age < 6 or (age == 6 and chance(rng, 0.3)):
        student = StudentStatus.PRESCHOOL if chance(rng, 0.85) else StudentStatus.NOT_STUDENT
        return E.PRESCHOOL_CHILD, student
    if age <= 12:
        return E.PRIMARY, StudentStatus.PRIMARY
    if age <= 15:
        return E.JUNIOR_SECONDARY, StudentStatus.JUNIOR_SECONDARY
    if age <= 18 and chance(rng, 0.85):
        if chance(rng, 0.7):
            return E.SENIOR_SECONDARY, StudentStatus.SENIOR_SECONDARY
        return E.TECHNICAL_SECONDARY, StudentStatus.SECONDARY_VOCATIONAL
    if 19 <= age <= 22 and chance(rng, 0.25):
        student = (
            StudentStatus.BACHELOR_OR_ABOVE if chance(rng, 0.4) else StudentStatus.HIGHER_VOCATIONAL
        )
        return E.COLLEGE_OR_ABOVE, student
    if person.disability and person.disability[0] in (5, 7):
        return E.ILLITERATE, StudentStatus.NOT_STUDENT
    education = next(table for last, table in ADULT_EDUCATION if person.birth_year <= last).pick(
        rng
    )
    return education, StudentStatus.NOT_STUDENT


def labour(rng: random.Random, person: Person, student: str) -> str:
    """劳动技能 from age, schooling and health (under 16 and students: 无劳动力)."""
    if person.age < 16 or student != StudentStatus.NOT_STUDENT:
        return LabourSkill.NONE
    severe = person.disability is not None and person.disability[1] <= 2
    if severe or person.health == Health.SERIOUS_ILLNESS:
        return LabourSkill.LOST if severe or chance(rng, 0.55) else LabourSkill.WEAK_OR_HALF
    if person.age >= 70:
        return LabourSkill.WEAK_OR_HALF if person.health == Health.HEALTHY else LabourSkill.LOST
    if person.age >= 60 or person.health != Health.HEALTHY:
        return LabourSkill.WEAK_OR_HALF if chance(rng, 0.7) else LabourSkill.ORDINARY
    return LabourSkill.SKILLED if chance(rng, 0.18) else LabourSkill.ORDINARY


def work(rng: random.Random, person: Person, skill: str) -> tuple[str, int | None]:
    if person.age < 16 or skill == LabourSkill.NONE:
        return "", None
    if skill in (LabourSkill.ORDINARY, LabourSkill.SKILLED) and person.age < 60:
        place = WORKING_PLACES.pick(rng)
    elif skill == LabourSkill.WEAK_OR_HALF and chance(rng, 0.3):
        place = WorkStatus.IN_TOWNSHIP
    else:
        return WorkStatus.NOT_WORKING, None
    if place == WorkStatus.NOT_WORKING:
        return place, None
    low = 6 if place in (WorkStatus.OUT_OF_PROVINCE, WorkStatus.IN_PROVINCE) else 3
    return place, rng.randint(low, 12)


class IdMaker:
    """Valid, unique ID numbers whose birth date and sex digit agree with the person."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rng: random.Random, area: str, birth: dt.date, male: bool) -> str:
        while True:
            sequence = rng.randrange(0, 500) * 2 + 1 if male else rng.randrange(1, 500) * 2
            number = idnumbers.make(area, birth, sequence)
            if number not in self.used:
                self.used.add(number)
                return number


def assign_attributes(rng: random.Random, person: Person) -> None:
    """Schooling, labour skill and work, in that order, since each depends on the one before."""
    person.education, person.student = schooling(rng, person)
    person.skill = labour(rng, person, person.student)
    person.work_status, person.work_months = work(rng, person, person.skill)


def is_labourer(person: Person) -> bool:
    return person.skill in (LabourSkill.ORDINARY, LabourSkill.SKILLED)


# Away for work or study: the booklet's 在家居住时间 is the rest of the year.
AWAY_FOR_WORK = (WorkStatus.IN_PROVINCE, WorkStatus.OUT_OF_PROVINCE)
AWAY_FOR_STUDY = (StudentStatus.HIGHER_VOCATIONAL, StudentStatus.BACHELOR_OR_ABOVE)


def months_at_home(person: Person) -> int | None:
    """Months a current member lived at home in the year; none for one who left."""
    if person.left_on is not None:
        return None
    if person.work_status in AWAY_FOR_WORK and person.work_months:
        return 12 - person.work_months
    return 3 if person.student in AWAY_FOR_STUDY else 12


def build_member(
    rng: random.Random,
    person: Person,
    household_id: int,
    *,
    ethnicity: str,
    minimum_living: bool = False,
) -> Member:
    """The Member row; in a 低保 household every current member draws 低保 (按户施保)."""
    disability = person.disability
    card = f"{person.id_number}{disability[0]}{disability[1]}" if disability else ""
    adult = person.age >= 16 and person.student == StudentStatus.NOT_STUDENT
    return Member(
        household_id=household_id,
        name=person.name,
        id_number=person.id_number,
        relation_to_head=person.relation,
        sex=Sex.MALE if person.male else Sex.FEMALE,
        ethnicity=ethnicity,
        birth_date=person.birth_date,
        education=person.education,
        student_status=person.student,
        health=person.health,
        labour_skill=person.skill,
        work_status=person.work_status,
        work_months=person.work_months,
        has_medical_insurance=person.insured,
        has_pension_insurance=adult and chance(rng, 0.9),
        has_serious_illness_insurance=person.insured and chance(rng, 0.96),
        disability_card_number=card,
        months_at_home=months_at_home(person),
        receives_minimum_living=minimum_living and person.left_on is None,
        joined_on=person.joined_on,
        join_reason=person.join_reason,
        left_on=person.left_on,
        leave_reason=person.leave_reason,
    )
