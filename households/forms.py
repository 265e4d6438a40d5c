"""Forms of the registry pages: the upload, the confirmation of a preview, the export's area."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.template.defaultfilters import filesizeformat

from households.models import County, ImportBatch, Township, Village, WritePolicy

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input multiple>: cleans each one, returns the list."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class RegistryUploadForm(forms.Form):
    """One or more registry workbooks; their size and type are checked before any is read."""

    workbooks = MultipleFileField(
        label="花名册文件",
        error_messages={"required": "请选择要导入的花名册文件", "empty": "上传的文件是空的"},
        help_text="可一次选择多个文件。支持 .xlsx、.xlsm、.xls、.ods，"
        "以及 UTF-8 或 GB18030 编码的 .csv。",
        widget=MultipleFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def clean_workbooks(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["workbooks"]
        limit = settings.REGISTRY_MAX_UPLOAD_BYTES
        for upload in files:
            if PurePath(upload.name or "").suffix.lower() not in ACCEPTED_SUFFIXES:
                raise forms.ValidationError(
                    f"“{upload.name}”不是支持的格式：请上传 .xlsx、.xlsm、.xls、.ods 或 .csv 文件"
                )
        total = sum(upload.size or 0 for upload in files)
        if total > limit:
            raise forms.ValidationError(
                f"所选文件共 {filesizeformat(total)}，超过了上限 {filesizeformat(limit)}；"
                "请分几次上传，或删去文件中与花名册无关的工作表"
            )
        return files


class ConfirmForm(forms.Form):
    """The user's decision on a preview: how to write it, and whether absent members leave."""

    policy = forms.ChoiceField(label="写入方式", choices=WritePolicy.choices)
    mark_left = forms.BooleanField(label="同时将这些成员标记为减少（迁出/其他）", required=False)

    def __init__(self, *args: Any, batch: ImportBatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch = batch

    def clean_policy(self) -> str:
        policy = self.cleaned_data["policy"]
        if policy == WritePolicy.ALL_OR_NOTHING and not can_write_all(self.batch):
            # The button is not offered then; this refuses a forged or stale form all the same.
            raise forms.ValidationError(
                "文件中有错误或无效的户，不能全部写入；请更正文件后重新上传，或选择跳过无效户"
            )
        return policy


def can_write_all(batch: ImportBatch) -> bool:
    """全部写入 needs a file without a single error (the write stage checks the same)."""
    summary = batch.summary
    return not summary.get("households", {}).get("invalid") and not summary.get("error_count")


AREA_MODELS: dict[str, type[Model]] = {"county": County, "township": Township, "village": Village}


class ExportForm(forms.Form):
    """The area to export: a county, a township or a village, grouped by township."""

    area = forms.ChoiceField(label="导出范围")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Area scoping (issue: roles) plugs in here: offer only the areas the user may export.
        cast(forms.ChoiceField, self.fields["area"]).choices = area_choices()

    def clean_area(self) -> dict[str, Model]:
        kind, _, pk = self.cleaned_data["area"].partition(":")
        model = AREA_MODELS[kind]
        area = model._default_manager.filter(pk=pk).first()
        if area is None:
            raise forms.ValidationError("所选地区已不存在，请刷新页面后重新选择")
        return {kind: area}


def area_choices() -> list[tuple[str, Any]]:
    """Counties first, then one group per township: the whole township, then its villages."""
    counties = list(County.objects.order_by("name"))
    several = len(counties) > 1
    choices: list[tuple[str, Any]] = [
        ("全县", [(f"county:{county.pk}", f"{county.name}（全县）") for county in counties])
    ]
    villages: dict[int, list[tuple[str, str]]] = {}
    for village in Village.objects.order_by("township_id", "division_code", "name"):
        villages.setdefault(village.township_id, []).append((f"village:{village.pk}", village.name))
    townships = Township.objects.select_related("county").order_by("county__name", "division_code")
    for township in townships:
        label = f"{township.county.name}{township.name}" if several else township.name
        whole = (f"township:{township.pk}", f"{township.name}（全乡镇）")
        choices.append((label, [whole, *villages.get(township.pk, [])]))
    return choices
