"""django-import-export on the admin's flat tables, scoped like every other admin page.

An export reads the admin's own list (already restricted by `ScopedAdminMixin` to the user's
area), masks ID numbers and phones unless the role may export full numbers, and is recorded in
the audit trail. An import checks every row against the importer's area before it is saved: a
row outside is an invalid row of the preview (which then offers no confirm button) and is never
written, even when the confirm form is posted by hand.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export.fields import Field
from import_export.resources import ModelResource
from import_export.widgets import CachedForeignKeyWidget

from accounts.scoping import Reach, is_unrestricted, permission
from households.masking import Masker, sensitive_fields
from households.registry.scope import may_export_full_ids, uploader_area


class MaskedField(Field):
    """An identifier exported masked unless the resource's user may export full numbers.

    On import a masked cell (`138****5678`, as a masked export writes it) means "unchanged".
    Its mask is the model's in households.masking.SENSITIVE_FIELDS, set by `ScopedResource`, so
    an export cannot mask a field otherwise than the lists and pages do.
    """

    mask: Masker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reveal = False  # set per export by `ScopedResource`

    def export(self, instance: Model, **kwargs: Any) -> str:
        value = self.get_value(instance)
        return str(value or "") if self.reveal else self.mask(value)

    def save(self, instance: Model, row: dict, is_m2m: bool = False, **kwargs: Any) -> None:
        if "*" in str(row.get(self.column_name) or ""):
            return
        super().save(instance, row, is_m2m, **kwargs)


class NamedForeignKeyWidget(CachedForeignKeyWidget):
    """A related row found by name, with a Chinese message when none or several match.

    The cache loads the table once per import instead of one query per row.
    """

    missing = "找不到“{value}”"
    ambiguous = "“{value}”不止一个，无法确定"

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.missing.format(value=value, **self.context(row))) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(self.ambiguous.format(value=value, **self.context(row))) from None

    def context(self, row) -> dict[str, str]:
        return {}


class ScopedResource(ModelResource):
    """A resource that knows who exports or imports with it (the admin passes request.user).

    Without a user (a shell, a management command, a unit test) there is no area limit, as for
    the registry's `import_registry`, and identifiers are still exported masked.
    """

    # The foreign key that puts a row in an area (its path in accounts.scoping.PATHS); None for
    # the county-shared reference tables (accounts.scoping.UNSCOPED: units, cadres, lines).
    area_field: ClassVar[str | None] = None

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.full_ids = user is not None and may_export_full_ids(user)
        masks = sensitive_fields(self._meta.model)
        for field in self.fields.values():
            if isinstance(field, MaskedField):
                field.mask = masks[field.attribute]  # KeyError: a field SENSITIVE_FIELDS lacks
                field.reveal = self.full_ids
        self._reach = Reach(user)

    def import_instance(self, instance: Model, row: dict, **kwargs: Any) -> None:
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        refusal = self.area_refusal(instance, row, errors)
        if refusal is not None:
            key, message = refusal
            errors.setdefault(key, []).append(f"第{kwargs.get('row_number')}行：{message}")
        if errors:
            raise ValidationError(errors)

    def area_refusal(self, instance: Model, row: dict, errors: dict) -> tuple[str, str] | None:
        """Why the importer may not write this row (error key, message); None if they may."""
        if self.user is None or is_unrestricted(self.user):
            return None
        if self.area_field is not None and self.area_field not in errors:
            refusal = self._outside_area(instance, row)
            if refusal is not None:
                return refusal
        return self._not_permitted(instance)

    def _outside_area(self, instance: Model, row: dict) -> tuple[str, str] | None:
        name = str(self.area_field)
        target_id = getattr(instance, f"{name}_id", None)
        if target_id is None:
            return None  # a blank cell: the model's own validation names it
        target = instance._meta.get_field(name).related_model
        # Targets (county, township, household) are only read by an import: load them once.
        if self._reach.among(target, target_id, "view"):  # type: ignore[arg-type]
            return None
        column = self.fields[name].column_name
        return name, (
            f"{column}“{row.get(column)}”不在您的管辖范围（{self._area_label()}）内，不能导入"
        )

    def _not_permitted(self, instance: Model) -> tuple[str, str] | None:
        model = type(instance)
        action, verb = ("add", "新增") if instance.pk is None else ("change", "修改")
        if not self.user.has_perm(permission(model, action)):
            return NON_FIELD_ERRORS, f"您没有{verb}{model._meta.verbose_name}的权限"
        if instance.pk is None or self._reach.row(model, instance.pk, "change"):
            return None
        label = model._meta.verbose_name
        return NON_FIELD_ERRORS, f"该{label}不在您的管辖范围（{self._area_label()}）内，不能修改"

    def _area_label(self) -> str:
        area = uploader_area(self.user)
        return area.label if area is not None else "全部"

    def validate_instance(
        self,
        instance: Model,
        import_validation_errors: dict | None = None,
        validate_unique: bool = True,
    ) -> None:
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            # The preview names each error's field: by its Chinese column, not its attribute.
            raise ValidationError(self._by_column(error.error_dict)) from None

    def _by_column(self, errors: dict[str, list]) -> dict[str, list]:
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        model = self._meta.model
        return {columns.get(key) or _verbose_name(model, key): v for key, v in errors.items()}


def _verbose_name(model: type[Model], name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


class ScopedImportExportMixin:
    """Mixed into an ImportExportModelAdmin before it: user-aware resources, recorded exports,
    and confirmed imports written whole or not at all."""

    model: type[Model]

    def get_resource_kwargs(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        resource_kwargs = super().get_resource_kwargs(request, *args, **kwargs)  # type: ignore[misc]
        return {**resource_kwargs, "user": request.user}

    def get_data_for_export(self, request: HttpRequest, queryset: Any, **kwargs: Any) -> Any:
        from audit.services import record_export  # the audit app imports households: late

        dataset = super().get_data_for_export(request, queryset, **kwargs)  # type: ignore[misc]
        record_export(
            user=request.user,
            description=f"{self.model._meta.verbose_name_plural}导出（管理后台）",
            full_ids=bool(sensitive_fields(self.model)) and may_export_full_ids(request.user),
            rows=len(dataset),
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
        return dataset

    def get_import_data_kwargs(self, **kwargs: Any) -> dict:
        # A row that became invalid between preview and confirm (its household moved to another
        # township meanwhile) rolls the whole confirmed import back.
        import_kwargs = super().get_import_data_kwargs(**kwargs)  # type: ignore[misc]
        return {**import_kwargs, "rollback_on_validation_errors": True}

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)  # type: ignore[misc]
        messages.error(request, f"{_failed_rows(result)}导入未写入任何数据，请重新上传并预览")
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))


def _failed_rows(result: Any) -> str:
    numbers = {row.number for row in result.invalid_rows}
    numbers |= {number for number, _ in result.row_errors()}
    return f"第{'、'.join(map(str, sorted(numbers)))}行有错误，" if numbers else "导入出错，"
