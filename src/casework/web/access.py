"""Role questions the web pages ask. Which pages a role may open is decided before any view
runs, by the access matrix (``casework.accounts.pages``); case and client visibility stay
with the selectors. This module answers what the navigation and the supervision pages need."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from casework.accounts.permissions import has_permission, scopes
from casework.cases.models import Case
from casework.cases.selectors import staff_of, supervised_staff_ids
from casework.staff.models import StaffMember

View = TypeVar("View", bound=Callable[..., HttpResponse])


def acting_permission(request: HttpRequest, read: str, write: str) -> str:
    """The permission a request needs: ``read`` to show a page, ``write`` to post a form to
    it (records are then looked up in that permission's scope)."""
    return read if request.method in ("GET", "HEAD", "OPTIONS") else write


def may_open(user: Any, permission: str) -> bool:
    return has_permission(user, permission)


def overseen_staff(user: Any, permission: str = "report.read") -> list[StaffMember]:
    """The case managers whose caseloads the user oversees: those they supervise (scope
    ``team``) and those holding cases in the programs they manage (scope ``program``)."""
    staff = staff_of(user)
    granted = scopes(user, permission)
    if staff is None or not granted:
        return []
    ids: set[int] = set()
    if "team" in granted:
        ids |= supervised_staff_ids(staff)
    if "program" in granted:
        managed = Case.objects.filter(program__managers=staff)
        ids |= set(managed.values_list("primary_case_manager_id", flat=True))
    if "agency" in granted:
        ids |= set(StaffMember.objects.values_list("pk", flat=True))
    return list(
        StaffMember.objects.filter(pk__in=ids, active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def staff_required(view: View) -> View:
    """Signed in and an active staff member. Others get 404, as for a case they cannot see,
    so that the page does not confirm what exists."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if staff_of(request.user) is None:
            raise Http404("no staff record")
        return view(request, *args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]
