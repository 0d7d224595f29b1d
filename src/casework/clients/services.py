"""Use cases of the client record: register (with the duplicate check) and edit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from casework.clients.models import Client, ClientIdentifier
from casework.clients.selectors import likely_matches
from casework.core.errors import Conflict
from casework.core.records import create_record, update_record, validate


def match_summary(matches: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.client.pk,
            "name": m.client.full_name,
            "birth_date": m.client.birth_date.isoformat(),
            "reasons": m.reasons,
        }
        for m in matches
    ]


@transaction.atomic
def register_client(
    *,
    actor: Any,
    data: dict[str, Any],
    identifiers: list[dict[str, str]],
    confirmed_new_person: bool = False,
) -> Client:
    """Register a client unless they likely exist already; the caller may then confirm that
    this is a different person and register anyway."""
    if not confirmed_new_person:
        matches = likely_matches(
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            birth_date=data.get("birth_date"),
            identifiers=[(i["system"], i["value"]) for i in identifiers],
        )
        if matches:
            raise Conflict(
                "this client probably exists already; if this is a different person, send the "
                "request again with confirmed_new_person: true",
                field="confirmed_new_person",
                extra={"matches": match_summary(matches)},
            )
    client = create_record(Client, data, created_by=actor)
    for ident in identifiers:
        record = ClientIdentifier(client=client, **ident)
        validate(record)
        record.save()
    return client


@transaction.atomic
def edit_client(
    *, actor: Any, client: Client, changes: dict[str, Any], expected_version: int
) -> Client:
    return update_record(client, changes, expected_version=expected_version)
