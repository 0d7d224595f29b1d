"""Programs, cases and the records of screening, assessment and contact.

The case's phase is not a column: it is the ``to_phase`` of its latest ``PhaseChange``.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from casework.cases.phases import (
    ASSESSMENT_DOMAINS,
    ClosureReason,
    Phase,
    ScreeningOutcome,
)
from casework.clients.models import Client
from casework.core import clock
from casework.core.models import VersionedModel
from casework.privacy.labels import CHOICES as SENSITIVITY_CHOICES
from casework.risk.tiering import DEFAULT_RULE, InvalidRule, validate_rule
from casework.staff.models import StaffMember

PHASE_CHOICES = [(p.value, p.label) for p in Phase]
DOMAIN_CHOICES = [(key, label) for key, label in ASSESSMENT_DOMAINS.items()]


def default_tier_rule() -> dict[str, Any]:
    return copy.deepcopy(dict(DEFAULT_RULE))


def default_follow_up_days() -> dict[str, int]:
    return {"low": 30, "moderate": 14, "high": 7, "complex": 7}


class Program(VersionedModel):
    name = models.CharField(max_length=120, unique=True)
    case_type = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    eligibility_criteria = models.TextField(blank=True)
    required_domains = models.JSONField(default=list, blank=True)
    required_instruments = models.JSONField(default=list, blank=True)
    # Days between contacts for each risk tier: the tier's follow-up cadence.
    follow_up_days = models.JSONField(default=default_follow_up_days)
    reopen_window_days = models.PositiveIntegerField(default=90)
    lost_to_contact_attempts = models.PositiveIntegerField(default=3)
    # Which scores, with which thresholds, give which risk tier (see risk.tiering).
    tier_rule = models.JSONField(default=default_tier_rule)
    active = models.BooleanField(default=True)
    # Staff who manage the program: with the program manager role they see its cases.
    managers = models.ManyToManyField(
        "staff.StaffMember", blank=True, related_name="managed_programs"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            validate_rule(self.tier_rule)
        except InvalidRule as error:
            raise ValidationError({"tier_rule": str(error)}) from error
        unknown = [d for d in self.required_domains if d not in ASSESSMENT_DOMAINS]
        if unknown:
            raise ValidationError({"required_domains": f"unknown domains: {', '.join(unknown)}"})


class Case(VersionedModel):
    class ReferralSource(models.TextChoices):
        SELF = "self", "Self"
        FAMILY = "family", "Family"
        PHYSICIAN = "physician", "Physician"
        HOSPITAL = "hospital", "Hospital"
        PAYER = "payer", "Payer"
        COURT = "court", "Court"
        SCHOOL = "school", "School"
        AGENCY = "agency", "Agency"
        OTHER = "other", "Other"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cases")
    primary_case_manager = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="primary_cases"
    )
    referral_source = models.CharField(max_length=12, choices=ReferralSource.choices)
    referral_reason = models.TextField()
    referred_on = models.DateField()
    opened_on = models.DateField(default=clock.today)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(
        max_length=24, choices=[(r.value, r.label) for r in ClosureReason], blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"Case {self.pk}: {self.client}"

    def clean(self) -> None:
        if self.referred_on and self.opened_on and self.opened_on < self.referred_on:
            raise ValidationError({"opened_on": "a case cannot open before its referral"})


class CareTeamMember(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="care_team")
    staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="care_teams"
    )
    external_name = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=80)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff__isnull=False) | ~models.Q(external_name=""),
                name="care_team_member_is_staff_or_named",
            )
        ]


class PhaseChange(models.Model):
    """One move of the case between phases. Rows are only ever added."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    # Position in the case's history; unique so that two concurrent moves cannot both land.
    seq = models.PositiveIntegerField()
    from_phase = models.CharField(max_length=24, choices=PHASE_CHOICES, blank=True)
    to_phase = models.CharField(max_length=24, choices=PHASE_CHOICES)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="unique_phase_change_seq")
        ]


class ScreeningDecision(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    decided_on = models.DateField()
    outcome = models.CharField(
        max_length=20, choices=[(o.value, o.label) for o in ScreeningOutcome]
    )
    eligibility_notes = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    consent_to_case_management = models.BooleanField(default=False)
    consent_recorded_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["decided_on", "id"]

    def clean(self) -> None:
        if self.outcome != ScreeningOutcome.ACCEPTED and not self.reason.strip():
            raise ValidationError({"reason": "say why the referral is not accepted"})
        if self.consent_to_case_management and self.consent_recorded_on is None:
            raise ValidationError({"consent_recorded_on": "give the date consent was given"})


class AssessmentFinding(VersionedModel):
    class Status(models.TextChoices):
        ADDRESSED = "addressed", "Addressed"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    domain = models.CharField(max_length=24, choices=DOMAIN_CHOICES)
    status = models.CharField(max_length=16, choices=Status.choices)
    finding = models.TextField(blank=True)
    not_applicable_reason = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # A sensitivity label (privacy.labels): who may read it and what leaving the team needs.
    sensitivity = models.CharField(max_length=24, choices=SENSITIVITY_CHOICES, blank=True)

    class Meta:
        ordering = ["domain", "assessed_on", "id"]

    def clean(self) -> None:
        if self.status == self.Status.NOT_APPLICABLE and not self.not_applicable_reason.strip():
            raise ValidationError(
                {"not_applicable_reason": "say why this domain does not apply to the client"}
            )
        if self.status == self.Status.ADDRESSED and not self.finding.strip():
            raise ValidationError({"finding": "record what the assessment of this domain found"})


class IdentifiedNeed(VersionedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(max_length=24, choices=DOMAIN_CHOICES)
    description = models.TextField()
    priority = models.PositiveSmallIntegerField(default=2)  # 1 highest .. 3 lowest
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    identified_on = models.DateField()

    class Meta:
        ordering = ["priority", "id"]

    def clean(self) -> None:
        if not 1 <= self.priority <= 3:
            raise ValidationError({"priority": "priority is 1 (highest), 2 or 3"})


class ContactNote(VersionedModel):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        HOME_VISIT = "home_visit", "Home visit"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        MESSAGE = "message", "Secure message / letter"
        COLLATERAL = "collateral", "Collateral contact"

    class Format(models.TextChoices):
        SOAP = "soap", "SOAP"
        DAP = "dap", "DAP"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    occurred_at = models.DateTimeField()
    mode = models.CharField(max_length=12, choices=Mode.choices)
    participants = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveIntegerField(default=0)
    # False records an attempt that did not reach the client (counts towards lost to contact).
    contact_made = models.BooleanField(default=True)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.SOAP)
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    data = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # A sensitivity label (privacy.labels): who may read it and what leaving the team needs.
    sensitivity = models.CharField(max_length=24, choices=SENSITIVITY_CHOICES, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def clean(self) -> None:
        sections = (
            [self.subjective, self.objective, self.assessment, self.plan]
            if self.format == self.Format.SOAP
            else [self.data, self.assessment, self.plan]
        )
        if not any(s.strip() for s in sections):
            raise ValidationError(
                {"assessment": f"a {self.format.upper()} note needs at least one section written"}
            )


class CaseAssignment(models.Model):
    """A change of the case's primary case manager. Rows are only ever added, like moves; kept
    apart from ``PhaseChange`` because a reassignment is not a move between phases (it must
    not restart a phase's clock)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    from_staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    to_staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()

    class Meta:
        ordering = ["case", "at", "id"]
