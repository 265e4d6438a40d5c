"""Admin of yearly income, where every total and 人均纯收入 is computed, and of poverty lines."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from accounts.admin_import_export import ScopedImportExportMixin
from accounts.admin_scoping import ScopedAdminMixin
from households.admin.filters import HouseholdTownshipFilter, HouseholdVillageFilter
from households.admin.search import HouseholdSearchMixin
from households.admin.versioning import BumpsHouseholdVersionMixin
from households.models import PovertyLine, YearlyIncome
from households.resources import PovertyLineResource

INCOME_FIELDSETS = (
    (None, {"fields": ("year", "notes")}),
    ("工资性收入", {"fields": (("wage_income", "public_welfare_job_income"),)}),
    ("生产经营性", {"fields": (("business_income", "business_expense"),)}),
    ("财产性收入", {"fields": (YearlyIncome.PROPERTY_ITEMS,)}),
    ("转移性收入", {"fields": (YearlyIncome.TRANSFER_ITEMS[:3], YearlyIncome.TRANSFER_ITEMS[3:])}),
    (
        "核算（自动计算）",
        {
            "fields": (
                ("net_income", "household_size", "per_capita_income"),
                ("poverty_line", "is_above_line"),
            )
        },
    ),
)


class IncomeFiguresMixin:
    """Computed figures of a yearly income; lists annotate size and line to avoid a query a row."""

    figures = ("net_income", "household_size", "per_capita_income", "poverty_line", "is_above_line")

    @staticmethod
    def _figure(obj: YearlyIncome, name: str):
        # An unsaved row (the add page, an inline's blank row) has no year or members yet.
        return getattr(obj, name) if obj.pk else None

    @admin.display(description="纯收入（元）")
    def net_income(self, obj: YearlyIncome):
        return self._figure(obj, "net_income")

    @admin.display(description="年末家庭人口数")
    def household_size(self, obj: YearlyIncome):
        return self._figure(obj, "household_size")

    @admin.display(description="人均纯收入（元）")
    def per_capita_income(self, obj: YearlyIncome):
        return self._figure(obj, "net_income_per_capita")

    @admin.display(description="当年扶贫标准（元）")
    def poverty_line(self, obj: YearlyIncome):
        return self._figure(obj, "poverty_line_amount")

    @admin.display(description="高于扶贫标准", boolean=True)
    def is_above_line(self, obj: YearlyIncome):
        return self._figure(obj, "is_above_line")


@admin.register(YearlyIncome)
class YearlyIncomeAdmin(
    ScopedAdminMixin,
    BumpsHouseholdVersionMixin,
    IncomeFiguresMixin,
    HouseholdSearchMixin,
    admin.ModelAdmin,
):
    list_display = ("household", "year", *IncomeFiguresMixin.figures)
    list_filter = (HouseholdTownshipFilter, HouseholdVillageFilter, "year")
    list_select_related = ("household",)
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ("household",)
    readonly_fields = IncomeFiguresMixin.figures

    def get_fieldsets(self, request, obj=None):
        return ((None, {"fields": ("household",)}), *INCOME_FIELDSETS)

    def get_queryset(self, request):
        return super().get_queryset(request).with_household_size().with_poverty_line()


@admin.register(PovertyLine)
class PovertyLineAdmin(ScopedImportExportMixin, ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [PovertyLineResource]
    list_display = ("year", "scope", "basis", "amount", "is_verified", "source_note")
    list_filter = ("basis", "is_verified", "province")
    search_fields = ("province", "source_note")

    @admin.display(description="适用范围", ordering="province")
    def scope(self, obj: PovertyLine) -> str:
        return obj.province or "全国"
