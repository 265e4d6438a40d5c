"""Shared reads of supervision: inspections with their problem and rectification counts."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from inspections.models import Finding, Inspection, Rectification


def _count(queryset: QuerySet, field: str) -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def inspections_with_counts(queryset: QuerySet | None = None) -> QuerySet:
    """Annotate `finding_count` and `open_rectification_count`, one subquery each (no N+1)."""
    queryset = Inspection.objects.all() if queryset is None else queryset
    findings = Finding.objects.filter(inspection=OuterRef("pk"))
    open_fixes = Rectification.objects.open().filter(finding__inspection=OuterRef("pk"))
    return queryset.annotate(
        finding_count=_count(findings, "inspection"),
        open_rectification_count=_count(open_fixes, "finding__inspection"),
    )
