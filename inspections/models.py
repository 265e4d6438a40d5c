"""Inspections (督查), checklists, findings, rectification (整改), talks and assessments."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.scoping import ScopedQuerySet
from inspections.choices import (
    ChecklistItem,
    CheckResult,
    Grade,
    InspectionKind,
    RectificationStatus,
)
from inspections.querysets import RectificationQuerySet


class Inspection(models.Model):
    """An inspection visit to a township, a village or a first secretary."""

    inspected_on = models.DateField("督查日期", db_index=True)
    kind = models.CharField("督查方式", max_length=20, choices=InspectionKind.choices)
    inspectors = models.CharField("督查人员", max_length=200, help_text="多人以“、”分隔")
    lead_unit = models.CharField("牵头单位", max_length=100, blank=True)
    township = models.ForeignKey(
        "households.Township",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="督查乡镇",
    )
    village = models.ForeignKey(
        "households.Village",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="督查行政村",
    )
    first_secretary = models.ForeignKey(
        "cadres.FirstSecretaryPosting",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="督查第一书记",
    )
    summary = models.TextField("督查情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "督查"
        verbose_name_plural = "督查记录"
        ordering = ["-inspected_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(township__isnull=False)
                | Q(village__isnull=False)
                | Q(first_secretary__isnull=False),
                name="inspection_has_target",
                violation_error_message="请至少选择一个督查对象（乡镇、行政村或第一书记）",
            ),
        ]

    def __str__(self) -> str:
        target = self.village or self.township or self.first_secretary
        return f"{self.inspected_on:%Y-%m-%d} {self.get_kind_display()} {target}"

    def get_absolute_url(self) -> str:
        return reverse("admin:inspections_inspection_change", args=[self.pk])

    def clean(self) -> None:
        if not (self.township_id or self.village_id or self.first_secretary_id):
            raise ValidationError("请至少选择一个督查对象（乡镇、行政村或第一书记）")
        if self.township_id and self.village and self.village.township_id != self.township_id:
            raise ValidationError({"village": "所选行政村不属于所选乡镇"})


class ChecklistResult(models.Model):
    """One checklist item's result in an inspection, with the inspector's note."""

    inspection = models.ForeignKey(
        Inspection, models.CASCADE, related_name="results", verbose_name="督查"
    )
    item = models.CharField("检查项目", max_length=30, choices=ChecklistItem.choices)
    result = models.CharField("结果", max_length=20, choices=CheckResult.choices)
    note = models.CharField("说明", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "检查项目结果"
        verbose_name_plural = "检查项目结果"
        ordering = ["inspection", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                name="checklist_one_per_item",
                violation_error_message="每个检查项目在一次督查中只填一次",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}：{self.get_result_display()}"


class Finding(models.Model):
    """A problem found by an inspection (问题清单), which becomes a rectification item."""

    inspection = models.ForeignKey(
        Inspection, models.CASCADE, related_name="findings", verbose_name="督查"
    )
    item = models.CharField("检查项目", max_length=30, choices=ChecklistItem.choices, blank=True)
    description = models.TextField("问题描述")
    household = models.ForeignKey(
        "households.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name="涉及农户",
    )
    cadre = models.ForeignKey(
        "cadres.Cadre",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name="涉及干部",
    )
    evidence = models.TextField("佐证", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "发现问题"
        verbose_name_plural = "问题清单"
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("admin:inspections_finding_change", args=[self.pk])


OPEN_WITH_CLOSE_DATE = "只有已销号的整改才能填写销号日期，请将整改状态改为“已销号”或清空销号日期"


class Rectification(models.Model):
    """The fix of one finding: owner, deadline, response, verification and 销号."""

    finding = models.OneToOneField(
        Finding, models.CASCADE, related_name="rectification", verbose_name="问题"
    )
    owner = models.CharField("整改责任人", max_length=50)
    owner_unit = models.CharField("责任单位", max_length=100, blank=True)
    deadline = models.DateField("整改期限", db_index=True)
    status = models.CharField(
        "整改状态",
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
        db_index=True,
    )
    response = models.TextField("整改情况", blank=True)
    evidence = models.TextField("整改佐证", blank=True)
    evidence_file = models.FileField("佐证材料", upload_to="rectifications/%Y/", blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closed_by = models.CharField("验收人", max_length=50, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改台账"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=RectificationStatus.CLOSED) & Q(closed_on__isnull=False))
                | (~Q(status=RectificationStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="rectification_closed_has_date",
                violation_error_message="销号须填写销号日期；未销号的整改不能有销号日期",
            ),
        ]

    def __str__(self) -> str:
        return f"整改：{self.finding}"

    def get_absolute_url(self) -> str:
        return reverse("admin:inspections_rectification_change", args=[self.pk])

    def clean(self) -> None:
        closed = self.status == RectificationStatus.CLOSED
        if closed and not self.closed_on:
            raise ValidationError({"closed_on": "整改销号必须填写销号日期"})
        if closed and not self.closed_by:
            raise ValidationError({"closed_by": "销号须填写验收人"})
        if not closed and self.closed_on:
            raise ValidationError({"closed_on": OPEN_WITH_CLOSE_DATE})

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != RectificationStatus.CLOSED and self.deadline < today

    is_overdue.boolean = True  # type: ignore[attr-defined]
    is_overdue.short_description = "逾期"  # type: ignore[attr-defined]


class AdmonitoryTalk(models.Model):
    """An admonitory talk (约谈) with a cadre or leader who failed, often over an overdue fix."""

    talked_on = models.DateField("约谈日期")
    cadre = models.ForeignKey(
        "cadres.Cadre",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name="约谈对象（干部）",
    )
    person = models.CharField("约谈对象", max_length=50, help_text="姓名及职务")
    conducted_by = models.CharField("约谈人", max_length=100)
    reason = models.TextField("约谈事由")
    finding = models.ForeignKey(
        Finding,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name="相关问题",
    )
    outcome = models.TextField("约谈结果", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "约谈"
        verbose_name_plural = "约谈记录"
        ordering = ["-talked_on"]

    def __str__(self) -> str:
        return f"{self.talked_on:%Y-%m-%d} 约谈 {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("admin:inspections_admonitorytalk_change", args=[self.pk])


class QuarterlyRanking(models.Model):
    """A first secretary's quarterly score and rank (季度排队)."""

    posting = models.ForeignKey(
        "cadres.FirstSecretaryPosting",
        models.CASCADE,
        related_name="rankings",
        verbose_name="第一书记",
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)
    rank = models.PositiveIntegerField("排名")
    tier = models.CharField("档次", max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "季度排队"
        verbose_name_plural = "季度排队"
        ordering = ["-year", "-quarter", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "year", "quarter"],
                name="ranking_one_per_quarter",
                violation_error_message="该第一书记本季度已有排队记录",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="ranking_quarter_range",
                violation_error_message="季度应为1至4",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="ranking_score_range",
                violation_error_message="得分应在0至100之间",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting} {self.year}年第{self.quarter}季度 第{self.rank}名"


class AnnualAssessment(models.Model):
    """A first secretary's annual grade (年度考核)."""

    posting = models.ForeignKey(
        "cadres.FirstSecretaryPosting",
        models.CASCADE,
        related_name="assessments",
        verbose_name="第一书记",
    )
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("考核等次", max_length=30, choices=Grade.choices)
    days_in_village = models.PositiveSmallIntegerField("驻村天数", null=True, blank=True)
    notes = models.TextField("考核意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["-year", "posting"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "year"],
                name="assessment_one_per_year_posting",
                violation_error_message="该第一书记本年度已有考核记录",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posting} {self.year}年 {self.get_grade_display()}"
