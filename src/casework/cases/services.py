"""Use cases of the case record: open a case, move it between phases, edit it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from casework.accounts.permissions import scopes
from casework.cases.facts import case_facts
from casework.cases.models import Case, CaseAssignment, PhaseChange
from casework.cases.phases import ClosureReason, Phase, check_move
from casework.core import clock
from casework.core.errors import Conflict, Forbidden, InvalidData, PreconditionFailed
from casework.core.records import create_record, update_record

CASE_FIELDS_SET_BY_PROCESS = {"closed_on", "closure_reason"}


@transaction.atomic
def open_case(*, actor: Any, data: dict[str, Any]) -> Case:
    """Open a case at screening: the referral has been received."""
    data = dict(data)
    data.setdefault("opened_on", clock.today())
    case = create_record(Case, data, created_by=actor)
    PhaseChange.objects.create(
        case=case,
        seq=1,
        from_phase="",
        to_phase=Phase.SCREENING,
        at=clock.now(),
        by=actor,
        reason="referral received",
    )
    return case


@transaction.atomic
def update_case(*, actor: Any, case: Case, changes: dict[str, Any], expected_version: int) -> Case:
    return update_record(case, changes, expected_version=expected_version)


@transaction.atomic
def move_case(
    *,
    actor: Any,
    case: Case,
    to: str,
    reason: str = "",
    closure_reason: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Move the case to phase ``to`` if the process allows it now; refuse with what is missing.

    The case row is locked and its version bumped, so of two concurrent moves one wins and the
    other is refused, and a caller holding a stale ETag is refused before anything changes.
    """
    locked = Case.objects.select_for_update().select_related("program").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise PreconditionFailed(
            "the case changed since you read it; reload it and try again", field="If-Match"
        )
    try:
        target = Phase(to)
    except ValueError:
        raise InvalidData(f"'{to}' is not a phase", field="to") from None
    try:
        requested = ClosureReason(closure_reason) if closure_reason else None
    except ValueError:
        raise InvalidData(
            f"'{closure_reason}' is not a closure reason", field="closure_reason"
        ) from None
    facts = case_facts(locked, today=clock.today())
    check = check_move(facts, target, reason=reason, closure_reason=requested)
    if not check.allowed:
        raise Conflict(
            f"the case cannot move from {facts.phase.value} to {target.value}; missing: "
            + "; ".join(check.missing),
            field="to",
            extra={"from": facts.phase.value, "to": target.value, "missing": check.missing},
        )
    last = locked.phase_changes.order_by("-seq").first()
    assert last is not None
    try:
        with transaction.atomic():
            PhaseChange.objects.create(
                case=locked,
                seq=last.seq + 1,
                from_phase=facts.phase,
                to_phase=target,
                at=clock.now(),
                by=actor,
                reason=reason.strip(),
            )
    except IntegrityError:
        raise Conflict("another move of this case happened at the same time; reload it") from None
    closing = {"closed_on": clock.today(), "closure_reason": check.closure_reason or ""}
    reopening = {"closed_on": None, "closure_reason": ""}
    fields: dict[str, Any] = {}
    if target is Phase.CLOSED:
        fields = closing
    elif facts.phase is Phase.CLOSED:
        fields = reopening
    Case.objects.filter(pk=locked.pk).update(
        version=F("version") + 1, updated_at=clock.now(), **fields
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def reassign_case(
    *,
    actor: Any,
    case: Case,
    to_staff: Any,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """Give the case another primary case manager, keeping who, when and why.

    The case must be within the actor's ``case.assign`` scope, and the new case manager in
    their team (a supervisor, at any depth of supervision) or the case in a program they
    manage (a program manager). The new one must be active, and the case must be open.
    """
    from casework.cases.selectors import staff_of, supervised_staff_ids, visible_cases

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise PreconditionFailed(
            "the case changed since you read it; reload it and try again", field="If-Match"
        )
    assigner = staff_of(actor)
    granted = scopes(actor, "case.assign")
    team = supervised_staff_ids(assigner) if assigner and "team" in granted else set()
    manages = bool(
        assigner
        and "program" in granted
        and locked.program.managers.filter(pk=assigner.pk).exists()
    )
    in_scope = visible_cases(actor, "case.assign").filter(pk=locked.pk).exists()
    if not in_scope or not (to_staff.pk in team or manages or "agency" in granted):
        raise Forbidden(
            "only a supervisor of the new case manager, or a manager of the case's program, "
            "may reassign this case",
            field="to_staff",
        )
    if not to_staff.active:
        raise InvalidData("the new case manager's record is not active", field="to_staff")
    if to_staff.pk == locked.primary_case_manager_id:
        raise InvalidData("the case is already theirs", field="to_staff")
    if locked.closed_on is not None:
        raise Conflict("the case is closed; reopen it before reassigning it", field="case")
    if not reason.strip():
        raise InvalidData("say why the case is reassigned", field="reason")
    CaseAssignment.objects.create(
        case=locked,
        from_staff_id=locked.primary_case_manager_id,
        to_staff=to_staff,
        at=clock.now(),
        by=actor,
        reason=reason.strip(),
    )
    Case.objects.filter(pk=locked.pk).update(
        primary_case_manager=to_staff, version=F("version") + 1, updated_at=clock.now()
    )
    locked.refresh_from_db()
    return locked


def refuse_if_closed(case: Case) -> None:
    """A closed case's records stay as they were until the case is reopened."""
    if case.closed_on is not None:
        raise Conflict(
            f"the case was closed on {case.closed_on}; reopen it before changing its records",
            field="case",
        )


@transaction.atomic
def remove_care_team_member(actor: Any, member: Any) -> None:
    """Take someone off the case's care team; a closed case keeps its team as it was."""
    locked = Case.objects.select_for_update().get(pk=member.case_id)
    refuse_if_closed(locked)
    type(member)._default_manager.filter(pk=member.pk, case=locked).delete()
