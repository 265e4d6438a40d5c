"""Help measures (帮扶措施) delivered to a household, with their funds by source, and the yearly
help plan (帮扶计划) they carry out."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.scoping import ScopedQuerySet
from households.choices import FundSource, MeasureCategory, MeasureStatus
from households.models.household import Household


class HelpMeasure(models.Model):
    """A concrete help given to one household in one year, and what it brought (帮扶成效)."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="measures", verbose_name="贫困户"
    )
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("帮扶类别", max_length=20, choices=MeasureCategory.choices)
    content = models.CharField("帮扶内容", max_length=300)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=MeasureStatus.choices,
        default=MeasureStatus.PLANNED,
        db_index=True,
    )
    responsible_cadre = models.ForeignKey(
        "cadres.Cadre",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name="责任人",
    )
    helping_unit = models.ForeignKey(
        "cadres.HelpingUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name="帮扶单位",
    )
    started_on = models.DateField("实施日期", null=True, blank=True)
    due_on = models.DateField("计划完成日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    result = models.CharField("帮扶成效", max_length=300, blank=True)
    result_income = models.DecimalField(
        "增收金额（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶措施"
        verbose_name_plural = "帮扶措施"
        ordering = ["household", "-year", "id"]
        indexes = [models.Index(fields=["year", "category"], name="measure_year_category")]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2013, year__lte=2035),
                name="measure_year_range",
                violation_error_message="措施年度应在2013至2035年之间",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeasureStatus.DONE) | Q(completed_on__isnull=False),
                name="measure_done_has_date",
                violation_error_message="状态为已完成的措施须填写完成日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_category_display()}：{self.content}"

    def get_absolute_url(self) -> str:
        return reverse("admin:households_helpmeasure_change", args=[self.pk])


class MeasureFunding(models.Model):
    """The part of a measure's funds that came from one source."""

    measure = models.ForeignKey(
        HelpMeasure, models.CASCADE, related_name="fundings", verbose_name="帮扶措施"
    )
    source = models.CharField("资金来源", max_length=20, choices=FundSource.choices)
    amount = models.DecimalField(
        "金额（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "措施资金"
        verbose_name_plural = "措施资金"
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "source"],
                name="funding_one_per_source",
                violation_error_message="同一措施的每种资金来源只填一行",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_gte_0",
                violation_error_message="金额不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}元"


class HelpPlan(models.Model):
    """A household's help plan (帮扶计划) for one year: goals, projects, funds and deadline."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="plans", verbose_name="贫困户"
    )
    year = models.PositiveSmallIntegerField("年度")
    goals = models.TextField("帮扶目标")
    planned_exit_year = models.PositiveSmallIntegerField("计划脱贫年度", null=True, blank=True)
    projects = models.TextField("帮扶项目及规模", blank=True)
    planned_funds = models.DecimalField(
        "计划资金（元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    deadline = models.DateField("完成时限", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶计划"
        verbose_name_plural = "帮扶计划"
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="plan_one_per_year",
                violation_error_message="该户本年度已有帮扶计划",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2013, year__lte=2035),
                name="plan_year_range",
                violation_error_message="计划年度应在2013至2035年之间",
            ),
            models.CheckConstraint(
                condition=Q(planned_exit_year__isnull=True)
                | Q(planned_exit_year__gte=2013, planned_exit_year__lte=2035),
                name="plan_exit_year_range",
                violation_error_message="计划脱贫年度应在2013至2035年之间",
            ),
            models.CheckConstraint(
                condition=Q(planned_funds__isnull=True) | Q(planned_funds__gte=0),
                name="plan_funds_gte_0",
                violation_error_message="计划资金不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}年帮扶计划"

    def get_absolute_url(self) -> str:
        return reverse("admin:households_helpplan_change", args=[self.pk])
