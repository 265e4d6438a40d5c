"""Forms of the registry pages: the upload, the confirmation of a preview, the export's area."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.template.defaultfilters import filesizeformat

from households.models import ImportBatch, Village, WritePolicy
from households.registry.scope import AREA_MODELS, exportable, may_export_full_ids

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")

EXPORT_REGISTRY, EXPORT_NOTICE = "households.export_registry", "households.export_notice"


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


OUTSIDE_AREA = "outside_area"  # the view answers 404 to an area the user may not export


def _area(
    kind_and_pk: str, user: Any, levels: tuple[str, ...], permission: str = EXPORT_REGISTRY
) -> Model:
    """The area `kind:pk` among those `user` may export; ValidationError otherwise."""
    kind, _, pk = kind_and_pk.partition(":")
    if kind not in levels or not pk.isdigit():
        raise forms.ValidationError("请选择地区")
    area = exportable(user, permission)[kind].filter(pk=pk).first()
    if area is not None:
        return area
    if AREA_MODELS[kind]._default_manager.filter(pk=pk).exists():
        raise forms.ValidationError("您无权导出该地区", code=OUTSIDE_AREA)
    raise forms.ValidationError("所选地区已不存在，请刷新页面后重新选择")


class ExportForm(forms.Form):
    """The area to export, among those the user may export, and whether with full numbers."""

    area = forms.CharField(label="导出范围", widget=forms.Select)
    full_ids = forms.BooleanField(
        label="包含完整证件号码和电话",
        required=False,
        help_text="默认打码（如 130534********1234、138****5678）。含完整号码的导出会被记录，"
        "请妥善保管文件，不要外传。",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["area"].widget.choices = area_choices(user)  # type: ignore[attr-defined]
        if not may_export_full_ids(user):
            del self.fields["full_ids"]

    def clean_area(self) -> dict[str, Model]:
        area = _area(self.cleaned_data["area"], self.user, tuple(AREA_MODELS))
        return {area._meta.model_name or "": area}


class NoticeForm(forms.Form):
    """The village whose public-notice list (公示名单) is printed."""

    village = forms.CharField(label="行政村", widget=forms.Select)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        areas = area_choices(user, whole=False, permission=EXPORT_NOTICE)
        choices = [group for group in areas if group[1]]
        self.fields["village"].widget.choices = [("", "请选择行政村"), *choices]  # type: ignore[attr-defined]

    def clean_village(self) -> Village:
        village = _area(self.cleaned_data["village"], self.user, ("village",), EXPORT_NOTICE)
        return cast(Village, village)


def area_choices(
    user: Any, *, whole: bool = True, permission: str = EXPORT_REGISTRY
) -> list[tuple[str, Any]]:
    """The user's exportable areas: counties first, then one group per township (the whole
    township, then its villages). `whole=False` leaves out the counties and whole townships."""
    areas = exportable(user, permission)
    counties = list(areas["county"].order_by("name")) if whole else []
    choices: list[tuple[str, Any]] = []
    if counties:
        choices.append(
            ("全县", [(f"county:{county.pk}", f"{county.name}（全县）") for county in counties])
        )
    villages: dict[int, list[tuple[str, str]]] = {}
    for village in areas["village"].order_by("township_id", "division_code", "name"):
        villages.setdefault(village.township_id, []).append((f"village:{village.pk}", village.name))
    several = len({*areas["township"].values_list("county_id", flat=True)}) > 1
    townships = areas["township"].select_related("county").order_by("county__name", "division_code")
    for township in townships:
        label = f"{township.county.name}{township.name}" if several else township.name
        whole_township = (
            [(f"township:{township.pk}", f"{township.name}（全乡镇）")] if whole else []
        )
        choices.append((label, [*whole_township, *villages.pop(township.pk, [])]))
    # A first secretary's village, without its township: one group of its own.
    choices.extend(("行政村", group) for group in villages.values())
    return choices
