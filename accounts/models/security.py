"""Login security records: the password history and the security policy the 安全管理员 sets."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PasswordHistory(models.Model):
    """One password a user has had (its hash) and when it was set; the newest is the current."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="password_history",
        verbose_name="用户",
    )
    password = models.CharField("密码散列", max_length=128)
    changed_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["user", "-changed_at"], name="password_history_latest")]

    def __str__(self) -> str:
        return f"{self.user}：{timezone.localtime(self.changed_at):%Y-%m-%d %H:%M}"


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def _bounded(low: int, high: int) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


class SecurityPolicy(models.Model):
    """The one row of login rules; until the 安全管理员 saves it, settings give the values."""

    failure_limit = models.PositiveSmallIntegerField(
        "锁定前允许的失败次数", validators=_bounded(3, 10)
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        "锁定时长（分钟）", validators=_bounded(5, 24 * 60)
    )
    password_min_length = models.PositiveSmallIntegerField(
        "密码最短长度", validators=_bounded(8, 64)
    )
    password_min_classes = models.PositiveSmallIntegerField(
        "密码至少包含的字符类别数",
        validators=_bounded(2, 4),
        help_text="大写字母、小写字母、数字、符号四类中至少几类",
    )
    password_history = models.PositiveSmallIntegerField(
        "不得重复使用最近几次密码", validators=_bounded(1, 24)
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        "密码有效期（天）",
        validators=_bounded(0, 365),
        help_text="0 表示不过期",
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        "无操作自动退出（分钟）", validators=_bounded(5, 8 * 60)
    )
    absolute_timeout_hours = models.PositiveSmallIntegerField(
        "登录最长有效期（小时）", validators=_bounded(1, 24)
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"
        constraints = [
            # A singleton: the row is always pk=1, so a second one cannot be added.
            models.CheckConstraint(condition=Q(pk=1), name="security_policy_singleton"),
            models.CheckConstraint(
                condition=Q(
                    failure_limit__gte=3, password_min_length__gte=8, password_history__gte=1
                ),
                name="security_policy_floor",
                violation_error_message="锁定次数、密码长度和历史密码条数不得低于等级保护的下限",
            ),
        ]

    def __str__(self) -> str:
        return "安全策略"

    @classmethod
    def defaults(cls) -> dict[str, int]:
        """The values from settings (and so from the environment)."""
        return {
            "failure_limit": _setting("LOGIN_FAILURE_LIMIT"),
            "lockout_minutes": _setting("LOGIN_LOCKOUT_MINUTES"),
            "password_min_length": _setting("PASSWORD_MIN_LENGTH"),
            "password_min_classes": _setting("PASSWORD_MIN_CHARACTER_CLASSES"),
            "password_history": _setting("PASSWORD_HISTORY_COUNT"),
            "password_max_age_days": _setting("PASSWORD_MAX_AGE_DAYS"),
            "idle_timeout_minutes": _setting("SESSION_IDLE_TIMEOUT_MINUTES"),
            "absolute_timeout_hours": _setting("SESSION_ABSOLUTE_TIMEOUT_HOURS"),
        }
