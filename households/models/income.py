"""Yearly household income (收入) and the poverty lines (扶贫标准) it is compared with."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from households.choices import PovertyLineBasis
from households.models.household import Household
from households.models.member import Member
from households.querysets import IncomeQuerySet, PovertyLineQuerySet, per_capita

PROPERTY_ITEMS = ("asset_dividend_income", "other_property_income")
TRANSFER_ITEMS = (
    "family_planning_award",
    "minimum_living_allowance",
    "extreme_poverty_allowance",
    "pension",
    "ecological_compensation",
    "other_transfer_income",
)
MONEY_FIELDS = (
    "wage_income",
    "public_welfare_job_income",
    "business_income",
    "business_expense",
    *PROPERTY_ITEMS,
    *TRANSFER_ITEMS,
)


def money(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )


class YearlyIncome(models.Model):
    """One household's income of one year; totals and per-capita income are computed, not typed."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="incomes", verbose_name="贫困户"
    )
    year = models.PositiveSmallIntegerField("年度")
    wage_income = money("工资性收入")
    public_welfare_job_income = money("公益性岗位收入")
    business_income = money("生产经营性收入")
    business_expense = money("生产经营性支出")
    asset_dividend_income = money("资产收益扶贫分红")
    other_property_income = money("其他财产性收入")
    family_planning_award = money("计划生育金")
    minimum_living_allowance = money("低保金")
    extreme_poverty_allowance = money("特困供养金（五保金）")
    pension = money("养老保险金")
    ecological_compensation = money("生态补偿金")
    other_transfer_income = money("其他转移性收入")
    notes = models.CharField("备注", max_length=200, blank=True)

    objects = IncomeQuerySet.as_manager()

    PROPERTY_ITEMS = PROPERTY_ITEMS
    TRANSFER_ITEMS = TRANSFER_ITEMS
    MONEY_FIELDS = MONEY_FIELDS

    class Meta:
        verbose_name = "年度收入"
        verbose_name_plural = "年度收入"
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="income_one_per_year",
                violation_error_message="该户本年度已有收入记录",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2010, year__lte=2035),
                name="income_year_range",
                violation_error_message="收入年度应在2010至2035年之间",
            ),
        ] + [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 0}),
                name=f"income_{name}_gte_0",
                violation_error_message="收入和支出金额不能为负数",
            )
            for name in MONEY_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}年收入"

    def get_absolute_url(self) -> str:
        return reverse("admin:households_yearlyincome_change", args=[self.pk])

    def _sum(self, names: tuple[str, ...]) -> Decimal:
        return sum((getattr(self, name) or Decimal("0") for name in names), Decimal("0"))

    @property
    def wage_total(self) -> Decimal:
        """工资性收入 including 公益性岗位收入, which 2021+ forms split out."""
        return self._sum(("wage_income", "public_welfare_job_income"))

    @property
    def property_income(self) -> Decimal:
        return self._sum(self.PROPERTY_ITEMS)

    @property
    def transfer_income(self) -> Decimal:
        return self._sum(self.TRANSFER_ITEMS)

    @property
    def gross_income(self) -> Decimal:
        """年收入 = 工资性 + 生产经营性 + 财产性 + 转移性."""
        return (
            self.wage_total
            + (self.business_income or 0)
            + self.property_income
            + (self.transfer_income)
        )

    @property
    def net_income(self) -> Decimal:
        """纯收入 = 年收入 − 生产经营性支出."""
        return self.gross_income - (self.business_expense or Decimal("0"))

    @property
    def household_size(self) -> int:
        """Members on 31 December of the year; `with_household_size()` annotates it for lists."""
        if "household_size" in self.__dict__:
            return self.__dict__["household_size"]
        members = Member.objects.filter(household_id=self.household_id)
        return members.present_at_end_of(self.year).count()

    @household_size.setter
    def household_size(self, value: int) -> None:
        self.__dict__["household_size"] = value

    @property
    def net_income_per_capita(self) -> Decimal | None:
        """人均纯收入, always computed: 纯收入 ÷ that year's household size."""
        return per_capita(self.net_income, self.household_size)

    @property
    def poverty_line_amount(self) -> Decimal | None:
        """That year's line; `with_poverty_line()` annotates it for lists."""
        if "poverty_line" in self.__dict__:
            return self.__dict__["poverty_line"]
        province = self.household.village.township.county.province
        lines = PovertyLine.objects.applicable(year=self.year, province=province)
        return lines.values_list("amount", flat=True).first()

    @property
    def is_above_line(self) -> bool | None:
        """Whether per-capita income is above that year's line (None when either is unknown)."""
        line, value = self.poverty_line_amount, self.net_income_per_capita
        if line is None or value is None:
            return None
        return value > line


class PovertyLine(models.Model):
    """A year's poverty line (扶贫标准), national or provincial: a setting, never a constant."""

    year = models.PositiveSmallIntegerField("年度")
    province = models.CharField("适用省份", max_length=30, blank=True, help_text="留空表示全国标准")
    amount = models.DecimalField(
        "标准（元/人·年）",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    basis = models.CharField(
        "口径",
        max_length=20,
        choices=PovertyLineBasis.choices,
        default=PovertyLineBasis.STATISTICAL,
    )
    is_verified = models.BooleanField("已核实", default=False)
    source_note = models.CharField("来源说明", max_length=300, blank=True)

    objects = PovertyLineQuerySet.as_manager()

    class Meta:
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [
            ("import_povertyline", "可以导入扶贫标准"),
            ("export_povertyline", "可以导出扶贫标准"),
        ]
        verbose_name = "扶贫标准"
        verbose_name_plural = "扶贫标准（贫困线）"
        ordering = ["-year", "province", "basis"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "province", "basis"],
                name="poverty_line_unique",
                violation_error_message="该年度、省份和口径的扶贫标准已存在",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="poverty_line_positive",
                violation_error_message="扶贫标准应大于0",
            ),
        ]

    def __str__(self) -> str:
        scope = self.province or "全国"
        return f"{self.year}年{scope}{self.get_basis_display()} {self.amount}元"
