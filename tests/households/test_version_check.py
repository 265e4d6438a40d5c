"""Two people editing one household: the later save based on a stale page is refused."""

import pytest
from django import forms
from django.db.models import F
from django.urls import reverse

from households.admin import versioning
from households.models import Household
from tests import factories
from tests.households.test_admin import form_data

pytestmark = pytest.mark.django_db


def change_url(household) -> str:
    return reverse("admin:households_household_change", args=[household.pk])


@pytest.fixture
def household():
    return factories.MemberFactory(household__address="一组3号").household


def test_a_save_raises_the_version(admin_client, household):
    # given the household's page
    data = form_data(admin_client.get(change_url(household))) | {"address": "二组5号"}

    # when it is saved
    response = admin_client.post(change_url(household), data)

    # then the change is saved and the version goes up by one
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.address, household.version) == ("二组5号", 2)


def test_a_stale_page_is_refused_with_what_changed_and_nothing_is_saved(admin_client, household):
    # given two people who opened the same household's page
    first = form_data(admin_client.get(change_url(household)))
    second = form_data(admin_client.get(change_url(household)))
    assert (
        admin_client.post(change_url(household), first | {"phone": "13900001111"}).status_code
        == 302
    )

    # when the second saves their own change from the older page
    response = admin_client.post(change_url(household), second | {"address": "三组8号"})

    # then it is refused, naming what the first changed (masked), and nothing of it is saved
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "已被他人修改" in message
    assert "联系电话：138****5678 → 139****1111" in message
    assert "13900001111" not in response.content.decode()
    household.refresh_from_db()
    assert (household.address, household.phone, household.version) == ("一组3号", "13900001111", 2)


def test_a_stale_page_with_only_member_changes_says_so(admin_client, household):
    # given a page opened before someone edited a member on the member's own page
    stale = form_data(admin_client.get(change_url(household)))
    member = household.members.get()
    member_url = reverse("admin:households_member_change", args=[member.pk])
    member_data = form_data(admin_client.get(member_url)) | {"name": "王改名"}
    assert admin_client.post(member_url, member_data).status_code == 302

    # when the household page is saved
    response = admin_client.post(change_url(household), stale | {"address": "三组8号"})

    # then it is refused: the member's page raised the household's version too
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "家庭成员" in message
    household.refresh_from_db()
    assert household.address == "一组3号"


def test_a_save_that_loses_the_race_after_its_check_is_rolled_back_and_refused(
    admin_client, household, monkeypatch
):
    # given a page whose check passed just before another person's save landed
    data = form_data(admin_client.get(change_url(household))) | {"address": "四组1号"}
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1, hamlet="他人改的组")
    checked = versioning.VersionedForm.clean
    calls = []

    def check_that_ran_too_early(form):
        calls.append(form)
        return forms.ModelForm.clean(form) if len(calls) == 1 else checked(form)

    monkeypatch.setattr(versioning.VersionedForm, "clean", check_that_ran_too_early)

    # when the page is saved
    response = admin_client.post(change_url(household), data)

    # then the conditional write finds no row, nothing is written, and the page shows the conflict
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "自然村（组）：一组 → 他人改的组" in message
    household.refresh_from_db()
    assert (household.address, household.version) == ("一组3号", 2)


def test_claim_version_updates_only_from_the_expected_version(household):
    # given a household at version 1
    with pytest.raises(versioning.VersionConflict):
        # when a save claims it from version 5
        versioning.claim_version(household=household, expected=5)

    # then the version is untouched
    household.refresh_from_db()
    assert household.version == 1


def test_a_forged_snapshot_lists_no_changes_but_still_refuses(admin_client, household):
    # given a stale page whose snapshot was tampered with
    stale = form_data(admin_client.get(change_url(household))) | {"opened_values": "forged"}
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1)

    # when it is saved
    response = admin_client.post(change_url(household), stale)

    # then it is refused all the same
    assert response.status_code == 200
    assert "已被他人修改" in " ".join(response.context["adminform"].form.non_field_errors())
