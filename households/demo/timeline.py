"""A household's 户状态 history: identification, exit, return, removal, each a dated step."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from households.choices import HouseholdStatus as S
from households.choices import StatusChangeKind as K
from households.demo.common import REFERENCE_YEAR, Weighted, chance, date_between

FINAL_STATUS = Weighted({S.EXITED: 88.5, S.NOT_EXITED: 5, S.RETURNED: 2.5, S.REMOVED: 4})
IDENTIFIED_YEAR = Weighted({2014: 85, 2015: 6, 2016: 5, 2017: 4})
EXIT_WEIGHTS = {2015: 8, 2016: 17, 2017: 24, 2018: 26, 2019: 17, 2020: 8}
REMOVAL_REASONS = (
    "识别不精准：家庭成员有财政供养人员",
    "识别不精准：家庭在城镇购买商品房",
    "识别不精准：家庭拥有小轿车",
    "识别不精准：家庭成员经营公司，收入明显高于扶贫标准",
    "精准识别回头看：家庭实际收入高于扶贫标准",
    "识别不精准：子女有赡养能力，分户不实",
)
RETURN_REASONS = {
    "illness": "家庭成员患大病，医疗支出大，因病返贫",
    "disability": "家庭成员意外致残，因残返贫",
    "other": "农作物遭受旱灾减产，家庭收入下降，因灾返贫",
}


@dataclass
class Step:
    kind: str
    on: dt.date
    from_status: str
    to_status: str
    reason: str

    @property
    def year(self) -> int:
        return self.on.year


@dataclass
class Timeline:
    identified_on: dt.date
    steps: list[Step] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.steps[-1].to_status

    def last(self, kind: str) -> Step | None:
        return next((step for step in reversed(self.steps) if step.kind == kind), None)

    def status_at_end_of(self, year: int) -> str | None:
        """户状态 on 31 December of `year`; None before identification."""
        status = None
        for step in self.steps:
            if step.year <= year:
                status = step.to_status
        return status

    def add(self, rng: random.Random, kind: str, year: int, reason: str) -> None:
        start, end = _window(kind, year)
        day = date_between(rng, max(start, self.steps[-1].on + dt.timedelta(days=30)), end)
        self.steps.append(Step(kind, day, self.status, _TARGET[kind], reason))


_TARGET: dict[str, str] = {K.MARK_EXITED: S.EXITED, K.RETURN: S.RETURNED, K.REMOVAL: S.REMOVED}


def _window(kind: str, year: int) -> tuple[dt.date, dt.date]:
    if kind == K.MARK_EXITED:  # exits are marked after the year's income is known
        return dt.date(year, 10, 20), dt.date(year, 12, 25)
    if kind == K.RETURN:
        return dt.date(year, 3, 1), dt.date(year, 10, 31)
    return dt.date(year, 4, 1), dt.date(year, 12, 20)


def plan_timeline(rng: random.Random, cause_group: str, *, stays_poor: bool = True) -> Timeline:
    year = IDENTIFIED_YEAR.pick(rng)
    if year == 2014:  # the national registration ran from April to October 2014
        identified_on = date_between(rng, dt.date(2014, 8, 1), dt.date(2014, 10, 31))
    else:
        identified_on = date_between(rng, dt.date(year, 5, 1), dt.date(year, 9, 30))
    timeline = Timeline(identified_on)
    reason = (
        "建档立卡精准识别，经民主评议、两公示一公告纳入"
        if year == 2014
        else "动态调整新识别，经民主评议、两公示一公告纳入"
    )
    timeline.steps.append(Step(K.NEW_IDENTIFICATION, identified_on, "", S.NOT_EXITED, reason))
    final = FINAL_STATUS.pick(rng)
    if final == S.NOT_EXITED and not stays_poor:
        final = S.EXITED
    if final == S.EXITED:
        _exit(rng, timeline, year)
    elif final == S.RETURNED:
        _return(rng, timeline, year, cause_group)
    elif final == S.REMOVED:
        _removal(rng, timeline, year)
    return timeline


EXIT_REASON = "人均纯收入稳定超过扶贫标准，两不愁三保障达标，经民主评议、公示公告标注脱贫"


def _exit_year(rng: random.Random, after: int, last: int = REFERENCE_YEAR) -> int:
    years = {y: w for y, w in EXIT_WEIGHTS.items() if after < y <= last}
    return Weighted(years).pick(rng) if years else last


def _exit(rng: random.Random, timeline: Timeline, identified: int) -> None:
    if identified <= 2015 and chance(rng, 0.012):  # exited, fell back, and exited again
        first = _exit_year(rng, identified, 2017)
        back = rng.randint(first + 1, 2019)
        timeline.add(rng, K.MARK_EXITED, first, EXIT_REASON)
        timeline.add(rng, K.RETURN, back, RETURN_REASONS["illness"])
        timeline.add(rng, K.MARK_EXITED, _exit_year(rng, back), EXIT_REASON)
        return
    timeline.add(rng, K.MARK_EXITED, _exit_year(rng, identified), EXIT_REASON)


def _return(rng: random.Random, timeline: Timeline, identified: int, cause_group: str) -> None:
    exited = _exit_year(rng, identified, 2019)
    timeline.add(rng, K.MARK_EXITED, exited, EXIT_REASON)
    timeline.add(
        rng, K.RETURN, rng.randint(exited + 1, REFERENCE_YEAR), RETURN_REASONS[cause_group]
    )


def _removal(rng: random.Random, timeline: Timeline, identified: int) -> None:
    removal = min(2019, identified + Weighted({0: 20, 1: 40, 2: 25, 3: 15}).pick(rng))
    if removal - identified >= 2 and chance(rng, 0.15):
        timeline.add(rng, K.MARK_EXITED, rng.randint(identified + 1, removal - 1), EXIT_REASON)
    if removal == identified and timeline.identified_on.month >= 9:
        removal += 1
    timeline.add(rng, K.REMOVAL, removal, rng.choice(REMOVAL_REASONS))
