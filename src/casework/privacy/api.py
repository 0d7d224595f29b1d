"""API routes of consents, restrictions, disclosures and the accounting of disclosures, and of
requests to amend the record."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt

from casework.cases.selectors import visible_cases
from casework.clients.models import Client
from casework.clients.selectors import visible_clients
from casework.core import clock
from casework.core.errors import InvalidData, NotFound
from casework.core.http import if_match_version
from casework.core.idempotency import openapi_header, run_once
from casework.core.pagination import LimitOffsetPagination, paginate
from casework.core.routes import RecordResource, add_record_routes, now_stamp
from casework.core.schemas import IsoDate, StrictInput
from casework.privacy import release, services
from casework.privacy.models import (
    AMENDABLE_RECORDS,
    CATEGORIES,
    PURPOSES,
    AmendmentEntry,
    AmendmentRequest,
    Consent,
    Disclosure,
    Restriction,
)

router = Router(tags=["privacy"])

if TYPE_CHECKING:
    Purpose = str
    Category = str
else:
    Purpose = Literal[tuple(k for k, _ in PURPOSES)]
    Category = Literal[tuple(k for k, _ in CATEGORIES)]

_CLIENT_CHILD: dict[str, Any] = {
    "parent_model": Client,
    "parent_segment": "clients",
    "parent_field": "client",
    "case_path": "client",
    "root_visible": visible_clients,
    "read_permission": "privacy.read",
    "write_permission": "privacy.write",
    "tag": "privacy",
}
CONSENTS = RecordResource(
    Consent,
    "consents",
    [
        "recipient_name", "recipient_kind", "purposes", "categories", "information_description",
        "effective_on", "expires_on", "expiration_event", "signed_by", "signer", "signed_on",
        "right_to_revoke_explained",
    ],
    read_only=["revoked_on", "revocation_note"],
    overrides={
        "purposes": list[Purpose],
        "categories": list[Category],
    },
    stamp=now_stamp("recorded_by"),
    editable=False,
    idempotency_required=True,
    **_CLIENT_CHILD,
)  # fmt: skip
add_record_routes(router, CONSENTS)
RESTRICTIONS = RecordResource(
    Restriction,
    "restrictions",
    ["recipient_name", "scope", "requested_on", "agreed", "ended_on"],
    **_CLIENT_CHILD,
)
add_record_routes(router, RESTRICTIONS)
# The records the web edits through the API's declarations (``casework.web.records``).
PRIVACY_RECORDS = (RESTRICTIONS,)
ConsentRead = CONSENTS.schemas[2]


class RevokeIn(StrictInput):
    revoked_on: IsoDate
    note: str = Field("", max_length=2000)


@router.post("/consents/{consent_id}/revoke", response=ConsentRead)
def revoke(request: HttpRequest, consent_id: int, payload: RevokeIn) -> Any:
    consent = CONSENTS.visible(request.user, write=True).filter(pk=consent_id).first()
    if consent is None:
        raise NotFound(f"no consent {consent_id}", field="id")
    return services.revoke_consent(
        actor=request.user, consent=consent, revoked_on=payload.revoked_on, note=payload.note
    )


class _DisclosureFields(StrictInput):
    recipient_name: str = Field(min_length=1, max_length=200)
    recipient_kind: Literal["person", "family", "organisation", "payer", "tpo"]
    purpose: Purpose
    categories: list[Category] = Field(min_length=1, max_length=10)
    data_description: str = Field(min_length=1, max_length=2000)
    case: int | None = Field(None, ge=1)
    recipient_affiliation: str = Field(
        "", max_length=200, description="medical emergency: the recipient's health care facility"
    )
    emergency_nature: str = Field(
        "", max_length=2000, description="medical emergency: what the emergency is"
    )


class DisclosureIn(_DisclosureFields):
    channel: Literal["api", "export", "referral", "printed", "fhir"] = "api"


class ReleaseIn(_DisclosureFields):
    """A disclosure that carries the data: what to release, to whom and why."""


class DisclosureOut(Schema):
    id: int
    client: int = Field(validation_alias="client_id")
    case: int | None = Field(None, validation_alias="case_id")
    disclosed_at: dt.datetime
    disclosed_by: str | None
    recipient_name: str
    recipient_kind: str
    purpose: str
    categories: list[str]
    data_description: str
    basis: str
    consent: int | None = Field(None, validation_alias="consent_id")
    channel: str
    notice: str
    recipient_affiliation: str
    emergency_nature: str

    @staticmethod
    def resolve_disclosed_by(obj: Disclosure) -> str | None:
        return obj.disclosed_by.get_username() if obj.disclosed_by else None


def _client(request: HttpRequest, client_id: int, permission: str = "privacy.read") -> Any:
    client = visible_clients(request.user, permission).filter(pk=client_id).first()
    if client is None:
        raise NotFound(f"no client {client_id}", field="id")
    return client


def _case_of(request: HttpRequest, client: Client, case_id: int | None) -> Any:
    if case_id is None:
        return None
    case = visible_cases(request.user, "privacy.write").filter(pk=case_id, client=client).first()
    if case is None:
        raise InvalidData(f"no case {case_id} of this client", field="case")
    return case


@router.post(
    "/clients/{client_id}/disclosures",
    response={201: DisclosureOut},
    openapi_extra=openapi_header(required=True),
)
def disclose(request: HttpRequest, client_id: int, payload: DisclosureIn) -> Any:
    """Record a disclosure outside the care team, if the client's consents allow it."""
    client = _client(request, client_id, "privacy.write")
    case = _case_of(request, client, payload.case)

    def disclose_once() -> tuple[int, dict[str, Any]]:
        disclosure = services.disclose(
            actor=request.user,
            client=client,
            recipient_name=payload.recipient_name,
            recipient_kind=payload.recipient_kind,
            purpose=payload.purpose,
            categories=list(dict.fromkeys(payload.categories)),
            data_description=payload.data_description,
            channel=payload.channel,
            case=case,
            recipient_affiliation=payload.recipient_affiliation,
            emergency_nature=payload.emergency_nature,
        )
        return 201, DisclosureOut.from_orm(disclosure).model_dump(mode="json")

    status, body = run_once(request, disclose_once, required=True)
    return JsonResponse(body, status=status)  # serialised once, replayed as first sent


