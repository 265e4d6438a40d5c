"""The household page's version check: two people editing one household never overwrite each other.

The page carries the household's `version` and a signed snapshot of its fields as they were
when it was opened. A save whose version is no longer current is refused, naming the fields
changed since (identifiers masked), and nothing is written. A save raises the version with
`UPDATE … WHERE version = <opened>`, so a save that slips in between the check and the write
finds no row to update and is rolled back, then refused the same way.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Field
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from households.choices import Cause
from households.masking import sensitive_fields
from households.models import Household, Village

SALT = "households.household.opened"
TRACKED = (
    "household_number",
    "village",
    "hamlet",
    "address",
    "phone",
    "identification_standard",
    "identified_year",
    "poverty_attribute",
    "main_cause",
    "other_causes",
    "situation",
    "status",
    "exit_year",
    "return_year",
    "keeps_policies",
)
EMPTY = "（空）"


class VersionConflict(Exception):
    """Another save raised the household's version between this save's check and its write."""


def snapshot(household: Household) -> dict[str, str]:
    """The tracked fields as comparable text; identifiers as a keyed digest plus their mask."""
    masks = sensitive_fields(Household)
    values = {}
    for name in TRACKED:
        value = getattr(household, "village_id" if name == "village" else name)
        text = "、".join(value) if isinstance(value, list) else "" if value is None else str(value)
        if name in masks and text:
            digest = salted_hmac(SALT, text, algorithm="sha256").hexdigest()[:20]
            text = f"{digest}|{masks[name](text)}"
        values[name] = text
    return values


def sign(household: Household) -> str:
    return signing.dumps({"pk": household.pk, "values": snapshot(household)}, salt=SALT)


def opened_values(token: str, household: Household) -> dict[str, str]:
    """The snapshot the page was opened with; empty if missing, forged or another household's."""
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return {}
    return data["values"] if data.get("pk") == household.pk else {}


def changes_since(opened: dict[str, str], household: Household) -> list[str]:
    """`字段：旧 → 新` for each tracked field that differs from the opened page."""
    now = snapshot(household)
    changed = [name for name in TRACKED if name in opened and opened[name] != now[name]]
    villages = _village_names(
        {opened.get("village"), now["village"]} if "village" in changed else set()
    )
    return [
        f"{_field(name).verbose_name}："
        f"{_shown(name, opened[name], villages)} → {_shown(name, now[name], villages)}"
        for name in changed
    ]


def _village_names(ids: set[str | None]) -> dict[str, str]:
    rows = Village.objects.filter(pk__in=[pk for pk in ids if pk]).select_related("township")
    return {str(village.pk): str(village) for village in rows}


def _shown(name: str, text: str, villages: dict[str, str]) -> str:
    if not text:
        return EMPTY
    if name in sensitive_fields(Household):
        return text.split("|", 1)[1]
    if name == "village":
        return villages.get(text, text)
    if name == "other_causes":
        return "、".join(str(Cause(v).label) if v in Cause.values else v for v in text.split("、"))
    if name == "keeps_policies":
        return "是" if text == "True" else "否"
    choices = dict(_field(name).flatchoices)
    return str(choices.get(text, text))


def _field(name: str) -> Field:
    field = Household._meta.get_field(name)
    assert isinstance(field, Field)
    return field


class VersionedForm(forms.ModelForm):
    """The household change form's hidden version and opened snapshot, and the check itself."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    opened_values = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["opened_values"] = sign(self.instance)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opened = cleaned.get("version")
        if self.instance.pk is not None and opened is not None and opened != self.instance.version:
            raise ValidationError(
                conflict_message(self.instance, self.data.get(self.add_prefix("opened_values"), ""))
            )
        return cleaned


def conflict_message(household: Household, token: str) -> str:
    changes = changes_since(opened_values(token, household), household)
    listed = "；".join(changes) if changes else "户基本信息未变，变动在家庭成员、收入等附表"
    return (
        "您打开本页后，该户信息已被他人修改并保存，本次修改未保存。"
        f"自您打开本页以来的变动：{listed}。请重新打开本页，核对后再修改。"
    )


def claim_version(*, household: Household, expected: int) -> None:
    """Raise the version from `expected`, or fail if another save already did (row-level)."""
    raised = Household.objects.filter(pk=household.pk, version=expected).update(
        version=F("version") + 1
    )
    if not raised:
        raise VersionConflict
    household.version = expected + 1


def bump_version(household_id: int) -> None:
    """Raise a household's version after one of its rows was saved on the row's own page."""
    Household.objects.filter(pk=household_id).update(version=F("version") + 1)


class VersionCheckMixin:
    """For `HouseholdAdmin`: the hidden fields on the change page and the checked write."""

    def get_fieldsets(self, request: HttpRequest, obj: Household | None = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None or not self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            return fieldsets
        title, options = fieldsets[0]
        hidden = ("version", "opened_values")
        return [(title, {**options, "fields": (*options["fields"], hidden)}), *fieldsets[1:]]

    def save_model(self, request: HttpRequest, obj: Household, form: Any, change: bool) -> None:
        if change:
            claim_version(household=obj, expected=form.cleaned_data["version"])
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]
        except VersionConflict:
            # Lost the race after validating; the rolled-back save now fails the check itself
            # and the page comes back with the user's input and the list of changes.
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]


class BumpsHouseholdVersionMixin:
    """For admins of rows also edited on the household page (members, income)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        bump_version(form.instance.household_id)
