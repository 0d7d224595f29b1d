"""Account events: the state of a user's flags before a save, and what follows a change.

Disabling a user ends every session they have, server-side, at once (not at their next
request): a stolen session cookie dies with the account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from casework.accounts.sessions import end_sessions, stamp_sign_in

User = get_user_model()
WATCHED_FLAGS = ("is_active", "is_staff", "is_superuser")
_BEFORE = "_casework_flags_before"


def flags_before(user: Any) -> dict[str, Any] | None:
    """The watched flags as stored before the save in progress (None for a new user)."""
    found: dict[str, Any] | None = getattr(user, _BEFORE, None)
    return found


@receiver(pre_save, sender=User)
def _remember_flags(sender: Any, instance: Any, update_fields: Any = None, **kw: Any) -> None:
    setattr(instance, _BEFORE, None)
    if instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED_FLAGS):
        return  # e.g. last_login at each sign-in: nothing watched can change
    before = sender._default_manager.filter(pk=instance.pk).values(*WATCHED_FLAGS).first()
    setattr(instance, _BEFORE, before)


@receiver(post_save, sender=User)
def _end_sessions_of_disabled(sender: Any, instance: Any, created: bool, **kw: Any) -> None:
    before = flags_before(instance)
    if before and before["is_active"] and not instance.is_active:
        end_sessions(instance)


@receiver(user_logged_in)
def _stamp(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_sign_in(request, user)
