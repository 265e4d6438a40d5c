"""Inlines of the household page: profile, members, income, plans, measures, pairings, events
and visits."""

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet

from accounts.admin_scoping import ScopedAdminMixin
from cadres.models import Pairing, Visit
from households.admin.income import INCOME_FIELDSETS, IncomeFiguresMixin
from households.admin.member import MemberJoinForm
from households.models import (
    HelpMeasure,
    HelpPlan,
    HouseholdProfile,
    Member,
    StatusChange,
    YearlyIncome,
)

SHORT_TEXT = {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}


class HouseholdProfileInline(ScopedAdminMixin, admin.StackedInline):
    """家庭基本情况: one per household, filled in on the household's own page."""

    model = HouseholdProfile
    fieldsets = (
        (
            "土地（亩）",
            {
                "fields": (
                    ("cultivated_land", "irrigated_land", "forest_land", "returned_farmland"),
                    ("orchard_land", "grassland", "water_surface"),
                )
            },
        ),
        ("住房", {"fields": (("housing_area", "housing_grade"),)}),
        (
            "生活条件",
            {
                "fields": (
                    ("has_safe_water", "has_electricity", "has_tv", "has_sanitary_toilet"),
                    ("road_type", "main_fuel"),
                )
            },
        ),
        (
            "家庭类型",
            {
                "fields": (
                    ("is_military_family", "is_single_child", "is_two_daughters"),
                    ("is_relocated", "relocation_mode"),
                    "joined_cooperative",
                )
            },
        ),
    )
    extra = 1  # a household without a profile shows an empty one to fill in (at most one)
    can_delete = False


class MemberInline(ScopedAdminMixin, admin.TabularInline):
    model = Member
    form = MemberJoinForm
    fields = (
        "name",
        "id_number",
        "relation_to_head",
        "sex",
        "birth_date",
        "health",
        "labour_skill",
        "work_status",
        "joined_on",
        "join_reason",
        "left_on",
        "leave_reason",
    )
    # Leaving is an event with its own rules (a new head…): done on the member's page.
    readonly_fields = ("left_on", "leave_reason")
    extra = 0
    can_delete = False
    show_change_link = True


class YearlyIncomeInline(ScopedAdminMixin, IncomeFiguresMixin, admin.StackedInline):
    model = YearlyIncome
    fieldsets = INCOME_FIELDSETS
    readonly_fields = IncomeFiguresMixin.figures
    extra = 0

    def get_queryset(self, request):
        incomes = super().get_queryset(request).select_related("household")  # for each title
        return incomes.with_household_size().with_poverty_line()


class HelpPlanInline(ScopedAdminMixin, admin.TabularInline):
    """帮扶计划 by year, edited in place: plain fields, no per-row lookups."""

    model = HelpPlan
    fields = ("year", "goals", "planned_exit_year", "projects", "planned_funds", "deadline")
    formfield_overrides = {models.TextField: SHORT_TEXT}
    extra = 0
    show_change_link = True


class HelpMeasureInline(ScopedAdminMixin, admin.TabularInline):
    model = HelpMeasure
    fields = (
        "year",
        "category",
        "content",
        "status",
        "responsible_cadre",
        "helping_unit",
        "due_on",
        "completed_on",
        "result_income",
    )
    autocomplete_fields = ("responsible_cadre", "helping_unit")
    extra = 0
    show_change_link = True  # funds by source are on the measure's own page

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("household", "responsible_cadre__unit", "helping_unit")
        )

    # Existing rows are shown read-only and edited on their own page, new ones added here:
    # an autocomplete widget per existing row would cost a query each on a busy household.
    def has_change_permission(self, request, obj=None):
        return False


class PairingInline(ScopedAdminMixin, admin.TabularInline):
    """Pairings of the household: new ones are added here; one is ended on its own page, since a
    change of cadre is a new pairing, never an edit."""

    model = Pairing
    fields = ("cadre", "started_on", "ended_on", "end_reason")
    autocomplete_fields = ("cadre",)
    extra = 0
    can_delete = False  # history of who was responsible stays
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("household", "cadre__unit")

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(ScopedAdminMixin, admin.TabularInline):
    """动态调整 events, shown read-only: only the services in households.services write them."""

    model = StatusChange
    fields = (
        "effective_on",
        "kind",
        "member",
        "from_status",
        "to_status",
        "reason",
        "approved_by",
        "approved_on",
        "recorded_by",
    )
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "recorded_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VisitFormSet(BaseInlineFormSet):
    def save_new(self, form, commit=True):
        # A visit is filed under the village the household lives in on that day.
        form.instance.village_id = self.instance.village_id
        return super().save_new(form, commit)


class VisitInline(ScopedAdminMixin, admin.StackedInline):
    model = Visit
    formset = VisitFormSet
    fields = (
        ("visited_on", "author", "kind"),
        ("findings", "actions"),
        ("follow_up", "follow_up_due_on"),
    )
    autocomplete_fields = ("author",)
    formfield_overrides = {models.TextField: SHORT_TEXT}
    extra = 0
    can_delete = False  # a visit log is a record of what happened
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("household", "village", "author__unit")

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened: corrected on its own page, if at all
