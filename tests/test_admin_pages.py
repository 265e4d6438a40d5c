"""Every registered admin model renders its list, add and change pages for a superuser."""

import datetime as dt
import re
from decimal import Decimal

import factory
import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import Group
from django.forms import HiddenInput, ModelChoiceField
from django.urls import reverse

from cadres import models as cadres
from cadres.choices import Rank
from households import models as hh
from households.choices import FundSource, StatusChangeKind
from inspections import models as insp
from tests import factories
from tests.accounts import factories as accounts_factories
from tests.audit import factories as audit_factories


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"乡镇录入员{n}")


class TaskResultFactory(factory.django.DjangoModelFactory):
    """A queued background task, as the registry import leaves one (django-tasks-db's admin)."""

    class Meta:
        model = "django_tasks_database.DBTaskResult"

    args_kwargs = factory.LazyFunction(lambda: {"args": [1], "kwargs": {}})
    task_path = "households.tasks.preview_registry_import"
    queue_name = "default"
    backend_name = "default"
    run_after = factory.LazyFunction(lambda: dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    exception_class_path = ""
    traceback = ""


class MeasureFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.MeasureFunding

    measure = factory.SubFactory(factories.HelpMeasureFactory)
    source = FundSource.FISCAL
    amount = Decimal("5000")


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.StatusChange

    household = factory.SubFactory(factories.HouseholdFactory)
    kind = StatusChangeKind.NEW_IDENTIFICATION
    to_status = "not_exited"
    year = 2014
    effective_on = dt.date(2014, 10, 1)
    reason = "建档立卡识别"


class BasicNeedsAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = hh.BasicNeedsAssessment

    household = factory.SubFactory(factories.HouseholdFactory)
    year = 2019


class QuotaRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.QuotaRule

    rank = Rank.STAFF
    min_households = 6
    # Past the seeded defaults of 2016-01-01.
    effective_from = factory.Sequence(lambda n: dt.date(2021, 1, 1) + dt.timedelta(days=n))


class WorkTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cadres.WorkTeamMember

    team = factory.SubFactory(factories.WorkTeamFactory)
    cadre = factory.SubFactory(factories.CadreFactory)
    started_on = dt.date(2018, 1, 1)


class AdmonitoryTalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = insp.AdmonitoryTalk

    talked_on = dt.date(2019, 8, 1)
    person = "王某，村支书"
    conducted_by = "县扶贫办"
    reason = "整改逾期"


class QuarterlyRankingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = insp.QuarterlyRanking

    posting = factory.SubFactory(factories.FirstSecretaryPostingFactory)
    year = 2019
    quarter = 2
    score = Decimal("92.5")
    rank = 3


FACTORIES = {
    "auth.Group": GroupFactory,
    "django_tasks_database.DBTaskResult": TaskResultFactory,
    "auth.User": factories.UserFactory,
    "households.County": factories.CountyFactory,
    "households.Township": factories.TownshipFactory,
    "households.Village": factories.VillageFactory,
    "households.Household": factories.HouseholdFactory,
    "households.Member": factories.MemberFactory,
    "households.YearlyIncome": factories.YearlyIncomeFactory,
    "households.PovertyLine": factories.PovertyLineFactory,
    "households.HelpMeasure": factories.HelpMeasureFactory,
    "households.HelpPlan": factories.HelpPlanFactory,
    "households.MeasureFunding": MeasureFundingFactory,
    "households.StatusChange": StatusChangeFactory,
    "households.BasicNeedsAssessment": BasicNeedsAssessmentFactory,
    "cadres.HelpingUnit": factories.HelpingUnitFactory,
    "cadres.Cadre": factories.CadreFactory,
    "cadres.Pairing": factories.PairingFactory,
    "cadres.QuotaRule": QuotaRuleFactory,
    "cadres.WorkTeam": factories.WorkTeamFactory,
    "cadres.WorkTeamMember": WorkTeamMemberFactory,
    "cadres.FirstSecretaryPosting": factories.FirstSecretaryPostingFactory,
    "cadres.Visit": factories.VisitFactory,
    "inspections.Inspection": factories.InspectionFactory,
    "inspections.ChecklistResult": factories.ChecklistResultFactory,
    "inspections.Finding": factories.FindingFactory,
    "inspections.Rectification": factories.RectificationFactory,
    "inspections.AdmonitoryTalk": AdmonitoryTalkFactory,
    "inspections.QuarterlyRanking": QuarterlyRankingFactory,
    "inspections.AnnualAssessment": factories.AnnualAssessmentFactory,
    **accounts_factories.ADMIN_FACTORIES,
    **audit_factories.ADMIN_FACTORIES,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
OURS = [
    model
    for model in REGISTERED
    if model._meta.app_label in {"households", "cadres", "inspections"}
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture(autouse=True)
def database_task_backend(settings):
    # The task results' admin resolves each task through its backend, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def make_one(model):
    label = model._meta.label
    assert label in FACTORIES, f"add a factory for {label} to tests/test_admin_pages.py"
    return FACTORIES[label]()


@pytest.fixture
def rich_data(db):
    """A member with income, a measure, a pairing, an event and a visit: inlines show rows."""
    member = factories.MemberFactory()
    household = member.household
    factories.YearlyIncomeFactory(household=household)
    factories.PovertyLineFactory()
    MeasureFundingFactory(measure=factories.HelpMeasureFactory(household=household))
    factories.HouseholdProfileFactory(household=household)
    factories.HelpPlanFactory(household=household)
    factories.PairingFactory(household=household)
    StatusChangeFactory(household=household)
    factories.VisitFactory(household=household)
    return household


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_renders(admin_client, rich_data, model):
    make_one(model)

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_search_renders(admin_client, rich_data, model):
    make_one(model)

    response = admin_client.get(admin_url(model, "changelist"), {"q": "1305"})

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_add_page_renders_unless_adding_is_forbidden(admin_client, rich_data, admin_user, model):
    model_admin = admin.site._registry[model]
    request = type("Request", (), {"user": admin_user})()
    expected = 200 if model_admin.has_add_permission(request) else 403

    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == expected


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_change_page_renders(admin_client, rich_data, model):
    obj = make_one(model)

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200


def test_household_change_page_renders_every_inline_with_rows(admin_client, rich_data):
    response = admin_client.get(admin_url(hh.Household, "change", rich_data.pk))

    assert response.status_code == 200
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert {formset.model for formset in formsets} == {
        hh.HouseholdProfile,
        hh.Member,
        hh.YearlyIncome,
        hh.HelpPlan,
        hh.HelpMeasure,
        cadres.Pairing,
        hh.StatusChange,
        cadres.Visit,
    }
    assert all(len(formset.forms) == 1 for formset in formsets)


def test_admin_index_is_titled_in_chinese(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert "精准扶贫业务管理平台" in response.content.decode()


@pytest.mark.parametrize("model", OURS, ids=lambda model: model._meta.label)
def test_list_columns_are_labelled_in_chinese(admin_client, model):
    # given a row of the model
    make_one(model)

    # when its list is opened
    response = admin_client.get(admin_url(model, "changelist"))

    # then no column header falls back to an English field path
    cl = response.context["cl"]
    columns = [name for name in cl.list_display if name != "action_checkbox"]
    headers = [str(label_for_field(name, cl.model, cl.model_admin)) for name in columns]
    assert not [text for text in headers if re.search("[A-Za-z]", text)]


# Selects whose choices are few by construction, not a table's every row.
BOUNDED_CHOICES = {"new_head"}  # the leaving head's own household members


@pytest.mark.parametrize("model", OURS, ids=lambda model: model._meta.label)
def test_no_foreign_key_is_a_select_of_every_row(admin_client, model):
    # when the add page, with its inlines, is opened
    response = admin_client.get(admin_url(model, "add"))
    if response.status_code == 403:
        return  # rows of this model are written by services, never added here

    # then every choice of a related row is an autocomplete
    forms = [response.context["adminform"].form] + [
        inline.formset.empty_form for inline in response.context["inline_admin_formsets"]
    ]
    related = [
        (name, getattr(field.widget, "widget", field.widget))
        for form in forms
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    ]
    plain = [
        name
        for name, widget in related
        if not isinstance(widget, AutocompleteSelect | HiddenInput)  # hidden: an inline's own id
        and name not in BOUNDED_CHOICES
    ]
    assert plain == []
