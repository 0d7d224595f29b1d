"""cases.services.reassign_case: a supervisor gives a case another primary case manager."""

from __future__ import annotations

from typing import Any

import pytest

from casework.cases.models import Case, CaseAssignment, PhaseChange
from casework.cases.services import reassign_case
from casework.core.errors import Forbidden, InvalidData, PreconditionFailed
from tests.conftest import make_staff


@pytest.fixture
def colleague(supervisor: Any) -> Any:
    return make_staff("cole_colleague", supervisor=supervisor.staff)


def test_a_supervisor_reassigns_and_it_is_kept_without_a_phase_move(
    case_id: int, supervisor: Any, colleague: Any, case_manager: Any
) -> None:
    case = Case.objects.get(pk=case_id)
    moves_before = PhaseChange.objects.filter(case=case).count()
    reassign_case(actor=supervisor, case=case, to_staff=colleague.staff, reason="Carla is on leave")
    case.refresh_from_db()
    assert case.primary_case_manager == colleague.staff
    kept = CaseAssignment.objects.get(case=case)
    assert (kept.from_staff, kept.to_staff, kept.by, kept.reason) == (
        case_manager.staff,
        colleague.staff,
        supervisor,
        "Carla is on leave",
    )
    # A reassignment is not a move: the phase history (and the phase clocks) are untouched.
    assert PhaseChange.objects.filter(case=case).count() == moves_before


def test_only_a_supervisor_of_both_may_reassign(
    case_id: int, case_manager: Any, colleague: Any, outsider: Any, supervisor: Any
) -> None:
    case = Case.objects.get(pk=case_id)
    with pytest.raises(Forbidden):
        reassign_case(actor=case_manager, case=case, to_staff=colleague.staff, reason="mine")
    with pytest.raises(Forbidden):
        reassign_case(actor=supervisor, case=case, to_staff=outsider.staff, reason="other team")
    assert not CaseAssignment.objects.exists()


def test_a_reason_and_a_current_version_are_needed(
    case_id: int, supervisor: Any, colleague: Any
) -> None:
    case = Case.objects.get(pk=case_id)
    with pytest.raises(InvalidData):
        reassign_case(actor=supervisor, case=case, to_staff=colleague.staff, reason="  ")
    with pytest.raises(PreconditionFailed):
        reassign_case(
            actor=supervisor,
            case=case,
            to_staff=colleague.staff,
            reason="leave",
            expected_version=case.version + 1,
        )
    assert not CaseAssignment.objects.exists()
