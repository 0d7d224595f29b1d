"""The case workspace: header with the phase stepper, and the tab pages with their forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from casework.cases import selectors
from casework.cases.due import due_items
from casework.cases.facts import case_facts
from casework.cases.models import Case
from casework.cases.phases import PROCESS_ORDER, Phase, missing_by_target
from casework.core import clock
from casework.core.errors import PreconditionFailed, Problem
from casework.instruments.models import CaseAlert
from casework.web import records
from casework.web.access import acting_permission, staff_required
from casework.web.workspace import TABS, Action, Bound, TabContext, ordered_tabs, prepare

# The move that carries the case forward from each phase: the stepper says what it still needs.
FORWARD: dict[Phase, Phase] = {
    Phase.SCREENING: Phase.ASSESSMENT,
    Phase.ASSESSMENT: Phase.RISK_STRATIFICATION,
    Phase.RISK_STRATIFICATION: Phase.PLANNING,
    Phase.PLANNING: Phase.IMPLEMENTATION,
    Phase.IMPLEMENTATION: Phase.MONITORING,
    Phase.MONITORING: Phase.EVALUATION,
    Phase.TRANSITIONAL_CARE: Phase.POST_TRANSITION,
    Phase.POST_TRANSITION: Phase.MONITORING,
    Phase.EVALUATION: Phase.CLOSED,
    Phase.CLOSED: Phase.ASSESSMENT,
}


def visible_case(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may see it (or, for a form sent, change it); otherwise 404, never
    403, so as not to confirm that a case exists (the same answer the API gives)."""
    permission = acting_permission(request, "case.read", "case.write")
    case = selectors.get_case(request.user, case_id, permission)
    if case is None:
        raise Http404("no such case")
    return case


def open_alerts(case: Case) -> QuerySet[CaseAlert]:
    return CaseAlert.objects.filter(case=case, resolved_at__isnull=True)


def header(case: Case, ctx: TabContext | None = None) -> dict[str, Any]:
    """What every page of the workspace shows above its tabs."""
    today = clock.today()
    facts = case_facts(case, today=today)
    missing = missing_by_target(facts)
    history = list(case.phase_changes.select_related("by").order_by("seq"))
    phase = facts.phase
    visited = {change.to_phase for change in history}
    forward = FORWARD[phase]
    steps = []
    for number, step in enumerate(PROCESS_ORDER, start=1):
        state = "current" if step is phase else ("done" if step.value in visited else "todo")
        blocked = state == "current" and bool(missing.get(forward.value))
        steps.append({"number": number, "phase": step, "state": state, "blocked": blocked})
    if ctx is not None:
        ctx.cache.update(facts=facts, missing=missing, history=history)
    return {
        "case": case,
        "client": case.client,
        "phase": phase,
        "closed": phase is Phase.CLOSED,
        "steps": steps,
        "forward": forward,
        "forward_missing": missing.get(forward.value, []),
        "missing": missing,
        "alerts": list(open_alerts(case)),
        "due": due_items(case, today=today),
        "today": today,
        "days_in_phase": (today - history[-1].at.date()).days if history else 0,
        "tabs": ordered_tabs(),
    }


def tab_url(case: Case, key: str) -> str:
    if key == "overview":
        return reverse("web:case", args=[case.pk])
    return reverse("web:case_tab", args=[case.pk, key])


@staff_required
def case_tab(request: HttpRequest, case_id: int, tab: str = "overview") -> HttpResponse:
    case = visible_case(request, case_id)
    current = TABS.get(tab)
    if current is None:
        raise Http404("no such tab")
    ctx = TabContext(request=request, case=case, tab=current)
    status = 200
    if request.method == "POST":
        name = request.POST.get("_form", "")
        action = current.actions.get(name)
        if action is None:
            return HttpResponseBadRequest("unknown form")
        key = request.POST.get("_record", "")
        record = None
        if action.record is not None:
            record = action.record(ctx, key)
            if record is None:
                raise Http404("no such record")
        form = action.build(ctx, record, request.POST)
        prepare(form, name, key)
        if form.is_valid():
            try:
                done = action.save(ctx, form, record)
            except Problem as problem:
                form.add_problem(problem)  # type: ignore[attr-defined]
            else:
                messages.success(request, done)
                return redirect(tab_url(case, tab) + f"#{name}")
        ctx.bound = Bound(name, key, form)
        # The page is shown again with the errors; 422 says so to scripts and tests.
        status = 422
        case = visible_case(request, case_id)  # a refused write leaves the stored case as is
        ctx.case = case
    context = header(case, ctx)
    context.update(current_tab=current, **current.context(ctx))
    if ctx.bound is not None:
        context["error_anchor"] = ctx.bound.form.prefix
        messages.error(request, _("Nothing was saved. Please check the form marked below."))
    return render(request, current.template, context, status=status)


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def case_record(plural: str) -> Callable[[TabContext, str], Any]:
    """Finds a record of the case that the user may see (else None: the page answers 404)."""

    def find(ctx: TabContext, key: str) -> Any:
        pk = int(key) if key.isdigit() else 0
        # Through the record's path to its case ("case", "goal__case", "transition__case").
        of_case = {records.resource(plural).case_path: ctx.case}
        return records.rows(ctx.user, plural, **of_case).filter(pk=pk).first()

    return find


def edit_action(plural: str, form_class: type[Any], done: str | Promise) -> Action:
    """An "Edit" form of one record: the API's rules (closed case, guards, version) apply.

    The form validates a copy of the record, so the guards still compare the change with the
    record as stored; the version it was read at travels in a hidden field.
    """

    def build(ctx: TabContext, record: Any, data: Any) -> Any:
        # Shown: the record itself. Submitted: a fresh copy, which validation may change.
        instance = record if data is None else type(record)._default_manager.get(pk=record.pk)
        return form_class(data, instance=instance, initial={"version": record.version})

    def save(ctx: TabContext, form: Any, record: Any) -> str:
        try:
            records.update(
                ctx.user, plural, record, form.data_for_service(), form.cleaned_data["version"]
            )
        except PreconditionFailed as stale:
            raise PreconditionFailed(
                _(
                    "Someone changed this record after you opened it, so nothing was saved. "
                    "Reload the page and make your change again."
                )
            ) from stale
        return str(done)

    return Action(build, save, case_record(plural))
