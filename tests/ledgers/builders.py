"""A household with a record in every table of its ledger (一户一册), for the ledger's tests.

`make_household_with_ledger_data()` always builds the same values, listed here so that tests
can assert them; only the 户编号, the area names and the ID numbers come from the factories'
sequences, so one test may build several such households.

- Household: 二组, 家庭住址 清河县第一镇第一村二组12号, phone 13812345678, 因病 with 因残、缺资金,
  identified 2014, 未脱贫.
- Members, entered in this order: 李秀英 (配偶, born 1967-07-15, 残疾, 残疾证号 = her ID + "42",
  低保), 王大山 (户主, 1965-03-08, 长期慢性病, 县内务工 6 months), 王小明 (之子, 1992-11-02,
  省外务工 10 months, 2 months at home), and 王老汉 (之父, 1938-01-20) who died on 2020-04-10,
  with a 自然减少 StatusChange (reason 病故, approved by 第一镇人民政府 on 2020-04-20).
- Profile: 耕地 5.50 亩, 有效灌溉 3.00 亩, house 96.50 m² grade B, safe water, power and TV, no
  sanitary toilet, cement road, firewood, in a cooperative.
- Income, 2020 entered first: 2019 wage 12000 + business 3000 − expense 1000 + 低保金 1200 (net
  15200 for 4 persons → 3800.00), 2020 wage 15000 + 公益性岗位 3600 + dividend 500 + pension 1300
  (net 20400 for 3 persons → 6800.00). Poverty lines of the county's province (河北省):
  2019 3600.00, 2020 4100.00 (they take precedence over the national lines).
- 两不愁三保障: 2020 all met; 2019 住房安全 not met ("住房为B级，需加固"); assessor 赵会计.
- Pairings, current one entered first: 陈红梅 (清河县教育局, 副科长, 13822223333) since 2020-01-01;
  刘建国 (清河县水利局, 科员, 13911112222) 2016-03-01 to 2019-12-31.
- First secretary of the village (unless it already has one): 周明 (清河县农业农村局, 13733334444).
- Plan 2020: exit planned 2020, funds 12000, deadline 2020-12-31.
- Measures, 2020 entered first: 2020 就业扶贫 "安排公益性岗位：护林员" (清河县人社局; 财政 3600,
  帮扶单位 1000; 实施中); 2019 产业扶贫 "发展养殖：肉牛2头" (清河县畜牧局; 财政 8000, 群众自筹 2000;
  done 2019-10-15, result "存栏肉牛2头，年增收3000元", 3000).
- Visits, later one entered first: 2019-05-06 刘建国 入户走访; 2020-06-12 陈红梅 电话回访.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from cadres.choices import Affiliation, Rank, VisitKind
from cadres.models import Cadre, FirstSecretaryPosting, HelpingUnit
from households.choices import (
    Cause,
    Education,
    Fuel,
    FundSource,
    Health,
    HousingGrade,
    LabourSkill,
    MeasureCategory,
    MeasureStatus,
    MemberLeaveReason,
    Relation,
    RoadType,
    StatusChangeKind,
    WorkStatus,
)
from households.models import Household, Member
from tests import factories

YEARS = (2019, 2020)
LINES = {2019: Decimal("3600.00"), 2020: Decimal("4100.00")}
FATHER_LEFT_ON = dt.date(2020, 4, 10)


def make_household_with_ledger_data(**overrides: Any) -> Household:
    """A household with every ledger table filled (see the module's docstring); `overrides` go
    to `HouseholdFactory` (a `village=` of a county without a province gets no provincial line)."""
    household = factories.HouseholdFactory.create(**{**_HOUSEHOLD, **overrides})
    father = _members(household)
    factories.HouseholdProfileFactory.create(household=household, **_PROFILE)
    _incomes(household)
    _needs(household)
    _cadres(household)
    factories.HelpPlanFactory.create(
        household=household,
        year=2020,
        goals="发展肉牛养殖，务工增收，2020年稳定脱贫",
        planned_exit_year=2020,
        projects="肉牛养殖2头；公益性岗位1个",
        planned_funds=Decimal("12000"),
        deadline=dt.date(2020, 12, 31),
    )
    _measures(household)
    _visits(household)
    factories.StatusChangeFactory.create(
        household=household,
        member=father,
        kind=StatusChangeKind.NATURAL_DECREASE,
        to_status="",
        year=2020,
        effective_on=FATHER_LEFT_ON,
        reason="病故",
        approved_by="第一镇人民政府",
        approved_on=dt.date(2020, 4, 20),
    )
    return household


_HOUSEHOLD: dict[str, Any] = {
    "hamlet": "二组",
    "address": "清河县第一镇第一村二组12号",
    "phone": "13812345678",
    "main_cause": Cause.ILLNESS,
    "other_causes": [Cause.DISABILITY, Cause.LACK_OF_FUNDS],
    "situation": "户主患慢性病，配偶残疾，缺少劳动力与资金。",
    "identified_year": 2014,
}
_PROFILE: dict[str, Any] = {
    "cultivated_land": Decimal("5.50"),
    "irrigated_land": Decimal("3.00"),
    "housing_area": Decimal("96.50"),
    "housing_grade": HousingGrade.B,
    "has_safe_water": True,
    "has_electricity": True,
    "has_tv": True,
    "has_sanitary_toilet": False,
    "road_type": RoadType.CEMENT,
    "main_fuel": Fuel.FIREWOOD,
    "joined_cooperative": True,
}


def _members(household: Household) -> Member:
    """Spouse, head, son (current) and the father who died; returns the father."""
    member = factories.MemberFactory.create
    member(
        household=household, name="李秀英", male=False, birth_date=dt.date(1967, 7, 15),
        relation_to_head=Relation.SPOUSE, health=Health.DISABLED,
        labour_skill=LabourSkill.WEAK_OR_HALF, education=Education.PRIMARY,
        disability_card_number=factory.LazyAttribute(lambda o: o.id_number + "42"),
        receives_minimum_living=True, months_at_home=12,
    )  # fmt: skip
    member(
        household=household, name="王大山", birth_date=dt.date(1965, 3, 8),
        relation_to_head=Relation.HEAD, health=Health.CHRONIC_ILLNESS,
        education=Education.JUNIOR_SECONDARY, work_status=WorkStatus.IN_COUNTY, work_months=6,
        has_pension_insurance=True, has_serious_illness_insurance=True, months_at_home=12,
    )  # fmt: skip
    member(
        household=household, name="王小明", birth_date=dt.date(1992, 11, 2),
        relation_to_head=Relation.SON, labour_skill=LabourSkill.SKILLED,
        education=Education.SENIOR_SECONDARY, work_status=WorkStatus.OUT_OF_PROVINCE,
        work_months=10, months_at_home=2,
    )  # fmt: skip
    return member(
        household=household, name="王老汉", birth_date=dt.date(1938, 1, 20),
        relation_to_head=Relation.FATHER, health=Health.SERIOUS_ILLNESS,
        labour_skill=LabourSkill.LOST, left_on=FATHER_LEFT_ON,
        leave_reason=MemberLeaveReason.DEATH,
    )  # fmt: skip


def _incomes(household: Household) -> None:
    factories.YearlyIncomeFactory.create(
        household=household, year=2020, wage_income=Decimal("15000"),
        public_welfare_job_income=Decimal("3600"), asset_dividend_income=Decimal("500"),
        pension=Decimal("1300"),
    )  # fmt: skip
    factories.YearlyIncomeFactory.create(
        household=household, year=2019, wage_income=Decimal("12000"),
        business_income=Decimal("3000"), business_expense=Decimal("1000"),
        minimum_living_allowance=Decimal("1200"), notes="父亲住院，支出较大",
    )  # fmt: skip
    province = household.village.township.county.province
    for year, amount in LINES.items():
        factories.PovertyLineFactory.create(
            year=year, province=province, basis="operational", amount=amount
        )


def _needs(household: Household) -> None:
    factories.BasicNeedsAssessmentFactory.create(
        household=household, year=2020, assessed_on=dt.date(2020, 11, 18), assessor="赵会计"
    )
    factories.BasicNeedsAssessmentFactory.create(
        household=household, year=2019, safe_housing=False, notes="住房为B级，需加固",
        assessed_on=dt.date(2019, 11, 20), assessor="赵会计",
    )  # fmt: skip


def _unit(name: str) -> HelpingUnit:
    """The county unit of that name (names are unique: a second household reuses it)."""
    existing = HelpingUnit.objects.filter(name=name).first()
    return existing or factories.HelpingUnitFactory.create(
        name=name, affiliation=Affiliation.COUNTY
    )


def _cadre(name: str, unit: str, post: str, phone: str, **extra: Any) -> Cadre:
    return factories.CadreFactory.create(
        name=name, unit=_unit(unit), post=post, phone=phone, **extra
    )


def _cadres(household: Household) -> None:
    current = _cadre("陈红梅", "清河县教育局", "副科长", "13822223333")
    factories.PairingFactory.create(
        household=household, cadre=current, started_on=dt.date(2020, 1, 1)
    )
    former = _cadre("刘建国", "清河县水利局", "科员", "13911112222")
    factories.PairingFactory.create(
        household=household, cadre=former, started_on=dt.date(2016, 3, 1),
        ended_on=dt.date(2019, 12, 31), end_reason="工作调动",
    )  # fmt: skip
    village = household.village
    if not FirstSecretaryPosting.objects.current().filter(village=village).exists():
        secretary = _cadre(
            "周明", "清河县农业农村局", "副主任科员", "13733334444", rank=Rank.SECTION_LEVEL
        )
        factories.FirstSecretaryPostingFactory.create(cadre=secretary, village=village)


def _measures(household: Household) -> None:
    later = factories.HelpMeasureFactory.create(
        household=household, year=2020, category=MeasureCategory.EMPLOYMENT,
        content="安排公益性岗位：护林员", helping_unit=_unit("清河县人社局"),
        started_on=dt.date(2020, 3, 1), due_on=dt.date(2020, 12, 31),
        status=MeasureStatus.IN_PROGRESS,
    )  # fmt: skip
    factories.MeasureFundingFactory.create(
        measure=later, source=FundSource.FISCAL, amount=Decimal("3600")
    )
    factories.MeasureFundingFactory.create(
        measure=later, source=FundSource.HELPING_UNIT, amount=Decimal("1000")
    )
    earlier = factories.HelpMeasureFactory.create(
        household=household, year=2019, category=MeasureCategory.INDUSTRY,
        content="发展养殖：肉牛2头", helping_unit=_unit("清河县畜牧局"),
        started_on=dt.date(2019, 4, 1), due_on=dt.date(2019, 10, 31),
        status=MeasureStatus.DONE, completed_on=dt.date(2019, 10, 15),
        result="存栏肉牛2头，年增收3000元", result_income=Decimal("3000"),
    )  # fmt: skip
    factories.MeasureFundingFactory.create(
        measure=earlier, source=FundSource.FISCAL, amount=Decimal("8000")
    )
    factories.MeasureFundingFactory.create(
        measure=earlier, source=FundSource.SELF_RAISED, amount=Decimal("2000")
    )


def _visits(household: Household) -> None:
    current, former = (
        household.pairings.get(ended_on__isnull=True).cadre,
        household.pairings.get(ended_on__isnull=False).cadre,
    )
    factories.VisitFactory.create(
        household=household, author=current, visited_on=dt.date(2020, 6, 12),
        kind=VisitKind.PHONE, findings="儿子外出务工收入稳定",
    )  # fmt: skip
    factories.VisitFactory.create(
        household=household, author=former, visited_on=dt.date(2019, 5, 6),
        kind=VisitKind.HOME_VISIT, findings="户主慢性病，需按时服药",
        actions="联系村医定期随访", follow_up="每月回访",
    )  # fmt: skip