class ReleaseOut(Schema):
    """The released records (``casework.privacy.release``); each labelled record carries its
    HL7 security codes, and Part 2 data the 42 CFR 2.32 notice and the consent."""

    format: str
    disclosure: dict[str, Any]
    notice: str
    consent: dict[str, Any] | None
    client: dict[str, Any]
    cases: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    instrument_results: list[dict[str, Any]]


@router.post(
    "/clients/{client_id}/releases",
    response={201: ReleaseOut},
    openapi_extra=openapi_header(required=True),
)
def release_records(request: HttpRequest, client_id: int, payload: ReleaseIn) -> Any:
    """Release the client's records to a recipient outside the care team: recorded as a
    disclosure (consent checked, refused with nothing stored) and answered as a download."""
    client = _client(request, client_id, "privacy.write")
    case = _case_of(request, client, payload.case)

    def release_once() -> tuple[int, dict[str, Any]]:
        made = release.release(
            actor=request.user, client=client, case=case,
            **payload.model_dump(exclude={"case"}),
        )  # fmt: skip
        return 201, made.package

    status, body = run_once(request, release_once, required=True)
    response = JsonResponse(body, status=status)
    response["Content-Disposition"] = f'attachment; filename="{release.filename(body)}"'
    return response


@router.get("/clients/{client_id}/disclosures", response=list[DisclosureOut])
@paginate(LimitOffsetPagination)
def accounting(request: HttpRequest, client_id: int) -> Any:
    """The accounting of disclosures of one client, newest first."""
    return Disclosure.objects.filter(client=_client(request, client_id)).select_related(
        "disclosed_by"
    )


