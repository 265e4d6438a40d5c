"""Create (or reset) the demo logins with known passwords, for the local demo only."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

# (username, password, full name, superuser?). Role-bound users come with roles (issue 5).
DEMO_USERS = [
    ("demo_admin", "Demo-admin-2026", "演示管理员", True),
]


class Command(BaseCommand):
    help = "创建演示账号（仅用于本地演示），并打印用户名和密码。"

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        self.stdout.write("演示账号（用户名 / 密码）：")
        for username, password, full_name, is_superuser in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.is_staff = True
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            self.stdout.write(f"  {username} / {password}  （{full_name}）")
