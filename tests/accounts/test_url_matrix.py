"""Every URL of the site outside the admin × every persona × every place: what each one gets.

The outcome of a cell follows from the table below, in this order: an anonymous visitor is sent
to the login page; a persona whose role lacks the page's permission gets 403; an object outside
the persona's reach answers 404, as one that never existed would; anything else is allowed
(GET pages 200, POST actions a redirect to their result). A new view fails
`test_every_url_of_the_site_is_in_the_matrix` until it has its line in ROUTES.

Outside the admin the site lists, shows, creates, exports and imports; records are edited and
deleted only in the admin, which has its own matrix (test_admin_scoping.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tests.accounts.url_world import (
    AREA_PLACES,
    JOB_PLACES,
    PERSONAS,
    Place,
    World,
    build_world,
    client_as,
    session_cookies,
    url_patterns,
)

pytestmark = pytest.mark.django_db

# URLs left out, and why: none of them shows or changes an object of an area.
EXCLUDED_NAMESPACES = {"admin": "the admin has its own matrix: test_admin_scoping.py"}
EXCLUDED_PREFIXES = {
    settings.STATIC_URL.lstrip("/"): "static files: served by WhiteNoise, no view, no data",
    settings.MEDIA_URL.lstrip("/"): "uploaded files: never served by a URL of the site",
}
EXCLUDED = {
    "login": "the way in: open to everyone by nature",
    "logout": "ends the user's own session, whoever they are",
    "accounts:password_change": "the signed-in user's own password, no one else's",
    "accounts:totp_setup": "the signed-in user's own second factor",
    "accounts:totp_verify": "the signed-in user's own second factor",
}

# Outcome classes of a cell.
OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "403", "404"

# Who holds the permission each page asks for (accounts/roles.py, written out here).
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
REGISTRY = frozenset({"county_admin", "county_staff", "township_staff"})  # import, export
SECRETARIES = frozenset({"first_secretary_v1", "first_secretary_v3"})
NOTICE = REGISTRY | SECRETARIES  # the village's 公示名单
CASEWORK = REGISTRY | SECRETARIES | {"paired_cadre", "inspector"}  # view households
LEDGER_EXPORT = CASEWORK  # 导出一户一册
LEDGER_IMPORT = CASEWORK - {"inspector"}  # 导入一户一册
REVEAL = frozenset({"county_admin", "county_staff", "paired_cadre"}) | SECRETARIES

# The places whose object of each kind a persona reaches (absent: none), and where objects of
# that kind were built (url_world.py).
COUNTY_A, T1 = frozenset({"v1", "v2", "v3"}), frozenset({"v1", "v2"})
V1, V3 = frozenset({"v1"}), frozenset({"v3"})
COUNTY_ROLES = {"county_admin": COUNTY_A, "county_staff": COUNTY_A}
REACH: dict[str, dict[str, frozenset[str]]] = {
    # Households, villages, members: the persona's area, or the paired cadre's household.
    "area": {**COUNTY_ROLES, "inspector": COUNTY_A, "township_staff": T1,
             "first_secretary_v1": V1, "first_secretary_v3": V3, "paired_cadre": V1},
    # A whole area to export: the levels a role exports (households.registry.scope.LEVELS);
    # a paired cadre exports their households one at a time, never a village.
    "village": {**COUNTY_ROLES, "inspector": COUNTY_A, "township_staff": T1,
                "first_secretary_v1": V1, "first_secretary_v3": V3},
    "township": {**COUNTY_ROLES, "inspector": COUNTY_A, "township_staff": T1},
    "county": {**COUNTY_ROLES, "inspector": COUNTY_A},
    # Registry jobs of township clerks: county roles see their county's, a clerk their township's.
    "registry_job": {**COUNTY_ROLES, "township_staff": V1},
    # Ledger exports of first secretaries: their own, and their area's for 查看一户一册导出.
    "ledger_export": {**COUNTY_ROLES, "township_staff": V1,
                      "first_secretary_v1": V1, "first_secretary_v3": V3},
    # Ledger uploads: one's own only.
    "ledger_import": {"first_secretary_v1": V1, "first_secretary_v3": V3},
}  # fmt: skip
PLACES = {
    "area": AREA_PLACES,
    "village": AREA_PLACES,
    "township": ("v1", "v3", "b"),  # T1, T2, and county B's township
    "county": ("v1", "b"),
    "registry_job": JOB_PLACES,
    "ledger_export": JOB_PLACES,
    "ledger_import": JOB_PLACES,
}


# The kind of reach of the object a URL names by id.
REACH_OF = {
    "household": "area",
    "village": "area",
    "member": "area",
    "registry_batch": "registry_job",
    "registry_export": "registry_job",
    "ledger_export": "ledger_export",
    "ledger_import": "ledger_import",
}


@dataclass(frozen=True)
class Case:
    """One way of calling a URL: the method, what it does, who may, on which object."""

    label: str  # the method, and what sets this case apart ("GET?household", "POST:county")
    action: str  # list, detail, create, edit, export or import
    who: frozenset[str]  # the personas whose role holds the permission the view asks for
    target: str | None = None  # the Place attribute the URL or the form names
    reach: str | None = None  # the REACH line that says who reaches the target
    args: Callable[[Place], list[Any]] = lambda place: []
    data: Callable[[Place | None, World], dict[str, Any]] | None = None  # POST body or query
    ok: int = 200
    anonymous: str = LOGIN
    refused: str = FORBIDDEN  # what a persona outside `who` gets
    then_only: frozenset[str] | None = None  # a second right, checked once the object is found

    @property
    def method(self) -> str:
        return self.label.partition("?")[0].partition(":")[0]


def page(who: frozenset[str], action: str = "list") -> Case:
    """A page of no object: the list of one's jobs, an empty form, a template."""
    return Case("GET", action, who)


