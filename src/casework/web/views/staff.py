"""Staff and credentials: licences and certifications with expiry warnings, and for each
certification what is met and what is missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from casework.core import clock
from casework.staff.api import visible_staff
from casework.staff.credentials import RENEWAL_WARNING_DAYS
from casework.staff.services import credential_picture
from casework.web.access import staff_required


def expiry(on: dt.date, today: dt.date) -> dict[str, Any]:
    days = (on - today).days
    state = "expired" if days < 0 else ("soon" if days <= RENEWAL_WARNING_DAYS else "ok")
    return {"on": on, "days": days, "state": state}


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    people = visible_staff(request.user).prefetch_related("licences", "certifications")
    rows = [
        {
            "staff": s,
            "licences": [(lic, expiry(lic.expires_on, today)) for lic in s.licences.all()],
            "certifications": [(c, expiry(c.expires_on, today)) for c in s.certifications.all()],
        }
        for s in people.filter(active=True)
    ]
    return render(request, "web/staff/list.html", {"rows": rows})


@staff_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = visible_staff(request.user).filter(pk=staff_id).first()
    if staff is None:
        raise Http404("no such staff member")
    today = clock.today()
    return render(
        request,
        "web/staff/detail.html",
        {
            "member": staff,
            "licences": [(lic, expiry(lic.expires_on, today)) for lic in staff.licences.all()],
            "certifications": [
                (c, expiry(c.expires_on, today)) for c in staff.certifications.all()
            ],
            "credentials": credential_picture(staff),
            "degrees": staff.degrees.all(),
            "experience": staff.experience.all(),
        },
    )
