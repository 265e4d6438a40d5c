"""factory_boy factories for every model; tests build their data here, never from ../shared."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from cadres import models as cadres
from cadres.choices import Affiliation, DispatchLevel, Rank, VisitKind
from households import idnumbers
from households import models as hh
from households.choices import (
    Cause,
    FundSource,
    Health,
    HouseholdStatus,
    LabourSkill,
    MeasureCategory,
    PovertyAttribute,
    Relation,
    Sex,
    StatusChangeKind,
)
from inspections import models as insp
from inspections.choices import (
    ChecklistItem,
    CheckResult,
    Grade,
    InspectionKind,
    RectificationStatus,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Demo-pass-2024")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.County
        django_get_or_create = ("name",)

    name = "清河县"
    province = "河北省"
    division_code = "130534000000"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"第{n}镇")
    division_code = factory.Sequence(lambda n: f"130534{100 + n % 900:03d}000")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.Village

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"第{n}村")
    division_code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.township.division_code[:9]}{200 + n % 700:03d}"
    )
    is_poor_village = True


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.Household

    household_number = factory.Sequence(lambda n: f"1305340001{n:06d}")
    village = factory.SubFactory(VillageFactory)
    hamlet = "一组"
    poverty_attribute = PovertyAttribute.ORDINARY
    main_cause = Cause.ILLNESS
    status = HouseholdStatus.NOT_EXITED
    identified_year = 2014
    phone = "13812345678"


def id_number_for(n: int, *, birth: dt.date, male: bool) -> str:
    sequence = (n % 499) * 2 + (1 if male else 2)
    return idnumbers.make("130534", birth, sequence)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.Member

    class Params:
        male = True

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    birth_date = factory.Sequence(lambda n: dt.date(1950, 1, 1) + dt.timedelta(days=n))
    id_number = factory.LazyAttributeSequence(
        lambda o, n: id_number_for(n, birth=o.birth_date, male=o.male)
    )
    sex = factory.LazyAttribute(lambda o: Sex.MALE if o.male else Sex.FEMALE)
    relation_to_head = Relation.HEAD
    health = Health.HEALTHY
    labour_skill = LabourSkill.ORDINARY


class YearlyIncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.YearlyIncome

    household = factory.SubFactory(HouseholdFactory)
    year = 2019
    wage_income = Decimal("8000")


class PovertyLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.PovertyLine
        django_get_or_create = ("year", "province", "basis")

    year = 2019
    province = ""
    basis = "statistical"
    amount = Decimal("3218")
    is_verified = True


class HelpingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.HelpingUnit

    name = factory.Sequence(lambda n: f"县直单位{n}")
    affiliation = Affiliation.COUNTY


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.Cadre

    name = factory.Sequence(lambda n: f"李干部{n}")
    unit = factory.SubFactory(HelpingUnitFactory)
    rank = Rank.STAFF
    post = "科员"
    phone = "13912345678"


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.Pairing

    cadre = factory.SubFactory(CadreFactory)
    household = factory.SubFactory(HouseholdFactory)
    started_on = dt.date(2016, 3, 1)


class HelpMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.HelpMeasure

    household = factory.SubFactory(HouseholdFactory)
    year = 2019
    category = MeasureCategory.INDUSTRY
    content = "发展养殖：肉牛2头"


class WorkTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.WorkTeam

    village = factory.SubFactory(VillageFactory)
    name = factory.LazyAttribute(lambda o: f"{o.village.name}驻村工作队")
    dispatching_unit = factory.SubFactory(HelpingUnitFactory)
    started_on = dt.date(2018, 1, 1)


class FirstSecretaryPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.FirstSecretaryPosting

    cadre = factory.SubFactory(CadreFactory, rank=Rank.SECTION_LEVEL)
    village = factory.SubFactory(VillageFactory)
    dispatch_level = DispatchLevel.COUNTY
    dispatching_unit = factory.SelfAttribute("cadre.unit")
    started_on = dt.date(2018, 1, 1)
    term_ends_on = dt.date(2020, 12, 31)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.Visit

    author = factory.SubFactory(CadreFactory)
    household = factory.SubFactory(HouseholdFactory)
    village = factory.SelfAttribute("household.village")
    visited_on = dt.date(2019, 5, 6)
    kind = VisitKind.HOME_VISIT
    findings = "户主慢性病，需按时服药"


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = insp.Inspection

    inspected_on = dt.date(2019, 6, 1)
    kind = InspectionKind.UNANNOUNCED
    inspectors = "王督查、赵督查"
    village = factory.SubFactory(VillageFactory)


class ChecklistResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = insp.ChecklistResult

    inspection = factory.SubFactory(InspectionFactory)
    item = ChecklistItem.DOCUMENTS_COMPLETE
    result = CheckResult.PASS


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = insp.Finding

    inspection = factory.SubFactory(InspectionFactory)
    item = ChecklistItem.THREE_WAY_MATCH
    description = "一户一册收入与系统不一致"


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = insp.Rectification

    finding = factory.SubFactory(FindingFactory)
    owner = "村第一书记"
    deadline = dt.date(2019, 7, 1)
    status = RectificationStatus.OPEN


class AnnualAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = insp.AnnualAssessment

    posting = factory.SubFactory(FirstSecretaryPostingFactory)
    year = 2019
    grade = Grade.COMPETENT


class HouseholdProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.HouseholdProfile

    household = factory.SubFactory(HouseholdFactory)
    cultivated_land = Decimal("4.50")
    housing_area = Decimal("80.00")


class BasicNeedsAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.BasicNeedsAssessment

    household = factory.SubFactory(HouseholdFactory)
    year = 2019


class HelpPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.HelpPlan

    household = factory.SubFactory(HouseholdFactory)
    year = 2019
    goals = "发展产业，稳定增收"


class MeasureFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.MeasureFunding

    measure = factory.SubFactory(HelpMeasureFactory)
    source = FundSource.FISCAL
    amount = Decimal("5000")


class StatusChangeFactory(factory.django.DjangoModelFactory):
    """A household-level change by default; member changes need `member` and a member kind."""

    class Meta:
        model = hh.StatusChange

    household = factory.SubFactory(HouseholdFactory)
    kind = StatusChangeKind.NEW_IDENTIFICATION
    to_status = HouseholdStatus.NOT_EXITED
    year = 2014
    effective_on = dt.date(2014, 10, 1)
    reason = "经评议公示新识别为贫困户"