class BreakGlassIn(StrictInput):
    reason: str = Field(max_length=2000)


class GrantOut(Schema):
    id: int
    user: str
    client: int = Field(validation_alias="client_id")
    reason: str
    started_at: dt.datetime
    expires_at: dt.datetime
    reviewed_at: dt.datetime | None
    review_note: str

    @staticmethod
    def resolve_user(obj: Any) -> str:
        return str(obj.user.get_username())


class ReviewIn(StrictInput):
    note: str = Field("", max_length=2000)


@router.post("/clients/{client_id}/break-glass", response={201: GrantOut})
def break_glass(request: HttpRequest, client_id: int, payload: BreakGlassIn) -> Any:
    """Emergency access to a client outside one's caseload: one hour, reviewed afterwards."""
    grant = services.break_glass(actor=request.user, client_id=client_id, reason=payload.reason)
    return Status(201, grant)


@router.get("/break-glass", response=list[GrantOut])
@paginate(LimitOffsetPagination)
def review_queue(request: HttpRequest, unreviewed: bool = False) -> Any:
    """Emergency accesses by the people the signed-in supervisor supervises."""
    grants = services.grants_to_review(request.user)
    return grants.filter(reviewed_at__isnull=True) if unreviewed else grants


@router.post("/break-glass/{grant_id}/review", response=GrantOut)
def review(request: HttpRequest, grant_id: int, payload: ReviewIn) -> Any:
    grant = services.grants_to_review(request.user).filter(pk=grant_id).first()
    if grant is None:
        raise NotFound(f"no emergency access {grant_id} to review", field="id")
    return services.review_grant(actor=request.user, grant=grant, note=payload.note)


# Requests to amend the record (HIPAA 164.526) ------------------------------------------------

if TYPE_CHECKING:
    RecordType = str
    DenialBasis = str
else:
    RecordType = Literal[tuple(k for k, _ in AMENDABLE_RECORDS)]
    DenialBasis = Literal[tuple(AmendmentRequest.DenialBasis.values)]
Id = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


class AmendmentIn(StrictInput):
    received_on: IsoDate
    information: str = Field(min_length=1, max_length=2000)
    requested_change: str = Field(min_length=1, max_length=4000)
    client_reason: str = Field("", max_length=2000)
    case: Id | None = None
    record_type: RecordType | None = None
    record_id: Id | None = None


class ExtendIn(StrictInput):
    extension_reason: str = Field(min_length=1, max_length=2000)
    extended_on: IsoDate | None = None


class AcceptIn(StrictInput):
    amendment: str = Field(min_length=1, max_length=8000)
    decided_on: IsoDate | None = None


class DenyIn(StrictInput):
    denial_basis: DenialBasis
    explanation: str = Field(min_length=1, max_length=8000)
    decided_on: IsoDate | None = None


class DisagreementIn(StrictInput):
    statement: str = Field(min_length=1, max_length=8000)
    received_on: IsoDate | None = None


class RebuttalIn(StrictInput):
    rebuttal: str = Field(min_length=1, max_length=8000)


class AmendmentEntryOut(Schema):
    id: int
    text: str
    dated_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str | None

    @staticmethod
    def resolve_recorded_by(obj: AmendmentEntry) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by else None


def _entry_of(obj: AmendmentRequest, kind: str) -> AmendmentEntry | None:
    return next((e for e in obj.entries.all() if e.kind == kind), None)


