"""Use cases of privacy: record and revoke consents, record restrictions, disclose, and track
requests to amend the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from casework.cases.models import Case
from casework.clients.models import Client
from casework.core import clock
from casework.core.errors import Conflict, Forbidden, InvalidData, NotFound, PreconditionFailed
from casework.core.records import create_record, update_record
from casework.privacy import amendments
from casework.privacy.decisions import EMERGENCY, ConsentFact, Request, decide
from casework.privacy.models import (
    CATEGORIES,
    PURPOSES,
    AmendmentEntry,
    AmendmentRequest,
    BreakGlassGrant,
    Consent,
    Disclosure,
    RecipientKind,
    Restriction,
)
from casework.privacy.notify import notify_privacy_officer
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


def _check_terms(recipient_kind: str, purpose: str, categories: list[str]) -> None:
    """The coded terms of a disclosure, for callers that do not validate them (the CLI)."""
    if recipient_kind not in RecipientKind.values:
        raise InvalidData("recipient kind is one of: " + ", ".join(RecipientKind.values),
                          field="recipient_kind")  # fmt: skip
    if purpose not in dict(PURPOSES):
        raise InvalidData("purpose is one of: " + ", ".join(dict(PURPOSES)), field="purpose")
    if not categories or any(c not in dict(CATEGORIES) for c in categories):
        raise InvalidData("categories are one or more of: " + ", ".join(dict(CATEGORIES)),
                          field="categories")  # fmt: skip


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
    recipient_affiliation: str = "",
    emergency_nature: str = "",
) -> Disclosure:
    """Record a disclosure if the client's consents allow it; refuse it (nothing stored) if not.

    A medical emergency (42 CFR 2.51) needs the recipient's affiliation with a health care
    facility and the nature of the emergency, and tells the privacy officer."""
    _check_terms(recipient_kind, purpose, categories)
    emergency = purpose == EMERGENCY
    if emergency:
        if recipient_kind not in ("person", "organisation"):
            raise InvalidData(
                "an emergency disclosure goes to medical personnel: a person or an organisation",
                field="recipient_kind",
            )
        if not recipient_affiliation.strip():
            raise InvalidData(
                "name the health care facility the recipient works for (42 CFR 2.51)",
                field="recipient_affiliation",
            )
        if not emergency_nature.strip():
            raise InvalidData(
                "describe the nature of the medical emergency (42 CFR 2.51)",
                field="emergency_nature",
            )
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
    disclosure = Disclosure.objects.create(
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
        recipient_affiliation=recipient_affiliation.strip(),
        emergency_nature=emergency_nature.strip(),
    )
    if emergency:
        notify_privacy_officer(
            "emergency disclosure",
            [
                f"{actor.get_username()} disclosed records of client #{client.pk} in a "
                f"medical emergency on {disclosure.disclosed_at:%Y-%m-%d %H:%M %Z}",
                f"to {recipient_name} ({recipient_affiliation.strip()}).",
                "The disclosure is in the client's accounting of disclosures.",
            ],
        )
    return disclosure


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
    grant = BreakGlassGrant.objects.create(
        user=actor,
        client=client,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + dt.timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    notify_privacy_officer(
        "emergency access",
        [
            f"{actor.get_username()} opened emergency access to client #{client.pk} at "
            f"{now:%Y-%m-%d %H:%M %Z} for {BREAK_GLASS_MINUTES} minutes.",
            "The reason and every action taken are in the review queue and the audit trail.",
        ],
    )
    return grant


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


# Requests to amend the record (HIPAA 164.526) ------------------------------------------------


def _refuse(refusal: amendments.Refusal | None) -> None:
    if refusal is None:
        return
    problem = Conflict if refusal.kind == "conflict" else InvalidData
    raise problem(refusal.message, field=refusal.field)


def _amendable(actor: Any) -> dict[str, tuple[Any, str, Any]]:
    """Record kind -> (rows the actor may see, path to the client, path to the case or None)."""
    from casework.careplans.models import Goal
    from casework.cases.models import AssessmentFinding, ContactNote, IdentifiedNeed
    from casework.clients.models import Condition, Encounter, SupportPerson
    from casework.privacy.access import author_only_filter

    notes = author_only_filter("author_id")(actor, ContactNote.objects.all())
    findings = author_only_filter("assessed_by_id")(actor, AssessmentFinding.objects.all())
    return {
        "support-people": (SupportPerson.objects.all(), "client", None),
        "conditions": (Condition.objects.all(), "client", None),
        "encounters": (Encounter.objects.all(), "client", None),
        "notes": (notes, "case__client", "case"),
        "findings": (findings, "case__client", "case"),
        "needs": (IdentifiedNeed.objects.all(), "case__client", "case"),
        "goals": (Goal.objects.all(), "case__client", "case"),
    }


def _record_case(actor: Any, client: Client, record_type: str, record_id: int | None) -> Any:
    """Check that the record named is this client's; its case, if it belongs to one."""
    if not record_type or record_id is None:
        return None  # the model's own checks ask for the id (or its kind) if one is missing
    if record_type == "client":
        if record_id != client.pk:
            raise InvalidData(
                "for the client's details, give the client's own number or none", field="record_id"
            )
        return None
    rows, client_path, case_path = _amendable(actor)[record_type]
    found = rows.filter(**{"pk": record_id, client_path: client}).first()
    if found is None:
        raise InvalidData("this client has no such record", field="record_id")
    return getattr(found, case_path) if case_path else None


