"""The roles of PovertyOps: what each may do, over which area, and what personal data it sees.

This is the one place that says so. `backends.RoleBackend` turns a user's role into Django
permissions (the admin and the views check those), `scoping.restrict` turns its area into a
queryset filter, and `reveal` below decides who may see a full ID number or phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", "县级管理员"
    COUNTY_STAFF = "county_staff", "县扶贫办业务员"
    TOWNSHIP_STAFF = "township_staff", "乡镇业务员"
    FIRST_SECRETARY = "first_secretary", "驻村第一书记"
    TEAM_MEMBER = "team_member", "工作队员"
    PAIRED_CADRE = "paired_cadre", "帮扶责任人"
    INSPECTOR = "inspector", "督查人员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


class Scope(StrEnum):
    """Which rows a role reaches: those of its area, of its paired households, or none."""

    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    PAIRED = "paired"  # the households currently paired with the user's cadre record
    NONE = "none"  # the separated administrator duties see no casework data


class Reveal(StrEnum):
    """Whose full ID numbers and phones a role may reveal, one record at a time."""

    NEVER = "never"
    AREA = "area"  # any household in the role's area
    OWN = "own"  # the role's own households: its village's (first secretary) or paired ones


def _perms(app: str, models_: str, actions: str) -> frozenset[str]:
    return frozenset(
        f"{app}.{action}_{model}" for model in models_.split() for action in actions.split()
    )


HOUSEHOLD_DATA = "household member yearlyincome helpmeasure measurefunding statuschange " \
    "basicneedsassessment householdprofile helpplan"  # fmt: skip
AREAS = "county township village"
CADRE_DATA = "helpingunit cadre pairing workteam workteammember firstsecretaryposting visit"
INSPECTION_DATA = "inspection checklistresult finding rectification admonitorytalk " \
    "quarterlyranking annualassessment"  # fmt: skip
VIEW_ALL = (
    _perms("households", HOUSEHOLD_DATA + " " + AREAS + " povertyline", "view")
    | _perms("cadres", CADRE_DATA + " quotarule", "view")
    | _perms("inspections", INSPECTION_DATA, "view")
)
EDIT_CASEWORK = _perms("households", HOUSEHOLD_DATA, "add change") | _perms(
    "cadres", CADRE_DATA, "add change"
)
REGISTRY = frozenset({
    "households.import_registry", "households.export_registry", "households.export_notice",
    "households.view_importbatch", "households.view_registryexport",
})  # fmt: skip
# 导出一户一册: masked unless the role's rule has full_id_export; scoped like the household pages.
LEDGER_EXPORT = frozenset({"ledgers.export_ledger"})
# 导入一户一册: each change is then checked against the role's own change/add permissions, so a
# paired cadre's upload can add visits but not correct a member.
LEDGER = LEDGER_EXPORT | frozenset({"ledgers.import_ledger"})
LEDGER_EXPORT_REVIEW = frozenset({"ledgers.view_ledgerexport"})  # the area's users' exports
# django-import-export on the admin's flat tables (permissions `import_<model>`/`export_<model>`,
# settings IMPORT_EXPORT_*_PERMISSION_CODE). The permission opens the button; the rows stay
# scoped (accounts.admin_import_export): an export is the admin's list of the user's area, masked
# unless full_id_export, and recorded; each imported row must lie in the importer's area and is
# still checked against the role's add/change permission. Units, cadres and poverty lines are
# county-shared reference tables (scoping.UNSCOPED), so whoever sees their list may export it.
# County administrator: everything it edits (the county itself stays with superusers).
# County staff: export all of it; import the cadres and pairings it keeps (EDIT_CASEWORK).
# Township staff: export its villages, the county's cadres (to name them in a pairing sheet) and
# its pairings; import pairings of its own households.
FLAT_TABLES = _perms("households", "township village povertyline", "import export") | _perms(
    "cadres", "helpingunit cadre pairing", "import export"
)
COUNTY_TRANSFER = frozenset(p for p in FLAT_TABLES if ".export_" in p) | _perms(
    "cadres", "cadre pairing", "import"
)
TOWNSHIP_TRANSFER = (
    _perms("households", "village", "export")
    | _perms("cadres", "cadre pairing", "export")
    | _perms("cadres", "pairing", "import")
)
VILLAGE_WORK = (
    _perms("households", HOUSEHOLD_DATA, "view")
    | _perms("households", "household member yearlyincome helpmeasure measurefunding "
                           "basicneedsassessment householdprofile helpplan", "change")
    | _perms("households", "yearlyincome helpmeasure measurefunding basicneedsassessment "
                           "householdprofile helpplan", "add")
    | _perms("households", AREAS, "view")
    | _perms("cadres", CADRE_DATA, "view")
    | _perms("cadres", "visit", "add change")
    | frozenset({"households.export_notice"})  # the village's 公示名单, masked
    # The village's inspections and findings, and the rectifications it must carry out.
    | _perms("inspections", "inspection checklistresult finding rectification", "view")
    | _perms("inspections", "rectification", "change")
)  # fmt: skip


@dataclass(frozen=True)
class RoleRule:
    scope: Scope
    permissions: frozenset[str]
    reveal: Reveal = Reveal.NEVER
    full_id_export: bool = False  # may export workbooks with full ID numbers (recorded)
    needs_second_factor: bool = False


RULES: dict[str, RoleRule] = {
    Role.COUNTY_ADMIN: RoleRule(
        Scope.COUNTY,
        VIEW_ALL
        | EDIT_CASEWORK
        | REGISTRY
        | LEDGER
        | LEDGER_EXPORT_REVIEW
        | _perms("households", HOUSEHOLD_DATA + " " + AREAS + " povertyline", "add change delete")
        | _perms("cadres", CADRE_DATA + " quotarule", "add change delete")
        | _perms("inspections", INSPECTION_DATA, "add change delete")
        | FLAT_TABLES,
        reveal=Reveal.AREA,
        full_id_export=True,
    ),  # fmt: skip
    Role.COUNTY_STAFF: RoleRule(
        Scope.COUNTY,
        VIEW_ALL | EDIT_CASEWORK | REGISTRY | LEDGER | LEDGER_EXPORT_REVIEW | COUNTY_TRANSFER,
        reveal=Reveal.AREA,
        full_id_export=True,
    ),
    Role.TOWNSHIP_STAFF: RoleRule(
        Scope.TOWNSHIP,
        VIEW_ALL | EDIT_CASEWORK | REGISTRY | LEDGER | LEDGER_EXPORT_REVIEW | TOWNSHIP_TRANSFER,
    ),
    Role.FIRST_SECRETARY: RoleRule(Scope.VILLAGE, VILLAGE_WORK | LEDGER, reveal=Reveal.OWN),
    Role.TEAM_MEMBER: RoleRule(Scope.VILLAGE, VILLAGE_WORK | LEDGER),
    Role.PAIRED_CADRE: RoleRule(
        Scope.PAIRED,
        _perms("households", HOUSEHOLD_DATA + " village", "view")
        | _perms("cadres", "cadre pairing visit", "view")
        | _perms("cadres", "visit", "add change")
        | LEDGER,  # their own households' booklets, one at a time; uploads add visits only
        reveal=Reveal.OWN,
    ),  # fmt: skip
    Role.INSPECTOR: RoleRule(
        Scope.COUNTY,
        VIEW_ALL | _perms("inspections", INSPECTION_DATA, "add change") | LEDGER_EXPORT,
    ),
    Role.SYSTEM_ADMIN: RoleRule(
        Scope.NONE,
        _perms("auth", "user group", "view add change")
        | _perms("accounts", "assignment", "view add change delete"),
        needs_second_factor=True,
    ),  # fmt: skip
    Role.SECURITY_ADMIN: RoleRule(
        Scope.NONE,
        _perms("axes", "accessattempt accessfailurelog accesslog", "view delete")
        | _perms("accounts", "securitypolicy", "view change"),
        needs_second_factor=True,
    ),
    Role.AUDIT_ADMIN: RoleRule(
        Scope.NONE,
        _perms("auditlog", "logentry", "view") | frozenset({"audit.export_trail"}),
        needs_second_factor=True,
    ),
}
ADMINISTRATOR_ROLES = frozenset(role for role, rule in RULES.items() if rule.needs_second_factor)
