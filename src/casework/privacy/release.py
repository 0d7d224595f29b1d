"""A release of records: the client's data packaged for a recipient outside the care team.

A release is a disclosure (``services.disclose``: consent, restrictions and purpose checked,
one row in the accounting of disclosures, nothing written if refused) that also carries the
data. What goes in is decided record by record:

- only what the releasing user may read (their case scope; psychotherapy and SUD counselling
  notes only if they wrote them), so a release never widens anyone's access;
- an unlabelled record only when the release covers ``general``; a labelled record only when
  it covers that label (which the consent must name; ``decisions.decide``);
- every labelled record carries its HL7 security codes (DS4P), and a release that holds 42 CFR
  Part 2 data carries the 2.32 notice and a copy of the consent it rests on (2.32(b)).

Labelled records outside the release are left out without a trace: the package does not say
that they exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from casework.cases.models import AssessmentFinding, Case, ContactNote
from casework.cases.selectors import visible_cases
from casework.clients.models import Client
from casework.clients.schemas import CLIENT_FIELDS
from casework.instruments.models import InstrumentAdministration
from casework.privacy import services
from casework.privacy.access import author_only_filter
from casework.privacy.labels import hl7_codes
from casework.privacy.models import Consent, Disclosure

FORMAT = "casework-release/1"
GENERAL = "general"

_CASE_FIELDS = ["program", "referral_source", "referral_reason", "referred_on", "opened_on",
                "closed_on", "closure_reason"]  # fmt: skip
_NOTE_FIELDS = ["case", "occurred_at", "mode", "participants", "duration_minutes",
                "contact_made", "format", "subjective", "objective", "data", "assessment",
                "plan", "sensitivity"]  # fmt: skip
_FINDING_FIELDS = ["case", "domain", "status", "finding", "not_applicable_reason", "strengths",
                   "barriers", "assessed_on", "sensitivity"]  # fmt: skip
_RESULT_FIELDS = ["case", "instrument", "phase", "answers", "result", "total", "band",
                  "administered_on", "sensitivity"]  # fmt: skip
_CONSENT_FIELDS = ["recipient_name", "recipient_kind", "purposes", "categories",
                   "information_description", "effective_on", "expires_on", "expiration_event",
                   "signed_by", "signer", "signed_on", "right_to_revoke_explained",
                   "revoked_on"]  # fmt: skip


def filename(package: dict[str, Any]) -> str:
    return f"casework-release-client{package['client']['id']}-{package['disclosure']['id']}.json"


@dataclass(frozen=True)
class Release:
    disclosure: Disclosure
    package: dict[str, Any]


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    assert isinstance(field, models.Field)
    value = getattr(obj, field.attname)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _row(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    row = {"id": obj.pk} | {name: _value(obj, name) for name in fields}
    label = getattr(obj, "sensitivity", "")
    if label:
        row["security"] = list(hl7_codes(label))
    return row


def _released(rows: Any, categories: set[str]) -> Any:
    """The rows whose category the release covers ("" is the unlabelled, general record)."""
    wanted = {c for c in categories if c != GENERAL} | ({""} if GENERAL in categories else set())
    return rows.filter(sensitivity__in=wanted)


def build_package(
    actor: Any, client: Client, disclosure: Disclosure, cases: Iterable[Case]
) -> dict[str, Any]:
    categories = set(disclosure.categories)
    case_ids = [case.pk for case in cases]
    notes = author_only_filter("author_id")(actor, ContactNote.objects.filter(case__in=case_ids))
    findings = author_only_filter("assessed_by_id")(
        actor, AssessmentFinding.objects.filter(case__in=case_ids)
    )
    results = author_only_filter("administered_by_id")(
        actor, InstrumentAdministration.objects.filter(case__in=case_ids)
    )
    general = GENERAL in categories
    consent: Consent | None = disclosure.consent
    return {
        "format": FORMAT,
        "disclosure": {
            "id": disclosure.pk,
            "disclosed_at": disclosure.disclosed_at.isoformat(),
            "disclosed_by": actor.get_username(),
            "recipient_name": disclosure.recipient_name,
            "recipient_kind": disclosure.recipient_kind,
            "purpose": disclosure.purpose,
            "categories": disclosure.categories,
            "basis": disclosure.basis,
            "data_description": disclosure.data_description,
        },
        "notice": disclosure.notice,
        "consent": _row(consent, _CONSENT_FIELDS) if consent is not None else None,
        "client": _row(client, CLIENT_FIELDS) if general else {"id": client.pk},
        "cases": [_row(case, _CASE_FIELDS) for case in cases] if general else [],
        "notes": [_row(n, _NOTE_FIELDS) for n in _released(notes, categories).order_by("pk")],
        "findings": [
            _row(f, _FINDING_FIELDS) for f in _released(findings, categories).order_by("pk")
        ],
        "instrument_results": [
            _row(r, _RESULT_FIELDS) for r in _released(results, categories).order_by("pk")
        ],
    }


@transaction.atomic
def release(
    *,
    actor: Any,
    client: Client,
    recipient_name: str,
    recipient_kind: str,
    purpose: str,
    categories: list[str],
    data_description: str,
    case: Case | None = None,
    recipient_affiliation: str = "",
    emergency_nature: str = "",
) -> Release:
    """Record the disclosure (refused, with nothing stored, if the consents do not allow it)
    and build its package from the records the actor may read."""
    disclosure = services.disclose(
        actor=actor,
        client=client,
        recipient_name=recipient_name,
        recipient_kind=recipient_kind,
        purpose=purpose,
        categories=categories,
        data_description=data_description,
        channel=Disclosure.Channel.EXPORT,
        case=case,
        recipient_affiliation=recipient_affiliation,
        emergency_nature=emergency_nature,
    )
    readable = visible_cases(actor).filter(client=client)
    cases = list(readable.filter(pk=case.pk) if case is not None else readable.order_by("pk"))
    return Release(disclosure, build_package(actor, client, disclosure, cases))
