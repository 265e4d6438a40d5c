"""List filters by area that stay short on a county of hundreds of villages."""

from django.contrib import admin

from accounts.admin_scoping import choosable
from households.models import Township, Village


class TownshipFilter(admin.SimpleListFilter):
    """乡（镇）: a county has a few dozen at most, so all are listed."""

    title = "乡（镇）"
    parameter_name = "township"
    path = "village__township"  # from the listed model to its township

    def lookups(self, request, model_admin):
        return choosable(Township.objects.all(), request.user).values_list("pk", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.path: self.value()})
        return queryset

    def choices(self, changelist):
        # Another township's village would leave the list empty: drop it on every switch.
        stale = [self.parameter_name, VillageFilter.parameter_name]
        values = [None, *(pk for pk, _name in self.lookup_choices)]
        for value, choice in zip(values, super().choices(changelist), strict=True):
            chosen = {} if value is None else {self.parameter_name: value}
            choice["query_string"] = changelist.get_query_string(chosen, remove=stale)
            yield choice


class VillageFilter(admin.SimpleListFilter):
    """行政村: listed only once a township is chosen, so the filter never runs to 300 lines."""

    title = "行政村"
    parameter_name = "village"
    path = "village"

    def lookups(self, request, model_admin):
        township = request.GET.get(TownshipFilter.parameter_name, "")
        if not township.isdigit():
            return []
        villages = choosable(Village.objects.filter(township=township), request.user)
        return villages.values_list("pk", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.path: self.value()})
        return queryset


class HouseholdTownshipFilter(TownshipFilter):
    """乡（镇） of rows that belong to a household."""

    path = "household__village__township"


class HouseholdVillageFilter(VillageFilter):
    """行政村 of rows that belong to a household."""

    path = "household__village"


class CurrentMemberFilter(admin.SimpleListFilter):
    """在册情况: members who left stay in the registry, marked by 减少日期."""

    title = "在册情况"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return (("yes", "在册"), ("no", "已减少"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(left_on__isnull=self.value() == "yes")
        return queryset


class UnmetNeedFilter(admin.SimpleListFilter):
    """未达标项目: households failing one item of 两不愁三保障, the ones to follow up."""

    title = "未达标项目"
    parameter_name = "unmet"

    def lookups(self, request, model_admin):
        return [
            (item, model_admin.model._meta.get_field(item).verbose_name)
            for item in model_admin.model.ITEMS
        ]

    def queryset(self, request, queryset):
        if self.value() in queryset.model.ITEMS:
            return queryset.filter(**{self.value(): False})
        return queryset
