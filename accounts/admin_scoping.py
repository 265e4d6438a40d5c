"""Area scoping and identifier masking on every casework admin page, list, form and inline.

Each ModelAdmin and inline of households, cadres and inspections mixes in `ScopedAdminMixin`:
lists, autocompletes and object pages start from `Model.objects.for_user(user, "view")`; an
object outside the user's area answers 404 (never the admin's "perhaps it was deleted"
redirect, which would confirm it exists); dropdowns and filters offer only rows the user may
view; and a save that would leave a row outside the area is refused before it commits.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import Media
from django.http import Http404, HttpRequest

from accounts.admin_masking import REVEAL_JS, MaskedDisplay, swap_names, with_masking
from accounts.scoping import Reach, is_unrestricted, permission, restrict
from households.masking import sensitive_fields


def choosable(queryset: QuerySet, user: Any) -> QuerySet:
    """The rows of a dropdown or filter that `user` may view."""
    return restrict(queryset, user, "view")


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter by related row (township, cadre…) that lists only rows the user may view."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        if is_unrestricted(request.user):
            return field.get_choices(include_blank=False, ordering=ordering)
        allowed = choosable(field.remote_field.model._default_manager.all(), request.user)
        limit = {"pk__in": allowed.values("pk")}
        return field.get_choices(include_blank=False, limit_choices_to=limit, ordering=ordering)


class ScopedAdminMixin:
    """Scope a ModelAdmin or inline to the user's area and mask identifiers on its pages."""

    model: type[Model]

    def _is_inline(self) -> bool:
        return isinstance(self, InlineModelAdmin)

    # Rows

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return choosable(super().get_queryset(request), request.user)  # type: ignore[misc]

    def _reaches(self, request: HttpRequest, obj: Model | None, action: str) -> bool:
        # An inline's `obj` is the parent, already scoped by the parent's admin.
        if obj is None or obj.pk is None or self._is_inline() or is_unrestricted(request.user):
            return True
        reach = request.__dict__.get("_scoped_admin")
        if reach is None:
            reach = request.__dict__["_scoped_admin"] = Reach(request.user)
        return reach.row(obj._meta.model, obj.pk, action)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_view_permission(request, obj)  # type: ignore[misc]
        return allowed and self._reaches(request, obj, "view")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and self._reaches(request, obj, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and self._reaches(request, obj, "delete")

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Outside the area and never existed must look the same: a plain 404.
        raise Http404(f"没有找到该{opts.verbose_name}")

    # Dropdowns, autocompletes and filters

    def get_field_queryset(self, db, db_field, request: HttpRequest) -> QuerySet:
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return choosable(queryset, request.user)

    def get_list_filter(self, request: HttpRequest) -> list:
        filters = list(super().get_list_filter(request))  # type: ignore[misc]
        return [self._scoped_filter(item) for item in filters]

    def _scoped_filter(self, item: Any) -> Any:
        if not isinstance(item, str):
            return item
        if not get_fields_from_path(self.model, item)[-1].is_relation:
            return item
        return (item, ScopedRelatedFieldListFilter)

    # Saving

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance
        if not is_unrestricted(request.user):
            # Inside the admin's transaction: a row moved outside the area rolls back.
            rows = self.model._default_manager.filter(pk=obj.pk)
            if not restrict(rows, request.user, "change" if change else "add").exists():
                raise PermissionDenied("不能保存到您管辖区域以外")
        self._record_identifier_edits(request, [form, *_forms_of(formsets)])

    def _record_identifier_edits(self, request: HttpRequest, forms: list) -> None:
        from audit.services import record_reveal  # the audit app imports households: import late

        for form in forms:
            for field in getattr(form, "edited_identifiers", []):
                remote_addr = request.META.get("REMOTE_ADDR")
                record_reveal(
                    user=request.user, obj=form.instance, field=field, remote_addr=remote_addr
                )

    # Masking

    @property
    def media(self) -> Media:
        media = super().media  # type: ignore[misc]
        return media + Media(js=[REVEAL_JS]) if sensitive_fields(self.model) else media

    def get_form(self, request: HttpRequest, obj: Model | None = None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        return with_masking(form, request)

    def get_formset(self, request: HttpRequest, obj: Model | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        formset.form = with_masking(formset.form, request)
        return formset

    def _masked_displays(self, request: HttpRequest, obj: Model | None) -> dict[str, MaskedDisplay]:
        """Displays replacing identifiers shown read-only: on pages the user may not edit."""
        masks = sensitive_fields(self.model)
        read_only = (self._is_inline() or obj is not None) and not self.has_change_permission(
            request, obj
        )
        if not masks or not read_only:
            return {}
        labels = {
            name: getattr(self.model._meta.get_field(name), "verbose_name", name) for name in masks
        }
        return {
            name: MaskedDisplay(name, str(labels[name]), mask, request.user)
            for name, mask in masks.items()
        }

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        displays = self._masked_displays(request, obj)
        return swap_names(fieldsets, displays) if displays else fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        readonly = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        readonly += self._masked_displays(request, obj).values()
        return readonly + self._unchoosable_relations(request, readonly)

    def _unchoosable_relations(self, request: HttpRequest, readonly: list) -> list[str]:
        # A link to a login account is chosen by whoever manages accounts, not by casework staff.
        user = request.user
        if is_unrestricted(user) or user.has_perm(permission(_user_model(), "view")):
            return []
        return [
            name
            for name in getattr(self, "autocomplete_fields", ())
            if self.model._meta.get_field(name).related_model is _user_model()
            and name not in readonly
        ]


def _user_model() -> type[Model]:
    from django.contrib.auth import get_user_model

    return get_user_model()


def _forms_of(formsets: list) -> list:
    return [form for formset in formsets for form in formset.forms]
