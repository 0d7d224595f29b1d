"""Client search and the client profile: identity, language, culture, preferences, support
system, conditions and encounters, and every case the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.cases.selectors import list_cases, visible_cases
from casework.clients import services
from casework.clients.models import Client, Condition, Encounter, SupportPerson
from casework.clients.selectors import search_clients, visible_clients
from casework.core.errors import Problem
from casework.core.records import create_record
from casework.instruments.definitions import INSTRUMENTS
from casework.instruments.models import InstrumentAdministration
from casework.web import charts
from casework.web.access import staff_required
from casework.web.forms.clients import ClientForm, ConditionForm, EncounterForm, SupportPersonForm
from casework.web.forms.search import ClientSearchForm


@staff_required
def client_search(request: HttpRequest) -> HttpResponse:
    form = ClientSearchForm(request.GET or None)
    clients = None
    if form.is_bound and form.searching:
        clients = list(
            search_clients(
                request.user, q=form.cleaned_data["q"], birth_date=form.cleaned_data["birth_date"]
            ).prefetch_related("cases")[:100]
        )
    staff = getattr(request.user, "staff", None)
    context = {
        "form": form,
        "clients": clients,
        "may_break_glass": bool(staff and staff.may_break_glass),
    }
    return render(request, "web/clients/search.html", context)


def _visible_client(request: HttpRequest, client_id: int) -> Client:
    safe = request.method in ("GET", "HEAD", "OPTIONS")
    permission = "client.read" if safe else "client.write"
    client = visible_clients(request.user, permission).filter(pk=client_id).first()
    if client is None:
        raise Http404("no such client")
    return client


def _add(model: type[Any], client: Client) -> Any:
    def save(form: Any) -> None:
        with transaction.atomic():
            create_record(model, form.data_for_service(), client=client)

    return save


@staff_required
def client_profile(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _visible_client(request, client_id)
    builders: dict[str, Any] = {
        "profile": lambda d: ClientForm(d, instance=client, initial={"version": client.version}),
        "support": lambda d: SupportPersonForm(d, instance=SupportPerson(client=client)),
        "condition": lambda d: ConditionForm(d, instance=Condition(client=client)),
        "encounter": lambda d: EncounterForm(d, instance=Encounter(client=client)),
    }
    savers = {
        "profile": lambda f: services.edit_client(
            actor=request.user,
            client=Client.objects.get(pk=client.pk),
            changes={k: v for k, v in f.data_for_service().items() if k != "version"},
            expected_version=f.cleaned_data["version"],
        ),
        "support": _add(SupportPerson, client),
        "condition": _add(Condition, client),
        "encounter": _add(Encounter, client),
    }
    forms_by_name: dict[str, forms.BaseForm] = {}
    status = 200
    if request.method == "POST":
        name = request.POST.get("_form", "")
        if name not in builders:
            raise Http404("no such form")
        form = builders[name](request.POST)
        form.prefix, form.action_name, form.record_key = name, name, ""
        if form.is_valid():
            try:
                savers[name](form)
            except Problem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("web:client", args=[client.pk]) + f"#{name}")
        forms_by_name[name] = form
        status = 422
        messages.error(request, _("Nothing was saved. Please check the form marked below."))
        client = _visible_client(request, client_id)
    for name, build in builders.items():
        if name not in forms_by_name:
            form = build(None)
            form.prefix, form.action_name, form.record_key = name, name, ""
            forms_by_name[name] = form
    results = InstrumentAdministration.objects.filter(
        client=client, case__in=visible_cases(request.user)
    )
    trends = []
    for key in sorted(set(results.values_list("instrument", flat=True))):
        points = charts.instrument_points(request.user, client.pk, key)
        if len(points) > 0:
            title = INSTRUMENTS[key].title if key in INSTRUMENTS else key
            trends.append({"title": title, "svg": charts.trend(points, title=title)})
    context = {
        "client": client,
        "cases": list_cases(request.user, client=client.pk),
        "support": client.support_people.all(),
        "identifiers": client.identifiers.all(),
        "conditions": client.conditions.all(),
        "encounters": client.encounters.all(),
        "forms": forms_by_name,
        "trends": trends,
    }
    return render(request, "web/clients/profile.html", context, status=status)
