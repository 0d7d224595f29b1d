"""``record``: the one way to write an audit row, with the actor taken from the request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casework.audit import chain
from casework.audit.context import current_actor
from casework.audit.models import AuditEvent

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome
_FROM_REQUEST: Any = object()


def outcome_of(status: int) -> str:
    if status < 400:
        return Outcome.SUCCESS
    if status in (401, 403, 429):
        return Outcome.DENIED
    if status == 404:
        return Outcome.NOT_FOUND
    return Outcome.INVALID if status < 500 else Outcome.ERROR


def record(
    action: str,
    *,
    user: Any = _FROM_REQUEST,
    username: str | None = None,
    client_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    outcome: str = Outcome.SUCCESS,
    status: int | None = None,
    break_glass: bool = False,
    labels: Sequence[str] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row in the current transaction (so it commits or rolls back with the
    change it describes). ``details`` must never carry PHI or note text: ids, names of fields
    and parameters, counts."""
    actor = current_actor()
    if user is _FROM_REQUEST:
        user = actor.user
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return chain.append(
        user_id=user.pk if signed_in else None,
        username=username if username is not None else (user.get_username() if signed_in else ""),
        client_id=client_id,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        outcome=outcome,
        status=status,
        ip=actor.ip or "",
        request_id=actor.request_id,
        break_glass=break_glass,
        labels=sorted(labels),
        details=details or {},
    )
