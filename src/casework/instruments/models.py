"""Instrument administrations (answers and the scored result) and the urgent alerts they raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casework.cases.models import PHASE_CHOICES, Case
from casework.clients.models import Client
from casework.privacy.labels import CHOICES as SENSITIVITY_CHOICES


class InstrumentAdministration(models.Model):
    """One administration, kept as given: answers are never edited, only re-administered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="administrations")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="administrations")
    instrument = models.CharField(max_length=30)
    # The phase the case was in when it was given: screening, assessment, monitoring ...
    phase = models.CharField(max_length=24, choices=PHASE_CHOICES)
    answers = models.JSONField()
    result = models.JSONField()
    total = models.IntegerField(null=True, blank=True)
    band = models.CharField(max_length=30, blank=True)
    administered_on = models.DateField()
    recorded_at = models.DateTimeField()
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # A sensitivity label (privacy.labels): who may read it and what leaving the team needs.
    sensitivity = models.CharField(max_length=24, choices=SENSITIVITY_CHOICES, blank=True)

    class Meta:
        ordering = ["administered_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["client", "instrument", "administered_on"])]


class CaseAlert(models.Model):
    class Kind(models.TextChoices):
        SUICIDE_RISK = "suicide_risk", "Suicide risk: clinician follow-up needed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    source = models.ForeignKey(
        InstrumentAdministration, null=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
