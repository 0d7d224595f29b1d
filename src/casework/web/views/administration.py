"""Administration: users and roles, programs, staff records (edited in the Django admin, for
administrators only) and the switches of auditing (AUDIT-04)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from casework.audit import settings as audit_settings
from casework.audit.models import AuditSetting
from casework.cases.models import Program
from casework.core.errors import Problem
from casework.staff.models import StaffMember


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        part = request.POST.get("part", "")
        if part not in AuditSetting.Part.values:
            messages.error(request, _("Choose a part of auditing."))
            status = 422
        else:
            try:
                audit_settings.set_part(
                    actor=request.user, part=part, enabled=request.POST.get("enabled") == "on"
                )
            except Problem as problem:
                messages.error(request, problem.detail)
                status = 403
            else:
                messages.success(request, _("Auditing updated; the change is in the audit trail."))
                return redirect("web:administration")
    state = audit_settings.status()
    parts = [(p.value, p.label, state[p.value]) for p in AuditSetting.Part]
    return render(
        request,
        "web/administration.html",
        {
            "users": get_user_model().objects.count(),
            "programs": Program.objects.order_by("name"),
            "staff": StaffMember.objects.count(),
            "audit_parts": parts,
        },
        status=status,
    )
