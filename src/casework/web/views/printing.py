"""The care plan printed for the client, in the client's language where we have it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from casework.careplans.models import Goal
from casework.core import clock
from casework.web import records
from casework.web.access import staff_required
from casework.web.views.case import visible_case
from casework.web.views.instruments import client_language


@staff_required
def print_plan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    language = request.GET.get("lang") or client_language(case.client.preferred_language)
    goals = records.rows(
        request.user, "goals", case=case, status=Goal.Status.ACTIVE
    ).prefetch_related("interventions")
    agreement = records.rows(request.user, "agreements", case=case).last()
    context = {
        "case": case,
        "client": case.client,
        "goals": goals,
        "agreement": agreement,
        "today": clock.today(),
        "plan_language": language or translation.get_language(),
        "staff_language": translation.get_language(),
    }
    # The whole page follows the client's language: it is handed to the client.
    with translation.override(language or translation.get_language()):
        return render(request, "web/case/print_plan.html", context)
