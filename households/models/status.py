"""Status changes (动态调整): every change of 户状态 or membership is a dated, approved event."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.scoping import ScopedQuerySet
from households.choices import HouseholdStatus, StatusChangeKind
from households.models.household import Household
from households.models.member import Member

MEMBER_KINDS = (StatusChangeKind.NATURAL_INCREASE, StatusChangeKind.NATURAL_DECREASE)

# Which 户状态 each household-level change may start from, and where it leads.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    StatusChangeKind.NEW_IDENTIFICATION: ((), HouseholdStatus.NOT_EXITED),
    StatusChangeKind.MARK_EXITED: (
        (HouseholdStatus.NOT_EXITED, HouseholdStatus.RETURNED),
        HouseholdStatus.EXITED,
    ),
    StatusChangeKind.RETURN: ((HouseholdStatus.EXITED,), HouseholdStatus.RETURNED),
    StatusChangeKind.REMOVAL: (
        (HouseholdStatus.NOT_EXITED, HouseholdStatus.EXITED, HouseholdStatus.RETURNED),
        HouseholdStatus.REMOVED,
    ),
}


class StatusChange(models.Model):
    """One 动态调整 event: kind, effective date, reason, who recorded it and who approved it."""

    household = models.ForeignKey(
        Household, models.PROTECT, related_name="status_changes", verbose_name="贫困户"
    )
    member = models.ForeignKey(
        Member,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name="家庭成员",
    )
    kind = models.CharField("调整类型", max_length=30, choices=StatusChangeKind.choices)
    from_status = models.CharField(
        "调整前户状态", max_length=20, choices=HouseholdStatus.choices, blank=True
    )
    to_status = models.CharField(
        "调整后户状态", max_length=20, choices=HouseholdStatus.choices, blank=True
    )
    year = models.PositiveSmallIntegerField("年度")
    effective_on = models.DateField("生效日期")
    reason = models.CharField("原因", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    approved_by = models.CharField("批准人（单位）", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "动态调整"
        verbose_name_plural = "动态调整"
        ordering = ["household", "effective_on", "id"]
        indexes = [models.Index(fields=["year", "kind"], name="status_change_year_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=MEMBER_KINDS) | Q(member__isnull=False),
                name="status_change_member_kind_has_member",
                violation_error_message="自然增加、自然减少须指明家庭成员",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MEMBER_KINDS) | ~Q(to_status=""),
                name="status_change_household_kind_has_status",
                violation_error_message="户状态调整须填写调整后户状态",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_on:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("admin:households_statuschange_change", args=[self.pk])
