"""Helping units, cadres, pairings (结对帮扶), quotas, work teams, first secretaries and visits."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from accounts.scoping import ScopedQuerySet
from cadres.choices import Affiliation, DispatchLevel, Rank, TeamRole, VisitKind
from cadres.querysets import CadreQuerySet, DatedQuerySet
from households.models.household import phone_validator


def ends_after_start(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
        name=name,
        violation_error_message="结束日期不能早于开始日期",
    )


class HelpingUnit(models.Model):
    """A government unit or enterprise (帮扶单位) that helps villages and households."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    affiliation = models.CharField("单位层级", max_length=20, choices=Affiliation.choices)
    enterprise_class = models.PositiveSmallIntegerField(
        "企业帮扶类别", null=True, blank=True, help_text="企业按县定类别一至四类，决定包户数"
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=20, blank=True, validators=[phone_validator]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [
            ("import_helpingunit", "可以导入帮扶单位"),
            ("export_helpingunit", "可以导出帮扶单位"),
        ]
        verbose_name = "帮扶单位"
        verbose_name_plural = "帮扶单位"
        ordering = ["affiliation", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise_class__isnull=True)
                | Q(enterprise_class__gte=1, enterprise_class__lte=4),
                name="unit_enterprise_class_range",
                violation_error_message="企业帮扶类别应为1至4类",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_helpingunit_change", args=[self.pk])


class Cadre(models.Model):
    """A cadre (帮扶干部) of a unit, paired with households or posted to a village."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    unit = models.ForeignKey(
        HelpingUnit, models.PROTECT, related_name="cadres", verbose_name="所在单位"
    )
    rank = models.CharField("职级", max_length=20, choices=Rank.choices, db_index=True)
    post = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[phone_validator])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name="登录账号",
    )
    is_active = models.BooleanField("在岗", default=True)

    objects = CadreQuerySet.as_manager()

    class Meta:
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [("import_cadre", "可以导入帮扶干部"), ("export_cadre", "可以导出帮扶干部")]
        verbose_name = "帮扶干部"
        verbose_name_plural = "帮扶干部"
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        # Names repeat across units (two 张伟); name the unit when it is already loaded.
        unit = self._state.fields_cache.get("unit")
        return f"{self.name}（{unit.name}）" if unit else self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_cadre_change", args=[self.pk])


class Pairing(models.Model):
    """A cadre responsible for a household from a date; a change is a new pairing, not an edit."""

    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="pairings", verbose_name="帮扶责任人"
    )
    household = models.ForeignKey(
        "households.Household", models.PROTECT, related_name="pairings", verbose_name="贫困户"
    )
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [
            ("import_pairing", "可以导入结对帮扶"),
            ("export_pairing", "可以导出结对帮扶"),
        ]
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["household", "-started_on"]
        indexes = [models.Index(fields=["household", "ended_on"], name="pairing_household_current")]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "household"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_current_per_cadre_household",
                violation_error_message="该干部已与该户结对（未解除）",
            ),
            ends_after_start("pairing_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.household}"

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_pairing_change", args=[self.pk])


class QuotaRule(models.Model):
    """How many households a cadre of a rank must help (data, since counties set their own)."""

    rank = models.CharField("职级", max_length=20, choices=Rank.choices)
    enterprise_class = models.PositiveSmallIntegerField("企业帮扶类别", null=True, blank=True)
    min_households = models.PositiveSmallIntegerField("最少帮扶户数")
    max_households = models.PositiveSmallIntegerField("最多帮扶户数", null=True, blank=True)
    effective_from = models.DateField("生效日期")
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "包户数规则"
        verbose_name_plural = "包户数规则"
        ordering = ["rank", "enterprise_class", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rank", "effective_from"],
                condition=Q(enterprise_class__isnull=True),
                name="quota_rule_unique_rank",
                violation_error_message="该职级在该生效日期已有规则",
            ),
            models.UniqueConstraint(
                fields=["rank", "enterprise_class", "effective_from"],
                condition=Q(enterprise_class__isnull=False),
                name="quota_rule_unique_class",
                violation_error_message="该企业类别在该生效日期已有规则",
            ),
            models.CheckConstraint(
                condition=Q(max_households__isnull=True)
                | Q(max_households__gte=F("min_households")),
                name="quota_rule_max_gte_min",
                violation_error_message="最多帮扶户数不能少于最少帮扶户数",
            ),
        ]

    def __str__(self) -> str:
        upper = f"–{self.max_households}" if self.max_households else "以上"
        return f"{self.get_rank_display()} {self.min_households}{upper}户"


class WorkTeam(models.Model):
    """A resident work team (驻村工作队) posted to a village by a dispatching unit."""

    village = models.ForeignKey(
        "households.Village", models.PROTECT, related_name="work_teams", verbose_name="驻村"
    )
    name = models.CharField("工作队名称", max_length=100)
    dispatching_unit = models.ForeignKey(
        HelpingUnit, models.PROTECT, related_name="work_teams", verbose_name="派出单位"
    )
    started_on = models.DateField("进驻日期")
    ended_on = models.DateField("撤离日期", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "驻村工作队"
        verbose_name_plural = "驻村工作队"
        ordering = ["village", "-started_on"]
        constraints = [ends_after_start("work_team_ends_after_start")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_workteam_change", args=[self.pk])


class WorkTeamMember(models.Model):
    """A cadre's membership of a work team, with role and dates."""

    team = models.ForeignKey(
        WorkTeam, models.CASCADE, related_name="members", verbose_name="工作队"
    )
    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="team_memberships", verbose_name="队员"
    )
    role = models.CharField(
        "队内职务", max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    started_on = models.DateField("进驻日期")
    ended_on = models.DateField("撤离日期", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "工作队员"
        verbose_name_plural = "工作队员"
        ordering = ["team", "role", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "cadre"],
                condition=Q(ended_on__isnull=True),
                name="team_member_one_current",
                violation_error_message="该干部已是本工作队的在岗队员",
            ),
            ends_after_start("team_member_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.get_role_display()} {self.cadre}"


class FirstSecretaryPosting(models.Model):
    """A cadre posted to a village as its first secretary (驻村第一书记) for a term."""

    cadre = models.ForeignKey(
        Cadre, models.PROTECT, related_name="postings", verbose_name="第一书记"
    )
    village = models.ForeignKey(
        "households.Village",
        models.PROTECT,
        related_name="first_secretary_postings",
        verbose_name="驻村",
    )
    dispatch_level = models.CharField("选派层级", max_length=20, choices=DispatchLevel.choices)
    dispatching_unit = models.ForeignKey(
        HelpingUnit, models.PROTECT, related_name="postings", verbose_name="派出单位"
    )
    started_on = models.DateField("任职开始")
    term_ends_on = models.DateField("任期届满")
    ended_on = models.DateField("实际离任", null=True, blank=True)
    monthly_allowance = models.DecimalField(
        "生活补助（元/月）",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    transport_allowance = models.DecimalField(
        "交通补助（元/月）",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    has_accident_insurance = models.BooleanField("已办理人身意外保险", default=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "第一书记选派"
        verbose_name_plural = "驻村第一书记"
        ordering = ["village", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(ended_on__isnull=True),
                name="posting_one_current_per_village",
                violation_error_message="该村已有在任第一书记，请先办理原第一书记离任",
            ),
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(ended_on__isnull=True),
                name="posting_one_current_per_cadre",
                violation_error_message="该干部已在其他村任第一书记（未离任）",
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=F("started_on")),
                name="posting_term_after_start",
                violation_error_message="任期届满日期应晚于任职开始日期",
            ),
            ends_after_start("posting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(monthly_allowance__gte=0, transport_allowance__gte=0),
                name="posting_allowances_gte_0",
                violation_error_message="补助金额不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre}（{self.village}）"

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_firstsecretaryposting_change", args=[self.pk])


class Visit(models.Model):
    """A visit log entry (走访记录 / 民情日记): who went where, what was found, what was done."""

    author = models.ForeignKey(Cadre, models.PROTECT, related_name="visits", verbose_name="走访人")
    visited_on = models.DateField("走访日期", db_index=True)
    village = models.ForeignKey(
        "households.Village", models.PROTECT, related_name="visits", verbose_name="行政村"
    )
    household = models.ForeignKey(
        "households.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name="走访户",
    )
    kind = models.CharField("走访方式", max_length=20, choices=VisitKind.choices)
    findings = models.TextField("发现问题")
    actions = models.TextField("采取措施", blank=True)
    follow_up = models.TextField("后续跟进", blank=True)
    follow_up_due_on = models.DateField("跟进期限", null=True, blank=True)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["village", "visited_on"], name="visit_village_date")]

    def __str__(self) -> str:
        target = self.household or self.village
        return f"{self.visited_on:%Y-%m-%d} {self.author} 走访 {target}"

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_visit_change", args=[self.pk])

    def clean(self) -> None:
        if self.household and self.village_id and self.household.village_id != self.village_id:
            raise ValidationError({"household": "走访户不属于所选行政村"})
