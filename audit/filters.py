"""Filters of the trail's admin list: by time range, action, object type and person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from audit.display import ACTION_CHOICES
from audit.models import DataExport
from audit.registry import TRACKED


class TimeRangeFilter(admin.ListFilter):
    """从 … 至 … (dates, both included), typed into a small form in the sidebar."""

    title = "时间范围"
    template = "admin/audit/time_range_filter.html"
    since, until = "since", "until"

    def __init__(self, request: HttpRequest, params: dict[str, Any], *args: Any) -> None:
        super().__init__(request, params, *args)
        for name in (self.since, self.until):
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str | None]:
        return [self.since, self.until]

    def _date(self, name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(self.used_parameters.get(name, "")))
        except ValueError:
            return None

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        since, until = self._date(self.since), self._date(self.until)
        if since:
            queryset = queryset.filter(timestamp__gte=_midnight(since))
        if until:
            queryset = queryset.filter(timestamp__lt=_midnight(until + dt.timedelta(days=1)))
        return queryset

    def choices(self, changelist: Any) -> Iterator[Mapping[str, object]]:
        others = QueryDict(changelist.get_query_string(remove=self.expected_parameters())[1:])
        yield {
            "since": self.used_parameters.get(self.since, ""),
            "until": self.used_parameters.get(self.until, ""),
            "hidden": [(key, value) for key, values in others.lists() for value in values],
        }


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        return [(str(value), label) for value, label in ACTION_CHOICES]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(action=int(value)) if value and value.isdigit() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = "对象类型"
    parameter_name = "object_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        types = [ContentType.objects.get_for_model(DataExport, for_concrete_model=False)]
        types += [
            ContentType.objects.get_by_natural_key(app_label, name.lower())
            for app_label, names in {**TRACKED, "auth": ("User",)}.items()
            for name in names
        ]
        return [(str(ct.pk), str(ct.model_class()._meta.verbose_name)) for ct in types]  # type: ignore[union-attr]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return (
            queryset.filter(content_type_id=int(value)) if value and value.isdigit() else queryset
        )


class ActorFilter(admin.RelatedOnlyFieldListFilter):
    """Only the people who appear in the trail, not every account."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "操作人"


LIST_FILTER = (TimeRangeFilter, ActionFilter, ObjectTypeFilter, ("actor", ActorFilter))
