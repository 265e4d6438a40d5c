"""Accounts and roles: the 系统管理员's pages (users and their role and area, no casework)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from accounts.models import Assignment
from accounts.security import admin as _security_admin  # noqa: F401 - registers SecurityPolicy


class AssignmentInline(admin.StackedInline):
    model = Assignment
    can_delete = True
    extra = 0
    max_num = 1
    fields = ("role", "county", "township", "village")
    verbose_name = verbose_name_plural = "角色与区域"


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "area_name")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "county", "township__county", "village__township")
    autocomplete_fields = ("user",)
    fields = ("user", "role", "county", "township", "village")

    @admin.display(description="区域")
    def area_name(self, obj: Assignment) -> str:
        return str(obj.area or "—")


admin.site.unregister(User)


@admin.register(User)
class RoleUserAdmin(UserAdmin):
    """Django's user pages with the user's role beside them."""

    inlines = (AssignmentInline,)
    list_display = ("username", "first_name", "role_name", "is_active", "last_login")
    list_select_related = ("assignment",)

    @admin.display(description="角色", ordering="assignment__role")
    def role_name(self, obj: Any) -> str:
        assignment = getattr(obj, "assignment", None)
        return assignment.get_role_display() if assignment else "（未分配）"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The casework pages are the admin's: a user with a role needs the staff flag to open
        # them, and one without a role has no business there.
        user = form.instance
        has_role = Assignment.objects.filter(user=user).exists()
        if user.is_staff != (has_role or user.is_superuser):
            user.is_staff = has_role or user.is_superuser
            user.save(update_fields=["is_staff"])

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # The role is given once the account exists (the add page asks only for the password).
        return super().get_inline_instances(request, obj) if obj else []
