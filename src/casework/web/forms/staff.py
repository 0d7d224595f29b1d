"""Forms of a staff member's credential records: licences, certifications, degrees, experience
and continuing education. Their fields are the API's declarations (``staff.api``), so the page
can never take more than the API does."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.staff.models import (
    Certification,
    ContinuingEducation,
    Degree,
    ExperiencePeriod,
    Licence,
)
from casework.web.forms.base import DateInput, VersionField, WebModelForm, translated
from casework.web.records import resource


class LicenceForm(WebModelForm):
    class Meta:
        model = Licence
        fields = list(resource("licences").fields)
        labels = {
            "licence_type": _("Licence (RN, LCSW, LMSW ...)"),
            "issuing_state": _("Issuing state"),
            "number": _("Licence number"),
            "expires_on": _("Expires on"),
            "independent_practice": _("Licensed for independent practice"),
            "compact_privilege": _("Multistate (compact) privilege"),
        }
        help_texts = {
            "compact_privilege": _("For example the Nurse Licensure Compact."),
        }
        widgets = {"expires_on": DateInput()}


class CertificationForm(WebModelForm):
    class Meta:
        model = Certification
        fields = list(resource("certifications").fields)
        labels = {
            "kind": _("Certification"),
            "other_name": _("Name, if other"),
            "number": _("Certificate number"),
            "issued_on": _("Issued on"),
            "expires_on": _("Expires on"),
        }
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = translated(Certification.Kind.choices)  # type: ignore[attr-defined]


class DegreeForm(WebModelForm):
    class Meta:
        model = Degree
        fields = list(resource("degrees").fields)
        labels = {
            "level": _("Degree"),
            "field": _("Field of study"),
            "cswe_accredited": _("CSWE-accredited program"),
            "awarded_on": _("Awarded on"),
            "supervised_field_experience": _("Included supervised field experience"),
        }
        help_texts = {
            "cswe_accredited": _("Social work degrees only."),
            "supervised_field_experience": _("In case management, health or behavioural health."),
        }
        widgets = {"awarded_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = translated(Degree.Level.choices)  # type: ignore[attr-defined]
        self.fields["field"].choices = translated(Degree.Field.choices)  # type: ignore[attr-defined]


class ExperienceForm(WebModelForm):
    class Meta:
        model = ExperiencePeriod
        fields = list(resource("experience").fields)
        labels = {
            "role": _("Work"),
            "employer": _("Employer"),
            "started_on": _("Started on"),
            "ended_on": _("Ended on"),
            "fte_percent": _("Percent of full time"),
            "supervised": _("Supervised"),
            "supervised_by_ccm": _("Supervised by a CCM"),
            "health_delivery_system": _("In a hospital or health system"),
            "social_work": _("Social-work case management"),
            "paid": _("Paid work"),
        }
        help_texts = {
            "ended_on": _("Leave empty if the work goes on."),
            "fte_percent": _("From 1 to 100."),
        }
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = translated(ExperiencePeriod.Role.choices)  # type: ignore[attr-defined]


class ContinuingEducationForm(WebModelForm):
    class Meta:
        model = ContinuingEducation
        fields = list(resource("continuing-education").fields)
        labels = {
            "title": _("Activity"),
            "provider": _("Provider"),
            "completed_on": _("Completed on"),
            "hours": _("Hours"),
            "ethics_hours": _("Of which ethics"),
            "cm_specific_hours": _("Of which case management"),
        }
        widgets = {"completed_on": DateInput()}


class LicenceEditForm(LicenceForm):
    version = VersionField()


class CertificationEditForm(CertificationForm):
    version = VersionField()


class DegreeEditForm(DegreeForm):
    version = VersionField()


class ExperienceEditForm(ExperienceForm):
    version = VersionField()


class ContinuingEducationEditForm(ContinuingEducationForm):
    version = VersionField()


# For each credential record type: its form to add one and its form to edit one.
CREDENTIAL_FORMS: dict[str, tuple[type[forms.ModelForm], type[forms.ModelForm]]] = {
    "licences": (LicenceForm, LicenceEditForm),
    "certifications": (CertificationForm, CertificationEditForm),
    "degrees": (DegreeForm, DegreeEditForm),
    "experience": (ExperienceForm, ExperienceEditForm),
    "continuing-education": (ContinuingEducationForm, ContinuingEducationEditForm),
}
