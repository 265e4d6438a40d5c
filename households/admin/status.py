"""Admin of 动态调整 events: read-only, since households.services alone writes them."""

from django.contrib import admin

from accounts.admin_scoping import ScopedAdminMixin
from households.admin.filters import HouseholdTownshipFilter, HouseholdVillageFilter
from households.admin.search import HouseholdSearchMixin
from households.models import StatusChange


@admin.register(StatusChange)
class StatusChangeAdmin(ScopedAdminMixin, HouseholdSearchMixin, admin.ModelAdmin):
    list_display = (
        "effective_on",
        "household",
        "kind",
        "member",
        "from_status",
        "to_status",
        "year",
        "reason",
        "approved_by",
        "recorded_by",
    )
    list_filter = (HouseholdTownshipFilter, HouseholdVillageFilter, "kind", "year", "to_status")
    list_select_related = ("household", "member", "recorded_by")
    list_per_page = 50
    show_full_result_count = False
    ordering = ("-effective_on", "-id")

    # An event changed or removed would break the history 户状态 is read back from.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
