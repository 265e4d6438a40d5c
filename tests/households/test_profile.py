"""The ledger's data: household profile (家庭基本情况), help plans and the members' new columns."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from audit.selectors import household_trail
from households.choices import HousingGrade
from households.models import HelpPlan, HouseholdProfile, Member
from households.registry.bulk import insert_rows
from households.registry.write import MEMBER_INSERT
from tests import factories
from tests.accounts import personas
from tests.accounts.logins import force_login_verified
from tests.households.test_admin import form_data

pytestmark = pytest.mark.django_db


def household_url(household) -> str:
    return reverse("admin:households_household_change", args=[household.pk])


def plan_url(plan) -> str:
    return reverse("admin:households_helpplan_change", args=[plan.pk])


def secretary_client(village) -> tuple:
    user = personas.first_secretary(village)
    return user, force_login_verified(Client(), user)


def refused_by_database(save) -> bool:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return True
    return False


# Constraints


@pytest.mark.parametrize("field", ["cultivated_land", "returned_farmland", "housing_area"])
def test_land_and_house_areas_cannot_be_negative_in_the_database(field):
    # given a profile with a negative area
    profile = factories.HouseholdProfileFactory.build(
        household=factories.HouseholdFactory(), **{field: Decimal("-0.5")}
    )

    # when it is saved, then the database refuses it and nothing is written
    assert refused_by_database(profile.save)
    assert not HouseholdProfile.objects.exists()


def test_a_negative_area_is_reported_in_chinese_by_field():
    # given a profile with a negative cultivated area
    profile = factories.HouseholdProfileFactory.build(
        household=factories.HouseholdFactory(), cultivated_land=Decimal("-1")
    )

    # when its constraints are checked
    with pytest.raises(ValidationError) as caught:
        profile.validate_constraints()

    # then the message names the field
    assert caught.value.messages == ["耕地面积不能为负数"]


def test_unknown_land_and_conditions_are_kept_unknown():
    # given a profile with nothing surveyed yet
    household = factories.HouseholdFactory()
    HouseholdProfile.objects.create(household=household)

    # when it is read back
    profile = HouseholdProfile.objects.get(household=household)

    # then unknown stays unknown rather than 0 or 否, and the flags default to 否
    assert profile.cultivated_land is None and profile.housing_area is None
    assert profile.has_safe_water is None and profile.has_sanitary_toilet is None
    assert profile.is_relocated is False and profile.joined_cooperative is False
    profile.full_clean()


def test_a_household_has_at_most_one_profile():
    # given a household with a profile
    profile = factories.HouseholdProfileFactory()

    # when a second one is saved for it, then the database refuses it
    assert refused_by_database(lambda: HouseholdProfile.objects.create(household=profile.household))
    assert HouseholdProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("grade", "dangerous"),
    [(HousingGrade.A, False), (HousingGrade.B, False), (HousingGrade.C, True), ("D", True)],
)
def test_only_grade_c_and_d_houses_are_dangerous(grade, dangerous):
    assert HouseholdProfile(housing_grade=grade).is_dangerous_house is dangerous


def test_profile_links_to_its_households_page():
    profile = factories.HouseholdProfileFactory()

    assert profile.get_absolute_url() == household_url(profile.household)


def test_a_household_has_one_help_plan_a_year():
    # given a household's plan for 2019
    plan = factories.HelpPlanFactory(year=2019)
    second = HelpPlan(household=plan.household, year=2019, goals="重复")

    # when a second plan for 2019 is checked, then it is refused with the Chinese message
    with pytest.raises(ValidationError) as caught:
        second.full_clean()
    assert "该户本年度已有帮扶计划" in caught.value.messages
    assert refused_by_database(second.save)
    # and another year is fine
    HelpPlan.objects.create(household=plan.household, year=2020, goals="巩固脱贫成果")
    assert plan.household.plans.count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"year": 2012}, "计划年度应在2013至2035年之间"),
        ({"year": 2036}, "计划年度应在2013至2035年之间"),
        ({"planned_exit_year": 2040}, "计划脱贫年度应在2013至2035年之间"),
        ({"planned_funds": Decimal("-1")}, "计划资金不能为负数"),
    ],
)
def test_help_plan_years_and_funds_are_checked(values, message):
    # given a plan with a value out of range
    plan = factories.HelpPlanFactory.build(household=factories.HouseholdFactory(), **values)

    # when its constraints are checked, then the Chinese message says why
    with pytest.raises(ValidationError) as caught:
        plan.validate_constraints()
    assert caught.value.messages == [message]
    # and the database refuses it too
    assert refused_by_database(plan.save)
    assert not HelpPlan.objects.exists()


def test_help_plan_links_to_its_admin_page():
    plan = factories.HelpPlanFactory()

    assert plan.get_absolute_url() == plan_url(plan)


def test_months_at_home_is_at_most_twelve():
    # given a member said to have lived at home 13 months
    member = factories.MemberFactory.build(household=factories.HouseholdFactory())
    member.months_at_home = 13

    # when checked and saved, then both refuse it
    with pytest.raises(ValidationError) as caught:
        member.validate_constraints()
    assert caught.value.messages == ["在家居住时间应在0至12个月之间"]
    assert refused_by_database(member.save)
    assert not Member.objects.exists()


def test_members_inserted_in_bulk_get_the_new_columns_defaults():
    # given a member row with exactly the registry import's columns
    household = factories.HouseholdFactory()
    member = factories.MemberFactory.build(household=household)
    row = [household.pk if name == "household" else getattr(member, name) for name in MEMBER_INSERT]

    # when it is inserted the way the import writes (executemany or COPY)
    insert_rows(Member, MEMBER_INSERT, [row])

    # then the new columns take their defaults
    stored = Member.objects.get(household=household)
    assert stored.receives_minimum_living is False
    assert stored.months_at_home is None


# The household page


def test_household_page_without_profile_saves_no_empty_profile(admin_client):
    # given a household without a profile
    household = factories.MemberFactory().household
    url = household_url(household)

    # when its page is saved unchanged
    response = admin_client.post(url, form_data(admin_client.get(url)))

    # then no empty profile was written
    assert response.status_code == 302
    assert not HouseholdProfile.objects.exists()


def test_profile_filled_in_on_the_household_page_is_saved(admin_client):
    # given a household without a profile
    household = factories.MemberFactory().household
    url = household_url(household)
    data = form_data(admin_client.get(url)) | {
        "profile-0-cultivated_land": "3.5",
        "profile-0-housing_grade": HousingGrade.C,
        "profile-0-has_safe_water": "true",
        "profile-0-is_relocated": "on",
        "profile-0-relocation_mode": "集中安置（县城安置点）",
    }

    # when the page is saved with the profile filled in
    response = admin_client.post(url, data)

    # then the household has that profile
    assert response.status_code == 302
    profile = HouseholdProfile.objects.get(household=household)
    assert profile.cultivated_land == Decimal("3.5")
    assert (profile.housing_grade, profile.has_safe_water) == (HousingGrade.C, True)
    assert profile.is_relocated and profile.relocation_mode == "集中安置（县城安置点）"


def test_a_negative_area_on_the_household_page_is_refused_and_nothing_is_written(admin_client):
    # given a household page with a negative cultivated area typed in
    household = factories.MemberFactory().household
    url = household_url(household)
    data = form_data(admin_client.get(url)) | {"profile-0-cultivated_land": "-2"}

    # when it is saved
    response = admin_client.post(url, data)

    # then the page comes back with the error and no profile exists
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors == [{"cultivated_land": ["不能为负数"]}]
    assert not HouseholdProfile.objects.exists()


def test_help_plan_added_on_the_household_page_is_saved(admin_client):
    # given a household page with a plan row added
    household = factories.MemberFactory().household
    url = household_url(household)
    data = form_data(admin_client.get(url)) | {
        "plans-TOTAL_FORMS": "1",
        "plans-0-year": "2020",
        "plans-0-goals": "发展养殖增收，年底前脱贫",
        "plans-0-planned_exit_year": "2020",
        "plans-0-planned_funds": "12000",
        "plans-0-deadline": "2020-11-30",
    }

    # when it is saved
    response = admin_client.post(url, data)

    # then the plan is the household's
    assert response.status_code == 302
    plan = household.plans.get()
    assert (plan.year, plan.planned_funds) == (2020, Decimal("12000"))
    assert plan.deadline == dt.date(2020, 11, 30)


# Scoping and roles


def test_first_secretary_edits_the_profile_and_plans_of_the_own_village(db):
    # given a first secretary of the household's village
    household = factories.MemberFactory().household
    plan = factories.HelpPlanFactory(household=household, year=2019)
    _, client = secretary_client(household.village)
    url = household_url(household)
    data = form_data(client.get(url)) | {
        "profile-0-cultivated_land": "2.0",
        "plans-0-goals": "巩固脱贫成果",
    }

    # when the household page is saved with the profile and the plan changed
    response = client.post(url, data)

    # then both are saved
    assert response.status_code == 302
    assert HouseholdProfile.objects.get(household=household).cultivated_land == Decimal("2.0")
    plan.refresh_from_db()
    assert plan.goals == "巩固脱贫成果"
    assert client.get(plan_url(plan)).status_code == 200


def test_another_villages_profile_and_plans_answer_404_to_a_first_secretary(db):
    # given a first secretary of one village and a household of another
    profile = factories.HouseholdProfileFactory()
    plan = factories.HelpPlanFactory(household=profile.household)
    user, client = secretary_client(factories.VillageFactory())

    # when the household's page and its plan's page are opened, then neither exists for them
    assert client.get(household_url(profile.household)).status_code == 404
    assert client.get(plan_url(plan)).status_code == 404
    assert client.post(plan_url(plan), {"goals": "改写"}).status_code == 404
    # and the lists hold nothing of that village
    plans = client.get(reverse("admin:households_helpplan_changelist"))
    assert list(plans.context["cl"].result_list) == []
    assert not HouseholdProfile.objects.for_user(user, "view").exists()
    assert not HelpPlan.objects.for_user(user, "change").exists()


def test_for_user_gives_the_village_its_own_profiles_and_plans(db):
    # given profiles and plans in two villages
    ours = factories.HouseholdProfileFactory()
    theirs = factories.HouseholdProfileFactory()
    our_plan = factories.HelpPlanFactory(household=ours.household)
    factories.HelpPlanFactory(household=theirs.household)
    secretary = personas.first_secretary(ours.household.village)
    paired = personas.paired_cadre(theirs.household)

    # then each user reaches only the rows of their own households
    assert list(HouseholdProfile.objects.for_user(secretary, "change")) == [ours]
    assert list(HelpPlan.objects.for_user(secretary, "add")) == [our_plan]
    assert list(HouseholdProfile.objects.for_user(paired, "view")) == [theirs]
    assert not HouseholdProfile.objects.for_user(paired, "change").exists()


# Audit


def test_a_change_of_profile_or_plan_is_in_the_households_trail(admin_client):
    # given a household with a profile and a plan
    profile = factories.HouseholdProfileFactory(cultivated_land=Decimal("3.5"))
    plan = factories.HelpPlanFactory(household=profile.household)

    # when both are changed
    profile.cultivated_land = Decimal("4.00")
    profile.save(update_fields=["cultivated_land"])
    plan.goals = "巩固脱贫成果"
    plan.save(update_fields=["goals"])

    # then each change has its entry, and both show in the household's trail
    entry = LogEntry.objects.get_for_object(profile).get(action=LogEntry.Action.UPDATE)
    assert entry.changes["cultivated_land"] == ["3.50", "4.00"]
    trail = household_trail(profile.household.pk)
    assert trail.filter(pk=entry.pk).exists()
    assert trail.filter(object_id=plan.pk, changes__has_key="goals").exists()


def test_members_page_edits_months_at_home_and_minimum_living(admin_client):
    # given a member's page
    member = factories.MemberFactory()
    url = reverse("admin:households_member_change", args=[member.pk])
    data = form_data(admin_client.get(url)) | {
        "months_at_home": "8",
        "receives_minimum_living": "on",
    }

    # when it is saved with the two booklet columns filled in
    response = admin_client.post(url, data)

    # then they are stored
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.months_at_home, member.receives_minimum_living) == (8, True)
