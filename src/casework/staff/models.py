"""Staff records. A staff member is a Django user with a discipline and credentials."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from casework.core.choices import USState
from casework.core.models import VersionedModel


class Discipline(models.TextChoices):
    NURSE = "nurse", "Nurse"
    SOCIAL_WORK = "social_work", "Social work"
    MEDICAL = "medical", "Medical"
    MENTAL_HEALTH = "mental_health", "Mental health"
    CLINICAL = "clinical", "Clinical"
    SUBSTANCE_USE = "substance_use", "Substance use"
    LEGAL = "legal", "Legal"
    JUVENILE = "juvenile", "Juvenile"
    GERIATRIC = "geriatric", "Geriatric"
    OTHER = "other", "Other"


class StaffMember(VersionedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    title = models.CharField(max_length=120, blank=True)
    languages = models.JSONField(default=list, blank=True)
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supervisees"
    )
    active = models.BooleanField(default=True)
    # Pre-designated for emergency ("break-glass") access to clients outside the caseload.
    may_break_glass = models.BooleanField(default=False)
    # Passing ASWB exam level, for the NASW credentials' "licence or exam at level".
    aswb_exam = models.CharField(
        max_length=10,
        choices=[("", "None"), ("bachelors", "Bachelors"), ("masters", "Masters"),
                 ("advanced", "Advanced generalist"), ("clinical", "Clinical")],
        blank=True,
    )  # fmt: skip

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Licence(VersionedModel):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="licences")
    licence_type = models.CharField(max_length=40)  # RN, LCSW, LMSW, LPC, LADC ...
    issuing_state = models.CharField(max_length=2, choices=USState.choices)
    number = models.CharField(max_length=40)
    expires_on = models.DateField()
    independent_practice = models.BooleanField(default=False)
    compact_privilege = models.BooleanField(
        default=False, help_text="Multistate privilege, e.g. the Nurse Licensure Compact"
    )

    class Meta:
        ordering = ["expires_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_state", "licence_type", "number"], name="unique_licence_number"
            )
        ]


class Certification(VersionedModel):
    class Kind(models.TextChoices):
        CCM = "CCM", "CCM (CCMC)"
        ACM_RN = "ACM-RN", "ACM-RN (ACMA)"
        ACM_SW = "ACM-SW", "ACM-SW (ACMA)"
        C_SWCM = "C-SWCM", "C-SWCM (NASW)"
        C_ASWCM = "C-ASWCM", "C-ASWCM (NASW)"
        OTHER = "other", "Other"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    other_name = models.CharField(max_length=80, blank=True)
    number = models.CharField(max_length=40, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField()

    class Meta:
        ordering = ["expires_on"]


class Degree(VersionedModel):
    class Level(models.TextChoices):
        ASSOCIATE = "associate", "Associate"
        BACHELOR = "bachelor", "Bachelor's"
        MASTER = "master", "Master's"
        DOCTORATE = "doctorate", "Doctorate"

    class Field(models.TextChoices):
        NURSING = "nursing", "Nursing"
        SOCIAL_WORK = "social_work", "Social work"
        COUNSELING = "counseling", "Counselling / psychology"
        PUBLIC_HEALTH = "public_health", "Public health"
        OTHER_HEALTH = "other_health", "Other health or human services"
        OTHER = "other", "Other"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="degrees")
    level = models.CharField(max_length=10, choices=Level.choices)
    field = models.CharField(max_length=15, choices=Field.choices)
    cswe_accredited = models.BooleanField(default=False, help_text="social work degrees")
    awarded_on = models.DateField()
    supervised_field_experience = models.BooleanField(
        default=False, help_text="supervised field experience in CM, health or behavioural health"
    )

    class Meta:
        ordering = ["awarded_on", "id"]


class ExperiencePeriod(VersionedModel):
    """A stretch of case-management work; months are converted to full-time equivalents."""

    class Role(models.TextChoices):
        CASE_MANAGER = "case_manager", "Providing case management"
        SUPERVISOR = "supervisor", "Supervising people who provide case management"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="experience")
    role = models.CharField(max_length=12, choices=Role.choices)
    employer = models.CharField(max_length=150, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    fte_percent = models.PositiveSmallIntegerField(default=100)  # % of full time
    supervised = models.BooleanField(default=True)
    supervised_by_ccm = models.BooleanField(default=False)
    health_delivery_system = models.BooleanField(
        default=False, help_text="hospital or health-system case management (ACM)"
    )
    social_work = models.BooleanField(default=False, help_text="social-work case management")
    paid = models.BooleanField(default=True)

    class Meta:
        ordering = ["started_on", "id"]

    def clean(self) -> None:
        if not 1 <= self.fte_percent <= 100:
            raise ValidationError({"fte_percent": "between 1 and 100 (percent of full time)"})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "a period cannot end before it starts"})


class ContinuingEducation(VersionedModel):
    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="continuing_education"
    )
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=150, blank=True)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    ethics_hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    cm_specific_hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["completed_on", "id"]

    def clean(self) -> None:
        if self.hours is None or self.hours <= 0:
            raise ValidationError({"hours": "hours must be more than 0"})
        for name in ("ethics_hours", "cm_specific_hours"):
            part = getattr(self, name)
            if part is not None and (part < 0 or part > self.hours):
                raise ValidationError({name: "between 0 and the activity's hours"})
