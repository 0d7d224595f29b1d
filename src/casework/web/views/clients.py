"""Client search and the client profile: identity, language, culture, preferences, support
system, conditions and encounters, and every case the user may see."""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.cases.selectors import list_cases
from casework.clients import services
from casework.clients.models import Client, Condition, Encounter, SupportPerson
from casework.clients.selectors import search_clients, visible_clients
from casework.core.errors import Problem
from casework.core.records import create_record
from casework.instruments.definitions import INSTRUMENTS
from casework.instruments.selectors import readable_results
from casework.web import charts, records
from casework.web.access import acting_permission, staff_required
from casework.web.forms.clients import (
    ClientForm,
    ConditionEditForm,
    ConditionForm,
    EncounterEditForm,
    EncounterForm,
    SupportPersonEditForm,
    SupportPersonForm,
)
from casework.web.forms.search import ClientSearchForm
from casework.web.workspace import prepare

# The edit forms of the profile's records: the form's name, the API's name of the record type,
# where the client keeps them, and the form.
EDITS: dict[str, tuple[str, str, type[forms.ModelForm]]] = {
    "support_edit": ("support-people", "support_people", SupportPersonEditForm),
    "condition_edit": ("conditions", "conditions", ConditionEditForm),
    "encounter_edit": ("encounters", "encounters", EncounterEditForm),
}


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
    permission = acting_permission(request, "client.read", "client.write")
    client = visible_clients(request.user, permission).filter(pk=client_id).first()
    if client is None:
        raise Http404("no such client")
    return client


def _add(model: type[Any], client: Client) -> Any:
    def save(form: Any) -> None:
        with transaction.atomic():
            create_record(model, form.data_for_service(), client=client)

    return save


def _edit_form(name: str, record: Any, data: Any) -> forms.BaseForm:
    """The edit form of one record. Submitted, it validates a fresh copy, so that the stored
    record stays as it was read until the edit is applied under its version."""
    form_class = EDITS[name][2]
    instance = record if data is None else type(record)._default_manager.get(pk=record.pk)
    form = form_class(data, instance=instance, initial={"version": record.version})
    prepare(form, name, str(record.pk))
    return form


def _save_edit(request: HttpRequest, name: str, record: Any, form: Any) -> None:
    records.update_from_form(request.user, EDITS[name][0], record, form)


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
    failed_edit: tuple[str, str, forms.BaseForm] | None = None
    status = 200
    if request.method == "POST":
        name, key = request.POST.get("_form", ""), request.POST.get("_record", "")
        if name in EDITS:
            related = getattr(client, EDITS[name][1])
            record = related.filter(pk=int(key)).first() if key.isdigit() else None
            if record is None:
                raise Http404("no such record")
            form = _edit_form(name, record, request.POST)
            anchor = f"{name}-{record.pk}"
            save = functools.partial(_save_edit, request, name, record)
        elif name in builders:
            form = builders[name](request.POST)
            form.prefix, form.action_name, form.record_key = name, name, ""
            anchor, save = name, savers[name]
        else:
            raise Http404("no such form")
        if form.is_valid():
            try:
                save(form)
            except Problem as problem:
                form.add_problem(problem)  # type: ignore[attr-defined]
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("web:client", args=[client.pk]) + f"#{anchor}")
        if name in EDITS:
            failed_edit = (name, key, form)
        else:
            forms_by_name[name] = form
        status = 422
        messages.error(request, _("Nothing was saved. Please check the form marked below."))
        client = _visible_client(request, client_id)
    for name, build in builders.items():
        if name not in forms_by_name:
            form = build(None)
            form.prefix, form.action_name, form.record_key = name, name, ""
            forms_by_name[name] = form
    results = readable_results(request.user).filter(client=client)
    trends = []
    for key in sorted(set(results.values_list("instrument", flat=True))):
        points = charts.instrument_points(request.user, client.pk, key)
        if len(points) > 0:
            title = INSTRUMENTS[key].title if key in INSTRUMENTS else key
            trends.append({"title": title, "svg": charts.trend(points, title=title)})
    may_edit = visible_clients(request.user, "client.write").filter(pk=client.pk).exists()

    def with_edits(name: str) -> list[tuple[Any, forms.BaseForm | None]]:
        rows = []
        for record in getattr(client, EDITS[name][1]).all():
            form = None
            if failed_edit and failed_edit[:2] == (name, str(record.pk)):
                form = failed_edit[2]
            elif may_edit:
                form = _edit_form(name, record, None)
            rows.append((record, form))
        return rows

    context = {
        "client": client,
        "cases": list_cases(request.user, client=client.pk),
        "support": with_edits("support_edit"),
        "identifiers": client.identifiers.all(),
        "conditions": with_edits("condition_edit"),
        "encounters": with_edits("encounter_edit"),
        "may_edit": may_edit,
        "forms": forms_by_name,
        "trends": trends,
    }
    return render(request, "web/clients/profile.html", context, status=status)
