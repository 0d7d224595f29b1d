"""API routes of programs, cases, phase moves and the case's screening/assessment/notes."""

import datetime as dt
import json
from dataclasses import asdict
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from casework.cases import selectors, services
from casework.cases.due import due_items
from casework.cases.facts import case_facts
from casework.cases.models import (
    AssessmentFinding,
    CareTeamMember,
    Case,
    CaseAssignment,
    ContactNote,
    IdentifiedNeed,
    Program,
    ScreeningDecision,
)
from casework.cases.phases import missing_by_target
from casework.cases.schemas import (
    CaseCreate,
    CaseDetail,
    CaseloadItem,
    CasePage,
    CaseUpdate,
    PhaseName,
    ProgramCreate,
    ProgramRead,
    ProgramUpdate,
    TransitionRequest,
    case_summary,
    history_out,
)
from casework.clients.selectors import visible_clients
from casework.core import clock
from casework.core.errors import InvalidData, NotFound
from casework.core.http import if_match_version
from casework.core.idempotency import openapi_header, run_once
from casework.core.pagination import LimitOffsetPagination, paginate
from casework.core.records import create_record, update_record
from casework.core.routes import RecordResource, add_record_routes, now_stamp
from casework.core.schemas import DbId, IsoDate, PageQuery, StrictInput
from casework.privacy.access import author_only_filter, guard_label
from casework.staff.models import StaffMember

router = Router(tags=["cases"])


# Programs ---------------------------------------------------------------------------------


@router.get("/programs", response=list[ProgramRead], tags=["programs"])
@paginate(LimitOffsetPagination)
def list_programs(request: HttpRequest) -> Any:
    return Program.objects.order_by("name")


@router.post("/programs", response={201: ProgramRead}, tags=["programs"])
def create_program(request: HttpRequest, payload: ProgramCreate, response: HttpResponse) -> Any:
    with transaction.atomic():
        program = create_record(Program, payload.model_dump())
    response["ETag"] = program.etag
    return Status(201, program)


def _program(program_id: int) -> Program:
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise NotFound(f"no program {program_id}", field="id")
    return program


@router.get("/programs/{program_id}", response=ProgramRead, tags=["programs"])
def read_program(request: HttpRequest, program_id: int, response: HttpResponse) -> Any:
    program = _program(program_id)
    response["ETag"] = program.etag
    return program


@router.patch("/programs/{program_id}", response=ProgramRead, tags=["programs"])
def update_program(
    request: HttpRequest, program_id: int, payload: ProgramUpdate, response: HttpResponse
) -> Any:
    with transaction.atomic():
        program = _program(program_id)
        expected = if_match_version(request, program, required=True)
        assert expected is not None
        program = update_record(
            program, payload.model_dump(exclude_unset=True), expected_version=expected
        )
    response["ETag"] = program.etag
    return program


# Cases ------------------------------------------------------------------------------------


class CaseFilters(Schema):
    phase: PhaseName | None = None
    case_manager: str | None = None
    program: DbId | None = None
    client: DbId | None = None


def _case_manager_id(value: str | None) -> int | None:
    if not value:
        return None
    if value.isdigit():
        return int(value)
    staff = StaffMember.objects.filter(user__username=value).first()
    if staff is None:
        raise InvalidData(f"no case manager '{value}'", field="case_manager")
    return staff.pk


@router.get("/cases", response=CasePage)
def list_cases(request: HttpRequest, filters: Query[CaseFilters], page: Query[PageQuery]) -> Any:
    cases = selectors.list_cases(
        request.user,
        phase=filters.phase,
        case_manager=_case_manager_id(filters.case_manager),
        program=filters.program,
        client=filters.client,
    )
    rows = cases[page.offset : page.offset + page.limit]
    return {"items": [case_summary(c) for c in rows], "count": cases.count()}


def _visible_case(request: HttpRequest, case_id: int, permission: str = "case.read") -> Case:
    case = selectors.get_case(request.user, case_id, permission)
    if case is None:
        raise NotFound(f"no case {case_id}", field="id")
    return case


