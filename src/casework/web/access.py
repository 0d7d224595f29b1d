"""Who may use which page. Case and client visibility stay with the selectors; this only
answers the role questions the navigation and the supervisor/admin pages ask."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from casework.cases.selectors import staff_of, supervised_staff_ids
from casework.staff.models import StaffMember

View = TypeVar("View", bound=Callable[..., HttpResponse])


def is_supervisor(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and StaffMember.objects.filter(supervisor=staff).exists()


def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def supervisees(user: Any) -> list[StaffMember]:
    staff = staff_of(user)
    if staff is None:
        return []
    ids = supervised_staff_ids(staff)
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


def supervisor_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_supervisor(request.user):
            raise Http404("not a supervisor")
        return view(request, *args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]


def administrator_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_administrator(request.user):
            raise Http404("not an administrator")
        return view(request, *args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]
