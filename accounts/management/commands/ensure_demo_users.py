"""Create (or reset) the demo logins, one per role, with known passwords: local demo only."""

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import ensure_demo_users


class Command(BaseCommand):
    help = "创建演示账号（每个角色一个，仅用于本地演示），并打印用户名、密码、角色和区域。"

    def handle(self, *args: object, **options: object) -> None:
        try:
            logins = ensure_demo_users()
        except LookupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("演示账号（用户名 / 密码 / 角色 / 区域）：")
        for login in logins:
            area = f"（{login.area}）" if login.area else ""
            self.stdout.write(f"  {login.username} / {login.password}  {login.role}{area}")
            if login.totp_secret:
                self.stdout.write(f"      两步验证密钥（添加到验证器应用）：{login.totp_secret}")
