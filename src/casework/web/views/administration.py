"""Administration: users and roles, programs, staff records. The Django admin serves the
editing; this page is the way in, for administrators only."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casework.cases.models import Program
from casework.staff.models import StaffMember


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/administration.html",
        {
            "users": get_user_model().objects.count(),
            "programs": Program.objects.order_by("name"),
            "staff": StaffMember.objects.count(),
        },
    )
