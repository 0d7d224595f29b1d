"""Retried creates do not duplicate: the ``Idempotency-Key`` header (IETF draft).

The same key with the same body replays the first response; with another body it is refused
(422); while the first request is still running a retry gets 409. A request that fails stores
nothing, not even its key. Keys are per user and kept at least 24 hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from casework.core import clock
from casework.core.errors import Conflict, InvalidData, Problem
from casework.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEEP = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 100


def openapi_header(*, required: bool) -> dict[str, Any]:
    """The header as an OpenAPI parameter, for a route's ``openapi_extra``: clients (and the
    schemathesis run) then know to send it."""
    schema = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"\S"}
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": required,
        "schema": schema,
        "description": "a unique value per new record; a retry with it replays the answer",
    }
    return {"parameters": [parameter]}


def run_once(
    request: HttpRequest,
    create: Callable[[], tuple[int, dict[str, Any]]],
    *,
    required: bool,
) -> tuple[int, dict[str, Any]]:
    """Run ``create`` (returning status and JSON body) at most once per user and key."""
    key = request.headers.get(HEADER)
    if key is None:
        if required:
            raise Problem(
                f"send an {HEADER} header (a unique value per new record) so that a retried "
                "request cannot create it twice",
                field=HEADER,
            )
        return create()
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise Problem(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters", field=HEADER)
    fingerprint = hashlib.sha256(
        (request.method or "").encode() + request.path.encode() + request.body
    )
    digest = fingerprint.hexdigest()
    user_id = int(request.user.pk or 0)
    # One transaction for the key, the create and the stored response: a failed create leaves
    # no key behind, and a concurrent retry waits on the key's unique index, then replays.
    with transaction.atomic():
        IdempotencyKey.objects.filter(created_at__lt=clock.now() - KEEP).delete()
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(user_id=user_id, key=key, request_hash=digest)
        except IntegrityError:
            seen = IdempotencyKey.objects.get(user_id=user_id, key=key)
            if seen.request_hash != digest:
                raise InvalidData(
                    f"this {HEADER} was used for a different request", field=HEADER
                ) from None
            if seen.status is None:
                raise Conflict(f"the first request with this {HEADER} is still running") from None
            return seen.status, dict(seen.response or {})
        status, body = create()
        IdempotencyKey.objects.filter(user_id=user_id, key=key).update(status=status, response=body)
        return status, body
