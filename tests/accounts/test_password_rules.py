"""Password rules: length, three of four character classes, the last five not reused."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import PasswordHistory
from accounts.security.validators import character_classes
from tests import factories
from tests.accounts.factories import SecurityPolicyFactory


def errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [item.code for item in error.error_list], error.messages
    return [], []


@pytest.mark.parametrize(
    ("password", "count"),
    [("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("abEF12!?", 4), ("拼音密码ab", 2)],
)
def test_character_classes_are_counted(password, count):
    assert character_classes(password) == count


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Qingheorchard", "qinghe-orchard", "QINGHE2026XX"])
def test_two_classes_are_refused_in_chinese(password):
    codes, messages = errors(password)

    assert codes == ["password_too_simple"]
    assert messages == ["密码须至少包含大写字母、小写字母、数字、符号中的 3 类。"]


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Qinghe-orchard", "qinghe-2026-x", "QINGHE2026xx"])
def test_three_classes_are_accepted(password):
    assert errors(password) == ([], [])


@pytest.mark.django_db
def test_a_short_password_is_refused_in_chinese():
    codes, messages = errors("Ab1!xyz")

    assert "password_too_short" in codes
    assert "密码太短，至少需要 10 个字符。" in messages


@pytest.mark.django_db
def test_the_saved_policy_changes_the_rules():
    # given a policy of 12 characters and all four classes
    SecurityPolicyFactory(password_min_length=12, password_min_classes=4)

    # then a ten-character password of three classes is refused twice over
    codes, _ = errors("Qinghe2026x")
    assert set(codes) == {"password_too_short", "password_too_simple"}


def change(user, password):
    validate_password(password, user)
    user.set_password(password)
    user.save()


@pytest.mark.django_db
def test_none_of_the_last_five_passwords_may_be_reused():
    # given a user who has set six passwords in turn
    user = factories.UserFactory()
    used = [f"Qinghe-orchard-{n}" for n in range(6)]
    for password in used:
        change(user, password)

    # then the five most recent are refused, the sixth most recent is allowed again
    for password in used[1:]:
        codes, messages = errors(password, user)
        assert codes == ["password_reused"], password
        assert messages == ["不能使用最近 5 次用过的密码。"]
    assert errors(used[0], user) == ([], [])


@pytest.mark.django_db
def test_the_history_keeps_only_the_hashes_it_needs():
    user = factories.UserFactory()
    for n in range(7):
        change(user, f"Qinghe-orchard-{n}")

    hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))

    assert len(hashes) == 5
    assert hashes[0] == user.password
    assert not any("Qinghe" in encoded for encoded in hashes)


@pytest.mark.django_db
def test_the_current_password_counts_even_without_history():
    # given a user whose password was set before the history existed (the factory sets the hash)
    user = factories.UserFactory()
    assert not PasswordHistory.objects.filter(user=user).exists()

    codes, _ = errors("Demo-pass-2024", user)

    assert codes == ["password_reused"]


@pytest.mark.django_db
def test_a_new_user_is_checked_without_history():
    assert errors("Qinghe-orchard-1", factories.UserFactory.build()) == ([], [])
