"""The auditor's view of the log: who may see it, filters, sort keys, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from casework.accounts.permissions import has_permission
from casework.audit.models import AuditEvent
from casework.core.errors import Forbidden

AUDITOR_GROUP = "auditor"
# Sort keys offered to the auditor, and the column each sorts by (seq breaks ties).
SORT_KEYS = {
    "seq": "seq",
    "at": "at",
    "user": "username",
    "client": "client_id",
    "action": "action",
    "object_type": "object_type",
    "object_id": "object_id",
    "outcome": "outcome",
    "status": "status",
    "ip": "ip",
}
CSV_COLUMNS = [
    "seq", "at", "user_id", "username", "client_id", "action", "object_type", "object_id",
    "outcome", "status", "ip", "request_id", "break_glass", "labels", "details", "hash",
]  # fmt: skip


def is_auditor(user: Any) -> bool:
    # The auditor role only: administrators run the system but do not read the log.
    return has_permission(user, "audit.read")


def require_auditor(user: Any) -> None:
    if not is_auditor(user):
        raise Forbidden(f"only members of the '{AUDITOR_GROUP}' group may read the audit log")


@dataclass
class Filters:
    user: str | None = None
    client: int | None = None
    action: str | None = None
    since: dt.date | None = None  # UTC dates, inclusive
    until: dt.date | None = None
    sort: str = "seq"


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def search(filters: Filters) -> QuerySet[AuditEvent]:
    rows = AuditEvent.objects.all()
    if filters.user:
        users = get_user_model().objects.filter(username=filters.user).values_list("pk")
        rows = rows.filter(username=filters.user) | rows.filter(user_id__in=users)
    if filters.client is not None:
        rows = rows.filter(client_id=filters.client)
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.since:
        rows = rows.filter(at__gte=_utc_midnight(filters.since))
    if filters.until:
        rows = rows.filter(at__lt=_utc_midnight(filters.until + dt.timedelta(days=1)))
    descending = filters.sort.startswith("-")
    column = SORT_KEYS[filters.sort.lstrip("-")]
    order = [f"-{column}", "-seq"] if descending else [column, "seq"]
    return rows.order_by(*order)


def as_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "user_id": event.user_id,
        "username": event.username,
        "client_id": event.client_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "status": event.status,
        "ip": event.ip,
        "request_id": event.request_id,
        "break_glass": event.break_glass,
        "labels": list(event.labels),
        "details": dict(event.details),
        "hash": event.hash,
    }


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # A spreadsheet would run it as a formula (CSV injection).
        return "'" + value
    return value


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    class _Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(_Line())
    yield writer.writerow(CSV_COLUMNS)
    for event in events:
        row = as_dict(event)
        yield writer.writerow([_csv_cell(row[c]) for c in CSV_COLUMNS])
