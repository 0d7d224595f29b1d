"""Staff and credentials: licences and certifications with expiry warnings, and for each
certification what is met and what is missing.

On a staff member's page, the person themselves (``credential.write`` in scope ``own``) and
an administrator (scope ``agency``) add and edit licences, certifications, degrees, experience
and continuing education, through the API's declarations of those records (``web.records``):
the same fields, the same model rules, a stale edit refused. Others see no form, and a form
sent for someone outside one's scope is 404, as in the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.audit.events import Action, record
from casework.core import clock
from casework.core.errors import PreconditionFailed, Problem
from casework.staff.api import visible_staff
from casework.staff.credentials import RENEWAL_WARNING_DAYS
from casework.staff.models import StaffMember
from casework.staff.services import credential_picture
from casework.web import records
from casework.web.forms.staff import CREDENTIAL_FORMS
from casework.web.workspace import prepare

EDIT = "_edit"


def expiry(on: dt.date, today: dt.date) -> dict[str, Any]:
    days = (on - today).days
    state = "expired" if days < 0 else ("soon" if days <= RENEWAL_WARNING_DAYS else "ok")
    return {"on": on, "days": days, "state": state}


@login_required
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


@dataclass(frozen=True)
class Kind:
    """One kind of credential record on the page: its API name, where its records are on the
    staff member, and what the page says once one is added or edited."""

    plural: str
    related: str
    added: str | Promise
    updated: str | Promise


KINDS = {
    k.plural: k
    for k in (
        Kind(
            "licences",
            "licences",
            gettext_lazy("The licence is recorded."),
            gettext_lazy("The licence is updated."),
        ),
        Kind(
            "certifications",
            "certifications",
            gettext_lazy("The certification is recorded."),
            gettext_lazy("The certification is updated."),
        ),
        Kind(
            "degrees",
            "degrees",
            gettext_lazy("The degree is recorded."),
            gettext_lazy("The degree is updated."),
        ),
        Kind(
            "experience",
            "experience",
            gettext_lazy("The experience is recorded."),
            gettext_lazy("The experience is updated."),
        ),
        Kind(
            "continuing-education",
            "continuing_education",
            gettext_lazy("The continuing education is recorded."),
            gettext_lazy("The continuing education is updated."),
        ),
    )
}


def _build(kind: Kind, staff: StaffMember, record: Any, data: Any) -> forms.BaseForm:
    add_form, edit_form = CREDENTIAL_FORMS[kind.plural]
    if record is None:
        return add_form(data, instance=records.resource(kind.plural).model(staff=staff))
    # Shown: the record itself. Submitted: a fresh copy, which validation may change, so that
    # the stored record stays as read until the edit is applied under its version.
    instance = record if data is None else type(record)._default_manager.get(pk=record.pk)
    return edit_form(data, instance=instance, initial={"version": record.version})


def _save(request: HttpRequest, kind: Kind, staff: StaffMember, form: Any, found: Any) -> str:
    """Add or edit one record under the API's rules; the change and its audit row commit
    together."""
    with transaction.atomic():
        if found is None:
            saved = records.create(request.user, kind.plural, staff, form.data_for_service())
            action, done = Action.CREATE, kind.added
        else:
            try:
                saved = records.update(
                    request.user,
                    kind.plural,
                    found,
                    form.data_for_service(),
                    form.cleaned_data["version"],
                )
            except PreconditionFailed as stale:
                raise PreconditionFailed(
                    _(
                        "Someone changed this record after you opened it, so nothing was "
                        "saved. Reload the page and make your change again."
                    )
                ) from stale
            action, done = Action.UPDATE, kind.updated
        record(
            action,
            object_type=kind.plural,
            object_id=saved.pk,
            status=302,
            details={"method": "POST", "route": "staff/{staff_id}", "path": {"staff_id": staff.pk}},
        )
    return str(done)


def _form_target(request: HttpRequest, staff: StaffMember) -> tuple[str, Kind, str, Any]:
    """The form a POST names (``_form``: the kind, with ``_edit`` for an edit) and the record
    it edits (``_record``), which must be this staff member's; else 404."""
    name, key = request.POST.get("_form", ""), request.POST.get("_record", "")
    kind = KINDS.get(name.removesuffix(EDIT))
    if kind is None:
        raise Http404("no such form")
    found = None
    if name.endswith(EDIT):
        related = getattr(staff, kind.related)
        found = related.filter(pk=int(key)).first() if key.isdigit() else None
        if found is None:
            raise Http404("no such record")
    return name, kind, key, found


@login_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = visible_staff(request.user).filter(pk=staff_id).first()
    editable = visible_staff(request.user, "credential.write").filter(pk=staff_id).exists()
    if request.method == "POST" and not editable:
        # The matrix let the POST through (the user may enter credentials), but not for this
        # person: the same answer as for someone who does not exist.
        raise Http404("no such staff member")
    if staff is None:
        raise Http404("no such staff member")
    bound: tuple[str, str, forms.BaseForm] | None = None
    status = 200
    if request.method == "POST":
        name, kind, key, found = _form_target(request, staff)
        form = _build(kind, staff, found, request.POST)
        prepare(form, name, key)
        if form.is_valid():
            try:
                done = _save(request, kind, staff, form, found)
            except Problem as problem:
                form.add_problem(problem)  # type: ignore[attr-defined]
            else:
                messages.success(request, done)
                anchor = f"#{kind.plural}-section"
                return redirect(reverse("web:staff_detail", args=[staff.pk]) + anchor)
        bound, status = (name, key, form), 422
        messages.error(request, _("Nothing was saved. Please check the form marked below."))

    def form_for(kind: Kind, found: Any = None) -> forms.BaseForm | None:
        if not editable:
            return None
        name = kind.plural + (EDIT if found is not None else "")
        key = "" if found is None else str(found.pk)
        if bound and bound[0] == name and bound[1] == key:
            return bound[2]
        built = _build(kind, staff, found, None)
        prepare(built, name, key)
        return built

    today = clock.today()

    def rows(plural: str) -> list[dict[str, Any]]:
        kind = KINDS[plural]
        out = []
        for item in getattr(staff, kind.related).all():
            row: dict[str, Any] = {"record": item, "form": form_for(kind, item)}
            if hasattr(item, "expires_on"):
                row["expiry"] = expiry(item.expires_on, today)
            out.append(row)
        return out

    context = {
        "member": staff,
        "editable": editable,
        "licences": rows("licences"),
        "certifications": rows("certifications"),
        "degrees": rows("degrees"),
        "experience": rows("experience"),
        "continuing_education": rows("continuing-education"),
        "add_forms": {k.replace("-", "_"): form_for(kind) for k, kind in KINDS.items()},
        "credentials": credential_picture(staff),
    }
    return render(request, "web/staff/detail.html", context, status=status)
