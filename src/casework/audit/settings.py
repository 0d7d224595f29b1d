"""Turning parts of auditing off and on (AUDIT-04): only with ``audit.configure`` (the
administrator role), and every change is itself recorded as ``audit_status_changed``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from casework.accounts.permissions import require
from casework.audit.events import Action, record
from casework.audit.models import AuditSetting
from casework.core import clock

Part = AuditSetting.Part


def disabled_parts() -> set[str]:
    return set(AuditSetting.objects.filter(enabled=False).values_list("part", flat=True))


def status() -> dict[str, bool]:
    off = disabled_parts()
    return {part.value: part.value not in off for part in Part}


@transaction.atomic
def set_part(*, actor: Any, part: str, enabled: bool) -> dict[str, bool]:
    require(actor, "audit.configure")
    setting, _ = AuditSetting.objects.select_for_update().get_or_create(
        part=part, defaults={"enabled": True, "changed_at": clock.now()}
    )
    was = setting.enabled
    setting.enabled, setting.changed_at, setting.changed_by = enabled, clock.now(), actor
    setting.save()
    record(
        Action.AUDIT_STATUS_CHANGED,
        user=actor,
        object_type="audit_setting",
        object_id=part,
        details={"part": part, "enabled": [was, enabled]},
    )
    return status()
