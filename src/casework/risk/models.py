"""Risk tier assignments. The case's tier is its latest assignment; earlier ones are history."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from casework.cases.models import Case
from casework.core.models import VersionedModel


class Tier(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"
    COMPLEX = "complex", "Complex"


class RiskTierAssignment(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tier_assignments")
    tier = models.CharField(max_length=10, choices=Tier.choices)
    # What a rule computed, when one did; a different ``tier`` is then an override.
    computed_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    basis = models.TextField()
    override_reason = models.TextField(blank=True)
    # The scores a computed tier was derived from, as they were then.
    scores = models.JSONField(default=dict, blank=True)
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assigned_at", "id"]

    def clean(self) -> None:
        overridden = self.computed_tier and self.computed_tier != self.tier
        if overridden and not self.override_reason.strip():
            raise ValidationError(
                {"override_reason": "say why the tier differs from the computed one"}
            )
