"""A canonical registry workbook of valid, realistic rows, the same for the same seed.

One county of 8 townships × 15 villages; households of 1 to 6 members (about 3 on average),
head first; valid ID numbers that agree with each member's sex and birth date; mostly 已脱贫
households, some 未脱贫. Built in memory and written by xlsxwriter in constant-memory mode,
with ID numbers and household numbers as text, as the contract writes them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from households.choices import Cause
from households.demo import names
from households.demo.common import Weighted, chance, phone
from households.idnumbers import make
from households.registry.columns import HEADERS, SHEET_NAME

COUNTY = "宁川县"
COUNTY_CODE = "130599"
NEIGHBOUR_CODES = ("130534", "130535", "130581", "130522")
TOWNSHIPS = 8
VILLAGES_PER_TOWNSHIP = 15
YEAR = 2020  # ages are counted at the end of 2020, as the demo county's are

SIZES = Weighted({1: 15, 2: 25, 3: 22, 4: 20, 5: 12, 6: 6})  # mean about 3.07
ETHNICITY = Weighted({"汉族": 98.5, "回族": 1.0, "满族": 0.5})
STANDARD = Weighted({"国家标准": 96, "省定标准": 3, "市定标准": 1})
ATTRIBUTE = Weighted({"一般贫困户": 70, "低保贫困户": 25, "特困供养贫困户": 5})
CAUSES = [label for _, label in Cause.choices]
MAIN_CAUSE = Weighted(dict(zip(CAUSES, (30, 14, 8, 3, 6, 3, 12, 12, 8, 2, 2), strict=True)))
IDENTIFIED_YEAR = Weighted({2014: 70, 2015: 10, 2016: 10, 2017: 5, 2018: 5})
HEALTH = Weighted({"健康": 70, "长期慢性病": 18, "患有大病": 6, "残疾": 6})
WORK = Weighted({"未务工": 25, "乡（镇）内务工": 20, "县内务工": 25, "省内县外务工": 15,
                 "省外务工": 15})  # fmt: skip
ADULT_EDUCATION = {
    True: Weighted({"文盲或半文盲": 25, "小学": 45, "初中": 25, "高中": 5}),  # born before 1960
    False: Weighted({"小学": 20, "初中": 50, "高中": 15, "中专": 8, "大专及以上": 7}),
}
# (up to age, 文化程度, 在校生状况) of children at school age
SCHOOL = (
    (6, "学龄前儿童", "学前教育"), (12, "小学", "小学"), (15, "初中", "初中"), (18, "高中", "高中"),
)  # fmt: skip
OLD_AGE_LABOUR = Weighted({"丧失劳动力": 50, "弱劳动力或半劳动力": 35, "无劳动力": 15})


@dataclass
class Person:
    name: str
    relation: str
    male: bool
    birth: dt.date
    from_elsewhere: bool = False

    @property
    def age(self) -> int:
        return YEAR - self.birth.year


class Generator:
    """Draws households one after another from one seeded stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"povertyops-bench-registry:{seed}")
        self.sequences: dict[tuple[str, dt.date, bool], int] = defaultdict(int)
        self.villages = self._villages()

    def _villages(self) -> list[dict[str, Any]]:
        rng, villages = self.rng, []
        taken: set[str] = set()
        for township_index, (township, _) in enumerate(names.TOWNSHIP_NAMES[:TOWNSHIPS]):
            for village_index in range(VILLAGES_PER_TOWNSHIP):
                clans = names.village_clans(rng)
                cadres = [names.person_name(rng, chance(rng, 0.7), rng.randint(1965, 1995))
                          for _ in range(rng.randint(3, 6))]  # fmt: skip
                villages.append({
                    "area": [COUNTY, township, names.village_name(rng, clans, taken)],
                    "code": f"{COUNTY_CODE}{township_index + 1:03d}{village_index + 1:03d}",
                    "clans": clans, "hamlets": names.hamlet_names(rng), "cadres": cadres,
                    "households": 0,
                })  # fmt: skip
        return villages

    def birth(self, age: int) -> dt.date:
        year = YEAR - max(0, age)
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def id_number(self, person: Person) -> str:
        area = self.rng.choice(NEIGHBOUR_CODES) if person.from_elsewhere else COUNTY_CODE
        key = (area, person.birth, person.male)
        self.sequences[key] += 1
        # An odd sequence number is a man's, an even one a woman's (GB 11643).
        return make(area, person.birth, 2 * self.sequences[key] - (1 if person.male else 0))

    def person(self, relation: str, male: bool, age: int, family: str | None = None) -> Person:
        birth = self.birth(age)
        name = names.person_name(self.rng, male, birth.year, family)
        married_in = relation in ("配偶", "之儿媳", "之女婿")
        return Person(name, relation, male, birth, married_in and chance(self.rng, 0.3))

    def people(self, size: int, clans: list[str]) -> list[Person]:
        rng = self.rng
        head_male = chance(rng, 0.85)
        head_age = rng.randint(55, 88) if size == 1 else rng.randint(30, 80)
        head = self.person("户主", head_male, head_age, names.surname(rng, clans))
        people = [head]
        if size >= 2 and chance(rng, 0.85):
            people.append(self.person("配偶", not head_male, head_age + rng.randint(-5, 5)))
        father = head if head_male or len(people) == 1 else people[1]
        family = father.name[0]
        if head_age >= 58 and size - len(people) >= 2:
            son_age = head_age - rng.randint(22, 32)
            people.append(self.person("之子", True, son_age, family))
            people.append(self.person("之儿媳", False, son_age + rng.randint(-4, 3)))
            while len(people) < size:
                male = chance(rng, 0.52)
                age = max(0, son_age - rng.randint(20, 32))
                people.append(self.person("之孙子" if male else "之孙女", male, age, family))
        while len(people) < size:
            if head_age < 45 and len(people) == size - 1 and chance(rng, 0.4):
                male = chance(rng, 0.4)
                age = head_age + rng.randint(22, 30)
                people.append(self.person("之父" if male else "之母", male, age, family))
                continue
            male = chance(rng, 0.52)
            age = max(0, head_age - rng.randint(20, 38))
            people.append(self.person("之子" if male else "之女", male, age, family))
        return people

    def household_columns(self, village: dict[str, Any], people: list[Person]) -> list[Any]:
        rng = self.rng
        village["households"] += 1
        main = MAIN_CAUSE.pick(rng)
        others = rng.sample([c for c in CAUSES if c != main], rng.choice((0, 0, 1, 1, 2)))
        identified = IDENTIFIED_YEAR.pick(rng)
        exited = chance(rng, 0.85)
        exit_year = rng.randint(max(identified, 2016), YEAR) if exited else ""
        income = rng.uniform(4500, 16000) if exited else rng.uniform(2800, 4200)
        cadres = rng.sample(village["cadres"], 2 if chance(rng, 0.2) else 1)
        attribute = "特困供养贫困户" if len(people) == 1 and chance(rng, 0.3) else None
        return [
            *village["area"], rng.choice(village["hamlets"]) if chance(rng, 0.9) else "",
            f"{village['code']}{village['households']:04d}", people[0].name, len(people),
            STANDARD.pick(rng), attribute or ATTRIBUTE.pick(rng), main, "、".join(others),
            "已脱贫" if exited else "未脱贫", identified, exit_year, round(income, 2),
            phone(rng) if chance(rng, 0.9) else "", "、".join(cadres),
        ]  # fmt: skip

    def member_columns(self, person: Person) -> list[Any]:
        rng, age = self.rng, person.age
        education, student = self.schooling(age)
        health = HEALTH.pick(rng) if age >= 16 else "健康"
        labour = self.labour(age, health, student)
        working = labour in ("普通劳动力", "技能劳动力")
        work = WORK.pick(rng) if working else ("未务工" if age >= 16 else "")
        months = (0 if work == "未务工" else rng.randint(3, 12)) if work else ""
        return [
            person.name, self.id_number(person), person.relation, "男" if person.male else "女",
            ETHNICITY.pick(rng), f"{person.birth:%Y-%m-%d}", education, student, health, labour,
            work, months, "是" if chance(rng, 0.97) else "否",
            "是" if age >= 16 and chance(rng, 0.85) else "否",
        ]  # fmt: skip

    def schooling(self, age: int) -> tuple[str, str]:
        if age < 3:
            return "", ""
        for up_to, education, student in SCHOOL:
            if age <= up_to:
                return education, student
        if age <= 22 and chance(self.rng, 0.3):
            return "高中", self.rng.choice(("高职高专", "本科及以上"))
        return ADULT_EDUCATION[YEAR - age < 1960].pick(self.rng), "非在校生"

    def labour(self, age: int, health: str, student: str) -> str:
        rng = self.rng
        if age < 16 or student not in ("", "非在校生"):
            return "无劳动力"
        if age >= 65:
            return OLD_AGE_LABOUR.pick(rng)
        if health == "健康":
            return "技能劳动力" if chance(rng, 0.2) else "普通劳动力"
        return "弱劳动力或半劳动力" if chance(rng, 0.6) else "丧失劳动力"

    def sizes(self, members: int) -> list[int]:
        sizes, total = [], 0
        while total < members:
            size = min(SIZES.pick(self.rng), members - total)
            sizes.append(size)
            total += size
        return sizes


def generate(path: Path, *, members: int, seed: int = 1) -> dict[str, int]:
    """Write `members` member rows to `path`; return the household and member counts."""
    generator = Generator(seed)
    sizes = generator.sizes(members)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(SHEET_NAME)
    sheet.write_row(0, 0, HEADERS)
    row = 1
    villages = generator.villages
    for index, size in enumerate(sizes):
        # Households follow one another village by village, as the offices' files list them.
        village = villages[index * len(villages) // len(sizes)]
        people = generator.people(size, village["clans"])
        household = generator.household_columns(village, people)
        for person in people:
            sheet.write_row(row, 0, household + generator.member_columns(person))
            row += 1
    workbook.close()
    return {"households": len(sizes), "members": row - 1}
