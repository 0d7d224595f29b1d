"""Property tests of the process: any walk the state machine allows is a valid history, and
the as-of view replays it exactly (hypothesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from casework.cases.phases import (
    ALLOWED_MOVES,
    ClosureReason,
    EvaluationDecision,
    HistoryEntry,
    Phase,
    check_move,
    is_valid_path,
    missing_by_target,
    phase_at,
)
from tests.unit.test_phases import ready

START = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


class CaseWalk(RuleBasedStateMachine):
    """Moves a case at random; the records always satisfy the move it tries."""

    def __init__(self) -> None:
        super().__init__()
        self.history = [HistoryEntry(None, Phase.SCREENING, START)]

    @property
    def phase(self) -> Phase:
        return self.history[-1].to_phase

    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(sorted(ALLOWED_MOVES[self.phase])))
        decision = {
            Phase.PLANNING: EvaluationDecision.REPLAN,
            Phase.MONITORING: EvaluationDecision.CONTINUE_MONITORING,
        }.get(target, EvaluationDecision.CLOSE)
        facts = ready(self.phase, evaluation_decision=decision)
        closure = (
            ClosureReason.MOVED_AWAY
            if target is Phase.CLOSED and self.phase is not Phase.EVALUATION
            else None
        )
        check = check_move(facts, target, reason="because", closure_reason=closure)
        assert check.allowed, check.missing
        at = self.history[-1].at + dt.timedelta(hours=data.draw(st.integers(1, 500)))
        self.history.append(HistoryEntry(self.phase, target, at))

    @precondition(lambda self: self.phase is not Phase.CLOSED)
    @rule()
    def illegal_moves_are_refused(self) -> None:
        for target in set(Phase) - ALLOWED_MOVES[self.phase]:
            assert not check_move(ready(self.phase), target, reason="x").allowed

    @invariant()
    def history_is_a_valid_path(self) -> None:
        assert is_valid_path(self.history) == []

    @invariant()
    def as_of_replays_every_entry(self) -> None:
        for entry in self.history:
            assert phase_at(self.history, entry.at) is entry.to_phase

    @invariant()
    def missing_lists_exactly_the_allowed_moves(self) -> None:
        assert set(missing_by_target(ready(self.phase))) == {
            p.value for p in ALLOWED_MOVES[self.phase]
        }


TestCaseWalk = CaseWalk.TestCase
TestCaseWalk.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)


@given(st.sets(st.sampled_from(["medical", "housing", "legal"])))
def test_assessment_refusal_names_exactly_the_open_domains(done: set[str]) -> None:
    facts = replace(
        ready(Phase.ASSESSMENT),
        required_domains=("medical", "housing", "legal"),
        addressed_domains=frozenset(done),
    )
    missing = check_move(facts, Phase.RISK_STRATIFICATION).missing
    open_domains = {"medical", "housing", "legal"} - done
    if open_domains:
        assert all(f"'{d}'" in missing[0] for d in open_domains)
        assert not any(f"'{d}'" in missing[0] for d in done)
    else:
        assert missing == []
