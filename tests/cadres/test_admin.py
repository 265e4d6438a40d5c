"""The cadres admin: pages render, phones are masked, quota filter, query counts, pairing rules."""

import datetime as dt

import pytest
import tablib
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.choices import Rank
from cadres.models import Cadre, Pairing, QuotaRule
from cadres.resources import CadreResource, PairingResource
from tests import factories

pytestmark = pytest.mark.django_db


def quota_rule(rank: str, minimum: int, effective_from: dt.date) -> QuotaRule:
    return QuotaRule.objects.create(
        rank=rank, min_households=minimum, effective_from=effective_from
    )


def only_quota_rules(*rules: tuple[str, int, dt.date]) -> None:
    """Replace the seed county's default rules (a data migration) with the test's own."""
    QuotaRule.objects.all().delete()
    for rule in rules:
        quota_rule(*rule)


def pair(cadre: Cadre, *, current: int = 0, ended: int = 0) -> None:
    for _ in range(current):
        factories.PairingFactory(cadre=cadre)
    for _ in range(ended):
        factories.PairingFactory(cadre=cadre, ended_on=dt.date(2019, 1, 1), end_reason="调岗")


def a_work_team():
    team = factories.WorkTeamFactory()
    team.members.create(cadre=factories.CadreFactory(), started_on=dt.date(2018, 1, 1))
    return team


MODELS = {
    "helpingunit": factories.HelpingUnitFactory,
    "cadre": factories.CadreFactory,
    "pairing": factories.PairingFactory,
    "quotarule": lambda: quota_rule(Rank.STAFF, 5, dt.date(2017, 1, 1)),
    "workteam": a_work_team,
    "firstsecretaryposting": factories.FirstSecretaryPostingFactory,
    "visit": factories.VisitFactory,
}


