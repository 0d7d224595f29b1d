"""Forms of the client's privacy page: consents (42 CFR 2.31), restrictions, disclosures,
requests to amend the record (HIPAA 164.526), and emergency access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.privacy.models import (
    AMENDABLE_RECORDS,
    CATEGORIES,
    PURPOSES,
    AmendmentRequest,
    Consent,
    Disclosure,
    RecipientKind,
    Restriction,
)
from casework.web.forms.base import (
    DateInput,
    VersionField,
    WebForm,
    WebModelForm,
    today_initial,
    translated,
)

TEXT = {"rows": 2}


class ConsentForm(WebModelForm):
    """The written consent's elements; the model's own checks (expiry, right to revoke) run on
    validation and show beside their fields."""

    purposes = forms.MultipleChoiceField(
        label=_("Purposes of the disclosure"),
        choices=translated(PURPOSES),
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("Kinds of information"),
        choices=translated(CATEGORIES),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Consent
        fields = [
            "recipient_name", "recipient_kind", "purposes", "categories",
            "information_description", "effective_on", "expires_on", "expiration_event",
            "signed_by", "signer", "signed_on", "right_to_revoke_explained",
        ]  # fmt: skip
        labels = {
            "recipient_name": _("Recipient"),
            "recipient_kind": _("Kind of recipient"),
            "information_description": _("What information, how much"),
            "effective_on": _("Takes effect on"),
            "expires_on": _("Expires on"),
            "expiration_event": _("Or ends on this event"),
            "signed_by": _("Signed by"),
            "signer": _("Signer"),
            "signed_on": _("Signed on"),
            "right_to_revoke_explained": _("The client was told of the right to revoke"),
        }
        widgets = {
            "information_description": forms.Textarea(attrs=TEXT),
            "effective_on": DateInput(),
            "expires_on": DateInput(),
            "signed_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_kind"].choices = translated(RecipientKind.choices)  # type: ignore[attr-defined]
        self.fields["signer"].choices = translated(Consent.Signer.choices)  # type: ignore[attr-defined]
        self.default("effective_on", today_initial())
        self.default("signed_on", today_initial())


class RevokeForm(WebForm):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DateInput(), initial=today_initial)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )


class RestrictionForm(WebModelForm):
    class Meta:
        model = Restriction
        fields = ["recipient_name", "scope", "requested_on", "agreed", "ended_on"]
        labels = {
            "recipient_name": _("Recipient"),
            "scope": _("What may not be disclosed"),
            "requested_on": _("Requested on"),
            "agreed": _("The agency agreed to the restriction"),
            "ended_on": _("Ended on"),
        }
        widgets = {
            "scope": forms.Textarea(attrs=TEXT),
            "requested_on": DateInput(),
            "ended_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default("requested_on", today_initial())


class RestrictionEditForm(RestrictionForm):
    """A restriction changed later: the agency's agreement, its end; version-checked."""

    version = VersionField()


class DisclosureForm(WebForm):
    recipient_name = forms.CharField(label=_("Recipient"), max_length=200)
    recipient_kind = forms.ChoiceField(
        label=_("Kind of recipient"), choices=translated(RecipientKind.choices)
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=translated(PURPOSES))
    categories = forms.MultipleChoiceField(
        label=_("Kinds of information"),
        choices=translated(CATEGORIES),
        widget=forms.CheckboxSelectMultiple,
    )
    data_description = forms.CharField(
        label=_("What is disclosed"), max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=translated(Disclosure.Channel.choices),
        initial=Disclosure.Channel.PRINTED,
    )
    recipient_affiliation = forms.CharField(
        label=_("Recipient's health care facility"),
        max_length=200,
        required=False,
        help_text=_("Medical emergency only (42 CFR 2.51)."),
    )
    emergency_nature = forms.CharField(
        label=_("Nature of the medical emergency"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Medical emergency only (42 CFR 2.51)."),
    )


class ReleaseForm(DisclosureForm):
    """A disclosure that carries the data: the records are downloaded as a file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["channel"]  # always an export file


class BreakGlassForm(WebForm):
    client_id = forms.IntegerField(
        label=_("Client number"),
        min_value=1,
        help_text=_("From the agency-wide likely-match search of New referral."),
    )
    reason = forms.CharField(
        label=_("The emergency that needs this access"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )


class ReviewForm(WebForm):
    note = forms.CharField(
        label=_("Review note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )


class AmendmentRequestForm(WebForm):
    """A client's request to amend their record: what, the change asked for, when received.
    Field names are the API's, so that the service's refusals land beside them."""

    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=today_initial)
    information = forms.CharField(
        label=_("The information to amend"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Which record and what it says, as the client describes it."),
    )
    requested_change = forms.CharField(
        label=_("The change the client asks for"),
        max_length=4000,
        widget=forms.Textarea(attrs=TEXT),
    )
    client_reason = forms.CharField(
        label=_("The client's reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )
    case = forms.TypedChoiceField(label=_("Case"), required=False, coerce=int, empty_value=None)
    record_type = forms.ChoiceField(
        label=_("Kind of record"),
        required=False,
        choices=translated(AMENDABLE_RECORDS, blank="—"),
    )
    record_id = forms.IntegerField(
        label=_("Record number"), required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args: Any, cases: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.pk, f"#{c.pk} {c.program.name}") for c in cases
        ]

    def data_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ExtendAmendmentForm(WebForm):
    extended_on = forms.DateField(label=_("Extended on"), widget=DateInput(), initial=today_initial)
    extension_reason = forms.CharField(
        label=_("Why more time is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("The client is told this in writing, with the new due date."),
    )


class AcceptAmendmentForm(WebForm):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), initial=today_initial)
    amendment = forms.CharField(
        label=_("The amendment"),
        max_length=8000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Kept linked to the record; the original stays as it was."),
    )


class DenyAmendmentForm(WebForm):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), initial=today_initial)
    denial_basis = forms.ChoiceField(
        label=_("Basis of the denial"),
        choices=translated(AmendmentRequest.DenialBasis.choices, blank="—"),
    )
    explanation = forms.CharField(
        label=_("The written denial"),
        max_length=8000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_(
            "Tell the client they may send a statement of disagreement, or ask that the "
            "request and this denial go with future disclosures, and how to complain."
        ),
    )


class DisagreementForm(WebForm):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=today_initial)
    statement = forms.CharField(
        label=_("The client's statement of disagreement"),
        max_length=8000,
        widget=forms.Textarea(attrs=TEXT),
    )


class RebuttalForm(WebForm):
    rebuttal = forms.CharField(
        label=_("The agency's rebuttal"),
        max_length=8000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("A copy goes to the client."),
    )
