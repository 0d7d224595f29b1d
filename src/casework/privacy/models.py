"""Client consents to share, restrictions on disclosure, every disclosure made, and requests to
amend the record."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from casework.cases.models import Case
from casework.clients.models import Client
from casework.core.models import VersionedModel
from casework.privacy import amendments
from casework.privacy.labels import LABELS

PURPOSES = [
    ("treatment", "Treatment"),
    ("payment", "Payment"),
    ("health_care_operations", "Health care operations"),
    ("care_coordination", "Care coordination"),
    ("court_order", "Court order"),
    ("law_enforcement", "Law enforcement"),
    ("research", "Research"),
    ("employment", "Employment or licensing"),
    ("personal", "At the client's request"),
    ("medical_emergency", "Medical emergency (42 CFR 2.51)"),
    ("other", "Other"),
]
# Treatment, payment and operations: HIPAA lets unlabelled data go to these without consent.
TPO = frozenset({"treatment", "payment", "health_care_operations", "care_coordination"})
CATEGORIES = [("general", "General case record")] + [(k, v.title) for k, v in LABELS.items()]


class RecipientKind(models.TextChoices):
    PERSON = "person", "A named person"
    FAMILY = "family", "Family member, parent or guardian"
    ORGANISATION = "organisation", "A named organisation"
    PAYER = "payer", "Health plan or payer"
    TPO = "tpo", "My treating providers and payers (treatment, payment, operations)"


class Consent(VersionedModel):
    """A client's written consent to share (42 CFR 2.31 elements kept as fields)."""

    class Signer(models.TextChoices):
        SELF = "self", "The client"
        GUARDIAN = "guardian", "Parent or legal guardian"
        REPRESENTATIVE = "representative", "Personal representative"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    recipient_name = models.CharField(max_length=200)
    recipient_kind = models.CharField(max_length=12, choices=RecipientKind.choices)
    purposes = models.JSONField()
    categories = models.JSONField()
    information_description = models.TextField(max_length=2000)
    effective_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    expiration_event = models.CharField(max_length=200, blank=True)
    signed_by = models.CharField(max_length=150)
    signer = models.CharField(max_length=14, choices=Signer.choices)
    signed_on = models.DateField()
    right_to_revoke_explained = models.BooleanField(default=False)
    revoked_on = models.DateField(null=True, blank=True)
    revocation_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-id"]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            not isinstance(self.purposes, list)
            or not self.purposes
            or not all(p in dict(PURPOSES) for p in self.purposes)
        ):
            errors["purposes"] = "one or more of: " + ", ".join(k for k, _ in PURPOSES)
        if (
            not isinstance(self.categories, list)
            or not self.categories
            or not all(c in dict(CATEGORIES) for c in self.categories)
        ):
            errors["categories"] = "one or more of: " + ", ".join(k for k, _ in CATEGORIES)
        if self.expires_on is None and not self.expiration_event.strip():
            errors["expires_on"] = "give an expiry date or the event on which consent ends"
        if self.expires_on and self.effective_on and self.expires_on < self.effective_on:
            errors["expires_on"] = "a consent cannot expire before it takes effect"
        if not self.right_to_revoke_explained:
            errors["right_to_revoke_explained"] = (
                "the client must be told of the right to revoke (42 CFR 2.31(a)(6))"
            )
        if errors:
            raise ValidationError(errors)


