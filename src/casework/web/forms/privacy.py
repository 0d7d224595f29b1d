"""Forms of the client's privacy page: consents (42 CFR 2.31), restrictions, disclosures,
and emergency access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.privacy.models import (
    CATEGORIES,
    PURPOSES,
    Consent,
    Disclosure,
    RecipientKind,
    Restriction,
)
from casework.web.forms.base import DateInput, WebForm, WebModelForm, today_initial, translated

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