def by_id(target: str) -> Callable[[Place], list[Any]]:
    return lambda place: [getattr(place, target).pk]


def detail(target: str, who: frozenset[str], action: str = "detail") -> Case:
    """A GET of one object named by its id in the URL."""
    return Case("GET", action, who, target, REACH_OF[target], args=by_id(target))


def act(target: str, who: frozenset[str], action: str, **body: str) -> Case:
    """A POST on one object named in the URL, answered by a redirect to its page."""
    reach = REACH_OF[target]
    return Case("POST", action, who, target, reach, by_id(target), lambda *_: body, ok=302)


def upload(who: frozenset[str], field: str, name: str, content: str) -> Case:
    """A POST of a workbook, answered by the new job's page. Rows outside the uploader's area
    are row errors of its preview, not a refusal of the upload (issue 5)."""

    def data(place: Place | None, world: World) -> dict[str, Any]:
        return {field: SimpleUploadedFile(name, getattr(world, content))}

    return Case("POST", "import", who, data=data, ok=302)


def export_of(kind: str, who: frozenset[str], *, field: str = "area", ok: int = 302) -> Case:
    """A POST of an export form whose choice names an area (`kind:pk`): the view answers 404
    to one outside the user's, and the new export's page (or the file) to one inside."""

    def data(place: Place | None, world: World) -> dict[str, Any]:
        return {field: f"{kind}:{getattr(place, kind).pk}"}

    reach = "area" if kind == "household" else kind
    return Case(f"POST:{kind}", "export", who, kind, reach, data=data, ok=ok)


def annotated_file(place: Place) -> list[Any]:
    return [place.registry_batch.pk, place.registry_file.pk]  # type: ignore[union-attr]


REVEALED = (("member", "id_number"), ("household", "phone"))


def reveal(target: str, field: str) -> Case:
    """One full ID number or phone, as JSON (accounts/reveal.py): a script's endpoint, so an
    anonymous caller gets 403, not the login page; a record the user may not view is not
    there (404); one they may view but not reveal is 403."""

    def args(place: Place) -> list[Any]:
        return [f"households.{target}", getattr(place, target).pk, field]

    return Case(f"POST:{target}", "detail", CASEWORK, target, "area", args,
                anonymous=FORBIDDEN, refused=NOT_FOUND, then_only=REVEAL)  # fmt: skip


def household_query(place: Place | None, world: World) -> dict[str, Any]:
    return {"household": place.household.pk}  # type: ignore[union-attr]


AREA_LEVELS = ("village", "township", "county")
ROUTES: dict[str, tuple[Case, ...]] = {
    "home": (page(SIGNED_IN),),
    # 花名册 import and export (households/urls.py)
    "households:import_list": (page(REGISTRY),),
    "households:import_upload": (
        page(REGISTRY, "create"),
        upload(REGISTRY, "workbooks", "花名册.xlsx", "registry_upload"),
    ),
    "households:import_detail": (detail("registry_batch", REGISTRY),),
    "households:import_progress": (detail("registry_batch", REGISTRY),),
    "households:import_confirm": (
        act("registry_batch", REGISTRY, "import", policy="skip_invalid"),
    ),
    "households:import_cancel": (act("registry_batch", REGISTRY, "edit"),),
    "households:import_annotated": (
        Case("GET", "export", REGISTRY, "registry_batch", "registry_job", annotated_file),
    ),
    "households:import_template": (page(REGISTRY, "export"),),
    "households:export": (
        page(REGISTRY, "create"),
        *(export_of(kind, REGISTRY) for kind in AREA_LEVELS),
    ),
    "households:export_detail": (detail("registry_export", REGISTRY),),
    "households:export_progress": (detail("registry_export", REGISTRY),),
    "households:export_download": (detail("registry_export", REGISTRY, "export"),),
    "households:notice": (
        page(NOTICE, "create"),
        export_of("village", NOTICE, field="village", ok=200),  # answered by the file itself
    ),
    # 一户一册 print pages, export and import (ledgers/urls*.py)
    "ledgers:household_print": (detail("household", CASEWORK),),
    "ledgers:household_card": (detail("household", CASEWORK),),
    "ledgers:village_print": (detail("village", CASEWORK, "list"),),
    "ledgers:village_cards": (detail("village", CASEWORK, "list"),),
    "ledgers:export": (
        page(LEDGER_EXPORT, "create"),
        Case("GET?household", "create", LEDGER_EXPORT, "household", "area", data=household_query),
        *(export_of(kind, LEDGER_EXPORT) for kind in ("household", *AREA_LEVELS)),
    ),
    "ledgers:export_detail": (detail("ledger_export", LEDGER_EXPORT),),
    "ledgers:export_progress": (detail("ledger_export", LEDGER_EXPORT),),
    "ledgers:export_download": (detail("ledger_export", LEDGER_EXPORT, "export"),),
    "ledgers:import_upload": (
        page(LEDGER_IMPORT, "create"),
        upload(LEDGER_IMPORT, "workbook", "一户一册.xlsx", "ledger_upload"),
    ),
    "ledgers:import_detail": (detail("ledger_import", LEDGER_IMPORT),),
    "ledgers:import_progress": (detail("ledger_import", LEDGER_IMPORT),),
    "ledgers:import_confirm": (act("ledger_import", LEDGER_IMPORT, "import", policy="all"),),
    "ledgers:import_cancel": (act("ledger_import", LEDGER_IMPORT, "edit"),),
    "reveal:value": tuple(reveal(target, field) for target, field in REVEALED),
}