def result_pks(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


def changelist_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_cadre_and_unit_lists_mask_phones(admin_client):
    # given a cadre and a unit with phones
    unit = factories.HelpingUnitFactory(contact_phone="13700001111")
    factories.CadreFactory(unit=unit, phone="13812345678")

    # when the lists are opened
    cadres = admin_client.get(reverse("admin:cadres_cadre_changelist")).content.decode()
    units = admin_client.get(reverse("admin:cadres_helpingunit_changelist")).content.decode()

    # then only the masked numbers show
    assert "138****5678" in cadres and "13812345678" not in cadres
    assert "137****1111" in units and "13700001111" not in units


def test_under_quota_filter_returns_exactly_cadres_below_their_rank_quota(admin_client):
    # given staff must help 6, then 2 since 2020; a future rule of 9 is not in force yet
    only_quota_rules(
        (Rank.STAFF, 6, dt.date(2016, 1, 1)),
        (Rank.STAFF, 2, dt.date(2020, 1, 1)),
        (Rank.STAFF, 9, dt.date(2099, 1, 1)),
    )
    one_current = factories.CadreFactory(rank=Rank.STAFF)
    pair(one_current, current=1)
    ended_do_not_count = factories.CadreFactory(rank=Rank.STAFF)
    pair(ended_do_not_count, current=1, ended=3)
    meets = factories.CadreFactory(rank=Rank.STAFF)
    pair(meets, current=2)
    left_post = factories.CadreFactory(rank=Rank.STAFF, is_active=False)
    no_rule_for_rank = factories.CadreFactory(rank=Rank.OTHER)
    url = reverse("admin:cadres_cadre_changelist")

    # when the list is filtered on 包户数未达标
    under = admin_client.get(url, {"under_quota": "yes"})
    met = admin_client.get(url, {"under_quota": "no"})

    # then exactly the active cadres below the rule in force are listed, and the rest are not
    assert result_pks(under) == {one_current.pk, ended_do_not_count.pk}
    assert result_pks(met) == {meets.pk}
    assert left_post.pk not in result_pks(under) | result_pks(met)
    assert no_rule_for_rank.pk not in result_pks(under) | result_pks(met)


def test_cadre_list_shows_current_pairings_against_quota(admin_client):
    # given a staff cadre with 1 current and 1 ended pairing, and a quota of 6
    only_quota_rules((Rank.STAFF, 6, dt.date(2016, 1, 1)))
    cadre = factories.CadreFactory(rank=Rank.STAFF)
    pair(cadre, current=1, ended=1)

    # when the list is opened
    response = admin_client.get(reverse("admin:cadres_cadre_changelist"))

    # then the row carries the count and the quota from annotations
    (row,) = response.context["cl"].result_list
    assert (row.current_pairings, row.household_quota, row.is_under_quota) == (1, 6, True)


def make_cadres_with_pairings(count: int) -> None:
    for _ in range(count):
        pair(factories.CadreFactory(), current=2, ended=1)


# Session, user, the page's COUNT and rows; the pairing list adds the townships of its filter.
CADRE_LIST_QUERIES = 4
PAIRING_LIST_QUERIES = 5


def test_cadre_list_query_count_does_not_grow_with_rows(admin_client):
    # given a few cadres with pairings
    url = reverse("admin:cadres_cadre_changelist")
    make_cadres_with_pairings(2)
    few = changelist_queries(admin_client, url)

    # when many more are added
    make_cadres_with_pairings(12)
    many = changelist_queries(admin_client, url)

    # then the list runs the same, pinned number of queries
    assert few == many == CADRE_LIST_QUERIES


def test_pairing_list_query_count_does_not_grow_with_rows(admin_client):
    # given a few pairings
    url = reverse("admin:cadres_pairing_changelist")
    make_cadres_with_pairings(2)
    few = changelist_queries(admin_client, url)

    # when many more are added, in other villages and units
    make_cadres_with_pairings(12)
    many = changelist_queries(admin_client, url)

    # then the list runs the same, pinned number of queries
    assert few == many == PAIRING_LIST_QUERIES


def test_pairing_cadre_and_household_are_read_only_once_saved(admin_client):
    # given a saved pairing, another cadre and another household
    pairing = factories.PairingFactory()
    cadre, household = pairing.cadre, pairing.household
    other_cadre, other_household = factories.CadreFactory(), factories.HouseholdFactory()
    url = reverse("admin:cadres_pairing_change", args=[pairing.pk])

    # when the change page is opened and a new cadre and household are posted with an end date
    form = admin_client.get(url).context["adminform"].form
    response = admin_client.post(
        url,
        {
            "cadre": other_cadre.pk,
            "household": other_household.pk,
            "ended_on": "2020-06-30",
            "end_reason": "调离本县",
        },
    )

    # then only the end was editable and saved; cadre and household stayed
    assert set(form.fields) == {"ended_on", "end_reason"}
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.cadre, pairing.household) == (cadre, household)
    assert (pairing.ended_on, pairing.end_reason) == (dt.date(2020, 6, 30), "调离本县")


def test_pairing_add_page_chooses_cadre_and_household_by_autocomplete(admin_client):
    # when the add page is opened
    response = admin_client.get(reverse("admin:cadres_pairing_add"))

    # then cadre and household are autocomplete widgets, not <select>s of every row
    fields = response.context["adminform"].form.fields
    assert isinstance(fields["cadre"].widget.widget, AutocompleteSelect)
    assert isinstance(fields["household"].widget.widget, AutocompleteSelect)


def test_pairing_cannot_end_before_it_started(admin_client):
    # given a pairing started on 2016-03-01
    pairing = factories.PairingFactory()
    url = reverse("admin:cadres_pairing_change", args=[pairing.pk])

    # when an earlier end date is posted
    response = admin_client.post(url, {"ended_on": "2015-01-01", "end_reason": "录错"})

    # then the form says why in Chinese and nothing is written
    assert response.status_code == 200
    assert "解除日期不能早于结对日期" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.ended_on is None


