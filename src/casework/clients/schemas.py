"""API schemas of clients."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from casework.clients.models import Client, ClientIdentifier
from casework.core.schemas import IsoDate, StrictInput, model_schemas

CLIENT_FIELDS = [
    "given_name", "middle_name", "family_name", "preferred_name", "birth_date", "sex_at_birth",
    "gender_identity", "pronouns", "address_line", "city", "state", "postal_code", "phone",
    "email", "preferred_language", "interpreter_needed", "cultural_considerations",
    "health_literacy", "preferences", "values", "aspirations", "payer", "coverage_type",
    "member_id",
]  # fmt: skip

_ClientFields: Any
_ClientUpdate: Any
_ClientRead: Any
_ClientFields, _ClientUpdate, _ClientRead = model_schemas(Client, fields=CLIENT_FIELDS)


class ClientUpdate(_ClientUpdate):
    pass


if TYPE_CHECKING:
    IdentifierSystem = str
else:
    IdentifierSystem = Literal[tuple(v for v, _ in ClientIdentifier.System.choices)]


class IdentifierIn(StrictInput):
    system: IdentifierSystem
    value: str = Field(min_length=1, max_length=60)
    assigner: str = Field("", max_length=100)


class IdentifierOut(Schema):
    system: str
    value: str
    assigner: str


class ClientCreate(_ClientFields):
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=20)
    # Set after a duplicate warning, once the caller has checked it is a different person.
    confirmed_new_person: bool = Field(False, strict=True)


class ClientRead(_ClientRead):
    identifiers: list[IdentifierOut]

    @staticmethod
    def resolve_identifiers(obj: Client) -> list[ClientIdentifier]:
        return list(obj.identifiers.all())


class ClientSearch(Schema):
    q: str | None = Field(None, max_length=200, description="part of any name")
    birth_date: IsoDate | None = None


class MatchQuery(Schema):
    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)
    birth_date: IsoDate | None = None
    identifier_system: IdentifierSystem | None = None
    identifier_value: str | None = Field(None, max_length=60)


class MatchOut(Schema):
    id: int
    name: str
    birth_date: dt.date
    reasons: list[str]
