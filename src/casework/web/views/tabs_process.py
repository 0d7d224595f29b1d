"""Workspace tabs of the process: overview (moves, alerts, care team), screening, assessment,
risk and history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.cases import services as case_services
from casework.cases.api import case_detail
from casework.cases.models import Case, ScreeningDecision
from casework.cases.phases import ASSESSMENT_DOMAINS, Phase
from casework.core.errors import NotFound, PreconditionFailed
from casework.instruments import services as instrument_services
from casework.instruments.definitions import INSTRUMENTS
from casework.risk import services as risk_services
from casework.web import records
from casework.web.forms.base import WebForm
from casework.web.forms.case import (
    CareTeamEditForm,
    CareTeamForm,
    CloseForm,
    FindingEditForm,
    FindingForm,
    FollowUpForm,
    MoveForm,
    NeedEditForm,
    NeedForm,
    RemoveMemberForm,
    ScreeningEditForm,
    ScreeningForm,
    TierForm,
)
from casework.web.forms.clients import ReferralEditForm
from casework.web.i18n import phase_label, tr
from casework.web.views.case import case_record, edit_action, open_alerts, parse_date
from casework.web.workspace import Action, Tab, TabContext, register_tab

# Overview ---------------------------------------------------------------------------------


def _move_form(ctx: TabContext, target: Any, data: Any) -> forms.Form:
    initial = {"to": target, "version": ctx.case.version}
    form_class = CloseForm if target == Phase.CLOSED else MoveForm
    return form_class(data, initial=initial)


def _move_target(ctx: TabContext, key: str) -> str | None:
    return key if key in {p.value for p in Phase} else None


def _save_move(ctx: TabContext, form: Any, target: Any) -> str:
    case_services.move_case(
        actor=ctx.user,
        case=ctx.case,
        to=target,
        reason=form.cleaned_data["reason"],
        closure_reason=form.cleaned_data.get("closure_reason") or None,
        expected_version=form.cleaned_data["version"],
    )
    return _("The case moved to %(phase)s.") % {"phase": phase_label(target)}


MOVE = Action(_move_form, _save_move, _move_target)


def moves(ctx: TabContext) -> list[dict[str, Any]]:
    missing: dict[str, list[str]] = ctx.cache["missing"]
    return [
        {"target": target, "missing": needs, "form": ctx.form("move", target, key=target)}
        for target, needs in missing.items()
    ]


def _followup_alert(ctx: TabContext, key: str) -> Any:
    return open_alerts(ctx.case).filter(pk=int(key) if key.isdigit() else 0).first()


def _save_followup(ctx: TabContext, form: Any, alert: Any) -> str:
    instrument_services.record_follow_up(
        actor=ctx.user, alert=alert, note=form.cleaned_data["note"]
    )
    return _("The follow-up is recorded and the alert is cleared.")


def _save_team(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "care-team", ctx.case, form.data_for_service())
    return _("Added to the care team.")


def _save_removal(ctx: TabContext, form: Any, member: Any) -> str:
    case_services.remove_care_team_member(ctx.user, member)
    return _("Removed from the care team.")


def _referral_form(ctx: TabContext, case: Any, data: Any) -> Any:
    # Submitted, the form validates a fresh copy of the case (validation changes it).
    instance = case if data is None else Case.objects.get(pk=case.pk)
    return ReferralEditForm(data, instance=instance, initial={"version": case.version})


def _save_referral(ctx: TabContext, form: Any, case: Any) -> str:
    changes = {k: v for k, v in form.data_for_service().items() if k != "version"}
    try:
        case_services.update_case(
            actor=ctx.user,
            case=Case.objects.get(pk=case.pk),
            changes=changes,
            expected_version=form.cleaned_data["version"],
        )
    except PreconditionFailed as stale:
        raise PreconditionFailed(
            _(
                "Someone changed this record after you opened it, so nothing was saved. "
                "Reload the page and make your change again."
            )
        ) from stale
    return _("The referral is updated.")


def _overview(ctx: TabContext) -> dict[str, Any]:
    case: Case = ctx.case
    team = records.rows(ctx.user, "care-team", case=case).select_related("staff__user")
    return {
        "moves": moves(ctx),
        "alert_forms": [(a, ctx.form("followup", a)) for a in open_alerts(case)],
        "followed_up": case.alerts.filter(resolved_at__isnull=False).select_related("resolved_by"),
        "team": [(m, ctx.form("team_remove", m), ctx.form("team_edit", m)) for m in team],
        "team_form": ctx.form("team"),
        "referral_form": ctx.form("referral", case),
        "screening": records.rows(ctx.user, "screenings", case=case).last(),
    }


register_tab(
    Tab(
        "overview",
        gettext_lazy("Overview"),
        "web/case/overview.html",
        _overview,
        actions={
            "move": MOVE,
            "followup": Action(lambda c, r, d: FollowUpForm(d), _save_followup, _followup_alert),
            "team": Action(lambda c, r, d: CareTeamForm(d), _save_team),
            "team_remove": Action(
                lambda c, r, d: RemoveMemberForm(d), _save_removal, case_record("care-team")
            ),
            "team_edit": edit_action(
                "care-team", CareTeamEditForm, gettext_lazy("The care team member is updated.")
            ),
            "referral": Action(_referral_form, _save_referral, lambda ctx, key: ctx.case),
        },
        order=0,
        badge=lambda case: open_alerts(case).count(),
    )
)

# Screening --------------------------------------------------------------------------------


def _save_screening(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "screenings", ctx.case, form.data_for_service())
    return _("The screening decision is recorded.")


def _screening(ctx: TabContext) -> dict[str, Any]:
    decisions = records.rows(ctx.user, "screenings", case=ctx.case)
    return {
        "decisions": [(d, ctx.form("screening_edit", d)) for d in decisions],
        "screening_form": ctx.form("screening"),
        "screeners": [
            INSTRUMENTS[k] for k in ("phq2", "ahc_hrsn_core", "gad2") if k in INSTRUMENTS
        ],
        "outcomes": ScreeningDecision._meta.get_field("outcome"),
    }


register_tab(
    Tab(
        "screening",
        gettext_lazy("Screening"),
        "web/case/screening.html",
        _screening,
        actions={
            "screening": Action(
                lambda c, r, d: ScreeningForm(d, instance=ScreeningDecision(case=c.case)),
                _save_screening,
            ),
            "screening_edit": edit_action(
                "screenings", ScreeningEditForm, gettext_lazy("The screening decision is updated.")
            ),
        },
        order=10,
    )
)

# Assessment -------------------------------------------------------------------------------


def _save_finding(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "findings", ctx.case, form.data_for_service())
    return _("The finding is recorded.")


def _save_need(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "needs", ctx.case, form.data_for_service())
    return _("The need is recorded.")


def _assessment(ctx: TabContext) -> dict[str, Any]:
    case = ctx.case
    findings = list(records.rows(ctx.user, "findings", case=case))
    required = list(case.program.required_domains)
    latest: dict[str, Any] = {}
    for finding in findings:
        latest[finding.domain] = finding
    domains = [
        {
            "key": key,
            "label": tr(label),
            "required": key in required,
            "finding": latest.get(key),
            "edit": ctx.form("finding_edit", latest[key]) if key in latest else None,
        }
        for key, label in ASSESSMENT_DOMAINS.items()
    ]
    domains.sort(key=lambda d: (not d["required"], d["finding"] is None))
    given = set(case.administrations.values_list("instrument", flat=True))
    return {
        "domains": domains,
        "needs": [
            (n, ctx.form("need_edit", n)) for n in records.rows(ctx.user, "needs", case=case)
        ],
        "finding_form": ctx.form("finding"),
        "need_form": ctx.form("need"),
        "required_instruments": [
            {"key": k, "title": INSTRUMENTS[k].title if k in INSTRUMENTS else k, "done": k in given}
            for k in case.program.required_instruments
        ],
    }


register_tab(
    Tab(
        "assessment",
        gettext_lazy("Assessment"),
        "web/case/assessment.html",
        _assessment,
        actions={
            "finding": Action(
                lambda c, r, d: FindingForm(
                    d, instance=records.resource("findings").model(case=c.case)
                ),
                _save_finding,
            ),
            "need": Action(
                lambda c, r, d: NeedForm(d, instance=records.resource("needs").model(case=c.case)),
                _save_need,
            ),
            "finding_edit": edit_action(
                "findings", FindingEditForm, gettext_lazy("The finding is updated.")
            ),
            "need_edit": edit_action("needs", NeedEditForm, gettext_lazy("The need is updated.")),
        },
        order=20,
    )
)

# Risk -------------------------------------------------------------------------------------


def _save_compute(ctx: TabContext, form: Any, record: Any) -> str:
    assignment = risk_services.compute_tier(actor=ctx.user, case=ctx.case)
    return _("Computed tier: %(tier)s.") % {"tier": tr(assignment.get_tier_display())}


def _save_tier(ctx: TabContext, form: Any, record: Any) -> str:
    assignment = risk_services.set_tier(actor=ctx.user, case=ctx.case, **form.cleaned_data)
    return _("The tier is set to %(tier)s.") % {"tier": tr(assignment.get_tier_display())}


def _risk(ctx: TabContext) -> dict[str, Any]:
    case = ctx.case
    assignments = list(
        case.tier_assignments.select_related("assigned_by").order_by("-assigned_at", "-id")
    )
    return {
        "assignments": assignments,
        "current": assignments[0] if assignments else None,
        "scores": risk_services.scores_for(case),
        "compute_form": ctx.form("compute"),
        "tier_form": ctx.form("tier"),
        "cadence": case.program.follow_up_days,
    }


register_tab(
    Tab(
        "risk",
        gettext_lazy("Risk tier"),
        "web/case/risk.html",
        _risk,
        actions={
            "compute": Action(lambda c, r, d: WebForm(d), _save_compute),
            "tier": Action(lambda c, r, d: TierForm(d), _save_tier),
        },
        order=30,
    )
)

# History ----------------------------------------------------------------------------------


def _history(ctx: TabContext) -> dict[str, Any]:
    raw = ctx.request.GET.get("as_of", "")
    as_of = parse_date(raw)
    then: dict[str, Any] | None = None
    problem = ""
    if raw and as_of is None:
        problem = _("Enter a date as YYYY-MM-DD.")
    elif as_of is not None:
        try:
            then = case_detail(ctx.case, as_of=as_of)
        except NotFound:
            problem = _("The case did not exist yet on %(date)s.") % {"date": as_of.isoformat()}
    assignments = ctx.case.assignments.select_related("from_staff__user", "to_staff__user", "by")
    return {
        "as_of": raw,
        "then": then,
        "as_of_problem": problem,
        "history": ctx.cache["history"],
        "assignments": assignments.order_by("at", "id"),
    }


register_tab(Tab("history", gettext_lazy("History"), "web/case/history.html", _history, order=90))
