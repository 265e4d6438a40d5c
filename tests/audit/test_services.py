"""Entries written explicitly: reveals of a full identifier and exports."""

import pytest
from auditlog.models import LogEntry

from audit.models import DataExport
from audit.services import record_export, record_reveal
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_reveal_records_who_saw_which_field_of_which_record_but_not_the_value():
    # given a clerk and a member
    clerk = factories.UserFactory(username="clerk")
    member = factories.MemberFactory()

    # when the clerk reveals the member's full ID number
    record_reveal(user=clerk, obj=member, field="id_number", remote_addr="10.0.0.7")

    # then an access entry names clerk, record, field and address, without the number
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == clerk and entry.remote_addr == "10.0.0.7"
    assert (entry.content_type.model, entry.object_id) == ("member", member.pk)
    assert entry.additional_data["field"] == "id_number"
    assert entry.additional_data["access"] == "查看完整证件号码"
    assert member.id_number not in str(entry.additional_data) + str(entry.changes)


def test_an_export_records_its_description_rows_and_whether_ids_were_full():
    clerk = factories.UserFactory()

    record_export(user=clerk, description="花名册导出（东关村）", full_ids=True, rows=120,
                  remote_addr=None)  # fmt: skip

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.content_type.model_class() is DataExport
    assert entry.object_repr == "花名册导出（东关村）" and entry.actor == clerk
    assert entry.additional_data == {
        "access": "导出（含完整证件号码）", "export": "花名册导出（东关村）",
        "full_ids": True, "rows": 120,
    }  # fmt: skip
