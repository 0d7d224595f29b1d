from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "casework.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Connects the sign-in, sign-out and permission-change receivers.
        from casework.audit import signals  # noqa: F401