class Restriction(VersionedModel):
    """A client's request that the agency not disclose to a recipient (HIPAA 164.522)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="restrictions")
    recipient_name = models.CharField(max_length=200)
    scope = models.TextField(max_length=2000)
    requested_on = models.DateField()
    agreed = models.BooleanField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]


class Disclosure(models.Model):
    """One disclosure of client data outside the care team: the accounting of disclosures."""

    class Basis(models.TextChoices):
        CONSENT = "consent", "Client consent"
        TPO = "tpo", "Treatment, payment or operations"
        EMERGENCY = "emergency", "Medical emergency"
        REQUIRED_BY_LAW = "required_by_law", "Required by law"

    class Channel(models.TextChoices):
        API = "api", "API share"
        EXPORT = "export", "Export file"
        REFERRAL = "referral", "Referral"
        PRINTED = "printed", "Printed release"
        FHIR = "fhir", "FHIR exchange"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="disclosures")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL)
    disclosed_at = models.DateTimeField()
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(max_length=200)
    recipient_kind = models.CharField(max_length=12, choices=RecipientKind.choices)
    purpose = models.CharField(max_length=30, choices=PURPOSES)
    categories = models.JSONField()
    data_description = models.TextField(max_length=2000)
    basis = models.CharField(max_length=16, choices=Basis.choices)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    notice = models.TextField(blank=True)
    # A medical emergency (42 CFR 2.51) also records the recipient's affiliation with a health
    # care facility and the nature of the emergency.
    recipient_affiliation = models.CharField(max_length=200, blank=True)
    emergency_nature = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-disclosed_at", "-id"]


class BreakGlassGrant(models.Model):
    """Emergency access by a pre-designated user to one client outside their caseload: stated
    reason, limited in time, shown to supervisors for review."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="break_glass")
    reason = models.TextField(max_length=2000)
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "client", "expires_at"])]


# Records a client may ask to amend, by the API's name for them (``/notes/{id}`` ...).
AMENDABLE_RECORDS = [
    ("client", "The client's details"),
    ("support-people", "Support person"),
    ("conditions", "Condition"),
    ("encounters", "Encounter"),
    ("notes", "Contact note"),
    ("findings", "Assessment finding"),
    ("needs", "Identified need"),
    ("goals", "Goal"),
]


class AmendmentRequest(VersionedModel):
    """A client's request to amend their record (HIPAA 164.526), tracked to its due date.

    The original record is never changed by the request: an accepted request is answered by an
    amendment, a denied one by the denial, the client's statement of disagreement and the
    agency's rebuttal, each an ``AmendmentEntry`` linked to the request."""

    class Status(models.TextChoices):
        PENDING = amendments.PENDING, "Pending"
        ACCEPTED = amendments.ACCEPTED, "Accepted"
        DENIED = amendments.DENIED, "Denied"

    class DenialBasis(models.TextChoices):
        # 164.526(a)(2)
        NOT_CREATED_HERE = "not_created_here", "Not created by the agency"
        NOT_IN_RECORD_SET = "not_in_record_set", "Not part of the designated record set"
        NOT_AVAILABLE = "not_available", "Not available to the client for inspection"
        ACCURATE = "accurate_and_complete", "Accurate and complete"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="amendment_requests")
    # The record concerned: a case, a record by its kind and id, and always in words.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT)
    record_type = models.CharField(max_length=16, choices=AMENDABLE_RECORDS, blank=True)
    record_id = models.PositiveIntegerField(null=True, blank=True)
    information = models.TextField(max_length=2000)
    requested_change = models.TextField(max_length=4000)
    client_reason = models.TextField(max_length=2000, blank=True)
    received_on = models.DateField()
    due_on = models.DateField(editable=False)
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    denial_basis = models.CharField(max_length=24, choices=DenialBasis.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def derived_fields(self) -> dict[str, object]:
        if self.received_on is None:
            return {}
        return {
            "due_on": amendments.due_on(self.received_on, extended=self.extended_on is not None)
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.record_id is not None and not self.record_type:
            errors["record_type"] = "say what kind of record the id is"
        if self.record_type and self.record_id is None and self.record_type != "client":
            errors["record_id"] = "give the id of the record"
        if self.extended_on is not None and not self.extension_reason.strip():
            errors["extension_reason"] = "say why more time is needed (the client is told)"
        if errors:
            raise ValidationError(errors)

    def overdue(self, today: dt.date) -> bool:
        return amendments.is_overdue(self.status, self.due_on, today)


class AmendmentEntry(models.Model):
    """One written artefact linked to an amendment request, never edited: the amendment, the
    denial, the client's statement of disagreement, the agency's rebuttal."""

    class Kind(models.TextChoices):
        AMENDMENT = "amendment", "Amendment"
        DENIAL = "denial", "Denial"
        DISAGREEMENT = "disagreement", "Statement of disagreement"
        REBUTTAL = "rebuttal", "Rebuttal"

    request = models.ForeignKey(AmendmentRequest, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(max_length=8000)
    dated_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["dated_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="one_entry_of_each_kind")
        ]
