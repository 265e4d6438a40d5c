"""Password rules of the security policy: length, character classes and no reuse.

Each validator reads the policy when it runs, so a change by the 安全管理员 applies to the next
password set without a restart. `PasswordHistoryValidator.password_changed` is Django's hook
called by `User.save()` after `set_password()` (not on hash upgrades), so every way of setting a
password (forms, admin, commands) lands in the history.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from accounts.models.security import PasswordHistory
from accounts.security.policy import login_policy

CLASS_NAMES = ("大写字母", "小写字母", "数字", "符号")


def character_classes(password: str) -> int:
    """How many of the four classes (upper, lower, digit, anything else) the password uses."""
    found = {
        "upper" if char.isupper() else
        "lower" if char.islower() else
        "digit" if char.isdigit() else
        "symbol"
        for char in password
    }  # fmt: skip
    return len(found)


class MinimumLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = login_policy().password_min_length
        if len(password) < minimum:
            raise ValidationError(
                f"密码太短，至少需要 {minimum} 个字符。",
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self) -> str:
        return f"密码至少 {login_policy().password_min_length} 个字符。"


class CharacterClassesValidator:
    def validate(self, password: str, user: Any = None) -> None:
        needed = login_policy().password_min_classes
        if character_classes(password) < needed:
            raise ValidationError(
                f"密码须至少包含{'、'.join(CLASS_NAMES)}中的 {needed} 类。",
                code="password_too_simple",
                params={"min_classes": needed},
            )

    def get_help_text(self) -> str:
        needed = login_policy().password_min_classes
        return f"密码须至少包含{'、'.join(CLASS_NAMES)}中的 {needed} 类。"


class PasswordHistoryValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        count = login_policy().password_history
        # The current hash too: a password set before the history existed is only there.
        hashes = list(dict.fromkeys([user.password, *self._recent_hashes(user, count)]))
        if any(check_password(password, encoded) for encoded in hashes[:count] if encoded):
            raise ValidationError(
                f"不能使用最近 {count} 次用过的密码。",
                code="password_reused",
                params={"count": count},
            )

    def get_help_text(self) -> str:
        return f"不能使用最近 {login_policy().password_history} 次用过的密码。"

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = self._recent_ids(user, login_policy().password_history)
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()

    @staticmethod
    def _recent_hashes(user: Any, count: int) -> list[str]:
        rows = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)
        return list(rows[:count])

    @staticmethod
    def _recent_ids(user: Any, count: int) -> list[int]:
        return list(PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[:count])
