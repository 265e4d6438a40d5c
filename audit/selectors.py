"""Reads of the audit trail: a household's history, the entries an auditor filters."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

# Records of a household, with the path from each to the household's primary key.
HOUSEHOLD_RECORDS = {
    "households.Member": "household",
    "households.YearlyIncome": "household",
    "households.HelpMeasure": "household",
    "households.MeasureFunding": "measure__household",
    "households.StatusChange": "household",
    "households.BasicNeedsAssessment": "household",
    "households.HouseholdProfile": "household",
    "households.HelpPlan": "household",
    "cadres.Pairing": "household",
    "cadres.Visit": "household",
    "inspections.Finding": "household",
    "inspections.Rectification": "finding__household",
}


def household_trail(household_id: int) -> QuerySet[LogEntry]:
    """The entries of a household and of its members, incomes, measures, visits and so on.

    Records found through their current relation; deleted ones by the household their delete
    entry names (auditlog stores every field's last value, a foreign key as its id)."""
    household_type = ContentType.objects.get_for_model(apps.get_model("households.Household"))
    matches = Q(content_type=household_type, object_id=household_id)
    direct = []
    for label, path in HOUSEHOLD_RECORDS.items():
        model = apps.get_model(label)
        content_type = ContentType.objects.get_for_model(model)
        related = model._base_manager.filter(**{path: household_id}).values("pk")
        matches |= Q(content_type=content_type, object_id__in=related)
        if path == "household":
            direct.append(content_type)
    deleted = Q(action=LogEntry.Action.DELETE, content_type__in=direct)
    matches |= deleted & Q(changes__household__0=str(household_id))
    return LogEntry.objects.filter(matches).select_related("actor", "content_type")
