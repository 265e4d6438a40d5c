"""The 明白卡 (help card) of a household as plain data: who helps it, with what, and to what end.

One card is one printed A4 page on the household's wall. Cards of a whole village are built in
chunks, with a fixed number of queries per chunk (never per household), like the booklets.
Phones are always masked: a card is a printout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cadres.models import FirstSecretaryPosting, Pairing
from cadres.selectors import current_first_secretaries
from households.choices import HousingGrade, MeasureCategory, MeasureStatus, Relation, StudentStatus
from households.masking import mask_phone
from households.models import BasicNeedsAssessment, HelpMeasure, Household, Member, YearlyIncome
from households.models.profile import HouseholdProfile

CHUNK = 500
MAX_MEASURES = 12  # more rows would not fit on the one page; the booklet lists them all
SCHOOL_AGES = range(6, 16)  # 义务教育: six to fifteen years old
PENSION_AGE = 16  # 城乡居民基本养老保险 from sixteen, students excepted
NOT_IN_SCHOOL = ("", StudentStatus.NOT_STUDENT)


@dataclass(frozen=True)
class Tick:
    """One line of the card's check list; `checked` is None when the system does not know."""

    label: str
    checked: bool | None
    detail: str = ""


@dataclass(frozen=True)
class CardMeasure:
    year: int
    category: str
    content: str
    status: str
    result: str
    result_income: str  # yuan, two places, "" when unknown


@dataclass(frozen=True)
class CardHelper:
    role: str  # 帮扶责任人 or 驻村第一书记
    name: str
    unit: str
    phone: str  # masked


@dataclass(frozen=True)
class CardIncome:
    year: int
    net_income: str
    household_size: int
    per_capita: str
    poverty_line: str
    is_above_line: bool | None


@dataclass(frozen=True)
class HelpCard:
    """One household's 明白卡, masked."""

    household_id: int
    household_number: str
    county: str
    township: str
    village: str
    hamlet: str
    head_name: str
    address: str
    household_size: int
    poverty_attribute: str
    phone: str
    ticks: tuple[Tick, ...]
    land: str  # 耕地 and 退耕还林 in 亩
    measures: tuple[CardMeasure, ...]
    more_measures: int  # measures left off the page
    income: CardIncome | None
    helpers: tuple[CardHelper, ...]
    printed_on: dt.date

    @property
    def title(self) -> str:
        return f"{self.township}{self.village} {self.head_name}户（{self.household_number}）"


def card_for(household: Household, *, year: int | None = None) -> HelpCard:
    """The card of one household."""
    queryset = Household.objects.filter(pk=household.pk)
    return next(cards_for(queryset, year=year))


def cards_for(
    households: QuerySet[Household], *, year: int | None = None, today: dt.date | None = None
) -> Iterator[HelpCard]:
    """Cards in household_number order; `year` picks the income shown (default: the latest)."""
    today = today or timezone.localdate()
    ids = households.order_by("household_number").values_list("pk", flat=True).iterator()
    while chunk := list(islice(ids, CHUNK)):
        loaded = _load(chunk, year=year or today.year)
        secretaries = current_first_secretaries({household.village_id for household in loaded})
        for household in loaded:
            yield _card(household, secretaries.get(household.village_id), today)


def _load(ids: list[int], *, year: int) -> list[Household]:
    members = Member.objects.current().order_by("id")
    measures = HelpMeasure.objects.exclude(status=MeasureStatus.CANCELLED).order_by("-year", "id")
    incomes = (
        YearlyIncome.objects.filter(year__lte=year)
        .with_household_size()
        .with_poverty_line()
        .order_by("-year")
    )
    pairings = Pairing.objects.current().select_related("cadre__unit").order_by("started_on", "id")
    return list(
        Household.objects.filter(pk__in=ids)
        .select_related("village__township__county", "profile")
        .prefetch_related(
            Prefetch("members", members, to_attr="current_members"),
            Prefetch("measures", measures, to_attr="card_measures"),
            Prefetch("incomes", incomes, to_attr="card_incomes"),
            Prefetch("assessments", BasicNeedsAssessment.objects.order_by("-year"), "card_needs"),
            Prefetch("pairings", pairings, to_attr="current_pairings"),
        )
        .order_by("household_number")
    )


def _card(
    household: Household, secretary: FirstSecretaryPosting | None, today: dt.date
) -> HelpCard:
    village = household.village
    members: list[Member] = household.current_members  # type: ignore[attr-defined]
    measures: list[HelpMeasure] = household.card_measures  # type: ignore[attr-defined]
    return HelpCard(
        household_id=household.pk,
        household_number=household.household_number,
        county=village.township.county.name,
        township=village.township.name,
        village=village.name,
        hamlet=household.hamlet,
        head_name=next((m.name for m in members if m.relation_to_head == Relation.HEAD), ""),
        address=household.address,
        household_size=len(members),
        poverty_attribute=household.get_poverty_attribute_display(),
        phone=mask_phone(household.phone),
        ticks=_ticks(household, members, measures, today),
        land=_land(_profile(household)),
        measures=tuple(_measure(measure) for measure in measures[:MAX_MEASURES]),
        more_measures=max(len(measures) - MAX_MEASURES, 0),
        income=_income(household.card_incomes),  # type: ignore[attr-defined]
        helpers=_helpers(household.current_pairings, secretary),  # type: ignore[attr-defined]
        printed_on=today,
    )


