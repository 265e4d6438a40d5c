"""Area scoping: `for_user` gives each role exactly the rows of its area, and nothing by default."""

import pytest

from cadres.models import Pairing, Visit
from households.models import County, Household, Member, Township, Village
from tests import factories
from tests.accounts import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    """One county, two townships, a village in each, a household with a member in each village."""
    county = factories.CountyFactory()
    here, there = (
        factories.VillageFactory(township__county=county),
        factories.VillageFactory(township__county=county),
    )
    for village in (here, there):
        factories.MemberFactory(household=factories.HouseholdFactory(village=village))
    return county, here, there


def numbers(queryset):
    return sorted(queryset.values_list("household_number", flat=True))


def test_county_staff_see_every_household_of_their_county(county):
    county_, here, there = county
    user = personas.county_staff(county_)
    assert Household.objects.for_user(user).count() == 2
    assert Member.objects.for_user(user).count() == 2


def test_county_staff_see_nothing_of_another_county(county):
    other = factories.CountyFactory(name="故城县", division_code="130523000000")
    user = personas.county_staff(other)
    assert not Household.objects.for_user(user).exists()


def test_township_staff_see_only_their_township(county):
    _, here, there = county
    user = personas.township_staff(here.township)
    assert numbers(Household.objects.for_user(user)) == numbers(Household.objects.filter(
        village=here))  # fmt: skip
    assert list(Village.objects.for_user(user)) == [here]
    assert list(Township.objects.for_user(user)) == [here.township]
    assert County.objects.for_user(user).count() == 1


def test_a_first_secretary_sees_only_their_village_and_may_change_it(county):
    _, here, there = county
    user = personas.first_secretary(here)
    assert list(Household.objects.for_user(user, "change").values_list("village", flat=True)) == [
        here.pk
    ]
    assert not Household.objects.for_user(user, "delete").exists()  # no delete permission
    assert list(Township.objects.for_user(user)) == [here.township]


def test_a_paired_cadre_sees_only_currently_paired_households(county):
    _, here, there = county
    paired, unpaired = Household.objects.get(village=here), Household.objects.get(village=there)
    user = personas.paired_cadre(paired)
    assert list(Household.objects.for_user(user)) == [paired]
    assert list(Member.objects.for_user(user).values_list("household", flat=True)) == [paired.pk]
    assert list(Village.objects.for_user(user)) == [here]
    assert unpaired not in Household.objects.for_user(user)
    # when the pairing ends, the household is out of reach
    Pairing.objects.filter(household=paired).update(ended_on="2020-12-31")
    assert not Household.objects.for_user(user).exists()


def test_a_paired_cadre_may_record_visits_but_not_edit_households(county):
    _, here, _ = county
    household = Household.objects.get(village=here)
    user = personas.paired_cadre(household)
    factories.VisitFactory(household=household)
    assert Visit.objects.for_user(user, "add").count() == 1
    assert not Household.objects.for_user(user, "change").exists()


def test_the_separated_administrators_see_no_casework(county):
    for user in (personas.system_admin(), personas.audit_admin()):
        assert not Household.objects.for_user(user).exists()
        assert not Village.objects.for_user(user).exists()


def test_a_user_without_a_role_sees_nothing(county):
    user = personas.outsider()
    assert not Household.objects.for_user(user).exists()
    assert not user.has_perm("households.view_household")


def test_an_inspector_reads_the_county_and_records_inspections(county):
    county_, _, _ = county
    user = personas.inspector(county_)
    assert Household.objects.for_user(user).count() == 2
    assert not Household.objects.for_user(user, "change").exists()
    assert user.has_perm("inspections.add_inspection")


def test_role_permissions_come_from_the_role(county):
    county_, here, _ = county
    staff, secretary = personas.county_staff(county_), personas.first_secretary(here)
    assert staff.has_perm("households.import_registry")
    assert not secretary.has_perm("households.import_registry")
    assert secretary.has_perm("cadres.add_visit")


def test_inspections_follow_their_target_township_village_or_secretary(county):
    from inspections.models import Inspection, Rectification

    county_, here, there = county
    at_village = factories.InspectionFactory(village=here)
    at_township = factories.InspectionFactory(village=None, township=there.township)
    factories.RectificationFactory(finding__inspection=at_village)
    staff, clerk = personas.county_staff(county_), personas.township_staff(there.township)
    secretary = personas.first_secretary(here)
    assert set(Inspection.objects.for_user(staff)) == {at_village, at_township}
    assert list(Inspection.objects.for_user(clerk)) == [at_township]
    assert list(Inspection.objects.for_user(secretary)) == [at_village]
    assert Rectification.objects.for_user(secretary).count() == 1
    assert not Rectification.objects.for_user(clerk).exists()
