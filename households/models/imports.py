"""Registry import batches (导入批次) and exports: who, when, which files, what changed."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.scoping import ScopedQuerySet
from households.models.areas import County, Township, Village
from households.models.household import Household


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    PREVIEWED = "previewed", "待确认"
    WRITING = "writing", "写入中"
    DONE = "done", "已完成"
    REFUSED = "refused", "文件无法读取"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已放弃"


FINISHED = frozenset({JobStatus.DONE, JobStatus.REFUSED, JobStatus.FAILED, JobStatus.CANCELLED})


class WritePolicy(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "全部写入"
    SKIP_INVALID = "skip_invalid", "跳过无效户，写入有效户"


class BackgroundJob(models.Model):
    """What an import batch and an export share: the progress a page polls, and how it ended."""

    progress_done = models.PositiveIntegerField("已处理", default=0)
    progress_total = models.PositiveIntegerField("总数", default=0)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    failure = models.TextField("失败原因", blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return getattr(self, "status", None) in FINISHED

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class ImportBatch(BackgroundJob):
    """One upload of registry workbooks: its preview plan, the write, and what it touched."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导入人",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    source = models.CharField("来源", max_length=20, default="web")  # web | command
    status = models.CharField(
        "状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    stage = models.CharField("当前步骤", max_length=50, blank=True)
    refusal = models.TextField("无法读取的原因", blank=True)
    summary = models.JSONField("统计", default=dict, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    warnings = models.JSONField("警告", default=list, blank=True)
    # The plan the preview showed, compressed JSON; the write applies exactly this plan.
    plan = models.BinaryField("写入计划", null=True, blank=True, editable=False)
    fingerprint = models.CharField("预览时的数据指纹", max_length=64, blank=True)
    policy = models.CharField("写入方式", max_length=20, choices=WritePolicy.choices, blank=True)
    mark_left = models.BooleanField("将文件中缺少的成员标记为减少", default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "花名册导入批次"
        verbose_name_plural = "花名册导入批次"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("import_registry", "可以导入花名册"),
            ("export_registry", "可以导出花名册"),
            # A village's masked list for public notice: first secretaries print their own.
            ("export_notice", "可以导出公示名单"),
        ]

    def __str__(self) -> str:
        return f"导入批次 #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("households:import_detail", args=[self.pk])

    @property
    def file_names(self) -> str:
        return "、".join(file.name for file in self.files.all())


class ImportFile(models.Model):
    """An uploaded file, kept in the database so that web and worker need no shared disk."""

    batch = models.ForeignKey(
        ImportBatch, models.CASCADE, related_name="files", verbose_name="导入批次"
    )
    name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content = models.BinaryField("内容", editable=False)
    # The upload with bad cells highlighted, built by the preview when the file has errors.
    annotated = models.BinaryField("错误标注副本", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "导入文件"
        verbose_name_plural = "导入文件"
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return self.name


class BatchAction(models.TextChoices):
    CREATED = "created", "新增"
    UPDATED = "updated", "更新"


class BatchHousehold(models.Model):
    """A household that a batch created or changed: the household page lists its batches."""

    # No index of its own: the unique (batch, household) constraint starts with it.
    batch = models.ForeignKey(
        ImportBatch, models.CASCADE, related_name="touched", verbose_name="导入批次", db_index=False
    )
    household = models.ForeignKey(
        Household, models.CASCADE, related_name="import_batches", verbose_name="贫困户"
    )
    action = models.CharField("操作", max_length=10, choices=BatchAction.choices)
    changes = models.JSONField("变更内容", default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次涉及的户"
        verbose_name_plural = "导入批次涉及的户"
        ordering = ["household", "-batch"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "household"], name="batch_household_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.household}"


class RegistryExport(BackgroundJob):
    """A requested export of the canonical workbook, built in the background."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导出人",
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    county = models.ForeignKey(
        County, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="县"
    )
    township = models.ForeignKey(
        Township, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="乡镇"
    )
    village = models.ForeignKey(
        Village, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="行政村"
    )
    status = models.CharField(
        "状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    content = models.BinaryField("文件内容", null=True, blank=True, editable=False)
    rows = models.PositiveIntegerField("行数", default=0)
    # Decided when the export is requested: only roles that may export full numbers see it.
    full_ids = models.BooleanField("含完整证件号码", default=False)

    class Meta:
        verbose_name = "花名册导出"
        verbose_name_plural = "花名册导出"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"导出 #{self.pk}"

    @property
    def area_name(self) -> str:
        area = self.village or self.township or self.county
        return str(area) if area else "全部"
