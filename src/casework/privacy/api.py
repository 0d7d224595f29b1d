"""API routes of consents, restrictions, disclosures and the accounting of disclosures."""

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema, Status

from casework.cases.selectors import visible_cases
from casework.clients.models import Client
from casework.clients.selectors import visible_clients
from casework.core.errors import InvalidData, NotFound
from casework.core.idempotency import openapi_header, run_once
from casework.core.pagination import LimitOffsetPagination, paginate
from casework.core.routes import RecordResource, add_record_routes, now_stamp
from casework.core.schemas import IsoDate, StrictInput
from casework.privacy import services
from casework.privacy.models import CATEGORIES, PURPOSES, Consent, Disclosure, Restriction

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
add_record_routes(
    router,
    RecordResource(
        Restriction,
        "restrictions",
        ["recipient_name", "scope", "requested_on", "agreed", "ended_on"],
        **_CLIENT_CHILD,
    ),
)
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


class DisclosureIn(StrictInput):
    recipient_name: str = Field(min_length=1, max_length=200)
    recipient_kind: Literal["person", "family", "organisation", "payer", "tpo"]
    purpose: Purpose
    categories: list[Category] = Field(min_length=1, max_length=10)
    data_description: str = Field(min_length=1, max_length=2000)
    channel: Literal["api", "export", "referral", "printed", "fhir"] = "api"
    case: int | None = Field(None, ge=1)


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

    @staticmethod
    def resolve_disclosed_by(obj: Disclosure) -> str | None:
        return obj.disclosed_by.get_username() if obj.disclosed_by else None


def _client(request: HttpRequest, client_id: int, permission: str = "privacy.read") -> Any:
    client = visible_clients(request.user, permission).filter(pk=client_id).first()
    if client is None:
        raise NotFound(f"no client {client_id}", field="id")
    return client


@router.post(
    "/clients/{client_id}/disclosures",
    response={201: DisclosureOut},
    openapi_extra=openapi_header(required=True),
)
def disclose(request: HttpRequest, client_id: int, payload: DisclosureIn) -> Any:
    """Record a disclosure outside the care team, if the client's consents allow it."""
    client = _client(request, client_id, "privacy.write")
    case = None
    if payload.case is not None:
        writable = visible_cases(request.user, "privacy.write")
        case = writable.filter(pk=payload.case, client=client).first()
        if case is None:
            raise InvalidData(f"no case {payload.case} of this client", field="case")

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
        )
        return 201, DisclosureOut.from_orm(disclosure).model_dump(mode="json")

    status, body = run_once(request, disclose_once, required=True)
    return JsonResponse(body, status=status)  # serialised once, replayed as first sent


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
