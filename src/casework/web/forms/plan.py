"""Forms of the care plan: goals, interventions, agreement, progress, outcomes, evaluation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.careplans.models import (
    CaseEvaluation,
    Goal,
    GoalOutcome,
    GoalProgress,
    Intervention,
    PlanAgreement,
)
from casework.cases.phases import EvaluationDecision
from casework.staff.models import StaffMember
from casework.web.forms.base import (
    DateInput,
    VersionField,
    WebForm,
    WebModelForm,
    today_initial,
    translated,
)

TEXT = {"rows": 2}
DECISIONS = [
    (EvaluationDecision.REPLAN.value, _("Re-plan (back to planning)")),
    (EvaluationDecision.CONTINUE_MONITORING.value, _("Keep monitoring")),
    (EvaluationDecision.CLOSE.value, _("Close the case")),
]


class GoalChoiceMixin:
    """A form for a record under one of the case's goals: the goal is chosen in the form."""

    def set_goals(self, goals: list[Goal]) -> None:
        field = self.fields["goal"]  # type: ignore[attr-defined]
        field.choices = [(g.pk, str(g)) for g in goals]

    def chosen_goal(self, goals: list[Goal]) -> Goal:
        wanted = int(self.cleaned_data["goal"])  # type: ignore[attr-defined]
        return next(g for g in goals if g.pk == wanted)


class GoalForm(WebModelForm):
    term = forms.ChoiceField(
        label=_("Term"), choices=translated(Goal.Term.choices), widget=forms.RadioSelect
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        choices=[(1, _("1 (highest)")), (2, "2"), (3, _("3 (lowest)"))],
        initial=2,
    )

    class Meta:
        model = Goal
        fields = [
            "client_words",
            "measurable_target",
            "problem",
            "term",
            "target_date",
            "priority",
            "strengths",
            "barriers",
        ]
        labels = {
            "client_words": _("The goal in the client's own words"),
            "measurable_target": _("Measurable target"),
            "problem": _("Problem it addresses"),
            "target_date": _("Target date"),
            "strengths": _("Strengths"),
            "barriers": _("Barriers"),
        }
        widgets = {
            "client_words": forms.Textarea(attrs=TEXT),
            "measurable_target": forms.Textarea(attrs=TEXT),
            "problem": forms.Textarea(attrs=TEXT),
            "strengths": forms.Textarea(attrs=TEXT),
            "barriers": forms.Textarea(attrs=TEXT),
            "target_date": DateInput(),
        }


class GoalStatusForm(WebForm):
    version = VersionField()
    status = forms.ChoiceField(label=_("Goal status"), choices=translated(Goal.Status.choices))


class InterventionForm(GoalChoiceMixin, WebModelForm):
    goal = forms.TypedChoiceField(label=_("For goal"), coerce=int)

    class Meta:
        model = Intervention
        fields = ["description", "responsible", "responsible_staff", "frequency", "start_due_on"]
        labels = {
            "description": _("What will be done"),
            "responsible": _("Who"),
            "responsible_staff": _("Staff member responsible (if one of us)"),
            "frequency": _("How often"),
            "start_due_on": _("Due to start on"),
        }
        widgets = {"description": forms.Textarea(attrs=TEXT), "start_due_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["goal"])
        staff = self.fields["responsible_staff"]
        staff.queryset = StaffMember.objects.filter(active=True).select_related("user")  # type: ignore[attr-defined]


class InterventionStatusForm(WebForm):
    version = VersionField()
    status = forms.ChoiceField(label=_("Status"), choices=translated(Intervention.Status.choices))
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DateInput())


class AgreementForm(WebModelForm):
    agreed = forms.TypedChoiceField(
        label=_("The client's decision on the plan"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Agrees to the plan")), ("no", _("Refuses the plan"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PlanAgreement
        fields = ["agreed", "refusal_reason", "recorded_on"]
        labels = {
            "refusal_reason": _("The client's reason for refusing"),
            "recorded_on": _("Recorded on"),
        }
        widgets = {"recorded_on": DateInput(), "refusal_reason": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default("recorded_on", today_initial())


class ProgressForm(GoalChoiceMixin, WebModelForm):
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=translated(GoalProgress.Direction.choices),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = GoalProgress
        fields = ["recorded_on", "direction", "measurement", "note"]
        labels = {
            "recorded_on": _("Recorded on"),
            "measurement": _("Measurement"),
            "note": _("Note"),
        }
        widgets = {"recorded_on": DateInput(), "note": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["goal"])
        self.default("recorded_on", today_initial())


class OutcomeForm(GoalChoiceMixin, WebModelForm):
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=translated(GoalOutcome.Outcome.choices),
        widget=forms.RadioSelect,
    )
    attainment_score = forms.TypedChoiceField(
        label=_("Goal attainment scaling"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", _("Not scored")),
            (-2, _("-2 much less than expected")),
            (-1, _("-1 somewhat less than expected")),
            (0, _("0 as expected")),
            (1, _("+1 somewhat more than expected")),
            (2, _("+2 much more than expected")),
        ],
    )

    class Meta:
        model = GoalOutcome
        fields = ["evaluated_on", "outcome", "attainment_score", "note"]
        labels = {"evaluated_on": _("Evaluated on"), "note": _("Note")}
        widgets = {"evaluated_on": DateInput(), "note": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["goal"])
        self.default("evaluated_on", today_initial())


class EvaluationForm(WebModelForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    client_satisfaction = forms.TypedChoiceField(
        label=_("Client satisfaction"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Not asked"))] + [(n, str(n)) for n in range(1, 6)],
        help_text=_("1 (very dissatisfied) to 5 (very satisfied)"),
    )

    class Meta:
        model = CaseEvaluation
        fields = [
            "decided_on",
            "decision",
            "reason",
            "readmissions",
            "ed_visits",
            "client_satisfaction",
            "summary",
        ]
        labels = {
            "decided_on": _("Decided on"),
            "reason": _("Reason"),
            "readmissions": _("Readmissions during the case"),
            "ed_visits": _("ED visits during the case"),
            "summary": _("Summary of outcomes, instrument change and utilisation"),
        }
        widgets = {
            "decided_on": DateInput(),
            "reason": forms.Textarea(attrs=TEXT),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default("decided_on", today_initial())


# Edits of one record: the same fields, the version it was read at, and no choice of goal (a
# record stays under its goal).


class GoalEditForm(GoalForm):
    version = VersionField()


class _UnderItsGoal:
    def drop_goal(self) -> None:
        del self.fields["goal"]  # type: ignore[attr-defined]


class InterventionEditForm(_UnderItsGoal, InterventionForm):
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drop_goal()


class ProgressEditForm(_UnderItsGoal, ProgressForm):
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drop_goal()


class OutcomeEditForm(_UnderItsGoal, OutcomeForm):
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drop_goal()


class EvaluationEditForm(EvaluationForm):
    version = VersionField()
