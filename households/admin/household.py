"""Admin of the registered household and its yearly 两不愁三保障 assessment."""

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets

from accounts.admin_scoping import ScopedAdminMixin
from audit.history import HouseholdHistoryMixin
from households.admin.filters import (
    HouseholdTownshipFilter,
    HouseholdVillageFilter,
    TownshipFilter,
    UnmetNeedFilter,
    VillageFilter,
)
from households.admin.inlines import (
    HelpMeasureInline,
    HelpPlanInline,
    HouseholdProfileInline,
    MemberInline,
    PairingInline,
    StatusChangeInline,
    VisitInline,
    YearlyIncomeInline,
)
from households.admin.search import HELP_TEXT, HouseholdSearchMixin, household_matches
from households.admin.status_actions import StatusActionsMixin
from households.admin.versioning import VersionCheckMixin, VersionedForm
from households.choices import Cause
from households.masking import mask_labelled, mask_phone
from households.models import BasicNeedsAssessment, BatchHousehold, Household, Member
from households.services import household_register, identification_date_problem, member_add


class HouseholdForm(VersionedForm):
    """其他致贫原因 as ticks rather than the JSON list the field stores."""

    other_causes = forms.MultipleChoiceField(
        label="其他致贫原因",
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class HouseholdAddForm(HouseholdForm):
    """A new household is a 新识别: the date it was entered goes into that event."""

    version = opened_values = None  # a new household starts at version 1
    identified_on = forms.DateField(
        label="识别日期",
        widget=widgets.AdminDateWidget,
        help_text="建档立卡（新识别）的日期，应在识别年度内；记入动态调整",
    )

    def clean(self):
        cleaned = super().clean()
        year, identified_on = cleaned.get("identified_year"), cleaned.get("identified_on")
        if year and identified_on:
            problem = identification_date_problem(identified_year=year, identified_on=identified_on)
            if problem:
                self.add_error("identified_on", problem)
        return cleaned


def masked_changes(batches) -> list[BatchHousehold]:
    """Import batches with the ID numbers and phones in their change lists masked."""
    batches = list(batches)
    for touched in batches:
        touched.changes = [
            {
                **c,
                "old": mask_labelled(c["label"], c["old"]),
                "new": mask_labelled(c["label"], c["new"]),
            }
            for c in touched.changes
        ]
    return batches


IDENTIFIED = ("identification_standard", "identified_year")
ATTRIBUTES = (("poverty_attribute", "main_cause"), "other_causes", "situation")


@admin.register(Household)
class HouseholdAdmin(
    ScopedAdminMixin,
    VersionCheckMixin,
    HouseholdHistoryMixin,
    StatusActionsMixin,
    admin.ModelAdmin,
):
    form = HouseholdForm
    add_form = HouseholdAddForm
    list_display = (
        "household_number",
        "head_name",
        "township",
        "village_name",
        "member_count",
        "poverty_attribute",
        "main_cause",
        "status",
        "identified_year",
        "exit_year",
        "masked_phone",
    )
    list_filter = (
        TownshipFilter,
        VillageFilter,
        "status",
        "main_cause",
        "poverty_attribute",
        "identified_year",
        "identification_standard",
    )
    list_select_related = ("village__township",)
    list_per_page = 50
    show_full_result_count = False
    # Non-empty so that the search box (and other models' autocomplete) work; matching is
    # get_search_results'.
    search_fields = ("household_number",)
    search_help_text = HELP_TEXT
    autocomplete_fields = ("village",)
    # 户状态 and its years follow the 动态调整 events written by households.services.
    readonly_fields = ("status", "exit_year", "return_year", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("household_number", "village", "hamlet", "address", "phone")}),
        ("识别", {"fields": (IDENTIFIED, *ATTRIBUTES)}),
        (
            "户状态（由动态调整变更）",
            {
                "fields": (
                    ("status", "exit_year", "return_year"),
                    "keeps_policies",
                )
            },
        ),
        ("记录", {"fields": (("created_at", "updated_at"),)}),
    )
    # A new household starts 未脱贫, so its add page asks for the 新识别 instead of a status.
    add_fieldsets = (
        fieldsets[0],
        (
            "识别（新识别建档）",
            {"fields": ((*IDENTIFIED, "identified_on"), *ATTRIBUTES, "keeps_policies")},
        ),
    )
    inlines = (
        HouseholdProfileInline,
        MemberInline,
        YearlyIncomeInline,
        HelpPlanInline,
        HelpMeasureInline,
        PairingInline,
        StatusChangeInline,
        VisitInline,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_head().with_member_count()

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs.setdefault("form", self.add_form)
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # Inside changeform_view's transaction: the household and its 新识别 stand or fall together.
        household_register(
            household=obj,
            identified_on=form.cleaned_data["identified_on"],
            reason="新识别建档",
            recorded_by=request.user,
        )

    def get_search_results(self, request, queryset, search_term):
        return household_matches(queryset, search_term), False

    def lookup_allowed(self, lookup, value, request):
        # The result page of an import links to the households it wrote: ?import_batches__batch=.
        return lookup == "import_batches__batch" or super().lookup_allowed(lookup, value, request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The page lists the import batches that created or changed the household.
            context["import_batches"] = masked_changes(
                BatchHousehold.objects.filter(household=obj)
                .select_related("batch__created_by")
                .defer("batch__plan", "batch__errors", "batch__warnings", "batch__summary")
                .order_by("-batch__created_at", "-batch_id")
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="户主姓名")
    def head_name(self, obj: Household) -> str:
        return obj.head_name or ""

    @admin.display(description="乡（镇）", ordering="village__township__name")
    def township(self, obj: Household) -> str:
        return obj.village.township.name

    @admin.display(description="行政村", ordering="village__name")
    def village_name(self, obj: Household) -> str:
        return obj.village.name

    @admin.display(description="家庭人口数")
    def member_count(self, obj: Household) -> int:
        return obj.member_count

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Household) -> str:
        return mask_phone(obj.phone)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Member or not change:
            return super().save_formset(request, form, formset, change)
        # A newcomer to a registered household is a 自然增加 event, written by the service.
        formset.save(commit=False)
        for member, changed in formset.changed_objects:
            member.save(update_fields=changed)
        for member in formset.new_objects:
            member_add(
                member=member,
                joined_on=member.joined_on,
                reason=member.get_join_reason_display(),
                recorded_by=request.user,
            )


@admin.register(BasicNeedsAssessment)
class BasicNeedsAssessmentAdmin(ScopedAdminMixin, HouseholdSearchMixin, admin.ModelAdmin):
    list_display = ("household", "year", *BasicNeedsAssessment.ITEMS, "all_met", "assessed_on")
    list_filter = (HouseholdTownshipFilter, HouseholdVillageFilter, "year", UnmetNeedFilter)
    list_select_related = ("household",)
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ("household",)
    readonly_fields = ("recorded_by",)
    fields = (
        ("household", "year"),
        BasicNeedsAssessment.ITEMS[:2],
        BasicNeedsAssessment.ITEMS[2:],
        "notes",
        ("assessed_on", "assessor"),
        "recorded_by",
    )

    @admin.display(description="全部达标", boolean=True)
    def all_met(self, obj: BasicNeedsAssessment) -> bool:
        return obj.all_met

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
