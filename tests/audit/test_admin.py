"""The trail's admin: the 审计管理员 reads, searches and exports it; nobody changes it."""

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from openpyxl import load_workbook

from audit.models import DataExport, TrailEntry
from tests import factories
from tests.accounts import personas
from tests.accounts.factories import TOTPDeviceFactory
from tests.audit.factories import LogEntryFactory

pytestmark = pytest.mark.django_db
LIST = reverse("admin:audit_trailentry_changelist")
EXPORT = reverse("admin:audit_trailentry_export")


def login_verified(client, user):
    """Log `user` in with a confirmed second factor, as administrator roles must."""
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def auditor(client):
    user = personas.audit_admin()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    login_verified(client, user)
    return client


def shown(response):
    return {entry.pk for entry in response.context["cl"].result_list}


def test_the_auditor_reads_the_list_and_an_entry_but_cannot_change_or_delete_it(auditor):
    # given an entry
    entry = LogEntryFactory()
    change = reverse("admin:audit_trailentry_change", args=[entry.pk])
    delete = reverse("admin:audit_trailentry_delete", args=[entry.pk])

    # then the list and the entry open read-only, with its masked change
    assert auditor.get(LIST).status_code == 200
    page = auditor.get(change)
    assert page.status_code == 200 and "138****5678" in page.content.decode()
    # and no way of changing, adding or deleting it works
    assert auditor.post(change, {"object_repr": "x"}).status_code == 403
    assert auditor.get(delete).status_code == 403
    assert auditor.post(delete, {"post": "yes"}).status_code == 403
    assert auditor.get(reverse("admin:audit_trailentry_add")).status_code == 403
    bulk = auditor.post(LIST, {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert bulk.status_code in (200, 302, 400, 403)
    assert LogEntry.objects.filter(pk=entry.pk, object_repr="户 1001").exists()


def test_even_a_superuser_cannot_delete_an_entry(admin_client):
    entry = LogEntryFactory()

    response = admin_client.post(
        reverse("admin:audit_trailentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 403 and LogEntry.objects.filter(pk=entry.pk).exists()


def test_casework_roles_do_not_see_the_trail(client):
    # given the county administrator of the casework
    user = personas.county_admin(factories.CountyFactory())
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    # then the trail is closed to them
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_auditor_filters_by_person_object_time_and_action(auditor):
    # given entries by two people, on two objects, at two times, of two actions
    alice, bob = factories.UserFactory(username="alice"), factories.UserFactory(username="bob")
    by_alice = LogEntryFactory(actor=alice)
    by_bob = LogEntryFactory(actor=bob, action=LogEntry.Action.CREATE)
    old = LogEntryFactory(actor=bob)
    LogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - dt.timedelta(days=40))
    member_type = ContentType.objects.get_for_model(factories.MemberFactory().__class__)

    # then each filter keeps its entries
    searched = shown(auditor.get(LIST, {"q": "alice"}))  # her entries and her account's
    assert by_alice.pk in searched and not searched & {by_bob.pk, old.pk}
    assert shown(auditor.get(LIST, {"actor__id__exact": bob.pk})) == {by_bob.pk, old.pk}
    assert shown(auditor.get(LIST, {"action": LogEntry.Action.CREATE})) >= {by_bob.pk}
    assert by_alice.pk not in shown(auditor.get(LIST, {"action": LogEntry.Action.CREATE}))
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    recent = shown(auditor.get(LIST, {"since": since, "actor__id__exact": bob.pk}))
    assert recent == {by_bob.pk}
    by_object = auditor.get(LIST, {"object_type": by_alice.content_type_id,
                                   "object_pk": by_alice.object_pk})  # fmt: skip
    # (the household's own creation entry is part of its trail too)
    assert by_alice.pk in shown(by_object) and not shown(by_object) & {by_bob.pk, old.pk}
    assert by_alice.pk not in shown(auditor.get(LIST, {"object_type": member_type.pk}))


def test_the_auditor_exports_the_filtered_entries_and_the_export_is_recorded(auditor):
    # given entries of two people
    alice = factories.UserFactory(username="alice")
    LogEntryFactory(actor=alice)
    LogEntryFactory(actor=factories.UserFactory(username="bob"))

    # when the auditor exports alice's entries
    response = auditor.get(EXPORT, {"actor__id__exact": alice.pk})

    # then the workbook holds exactly her entry, in Chinese, with the masked values
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "操作人", "操作", "对象类型")
    assert len(rows) == 2
    assert rows[1][1] == "alice" and rows[1][2] == "修改" and rows[1][3] == "贫困户"
    assert rows[1][6] == "联系电话：138****5678 → 139****0000"
    # and the export itself enters the trail
    exported = LogEntry.objects.get(content_type__model="dataexport")
    assert exported.additional_data["rows"] == 1


def test_exporting_needs_the_export_permission(client):
    # given a superuser-less staff member who may view the trail but not export it
    user = factories.UserFactory(is_staff=True)
    view = Permission.objects.get(content_type__app_label="auditlog", codename="view_logentry")
    user.user_permissions.add(view)
    client.force_login(user)

    assert client.get(LIST).status_code == 200
    assert client.get(EXPORT).status_code == 403
    assert not LogEntry.objects.filter(content_type__model="dataexport").exists()


def test_the_proxies_name_the_trail_in_chinese():
    assert TrailEntry._meta.verbose_name == "审计日志"
    assert DataExport._meta.verbose_name == "数据导出"