def _profile(household: Household) -> HouseholdProfile | None:
    try:
        return household.profile  # type: ignore[no-any-return]
    except HouseholdProfile.DoesNotExist:
        return None


def _ticks(
    household: Household, members: list[Member], measures: list[HelpMeasure], today: dt.date
) -> tuple[Tick, ...]:
    profile = _profile(household)
    needs: list[BasicNeedsAssessment] = household.card_needs  # type: ignore[attr-defined]
    latest = needs[0] if needs else None
    return (
        Tick("加入农民专业合作社", profile.joined_cooperative if profile else None),
        _insured("全员参加基本医疗保险", members, "has_medical_insurance"),
        _insured(
            "参加城乡居民基本养老保险", _pension_ages(members, today), "has_pension_insurance"
        ),
        Tick(
            "饮水安全",
            _first_known(profile.has_safe_water if profile else None, latest, "safe_water"),
        ),
        _out_of_school(members, today),
        Tick("住房安全", _first_known(_house_safe(profile), latest, "safe_housing")),
        _done("危房改造", measures, MeasureCategory.HOUSING),
        _relocation(profile, measures),
    )


def _insured(label: str, members: list[Member], flag: str) -> Tick:
    if not members:
        return Tick(label, None)
    insured = sum(1 for member in members if getattr(member, flag))
    return Tick(label, insured == len(members), f"{insured}/{len(members)}人")


def _age(member: Member, today: dt.date) -> int:
    born = member.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _pension_ages(members: list[Member], today: dt.date) -> list[Member]:
    return [
        member
        for member in members
        if _age(member, today) >= PENSION_AGE and member.student_status in NOT_IN_SCHOOL
    ]


def _out_of_school(members: list[Member], today: dt.date) -> Tick:
    """A child of compulsory-school age recorded as not in school is 失学辍学."""
    children = [member for member in members if _age(member, today) in SCHOOL_AGES]
    out = [child.name for child in children if child.student_status in NOT_IN_SCHOOL]
    detail = f"失学辍学：{'、'.join(out)}" if out else f"适龄儿童{len(children)}人"
    return Tick("义务教育阶段无失学辍学", not out, detail)


def _house_safe(profile: HouseholdProfile | None) -> bool | None:
    if profile is None or not profile.housing_grade:
        return None
    return profile.housing_grade not in (HousingGrade.C, HousingGrade.D)


def _first_known(
    value: bool | None, assessment: BasicNeedsAssessment | None, item: str
) -> bool | None:
    """The profile's answer, else the latest 两不愁三保障 assessment's."""
    if value is not None:
        return value
    return getattr(assessment, item) if assessment is not None else None


def _done(label: str, measures: list[HelpMeasure], category: str) -> Tick:
    years = sorted(
        {m.year for m in measures if m.category == category and m.status == MeasureStatus.DONE}
    )
    return Tick(label, bool(years), "、".join(f"{year}年" for year in years))


def _relocation(profile: HouseholdProfile | None, measures: list[HelpMeasure]) -> Tick:
    by_measure = _done("", measures, MeasureCategory.RELOCATION).checked
    if profile is None:
        moved = True if by_measure else None
    else:
        moved = profile.is_relocated or by_measure
    mode = profile.relocation_mode if profile else ""
    return Tick("易地扶贫搬迁", moved, f"安置方式：{mode}" if mode else "")


def _land(profile: HouseholdProfile | None) -> str:
    if profile is None:
        return ""
    parts = (("耕地", profile.cultivated_land), ("退耕还林", profile.returned_farmland))
    return "，".join(f"{label}{area:.2f}亩" for label, area in parts if area is not None)


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{Decimal(amount):.2f}"


def _measure(measure: HelpMeasure) -> CardMeasure:
    return CardMeasure(
        year=measure.year,
        category=measure.get_category_display(),
        content=measure.content,
        status=measure.get_status_display(),
        result=measure.result,
        result_income=_money(measure.result_income),
    )


def _income(incomes: list[YearlyIncome]) -> CardIncome | None:
    """The latest year's income up to the card's year (the prefetch is newest first)."""
    if not incomes:
        return None
    income = incomes[0]
    return CardIncome(
        year=income.year,
        net_income=_money(income.net_income),
        household_size=income.household_size,
        per_capita=_money(income.net_income_per_capita),
        poverty_line=_money(income.poverty_line_amount),
        is_above_line=income.is_above_line,
    )


def _helpers(
    pairings: list[Pairing], secretary: FirstSecretaryPosting | None
) -> tuple[CardHelper, ...]:
    helpers = [
        CardHelper("帮扶责任人", p.cadre.name, p.cadre.unit.name, mask_phone(p.cadre.phone))
        for p in pairings
    ]
    if secretary is not None:
        cadre = secretary.cadre
        helpers.append(
            CardHelper("驻村第一书记", cadre.name, cadre.unit.name, mask_phone(cadre.phone))
        )
    return tuple(helpers)
