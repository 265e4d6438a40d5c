"""Which models the audit trail follows, and the masking every entry goes through.

auditlog writes an entry from model signals on each save and delete of a registered model; bulk
writes skip those signals and call `services.bulk_rows` instead.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save

from audit.masking import mask_changes

# Every model of the casework, the accounts and their roles: app label → model names.
TRACKED = {
    "households": (
        "Household", "Member", "YearlyIncome", "HelpMeasure", "MeasureFunding", "StatusChange",
        "BasicNeedsAssessment", "HouseholdProfile", "HelpPlan",
    ),
    "cadres": ("Cadre", "Pairing", "FirstSecretaryPosting", "WorkTeam", "WorkTeamMember", "Visit"),
    "inspections": ("Inspection", "Finding", "Rectification"),
    "accounts": ("Assignment", "SecurityPolicy"),
}  # fmt: skip
# A password hash has no place in a trail; a login is not a change of the account.
USER_EXCLUDED = ["password", "last_login", "password_history"]
# The version counter of the concurrent-edit check changes on every save: noise, not a change.
EXCLUDED = {"households.Household": ["version"]}


def register() -> None:
    """Register the tracked models with auditlog and mask every entry before it is stored."""
    for app_label, names in TRACKED.items():
        for name in names:
            model = apps.get_model(app_label, name)
            if not auditlog.contains(model):
                auditlog.register(model, exclude_fields=EXCLUDED.get(model._meta.label, []))
    user = apps.get_model("auth", "User")
    if not auditlog.contains(user):
        auditlog.register(
            user, exclude_fields=USER_EXCLUDED, m2m_fields={"groups", "user_permissions"}
        )
    pre_save.connect(mask_entry, sender=LogEntry, dispatch_uid="audit.mask_entry")


def mask_entry(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    """Mask the sensitive values of an entry auditlog is about to store."""
    content_type = ContentType.objects.get_for_id(instance.content_type_id)
    label = f"{content_type.app_label}.{content_type.model}"
    instance.changes = mask_changes(label, instance.changes)