@pytest.mark.parametrize("model", ["helpingunit", "cadre", "pairing"])
def test_import_and_export_pages_list_the_chinese_columns(admin_client, model):
    # given a row to export
    MODELS[model]()

    # when the import and export pages are opened
    pages = [
        admin_client.get(reverse(f"admin:cadres_{model}_{view}")) for view in ("import", "export")
    ]

    # then both render and name the columns in Chinese
    for page in pages:
        assert page.status_code == 200
    assert ("户编号" if model == "pairing" else "联系电话") in pages[0].content.decode()


def test_cadre_export_has_chinese_headers_names_and_masked_phones():
    # given a cadre of a named unit
    cadre = factories.CadreFactory(name="王五", unit__name="县交通局", rank=Rank.SECTION_LEVEL)

    # when cadres are exported
    dataset = CadreResource().export()

    # then headers are Chinese, the unit and rank are named, the phone masked
    assert dataset.headers == ["姓名", "所在单位", "职级", "职务", "联系电话", "在岗"]
    assert dataset.dict[0] == {
        "姓名": "王五",
        "所在单位": "县交通局",
        "职级": "科级",
        "职务": cadre.post,
        "联系电话": "139****5678",
        "在岗": "是",
    }


def test_reimporting_a_masked_phone_keeps_the_stored_number():
    # given a cadre exported with a masked phone
    cadre = factories.CadreFactory(phone="13912345678", post="科员")
    dataset = CadreResource().export()
    dataset.dict = [{**dataset.dict[0], "职务": "副科长"}]

    # when the sheet is imported back
    result = CadreResource().import_data(dataset, raise_errors=True)

    # then the post changed and the number did not
    assert not result.has_validation_errors()
    cadre.refresh_from_db()
    assert (cadre.post, cadre.phone) == ("副科长", "13912345678")


def test_pairing_import_finds_cadre_by_name_and_unit_and_household_by_number():
    # given two cadres of the same name in different units, and a household
    wanted = factories.CadreFactory(name="张伟", unit__name="县财政局")
    factories.CadreFactory(name="张伟", unit__name="县教育局")
    household = factories.HouseholdFactory(household_number="130534000100001")
    sheet = tablib.Dataset(headers=["帮扶责任人", "责任人单位", "户编号", "结对日期"])
    sheet.append(["张伟", "县财政局", "130534000100001", "2021-03-01"])

    # when the sheet is imported
    result = PairingResource().import_data(sheet, raise_errors=True)

    # then one pairing links the right cadre and household
    assert not result.has_validation_errors()
    pairing = Pairing.objects.get()
    assert (pairing.cadre, pairing.household) == (wanted, household)
    assert pairing.started_on == dt.date(2021, 3, 1)


def import_messages(result) -> list[str]:
    """Row errors and validation errors of an import, as the admin shows them."""
    messages = [str(error.error) for _, errors in result.row_errors() for error in errors]
    for row in result.invalid_rows:
        messages += [message for field in row.error_dict.values() for message in field]
    return messages


def test_pairing_import_names_an_unknown_cadre_or_household_in_chinese_and_writes_nothing():
    # given a sheet naming a cadre the unit does not have, and a 户编号 the county does not have
    factories.CadreFactory(name="张伟", unit__name="县财政局")
    factories.HouseholdFactory(household_number="130534000100002")
    sheet = tablib.Dataset(headers=["帮扶责任人", "责任人单位", "户编号", "结对日期"])
    sheet.append(["查无此人", "县财政局", "130534000100002", "2021-03-01"])
    sheet.append(["张伟", "县财政局", "999", "2021-03-01"])

    # when it is imported
    result = PairingResource().import_data(sheet)

    # then each row says what is missing, in Chinese, and no pairing is written
    assert import_messages(result) == ["县财政局没有名为“查无此人”的干部", "找不到户编号“999”"]
    assert not Pairing.objects.exists()
