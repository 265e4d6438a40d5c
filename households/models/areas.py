"""The county's areas: county → township (乡镇) → administrative village (行政村)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.scoping import ScopedQuerySet

division_code_validator = RegexValidator(r"^\d{12}$", "统计用区划代码应为12位数字")


class County(models.Model):
    """A county (县/市/区): owns the registry."""

    name = models.CharField("县（市、区）", max_length=50, unique=True)
    province = models.CharField("省份", max_length=30, blank=True)
    city = models.CharField("地市", max_length=30, blank=True)
    division_code = models.CharField(
        "统计用区划代码", max_length=12, blank=True, validators=[division_code_validator]
    )
    is_poor_county = models.BooleanField("贫困县", default=False)
    exit_year = models.PositiveSmallIntegerField("摘帽年度", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [("import_county", "可以导入县"), ("export_county", "可以导出县")]
        verbose_name = "县"
        verbose_name_plural = "县"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["division_code"],
                condition=~Q(division_code=""),
                name="county_code_unique",
                violation_error_message="该统计用区划代码已被其他县使用",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    """A township (乡/镇): reviews the village lists and runs the work teams."""

    county = models.ForeignKey(County, models.PROTECT, related_name="townships", verbose_name="县")
    name = models.CharField("乡（镇）", max_length=50)
    division_code = models.CharField(
        "统计用区划代码", max_length=12, blank=True, validators=[division_code_validator]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [("import_township", "可以导入乡镇"), ("export_township", "可以导出乡镇")]
        verbose_name = "乡镇"
        verbose_name_plural = "乡镇"
        ordering = ["division_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="township_name_unique",
                violation_error_message="本县已有同名乡镇",
            ),
            models.UniqueConstraint(
                fields=["division_code"],
                condition=~Q(division_code=""),
                name="township_code_unique",
                violation_error_message="该统计用区划代码已被其他乡镇使用",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:households_township_change", args=[self.pk])

    def clean(self) -> None:
        code = self.division_code
        parent = self.county.division_code if self.county_id else ""
        if code and parent and code[:6] != parent[:6]:
            raise ValidationError({"division_code": f"乡镇代码应以所属县代码 {parent[:6]} 开头"})


class Village(models.Model):
    """An administrative village (行政村), where households are registered."""

    township = models.ForeignKey(
        Township, models.PROTECT, related_name="villages", verbose_name="乡（镇）"
    )
    name = models.CharField("行政村", max_length=50)
    division_code = models.CharField(
        "统计用区划代码", max_length=12, blank=True, validators=[division_code_validator]
    )
    is_poor_village = models.BooleanField("贫困村", default=False)
    exit_year = models.PositiveSmallIntegerField("出列年度", null=True, blank=True)
    rural_population = models.PositiveIntegerField("农村人口数", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [("import_village", "可以导入行政村"), ("export_village", "可以导出行政村")]
        verbose_name = "行政村"
        verbose_name_plural = "行政村"
        ordering = ["division_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="village_name_unique",
                violation_error_message="本乡镇已有同名行政村",
            ),
            models.UniqueConstraint(
                fields=["division_code"],
                condition=~Q(division_code=""),
                name="village_code_unique",
                violation_error_message="该统计用区划代码已被其他行政村使用",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | Q(is_poor_village=True),
                name="village_exit_only_if_poor",
                violation_error_message="只有贫困村才有出列年度",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | Q(exit_year__gte=2014, exit_year__lte=2030),
                name="village_exit_year_range",
                violation_error_message="出列年度应在2014至2030年之间",
            ),
        ]

    def __str__(self) -> str:
        # Village names repeat across townships; name the township when it is already loaded.
        township = self._state.fields_cache.get("township")
        return f"{township.name}{self.name}" if township else self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:households_village_change", args=[self.pk])

    def clean(self) -> None:
        code = self.division_code
        parent = self.township.division_code if self.township_id else ""
        if code and parent and code[:9] != parent[:9]:
            raise ValidationError(
                {"division_code": f"行政村代码应以所属乡镇代码 {parent[:9]} 开头"}
            )
