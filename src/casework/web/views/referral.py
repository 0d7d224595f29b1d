"""A new referral: find the client (or register them, with the duplicate check), then open a
case at screening."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.cases import services as case_services
from casework.cases.models import Program
from casework.cases.phases import ASSESSMENT_DOMAINS
from casework.cases.selectors import staff_of
from casework.clients import services as client_services
from casework.clients.selectors import search_clients, visible_clients
from casework.core import clock
from casework.core.errors import Conflict, Problem
from casework.instruments.definitions import INSTRUMENTS
from casework.web.access import staff_required
from casework.web.forms.clients import NewClientForm, OpenCaseForm
from casework.web.forms.search import ClientSearchForm
from casework.web.i18n import tr
from casework.web.templatetags.casework_web import TIER_LABELS


def programs() -> list[dict[str, Any]]:
    """The agency's active programs and who they are for, shown when a case is opened (the
    API's ``GET /programs``)."""
    out = []
    for program in Program.objects.filter(active=True).order_by("name"):
        out.append(
            {
                "program": program,
                "domains": [tr(ASSESSMENT_DOMAINS.get(d, d)) for d in program.required_domains],
                "instruments": [
                    tr(INSTRUMENTS[k].title) if k in INSTRUMENTS else k
                    for k in program.required_instruments
                ],
                "cadence": [
                    (tr(TIER_LABELS.get(tier, tier)), days)
                    for tier, days in sorted(
                        program.follow_up_days.items(), key=lambda item: item[1]
                    )
                ],
            }
        )
    return out


def _named(form: Any, name: str) -> Any:
    form.prefix, form.action_name, form.record_key = name, name, ""
    return form


@staff_required
def new_referral(request: HttpRequest) -> HttpResponse:
    search = ClientSearchForm(request.GET if "q" in request.GET else None)
    chosen_id = request.POST.get("client") or request.GET.get("client")
    # Only a client the user may already see can be chosen: an id in the URL must not reveal
    # or attach anyone else.
    chosen = (
        visible_clients(request.user).filter(pk=int(str(chosen_id))).first()
        if str(chosen_id).isdigit()
        else None
    )
    staff = staff_of(request.user)
    case_form = _named(
        OpenCaseForm(
            request.POST if request.POST.get("_form") == "case" else None,
            initial={"primary_case_manager": staff, "referred_on": clock.today()},
        ),
        "case",
    )
    client_form = _named(
        NewClientForm(request.POST if request.POST.get("_form") == "client" else None), "client"
    )
    matches: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST" and request.POST.get("_form") == "client":
        if client_form.is_valid():
            data = client_form.data_for_service()
            data.pop("version", None)
            try:
                client = client_services.register_client(
                    actor=request.user,
                    data=data,
                    identifiers=client_form.identifiers(),
                    confirmed_new_person=client_form.cleaned_data["confirmed_new_person"],
                )
            except Conflict as conflict:
                matches = conflict.extra.get("matches", [])
                client_form.add_error(
                    "confirmed_new_person",
                    _("This client probably exists already (see the likely matches)."),
                )
            except Problem as problem:
                client_form.add_problem(problem)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": client.full_name})
                return redirect(reverse("web:new_referral") + f"?client={client.pk}#open-case")
        status = 422
    elif request.method == "POST" and request.POST.get("_form") == "case" and chosen:
        if case_form.is_valid():
            data = case_form.data_for_service()
            data["client"] = chosen.pk
            try:
                case = case_services.open_case(actor=request.user, data=data)
            except Problem as problem:
                case_form.add_problem(problem)
            else:
                messages.success(request, _("The case is open at screening."))
                return redirect(reverse("web:case_tab", args=[case.pk, "screening"]))
        status = 422
    found = None
    if search.is_bound and search.searching:
        found = list(
            search_clients(
                request.user,
                q=search.cleaned_data["q"],
                birth_date=search.cleaned_data["birth_date"],
            )[:50]
        )
    if status == 422:
        messages.error(request, _("Nothing was saved. Please check the form marked below."))
    return render(
        request,
        "web/referral.html",
        {
            "search": search,
            "found": found,
            "chosen": chosen,
            "case_form": case_form,
            "client_form": client_form,
            "matches": matches,
            "programs": programs() if chosen else [],
        },
        status=status,
    )
