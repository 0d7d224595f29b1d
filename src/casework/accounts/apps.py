from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Session stamps at sign-in, sessions ended when a user is disabled.
        from casework.accounts import signals  # noqa: F401
