"""Use cases of privacy: record and revoke consents, record restrictions, disclose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from casework.cases.models import Case
from casework.clients.models import Client
from casework.core import clock
from casework.core.errors import Conflict, Forbidden, InvalidData, NotFound
from casework.core.records import create_record
from casework.privacy.decisions import ConsentFact, Request, decide
from casework.privacy.models import BreakGlassGrant, Consent, Disclosure, Restriction
from casework.risk.scores import age_on

ADULT_AGE = 18


@transaction.atomic
def record_consent(*, actor: Any, client: Client, data: dict[str, Any]) -> Consent:
    return create_record(Consent, data, client=client, recorded_by=actor)


@transaction.atomic
def revoke_consent(*, actor: Any, consent: Consent, revoked_on: dt.date, note: str) -> Consent:
    if consent.revoked_on is not None:
        raise Conflict(f"the consent was already revoked on {consent.revoked_on}")
    if revoked_on < consent.signed_on:
        raise InvalidData("a consent cannot be revoked before it was signed", field="revoked_on")
    Consent.objects.filter(pk=consent.pk).update(
        revoked_on=revoked_on, revocation_note=note, version=consent.version + 1
    )
    consent.refresh_from_db()
    return consent


def consent_facts(client: Client) -> list[ConsentFact]:
    return [
        ConsentFact(
            c.pk, c.recipient_name, c.recipient_kind, c.purposes, c.categories,
            c.effective_on, c.expires_on, c.revoked_on, c.signer,
        )
        for c in client.consents.all()
    ]  # fmt: skip


@transaction.atomic
def disclose(
    *,
    actor: Any,
    client: Client,
    recipient_name: str,
    recipient_kind: str,
    purpose: str,
    categories: list[str],
    data_description: str,
    channel: str,
    case: Case | None = None,
) -> Disclosure:
    """Record a disclosure if the client's consents allow it; refuse it (nothing stored) if not."""
    today = clock.today()
    restricted = [
        r.recipient_name
        for r in Restriction.objects.filter(client=client, agreed=True, ended_on__isnull=True)
    ]
    decision = decide(
        Request(
            recipient_name, recipient_kind, purpose, categories, today,
            client_is_minor=age_on(client.birth_date, today) < ADULT_AGE,
        ),
        consent_facts(client),
        restricted,
    )  # fmt: skip
    if not decision.allowed:
        problem = Forbidden if decision.reason == "purpose_not_allowed" else Conflict
        raise problem(decision.detail, field="consent", extra={"reason": decision.reason})
    return Disclosure.objects.create(
        client=client,
        case=case,
        disclosed_at=clock.now(),
        disclosed_by=actor,
        recipient_name=recipient_name,
        recipient_kind=recipient_kind,
        purpose=purpose,
        categories=categories,
        data_description=data_description,
        basis=decision.basis,
        consent_id=decision.consent_id,
        channel=channel,
        notice=decision.notice,
    )


BREAK_GLASS_MINUTES = 60


@transaction.atomic
def break_glass(*, actor: Any, client_id: int, reason: str) -> BreakGlassGrant:
    """Open emergency access to one client for an hour, for a pre-designated user only.

    Designation is checked first, so that others cannot learn which client ids exist."""
    staff = getattr(actor, "staff", None)
    if staff is None or not staff.may_break_glass:
        raise Forbidden("emergency access is only for staff designated for it")
    if not reason.strip():
        raise InvalidData("state the emergency that needs this access", field="reason")
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise NotFound(f"no client {client_id}", field="id")
    now = clock.now()
    return BreakGlassGrant.objects.create(
        user=actor,
        client=client,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + dt.timedelta(minutes=BREAK_GLASS_MINUTES),
    )


def grants_to_review(actor: Any) -> Any:
    """Emergency accesses the actor reviews, newest first: by the people they supervise
    (scope ``team``) or to clients of the programs they manage (scope ``program``)."""
    from casework.accounts.permissions import scopes
    from casework.cases.selectors import staff_of, supervised_staff_ids

    staff = staff_of(actor)
    granted = scopes(actor, "break_glass.review")
    if staff is None or not granted:
        return BreakGlassGrant.objects.none()
    query = Q(pk__in=[])
    if "team" in granted:
        query |= Q(user__staff__in=supervised_staff_ids(staff))
    if "program" in granted:
        query |= Q(client__cases__program__managers=staff)
    if "agency" in granted:
        query = Q()
    ids = BreakGlassGrant.objects.filter(query).values("pk")
    return BreakGlassGrant.objects.filter(pk__in=ids).select_related("user", "client")


@transaction.atomic
def review_grant(*, actor: Any, grant: BreakGlassGrant, note: str) -> BreakGlassGrant:
    if grant.reviewed_at is not None:
        raise Conflict(f"already reviewed on {grant.reviewed_at:%Y-%m-%d}")
    grant.reviewed_by, grant.reviewed_at, grant.review_note = actor, clock.now(), note
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return grant
