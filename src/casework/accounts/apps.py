from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Session stamps at sign-in, sessions ended when a user is disabled.
        # The administrator role keeps the admin flags in step with group membership.
        from casework.accounts import (
            roles,  # noqa: F401
            signals,  # noqa: F401
        )