@transaction.atomic
def record_amendment_request(
    *, actor: Any, client: Client, data: dict[str, Any], cases: Any
) -> AmendmentRequest:
    """Record a client's request to amend their record; it is due in 60 days.

    ``cases`` are the cases the actor may record it against (the request's ``case``, if given,
    must be one of them and the client's)."""
    data = dict(data)
    received_on = data.get("received_on")
    if isinstance(received_on, dt.date):
        _refuse(amendments.check_received(received_on, clock.today()))
    record_case = _record_case(actor, client, data.get("record_type") or "", data.get("record_id"))
    case_id = data.pop("case", None)
    case = None
    if case_id is not None:
        case = cases.filter(pk=case_id, client=client).first()
        if case is None:
            raise InvalidData("this client has no such case", field="case")
    if record_case is not None:
        if not cases.filter(pk=record_case.pk).exists():  # a case outside the actor's scope
            raise InvalidData("this client has no such record", field="record_id")
        if case is not None and case.pk != record_case.pk:
            raise InvalidData("the record named belongs to another case", field="case")
        case = record_case
    return create_record(AmendmentRequest, data, client=client, case=case, recorded_by=actor)


def _locked(request: AmendmentRequest, expected_version: int | None) -> AmendmentRequest:
    locked = AmendmentRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and expected_version != locked.version:
        raise PreconditionFailed(
            f"the request changed since you read it (now version {locked.version}); reload it "
            "and try again",
            field="If-Match",
        )
    return locked


def _entry(
    request: AmendmentRequest, kind: str, text: str, dated_on: dt.date, actor: Any
) -> AmendmentEntry:
    return AmendmentEntry.objects.create(
        request=request,
        kind=kind,
        text=text.strip(),
        dated_on=dated_on,
        recorded_at=clock.now(),
        recorded_by=actor,
    )


def _entries(request: AmendmentRequest) -> set[str]:
    return set(request.entries.values_list("kind", flat=True))


@transaction.atomic
def extend_amendment(
    *,
    actor: Any,
    request: AmendmentRequest,
    extension_reason: str,
    extended_on: dt.date | None = None,
    expected_version: int | None = None,
) -> AmendmentRequest:
    """Extend the response time once, by 30 days, within the first 60 (the client is told
    why in writing)."""
    locked = _locked(request, expected_version)
    today = clock.today()
    on = extended_on or today
    _refuse(
        amendments.check_extension(
            status=locked.status,
            received_on=locked.received_on,
            due=locked.due_on,
            already_extended=locked.extended_on is not None,
            on=on,
            today=today,
        )
    )
    if not extension_reason.strip():
        raise InvalidData(
            "say why more time is needed (the client is told)", field="extension_reason"
        )
    changes = {"extended_on": on, "extension_reason": extension_reason.strip()}
    return update_record(locked, changes, expected_version=locked.version)


