"""The demo logins: one per role, each bound to an area of the demo county it can work in."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_USERS
from cadres.models import Pairing
from households.models import Household
from tests import factories
from tests.builders import small_county

pytestmark = pytest.mark.django_db


def test_every_role_gets_a_demo_user_with_its_area(django_user_model, capsys):
    # given the demo county
    small_county()
    # when the demo users are set up
    call_command("ensure_demo_users")
    # then each is listed with its password, and works within its area
    output = capsys.readouterr().out
    for username, password, _, _ in DEMO_USERS:
        assert f"{username} / {password}" in output
        user = django_user_model.objects.get(username=username)
        assert user.check_password(password) and not user.is_superuser
    secretary = django_user_model.objects.get(username="demo_secretary")
    village = secretary.assignment.village
    assert village is not None and secretary.cadre.postings.filter(village=village).exists()
    assert set(Household.objects.for_user(secretary)) == set(village.households.all())
    township = django_user_model.objects.get(username="demo_township").assignment.township
    assert township == village.township
    county_staff = django_user_model.objects.get(username="demo_county")
    assert Household.objects.for_user(county_staff).count() == Household.objects.count()
    assert not Household.objects.for_user(django_user_model.objects.get(username="demo_auditor"))
    assert "两步验证密钥" in output


def test_the_demo_cadre_sees_the_households_paired_with_them(django_user_model):
    county = small_county()
    household = county.villages[0].households.first()
    factories.PairingFactory(household=household)
    factories.FirstSecretaryPostingFactory(village=household.village)
    call_command("ensure_demo_users")
    cadre_user = django_user_model.objects.get(username="demo_cadre")
    paired = Pairing.objects.current().filter(cadre=cadre_user.cadre).values("household")
    assert set(Household.objects.for_user(cadre_user)) == set(
        Household.objects.filter(pk__in=paired)
    )
    assert Household.objects.for_user(cadre_user).exists()


def test_running_it_again_resets_the_same_users(django_user_model):
    small_county()
    call_command("ensure_demo_users")
    call_command("ensure_demo_users")
    assert django_user_model.objects.filter(username__startswith="demo_").count() == len(DEMO_USERS)