# Cells where the site does not do what the table says: test id → what goes wrong.
DEFECTS: dict[str, str] = {}


def expected(case: Case, persona: str, place: str | None) -> str:
    """The outcome the table gives a cell."""
    if persona == "anonymous":
        return case.anonymous
    if persona not in case.who:
        return case.refused
    if case.reach and place not in REACH[case.reach].get(persona, frozenset()):
        return NOT_FOUND
    if case.then_only is not None and persona not in case.then_only:
        return FORBIDDEN
    return OK


def places_of(case: Case) -> tuple[str | None, ...]:
    return PLACES[case.reach] if case.reach else (None,)


def cells() -> list[Any]:
    return list(_cells())


def _cells() -> Iterator[Any]:
    for name, cases in ROUTES.items():
        for index, case in enumerate(cases):
            for persona in PERSONAS:
                for place in places_of(case):
                    cell = f"{name}[{case.label}]-{persona}" + (f"-{place}" if place else "")
                    defect = DEFECTS.get(cell)
                    marks = [pytest.mark.xfail(strict=True, reason=defect)] if defect else []
                    outcome_ = expected(case, persona, place)
                    yield pytest.param(name, index, persona, place, outcome_, id=cell, marks=marks)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Any]:
    """The world and the personas' sessions, built once; each test runs in a savepoint inside
    this transaction, which is rolled back after the module. Export files go to a temp folder."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        built = build_world()
        yield built, session_cookies(built.users)
        transaction.set_rollback(True)


def outcome(response: Any, case: Case) -> str:
    """The class of the answer: a redirect to the login page is LOGIN, the case's success OK."""
    status = response.status_code
    if status == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    if status == 302 and response.url.startswith("/account/"):
        return f"302 to {response.url}"  # held at the second factor or the password change
    return OK if status == case.ok else str(status)


@pytest.mark.parametrize(("name", "index", "persona", "place", "expect"), cells())
def test_url_answers_by_role_and_area(world, name, index, persona, place, expect):
    # given a persona's client, and the URL of an object in `place` (or of none)
    built, cookies = world
    case = ROUTES[name][index]
    spot = built.places[place] if place else None
    url = reverse(name, args=case.args(spot) if spot else [])
    data = case.data(spot, built) if case.data else {}

    # when the persona calls it
    client = client_as(persona, cookies)
    response = client.post(url, data) if case.method == "POST" else client.get(url, data)

    # then the outcome is the table's
    assert outcome(response, case) == expect


def is_excluded(name: str, route: str) -> bool:
    return (
        name in EXCLUDED
        or name.partition(":")[0] in EXCLUDED_NAMESPACES
        or any(route.startswith(prefix) for prefix in EXCLUDED_PREFIXES)
    )


def test_every_url_of_the_site_is_in_the_matrix():
    # given every URL pattern of the project
    patterns = list(url_patterns())

    # when those left out on purpose are set aside
    covered = {name for name, route in patterns if not is_excluded(name, route)}

    # then each of the others has its line in ROUTES, and ROUTES names no URL that is gone
    assert sorted(covered - set(ROUTES)) == [], "add these views to ROUTES"
    assert sorted(set(ROUTES) - covered) == []
    assert sorted(set(EXCLUDED) - {name for name, _ in patterns}) == []


def test_every_defect_names_a_cell_of_the_matrix():
    # given the ids of every cell
    ids = {param.id for param in cells()}

    # then a defect left behind by a renamed case or persona is noticed
    assert sorted(set(DEFECTS) - ids) == []
