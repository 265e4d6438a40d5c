"""A county with rows of every admin model in three places, and persona clients for the admin.

`here` is a village of township T1, `near` a village of township T2 in the same county, `far`
a village of another county. Each place gets one row of every registered admin model of
households, cadres and inspections.
"""

from typing import Any

from django.test import Client

from accounts.roles import Role
from tests import factories
from tests.accounts import personas
from tests.accounts.logins import force_login_verified
from tests.test_admin_pages import (
    AdmonitoryTalkFactory,
    BasicNeedsAssessmentFactory,
    MeasureFundingFactory,
    QuarterlyRankingFactory,
    QuotaRuleFactory,
    StatusChangeFactory,
    WorkTeamMemberFactory,
)

PLACES = ("here", "near", "far")
# Reference tables the whole county shares (accounts.scoping.UNSCOPED): no area of their own.
UNSCOPED = {
    "households.povertyline",
    "cadres.helpingunit",
    "cadres.cadre",
    "cadres.quotarule",
    "inspections.admonitorytalk",
}
# Rows a paired cadre reaches: those of a household, and the household's village.
HOUSEHOLD_ROWS = {
    "households.village",
    "households.household",
    "households.member",
    "households.yearlyincome",
    "households.helpmeasure",
    "households.helpplan",
    "households.measurefunding",
    "households.statuschange",
    "households.basicneedsassessment",
    "cadres.pairing",
    "cadres.visit",
}
NEVER_DELETED = {"cadres.pairing", "households.member", "households.statuschange"}


def build_place(village: Any) -> dict[str, Any]:
    """One row of every admin model in `village` (reference rows too, made fresh)."""
    household = factories.HouseholdFactory(village=village)
    measure = factories.HelpMeasureFactory(household=household)
    finding = factories.FindingFactory(inspection__village=village, household=household)
    posting = factories.FirstSecretaryPostingFactory(village=village)
    team = factories.WorkTeamFactory(village=village)
    return {
        "households.county": village.township.county,
        "households.township": village.township,
        "households.village": village,
        "households.household": household,
        "households.member": factories.MemberFactory(household=household),
        "households.yearlyincome": factories.YearlyIncomeFactory(household=household),
        "households.povertyline": factories.PovertyLineFactory(),
        "households.helpmeasure": measure,
        "households.helpplan": factories.HelpPlanFactory(household=household),
        "households.measurefunding": MeasureFundingFactory(measure=measure),
        "households.statuschange": StatusChangeFactory(household=household),
        "households.basicneedsassessment": BasicNeedsAssessmentFactory(household=household),
        "cadres.helpingunit": factories.HelpingUnitFactory(),
        "cadres.cadre": factories.CadreFactory(),
        "cadres.pairing": factories.PairingFactory(household=household),
        "cadres.quotarule": QuotaRuleFactory(),
        "cadres.workteam": team,
        "cadres.workteammember": WorkTeamMemberFactory(team=team),
        "cadres.firstsecretaryposting": posting,
        "cadres.visit": factories.VisitFactory(household=household),
        "inspections.inspection": finding.inspection,
        "inspections.checklistresult": factories.ChecklistResultFactory(
            inspection=finding.inspection
        ),
        "inspections.finding": finding,
        "inspections.rectification": factories.RectificationFactory(finding=finding),
        "inspections.admonitorytalk": AdmonitoryTalkFactory(finding=finding),
        "inspections.quarterlyranking": QuarterlyRankingFactory(posting=posting),
        "inspections.annualassessment": factories.AnnualAssessmentFactory(posting=posting),
    }


def build_world() -> dict[str, dict[str, Any]]:
    county = factories.CountyFactory()
    other = factories.CountyFactory(name="故城县", division_code="130523000000")
    villages = {
        "here": factories.VillageFactory(township__county=county),
        "near": factories.VillageFactory(township__county=county),
        "far": factories.VillageFactory(township__county=other),
    }
    return {place: build_place(village) for place, village in villages.items()}


def make_persona(name: str, world: dict[str, dict[str, Any]]) -> Any:
    """The persona's user, working where `here` is, allowed into the admin."""
    here = world["here"]
    county, township, village = (
        here["households.county"],
        here["households.township"],
        here["households.village"],
    )
    user = {
        "county_admin": lambda: personas.county_admin(county),
        "county_staff": lambda: personas.county_staff(county),
        "township_staff": lambda: personas.township_staff(township),
        "first_secretary": lambda: personas.first_secretary(village),
        "team_member": lambda: personas.team_member(village),
        "paired_cadre": lambda: personas.paired_cadre(here["households.household"]),
        "inspector": lambda: personas.inspector(county),
        "system_admin": personas.system_admin,
        "audit_admin": personas.audit_admin,
        "security_admin": lambda: personas._user(Role.SECURITY_ADMIN),
        "outsider": personas.outsider,
    }[name]()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def client_for(user: Any) -> Client:
    # Administrator roles must pass the second factor; verifying others too changes nothing.
    return force_login_verified(Client(), user)


def reaches(persona: str, label: str, place: str) -> bool:
    """Whether the persona's area holds the row of `label` in `place` (spec, not the code)."""
    if label in UNSCOPED:
        return True
    if persona == "paired_cadre":
        return place == "here" and label in HOUSEHOLD_ROWS
    if label == "households.county" or persona in ("county_admin", "county_staff", "inspector"):
        return place != "far"
    return place == "here"