class AmendmentOut(Schema):
    id: int
    version: int
    client: int = Field(validation_alias="client_id")
    case: int | None = Field(None, validation_alias="case_id")
    record_type: str | None
    record_id: int | None
    # Where the record concerned is read, unchanged, in this API.
    record: str | None
    information: str
    requested_change: str
    client_reason: str
    received_on: dt.date
    due_on: dt.date
    extended_on: dt.date | None
    extension_reason: str
    status: str
    overdue: bool
    decided_on: dt.date | None
    decided_by: str | None
    denial_basis: str | None
    recorded_by: str | None
    # The linked artefacts: the amendment if accepted; the denial, the client's statement of
    # disagreement and the agency's rebuttal if denied.
    amendment: AmendmentEntryOut | None
    denial: AmendmentEntryOut | None
    disagreement: AmendmentEntryOut | None
    rebuttal: AmendmentEntryOut | None

    @staticmethod
    def resolve_record_type(obj: AmendmentRequest) -> str | None:
        return obj.record_type or None

    @staticmethod
    def resolve_record(obj: AmendmentRequest) -> str | None:
        if obj.record_type == "client":
            return f"/clients/{obj.client_id}"
        if obj.record_type and obj.record_id is not None:
            return f"/{obj.record_type}/{obj.record_id}"
        return None

    @staticmethod
    def resolve_overdue(obj: AmendmentRequest) -> bool:
        return obj.overdue(clock.today())

    @staticmethod
    def resolve_denial_basis(obj: AmendmentRequest) -> str | None:
        return obj.denial_basis or None

    @staticmethod
    def resolve_decided_by(obj: AmendmentRequest) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by else None

    @staticmethod
    def resolve_recorded_by(obj: AmendmentRequest) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by else None

    @staticmethod
    def resolve_amendment(obj: AmendmentRequest) -> AmendmentEntry | None:
        return _entry_of(obj, AmendmentEntry.Kind.AMENDMENT)

    @staticmethod
    def resolve_denial(obj: AmendmentRequest) -> AmendmentEntry | None:
        return _entry_of(obj, AmendmentEntry.Kind.DENIAL)

    @staticmethod
    def resolve_disagreement(obj: AmendmentRequest) -> AmendmentEntry | None:
        return _entry_of(obj, AmendmentEntry.Kind.DISAGREEMENT)

    @staticmethod
    def resolve_rebuttal(obj: AmendmentRequest) -> AmendmentEntry | None:
        return _entry_of(obj, AmendmentEntry.Kind.REBUTTAL)


def _amendments(request: HttpRequest, permission: str = "privacy.read") -> Any:
    clients = visible_clients(request.user, permission)
    return (
        AmendmentRequest.objects.filter(client__in=clients)
        .select_related("decided_by", "recorded_by")
        .prefetch_related("entries__recorded_by")
    )


def _amendment(request: HttpRequest, amendment_id: int, permission: str) -> AmendmentRequest:
    found = _amendments(request, permission).filter(pk=amendment_id).first()
    if found is None:
        raise NotFound(f"no amendment request {amendment_id}", field="id")
    return cast(AmendmentRequest, found)


def _answer(request: HttpRequest, obj: AmendmentRequest, response: HttpResponse) -> Any:
    fresh = _amendment(request, obj.pk, "privacy.read")
    response["ETag"] = fresh.etag
    return fresh


@router.get("/clients/{client_id}/amendments", response=list[AmendmentOut])
@paginate(LimitOffsetPagination)
def list_amendments(
    request: HttpRequest,
    client_id: int,
    status: Literal["pending", "accepted", "denied"] | None = None,
    overdue: bool | None = None,
) -> Any:
    """A client's requests to amend their record, newest first; ``overdue=true`` for those
    pending past their due date."""
    rows = _amendments(request).filter(client=_client(request, client_id))
    if status is not None:
        rows = rows.filter(status=status)
    if overdue is not None:
        late = Q(status=AmendmentRequest.Status.PENDING, due_on__lt=clock.today())
        rows = rows.filter(late) if overdue else rows.exclude(late)
    return rows


