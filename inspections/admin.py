"""Admin of inspections (督查), findings, rectifications (整改), talks, rankings and assessments."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from accounts.admin_scoping import ScopedAdminMixin
from cadres.admin import FastListAdmin, TownshipFilter
from inspections import selectors
from inspections.models import (
    AdmonitoryTalk,
    AnnualAssessment,
    ChecklistResult,
    Finding,
    Inspection,
    QuarterlyRanking,
    Rectification,
)

# An inspection's target is a township, a village or a first secretary's posting.
TARGET_TOWNSHIP_PATHS = ("township", "village__township", "first_secretary__village__township")
# What an inspection prints as its target (see `Inspection.__str__`).
INSPECTION_TARGET_RELATED = [
    "township",
    "village__township",
    "first_secretary__cadre",
    "first_secretary__village",
]


class InspectionTownshipFilter(TownshipFilter):
    paths = TARGET_TOWNSHIP_PATHS


class FindingTownshipFilter(TownshipFilter):
    paths = tuple(f"inspection__{path}" for path in TARGET_TOWNSHIP_PATHS)


class RectificationTownshipFilter(TownshipFilter):
    paths = tuple(f"finding__inspection__{path}" for path in TARGET_TOWNSHIP_PATHS)


class PostingTownshipFilter(TownshipFilter):
    paths = ("posting__village__township",)


class OverdueFilter(admin.SimpleListFilter):
    title = "逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "已逾期"), ("no", "未逾期")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=Rectification.objects.overdue().values("pk"))
        return queryset


class ChecklistResultInline(ScopedAdminMixin, admin.TabularInline):
    model = ChecklistResult
    extra = 0


class FindingInline(ScopedAdminMixin, admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["item", "description", "household", "cadre"]
    autocomplete_fields = ["household", "cadre"]
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Inspection)
class InspectionAdmin(FastListAdmin):
    inlines = [ChecklistResultInline, FindingInline]
    list_display = [
        "inspected_on",
        "kind",
        "target",
        "inspectors",
        "finding_count",
        "open_rectification_count",
    ]
    list_select_related = INSPECTION_TARGET_RELATED
    list_filter = ["kind", InspectionTownshipFilter]
    date_hierarchy = "inspected_on"
    search_fields = ["inspectors", "lead_unit", "village__name", "township__name"]
    autocomplete_fields = ["township", "village", "first_secretary"]
    readonly_fields = ["recorded_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return selectors.inspections_with_counts(super().get_queryset(request))

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="督查对象")
    def target(self, obj: Inspection) -> str:
        return str(obj.village or obj.township or obj.first_secretary)

    @admin.display(description="问题数", ordering="finding_count")
    def finding_count(self, obj: Inspection) -> int:
        return obj.finding_count

    @admin.display(description="未销号整改", ordering="open_rectification_count")
    def open_rectification_count(self, obj: Inspection) -> int:
        return obj.open_rectification_count


class RectificationInline(ScopedAdminMixin, admin.StackedInline):
    model = Rectification
    extra = 0


@admin.register(Finding)
class FindingAdmin(FastListAdmin):
    inlines = [RectificationInline]
    list_display = [
        "summary",
        "inspected_on",
        "item",
        "household",
        "cadre",
        "rectification_status",
        "rectification_deadline",
    ]
    list_select_related = ["inspection", "household", "cadre", "rectification"]
    list_filter = ["item", "inspection__kind", "rectification__status", FindingTownshipFilter]
    search_fields = ["description", "^household__household_number", "cadre__name"]
    autocomplete_fields = ["inspection", "household", "cadre"]

    @admin.display(description="问题描述")
    def summary(self, obj: Finding) -> str:
        return str(obj)

    @admin.display(description="督查日期", ordering="inspection__inspected_on")
    def inspected_on(self, obj: Finding) -> dt.date:
        return obj.inspection.inspected_on

    @admin.display(description="整改状态", ordering="rectification__status")
    def rectification_status(self, obj: Finding) -> str:
        rectification = getattr(obj, "rectification", None)
        return rectification.get_status_display() if rectification else "未交办"

    @admin.display(description="整改期限", ordering="rectification__deadline")
    def rectification_deadline(self, obj: Finding) -> dt.date | None:
        rectification = getattr(obj, "rectification", None)
        return rectification.deadline if rectification else None


@admin.register(Rectification)
class RectificationAdmin(FastListAdmin):
    list_display = [
        "finding",
        "owner",
        "owner_unit",
        "deadline",
        "status",
        "is_overdue",
        "closed_on",
    ]
    list_select_related = ["finding"]
    list_filter = ["status", OverdueFilter, RectificationTownshipFilter]
    date_hierarchy = "deadline"
    search_fields = ["owner", "owner_unit", "finding__description"]
    autocomplete_fields = ["finding"]

    @admin.display(description="逾期")
    def is_overdue(self, obj: Rectification) -> str:
        # Words, not the boolean icons: a green tick on an overdue item reads as "fine".
        if not obj.is_overdue():
            return ""
        return format_html('<strong style="color:#b02a37">{}</strong>', "已逾期")


@admin.register(AdmonitoryTalk)
class AdmonitoryTalkAdmin(FastListAdmin):
    list_display = ["talked_on", "person", "cadre", "conducted_by", "finding"]
    list_select_related = ["cadre", "finding"]
    date_hierarchy = "talked_on"
    search_fields = ["person", "cadre__name", "reason"]
    autocomplete_fields = ["cadre", "finding"]


POSTING_RELATED = ["posting__cadre", "posting__village__township"]


@admin.register(QuarterlyRanking)
class QuarterlyRankingAdmin(FastListAdmin):
    list_display = ["posting", "year", "quarter", "score", "rank", "tier"]
    list_select_related = POSTING_RELATED
    list_filter = ["year", "quarter", PostingTownshipFilter]
    search_fields = ["posting__cadre__name", "posting__village__name"]
    autocomplete_fields = ["posting"]


@admin.register(AnnualAssessment)
class AnnualAssessmentAdmin(FastListAdmin):
    list_display = ["posting", "year", "grade", "days_in_village"]
    list_select_related = POSTING_RELATED
    list_filter = ["year", "grade", PostingTownshipFilter]
    search_fields = ["posting__cadre__name", "posting__village__name"]
    autocomplete_fields = ["posting"]