def _decide(
    actor: Any,
    request: AmendmentRequest,
    status: str,
    decided_on: dt.date | None,
    expected_version: int | None,
    **more: Any,
) -> tuple[AmendmentRequest, dt.date]:
    locked = _locked(request, expected_version)
    today = clock.today()
    on = decided_on or today
    _refuse(
        amendments.check_decision(
            status=locked.status, received_on=locked.received_on, on=on, today=today
        )
    )
    changes = {"status": status, "decided_on": on, "decided_by": actor.pk, **more}
    return update_record(locked, changes, expected_version=locked.version), on


@transaction.atomic
def accept_amendment(
    *,
    actor: Any,
    request: AmendmentRequest,
    amendment: str,
    decided_on: dt.date | None = None,
    expected_version: int | None = None,
) -> AmendmentRequest:
    """Accept: the amendment is kept as its own text linked to the request; the original
    record is left as it was."""
    if not amendment.strip():
        raise InvalidData("write the amendment", field="amendment")
    accepted, on = _decide(actor, request, amendments.ACCEPTED, decided_on, expected_version)
    _entry(accepted, AmendmentEntry.Kind.AMENDMENT, amendment, on, actor)
    return accepted


@transaction.atomic
def deny_amendment(
    *,
    actor: Any,
    request: AmendmentRequest,
    denial_basis: str,
    explanation: str,
    decided_on: dt.date | None = None,
    expected_version: int | None = None,
) -> AmendmentRequest:
    """Deny on one of the bases of 164.526(a)(2), with the written denial linked."""
    if denial_basis not in AmendmentRequest.DenialBasis.values:
        raise InvalidData(
            "one of: " + ", ".join(AmendmentRequest.DenialBasis.values), field="denial_basis"
        )
    if not explanation.strip():
        raise InvalidData("explain the denial to the client", field="explanation")
    denied, on = _decide(
        actor,
        request,
        amendments.DENIED,
        decided_on,
        expected_version,
        denial_basis=denial_basis,
    )
    _entry(denied, AmendmentEntry.Kind.DENIAL, explanation, on, actor)
    return denied


@transaction.atomic
def add_disagreement(
    *,
    actor: Any,
    request: AmendmentRequest,
    statement: str,
    received_on: dt.date | None = None,
    expected_version: int | None = None,
) -> AmendmentRequest:
    """The client's statement of disagreement with a denial, linked to it."""
    locked = _locked(request, expected_version)
    today = clock.today()
    on = received_on or today
    _refuse(
        amendments.check_disagreement(
            status=locked.status,
            decided_on=locked.decided_on,
            has_disagreement=AmendmentEntry.Kind.DISAGREEMENT in _entries(locked),
            on=on,
            today=today,
        )
    )
    if not statement.strip():
        raise InvalidData("write the client's statement", field="statement")
    _entry(locked, AmendmentEntry.Kind.DISAGREEMENT, statement, on, actor)
    return update_record(locked, {}, expected_version=locked.version)


@transaction.atomic
def add_rebuttal(
    *,
    actor: Any,
    request: AmendmentRequest,
    rebuttal: str,
    expected_version: int | None = None,
) -> AmendmentRequest:
    """The agency's rebuttal of the client's statement of disagreement, linked to both."""
    locked = _locked(request, expected_version)
    kinds = _entries(locked)
    _refuse(
        amendments.check_rebuttal(
            has_disagreement=AmendmentEntry.Kind.DISAGREEMENT in kinds,
            has_rebuttal=AmendmentEntry.Kind.REBUTTAL in kinds,
        )
    )
    if not rebuttal.strip():
        raise InvalidData("write the rebuttal", field="rebuttal")
    _entry(locked, AmendmentEntry.Kind.REBUTTAL, rebuttal, clock.today(), actor)
    return update_record(locked, {}, expected_version=locked.version)
