from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        # Connects the login receiver that stamps each session with its deadlines.
        from accounts.security import sessions  # noqa: F401
