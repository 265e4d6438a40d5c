"""A member (家庭成员) of a household; a member who leaves is marked as left, never deleted."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from households import idnumbers
from households.choices import (
    ETHNICITY_CHOICES,
    Education,
    Health,
    LabourSkill,
    MemberJoinReason,
    MemberLeaveReason,
    Relation,
    Sex,
    StudentStatus,
    WorkStatus,
)
from households.models.household import Household
from households.querysets import MemberQuerySet


class Member(models.Model):
    """A person of a household, with every member column of the registry contract."""

    household = models.ForeignKey(
        Household, models.PROTECT, related_name="members", verbose_name="贫困户", db_index=False
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("证件号码", max_length=18)
    relation_to_head = models.CharField("与户主关系", max_length=20, choices=Relation.choices)
    sex = models.CharField("性别", max_length=10, choices=Sex.choices)
    ethnicity = models.CharField("民族", max_length=10, choices=ETHNICITY_CHOICES, default="汉族")
    birth_date = models.DateField("出生日期")
    education = models.CharField("文化程度", max_length=30, choices=Education.choices, blank=True)
    student_status = models.CharField(
        "在校生状况", max_length=30, choices=StudentStatus.choices, blank=True
    )
    health = models.CharField("健康状况", max_length=20, choices=Health.choices)
    labour_skill = models.CharField("劳动技能", max_length=20, choices=LabourSkill.choices)
    work_status = models.CharField(
        "务工状况", max_length=20, choices=WorkStatus.choices, blank=True
    )
    work_months = models.PositiveSmallIntegerField("务工时间（月）", null=True, blank=True)
    has_medical_insurance = models.BooleanField("是否参加城乡居民基本医疗保险", default=True)
    has_pension_insurance = models.BooleanField("是否参加城乡居民基本养老保险", default=False)
    has_serious_illness_insurance = models.BooleanField("是否参加大病保险", default=False)
    disability_card_number = models.CharField("残疾证号", max_length=20, blank=True)
    months_at_home = models.PositiveSmallIntegerField("在家居住时间（月）", null=True, blank=True)
    # db_default: the registry import inserts members in bulk with explicit column lists.
    receives_minimum_living = models.BooleanField("是否享受低保", default=False, db_default=False)
    joined_on = models.DateField("加入日期", null=True, blank=True)
    join_reason = models.CharField(
        "加入原因", max_length=20, choices=MemberJoinReason.choices, blank=True
    )
    left_on = models.DateField("减少日期", null=True, blank=True)
    leave_reason = models.CharField(
        "减少原因", max_length=20, choices=MemberLeaveReason.choices, blank=True
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household", "id"]
        # Every index costs the registry import's bulk insert, so only those a query uses. ID
        # numbers are matched whole (no PostgreSQL LIKE twin); names only by their beginning
        # (LIKE 'x%'), which on PostgreSQL only a pattern index serves. The household foreign
        # key has no index of its own: `member_household_current` starts with it.
        indexes = [
            models.Index(fields=["household", "left_on"], name="member_household_current"),
            models.Index(fields=["id_number"], name="member_id_number"),
            models.Index(
                fields=["name"], name="member_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            # An ID is unique among current members; a member who left keeps the record.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(left_on__isnull=True),
                name="member_current_id_unique",
                violation_error_message="该证件号码已属于另一名现有家庭成员",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation_to_head="head", left_on__isnull=True),
                name="member_one_current_head",
                violation_error_message="每户只能有一名户主",
            ),
            models.CheckConstraint(
                condition=Q(id_number__regex=r"^[0-9]{17}[0-9X]$"),
                name="member_id_number_format",
                violation_error_message="证件号码应为18位：前17位数字，最后一位为数字或X",
            ),
            models.CheckConstraint(
                condition=Q(work_months__isnull=True) | Q(work_months__lte=12),
                name="member_work_months_range",
                violation_error_message="务工时间应在0至12个月之间",
            ),
            models.CheckConstraint(
                condition=Q(months_at_home__isnull=True) | Q(months_at_home__lte=12),
                name="member_months_at_home_range",
                violation_error_message="在家居住时间应在0至12个月之间",
            ),
            models.CheckConstraint(
                condition=(Q(left_on__isnull=True) & Q(leave_reason=""))
                | (Q(left_on__isnull=False) & ~Q(leave_reason="")),
                name="member_left_has_reason",
                violation_error_message="减少日期与减少原因须同时填写",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:households_member_change", args=[self.pk])

    @property
    def is_head(self) -> bool:
        return self.relation_to_head == Relation.HEAD

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            facts = idnumbers.parse(self.id_number or "")
        except idnumbers.IdNumberError as exc:
            errors["id_number"] = str(exc)
        else:
            self.id_number = facts.number
            if self.birth_date and self.birth_date != facts.birth_date:
                errors["birth_date"] = (
                    f"出生日期与证件号码不符（证件号码为 {facts.birth_date:%Y-%m-%d}）"
                )
            if self.sex and (self.sex == Sex.MALE) != facts.is_male:
                errors["sex"] = "性别与证件号码第17位不符"
        if (
            self.disability_card_number
            and self.id_number
            and not (self.disability_card_number.startswith(self.id_number))
        ):
            errors["disability_card_number"] = "残疾证号前18位应与证件号码一致"
        if bool(self.left_on) != bool(self.leave_reason):
            errors["leave_reason"] = "减少日期与减少原因须同时填写"
        if errors:
            raise ValidationError(errors)
