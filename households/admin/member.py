"""Admin of household members: listed masked, never deleted, leaving and joining as events."""

from django import forms
from django.contrib import admin

from accounts.admin_scoping import ScopedAdminMixin
from households.admin.filters import (
    CurrentMemberFilter,
    HouseholdTownshipFilter,
    HouseholdVillageFilter,
)
from households.admin.search import HELP_TEXT, member_matches
from households.admin.versioning import BumpsHouseholdVersionMixin
from households.masking import mask_id_number
from households.models import Member
from households.services import member_add, member_mark_left


class MemberJoinForm(forms.ModelForm):
    """A newcomer to a registered household is a 自然增加: its date and reason are required."""

    def clean(self):
        cleaned = super().clean()
        household = cleaned.get("household")
        joins = self.instance.pk is None and household is not None and household.pk is not None
        for name in ("joined_on", "join_reason"):
            if joins and name in self.fields and not cleaned.get(name):
                self.add_error(name, "已建档贫困户新增成员须填写加入日期和加入原因（自然增加）")
        return cleaned


class MemberForm(MemberJoinForm):
    """The member page: a head who leaves names the member who takes over."""

    new_head = forms.ModelChoiceField(
        Member.objects.none(),
        required=False,
        label="新户主",
        help_text="户主减少而户内仍有其他在册成员时必选",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "new_head" in self.fields:
            self.fields["new_head"].queryset = self._other_current_members()

    def _other_current_members(self):
        members = Member.objects.current().filter(household_id=self.instance.household_id)
        return members.exclude(pk=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        leaving = self.instance.pk and self.instance.left_on is None and cleaned.get("left_on")
        if leaving and self.instance.is_head and not cleaned.get("new_head"):
            if self._other_current_members().exists():
                self.add_error("new_head", "户主减少时须指定本户其他在册成员为新户主")
        return cleaned


PERSON = (
    "household",
    "name",
    "id_number",
    "relation_to_head",
    ("sex", "ethnicity", "birth_date"),
)
SCHOOL_AND_HEALTH = (
    ("education", "student_status"),
    "health",
    "disability_card_number",
    ("has_medical_insurance", "has_pension_insurance", "has_serious_illness_insurance"),
    "receives_minimum_living",
)
WORK = ("labour_skill", ("work_status", "work_months"), "months_at_home")


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, BumpsHouseholdVersionMixin, admin.ModelAdmin):
    form = MemberForm
    list_display = (
        "name",
        "household",
        "relation_to_head",
        "sex",
        "birth_date",
        "masked_id_number",
        "health",
        "labour_skill",
        "is_current",
    )
    list_filter = (
        HouseholdTownshipFilter,
        HouseholdVillageFilter,
        "health",
        "labour_skill",
        "relation_to_head",
        "sex",
        CurrentMemberFilter,
    )
    list_select_related = ("household",)
    list_per_page = 50
    show_full_result_count = False
    # Non-empty so that the search box shows; matching is get_search_results'.
    search_fields = ("name", "id_number")
    search_help_text = HELP_TEXT
    autocomplete_fields = ("household",)

    def get_search_results(self, request, queryset, search_term):
        return member_matches(queryset, search_term), False

    @admin.display(description="证件号码")
    def masked_id_number(self, obj: Member) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description="在册", boolean=True)
    def is_current(self, obj: Member) -> bool:
        return obj.is_current

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": PERSON}),
            ("教育与健康", {"fields": SCHOOL_AND_HEALTH}),
            ("劳动与务工", {"fields": WORK}),
            ("加入（自然增加）", {"fields": (("joined_on", "join_reason"),)}),
        ]
        if obj is not None:
            leave = ("left_on", "leave_reason") + (("new_head",) if obj.is_current else ())
            fieldsets.append(("减少（自然减少）", {"fields": leave}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # A member who left stays left: a return is a new member record.
        if obj is not None and not obj.is_current:
            return ("household", "left_on", "leave_reason")
        return ("household",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Members are never deleted: the registry keeps everyone who ever belonged.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            member_add(
                member=obj,
                joined_on=obj.joined_on,
                reason=obj.get_join_reason_display(),
                recorded_by=request.user,
            )
        elif "left_on" in form.changed_data and obj.left_on:
            self._save_leaving(request, obj, form)
        else:
            super().save_model(request, obj, form, change)

    def _save_leaving(self, request, obj, form):
        # Save the other edits first; the service then writes the leaving and its event.
        left_on, leave_reason = obj.left_on, obj.leave_reason
        obj.left_on, obj.leave_reason = None, ""
        obj.save()
        member_mark_left(
            member=obj,
            left_on=left_on,
            leave_reason=leave_reason,
            new_head=form.cleaned_data.get("new_head"),
            recorded_by=request.user,
        )
