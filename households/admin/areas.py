"""Admin of the county's areas: county, township, village (flat tables, with import/export).

Import and export are scoped like the lists (accounts.admin_import_export); which roles may use
them is in accounts.roles (FLAT_TABLES, COUNTY_TRANSFER, TOWNSHIP_TRANSFER).
"""

from django.contrib import admin
from django.db.models import Count, OuterRef
from import_export.admin import ImportExportModelAdmin

from accounts.admin_import_export import ScopedImportExportMixin
from accounts.admin_scoping import ScopedAdminMixin
from households.models import County, Household, Township, Village
from households.querysets import count_subquery
from households.resources import CountyResource, TownshipResource, VillageResource


@admin.register(County)
class CountyAdmin(ScopedImportExportMixin, ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [CountyResource]
    list_display = ("name", "province", "city", "division_code", "is_poor_county", "exit_year")
    list_filter = ("is_poor_county", "exit_year")
    search_fields = ("name", "division_code")


@admin.register(Township)
class TownshipAdmin(ScopedImportExportMixin, ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [TownshipResource]
    list_display = ("name", "county", "division_code", "village_count")
    list_filter = ("county",)
    list_select_related = ("county",)
    search_fields = ("name", "division_code")
    autocomplete_fields = ("county",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(village_total=Count("villages"))

    @admin.display(description="行政村数", ordering="village_total")
    def village_count(self, obj: Township) -> int:
        return obj.village_total


@admin.register(Village)
class VillageAdmin(ScopedImportExportMixin, ScopedAdminMixin, ImportExportModelAdmin):
    resource_classes = [VillageResource]
    list_display = (
        "name",
        "township",
        "division_code",
        "is_poor_village",
        "exit_year",
        "rural_population",
        "household_count",
    )
    list_filter = ("township", "is_poor_village", "exit_year")
    list_per_page = 50
    # The township name tells apart villages of the same name in the autocomplete too.
    search_fields = ("name", "division_code", "township__name")
    autocomplete_fields = ("township",)

    def get_queryset(self, request):
        # A counted subquery per listed village, not a GROUP BY over every household.
        total = count_subquery(Household.objects.filter(village=OuterRef("pk")), "village")
        return (
            super().get_queryset(request).select_related("township").annotate(household_total=total)
        )

    @admin.display(description="贫困户数")
    def household_count(self, obj: Village) -> int:
        return obj.household_total
