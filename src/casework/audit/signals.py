"""Audit rows for sign-in, failed sign-in, sign-out, lock-out and permission changes."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from casework.accounts.signals import WATCHED_FLAGS, flags_before
from casework.audit.events import Action, Outcome, record

User = get_user_model()


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(Action.LOGIN, user=user, object_type="session", details={"step": "password"})


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    reason = getattr(request, "casework_logout_reason", "signed_out")
    record(Action.LOGOUT, user=user, object_type="session", details={"reason": reason})


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # Django has already masked the password in ``credentials``; keep only the name typed.
    typed = credentials.get("username") or credentials.get(User.USERNAME_FIELD) or ""
    record(
        Action.LOGIN_FAILED,
        user=None,
        username=str(typed)[:150],
        object_type="session",
        outcome=Outcome.DENIED,
        details={"locked_out": bool(getattr(request, "axes_locked_out", False))},
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: Any, ip_address: Any, **kw: Any) -> None:
    record(
        Action.DENIED,
        user=None,
        username=str(username or "")[:150],
        object_type="session",
        outcome=Outcome.DENIED,
        status=429,
        details={"reason": "locked_out"},
    )


@receiver(post_save, sender=User)
def _user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = flags_before(instance)
    if created:
        changes = {f: [None, getattr(instance, f)] for f in WATCHED_FLAGS}
        change = "user_created"
    elif before is None:
        return
    else:
        changes = {
            f: [before[f], getattr(instance, f)]
            for f in WATCHED_FLAGS
            if before[f] != getattr(instance, f)
        }
        change = "flags_changed"
    if changes:
        record(
            Action.PERMISSION_CHANGE,
            object_type="user",
            object_id=instance.pk,
            details={"change": change, "flags": changes, "target": instance.get_username()},
        )


def _names(model: Any, pks: Any) -> list[str]:
    field = "name" if model is Group else ("username" if model is User else "codename")
    names = model._default_manager.filter(pk__in=pks).values_list(field, flat=True)
    return sorted(str(n) for n in names)


def _linked(through: Any, instance: Any, model: Any) -> set[int]:
    """The ids ``instance`` is linked to now (read before a clear, which names none)."""
    fields = [f for f in through._meta.concrete_fields if f.is_relation]
    source = next(f for f in fields if f.related_model is type(instance))
    target = next(f for f in fields if f.related_model is model and f is not source)
    rows = through.objects.filter(**{source.attname: instance.pk})
    return set(rows.values_list(target.attname, flat=True))


def _m2m(relation: str) -> Any:
    def changed(
        sender: Any, instance: Any, action: str, model: Any, pk_set: Any, **kwargs: Any
    ) -> None:
        if action == "pre_clear":
            pk_set = _linked(sender, instance, model)
        elif action not in ("post_add", "post_remove"):
            return
        if not pk_set:
            return
        verb = "added" if action == "post_add" else "removed"
        record(
            Action.PERMISSION_CHANGE,
            object_type="group" if isinstance(instance, Group) else "user",
            object_id=instance.pk,
            details={"change": f"{relation}_{verb}", "members": _names(model, pk_set)},
        )

    return changed


for _through, _relation in (
    (User.groups.through, "groups"),
    (User.user_permissions.through, "permissions"),
    (Group.permissions.through, "group_permissions"),
):
    m2m_changed.connect(_m2m(_relation), sender=_through, weak=False)