def case_detail(case: Case, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """The case as it stands, or as it stood at the end of ``as_of`` in the agency's zone."""
    changes = list(case.phase_changes.select_related("by").order_by("seq"))
    tiers = case.tier_assignments.order_by("-assigned_at", "-id")
    missing: dict[str, list[str]] | None
    due: list[Any] | None = None
    if as_of is None:
        phase, tier = getattr(case, "phase"), getattr(case, "tier")  # noqa: B009 (annotations)
        missing = missing_by_target(case_facts(case, today=clock.today()))
        due = [asdict(item) for item in due_items(case, today=clock.today())]
    else:
        end = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
        changes = [c for c in changes if c.at <= end]
        if not changes:
            raise NotFound(f"case {case.pk} did not exist on {as_of}", field="as_of")
        phase = changes[-1].to_phase
        then = tiers.filter(assigned_at__lte=end).first()
        tier, missing = (then.tier if then else None), None
    summary = case_summary(case)
    summary.update(
        phase=phase,
        tier=tier,
        referral_source=case.referral_source,
        referral_reason=case.referral_reason,
        referred_on=case.referred_on,
        closure_reason=case.closure_reason,
        as_of=as_of,
        history=history_out(changes),
        missing=missing,
        due=due,
    )
    return summary


class AssignmentIn(StrictInput):
    to_staff: DbId
    reason: str = Field(min_length=1, max_length=2000)


class AssignmentOut(Schema):
    id: int
    from_staff: int = Field(validation_alias="from_staff_id")
    to_staff: int = Field(validation_alias="to_staff_id")
    at: dt.datetime
    by: str | None
    reason: str

    @staticmethod
    def resolve_by(obj: CaseAssignment) -> str | None:
        return obj.by.get_username() if obj.by else None


@router.get("/cases/{case_id}/assignments", response=list[AssignmentOut])
@paginate(LimitOffsetPagination)
def list_assignments(request: HttpRequest, case_id: int) -> Any:
    """Who held the case before: every change of primary case manager, oldest first."""
    return _visible_case(request, case_id).assignments.select_related("by")


@router.post("/cases/{case_id}/assignments", response={201: AssignmentOut})
def reassign(request: HttpRequest, case_id: int, payload: AssignmentIn) -> Any:
    """Give the case another primary case manager (a supervisor or program manager)."""
    case = _visible_case(request, case_id)
    expected = if_match_version(request, case, required=False)
    to_staff = StaffMember.objects.filter(pk=payload.to_staff).first()
    if to_staff is None:
        raise InvalidData(f"no staff member {payload.to_staff}", field="to_staff")
    with transaction.atomic():
        services.reassign_case(
            actor=request.user,
            case=case,
            to_staff=to_staff,
            reason=payload.reason,
            expected_version=expected,
        )
        return Status(201, case.assignments.select_related("by").latest("at", "id"))


class CaseloadFilters(Schema):
    program: DbId | None = None
    phase: PhaseName | None = None
    tier: Literal["low", "moderate", "high", "complex"] | None = None


@router.get("/caseload", response=list[CaseloadItem])
def my_caseload(request: HttpRequest, filters: Query[CaseloadFilters]) -> Any:
    """The signed-in case manager's open cases, most in need of attention first, with what
    is due on each (urgent alerts, overdue contacts, transition deadlines ...)."""
    rows = selectors.caseload(
        request.user,
        today=clock.today(),
        program=filters.program,
        phase=filters.phase,
        tier=filters.tier,
    )
    return [
        case_summary(r.case) | {"due": [asdict(d) for d in r.due], "overdue": len(r.overdue)}
        for r in rows
    ]


@router.post(
    "/cases",
    response={201: CaseDetail},
    by_alias=True,
    openapi_extra=openapi_header(required=False),
)
def create_case(request: HttpRequest, payload: CaseCreate) -> Any:
    # Only a client the caller may already see can be referred, as on the web's referral page:
    # naming anyone else's client would open their record to the caller. Answered as for a
    # client that does not exist, so that the answer tells nothing either.
    if not visible_clients(request.user).filter(pk=payload.client).exists():
        raise InvalidData(f"no client {payload.client}", field="client")

    def open_once() -> tuple[int, dict[str, Any]]:
        opened = services.open_case(actor=request.user, data=payload.model_dump())
        # Answered even when the new case is someone else's (an intake worker's referral for a
        # case manager): the caller has just written all of it.
        case = selectors.with_phase_and_tier(Case.objects.filter(pk=opened.pk)).get()
        detail = CaseDetail.model_validate(case_detail(case)).model_dump(by_alias=True)
        # Encoded as ninja renders it (times to the millisecond), so it reads like a GET.
        return 201, json.loads(json.dumps(detail, cls=DjangoJSONEncoder))

    # A retried referral with the same Idempotency-Key (after a lost answer) replays the first
    # answer instead of opening a second case.
    status, body = run_once(request, open_once, required=False)
    answer = JsonResponse(body, status=status)
    answer["ETag"] = '"{}-{}"'.format(body["id"], body["version"])
    return answer


@router.get("/cases/{case_id}", response=CaseDetail, by_alias=True)
def read_case(
    request: HttpRequest, case_id: int, response: HttpResponse, as_of: IsoDate | None = None
) -> Any:
    case = _visible_case(request, case_id)
    response["ETag"] = case.etag
    return case_detail(case, as_of=as_of)


@router.patch("/cases/{case_id}", response=CaseDetail, by_alias=True)
def update_case(
    request: HttpRequest, case_id: int, payload: CaseUpdate, response: HttpResponse
) -> Any:
    with transaction.atomic():
        case = _visible_case(request, case_id, "case.write")
        expected = if_match_version(request, case, required=True)
        assert expected is not None
        services.update_case(
            actor=request.user,
            case=case,
            changes=payload.model_dump(exclude_unset=True),
            expected_version=expected,
        )
    case = _visible_case(request, case_id)
    response["ETag"] = case.etag
    return case_detail(case)


@router.post("/cases/{case_id}/transitions", response=CaseDetail, by_alias=True)
def move_case(
    request: HttpRequest, case_id: int, payload: TransitionRequest, response: HttpResponse
) -> Any:
    case = _visible_case(request, case_id, "case.write")
    expected = if_match_version(request, case, required=False)
    services.move_case(
        actor=request.user,
        case=case,
        to=payload.to,
        reason=payload.reason,
        closure_reason=payload.closure_reason,
        expected_version=expected,
    )
    case = _visible_case(request, case_id)
    response["ETag"] = case.etag
    return case_detail(case)


# Records of screening, assessment, the care team and contacts -----------------------------

CASE_RECORDS = [
    RecordResource(
        CareTeamMember,
        "care-team",
        ["staff", "external_name", "organisation", "role", "phone"],
        tag="care team",
    ),
    RecordResource(
        ScreeningDecision,
        "screenings",
        [
            "decided_on",
            "outcome",
            "eligibility_notes",
            "reason",
            "consent_to_case_management",
            "consent_recorded_on",
        ],
        stamp=now_stamp("decided_by"),
        tag="screening",
    ),
    RecordResource(
        AssessmentFinding,
        "findings",
        [
            "domain",
            "status",
            "finding",
            "not_applicable_reason",
            "strengths",
            "barriers",
            "assessed_on",
            "sensitivity",
        ],
        stamp=now_stamp("assessed_by"),
        restrict=author_only_filter("assessed_by_id"),
        guard_update=guard_label,
        tag="assessment",
    ),
    RecordResource(
        IdentifiedNeed,
        "needs",
        ["domain", "description", "priority", "status", "identified_on"],
        tag="assessment",
    ),
    RecordResource(
        ContactNote,
        "notes",
        [
            "occurred_at",
            "mode",
            "participants",
            "duration_minutes",
            "contact_made",
            "format",
            "subjective",
            "objective",
            "data",
            "assessment",
            "plan",
            "sensitivity",
        ],
        stamp=now_stamp("author"),
        restrict=author_only_filter("author_id"),
        idempotency_required=True,
        guard_update=guard_label,
        ordering=("-occurred_at", "-id"),
        tag="notes",
    ),
]
for _resource in CASE_RECORDS:
    add_record_routes(router, _resource)
