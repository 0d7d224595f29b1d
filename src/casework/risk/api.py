"""API routes of risk: the case's tier history, computing the tier, setting it by hand."""

import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Status

from casework.cases.selectors import visible_cases
from casework.core.errors import InvalidData, NotFound
from casework.core.routes import RecordResource, add_record_routes
from casework.core.schemas import StrictInput
from casework.risk import services
from casework.risk.models import RiskTierAssignment

router = Router(tags=["risk"])

TIERS = RecordResource(
    RiskTierAssignment,
    "tiers",
    ["tier", "computed_tier", "basis", "override_reason"],
    read_only=["assigned_at", "scores"],
    ordering=("assigned_at", "id"),
    creatable=False,
    editable=False,
)
add_record_routes(router, TIERS)
TierRead = TIERS.schemas[2]


class TierIn(StrictInput):
    tier: Literal["low", "moderate", "high", "complex"]
    basis: str = Field("", max_length=5000)
    override_reason: str = Field("", max_length=5000)


def _case(request: HttpRequest, case_id: int) -> Any:
    case = visible_cases(request.user).select_related("client", "program").filter(pk=case_id)
    found = case.first()
    if found is None:
        raise NotFound(f"no case {case_id}", field="id")
    return found


@router.post("/cases/{case_id}/tiers", response={201: TierRead})
def set_tier(request: HttpRequest, case_id: int, payload: TierIn) -> Any:
    """Set the tier by hand; differing from the computed tier needs an override reason."""
    assignment = services.set_tier(
        actor=request.user, case=_case(request, case_id), **payload.dict()
    )
    return Status(201, assignment)


def _refuse_input(request: HttpRequest) -> None:
    """An operation that takes no input refuses any sent (AUTHZ-03), as strict bodies do:
    a caller believing it set something (a ``tier``) must not get a 201 for it."""
    try:
        sent = json.loads(request.body or b"null")
    except ValueError:
        raise InvalidData("this operation takes no body", field="body") from None
    if sent:
        field = next(iter(sent)) if isinstance(sent, dict) else "body"
        raise InvalidData(f"this operation takes no input; {field}: not permitted", field=field)


@router.post("/cases/{case_id}/tiers/compute", response={201: TierRead})
def compute_tier(request: HttpRequest, case_id: int) -> Any:
    """Compute the tier from the client's scores by the program's tiering rule."""
    _refuse_input(request)
    return Status(201, services.compute_tier(actor=request.user, case=_case(request, case_id)))


@router.get("/cases/{case_id}/risk-scores", response=dict[str, Any])
def risk_scores(request: HttpRequest, case_id: int) -> Any:
    """The scores the tier would be computed from now (Charlson, LACE, instrument results)."""
    return services.scores_for(_case(request, case_id))
