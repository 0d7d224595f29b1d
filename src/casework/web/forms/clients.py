"""Forms of the client record and of a new referral."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.models import Case, Program
from casework.clients.models import (
    Client,
    ClientIdentifier,
    Condition,
    Encounter,
    HealthLiteracy,
    Sex,
    SupportPerson,
)
from casework.clients.schemas import CLIENT_FIELDS
from casework.staff.models import StaffMember
from casework.web.forms.base import DateInput, VersionField, WebForm, WebModelForm, translated

TEXT = {"rows": 2}
CLIENT_LABELS = {
    "given_name": _("Given name"),
    "middle_name": _("Middle name"),
    "family_name": _("Family name"),
    "preferred_name": _("Preferred name"),
    "birth_date": _("Date of birth"),
    "sex_at_birth": _("Sex at birth"),
    "gender_identity": _("Gender identity"),
    "pronouns": _("Pronouns"),
    "address_line": _("Address"),
    "city": _("City"),
    "state": _("State"),
    "postal_code": _("ZIP code"),
    "phone": _("Phone"),
    "email": _("Email"),
    "preferred_language": _("Preferred language"),
    "interpreter_needed": _("Needs an interpreter"),
    "cultural_considerations": _("Culture, faith and customs to respect"),
    "health_literacy": _("Health literacy"),
    "preferences": _("Preferences"),
    "values": _("Values"),
    "aspirations": _("Aspirations"),
    "payer": _("Payer"),
    "coverage_type": _("Coverage"),
    "member_id": _("Member id"),
}


class ClientForm(WebModelForm):
    version = VersionField()

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        labels = CLIENT_LABELS
        help_texts = {
            "preferences": _("In the client's own words."),
            "aspirations": _("What the client hopes for."),
        }
        widgets = {
            "birth_date": DateInput(),
            "cultural_considerations": forms.Textarea(attrs=TEXT),
            "preferences": forms.Textarea(attrs=TEXT),
            "values": forms.Textarea(attrs=TEXT),
            "aspirations": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("sex_at_birth", Sex.choices),
            ("health_literacy", HealthLiteracy.choices),
        ):
            if name in self.fields:
                self.fields[name].choices = translated(choices)  # type: ignore[attr-defined]


class NewClientForm(ClientForm):
    """Registration: the same fields, no version yet, an optional identifier, and the
    confirmation that a likely duplicate is a different person."""

    identifier_system = forms.ChoiceField(
        label=_("Identifier type"),
        required=False,
        choices=translated(ClientIdentifier.System.choices, blank="—"),
    )
    identifier_value = forms.CharField(label=_("Identifier"), required=False, max_length=60)
    confirmed_new_person = forms.BooleanField(
        label=_("I checked the likely matches: this is a different person"), required=False
    )

    class Meta(ClientForm.Meta):
        fields = [
            "given_name", "middle_name", "family_name", "preferred_name", "birth_date",
            "sex_at_birth", "phone", "city", "state", "preferred_language",
            "interpreter_needed",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]

    def identifiers(self) -> list[dict[str, str]]:
        system, value = (
            self.cleaned_data.get("identifier_system"),
            self.cleaned_data.get("identifier_value", ""),
        )
        return [{"system": system, "value": value.strip()}] if system and value.strip() else []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("identifier_value") and not data.get("identifier_system"):
            self.add_error("identifier_system", _("Say what kind of identifier this is."))
        return data


class OpenCaseForm(WebModelForm):
    class Meta:
        model = Case
        fields = [
            "program",
            "primary_case_manager",
            "referral_source",
            "referred_on",
            "referral_reason",
        ]
        labels = {
            "program": _("Program"),
            "primary_case_manager": _("Primary case manager"),
            "referral_source": _("Referred by"),
            "referred_on": _("Referral received on"),
            "referral_reason": _("Reason for referral"),
        }
        widgets = {"referred_on": DateInput(), "referral_reason": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(active=True)  # type: ignore[attr-defined]
        managers = self.fields["primary_case_manager"]
        managers.queryset = StaffMember.objects.filter(active=True).select_related("user")  # type: ignore[attr-defined]
        self.fields["referral_source"].choices = translated(Case.ReferralSource.choices, blank="—")  # type: ignore[attr-defined]


class SupportPersonForm(WebModelForm):
    class Meta:
        model = SupportPerson
        fields = ["name", "relationship", "role", "phone", "consent_to_share"]
        labels = {
            "name": _("Name"),
            "relationship": _("Relationship"),
            "role": _("Role (caregiver, transport ...)"),
            "phone": _("Phone"),
            "consent_to_share": _("The client consents to share information with them"),
        }


class ConditionForm(WebModelForm):
    class Meta:
        model = Condition
        fields = ["icd10_code", "description", "onset_date", "abatement_date"]
        labels = {
            "icd10_code": _("ICD-10-CM code"),
            "description": _("Description"),
            "onset_date": _("Onset"),
            "abatement_date": _("Resolved on"),
        }
        widgets = {"onset_date": DateInput(), "abatement_date": DateInput()}


class EncounterForm(WebModelForm):
    class Meta:
        model = Encounter
        fields = ["kind", "facility", "started_on", "discharged_on", "acute"]
        labels = {
            "kind": _("Kind"),
            "facility": _("Facility"),
            "started_on": _("Admitted on (or visit date)"),
            "discharged_on": _("Discharged on"),
            "acute": _("Emergent or urgent admission"),
        }
        widgets = {"started_on": DateInput(), "discharged_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = translated(Encounter.Kind.choices)  # type: ignore[attr-defined]


class SupportPersonEditForm(SupportPersonForm):
    version = VersionField()


class ConditionEditForm(ConditionForm):
    version = VersionField()


class EncounterEditForm(EncounterForm):
    version = VersionField()


class ReferralEditForm(WebModelForm):
    """The referral's details, as ``PATCH /cases/{id}`` edits them (who holds the case is a
    reassignment, and another client or program is another case)."""

    version = VersionField()

    class Meta:
        model = Case
        fields = ["referral_source", "referred_on", "opened_on", "referral_reason"]
        labels = {
            "referral_source": _("Referred by"),
            "referred_on": _("Referral received on"),
            "opened_on": _("Case opened on"),
            "referral_reason": _("Reason for referral"),
        }
        widgets = {
            "referred_on": DateInput(),
            "opened_on": DateInput(),
            "referral_reason": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral_source"].choices = translated(Case.ReferralSource.choices)  # type: ignore[attr-defined]


class ReassignForm(WebForm):
    to_staff: forms.ModelChoiceField[StaffMember] = forms.ModelChoiceField(
        label=_("New primary case manager"), queryset=StaffMember.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs=TEXT))
    version = VersionField()

    def __init__(self, *args: Any, staff: list[StaffMember] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [s.pk for s in staff or []]
        field = self.fields["to_staff"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = StaffMember.objects.filter(pk__in=ids).select_related("user")
