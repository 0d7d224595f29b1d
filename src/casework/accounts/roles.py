"""Giving and taking roles. A role is a Django group named in the access matrix.

The administrator role is also what opens the Django admin, so holding it keeps the account's
``is_staff``/``is_superuser`` flags on, and losing it turns them off (whichever way the
membership changed: here, in the admin's user form, or in a shell). Every change of groups and
flags is audited by ``casework.audit.signals``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from casework.accounts.permissions import forget_roles, matrix
from casework.core.errors import InvalidData

ADMINISTRATOR = "administrator"


def check_roles(names: Iterable[str]) -> list[str]:
    known = matrix().roles
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        if name not in known:
            raise InvalidData(f"unknown role '{name}' (roles: {', '.join(known)})", field="roles")
    return wanted


def groups_for(names: Iterable[str]) -> list[Group]:
    return [Group.objects.get_or_create(name=name)[0] for name in names]


@transaction.atomic
def set_roles(user: Any, names: Iterable[str]) -> None:
    """Make ``names`` the user's roles (other, non-role groups are left alone)."""
    wanted = check_roles(names)
    current = set(user.groups.filter(name__in=list(matrix().roles)).values_list("name", flat=True))
    remove = [g for g in Group.objects.filter(name__in=current - set(wanted))]
    if remove:
        user.groups.remove(*remove)
    add = groups_for(n for n in wanted if n not in current)
    if add:
        user.groups.add(*add)
    forget_roles(user)


def grant_roles(user: Any, names: Iterable[str]) -> None:
    current = user.groups.filter(name__in=list(matrix().roles)).values_list("name", flat=True)
    set_roles(user, [*current, *check_roles(names)])


def _set_admin_flags(user: Any, on: bool) -> None:
    if user.is_superuser != on or user.is_staff != on:
        user.is_superuser = user.is_staff = on
        user.save(update_fields=["is_superuser", "is_staff"])
    forget_roles(user)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """Only a change of the administrator group itself turns the admin flags on or off."""
    if action not in ("post_add", "post_remove"):
        return
    on = action == "post_add"
    if reverse:  # members added to or removed from a group
        if instance.name == ADMINISTRATOR:
            for user in get_user_model().objects.filter(pk__in=pk_set or []):
                _set_admin_flags(user, on)
    elif Group.objects.filter(pk__in=pk_set or [], name=ADMINISTRATOR).exists():
        _set_admin_flags(instance, on)
    else:
        forget_roles(instance)
