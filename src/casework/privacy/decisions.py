"""May this client's data go to this recipient for this purpose? Pure.

HIPAA lets unlabelled data go to treatment, payment and operations without consent; any other
purpose, and every labelled category (42 CFR Part 2, psychotherapy and SUD counselling notes,
juvenile records, HIV status), needs a consent that names the recipient, the purpose and the
category, is in effect, and is not revoked. A restriction the agency agreed to blocks the
recipient whatever the consent. A minor who alone consented to SUD treatment decides alone
whether their Part 2 data reach a parent (42 CFR 2.14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from casework.privacy.labels import LABELS, PART2_NOTICE

TPO_PURPOSES = frozenset({"treatment", "payment", "health_care_operations", "care_coordination"})
# A bona fide medical emergency (42 CFR 2.51; HIPAA 164.510(b)(3), 164.522(a)(1)(iii)): the
# general record and Part 2 data may go to medical personnel without consent and despite an
# agreed restriction. Psychotherapy and counselling notes, HIV status and juvenile records
# still need their own consent or purpose.
EMERGENCY = "medical_emergency"
EMERGENCY_CATEGORIES = frozenset({"general", "part2_sud"})


@dataclass(frozen=True)
class ConsentFact:
    id: int
    recipient_name: str
    recipient_kind: str
    purposes: Sequence[str]
    categories: Sequence[str]
    effective_on: dt.date
    expires_on: dt.date | None
    revoked_on: dt.date | None
    signer: str


@dataclass(frozen=True)
class Request:
    recipient_name: str
    recipient_kind: str
    purpose: str
    categories: Sequence[str]
    today: dt.date
    client_is_minor: bool = False


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # consent_missing, consent_revoked, consent_expired, restricted, purpose_not_allowed
    reason: str = ""
    detail: str = ""
    consent_id: int | None = None
    basis: str = ""
    notice: str = ""


def _names_match(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _covers_recipient(c: ConsentFact, r: Request) -> bool:
    if c.recipient_kind == "tpo":
        return r.purpose in TPO_PURPOSES and r.recipient_kind in {"organisation", "payer", "tpo"}
    return _names_match(c.recipient_name, r.recipient_name)


def decide(
    request: Request,
    consents: Sequence[ConsentFact],
    restricted_recipients: Sequence[str] = (),
) -> Decision:
    emergency = request.purpose == EMERGENCY and set(request.categories) <= EMERGENCY_CATEGORIES
    restricted = any(_names_match(n, request.recipient_name) for n in restricted_recipients)
    if restricted and not emergency:
        return Decision(False, "restricted", "the client restricted disclosure to this recipient")
    for category in request.categories:
        label = LABELS.get(category)
        if (
            label
            and label.allowed_purposes is not None
            and request.purpose not in (label.allowed_purposes)
        ):
            return Decision(
                False,
                "purpose_not_allowed",
                f"'{label.title}' may be released only for: {', '.join(label.allowed_purposes)}",
            )
    notice = (
        PART2_NOTICE
        if any(LABELS[c].redisclosure_notice for c in request.categories if c in LABELS)
        else ""
    )
    if emergency:
        return Decision(True, basis="emergency", notice=notice)
    needs_consent = [
        c for c in request.categories if c in LABELS or request.purpose not in TPO_PURPOSES
    ]
    if not needs_consent:
        return Decision(True, basis="tpo", notice=notice)
    candidates = [
        c
        for c in consents
        if _covers_recipient(c, request)
        and request.purpose in c.purposes
        and all(cat in c.categories for cat in needs_consent)
    ]
    if (
        request.client_is_minor
        and "part2_sud" in needs_consent
        and (request.recipient_kind == "family")
    ):
        # Part 2 data of a minor who consented to treatment alone: the minor's own consent.
        candidates = [c for c in candidates if c.signer == "self"]
    live = [
        c
        for c in candidates
        if c.effective_on <= request.today
        and (c.revoked_on is None or c.revoked_on > request.today)
        and (c.expires_on is None or c.expires_on >= request.today)
    ]
    if live:
        chosen = max(live, key=lambda c: c.effective_on)
        return Decision(True, consent_id=chosen.id, basis="consent", notice=notice)
    wanted = ", ".join(needs_consent)
    if any(c.revoked_on is not None and c.revoked_on <= request.today for c in candidates):
        return Decision(False, "consent_revoked", f"the client revoked consent covering {wanted}")
    if any(c.expires_on is not None and c.expires_on < request.today for c in candidates):
        return Decision(False, "consent_expired", f"the consent covering {wanted} has expired")
    return Decision(
        False,
        "consent_missing",
        f"no consent in effect names this recipient, the purpose '{request.purpose}' and {wanted}",
    )
