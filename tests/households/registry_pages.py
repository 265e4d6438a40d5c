"""Helpers of the registry page tests: personas, uploads, confirmations, reading the page."""

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from households.models import ImportBatch
from tests import factories
from tests.accounts.factories import AssignmentFactory
from tests.households.registry.workbooks import canonical, household_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = reverse("households:import_upload")


def user_with(username: str, *codenames: str):
    user = factories.UserFactory(username=username)
    permissions = Permission.objects.filter(
        content_type__app_label="households", codename__in=codenames
    )
    user.user_permissions.add(*permissions)
    return user


def logged_in_clerk(client):
    """A county clerk of 清河县 (county staff), who imports and exports its registry, logged in."""
    user = factories.UserFactory(username="county_clerk")
    AssignmentFactory(user=user, role=Role.COUNTY_STAFF, county=factories.CountyFactory())
    client.force_login(user)
    return user


def upload(client, *workbooks: bytes, names: tuple[str, ...] = ()):
    names = names or ("花名册.xlsx",) * len(workbooks)
    files = [
        SimpleUploadedFile(name, content, content_type=XLSX)
        for name, content in zip(names, workbooks, strict=True)
    ]
    return client.post(UPLOAD, {"workbooks": files})


def uploaded_batch(client, *workbooks: bytes) -> ImportBatch:
    response = upload(client, *workbooks)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def confirm(client, batch: ImportBatch, policy: str = "all_or_nothing", **extra):
    url = reverse("households:import_confirm", args=[batch.pk])
    return client.post(url, {"policy": policy, **extra})


def page(client, batch: ImportBatch) -> str:
    return client.get(batch.get_absolute_url()).content.decode()


def count(html: str, name: str) -> str:
    marker = f'data-count="{name}">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


def two_households() -> bytes:
    return canonical(household_rows("1001") + household_rows("1002", first_sequence=21))


def broken_id_rows(number: str) -> list[list]:
    """A household whose head's ID number has a wrong check character."""
    rows = household_rows(number, head="王五", first_sequence=41)
    rows[0][18] = rows[0][18][:-1] + ("1" if rows[0][18][-1] != "1" else "2")
    return rows


class Spy:
    """Stands in for a task: records what was enqueued, runs nothing."""

    def __init__(self, calls: list) -> None:
        self.calls = calls

    def enqueue(self, *args, **kwargs) -> None:
        self.calls.extend(args)
