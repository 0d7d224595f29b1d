"""API routes of clients: search, the duplicate check, registration, edits, support system."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Query, Router

from casework.clients import selectors, services
from casework.clients.models import Client, Condition, Encounter, SupportPerson
from casework.clients.schemas import (
    ClientCreate,
    ClientRead,
    ClientSearch,
    ClientUpdate,
    MatchOut,
    MatchQuery,
)
from casework.core.errors import InvalidData, NotFound
from casework.core.http import if_match_version
from casework.core.idempotency import openapi_header, run_once
from casework.core.pagination import LimitOffsetPagination, paginate
from casework.core.routes import RecordResource, add_record_routes

router = Router(tags=["clients"])


@router.get("", response=list[ClientRead])
@paginate(LimitOffsetPagination)
def list_clients(request: HttpRequest, filters: Query[ClientSearch]) -> Any:
    return selectors.search_clients(
        request.user, q=filters.q, birth_date=filters.birth_date
    ).prefetch_related("identifiers")


@router.get("/matches", response=list[MatchOut])
def find_matches(request: HttpRequest, query: Query[MatchQuery]) -> Any:
    identifiers: list[tuple[str, str]] = []
    if query.identifier_system and query.identifier_value:
        identifiers.append((query.identifier_system, query.identifier_value))
    elif query.identifier_value:
        raise InvalidData("give identifier_system with identifier_value", field="identifier_system")
    if not identifiers and not (query.birth_date and (query.given_name or query.family_name)):
        raise InvalidData(
            "give a name and birth_date, or an identifier_system and identifier_value",
            field="birth_date",
        )
    matches = selectors.likely_matches(
        given_name=query.given_name,
        family_name=query.family_name,
        birth_date=query.birth_date,
        identifiers=identifiers,
    )
    return services.match_summary(matches)


@router.post("", response={201: ClientRead}, openapi_extra=openapi_header(required=False))
def register_client(request: HttpRequest, payload: ClientCreate) -> Any:
    data = payload.model_dump()
    identifiers = data.pop("identifiers")
    confirmed = data.pop("confirmed_new_person")

    def register_once() -> tuple[int, dict[str, Any]]:
        client = services.register_client(
            actor=request.user, data=data, identifiers=identifiers, confirmed_new_person=confirmed
        )
        return 201, ClientRead.from_orm(client).model_dump(mode="json")

    # A retry with the same Idempotency-Key (after a lost answer) replays the first answer.
    status, body = run_once(request, register_once, required=False)
    answer = JsonResponse(body, status=status)
    answer["ETag"] = '"{}-{}"'.format(body["id"], body["version"])
    return answer


def _visible_client(
    request: HttpRequest, client_id: int, permission: str = "client.read"
) -> Client:
    client = selectors.visible_clients(request.user, permission).filter(pk=client_id).first()
    if client is None:
        raise NotFound(f"no client {client_id}", field="id")
    return client


@router.get("/{client_id}", response=ClientRead)
def read_client(request: HttpRequest, client_id: int, response: HttpResponse) -> Any:
    client = _visible_client(request, client_id)
    response["ETag"] = client.etag
    return client


@router.patch("/{client_id}", response=ClientRead)
def edit_client(
    request: HttpRequest, client_id: int, payload: ClientUpdate, response: HttpResponse
) -> Any:
    client = _visible_client(request, client_id, "client.write")
    expected = if_match_version(request, client, required=True)
    assert expected is not None
    client = services.edit_client(
        actor=request.user,
        client=client,
        changes=payload.model_dump(exclude_unset=True),
        expected_version=expected,
    )
    response["ETag"] = client.etag
    return client


support_router = Router(tags=["clients"])
_CLIENT_CHILD: dict[str, Any] = {
    "parent_model": Client,
    "parent_segment": "clients",
    "parent_field": "client",
    "case_path": "client",
    "root_visible": selectors.visible_clients,
    "read_permission": "client.read",
    "write_permission": "client.write",
    "tag": "clients",
}
# The records of a client's profile (the web's client page takes its forms from here).
CLIENT_RECORDS = (
    RecordResource(
        SupportPerson,
        "support-people",
        ["name", "relationship", "role", "phone", "consent_to_share"],
        **_CLIENT_CHILD,
    ),
    RecordResource(
        Condition,
        "conditions",
        ["icd10_code", "description", "onset_date", "abatement_date"],
        **_CLIENT_CHILD,
    ),
    RecordResource(
        Encounter,
        "encounters",
        ["kind", "facility", "started_on", "discharged_on", "acute"],
        ordering=("started_on", "id"),
        **_CLIENT_CHILD,
    ),
)
for _resource in CLIENT_RECORDS:
    add_record_routes(support_router, _resource)
