"""Who holds which role, where: one assignment per user account."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.roles import RULES, Role, Scope


class Assignment(models.Model):
    """A user's role and the area (county, township or village) where it applies."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="assignment", verbose_name="用户"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    county = models.ForeignKey(
        "households.County", models.PROTECT, null=True, blank=True, verbose_name="县"
    )
    township = models.ForeignKey(
        "households.Township", models.PROTECT, null=True, blank=True, verbose_name="乡镇"
    )
    village = models.ForeignKey(
        "households.Village", models.PROTECT, null=True, blank=True, verbose_name="行政村"
    )

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            # At most one area: the role's rule says which one it needs (checked in clean()).
            models.CheckConstraint(
                condition=(
                    Q(county__isnull=True, township__isnull=True)
                    | Q(county__isnull=True, village__isnull=True)
                    | Q(township__isnull=True, village__isnull=True)
                ),
                name="assignment_one_area",
                violation_error_message="一个角色只能对应一个区域",
            ),
        ]

    def __str__(self) -> str:
        area = self.area
        return f"{self.user}：{self.get_role_display()}" + (f"（{area}）" if area else "")

    @property
    def scope(self) -> Scope:
        return RULES[self.role].scope

    @property
    def area(self) -> models.Model | None:
        return self.village or self.township or self.county

    def clean(self) -> None:
        role = self.get_role_display()
        needed = {Scope.COUNTY: "county", Scope.TOWNSHIP: "township", Scope.VILLAGE: "village"}
        field = needed.get(self.scope)
        for name in ("county", "township", "village"):
            given = getattr(self, f"{name}_id") is not None
            label = {"county": "县", "township": "乡镇", "village": "行政村"}[name]
            if name == field and not given:
                raise ValidationError({name: f"角色“{role}”需要指定{label}"})
            if name != field and given:
                raise ValidationError({name: f"角色“{role}”不按{label}划定范围，请留空"})
        if self.scope is Scope.PAIRED and getattr(self.user, "cadre", None) is None:
            raise ValidationError("帮扶责任人角色需要先在“帮扶干部”中为其关联此登录账号")
