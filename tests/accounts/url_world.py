"""A small county world for the site-wide URL matrix (test_url_matrix.py), built once per module.

County A (清河县): township T1 城关镇 with villages V1 东关村 and V2 西关村, township T2 河口镇 with
village V3 河口村. County B (故城县): township 郑口镇 with village 北关村. Each village has a
household with a full ledger (tests/ledgers/builders.py). Three places also hold the jobs a user
of that place makes:

- a registry import batch, previewed, with an annotated copy of its file, and a registry export
  of the village, built: both by a township clerk of the village's township (registry roles
  are township or county roles);
- a ledger export of the household, built, and a ledger import of its booklet, previewed: both
  by the village's first secretary (for V1 and V3 that is the persona of the matrix).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from households import tasks as registry_tasks
from households.models import (
    County,
    Household,
    ImportBatch,
    ImportFile,
    Member,
    RegistryExport,
    Township,
    Village,
)
from households.registry import pipeline as registry_pipeline
from ledgers import pipeline as ledger_pipeline
from ledgers import tasks as ledger_tasks
from ledgers.models import LedgerExport, LedgerImport
from tests import factories
from tests.accounts import personas
from tests.accounts.logins import force_login_verified
from tests.households.registry.workbooks import canonical, household_rows
from tests.ledgers.builders import make_household_with_ledger_data
from tests.ledgers.editing import exported

AREA_PLACES = ("v1", "v2", "v3", "b")  # every village: households, villages, members
JOB_PLACES = ("v1", "v3", "b")  # the places whose users made jobs
PERSONAS = (
    "anonymous",
    "outsider",
    "system_admin",
    "county_admin",
    "county_staff",
    "township_staff",
    "first_secretary_v1",
    "first_secretary_v3",
    "paired_cadre",
    "inspector",
)
VILLAGE_NAMES = {"v1": "东关村", "v2": "西关村", "v3": "河口村", "b": "北关村"}


@dataclass
class Place:
    """One village and what lives in it; job fields are None where no user made a job."""

    village: Village
    household: Household
    member: Member
    registry_batch: ImportBatch | None = None
    registry_file: ImportFile | None = None
    registry_export: RegistryExport | None = None
    ledger_export: LedgerExport | None = None
    ledger_import: LedgerImport | None = None

    @property
    def township(self) -> Township:
        return self.village.township

    @property
    def county(self) -> County:
        return self.village.township.county


@dataclass
class World:
    places: dict[str, Place]
    users: dict[str, Any]  # persona → user (no entry for anonymous)
    registry_upload: bytes  # a registry workbook of one V1 household
    ledger_upload: bytes  # the V1 household's booklet, as exported


def build_world() -> World:
    villages = _villages()
    places = {name: _place(village) for name, village in villages.items()}
    users = _personas(villages, places["v1"].household)
    secretaries = {
        "v1": users["first_secretary_v1"],
        "v3": users["first_secretary_v3"],
        "b": personas.first_secretary(villages["b"]),
    }
    for index, name in enumerate(JOB_PLACES):
        clerk = personas.township_staff(villages[name].township)
        _registry_jobs(places[name], clerk, number=8001 + 10 * index)
        _ledger_jobs(places[name], secretaries[name])
    rows = household_rows(
        "7001", township="城关镇", village="东关村", head="孙七", first_sequence=301
    )
    upload = canonical(rows)
    return World(places, users, upload, exported(places["v1"].household))


def _villages() -> dict[str, Village]:
    county_a = factories.CountyFactory.create()
    county_b = factories.CountyFactory.create(name="故城县", division_code="130523000000")
    township = factories.TownshipFactory.create
    t1 = township(county=county_a, name="城关镇", division_code="130534100000")
    t2 = township(county=county_a, name="河口镇", division_code="130534200000")
    tb = township(county=county_b, name="郑口镇", division_code="130523100000")
    townships = {"v1": t1, "v2": t1, "v3": t2, "b": tb}
    villages = {}
    for index, (place, name) in enumerate(VILLAGE_NAMES.items()):
        code = f"{townships[place].division_code[:9]}{201 + index:03d}"
        villages[place] = factories.VillageFactory.create(
            township=townships[place], name=name, division_code=code
        )
    return villages


def _place(village: Village) -> Place:
    household = make_household_with_ledger_data(village=village)
    member = household.members.get(relation_to_head="head")
    return Place(village=village, household=household, member=member)


def _personas(villages: dict[str, Village], paired_household: Household) -> dict[str, Any]:
    county = villages["v1"].township.county
    return {
        "outsider": personas.outsider(),
        "system_admin": personas.system_admin(),
        "county_admin": personas.county_admin(county),
        "county_staff": personas.county_staff(county),
        "township_staff": personas.township_staff(villages["v1"].township),
        "first_secretary_v1": personas.first_secretary(villages["v1"]),
        "first_secretary_v3": personas.first_secretary(villages["v3"]),
        "paired_cadre": personas.paired_cadre(paired_household),
        "inspector": personas.inspector(county),
    }


def _registry_jobs(place: Place, clerk: Any, number: int) -> None:
    """A previewed batch (one valid household, one with a wrong check character, so the file
    gets an annotated copy) and a built export of the village, both by `clerk`."""
    village = place.village

    def rows(offset: int, head: str) -> list[list[Any]]:
        return household_rows(
            str(number + offset), county=place.county.name, township=place.township.name,
            village=village.name, head=head, first_sequence=number % 400 + 4 * offset,
        )  # fmt: skip

    valid, broken = rows(0, "张三"), rows(1, "王五")
    broken[0][18] = broken[0][18][:-1] + ("1" if broken[0][18][-1] != "1" else "2")
    batch = registry_pipeline.create_batch(
        files=[("花名册.xlsx", canonical(valid + broken))], user=clerk
    )
    registry_pipeline.preview_batch(batch)
    place.registry_batch = ImportBatch.objects.get(pk=batch.pk)
    place.registry_file = place.registry_batch.files.get(annotated__isnull=False)
    export = RegistryExport.objects.create(created_by=clerk, village=village)
    registry_tasks.build_registry_export.call(export.pk)
    place.registry_export = RegistryExport.objects.get(pk=export.pk, status="done")


def _ledger_jobs(place: Place, secretary: Any) -> None:
    """A built ledger export of the household and a previewed upload of its booklet."""
    export = LedgerExport.objects.create(created_by=secretary, household=place.household)
    ledger_tasks.build_ledger_export.call(export.pk)
    place.ledger_export = LedgerExport.objects.get(pk=export.pk, status="done")
    job = ledger_pipeline.create_import(
        name="一户一册.xlsx", data=exported(place.household), user=secretary
    )
    ledger_pipeline.preview(job)
    place.ledger_import = LedgerImport.objects.get(pk=job.pk, status="previewed")


def session_cookies(users: dict[str, Any]) -> dict[str, str]:
    """A logged-in session per persona, past the second factor (administrator roles need it):
    persona → session key, for a fresh client of each test to carry."""
    return {
        persona: force_login_verified(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
        for persona, user in users.items()
    }


def client_as(persona: str, cookies: dict[str, str]) -> Client:
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[persona]
    return client


def url_patterns(
    patterns: list[Any] | None = None, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(name with its namespaces, route) of every URL pattern of the project, through includes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            # An unnamed view keeps its namespace: the admin's catch-all stays the admin's.
            yield f"{namespace}{pattern.name or f'<unnamed {route}>'}", route
