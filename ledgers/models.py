"""Ledger exports and uploads: the background jobs behind 导出一户一册 and 导入一户一册."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from households.models import County, Household, JobStatus, Township, Village
from households.models.imports import BackgroundJob


def _user(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def _area(model: type[models.Model], verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        model, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=verbose_name
    )


class LedgerExport(BackgroundJob):
    """One 导出一户一册: a household's workbook, a village's, or a zip of village workbooks."""

    created_by = _user("申请人")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    household = _area(Household, "贫困户")
    village = _area(Village, "行政村")
    township = _area(Township, "乡（镇）")
    county = _area(County, "县")
    full_ids = models.BooleanField("含完整证件号码", default=False)
    # County-wide zips run to hundreds of megabytes: kept as a file, not in a database row.
    file = models.FileField("文件", upload_to="ledgers/exports/", blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    households = models.PositiveIntegerField("户数", default=0)

    class Meta:
        verbose_name = "一户一册导出"
        verbose_name_plural = "一户一册导出"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("export_ledger", "可以导出一户一册"),
            ("import_ledger", "可以导入一户一册"),
        ]

    def __str__(self) -> str:
        return f"一户一册导出 #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("ledgers:export_detail", args=[self.pk])

    @property
    def area(self) -> models.Model | None:
        return self.household or self.village or self.township or self.county


class LedgerImport(BackgroundJob):
    """One uploaded ledger workbook: its preview (changes, additions, conflicts) and its write."""

    created_by = _user("上传人")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    source = models.CharField("来源", max_length=20, default="web")  # web | command
    status = models.CharField(
        "状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    stage = models.CharField("当前步骤", max_length=50, blank=True)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.BinaryField("内容", editable=False)
    refusal = models.TextField("无法导入的原因", blank=True)
    summary = models.JSONField("统计", default=dict, blank=True)
    # The merge the preview showed, compressed JSON; the write applies exactly this.
    plan = models.BinaryField("写入计划", null=True, blank=True, editable=False)
    resolutions = models.JSONField("冲突处理", default=dict, blank=True)
    confirmed_by = _user("确认人")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "一户一册导入"
        verbose_name_plural = "一户一册导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"一户一册导入 #{self.pk}（{self.file_name}）"

    def get_absolute_url(self) -> str:
        return reverse("ledgers:import_detail", args=[self.pk])
