"""Goals, interventions, the client's agreement, progress and evaluation outcomes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from casework.cases.models import Case
from casework.cases.phases import EvaluationDecision
from casework.core.models import VersionedModel
from casework.staff.models import StaffMember


class Goal(VersionedModel):
    class Term(models.TextChoices):
        SHORT = "short", "Short term"
        LONG = "long", "Long term"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        MET = "met", "Met"
        DISCONTINUED = "discontinued", "Discontinued"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    problem = models.TextField(blank=True)
    client_words = models.TextField()
    measurable_target = models.TextField()
    term = models.CharField(max_length=5, choices=Term.choices)
    target_date = models.DateField(null=True, blank=True)
    priority = models.PositiveSmallIntegerField(default=2)  # 1 highest .. 3 lowest
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    barriers = models.TextField(blank=True)
    strengths = models.TextField(blank=True)

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.client_words[:60]

    def clean(self) -> None:
        if not 1 <= self.priority <= 3:
            raise ValidationError({"priority": "priority is 1 (highest), 2 or 3"})


class Intervention(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        STARTED = "started", "Started"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="interventions")
    description = models.TextField()
    responsible = models.CharField(max_length=150)
    responsible_staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frequency = models.CharField(max_length=80)
    start_due_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["id"]

    def clean(self) -> None:
        if self.status in (self.Status.STARTED, self.Status.COMPLETED) and not self.started_on:
            raise ValidationError({"started_on": "give the date the intervention started"})
        if self.started_on and self.status == self.Status.PLANNED:
            self.status = self.Status.STARTED


class PlanAgreement(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_agreements")
    agreed = models.BooleanField()
    refusal_reason = models.TextField(blank=True)
    recorded_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]

    def clean(self) -> None:
        if not self.agreed and not self.refusal_reason.strip():
            raise ValidationError({"refusal_reason": "record the client's reason for refusing"})


class GoalProgress(VersionedModel):
    class Direction(models.TextChoices):
        IMPROVED = "improved", "Improved"
        NO_CHANGE = "no_change", "No change"
        WORSE = "worse", "Worse"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField()
    recorded_at = models.DateTimeField()
    direction = models.CharField(max_length=10, choices=Direction.choices)
    measurement = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]


class GoalOutcome(VersionedModel):
    class Outcome(models.TextChoices):
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="outcomes")
    evaluated_on = models.DateField()
    recorded_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # Goal attainment scaling: -2 much less than expected .. 0 expected .. +2 much more.
    attainment_score = models.SmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def clean(self) -> None:
        if self.attainment_score is not None and not -2 <= self.attainment_score <= 2:
            raise ValidationError(
                {"attainment_score": "goal attainment scaling runs from -2 to +2"}
            )


class CaseEvaluation(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    decided_on = models.DateField()
    recorded_at = models.DateTimeField()
    decision = models.CharField(
        max_length=20, choices=[(d.value, d.value.replace("_", " ")) for d in EvaluationDecision]
    )
    reason = models.TextField(blank=True)
    readmissions = models.PositiveIntegerField(null=True, blank=True)
    ed_visits = models.PositiveIntegerField(null=True, blank=True)
    client_satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)  # 1..5
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def clean(self) -> None:
        if self.client_satisfaction is not None and not 1 <= self.client_satisfaction <= 5:
            raise ValidationError({"client_satisfaction": "satisfaction is rated 1 to 5"})
        if self.decision == EvaluationDecision.CLOSE and not self.reason.strip():
            raise ValidationError({"reason": "say why the case can close"})
