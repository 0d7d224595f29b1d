"""The supervisor's dashboard: caseloads by tier and phase, cases longest in their phase,
reassignment, and charts of the tier mix, closures and goal outcomes by program."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.db.models import F, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.careplans.models import GoalOutcome
from casework.cases import services
from casework.cases.models import CaseAssignment, PhaseChange
from casework.cases.phases import PROCESS_ORDER, ClosureReason
from casework.cases.selectors import get_case, list_cases
from casework.core import clock
from casework.core.errors import Problem
from casework.privacy import services as privacy_services
from casework.web import charts
from casework.web.access import overseen_staff, staff_required
from casework.web.forms.clients import ReassignForm
from casework.web.i18n import tr

TIERS = ("complex", "high", "moderate", "low", "none")
OUTCOMES = ("met", "partly_met", "not_met")


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    team = overseen_staff(request.user)
    team_ids = {s.pk for s in team}
    cases = list(list_cases(request.user).filter(primary_case_manager_id__in=team_ids))
    open_cases = [c for c in cases if c.closed_on is None]
    entered = dict(
        PhaseChange.objects.filter(case__in=[c.pk for c in open_cases])
        .values("case_id")
        .annotate(last=Max("at"))
        .values_list("case_id", "last")
    )
    today = clock.today()
    by_manager: dict[int, dict[str, Counter[str]]] = defaultdict(
        lambda: {"tier": Counter(), "phase": Counter()}
    )
    for c in open_cases:
        counts = by_manager[c.primary_case_manager_id]
        counts["tier"][getattr(c, "tier") or "none"] += 1  # noqa: B009
        counts["phase"][getattr(c, "phase")] += 1  # noqa: B009
    managers: list[dict[str, Any]] = [
        {
            "staff": s,
            "open": sum(by_manager[s.pk]["tier"].values()),
            "tiers": [by_manager[s.pk]["tier"].get(t, 0) for t in TIERS],
            "phases": [by_manager[s.pk]["phase"].get(p.value, 0) for p in PROCESS_ORDER],
        }
        for s in team
    ]
    longest = sorted(
        (
            {"case": c, "days": (today - entered[c.pk].date()).days}
            for c in open_cases
            if c.pk in entered
        ),
        key=lambda r: -int(r["days"]),
    )[:12]
    context = {
        "managers": managers,
        "tiers": TIERS,
        "phases": PROCESS_ORDER,
        "longest": longest,
        "tier_chart": charts.stacked_bars(
            [
                (m["staff"].display_name, dict(zip(TIERS, m["tiers"], strict=True)))
                for m in managers
            ],
            TIERS,
            title=_("Risk-tier mix by case manager"),
        ),
        **_program_charts(cases),
        "recent_assignments": CaseAssignment.objects.filter(case__in=[c.pk for c in cases])
        .select_related("from_staff__user", "to_staff__user", "case__client")
        .order_by("-at")[:10],
        "grants": list(
            privacy_services.grants_to_review(request.user).order_by(
                F("reviewed_at").asc(nulls_first=True), "-started_at"
            )[:20]
        ),
    }
    return render(request, "web/supervisor/dashboard.html", context)


def _program_charts(cases: list[Any]) -> dict[str, Any]:
    closures: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cases:
        if c.closed_on is not None:
            closures[c.program.name][c.closure_reason or "other"] += 1
    reasons = [r.value for r in ClosureReason]
    outcome_rows = GoalOutcome.objects.filter(goal__case__in=[c.pk for c in cases]).values_list(
        "goal__case__program__name", "outcome"
    )
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    for program, outcome in outcome_rows:
        outcomes[program][outcome] += 1
    return {
        "closure_reasons": reasons,
        "closures": sorted(closures.items()),
        "closure_chart": charts.stacked_bars(
            sorted((p, dict(v)) for p, v in closures.items()),
            reasons,
            title=_("Closures by program and reason"),
        ),
        "outcomes": sorted(outcomes.items()),
        "outcome_chart": charts.stacked_bars(
            sorted((p, dict(v)) for p, v in outcomes.items()),
            OUTCOMES,
            title=_("Goal outcomes by program"),
        ),
    }


@staff_required
def reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case(request.user, case_id, "case.assign")
    team = overseen_staff(request.user, "case.assign")
    if case is None:
        raise Http404("no such case in your team or programs")
    others = [s for s in team if s.pk != case.primary_case_manager_id]
    form = ReassignForm(request.POST or None, staff=others, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reassign_case(
                    actor=request.user,
                    case=case,
                    to_staff=form.cleaned_data["to_staff"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                messages.success(
                    request,
                    _("The case is now %(name)s's.")
                    % {"name": form.cleaned_data["to_staff"].display_name},
                )
                return redirect(reverse("web:supervisor"))
        status = 422
    history = CaseAssignment.objects.filter(case=case).select_related(
        "from_staff__user", "to_staff__user", "by"
    )
    return render(
        request,
        "web/supervisor/reassign.html",
        {"case": case, "form": form, "history": history, "tier_label": tr(case.tier or "")},  # type: ignore[attr-defined]
        status=status,
    )
