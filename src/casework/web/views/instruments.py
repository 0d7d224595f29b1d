"""Giving an instrument in a case: the form from its definition, the live score as the
questions are answered (htmx), and the client's trend on it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.core.errors import InvalidData, Problem
from casework.instruments import services
from casework.instruments.definitions import INSTRUMENTS, Instrument
from casework.web import charts
from casework.web.access import staff_required
from casework.web.forms.instrument import InstrumentForm
from casework.web.views.case import header, visible_case
from casework.web.workspace import TABS


def client_language(preferred: str) -> str | None:
    """The interface language matching a client's preferred language, if we have it."""
    wanted = preferred.strip().lower()
    for code, name in settings.LANGUAGES:
        if wanted in {code, name.lower()} or wanted.startswith(code + "-"):
            return code
    aliases = {"spanish": "es", "english": "en", "castellano": "es"}
    return aliases.get(wanted)


def _instrument(key: str) -> Instrument:
    instrument = INSTRUMENTS.get(key)
    if instrument is None:
        raise Http404("no such instrument")
    return instrument


def live_score(instrument: Instrument, answers: dict[str, Any]) -> dict[str, Any]:
    """The score so far: the rule's result once every asked question is answered, else the
    running sum of the numeric answers."""
    try:
        result = services.score(instrument, answers)
    except InvalidData:
        numbers = [v for v in answers.values() if isinstance(v, int) and not isinstance(v, bool)]
        return {
            "complete": False,
            "answered": len(answers),
            "count": len(instrument.items),
            "running": sum(numbers) if numbers else None,
        }
    total = result.get(instrument.total_key) if instrument.total_key else None
    band = result.get(instrument.band_key) if instrument.band_key else None
    if band is None and "positive_screen" in result:
        band = "positive" if result["positive_screen"] else "negative"
    return {
        "complete": True,
        "total": total,
        "band": band,
        "result": result,
        # The same words the alert will carry once saved (one definition, in the service).
        "alert": services._alert_reason(instrument, result),
    }


@staff_required
def instrument(request: HttpRequest, case_id: int, key: str) -> HttpResponse:
    case = visible_case(request, case_id)
    definition = _instrument(key)
    language = request.GET.get("lang") or client_language(case.client.preferred_language)
    form = InstrumentForm(definition, request.POST or None, language=language)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                given = services.administer(
                    actor=request.user,
                    case=case,
                    instrument_key=definition.key,
                    answers=form.answers(),
                    administered_on=form.cleaned_data["administered_on"],
                    sensitivity=form.cleaned_data["sensitivity"],
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                text = _("%(title)s saved: score %(total)s %(band)s.") % {
                    "title": definition.title,
                    "total": "—" if given.total is None else given.total,
                    "band": given.band.replace("_", " "),
                }
                messages.success(request, text)
                return redirect(reverse("web:case_tab", args=[case.pk, "instruments"]))
        status = 422
        messages.error(request, _("Nothing was saved. Please check the form marked below."))
    context = header(case)
    points = charts.instrument_points(request.user, case.client_id, definition.key)
    context.update(
        current_tab=TABS["instruments"],
        instrument=definition,
        form=form,
        score=live_score(definition, form.answers() if form.is_bound and form.is_valid() else {}),
        language=language,
        trend=charts.trend(points, title=definition.title) if points else None,
        points=points,
    )
    return render(request, "web/instruments/fill.html", context, status=status)


@staff_required
def instrument_score(request: HttpRequest, case_id: int, key: str) -> HttpResponse:
    """The live score panel (htmx swaps it in as the questions are answered)."""
    case = visible_case(request, case_id)
    definition = _instrument(key)
    form = InstrumentForm(definition, request.GET)
    form.is_valid()
    return render(
        request,
        "web/instruments/score.html",
        {"case": case, "instrument": definition, "score": live_score(definition, form.answers())},
    )
