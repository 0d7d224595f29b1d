"""My caseload: the signed-in case manager's open cases, most in need of attention first."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from casework.accounts.permissions import has_permission, matrix
from casework.cases import selectors
from casework.cases.phases import Phase
from casework.cases.selectors import CaseloadRow
from casework.clients.selectors import search_clients
from casework.core import clock
from casework.web.forms.search import CaseloadFilterForm


def _rows(user: Any, filters: dict[str, Any]) -> list[CaseloadRow]:
    """Ranked by ``selectors.caseload``: alerts, overdue work, what is due soonest, tier, phase."""
    program = filters["program"].pk if filters.get("program") else None
    return selectors.caseload(
        user,
        today=clock.today(),
        program=program,
        phase=filters.get("phase") or None,
        tier=filters.get("tier") or None,
    )


# Where someone without a caseload lands after signing in: the first page their roles open.
LANDING_PAGES = ("web:supervisor", "web:administration", "web:audit", "web:staff_list")


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, "caseload.read"):
        for name in LANDING_PAGES:
            permission = matrix().page_permission(name)
            if permission and has_permission(request.user, permission):
                return redirect(name)
        raise PermissionDenied("no page for your roles")
    staff = selectors.staff_of(request.user)
    form = CaseloadFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = _rows(request.user, filters) if staff else []
    q, birth_date = filters.get("q"), filters.get("birth_date")
    clients = None
    if staff and (q or birth_date):
        found = search_clients(request.user, q=q, birth_date=birth_date)
        clients = list(found.prefetch_related("cases")[:50])
        ids = {c.pk for c in clients}
        rows = [r for r in rows if r.case.client_id in ids]
    overdue = sum(1 for r in rows if r.overdue)
    alerts = sum(1 for r in rows if any(d.kind == "alert" for d in r.due))
    return render(
        request,
        "web/caseload.html",
        {
            "staff": staff,
            "form": form,
            "rows": rows,
            "clients": clients,
            "stats": {"open": len(rows), "overdue": overdue, "alerts": alerts},
            "phases": [p.value for p in Phase],
        },
    )
