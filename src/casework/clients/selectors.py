"""Reads of clients: who may see which client, search, and likely duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.db.models import Q, QuerySet

from casework.accounts.permissions import has_permission, scopes
from casework.cases.selectors import break_glass_clients, staff_of, visible_cases
from casework.clients.models import Client, ClientIdentifier
from casework.core.text import fold

# Folded full names at least this alike, with the same date of birth, are likely one person.
NAME_SIMILARITY = 0.8


def visible_clients(user: Any, permission: str = "client.read") -> QuerySet[Client]:
    """Clients with a case within the user's scope for ``permission`` (``client.read``,
    ``client.write``, ``privacy.read`` ...), those they broke the glass for, and those they
    registered themselves (so that a new client can be seen before their case is opened)."""
    if staff_of(user) is None or not scopes(user, permission):
        return Client.objects.none()
    with_case = visible_cases(user, permission).values("client_id")
    query = Q(id__in=with_case) | Q(id__in=break_glass_clients(user))
    if has_permission(user, "client.register"):
        query |= Q(created_by_id=user.pk)
    return Client.objects.filter(query)


def search_clients(
    user: Any, *, q: str | None = None, birth_date: dt.date | None = None
) -> QuerySet[Client]:
    clients = visible_clients(user)
    for word in fold(q or "").split():
        clients = clients.filter(search_name__contains=word)
    if birth_date:
        clients = clients.filter(birth_date=birth_date)
    return clients.order_by("family_name", "given_name", "id")


@dataclass(frozen=True)
class Match:
    client: Client
    reasons: list[str]


def _name_similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, fold(a), fold(b)).ratio()


def likely_matches(
    *,
    given_name: str = "",
    family_name: str = "",
    birth_date: dt.date | None = None,
    identifiers: list[tuple[str, str]] | None = None,
    exclude_id: int | None = None,
) -> list[Match]:
    """Existing clients who are probably the person described (agency-wide, by design:
    a duplicate is a duplicate whoever's caseload it sits in)."""
    found: dict[int, Match] = {}
    for system, value in identifiers or []:
        for ident in ClientIdentifier.objects.filter(
            system=system, value=value.strip()
        ).select_related("client"):
            found.setdefault(ident.client_id, Match(ident.client, []))
            found[ident.client_id].reasons.append(f"same {system} identifier")
    if birth_date and (given_name or family_name):
        wanted = f"{given_name} {family_name}"
        swapped = f"{family_name} {given_name}"
        for client in Client.objects.filter(birth_date=birth_date):
            theirs = f"{client.given_name} {client.family_name}"
            score = max(_name_similarity(wanted, theirs), _name_similarity(swapped, theirs))
            same_family = fold(client.family_name) == fold(family_name)
            if score >= NAME_SIMILARITY or (
                same_family and fold(client.given_name)[:1] == fold(given_name)[:1]
            ):
                found.setdefault(client.pk, Match(client, []))
                found[client.pk].reasons.append("similar name and same date of birth")
    found.pop(exclude_id or 0, None)
    return sorted(found.values(), key=lambda m: (m.client.family_name, m.client.pk))