@router.post(
    "/clients/{client_id}/amendments",
    response={201: AmendmentOut},
    openapi_extra=openapi_header(required=True),
)
def create_amendment(request: HttpRequest, client_id: int, payload: AmendmentIn) -> Any:
    """Record a client's request to amend their record: due 60 days after it was received."""
    client = _client(request, client_id, "privacy.amend")

    def create_once() -> tuple[int, dict[str, Any]]:
        data = payload.model_dump()
        data["record_type"] = data["record_type"] or ""
        created = services.record_amendment_request(
            actor=request.user,
            client=client,
            data=data,
            cases=visible_cases(request.user, "privacy.amend"),
        )
        fresh = _amendment(request, created.pk, "privacy.read")
        return 201, AmendmentOut.from_orm(fresh).model_dump(mode="json")

    status, body = run_once(request, create_once, required=True)
    response = JsonResponse(body, status=status)  # serialised once, replayed as first sent
    response["ETag"] = '"{}-{}"'.format(body["id"], body["version"])
    return response


@router.get("/amendments/{record_id}", response=AmendmentOut)
def read_amendment(request: HttpRequest, record_id: int, response: HttpResponse) -> Any:
    """One request with its linked amendment, or denial, disagreement and rebuttal."""
    found = _amendment(request, record_id, "privacy.read")
    response["ETag"] = found.etag
    return found


def _acting_on(request: HttpRequest, amendment_id: int) -> tuple[AmendmentRequest, int | None]:
    """The request to act on, and the version the caller read (optional ``If-Match``)."""
    found = _amendment(request, amendment_id, "privacy.amend")
    return found, if_match_version(request, found, required=False)


@router.post("/amendments/{amendment_id}/extend", response=AmendmentOut)
def extend_amendment(
    request: HttpRequest, amendment_id: int, payload: ExtendIn, response: HttpResponse
) -> Any:
    """Extend the 60 days once by 30, within them; the reason is what the client is told."""
    found, version = _acting_on(request, amendment_id)
    done = services.extend_amendment(
        actor=request.user,
        request=found,
        extension_reason=payload.extension_reason,
        extended_on=payload.extended_on,
        expected_version=version,
    )
    return _answer(request, done, response)


@router.post("/amendments/{amendment_id}/accept", response=AmendmentOut)
def accept_amendment(
    request: HttpRequest, amendment_id: int, payload: AcceptIn, response: HttpResponse
) -> Any:
    """Accept the request: the amendment is linked to it, the original record kept as it was."""
    found, version = _acting_on(request, amendment_id)
    done = services.accept_amendment(
        actor=request.user,
        request=found,
        amendment=payload.amendment,
        decided_on=payload.decided_on,
        expected_version=version,
    )
    return _answer(request, done, response)


@router.post("/amendments/{amendment_id}/deny", response=AmendmentOut)
def deny_amendment(
    request: HttpRequest, amendment_id: int, payload: DenyIn, response: HttpResponse
) -> Any:
    """Deny the request on a basis of 164.526(a)(2), with the written denial linked."""
    found, version = _acting_on(request, amendment_id)
    done = services.deny_amendment(
        actor=request.user,
        request=found,
        denial_basis=payload.denial_basis,
        explanation=payload.explanation,
        decided_on=payload.decided_on,
        expected_version=version,
    )
    return _answer(request, done, response)


@router.post("/amendments/{amendment_id}/disagreement", response=AmendmentOut)
def add_disagreement(
    request: HttpRequest, amendment_id: int, payload: DisagreementIn, response: HttpResponse
) -> Any:
    """Link the client's statement of disagreement to a denied request."""
    found, version = _acting_on(request, amendment_id)
    done = services.add_disagreement(
        actor=request.user,
        request=found,
        statement=payload.statement,
        received_on=payload.received_on,
        expected_version=version,
    )
    return _answer(request, done, response)


@router.post("/amendments/{amendment_id}/rebuttal", response=AmendmentOut)
def add_rebuttal(
    request: HttpRequest, amendment_id: int, payload: RebuttalIn, response: HttpResponse
) -> Any:
    """Link the agency's rebuttal to the client's statement of disagreement."""
    found, version = _acting_on(request, amendment_id)
    done = services.add_rebuttal(
        actor=request.user, request=found, rebuttal=payload.rebuttal, expected_version=version
    )
    return _answer(request, done, response)
