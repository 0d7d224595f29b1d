"""Workspace tabs of the care plan: goals and interventions with the client's agreement,
progress against the goals, and evaluation (outcomes, decision, closure)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.careplans.models import Goal
from casework.cases.phases import Phase
from casework.web import records
from casework.web.forms.plan import (
    AgreementForm,
    EvaluationEditForm,
    EvaluationForm,
    GoalEditForm,
    GoalForm,
    GoalStatusForm,
    InterventionEditForm,
    InterventionForm,
    InterventionStatusForm,
    OutcomeEditForm,
    OutcomeForm,
    ProgressEditForm,
    ProgressForm,
)
from casework.web.views.case import edit_action
from casework.web.views.tabs_process import MOVE, moves
from casework.web.workspace import Action, Tab, TabContext, register_tab


def goals(ctx: TabContext, *, active_only: bool = False) -> list[Goal]:
    def load() -> list[Goal]:
        rows = records.rows(ctx.user, "goals", case=ctx.case).prefetch_related(
            "interventions", "progress", "outcomes"
        )
        return list(rows)

    found: list[Goal] = ctx.once("goals", load)
    return [g for g in found if g.status == Goal.Status.ACTIVE] if active_only else found


def _with_goals(form_class: Any) -> Any:
    def build(ctx: TabContext, record: Any, data: Any) -> Any:
        model = form_class._meta.model
        form = form_class(data, instance=model())
        form.set_goals(goals(ctx, active_only=True))
        return form

    return build


def _goal_child(plural: str, message: str | Promise) -> Any:
    def save(ctx: TabContext, form: Any, record: Any) -> str:
        goal = form.chosen_goal(goals(ctx, active_only=True))
        data = form.data_for_service()
        records.create(ctx.user, plural, goal, data)
        return str(message)

    return save


def _goal_record(ctx: TabContext, key: str) -> Any:
    return records.one(ctx.user, "goals", key)


def _intervention_record(ctx: TabContext, key: str) -> Any:
    return records.one(ctx.user, "interventions", key)


def _save_goal(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "goals", ctx.case, form.data_for_service())
    return _("The goal is added to the plan.")


def _save_goal_status(ctx: TabContext, form: Any, goal: Any) -> str:
    data = form.cleaned_data
    records.update(ctx.user, "goals", goal, {"status": data["status"]}, data["version"])
    return _("The goal's status is updated.")


def _save_intervention_status(ctx: TabContext, form: Any, intervention: Any) -> str:
    data = form.cleaned_data
    changes = {"status": data["status"], "started_on": data["started_on"]}
    records.update(ctx.user, "interventions", intervention, changes, data["version"])
    return _("The intervention is updated.")


def _save_agreement(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "agreements", ctx.case, form.data_for_service())
    return _("The client's decision on the plan is recorded.")


def _plan(ctx: TabContext) -> dict[str, Any]:
    rows = []
    for goal in goals(ctx):
        rows.append(
            {
                "goal": goal,
                "status_form": ctx.form("goal_status", goal),
                "edit_form": ctx.form("goal_edit", goal),
                "interventions": [
                    (i, ctx.form("intervention_status", i), ctx.form("intervention_edit", i))
                    for i in goal.interventions.all()
                ],
            }
        )
    return {
        "goal_rows": rows,
        "goal_form": ctx.form("goal"),
        "intervention_form": ctx.form("intervention"),
        "agreement_form": ctx.form("agreement"),
        "agreements": records.rows(ctx.user, "agreements", case=ctx.case),
        "has_active_goals": bool(goals(ctx, active_only=True)),
    }


def _status_initial(form_class: Any, fields: tuple[str, ...]) -> Any:
    def build(ctx: TabContext, record: Any, data: Any) -> Any:
        initial = {name: getattr(record, name) for name in fields}
        initial["version"] = record.version
        return form_class(data, initial=initial)

    return build


register_tab(
    Tab(
        "plan",
        gettext_lazy("Care plan"),
        "web/case/plan.html",
        _plan,
        actions={
            "goal": Action(lambda c, r, d: GoalForm(d, instance=Goal(case=c.case)), _save_goal),
            "goal_status": Action(
                _status_initial(GoalStatusForm, ("status",)), _save_goal_status, _goal_record
            ),
            "intervention": Action(
                _with_goals(InterventionForm),
                _goal_child("interventions", gettext_lazy("The intervention is added.")),
            ),
            "intervention_status": Action(
                _status_initial(InterventionStatusForm, ("status", "started_on")),
                _save_intervention_status,
                _intervention_record,
            ),
            "agreement": Action(
                lambda c, r, d: AgreementForm(
                    d, instance=records.resource("agreements").model(case=c.case)
                ),
                _save_agreement,
            ),
            "goal_edit": edit_action("goals", GoalEditForm, gettext_lazy("The goal is updated.")),
            "intervention_edit": edit_action(
                "interventions",
                InterventionEditForm,
                gettext_lazy("The intervention is updated."),
            ),
        },
        order=40,
    )
)


def _progress(ctx: TabContext) -> dict[str, Any]:
    rows = [
        {"goal": g, "entries": [(p, ctx.form("progress_edit", p)) for p in g.progress.all()]}
        for g in goals(ctx)
    ]
    return {"goals": goals(ctx), "goal_rows": rows, "progress_form": ctx.form("progress")}


register_tab(
    Tab(
        "progress",
        gettext_lazy("Progress"),
        "web/case/progress.html",
        _progress,
        actions={
            "progress": Action(
                _with_goals(ProgressForm),
                _goal_child("progress", gettext_lazy("Progress is recorded.")),
            ),
            "progress_edit": edit_action(
                "progress", ProgressEditForm, gettext_lazy("The progress entry is updated.")
            ),
        },
        order=50,
    )
)


def _save_evaluation(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "evaluations", ctx.case, form.data_for_service())
    return _("The evaluation decision is recorded.")


def _evaluation(ctx: TabContext) -> dict[str, Any]:
    closing = [m for m in moves(ctx) if m["target"] == Phase.CLOSED]
    return {
        "goals": goals(ctx),
        "goal_rows": [
            {"goal": g, "outcomes": [(o, ctx.form("outcome_edit", o)) for o in g.outcomes.all()]}
            for g in goals(ctx)
        ],
        "outcome_form": ctx.form("outcome"),
        "evaluation_form": ctx.form("evaluation"),
        "evaluations": [
            (e, ctx.form("evaluation_edit", e))
            for e in records.rows(ctx.user, "evaluations", case=ctx.case)
        ],
        "closing": closing[0] if closing else None,
        "evaluation_moves": [m for m in moves(ctx) if m["target"] != Phase.CLOSED]
        if ctx.case.phase == Phase.EVALUATION  # type: ignore[attr-defined]
        else [],
    }


register_tab(
    Tab(
        "evaluation",
        gettext_lazy("Evaluation"),
        "web/case/evaluation.html",
        _evaluation,
        actions={
            "outcome": Action(
                _with_goals(OutcomeForm),
                _goal_child("outcomes", gettext_lazy("The outcome is recorded.")),
            ),
            "evaluation": Action(
                lambda c, r, d: EvaluationForm(
                    d, instance=records.resource("evaluations").model(case=c.case)
                ),
                _save_evaluation,
            ),
            "outcome_edit": edit_action(
                "outcomes", OutcomeEditForm, gettext_lazy("The outcome is updated.")
            ),
            "evaluation_edit": edit_action(
                "evaluations", EvaluationEditForm, gettext_lazy("The evaluation is updated.")
            ),
            "move": MOVE,
        },
        order=80,
    )
)
