"""Admin of helping units, cadres, pairings, quotas, work teams, first secretaries and visits.

County tables are large (~1,500 cadres, ~17,000 pairings), so every list joins what it shows
(`list_select_related`), counts with annotations, and skips the unfiltered total count.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from import_export.admin import ImportExportModelAdmin

from accounts.admin_import_export import ScopedImportExportMixin
from accounts.admin_scoping import ScopedAdminMixin, choosable
from cadres import selectors
from cadres.models import (
    Cadre,
    FirstSecretaryPosting,
    HelpingUnit,
    Pairing,
    QuotaRule,
    Visit,
    WorkTeam,
    WorkTeamMember,
)
from cadres.resources import CadreResource, HelpingUnitResource, PairingResource
from households.masking import mask_phone
from households.models import Township


class FastListAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Lists without a second COUNT(*) of the whole table, and with their joins on every page."""

    show_full_result_count = False
    list_per_page = 50
    list_select_related: list[str] = []

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Django drops `list_select_related` once the queryset selects anything, and change and
        # autocomplete pages print the same related rows (`__str__`), so join them here for all.
        queryset = super().get_queryset(request)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class CurrentFilter(admin.SimpleListFilter):
    """Current (no end date) or ended rows of a dated model: pairings, postings, teams."""

    title = "是否当前"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "当前"), ("no", "已结束")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class TownshipFilter(admin.SimpleListFilter):
    """乡镇 over several paths at once (an inspection targets a township, village or posting)."""

    title = "乡（镇）"
    parameter_name = "township"
    paths: tuple[str, ...] = ()

    def lookups(self, request, model_admin):
        return list(choosable(Township.objects.all(), request.user).values_list("pk", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        matches = Q()
        for path in self.paths:
            matches |= Q(**{path: self.value()})
        return queryset.filter(matches)


class UnderQuotaFilter(admin.SimpleListFilter):
    """包户数未达标: cadres in post helping fewer households than their rank's current rule."""

    title = "包户数未达标"
    parameter_name = "under_quota"

    def lookups(self, request, model_admin):
        return [("yes", "未达标"), ("no", "已达标")]

    def queryset(self, request, queryset):
        # The queryset arrives annotated by `selectors.cadres_with_quota`.
        if self.value() == "yes":
            return queryset.filter(is_under_quota=True)
        if self.value() == "no":
            return queryset.filter(
                is_active=True, household_quota__isnull=False, is_under_quota=False
            )
        return queryset


@admin.register(HelpingUnit)
class HelpingUnitAdmin(ScopedImportExportMixin, ImportExportModelAdmin, FastListAdmin):
    resource_classes = [HelpingUnitResource]
    list_display = [
        "name",
        "affiliation",
        "enterprise_class",
        "contact_person",
        "masked_phone",
        "cadre_count",
    ]
    list_filter = ["affiliation", "enterprise_class"]
    search_fields = ["name", "contact_person"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(cadre_count=Count("cadres"))

    @admin.display(description="联系电话")
    def masked_phone(self, obj: HelpingUnit) -> str:
        return mask_phone(obj.contact_phone)

    @admin.display(description="干部数", ordering="cadre_count")
    def cadre_count(self, obj: HelpingUnit) -> int:
        return obj.cadre_count


@admin.register(Cadre)
class CadreAdmin(ScopedImportExportMixin, ImportExportModelAdmin, FastListAdmin):
    resource_classes = [CadreResource]
    list_display = [
        "name",
        "unit",
        "rank",
        "post",
        "masked_phone",
        "current_pairings",
        "household_quota",
        "meets_quota",
        "is_active",
    ]
    list_select_related = ["unit"]
    list_filter = ["rank", "unit__affiliation", "is_active", UnderQuotaFilter]
    search_fields = ["name", "unit__name", "phone"]
    autocomplete_fields = ["unit", "user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return selectors.cadres_with_quota(super().get_queryset(request))

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Cadre) -> str:
        return mask_phone(obj.phone)

    @admin.display(description="当前包户数", ordering="current_pairings")
    def current_pairings(self, obj: Cadre) -> int:
        return obj.current_pairings

    @admin.display(description="应包户数", ordering="household_quota")
    def household_quota(self, obj: Cadre) -> int | None:
        return obj.household_quota

    @admin.display(description="包户数达标", boolean=True, ordering="is_under_quota")
    def meets_quota(self, obj: Cadre) -> bool | None:
        # A green tick reads as "fine"; a rank without a rule shows as unknown.
        if obj.household_quota is None:
            return None
        return not obj.is_under_quota


class PairingForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        # On change the start date is read-only, so it is on the instance, not in the form.
        started = cleaned.get("started_on") or self.instance.started_on
        ended = cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "解除日期不能早于结对日期")
        return cleaned


@admin.register(Pairing)
class PairingAdmin(ScopedImportExportMixin, ImportExportModelAdmin, FastListAdmin):
    """A change of responsible cadre is a new pairing, so a saved pairing can only be ended."""

    resource_classes = [PairingResource]
    form = PairingForm
    list_display = [
        "cadre",
        "cadre_unit",
        "household",
        "village",
        "started_on",
        "ended_on",
        "is_current",
    ]
    list_select_related = ["cadre__unit", "household__village__township"]
    list_filter = [CurrentFilter, "household__village__township", "cadre__rank"]
    search_fields = ["cadre__name", "^household__household_number"]
    autocomplete_fields = ["cadre", "household"]

    def get_readonly_fields(self, request: HttpRequest, obj: Pairing | None = None) -> list[str]:
        return ["cadre", "household", "started_on"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Pairing | None = None) -> bool:
        # Deleting and re-adding would be an edit by another route; a wrong pairing is ended
        # (解除原因：录入错误) so the record of who was responsible stays.
        return False

    @admin.display(description="所在单位", ordering="cadre__unit__name")
    def cadre_unit(self, obj: Pairing) -> HelpingUnit:
        return obj.cadre.unit

    @admin.display(description="行政村", ordering="household__village__name")
    def village(self, obj: Pairing) -> str:
        return str(obj.household.village)

    @admin.display(description="当前结对", boolean=True, ordering="ended_on")
    def is_current(self, obj: Pairing) -> bool:
        return obj.ended_on is None


@admin.register(QuotaRule)
class QuotaRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "rank",
        "enterprise_class",
        "min_households",
        "max_households",
        "effective_from",
        "note",
    ]
    list_filter = ["rank"]


class WorkTeamMemberInline(ScopedAdminMixin, admin.TabularInline):
    model = WorkTeamMember
    extra = 0
    autocomplete_fields = ["cadre"]


@admin.register(WorkTeam)
class WorkTeamAdmin(FastListAdmin):
    inlines = [WorkTeamMemberInline]
    list_display = [
        "name",
        "village",
        "dispatching_unit",
        "started_on",
        "ended_on",
        "member_count",
    ]
    list_select_related = ["village__township", "dispatching_unit"]
    list_filter = [CurrentFilter, "village__township"]
    search_fields = ["name", "village__name", "dispatching_unit__name"]
    autocomplete_fields = ["village", "dispatching_unit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        current = Q(members__ended_on__isnull=True)
        return super().get_queryset(request).annotate(member_count=Count("members", filter=current))

    @admin.display(description="在队人数", ordering="member_count")
    def member_count(self, obj: WorkTeam) -> int:
        return obj.member_count


@admin.register(FirstSecretaryPosting)
class FirstSecretaryPostingAdmin(FastListAdmin):
    list_display = [
        "cadre",
        "township",
        "village_name",
        "dispatch_level",
        "dispatching_unit",
        "term",
        "is_current",
    ]
    list_select_related = ["cadre", "village__township", "dispatching_unit"]
    list_filter = ["dispatch_level", "village__township", CurrentFilter]
    search_fields = ["cadre__name", "village__name", "dispatching_unit__name"]
    autocomplete_fields = ["cadre", "village", "dispatching_unit"]

    @admin.display(description="乡（镇）", ordering="village__township__name")
    def township(self, obj: FirstSecretaryPosting) -> Township:
        return obj.village.township

    @admin.display(description="驻村", ordering="village__name")
    def village_name(self, obj: FirstSecretaryPosting) -> str:
        return obj.village.name

    @admin.display(description="任期", ordering="started_on")
    def term(self, obj: FirstSecretaryPosting) -> str:
        return f"{date_format(obj.started_on)} 至 {date_format(obj.term_ends_on)}"

    @admin.display(description="在任", boolean=True, ordering="ended_on")
    def is_current(self, obj: FirstSecretaryPosting) -> bool:
        return obj.ended_on is None


@admin.register(Visit)
class VisitAdmin(FastListAdmin):
    list_display = ["visited_on", "author", "village", "household", "kind"]
    list_select_related = ["author", "village__township", "household"]
    list_filter = ["kind", "village__township"]
    date_hierarchy = "visited_on"
    search_fields = ["author__name", "^household__household_number", "village__name"]
    autocomplete_fields = ["author", "village", "household"]
