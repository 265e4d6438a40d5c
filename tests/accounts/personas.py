"""Persona users, one per role, bound to the area they work in (tests build their own areas)."""

from typing import Any

from accounts.roles import Role
from tests import factories
from tests.accounts.factories import AssignmentFactory


def _user(role: str, **area: Any) -> Any:
    """A user with `role` in `area`, staff as the user admin makes everyone with a role."""
    user = factories.UserFactory(is_staff=True)
    AssignmentFactory(user=user, role=role, county=area.pop("county", None), **area)
    return user


def county_admin(county: Any) -> Any:
    return _user(Role.COUNTY_ADMIN, county=county)


def county_staff(county: Any) -> Any:
    return _user(Role.COUNTY_STAFF, county=county)


def township_staff(township: Any) -> Any:
    return _user(Role.TOWNSHIP_STAFF, township=township)


def first_secretary(village: Any) -> Any:
    return _user(Role.FIRST_SECRETARY, village=village)


def team_member(village: Any) -> Any:
    return _user(Role.TEAM_MEMBER, village=village)


def paired_cadre(*households: Any) -> Any:
    """A cadre with a login, currently paired with `households`."""
    user = _user(Role.PAIRED_CADRE)
    cadre = factories.CadreFactory(user=user)
    for household in households:
        factories.PairingFactory(cadre=cadre, household=household)
    return user


def inspector(county: Any) -> Any:
    return _user(Role.INSPECTOR, county=county)


def system_admin() -> Any:
    return _user(Role.SYSTEM_ADMIN)


def audit_admin() -> Any:
    return _user(Role.AUDIT_ADMIN)


def outsider() -> Any:
    """A user with a login and no role: sees nothing."""
    return factories.UserFactory()
