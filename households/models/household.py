"""The registered poor household (贫困户) and its yearly 两不愁三保障 assessment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.scoping import ScopedQuerySet
from households.choices import Cause, HouseholdStatus, IdentificationStandard, PovertyAttribute
from households.models.areas import Village
from households.querysets import HouseholdQuerySet

phone_validator = RegexValidator(
    r"^(1\d{10}|0\d{2,3}-?\d{7,8})$", "联系电话应为11位手机号或带区号的固定电话"
)
FIRST_YEAR, LAST_YEAR = 2013, 2030


class Household(models.Model):
    """A registered poor household; 户状态 changes only through dated status-change events."""

    household_number = models.CharField(
        "户编号",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{1,20}$", "户编号应为不超过20位的数字")],
    )
    # No index of its own: `household_village_status` starts with the village.
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="households", verbose_name="行政村", db_index=False
    )
    hamlet = models.CharField("自然村（组）", max_length=50, blank=True)
    identification_standard = models.CharField(
        "识别标准",
        max_length=20,
        choices=IdentificationStandard.choices,
        default=IdentificationStandard.NATIONAL,
    )
    poverty_attribute = models.CharField(
        "贫困户属性", max_length=30, choices=PovertyAttribute.choices
    )
    main_cause = models.CharField("主要致贫原因", max_length=30, choices=Cause.choices)
    other_causes = models.JSONField("其他致贫原因", default=list, blank=True)
    status = models.CharField(
        "户状态",
        max_length=20,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.NOT_EXITED,
    )
    identified_year = models.PositiveSmallIntegerField("识别年度")
    exit_year = models.PositiveSmallIntegerField("脱贫年度", null=True, blank=True)
    return_year = models.PositiveSmallIntegerField("返贫年度", null=True, blank=True)
    keeps_policies = models.BooleanField("享受政策", default=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField("家庭住址", max_length=200, blank=True)
    situation = models.TextField("家庭情况简述", blank=True)
    # The registry's own figures for two columns the system derives from other records (yearly
    # income, pairings): kept so that an export gives back what was imported until those records
    # exist, and compared with them afterwards, never stored over them.
    registry_income_per_capita = models.DecimalField(
        "花名册人均纯收入（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    registry_cadre_names = models.CharField("花名册帮扶责任人", max_length=200, blank=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Raised by every save of the household's page and every registry update of the household,
    # so that a page opened before another person's save cannot overwrite it unnoticed.
    version = models.PositiveIntegerField("版本", default=1)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "贫困户"
        verbose_name_plural = "贫困户"
        ordering = ["household_number"]
        # Every index slows the registry import's bulk insert (on PostgreSQL a CharField with
        # db_index gets a second, LIKE index too): only those some query uses. 贫困户属性 and
        # 致贫原因 have a handful of values each, filtered within an area or counted county-wide.
        indexes = [
            models.Index(fields=["village", "status"], name="household_village_status"),
            models.Index(fields=["status"], name="household_status"),
            models.Index(fields=["identified_year"], name="household_identified_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_number__regex=r"^[0-9]{1,20}$"),
                name="household_number_digits",
                violation_error_message="户编号应为不超过20位的数字",
            ),
            models.CheckConstraint(
                condition=Q(identified_year__gte=FIRST_YEAR, identified_year__lte=LAST_YEAR),
                name="household_identified_year_range",
                violation_error_message="识别年度应在2013至2030年之间",
            ),
            models.CheckConstraint(
                condition=~Q(status=HouseholdStatus.EXITED) | Q(exit_year__isnull=False),
                name="household_exited_has_exit_year",
                violation_error_message="户状态为已脱贫时必须填写脱贫年度",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | Q(exit_year__gte=models.F("identified_year")),
                name="household_exit_after_identification",
                violation_error_message="脱贫年度不能早于识别年度",
            ),
            models.CheckConstraint(
                condition=~Q(status=HouseholdStatus.RETURNED) | Q(return_year__isnull=False),
                name="household_returned_has_return_year",
                violation_error_message="户状态为返贫时必须填写返贫年度",
            ),
        ]

    def __str__(self) -> str:
        return self.household_number

    def get_absolute_url(self) -> str:
        return reverse("admin:households_household_change", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = [cause for cause in self.other_causes or [] if cause not in Cause.values]
        if unknown:
            errors["other_causes"] = f"未知的致贫原因：{'、'.join(unknown)}"
        if self.status == HouseholdStatus.EXITED and not self.exit_year:
            errors["exit_year"] = "户状态为已脱贫时必须填写脱贫年度"
        if self.exit_year and self.identified_year and self.exit_year < self.identified_year:
            errors["exit_year"] = "脱贫年度不能早于识别年度"
        if errors:
            raise ValidationError(errors)

    @property
    def other_cause_labels(self) -> str:
        return "、".join(Cause(value).label for value in self.other_causes or [])


class BasicNeedsAssessment(models.Model):
    """The yearly 两不愁三保障 (plus safe water) check of one household."""

    household = models.ForeignKey(
        Household, models.CASCADE, related_name="assessments", verbose_name="贫困户"
    )
    year = models.PositiveSmallIntegerField("年度")
    food = models.BooleanField("不愁吃", default=True)
    clothing = models.BooleanField("不愁穿", default=True)
    compulsory_education = models.BooleanField("义务教育有保障", default=True)
    basic_medical = models.BooleanField("基本医疗有保障", default=True)
    safe_housing = models.BooleanField("住房安全有保障", default=True)
    safe_water = models.BooleanField("饮水安全有保障", default=True)
    notes = models.TextField("情况说明", blank=True)
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    assessor = models.CharField("评估人", max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )

    ITEMS = (
        "food",
        "clothing",
        "compulsory_education",
        "basic_medical",
        "safe_housing",
        "safe_water",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "两不愁三保障"
        verbose_name_plural = "两不愁三保障"
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="assessment_one_per_year",
                violation_error_message="该户本年度已有“两不愁三保障”评估",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}年两不愁三保障"

    @property
    def all_met(self) -> bool:
        return all(getattr(self, item) for item in self.ITEMS)

    @property
    def unmet_labels(self) -> list[str]:
        return [
            str(getattr(self._meta.get_field(item), "verbose_name", item))
            for item in self.ITEMS
            if not getattr(self, item)
        ]
