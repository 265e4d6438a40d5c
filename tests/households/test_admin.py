"""The households admin: masking, search, filters, query counts and the registry's write rules."""

import datetime as dt
from decimal import Decimal

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.choices import (
    Cause,
    HouseholdStatus,
    MemberJoinReason,
    MemberLeaveReason,
    Relation,
    StatusChangeKind,
)
from households.models import Member, PovertyLine, StatusChange, Village
from households.resources import PovertyLineResource, VillageResource
from tests import factories

HOUSEHOLDS = reverse("admin:households_household_changelist")
MEMBERS = reverse("admin:households_member_changelist")
INCOMES = reverse("admin:households_yearlyincome_changelist")


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def form_data(response) -> dict:
    """The change page's current values as a POST body, inline management forms included."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if field.disabled or value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def queries_to_get(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# Masking


def test_household_list_masks_the_phone(admin_client):
    factories.MemberFactory(household__phone="13812345678")

    html = admin_client.get(HOUSEHOLDS).content.decode()

    assert "138****5678" in html
    assert "13812345678" not in html


def test_household_list_shows_head_and_current_member_count(admin_client):
    head = factories.MemberFactory(name="王大山")
    factories.MemberFactory(household=head.household, relation_to_head=Relation.SPOUSE)
    factories.MemberFactory(
        household=head.household,
        relation_to_head=Relation.SON,
        left_on=dt.date(2019, 1, 1),
        leave_reason=MemberLeaveReason.MOVED_OUT,
    )

    (row,) = listed(admin_client.get(HOUSEHOLDS))

    assert (row.head_name, row.member_count) == ("王大山", 2)


def test_member_list_masks_id_numbers(admin_client):
    member = factories.MemberFactory()

    html = admin_client.get(MEMBERS).content.decode()

    assert member.id_number not in html
    assert f"{member.id_number[:6]}********{member.id_number[-4:]}" in html


def test_member_change_page_shows_the_id_number_masked_with_a_reveal_button(admin_client):
    # given a member
    member = factories.MemberFactory()

    # when a user allowed to reveal opens the member's page
    html = admin_client.get(reverse("admin:households_member_change", args=[member.pk])).content

    # then the number is masked until revealed one record at a time
    page = html.decode()
    assert member.id_number not in page
    assert f"{member.id_number[:6]}********{member.id_number[-4:]}" in page
    assert "显示完整号码" in page


# Search


@pytest.fixture
def two_households(db):
    return (
        factories.MemberFactory(name="李秀英", household__household_number="130534000100001"),
        factories.MemberFactory(name="赵建国", household__household_number="130534000200002"),
    )


def test_household_search_by_household_number_prefix(admin_client, two_households):
    first, _second = two_households

    response = admin_client.get(HOUSEHOLDS, {"q": "1305340001"})

    assert listed(response) == [first.household]


def test_household_search_by_a_members_full_id_number(admin_client, two_households):
    _first, second = two_households
    spouse = factories.MemberFactory(household=second.household, relation_to_head=Relation.SPOUSE)

    response = admin_client.get(HOUSEHOLDS, {"q": spouse.id_number})

    assert listed(response) == [second.household]


def test_household_search_by_member_name(admin_client, two_households):
    first, _second = two_households

    response = admin_client.get(HOUSEHOLDS, {"q": "李秀"})

    assert listed(response) == [first.household]


def test_member_search_by_id_number_and_by_name(admin_client, two_households):
    first, second = two_households

    by_id = admin_client.get(MEMBERS, {"q": second.id_number.lower()})
    by_name = admin_client.get(MEMBERS, {"q": "李秀英"})

    assert (listed(by_id), listed(by_name)) == ([second], [first])


def test_income_list_searches_by_household_number(admin_client, two_households):
    first, second = two_households
    income = factories.YearlyIncomeFactory(household=first.household)
    factories.YearlyIncomeFactory(household=second.household)

    response = admin_client.get(INCOMES, {"q": first.household.household_number})

    assert listed(response) == [income]


# Filters


def test_household_list_filters_by_status_and_cause(admin_client):
    wanted = factories.HouseholdFactory(main_cause=Cause.DISABILITY)
    factories.HouseholdFactory(main_cause=Cause.ILLNESS)
    factories.HouseholdFactory(
        main_cause=Cause.DISABILITY,
        status=HouseholdStatus.EXITED,
        exit_year=2019,
    )

    response = admin_client.get(
        HOUSEHOLDS, {"status__exact": "not_exited", "main_cause__exact": "disability"}
    )

    assert listed(response) == [wanted]


def test_household_list_filters_by_township_and_village(admin_client):
    village = factories.VillageFactory()
    wanted = factories.HouseholdFactory(village=village)
    factories.HouseholdFactory(village__township=village.township)
    factories.HouseholdFactory()

    by_township = admin_client.get(HOUSEHOLDS, {"township": village.township_id})
    by_village = admin_client.get(
        HOUSEHOLDS, {"township": village.township_id, "village": village.pk}
    )

    assert (len(listed(by_township)), listed(by_village)) == (2, [wanted])


def test_village_filter_lists_villages_only_of_the_chosen_township(admin_client):
    chosen = factories.VillageFactory(name="东沟村")
    factories.VillageFactory(name="西沟村")

    before = admin_client.get(HOUSEHOLDS).content.decode()
    after = admin_client.get(HOUSEHOLDS, {"township": chosen.township_id}).content.decode()

    assert "东沟村" not in before
    assert "东沟村" in after and "西沟村" not in after


def test_choosing_another_township_drops_the_chosen_village(admin_client):
    village = factories.VillageFactory()
    other = factories.TownshipFactory()

    html = admin_client.get(
        HOUSEHOLDS, {"township": village.township_id, "village": village.pk}
    ).content.decode()

    assert f'href="?township={other.pk}"' in html


def test_member_list_filters_current_members(admin_client):
    current = factories.MemberFactory()
    factories.MemberFactory(left_on=dt.date(2020, 5, 1), leave_reason=MemberLeaveReason.DEATH)

    response = admin_client.get(MEMBERS, {"current": "yes"})

    assert listed(response) == [current]


# Query counts


def test_household_list_query_count_does_not_grow_with_rows(admin_client):
    factories.MemberFactory.create_batch(3)
    few = queries_to_get(admin_client, HOUSEHOLDS)
    factories.MemberFactory.create_batch(27)

    many = queries_to_get(admin_client, HOUSEHOLDS)

    assert many == few <= 6


def test_filtered_household_list_query_count_does_not_grow_with_rows(admin_client):
    village = factories.VillageFactory()
    url = f"{HOUSEHOLDS}?township={village.township_id}&village={village.pk}&q=1305"
    factories.MemberFactory.create_batch(3, household__village=village)
    few = queries_to_get(admin_client, url)
    factories.MemberFactory.create_batch(27, household__village=village)

    many = queries_to_get(admin_client, url)

    assert many == few <= 7


def test_member_list_query_count_does_not_grow_with_rows(admin_client):
    factories.MemberFactory.create_batch(3)
    few = queries_to_get(admin_client, MEMBERS)
    factories.MemberFactory.create_batch(27)

    many = queries_to_get(admin_client, MEMBERS)

    assert many == few <= 5


def test_income_list_query_count_does_not_grow_with_rows(admin_client):
    factories.YearlyIncomeFactory.create_batch(3)
    few = queries_to_get(admin_client, INCOMES)
    factories.YearlyIncomeFactory.create_batch(27)

    assert queries_to_get(admin_client, INCOMES) == few


def _fill_household_page(household, rows: int) -> None:
    """Rows of every inline on the household page, each with its foreign keys."""
    for _ in range(rows):
        cadre = factories.CadreFactory()
        factories.HelpMeasureFactory(
            household=household, responsible_cadre=cadre, helping_unit=cadre.unit
        )
        factories.PairingFactory(household=household, cadre=cadre)
        factories.VisitFactory(household=household, village=household.village, author=cadre)


def test_household_change_page_query_count_does_not_grow_with_inline_rows(admin_client):
    # given a household with two rows in each inline
    household = factories.MemberFactory().household
    url = reverse("admin:households_household_change", args=[household.pk])
    _fill_household_page(household, 2)
    queries_to_get(admin_client, url)  # the first request also loads content types
    few = queries_to_get(admin_client, url)

    # when it has ten
    _fill_household_page(household, 8)

    # then the page runs the same queries
    assert queries_to_get(admin_client, url) == few


# Computed income


def test_income_list_shows_computed_per_capita_income_and_the_years_line(admin_client):
    head = factories.MemberFactory()
    factories.MemberFactory(household=head.household, relation_to_head=Relation.SPOUSE)
    factories.YearlyIncomeFactory(household=head.household, year=2019, wage_income=Decimal("9000"))

    (row,) = listed(admin_client.get(INCOMES))

    assert (row.household_size, row.net_income_per_capita) == (2, Decimal("4500.00"))
    assert row.poverty_line_amount == Decimal("3218")  # the verified line beats an unconfirmed one


# Write rules


def test_status_changes_cannot_be_added_changed_or_deleted(admin_client):
    event = StatusChange.objects.create(
        household=factories.HouseholdFactory(),
        kind=StatusChangeKind.NEW_IDENTIFICATION,
        to_status=HouseholdStatus.NOT_EXITED,
        year=2014,
        effective_on=dt.date(2014, 10, 1),
        reason="建档立卡识别",
    )
    change = reverse("admin:households_statuschange_change", args=[event.pk])

    added = admin_client.get(reverse("admin:households_statuschange_add"))
    changed = admin_client.post(change, {"reason": "改写"})
    deleted = admin_client.post(reverse("admin:households_statuschange_delete", args=[event.pk]))

    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    event.refresh_from_db()
    assert event.reason == "建档立卡识别"


def test_household_status_is_not_editable_in_the_admin(admin_client):
    household = factories.MemberFactory().household
    url = reverse("admin:households_household_change", args=[household.pk])
    data = form_data(admin_client.get(url)) | {"status": "exited", "exit_year": "2019"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.status, household.exit_year) == (HouseholdStatus.NOT_EXITED, None)


def test_members_cannot_be_deleted(admin_client):
    member = factories.MemberFactory()

    response = admin_client.post(reverse("admin:households_member_delete", args=[member.pk]))
    html = admin_client.get(MEMBERS).content.decode()

    assert response.status_code == 403
    assert "delete_selected" not in html
    assert Member.objects.filter(pk=member.pk).exists()


def test_member_who_leaves_stays_and_gets_a_natural_decrease_event(admin_client):
    head = factories.MemberFactory()
    son = factories.MemberFactory(household=head.household, relation_to_head=Relation.SON)
    url = reverse("admin:households_member_change", args=[son.pk])
    data = form_data(admin_client.get(url)) | {"left_on": "2020-03-01", "leave_reason": "moved_out"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    son.refresh_from_db()
    assert (son.left_on, son.leave_reason) == (dt.date(2020, 3, 1), MemberLeaveReason.MOVED_OUT)
    event = StatusChange.objects.get(member=son)
    assert event.kind == StatusChangeKind.NATURAL_DECREASE


def test_head_cannot_leave_without_naming_a_new_head(admin_client):
    head = factories.MemberFactory()
    factories.MemberFactory(household=head.household, relation_to_head=Relation.SPOUSE)
    url = reverse("admin:households_member_change", args=[head.pk])
    data = form_data(admin_client.get(url)) | {"left_on": "2020-03-01", "leave_reason": "death"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "new_head" in response.context["adminform"].form.errors
    head.refresh_from_db()
    assert head.left_on is None
    assert not StatusChange.objects.exists()


def test_member_added_to_a_registered_household_is_a_natural_increase(admin_client):
    head = factories.MemberFactory()
    url = reverse("admin:households_household_change", args=[head.household.pk])
    data = form_data(admin_client.get(url))
    newborn = factories.MemberFactory.build(
        birth_date=dt.date(2020, 2, 2),
        relation_to_head=Relation.GRANDSON,
        male=True,
    )
    data |= {
        "members-TOTAL_FORMS": "2",
        "members-1-name": "王小宝",
        "members-1-id_number": newborn.id_number,
        "members-1-relation_to_head": "grandson",
        "members-1-sex": "male",
        "members-1-birth_date": "2020-02-02",
        "members-1-health": "healthy",
        "members-1-labour_skill": "none",
        "members-1-joined_on": "2020-02-02",
        "members-1-join_reason": MemberJoinReason.BIRTH,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302
    event = StatusChange.objects.get(member__name="王小宝")
    assert event.kind == StatusChangeKind.NATURAL_INCREASE
    assert event.effective_on == dt.date(2020, 2, 2)


def test_member_added_to_a_registered_household_needs_the_join_date(admin_client):
    household = factories.HouseholdFactory()
    newborn = factories.MemberFactory.build(birth_date=dt.date(2020, 2, 2))
    data = {
        "household": household.pk,
        "name": "王小宝",
        "id_number": newborn.id_number,
        "relation_to_head": "grandson",
        "sex": "male",
        "ethnicity": "汉族",
        "birth_date": "2020-02-02",
        "health": "healthy",
        "labour_skill": "none",
    }

    response = admin_client.post(reverse("admin:households_member_add"), data)

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"joined_on", "join_reason"}
    assert not Member.objects.filter(name="王小宝").exists()


# Import and export of the flat tables


def test_village_export_names_county_and_township_instead_of_ids(db):
    village = factories.VillageFactory(name="东沟村", township__name="城关镇")

    dataset = VillageResource().export()

    assert dataset.headers[:3] == ["县（市、区）", "乡（镇）", "行政村"]
    assert dataset[0][:3] == ("清河县", "城关镇", "东沟村")
    assert dataset[0][4] == "是"
    assert village.division_code in dataset[0]


def test_village_import_finds_the_township_by_name_within_its_county(db):
    ours = factories.TownshipFactory(name="城关镇")
    factories.TownshipFactory(name="城关镇", county__name="故城县", county__division_code="")
    dataset = tablib.Dataset(headers=["县（市、区）", "乡（镇）", "行政村", "贫困村"])
    dataset.append(["清河县", "城关镇", "新建村", "否"])

    result = VillageResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    village = Village.objects.get(name="新建村")
    assert (village.township, village.is_poor_village) == (ours, False)


def test_poverty_line_import_reads_the_basis_label(db):
    dataset = tablib.Dataset(headers=["年度", "适用省份", "口径", "标准（元/人·年）"])
    dataset.append([2021, "陕西省", "工作标准（用于脱贫）", "4500"])

    result = PovertyLineResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert PovertyLine.objects.get(year=2021, province="陕西省").basis == "operational"


def test_village_import_page_offers_a_preview(admin_client):
    response = admin_client.get(reverse("admin:households_village_import"))

    assert response.status_code == 200


def test_visit_added_on_the_household_page_is_filed_under_its_village(admin_client):
    household = factories.MemberFactory().household
    cadre = factories.CadreFactory()
    url = reverse("admin:households_household_change", args=[household.pk])
    data = form_data(admin_client.get(url)) | {
        "visits-TOTAL_FORMS": "1",
        "visits-0-visited_on": "2020-06-01",
        "visits-0-author": cadre.pk,
        "visits-0-kind": "home_visit",
        "visits-0-findings": "房屋漏雨",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert household.visits.get().village == household.village
