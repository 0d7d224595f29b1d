"""Writing and checking the hash chain.

Each row's ``hash`` is ``SHA-256(prev_hash || canonical JSON of the row)``; ``prev_hash`` is
the previous row's hash (64 zeros for the first). ``seq`` is gapless: it is taken as the last
``seq`` + 1 while holding a lock that only one writer at a time can hold, inside the caller's
transaction, so a rolled-back change takes its audit row (and its number) with it.

An edited, deleted or reordered row breaks the chain at that row; rows dropped from the end
cannot be seen from the rows alone, so ``head()`` is exported to a separate store and
``verify(head=...)`` checks the chain still reaches it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from casework.audit.models import AuditEvent
from casework.core import clock

GENESIS = "0" * 64
# The columns that are hashed, in the canonical form's order (keys are also sorted).
HASHED = (
    "seq", "at", "user_id", "username", "client_id", "action", "object_type", "object_id",
    "outcome", "status", "ip", "request_id", "break_glass", "labels", "details",
)  # fmt: skip


def _clean(value: Any) -> Any:
    """JSON-safe values that store and read back identically on both engines."""
    if isinstance(value, str):
        # PostgreSQL refuses NUL and lone surrogates; SQLite would keep them. Neither may fail
        # an audit write, and the stored text must equal the hashed text.
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    # Floats, dates and the rest: as text, so jsonb and SQLite cannot re-format them.
    return str(value)


def canonical(event: AuditEvent) -> bytes:
    row: dict[str, Any] = {name: getattr(event, name) for name in HASHED}
    at: dt.datetime = row["at"]
    row["at"] = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(event)).hexdigest()


_TEXT_LIMITS = {
    f.name: int(f.max_length)
    for f in AuditEvent._meta.concrete_fields
    if f.get_internal_type() == "CharField" and f.max_length and f.name in HASHED
}


def _lock() -> None:
    if connection.vendor == "postgresql":
        # Conflicts with itself and with plain INSERTs: one writer extends the chain at a time.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE audit_auditevent IN SHARE ROW EXCLUSIVE MODE")
    # SQLite: every transaction here is BEGIN IMMEDIATE, which already holds the write lock.


def append(**fields: Any) -> AuditEvent:
    """Add one row to the chain, inside the caller's transaction (or a new one)."""
    with transaction.atomic():
        _lock()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        at = fields.pop("at", None) or clock.now()
        values = {k: _clean(v) for k, v in fields.items()}
        for name in _TEXT_LIMITS.keys() & values.keys():
            # Longer text would be cut by one engine and refused by the other.
            values[name] = (values[name] or "")[: _TEXT_LIMITS[name]]
        event = AuditEvent(seq=seq, at=at.astimezone(dt.UTC), prev_hash=prev, **values)
        event.hash = compute_hash(prev, event)
        event.save(force_insert=True)
        return event


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        seq, _, digest = text.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError("a chain head is written SEQ:HASH (as 'casework audit head' prints)")
        return cls(int(seq), digest.lower())


def head() -> Head:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return Head(*last) if last else Head(0, GENESIS)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    rows: int
    bad_seq: int | None = None
    reason: str = ""


def check(events: Iterable[AuditEvent], expected_heads: Iterable[Head] = ()) -> Verdict:
    """Walk the rows in ``seq`` order; the first break names its sequence number. Each expected
    head (exported earlier) must still be in the chain, with the same hash."""
    wanted: dict[int, set[str]] = {}
    for head in expected_heads:
        if head.seq > 0:
            wanted.setdefault(head.seq, set()).add(head.hash)
    expected_seq, prev, rows = 1, GENESIS, 0
    for event in events:
        if event.seq != expected_seq:
            return Verdict(False, rows, expected_seq, f"row {expected_seq} is missing (deleted)")
        if event.prev_hash != prev:
            return Verdict(False, rows, event.seq, "its prev_hash is not the previous row's hash")
        if compute_hash(prev, event) != event.hash:
            return Verdict(False, rows, event.seq, "its content does not match its hash (edited)")
        exported = wanted.pop(event.seq, None)
        if exported is not None and exported != {event.hash}:
            return Verdict(False, rows, event.seq, "it does not match the exported head")
        prev, expected_seq, rows = event.hash, expected_seq + 1, rows + 1
    if wanted:
        last_seq, furthest = expected_seq - 1, max(wanted)
        return Verdict(
            False,
            rows,
            last_seq + 1,
            f"the chain ends at {last_seq} but the exported head is {furthest} "
            "(rows dropped from the end)",
        )
    return Verdict(True, rows)


def verify(expected_head: Head | None = None, *, anchors: Iterable[Head] = ()) -> Verdict:
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    heads = [*anchors, *([expected_head] if expected_head is not None else [])]
    return check(events, heads)
