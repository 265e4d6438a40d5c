"""The form of 导出一户一册: one household, a village, a township or the county."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model

from households.forms import OUTSIDE_AREA, area_choices
from households.models import Household
from households.registry.scope import AREA_MODELS, exportable, may_export_full_ids

EXPORT_LEDGER = "ledgers.export_ledger"


def exportable_household(user: Any, pk: object) -> Household | None:
    """The household `pk` if `user` may export its booklet (any household they may view)."""
    if not str(pk).isdigit() or not user.has_perm(EXPORT_LEDGER):
        return None
    households = Household.objects.for_user(user, "view").select_related("village__township")
    return households.filter(pk=int(str(pk))).first()


class LedgerExportForm(forms.Form):
    """The area to export among those in the user's scope, and whether with full numbers.

    A household is offered only when the page was opened from it (`household`): a county's
    17,000 households do not fit in a dropdown."""

    area = forms.CharField(label="导出范围", widget=forms.Select)
    full_ids = forms.BooleanField(
        label="包含完整证件号码和电话",
        required=False,
        help_text="默认打码（如 130534********1234、138****5678）。含完整号码的导出会被记录，"
        "请妥善保管文件，不要外传。",
    )

    def __init__(
        self, *args: Any, user: Any, household: Household | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = area_choices(user, permission=EXPORT_LEDGER)
        if household is not None:
            label = f"本户：{household.village}{household.household_number}"
            choices.insert(0, ("贫困户", [(f"household:{household.pk}", label)]))
            self.fields["area"].initial = f"household:{household.pk}"
        self.fields["area"].widget.choices = choices  # type: ignore[attr-defined]
        self.has_choices = bool(choices)
        if not may_export_full_ids(user):
            del self.fields["full_ids"]

    def clean_area(self) -> dict[str, Model]:
        kind, _, pk = self.cleaned_data["area"].partition(":")
        if kind == "household":
            area: Model | None = exportable_household(self.user, pk)
            model: type[Model] = Household
        elif kind in AREA_MODELS and pk.isdigit():
            area = exportable(self.user, EXPORT_LEDGER)[kind].filter(pk=pk).first()
            model = AREA_MODELS[kind]
        else:
            raise forms.ValidationError("请选择导出范围")
        if area is not None:
            return {kind: area}
        if pk.isdigit() and model._default_manager.filter(pk=pk).exists():
            raise forms.ValidationError("您无权导出该范围的一户一册", code=OUTSIDE_AREA)
        raise forms.ValidationError("所选范围已不存在，请刷新页面后重新选择")
