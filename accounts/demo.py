"""The demo logins: one user per role, bound to areas of the demo county (local demo only)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from accounts.models import Assignment
from accounts.roles import ADMINISTRATOR_ROLES, Role
from cadres.models import Cadre, FirstSecretaryPosting
from households.models import County, Township, Village

# username, password, full name, role. The passwords meet the password rules (length, classes).
DEMO_USERS = [
    ("demo_admin", "Demo-admin-2026", "演示县级管理员", Role.COUNTY_ADMIN),
    ("demo_county", "Demo-county-2026", "演示县扶贫办业务员", Role.COUNTY_STAFF),
    ("demo_township", "Demo-township-2026", "演示乡镇业务员", Role.TOWNSHIP_STAFF),
    ("demo_secretary", "Demo-secretary-2026", "演示第一书记", Role.FIRST_SECRETARY),
    ("demo_cadre", "Demo-cadre-2026", "演示帮扶责任人", Role.PAIRED_CADRE),
    ("demo_inspector", "Demo-inspector-2026", "演示督查人员", Role.INSPECTOR),
    ("demo_sysadmin", "Demo-sysadmin-2026", "演示系统管理员", Role.SYSTEM_ADMIN),
    ("demo_security", "Demo-security-2026", "演示安全管理员", Role.SECURITY_ADMIN),
    ("demo_auditor", "Demo-auditor-2026", "演示审计管理员", Role.AUDIT_ADMIN),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    area: str
    totp_secret: str = ""  # base32, for an authenticator app: the administrator roles need one


@transaction.atomic
def ensure_demo_users() -> list[DemoLogin]:
    """Create or reset the demo users; areas are picked from the demo county's own data."""
    county = County.objects.order_by("pk").first()
    if county is None:
        raise LookupError("数据库中还没有县：请先运行 seed_demo 生成演示县")
    village = _secretary_village(county)
    areas: dict[str, dict[str, Any]] = {
        Role.COUNTY_ADMIN: {"county": county},
        Role.COUNTY_STAFF: {"county": county},
        Role.INSPECTOR: {"county": county},
        Role.TOWNSHIP_STAFF: {"township": village.township},
        Role.FIRST_SECRETARY: {"village": village},
        Role.TEAM_MEMBER: {"village": village},
    }
    logins = []
    for username, password, full_name, role in DEMO_USERS:
        user = _reset_user(username, password, full_name)
        area = areas.get(role, {})
        Assignment.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "county": None,
                "township": None,
                "village": None,
                **area,
            },  # fmt: skip
        )
        _link_cadre(user, role, village)
        secret = _demo_totp(user) if role in ADMINISTRATOR_ROLES else ""
        shown = next(iter(area.values())).name if area else ""
        logins.append(DemoLogin(username, password, Role(role).label, shown, secret))
    return logins


def _reset_user(username: str, password: str, full_name: str) -> Any:
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.is_staff, user.is_superuser, user.is_active = full_name, True, False, True
    user.set_password(password)
    user.save()
    return user


def _secretary_village(county: County) -> Village:
    """A village of the county with a serving first secretary, in its busiest township."""
    townships = Township.objects.filter(county=county).annotate(n=Count("villages__households"))
    township = townships.order_by("-n", "pk").first()
    villages = Village.objects.filter(township=township)
    posted = villages.filter(first_secretary_postings__ended_on__isnull=True).order_by("pk").first()
    village = posted or villages.order_by("pk").first()
    if village is None:
        raise LookupError("演示县没有行政村：请先运行 seed_demo 生成演示县")
    return village


def _link_cadre(user: Any, role: str, village: Village) -> None:
    """The demo secretary is the village's serving first secretary; the demo cadre a cadre with
    current pairings in that village (each keeps its login only)."""
    Cadre.objects.filter(user=user).update(user=None)
    cadre = None
    if role == Role.FIRST_SECRETARY:
        posting = FirstSecretaryPosting.objects.current().filter(village=village).first()
        cadre = posting.cadre if posting else None
    elif role == Role.PAIRED_CADRE:
        current = Q(pairings__ended_on__isnull=True)
        cadres = Cadre.objects.filter(current, pairings__household__village=village, user=None)
        cadre = cadres.annotate(n=Count("pairings", filter=current)).order_by("-n", "pk").first()
    if cadre is not None and cadre.user_id is None:
        cadre.user = user
        cadre.save(update_fields=["user"])


def _demo_totp(user: Any) -> str:
    """A confirmed TOTP device with a fixed key, printed for the demo (never in production)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = (user.username.encode() * 4)[:20]
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="演示令牌", key=key.hex(), confirmed=True)
    return base64.b32encode(key).decode()
