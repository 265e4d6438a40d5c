"""Who lives in a demo household: relations, sexes, ages and names that fit together."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from households.choices import Health, Relation
from households.demo import names
from households.demo.common import REFERENCE_YEAR, Weighted, chance

if TYPE_CHECKING:
    from households.models import Member

SIZES = Weighted({1: 18, 2: 26, 3: 22, 4: 17, 5: 10, 6: 5, 7: 2})
STRUCTURES = {
    3: Weighted({"nuclear": 60, "single_parent": 12, "with_parents": 28}),
    4: Weighted(
        {
            "nuclear": 45,
            "with_parents": 22,
            "three_generations": 25,
            "single_parent": 5,
            "son_in_law": 3,
        }
    ),
    5: Weighted({"nuclear": 25, "with_parents": 30, "three_generations": 38, "son_in_law": 7}),
    6: Weighted({"nuclear": 10, "with_parents": 35, "three_generations": 48, "son_in_law": 7}),
    7: Weighted({"with_parents": 40, "three_generations": 52, "son_in_law": 8}),
}
GRANDCHILD = {
    (True, True): Relation.GRANDSON,
    (True, False): Relation.GRANDDAUGHTER,
    (False, True): Relation.DAUGHTERS_SON,
    (False, False): Relation.DAUGHTERS_DAUGHTER,
}


@dataclass
class Person:
    """One member as planned; `members.py` turns it into a Member row."""

    relation: str
    male: bool
    age: int  # on 31 December 2020
    family: str  # surname
    name: str = ""
    birth_date: dt.date = dt.date.min  # drawn once the household's history is known
    health: str = Health.HEALTHY
    disability: tuple[int, int] | None = None  # (category, grade)
    education: str = ""
    student: str = ""
    skill: str = ""
    work_status: str = ""
    work_months: int | None = None
    id_number: str = ""
    joined_on: dt.date | None = None
    join_reason: str = ""
    left_on: dt.date | None = None
    leave_reason: str = ""
    insured: bool = True  # 城乡居民基本医疗保险
    member: Member | None = None  # the row, once built

    @property
    def birth_year(self) -> int:
        return REFERENCE_YEAR - self.age

    def age_in(self, year: int) -> int:
        return year - self.birth_year


def compose(rng: random.Random, clans: list[str]) -> list[Person]:
    """The current members of a new household, head first."""
    size = SIZES.pick(rng)
    family = names.surname(rng, clans)
    if size == 1:
        people = _single(rng, family)
    elif size == 2:
        people = _pair(rng, family)
    else:
        structure = STRUCTURES[size].pick(rng)
        people = _BUILDERS[structure](rng, family, size)
    for person in people:
        person.name = names.person_name(rng, person.male, person.birth_year, person.family)
    return people


def other_family(rng: random.Random, not_this: str) -> str:
    while (family := names.SURNAMES.pick(rng)) == not_this:
        pass
    return family


def _single(rng: random.Random, family: str) -> list[Person]:
    age = rng.randint(60, 90) if chance(rng, 0.65) else rng.randint(30, 59)
    return [Person(Relation.HEAD, chance(rng, 0.65), age, family)]


def _pair(rng: random.Random, family: str) -> list[Person]:
    roll = rng.random()
    if roll < 0.55:
        return _couple(rng, family, rng.randint(58, 86))
    if roll < 0.85:
        head = Person(Relation.HEAD, chance(rng, 0.6), rng.randint(55, 86), family)
        return [head, _child(rng, head, None, max(16, head.age - rng.randint(22, 36)))]
    head = Person(Relation.HEAD, chance(rng, 0.4), rng.randint(28, 45), family)
    return [head, _child(rng, head, None, rng.randint(1, max(1, head.age - 22)))]


def _couple(rng: random.Random, family: str, head_age: int) -> list[Person]:
    male_head = chance(rng, 0.92)
    gap = rng.randint(-2, 6)
    spouse_age = max(20, head_age - gap if male_head else head_age + gap)
    spouse = Person(Relation.SPOUSE, not male_head, spouse_age, other_family(rng, family))
    return [Person(Relation.HEAD, male_head, head_age, family), spouse]


def _child(rng: random.Random, head: Person, spouse: Person | None, age: int) -> Person:
    father = head if head.male else spouse
    family = father.family if father else head.family
    male = chance(rng, 0.53)
    return Person(Relation.SON if male else Relation.DAUGHTER, male, age, family)


def _children(rng: random.Random, head: Person, spouse: Person | None, count: int) -> list[Person]:
    youngest_parent = min(head.age, spouse.age) if spouse else head.age
    oldest = max(0, youngest_parent - 20)
    first = rng.randint(min(oldest, 2 * count), oldest) if oldest else 0
    ages = [max(0, first - i * rng.randint(1, 4)) for i in range(count)]
    return [_child(rng, head, spouse, age) for age in ages]


def _nuclear(rng: random.Random, family: str, size: int) -> list[Person]:
    head_age = rng.randint(28 + 2 * size, 58)
    people = _couple(rng, family, head_age)
    return people + _children(rng, people[0], people[1], size - 2)


def _single_parent(rng: random.Random, family: str, size: int) -> list[Person]:
    head = Person(Relation.HEAD, chance(rng, 0.45), rng.randint(32, 55), family)
    return [head, *_children(rng, head, None, size - 1)]


def _with_parents(rng: random.Random, family: str, size: int) -> list[Person]:
    people = _couple(rng, family, rng.randint(28, 52))
    head, spouse = people
    parents_count = 1 if size == 3 else rng.choice((1, 2))
    people += _parents(rng, head, spouse, parents_count)
    return people + _children(rng, head, spouse, size - len(people))


def _parents(rng: random.Random, head: Person, spouse: Person, count: int) -> list[Person]:
    """Parents living with the couple: usually the husband's, now and then the wife's."""
    husband = head if head.male else spouse
    husbands_side = chance(rng, 0.9)
    child = husband if husbands_side else (spouse if head.male else head)
    if child is head:
        father_rel, mother_rel = Relation.FATHER, Relation.MOTHER
    elif husbands_side:
        father_rel, mother_rel = Relation.HUSBANDS_FATHER, Relation.HUSBANDS_MOTHER
    else:
        father_rel, mother_rel = Relation.WIFES_FATHER, Relation.WIFES_MOTHER
    age = min(94, child.age + rng.randint(22, 32))
    mother = Person(
        mother_rel,
        False,
        max(child.age + 20, age - rng.randint(0, 4)),
        other_family(rng, child.family),
    )
    father = Person(father_rel, True, age, child.family)
    if count == 2:
        return [father, mother]
    return [mother] if chance(rng, 0.6) else [father]


def _three_generations(rng: random.Random, family: str, size: int) -> list[Person]:
    people = _couple(rng, family, rng.randint(50, 72))
    head = people[0]
    father_family = people[0 if head.male else 1].family
    son = Person(Relation.SON, True, max(22, head.age - rng.randint(22, 32)), father_family)
    wife = Person(
        Relation.DAUGHTER_IN_LAW,
        False,
        max(20, son.age - rng.randint(-2, 4)),
        other_family(rng, son.family),
    )
    people += [son, wife]
    return people + _grandchildren(rng, son, wife, size - len(people), through_son=True)


def _son_in_law(rng: random.Random, family: str, size: int) -> list[Person]:
    """A daughter's husband who married into the family (上门女婿)."""
    people = _couple(rng, family, rng.randint(50, 70))
    head = people[0]
    father_family = people[0 if head.male else 1].family
    daughter = Person(Relation.DAUGHTER, False, head.age - rng.randint(22, 30), father_family)
    husband = Person(
        Relation.SON_IN_LAW,
        True,
        daughter.age + rng.randint(-1, 4),
        other_family(rng, daughter.family),
    )
    people += [daughter, husband]
    return people + _grandchildren(rng, husband, daughter, size - len(people), through_son=False)


def _grandchildren(
    rng: random.Random, father: Person, mother: Person, count: int, *, through_son: bool
) -> list[Person]:
    oldest = max(0, min(father.age, mother.age) - 20)
    result = []
    for i in range(count):
        male = chance(rng, 0.53)
        age = max(0, rng.randint(0, oldest) - i)
        # 上门女婿's children often take their mother's surname.
        family = father.family if through_son or chance(rng, 0.5) else mother.family
        result.append(Person(GRANDCHILD[(through_son, male)], male, age, family))
    return result


_BUILDERS = {
    "nuclear": _nuclear,
    "single_parent": _single_parent,
    "with_parents": _with_parents,
    "three_generations": _three_generations,
    "son_in_law": _son_in_law,
}
