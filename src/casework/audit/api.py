"""``GET /api/v1/audit``: the auditor's search. Reading it is itself audited (as a query)."""

from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from casework.audit import settings as settings_service
from casework.audit.models import AuditEvent, AuditSetting
from casework.audit.search import SORT_KEYS, Filters, as_dict, require_auditor, search
from casework.core.schemas import IsoDate, StrictInput

router = Router(tags=["audit"])

if TYPE_CHECKING:
    SortKey = str
    ActionName = str
    AuditPart = str
else:
    AuditPart = Literal[tuple(AuditSetting.Part.values)]
    SortKey = Literal[tuple(k for key in SORT_KEYS for k in (key, f"-{key}"))]
    ActionName = Literal[tuple(AuditEvent.Action.values)]


class AuditQuery(StrictInput):
    user: str | None = Field(None, max_length=150, description="username")
    client: int | None = Field(None, ge=1, le=2**63 - 1, description="client id")
    action: ActionName | None = None
    since: IsoDate | None = Field(None, description="first UTC date, YYYY-MM-DD")
    until: IsoDate | None = Field(None, description="last UTC date, YYYY-MM-DD")
    sort: SortKey = "seq"
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


class AuditEventOut(Schema):
    seq: int
    at: str
    user_id: int | None
    username: str
    client_id: int | None
    action: str
    object_type: str
    object_id: str
    outcome: str
    status: int | None
    ip: str
    request_id: str
    break_glass: bool
    labels: list[str]
    details: dict[str, Any]
    hash: str


class AuditPage(Schema):
    items: list[AuditEventOut]
    count: int


@router.get("/audit", response=AuditPage, operation_id="search_audit")
def search_audit(request: HttpRequest, query: Query[AuditQuery]) -> Any:
    require_auditor(request.user)
    filters = Filters(
        user=query.user,
        client=query.client,
        action=query.action,
        since=query.since,
        until=query.until,
        sort=query.sort,
    )
    rows = search(filters)
    page = rows[query.offset : query.offset + query.limit]
    return {"items": [as_dict(e) for e in page], "count": rows.count()}


class AuditSwitch(StrictInput):
    enabled: StrictBool  # true or false, never 0/1 or "yes"


@router.get("/audit/settings", response=dict[str, bool])
def audit_settings(request: HttpRequest) -> Any:
    """Which parts of auditing are on. Everything not listed here is always on."""
    return settings_service.status()


@router.put("/audit/settings/{part}", response=dict[str, bool])
def switch_audit_part(request: HttpRequest, part: AuditPart, payload: AuditSwitch) -> Any:
    """Turn a part of auditing off or on (administrators); the change is itself audited."""
    return settings_service.set_part(actor=request.user, part=part, enabled=payload.enabled)
