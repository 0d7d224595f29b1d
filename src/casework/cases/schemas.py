"""API schemas of cases and programs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema

from casework.cases.models import Case, Program
from casework.cases.phases import ASSESSMENT_DOMAINS, ClosureReason, Phase
from casework.core.schemas import StrictInput, model_schemas

if TYPE_CHECKING:
    PhaseName = str
    DomainName = str
    ClosureName = str
else:
    PhaseName = Literal[tuple(p.value for p in Phase)]
    DomainName = Literal[tuple(ASSESSMENT_DOMAINS)]
    ClosureName = Literal[tuple(r.value for r in ClosureReason)]


class FollowUpDays(StrictInput):
    low: int = Field(30, ge=1, le=365, strict=True)
    moderate: int = Field(14, ge=1, le=365, strict=True)
    high: int = Field(7, ge=1, le=365, strict=True)
    complex: int = Field(7, ge=1, le=365, strict=True)


_ProgramCreate: Any
_ProgramUpdate: Any
_ProgramRead: Any
_ProgramCreate, _ProgramUpdate, _ProgramRead = model_schemas(
    Program,
    fields=[
        "name", "case_type", "description", "eligibility_criteria", "required_domains",
        "required_instruments", "follow_up_days", "reopen_window_days",
        "lost_to_contact_attempts", "active", "tier_rule",
    ],
    overrides={
        "required_domains": list[DomainName],
        "required_instruments": list[Annotated[str, Field(max_length=40)]],
        "follow_up_days": FollowUpDays,
    },
)  # fmt: skip

_CaseCreate: Any
_CaseUpdate: Any
_CaseFields: Any
_CaseCreate, _CaseUpdate, _CaseFields = model_schemas(
    Case,
    fields=[
        "client", "program", "primary_case_manager", "referral_source", "referral_reason",
        "referred_on", "opened_on",
    ],
)  # fmt: skip


class ProgramCreate(_ProgramCreate):
    pass


class ProgramUpdate(_ProgramUpdate):
    pass


class ProgramRead(_ProgramRead):
    pass


class CaseCreate(_CaseCreate):
    pass


# Who holds the case, whose case and which program are not edited in place: reassignment has
# its own route (POST /cases/{id}/assignments), the others make a different case.
_CaseEdit: Any
_, _CaseEdit, _ = model_schemas(
    Case, fields=["referral_source", "referral_reason", "referred_on", "opened_on"]
)


class CaseUpdate(_CaseEdit):
    pass


class CaseSummary(Schema):
    id: int
    client: int
    client_name: str
    program: int
    program_name: str
    phase: PhaseName
    tier: str | None
    case_manager: int
    case_manager_name: str
    opened_on: dt.date
    closed_on: dt.date | None
    version: int


class CasePage(Schema):
    items: list[CaseSummary]
    count: int


def case_summary(case: Case) -> dict[str, Any]:
    """The summary of a case annotated by ``selectors.with_phase_and_tier``."""
    return {
        "id": case.pk,
        "client": case.client_id,
        "client_name": case.client.full_name,
        "program": case.program_id,
        "program_name": case.program.name,
        "phase": getattr(case, "phase"),  # noqa: B009 (a query annotation)
        "tier": getattr(case, "tier"),  # noqa: B009
        "case_manager": case.primary_case_manager_id,
        "case_manager_name": case.primary_case_manager.display_name,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "version": case.version,
    }


class HistoryEntryOut(Schema):
    from_: PhaseName | None = Field(None, alias="from")
    to: PhaseName
    at: dt.datetime
    by: str | None
    reason: str


class DueOut(Schema):
    kind: str
    label: str
    due_on: dt.date
    overdue: bool


class CaseloadItem(CaseSummary):
    due: list[DueOut]
    overdue: int


class CaseDetail(CaseSummary):
    referral_source: str
    referral_reason: str
    referred_on: dt.date
    closure_reason: str
    as_of: dt.date | None = None
    history: list[HistoryEntryOut]
    missing: dict[str, list[str]] | None
    due: list[DueOut] | None


class TransitionRequest(StrictInput):
    to: PhaseName
    reason: str = Field("", max_length=5000)
    closure_reason: ClosureName | None = None


def history_out(changes: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "from": c.from_phase or None,
            "to": c.to_phase,
            "at": c.at,
            "by": c.by.get_username() if c.by else None,
            "reason": c.reason,
        }
        for c in changes
    ]
