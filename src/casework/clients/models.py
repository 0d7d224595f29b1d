"""The client record."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from casework.core.choices import USState
from casework.core.models import VersionedModel
from casework.core.text import fold


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Unknown"


class HealthLiteracy(models.TextChoices):
    ADEQUATE = "adequate", "Adequate"
    LIMITED = "limited", "Limited"
    UNKNOWN = "unknown", "Not assessed"


# Folding can lengthen text ("\ufdfa" is 18 letters decomposed); PostgreSQL refuses a value
# longer than its column (a 500 found by INPUT-04) where SQLite would keep it: cut to fit.
SEARCH_NAME_LENGTH = 420


class Client(VersionedModel):
    given_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField()
    sex_at_birth = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=60, blank=True)
    pronouns = models.CharField(max_length=30, blank=True)

    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=USState.choices, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    preferred_language = models.CharField(max_length=40, default="English")
    interpreter_needed = models.BooleanField(default=False)
    cultural_considerations = models.TextField(blank=True)
    health_literacy = models.CharField(
        max_length=10, choices=HealthLiteracy.choices, default=HealthLiteracy.UNKNOWN
    )
    # In the client's own words: these shape every phase of the process.
    preferences = models.TextField(blank=True)
    values = models.TextField(blank=True)
    aspirations = models.TextField(blank=True)

    payer = models.CharField(max_length=100, blank=True)
    coverage_type = models.CharField(max_length=40, blank=True)
    member_id = models.CharField(max_length=40, blank=True)

    # Folded "given middle family preferred" for case- and accent-insensitive search on any
    # engine; maintained by save(), never edited.
    search_name = models.CharField(max_length=SEARCH_NAME_LENGTH, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["birth_date"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.middle_name, self.family_name) if p)

    def derived_fields(self) -> dict[str, object]:
        names = [self.given_name, self.middle_name, self.family_name, self.preferred_name]
        return {"search_name": fold(" ".join(names))[:SEARCH_NAME_LENGTH]}


class ClientIdentifier(models.Model):
    class System(models.TextChoices):
        MRN = "mrn", "Medical record number"
        MEDICAID = "medicaid", "Medicaid id"
        MEDICARE = "medicare", "Medicare beneficiary id"
        SSN_LAST4 = "ssn_last4", "SSN (last 4)"
        COURT = "court", "Court / docket number"
        SCHOOL = "school", "School id"
        OTHER = "other", "Other"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(max_length=20, choices=System.choices)
    value = models.CharField(max_length=60)
    assigner = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["system", "value"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "system", "value"], name="unique_identifier_per_client"
            )
        ]


class SupportPerson(VersionedModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="support_people")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=60)  # daughter, neighbour, pastor ...
    role = models.CharField(max_length=60, blank=True)  # primary caregiver, transport ...
    phone = models.CharField(max_length=30, blank=True)
    consent_to_share = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Condition(VersionedModel):
    """A recorded diagnosis. It counts for scoring while active: onset <= day < abatement."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="conditions")
    icd10_code = models.CharField(max_length=10)
    description = models.CharField(max_length=200, blank=True)
    onset_date = models.DateField(null=True, blank=True)
    abatement_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["onset_date", "id"]

    def clean(self) -> None:
        from casework.rules.charlson import normalize_code

        self.icd10_code = self.icd10_code.strip().upper()
        if normalize_code(self.icd10_code) is None:
            raise ValidationError({"icd10_code": "not an ICD-10-CM code (e.g. E11.9, I50.22)"})
        if self.onset_date and self.abatement_date and self.abatement_date < self.onset_date:
            raise ValidationError({"abatement_date": "a condition cannot abate before its onset"})


class Encounter(VersionedModel):
    """An inpatient stay or an emergency-department visit, for readmission risk."""

    class Kind(models.TextChoices):
        INPATIENT = "inpatient", "Inpatient stay"
        ED = "ed", "Emergency department visit"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="encounters")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    facility = models.CharField(max_length=150, blank=True)
    # Admission date of a stay, or the date of an ED visit.
    started_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    # Emergent or urgent (unplanned) admission: LACE's "A".
    acute = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_on", "id"]

    def clean(self) -> None:
        if self.kind == self.Kind.ED and self.discharged_on is not None:
            raise ValidationError({"discharged_on": "an ED visit has no discharge date"})
        if self.discharged_on and self.started_on and self.discharged_on < self.started_on:
            raise ValidationError({"discharged_on": "discharge cannot be before admission"})
