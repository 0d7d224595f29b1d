"""Transitions of care, their handoff checklist and the contacts that follow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from casework.cases.models import Case
from casework.core.models import VersionedModel


class Setting(models.TextChoices):
    HOME = "home", "Home"
    INPATIENT_ACUTE = "inpatient_acute_care_hospital", "Inpatient acute care hospital"
    INPATIENT_PSYCH = "inpatient_psychiatric_hospital", "Inpatient psychiatric hospital"
    LONG_TERM_CARE_HOSPITAL = "long_term_care_hospital", "Long-term care hospital"
    SNF = "skilled_nursing_facility", "Skilled nursing facility"
    IRF = "inpatient_rehabilitation_facility", "Inpatient rehabilitation facility"
    OBSERVATION = "hospital_outpatient_observation", "Hospital outpatient observation"
    PARTIAL = "partial_hospitalization", "Partial hospitalization"
    ED = "emergency_department", "Emergency department"
    ASSISTED_LIVING = "assisted_living", "Assisted living"
    NURSING_FACILITY = "nursing_facility_long_term", "Nursing facility (long term)"
    RESIDENTIAL_TREATMENT = "residential_treatment", "Residential treatment"
    CUSTODY = "custody", "Custody / detention"
    FOSTER_CARE = "foster_care", "Foster care"
    CHILD_SERVICES = "child_services", "Child services"
    ADULT_SERVICES = "adult_services", "Adult services"
    HOSPICE = "hospice_facility", "Hospice facility"
    OTHER = "other", "Other"


class TransitionEvent(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_setting = models.CharField(max_length=40, choices=Setting.choices)
    to_setting = models.CharField(max_length=40, choices=Setting.choices)
    admitted_on = models.DateField(null=True, blank=True)
    transition_on = models.DateField(help_text="Discharge or move date")
    receiving_provider = models.CharField(max_length=150, blank=True)
    receiving_contact = models.CharField(max_length=150, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["transition_on", "id"]

    def clean(self) -> None:
        if self.admitted_on and self.transition_on and self.admitted_on > self.transition_on:
            raise ValidationError({"admitted_on": "admission cannot be after the discharge"})
        if self.from_setting == self.to_setting:
            raise ValidationError({"to_setting": "a transition moves between two settings"})


class HandoffItem(VersionedModel):
    class Item(models.TextChoices):
        HANDOFF = "handoff_to_receiving_provider", "Handoff to the receiving provider"
        MED_REC = "medication_reconciliation", "Medication reconciliation"
        FOLLOW_UP = "follow_up_appointment", "Follow-up appointment made"
        DISCHARGE_INFO = "discharge_information", "Discharge information received and shared"

    transition = models.ForeignKey(
        TransitionEvent, on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.CharField(max_length=40, choices=Item.choices)
    completed = models.BooleanField(default=False)
    completed_on = models.DateField(null=True, blank=True)
    open_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["transition", "item"], name="unique_handoff_item")
        ]

    def clean(self) -> None:
        if self.completed and self.completed_on is None:
            raise ValidationError({"completed_on": "give the date the item was completed"})


class PostTransitionContact(VersionedModel):
    class Kind(models.TextChoices):
        INTERACTIVE = "interactive", "Interactive contact with client or caregiver"
        FACE_TO_FACE = "face_to_face", "Face-to-face visit"
        PROVIDER = "provider", "Contact with the receiving provider"

    class Status(models.TextChoices):
        MADE = "made", "Made"
        MISSED = "missed", "Missed"

    transition = models.ForeignKey(
        TransitionEvent, on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    status = models.CharField(max_length=6, choices=Status.choices)
    occurred_on = models.DateField(null=True, blank=True)
    mode = models.CharField(max_length=20, blank=True)
    missed_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def clean(self) -> None:
        if self.status == self.Status.MADE and self.occurred_on is None:
            raise ValidationError({"occurred_on": "give the date of the contact"})
        if self.status == self.Status.MISSED and not self.missed_reason.strip():
            raise ValidationError({"missed_reason": "record why the contact was missed"})
