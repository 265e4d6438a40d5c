"""Admin of help measures (帮扶措施), with their funds by source, and of help plans (帮扶计划)."""

from django.contrib import admin
from django.db.models import DecimalField, OuterRef, Subquery, Sum

from accounts.admin_scoping import ScopedAdminMixin
from households.admin.filters import HouseholdTownshipFilter, HouseholdVillageFilter
from households.admin.search import HouseholdSearchMixin
from households.models import HelpMeasure, HelpPlan, MeasureFunding


class MeasureFundingInline(ScopedAdminMixin, admin.TabularInline):
    model = MeasureFunding
    extra = 1


@admin.register(HelpMeasure)
class HelpMeasureAdmin(ScopedAdminMixin, HouseholdSearchMixin, admin.ModelAdmin):
    list_display = (
        "household",
        "year",
        "category",
        "content",
        "status",
        "responsible_cadre",
        "helping_unit",
        "due_on",
        "completed_on",
        "funds",
    )
    list_filter = (HouseholdTownshipFilter, HouseholdVillageFilter, "year", "category", "status")
    list_select_related = ("household", "responsible_cadre", "helping_unit")
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ("household", "responsible_cadre", "helping_unit")
    fieldsets = (
        (None, {"fields": (("household", "year"), ("category", "status"), "content")}),
        ("责任", {"fields": (("responsible_cadre", "helping_unit"),)}),
        ("进度", {"fields": (("started_on", "due_on", "completed_on"),)}),
        ("帮扶成效", {"fields": ("result", "result_income")}),
    )
    inlines = (MeasureFundingInline,)

    def get_queryset(self, request):
        # One summed subquery per listed measure, not a GROUP BY over the joined list.
        fundings = MeasureFunding.objects.filter(measure=OuterRef("pk")).order_by()
        total = fundings.values("measure").annotate(total=Sum("amount")).values("total")
        return (
            super()
            .get_queryset(request)
            .annotate(
                funds_total=Subquery(
                    total, output_field=DecimalField(max_digits=14, decimal_places=2)
                )
            )
        )

    @admin.display(description="资金合计（元）")
    def funds(self, obj: HelpMeasure):
        return obj.funds_total or 0


@admin.register(HelpPlan)
class HelpPlanAdmin(ScopedAdminMixin, HouseholdSearchMixin, admin.ModelAdmin):
    list_display = ("household", "year", "planned_exit_year", "planned_funds", "deadline", "goals")
    list_filter = (HouseholdTownshipFilter, HouseholdVillageFilter, "year", "planned_exit_year")
    list_select_related = ("household",)
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ("household",)
    fieldsets = (
        (None, {"fields": (("household", "year"), "goals", "planned_exit_year")}),
        ("项目与资金", {"fields": ("projects", ("planned_funds", "deadline"))}),
    )
