"""Deadlines and states of a client's request to amend their record (HIPAA 45 CFR 164.526). Pure.

The agency acts on a request no later than 60 days after receiving it (164.526(b)(2)). It may
extend that once, by no more than 30 days, if within the 60 days it tells the client in writing
why and by when it will act. A request is overdue while it is pending after its due date: on
day 60 it is still on time, on day 61 it is overdue.

An accepted request is answered by an amendment linked to the record, the original kept as it
was (164.526(c)); a denied one by a written denial with its basis, to which the client may add
a statement of disagreement and the agency a rebuttal, all linked to the request (164.526(d)).

Each ``check_*`` function returns why an action is refused (``None`` when it may go ahead):
``conflict`` when the request's state forbids it, ``invalid`` when the value given does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RESPONSE_DAYS = 60
EXTENSION_DAYS = 30

PENDING, ACCEPTED, DENIED = "pending", "accepted", "denied"


@dataclass(frozen=True)
class Refusal:
    kind: str  # "conflict" or "invalid"
    field: str
    message: str


def due_on(received_on: dt.date, *, extended: bool) -> dt.date:
    """The date by which the agency must act: 60 days after receipt, 90 once extended."""
    days = RESPONSE_DAYS + (EXTENSION_DAYS if extended else 0)
    return received_on + dt.timedelta(days=days)


def is_overdue(status: str, due: dt.date, today: dt.date) -> bool:
    return status == PENDING and today > due


def days_left(due: dt.date, today: dt.date) -> int:
    """Days until the due date (0 on the day, negative once overdue)."""
    return (due - today).days


def check_received(received_on: dt.date, today: dt.date) -> Refusal | None:
    if received_on > today:
        return Refusal("invalid", "received_on", "a request cannot be received in the future")
    return None


def _dated(field: str, on: dt.date, earliest: dt.date, today: dt.date, what: str) -> Refusal | None:
    if on > today:
        return Refusal("invalid", field, "this date cannot be in the future")
    if on < earliest:
        return Refusal("invalid", field, f"this date cannot be before {what}")
    return None


def check_extension(
    *,
    status: str,
    received_on: dt.date,
    due: dt.date,
    already_extended: bool,
    on: dt.date,
    today: dt.date,
) -> Refusal | None:
    """May the response time be extended on ``on``? Once only, while pending, within the
    first 60 days."""
    if status != PENDING:
        return Refusal("conflict", "status", "only a pending request can be extended")
    if already_extended:
        return Refusal("conflict", "extended_on", "the response time can be extended only once")
    refusal = _dated("extended_on", on, received_on, today, "the request was received")
    if refusal:
        return refusal
    if on > due:
        return Refusal(
            "invalid",
            "extended_on",
            "an extension must be made within the 60 days, before the request is overdue",
        )
    return None


def check_decision(
    *, status: str, received_on: dt.date, on: dt.date, today: dt.date
) -> Refusal | None:
    """May the request be accepted or denied on ``on``? Once, while pending (late is allowed:
    an overdue request still needs its answer)."""
    if status != PENDING:
        return Refusal("conflict", "status", f"the request was already {status}")
    return _dated("decided_on", on, received_on, today, "the request was received")


def check_disagreement(
    *,
    status: str,
    decided_on: dt.date | None,
    has_disagreement: bool,
    on: dt.date,
    today: dt.date,
) -> Refusal | None:
    """May the client's statement of disagreement be added? Only to a denial, once."""
    if status != DENIED or decided_on is None:
        return Refusal("conflict", "status", "a statement of disagreement answers a denied request")
    if has_disagreement:
        return Refusal("conflict", "statement", "the statement of disagreement is already recorded")
    return _dated("received_on", on, decided_on, today, "the request was denied")


def check_rebuttal(*, has_disagreement: bool, has_rebuttal: bool) -> Refusal | None:
    """May the agency's rebuttal be added? Only to a statement of disagreement, once."""
    if not has_disagreement:
        return Refusal(
            "conflict", "rebuttal", "a rebuttal answers the client's statement of disagreement"
        )
    if has_rebuttal:
        return Refusal("conflict", "rebuttal", "the rebuttal is already recorded")
    return None
