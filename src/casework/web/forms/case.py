"""Forms of screening, assessment, the care team, contact notes, risk and phase moves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.models import (
    AssessmentFinding,
    CareTeamMember,
    ContactNote,
    IdentifiedNeed,
    ScreeningDecision,
)
from casework.cases.phases import ADMINISTRATIVE_CLOSURES, ASSESSMENT_DOMAINS, ScreeningOutcome
from casework.risk.models import Tier
from casework.staff.models import StaffMember
from casework.web.forms.base import (
    DateInput,
    DateTimeInput,
    VersionField,
    WebForm,
    WebModelForm,
    today_initial,
    translated,
)
from casework.web.records import resource

DOMAINS = translated(ASSESSMENT_DOMAINS.items())
TEXT = {"rows": 3}


class ScreeningForm(WebModelForm):
    outcome = forms.ChoiceField(
        label=_("Eligibility decision"),
        choices=translated((o.value, o.label) for o in ScreeningOutcome),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ScreeningDecision
        fields = [
            "decided_on",
            "outcome",
            "eligibility_notes",
            "reason",
            "consent_to_case_management",
            "consent_recorded_on",
        ]
        labels = {
            "decided_on": _("Decided on"),
            "eligibility_notes": _("Eligibility criteria checked"),
            "reason": _("Reason (required when not accepted)"),
            "consent_to_case_management": _("The client consents to case management"),
            "consent_recorded_on": _("Consent given on"),
        }
        widgets = {
            "decided_on": DateInput(),
            "consent_recorded_on": DateInput(),
            "eligibility_notes": forms.Textarea(attrs=TEXT),
            "reason": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default("decided_on", today_initial())


class FindingForm(WebModelForm):
    domain = forms.ChoiceField(label=_("Domain"), choices=DOMAINS)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=translated(AssessmentFinding.Status.choices),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = AssessmentFinding
        fields = [
            "domain",
            "status",
            "assessed_on",
            "finding",
            "not_applicable_reason",
            "strengths",
            "barriers",
            "sensitivity",
        ]
        labels = {
            "assessed_on": _("Assessed on"),
            "finding": _("Finding"),
            "not_applicable_reason": _("Why it does not apply"),
            "strengths": _("Strengths"),
            "barriers": _("Barriers"),
            "sensitivity": _("Sensitivity"),
        }
        widgets = {
            "assessed_on": DateInput(),
            "finding": forms.Textarea(attrs=TEXT),
            "not_applicable_reason": forms.Textarea(attrs={"rows": 2}),
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "barriers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default("assessed_on", today_initial())
        if "sensitivity" in self.fields:
            field = self.fields["sensitivity"]
            field.choices = translated(field.choices)  # type: ignore[attr-defined]


class NeedForm(WebModelForm):
    domain = forms.ChoiceField(label=_("Domain"), choices=DOMAINS)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        choices=[(1, _("1 (highest)")), (2, "2"), (3, _("3 (lowest)"))],
        initial=2,
    )

    class Meta:
        model = IdentifiedNeed
        fields = ["domain", "description", "priority", "identified_on"]
        labels = {"description": _("Need or problem"), "identified_on": _("Identified on")}
        widgets = {"identified_on": DateInput(), "description": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default("identified_on", today_initial())


class CareTeamForm(WebModelForm):
    class Meta:
        model = CareTeamMember
        fields = ["staff", "external_name", "organisation", "role", "phone"]
        labels = {
            "staff": _("Colleague"),
            "external_name": _("Or an outside person's name"),
            "organisation": _("Organisation"),
            "role": _("Role"),
            "phone": _("Phone"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        staff.queryset = StaffMember.objects.filter(active=True).select_related("user")  # type: ignore[attr-defined]
        staff.empty_label = _("(someone outside the agency)")  # type: ignore[attr-defined]


class NoteForm(WebModelForm):
    mode = forms.ChoiceField(label=_("Contact"), choices=translated(ContactNote.Mode.choices))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=translated(ContactNote.Format.choices),
        widget=forms.RadioSelect,
        initial=ContactNote.Format.SOAP,
    )

    class Meta:
        model = ContactNote
        # The API's declaration of a note is the one list of its fields.
        fields = list(resource("notes").fields)
        labels = {
            "occurred_at": _("When"),
            "participants": _("Participants"),
            "duration_minutes": _("Minutes"),
            "contact_made": _("The client was reached"),
            "subjective": _("Subjective (SOAP)"),
            "objective": _("Objective (SOAP)"),
            "data": _("Data (DAP)"),
            "assessment": _("Assessment"),
            "plan": _("Plan"),
            "sensitivity": _("Sensitivity"),
        }
        help_texts = {
            "contact_made": _("Leave unticked to record an attempt that did not reach the client.")
        }
        widgets = {
            "occurred_at": DateTimeInput(),
            "subjective": forms.Textarea(attrs=TEXT),
            "objective": forms.Textarea(attrs=TEXT),
            "data": forms.Textarea(attrs=TEXT),
            "assessment": forms.Textarea(attrs=TEXT),
            "plan": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from casework.core import clock

        super().__init__(*args, **kwargs)
        self.default("occurred_at", clock.now().replace(second=0, microsecond=0))
        self.default("contact_made", True)
        if "sensitivity" in self.fields:
            field = self.fields["sensitivity"]
            field.choices = translated(field.choices)  # type: ignore[attr-defined]


class ScreeningEditForm(ScreeningForm):
    version = VersionField()


class FindingEditForm(FindingForm):
    version = VersionField()


class NoteEditForm(NoteForm):
    version = VersionField()


class NeedEditForm(NeedForm):
    version = VersionField()
    status = forms.ChoiceField(label=_("Status"), choices=translated(IdentifiedNeed.Status.choices))

    class Meta(NeedForm.Meta):
        fields = [*NeedForm.Meta.fields, "status"]


class CareTeamEditForm(CareTeamForm):
    version = VersionField()


class RemoveMemberForm(WebForm):
    """Takes someone off the care team: the button is the whole form."""


class TierForm(WebForm):
    tier = forms.ChoiceField(
        label=_("Tier"), choices=translated(Tier.choices), widget=forms.RadioSelect
    )
    basis = forms.CharField(
        label=_("Basis"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding the computed tier"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )


class MoveForm(WebForm):
    to = forms.CharField(widget=forms.HiddenInput, max_length=30)
    version = VersionField()
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(MoveForm):
    closure_reason = forms.ChoiceField(
        label=_("Closure reason"),
        required=False,
        choices=translated(
            [(r.value, r.label) for r in sorted(ADMINISTRATIVE_CLOSURES)],
            blank=_("Decided at screening or evaluation"),
        ),
    )


class FollowUpForm(WebForm):
    note = forms.CharField(
        label=_("Follow-up done"), max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
