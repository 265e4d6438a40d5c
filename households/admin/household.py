"""Admin of the registered household and its yearly 两不愁三保障 assessment."""

from django import forms
from django.contrib import admin

from households.admin.filters import (
    HouseholdTownshipFilter,
    HouseholdVillageFilter,
    TownshipFilter,
    UnmetNeedFilter,
    VillageFilter,
)
from households.admin.inlines import (
    HelpMeasureInline,
    MemberInline,
    PairingInline,
    StatusChangeInline,
    VisitInline,
    YearlyIncomeInline,
)
from households.admin.search import HELP_TEXT, HouseholdSearchMixin, household_matches
from households.choices import Cause
from households.masking import mask_phone
from households.models import BasicNeedsAssessment, Household, Member
from households.services import member_add


class HouseholdForm(forms.ModelForm):
    """其他致贫原因 as ticks rather than the JSON list the field stores."""

    other_causes = forms.MultipleChoiceField(
        label="其他致贫原因",
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    form = HouseholdForm
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
        (
            "识别",
            {
                "fields": (
                    ("identification_standard", "identified_year"),
                    ("poverty_attribute", "main_cause"),
                    "other_causes",
                    "situation",
                )
            },
        ),
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
    inlines = (
        MemberInline,
        YearlyIncomeInline,
        HelpMeasureInline,
        PairingInline,
        StatusChangeInline,
        VisitInline,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_head().with_member_count()

    def get_search_results(self, request, queryset, search_term):
        return household_matches(queryset, search_term), False

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
class BasicNeedsAssessmentAdmin(HouseholdSearchMixin, admin.ModelAdmin):
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
