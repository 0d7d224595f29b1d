"""The process state machine, without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from casework.cases.phases import (
    ALLOWED_MOVES,
    BACKWARD_MOVES,
    CaseFacts,
    ClosureReason,
    EvaluationDecision,
    GoalFacts,
    HistoryEntry,
    InterventionFacts,
    Phase,
    ScreeningOutcome,
    TransitionFacts,
    check_move,
    is_valid_path,
    missing_by_target,
    phase_at,
)

TODAY = dt.date(2026, 11, 30)
GOAL = GoalFacts(
    "stay out of hospital",
    has_intervention=True,
    has_target_date=True,
    progress_since_monitoring_began=True,
    outcome_since_evaluation_began=True,
)


def ready(phase: Phase, **changes: object) -> CaseFacts:
    """A case in ``phase`` whose records satisfy every entry condition."""
    facts = CaseFacts(
        phase=phase,
        today=TODAY,
        screening_outcome=ScreeningOutcome.ACCEPTED,
        consent_recorded=True,
        required_domains=("medical", "housing"),
        addressed_domains=frozenset({"medical", "housing"}),
        needs_identified=1,
        tier="high",
        goals=(GOAL,),
        plan_agreement="agreed",
        interventions=(InterventionFacts("teach weights", TODAY, started=True),),
        transition=TransitionFacts("hospital to home", pending=True),
        evaluation_decision=EvaluationDecision.CLOSE,
        closed_on=TODAY - dt.timedelta(days=10),
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


ALL_MOVES = [(a, b) for a in Phase for b in Phase]
ALLOWED = [(a, b) for a, b in ALL_MOVES if b in ALLOWED_MOVES[a]]
NOT_ALLOWED = [(a, b) for a, b in ALL_MOVES if b not in ALLOWED_MOVES[a]]


def decision_for(target: Phase) -> EvaluationDecision:
    return {
        Phase.PLANNING: EvaluationDecision.REPLAN,
        Phase.MONITORING: EvaluationDecision.CONTINUE_MONITORING,
    }.get(target, EvaluationDecision.CLOSE)


@pytest.mark.parametrize(("here", "to"), ALLOWED)
def test_every_allowed_move_goes_ahead_when_its_condition_is_met(here: Phase, to: Phase) -> None:
    facts = ready(here, evaluation_decision=decision_for(to))
    closure = (
        ClosureReason.DECEASED if to is Phase.CLOSED and here is not Phase.EVALUATION else None
    )
    check = check_move(facts, to, reason="because", closure_reason=closure)
    assert check.allowed, check.missing


@pytest.mark.parametrize(("here", "to"), NOT_ALLOWED)
def test_every_other_move_is_refused_as_outside_the_process(here: Phase, to: Phase) -> None:
    check = check_move(ready(here), to, reason="because")
    assert not check.allowed
    assert check.missing[0].startswith(f"a move from {here.value} to {to.value} is not part")


def test_the_spec_moves_are_exactly_the_allowed_ones() -> None:
    open_from_assessment = set(Phase) - {Phase.SCREENING, Phase.CLOSED}
    for phase in open_from_assessment - {Phase.TRANSITIONAL_CARE}:
        assert Phase.TRANSITIONAL_CARE in ALLOWED_MOVES[phase]
    for phase in set(Phase) - {Phase.CLOSED}:
        assert Phase.CLOSED in ALLOWED_MOVES[phase]
    assert ALLOWED_MOVES[Phase.CLOSED] == {Phase.ASSESSMENT}
    assert ALLOWED_MOVES[Phase.ASSESSMENT] == {
        Phase.RISK_STRATIFICATION, Phase.TRANSITIONAL_CARE, Phase.CLOSED,
    }  # fmt: skip
    assert ALLOWED_MOVES[Phase.EVALUATION] == {
        Phase.PLANNING, Phase.MONITORING, Phase.CLOSED, Phase.TRANSITIONAL_CARE,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"screening_outcome": None}, "no eligibility decision has been recorded at screening"),
        (
            {"screening_outcome": ScreeningOutcome.NOT_ELIGIBLE},
            "the screening decision is 'not eligible', not accepted",
        ),
        (
            {"consent_recorded": False},
            "the client's consent to case management has not been recorded",
        ),
    ],
)
def test_screening_to_assessment_needs_acceptance_and_consent(
    changes: dict[str, object], message: str
) -> None:
    assert check_move(ready(Phase.SCREENING, **changes), Phase.ASSESSMENT).missing == [message]


def test_assessment_names_each_open_domain_instrument_and_the_need() -> None:
    facts = ready(
        Phase.ASSESSMENT,
        required_domains=("medical", "housing", "caregiver"),
        addressed_domains=frozenset({"medical"}),
        required_instruments=("phq9",),
        needs_identified=0,
    )
    assert check_move(facts, Phase.RISK_STRATIFICATION).missing == [
        "a completed assessment: domains 'housing', 'caregiver' are not addressed",
        "required instruments not completed: 'phq9'",
        "at least one identified need or problem",
    ]
    one = replace(facts, addressed_domains=frozenset({"medical", "housing"}))
    assert check_move(one, Phase.RISK_STRATIFICATION).missing[0] == (
        "a completed assessment: domain 'caregiver' is not addressed"
    )


def test_planning_needs_a_tier() -> None:
    missing = check_move(ready(Phase.RISK_STRATIFICATION, tier=None), Phase.PLANNING).missing
    assert missing == ["a risk tier (low, moderate, high or complex)"]


def test_implementation_needs_goals_interventions_dates_and_agreement() -> None:
    assert check_move(ready(Phase.PLANNING, goals=()), Phase.IMPLEMENTATION).missing == [
        "a care plan with at least one goal"
    ]
    bare = GoalFacts("walk to the mailbox", has_intervention=False, has_target_date=False)
    facts = ready(Phase.PLANNING, goals=(bare,), plan_agreement=None)
    assert check_move(facts, Phase.IMPLEMENTATION).missing == [
        "an intervention for goal 'walk to the mailbox'",
        "a target date for goal 'walk to the mailbox'",
        "the client's agreement to the current plan (or refusal with reason)",
    ]
    refused = ready(Phase.PLANNING, plan_agreement="refused")
    assert check_move(refused, Phase.IMPLEMENTATION).allowed


def test_monitoring_needs_interventions_due_to_have_started() -> None:
    due_today = InterventionFacts("home visit", TODAY, started=False)
    due_tomorrow = InterventionFacts("bus pass", TODAY + dt.timedelta(days=1), started=False)
    no_date = InterventionFacts("call pharmacy", None, started=False)
    facts = ready(Phase.IMPLEMENTATION, interventions=(due_today, due_tomorrow, no_date))
    assert check_move(facts, Phase.MONITORING).missing == [
        f"intervention 'home visit' (due to start {TODAY}) to be started",
        "intervention 'call pharmacy' (due to start now) to be started",
    ]


def test_evaluation_from_monitoring_needs_progress_on_every_goal() -> None:
    stale = replace(GOAL, label="get a job skill", progress_since_monitoring_began=False)
    facts = ready(Phase.MONITORING, goals=(GOAL, stale))
    assert check_move(facts, Phase.EVALUATION).missing == [
        "progress recorded for goal 'get a job skill' since monitoring began"
    ]


def test_reassessment_and_replanning_from_monitoring_need_only_a_reason() -> None:
    facts = ready(Phase.MONITORING, goals=(), tier=None, needs_identified=0)
    for target in (Phase.ASSESSMENT, Phase.PLANNING):
        assert check_move(facts, target, reason="fell at home").allowed
        assert check_move(facts, target, reason="  ").missing == [
            f"the reason for moving back to {target.label.lower()}"
        ]


def test_transitional_care_needs_a_pending_transition() -> None:
    for facts in (
        ready(Phase.MONITORING, transition=None),
        ready(Phase.MONITORING, transition=TransitionFacts("old", pending=False)),
    ):
        assert check_move(facts, Phase.TRANSITIONAL_CARE).missing == [
            "a transition event (from setting, to setting, date) to be recorded"
        ]


def test_post_transition_needs_the_handoff_checklist() -> None:
    transition = TransitionFacts("h", True, open_checklist_items=("medication reconciliation",))
    facts = ready(Phase.TRANSITIONAL_CARE, transition=transition)
    assert check_move(facts, Phase.POST_TRANSITION).missing == [
        "handoff item 'medication reconciliation' to be completed or given a reason"
    ]


@pytest.mark.parametrize("target", [Phase.MONITORING, Phase.ASSESSMENT, Phase.EVALUATION])
def test_leaving_post_transition_needs_the_contacts(target: Phase) -> None:
    transition = TransitionFacts("h", True, contacts_outstanding=("face-to-face visit",))
    facts = ready(Phase.POST_TRANSITION, transition=transition)
    missing = check_move(facts, target, reason="x").missing
    assert missing == [
        "post-transition contact 'face-to-face visit' to be made, "
        "or the miss recorded with a reason"
    ]


def test_evaluation_needs_outcomes_and_a_matching_decision() -> None:
    open_goal = replace(GOAL, outcome_since_evaluation_began=False)
    facts = ready(Phase.EVALUATION, goals=(open_goal,), evaluation_decision=None)
    assert check_move(facts, Phase.MONITORING).missing == [
        "an outcome for goal 'stay out of hospital'",
        "an evaluation decision (re-plan, keep monitoring, or close)",
    ]
    replan = ready(Phase.EVALUATION, evaluation_decision=EvaluationDecision.REPLAN)
    assert check_move(replan, Phase.PLANNING, reason="new goal").allowed
    assert check_move(replan, Phase.MONITORING).missing == [
        "an evaluation decision for this move (the recorded decision leads to planning)"
    ]


def test_closing_after_evaluation_keeps_completed_as_the_reason() -> None:
    check = check_move(ready(Phase.EVALUATION), Phase.CLOSED, reason="goals met")
    assert check.allowed
    assert check.closure_reason is ClosureReason.COMPLETED


@pytest.mark.parametrize(
    "outcome",
    [ScreeningOutcome.NOT_ELIGIBLE, ScreeningOutcome.DECLINED, ScreeningOutcome.REFERRED_ELSEWHERE],
)
def test_closing_at_screening_keeps_the_screening_outcome(outcome: ScreeningOutcome) -> None:
    check = check_move(ready(Phase.SCREENING, screening_outcome=outcome), Phase.CLOSED, reason="x")
    assert check.allowed
    assert check.closure_reason == ClosureReason(outcome.value)


@pytest.mark.parametrize("phase", [p for p in Phase if p is not Phase.CLOSED])
def test_administrative_closure_from_any_open_phase_needs_a_reason(phase: Phase) -> None:
    facts = ready(phase, screening_outcome=ScreeningOutcome.ACCEPTED, evaluation_decision=None)
    refused = check_move(facts, Phase.CLOSED, reason="gone")
    assert not refused.allowed
    assert "an administrative closure reason" in refused.missing[0]
    for reason in (ClosureReason.DECEASED, ClosureReason.MOVED_AWAY, ClosureReason.TRANSFERRED,
                   ClosureReason.DECLINED_SERVICES):  # fmt: skip
        check = check_move(facts, Phase.CLOSED, reason="gone", closure_reason=reason)
        assert check.allowed and check.closure_reason is reason
    no_words = check_move(facts, Phase.CLOSED, reason="", closure_reason=ClosureReason.DECEASED)
    assert no_words.missing == ["the reason for closing, in words"]


def test_lost_to_contact_needs_the_programs_number_of_attempts() -> None:
    facts = ready(Phase.MONITORING, unsuccessful_attempts=2, lost_to_contact_attempts=3)
    check = check_move(facts, Phase.CLOSED, reason="no answer",
                       closure_reason=ClosureReason.LOST_TO_CONTACT)  # fmt: skip
    assert check.missing == [
        "3 unsuccessful contact attempts since the last contact before closing as lost to "
        "contact (2 recorded)"
    ]
    enough = replace(facts, unsuccessful_attempts=3)
    assert check_move(enough, Phase.CLOSED, reason="no answer",
                      closure_reason=ClosureReason.LOST_TO_CONTACT).allowed  # fmt: skip


@pytest.mark.parametrize(("days_ago", "allowed"), [(0, True), (90, True), (91, False)])
def test_reopening_is_allowed_within_the_programs_window(days_ago: int, allowed: bool) -> None:
    facts = ready(Phase.CLOSED, closed_on=TODAY - dt.timedelta(days=days_ago))
    check = check_move(facts, Phase.ASSESSMENT, reason="readmitted")
    assert check.allowed is allowed
    if not allowed:
        assert "reopen window of 90 days" in check.missing[0]


def test_backward_moves_all_need_a_reason() -> None:
    for here, to in BACKWARD_MOVES:
        facts = ready(here, evaluation_decision=decision_for(to))
        assert not check_move(facts, to, reason="").allowed


def test_missing_by_target_lists_every_allowed_move_in_process_order() -> None:
    facts = ready(Phase.MONITORING, goals=())
    missing = missing_by_target(facts)
    assert list(missing) == ["assessment", "planning", "transitional_care", "evaluation", "closed"]
    assert missing["assessment"] == []
    assert missing["evaluation"] == ["at least one active goal to monitor"]


def _at(day: int) -> dt.datetime:
    return dt.datetime(2026, 1, day, 12, tzinfo=dt.UTC)


HISTORY = [
    HistoryEntry(None, Phase.SCREENING, _at(1)),
    HistoryEntry(Phase.SCREENING, Phase.ASSESSMENT, _at(3)),
    HistoryEntry(Phase.ASSESSMENT, Phase.RISK_STRATIFICATION, _at(10)),
]


def test_phase_at_shows_the_case_as_it_stood() -> None:
    assert phase_at(HISTORY, _at(1) - dt.timedelta(seconds=1)) is None
    assert phase_at(HISTORY, _at(1)) is Phase.SCREENING
    assert phase_at(HISTORY, _at(9)) is Phase.ASSESSMENT
    assert phase_at(HISTORY, _at(10)) is Phase.RISK_STRATIFICATION


def test_is_valid_path_finds_gaps_illegal_moves_and_time_going_back() -> None:
    assert is_valid_path(HISTORY) == []
    assert is_valid_path([HistoryEntry(None, Phase.ASSESSMENT, _at(1))]) == [
        "entry 0: a case must start in screening"
    ]
    skipped = [*HISTORY[:2], HistoryEntry(Phase.ASSESSMENT, Phase.PLANNING, _at(4))]
    assert is_valid_path(skipped) == ["entry 2: assessment -> planning is not allowed"]
    gap = [*HISTORY[:2], HistoryEntry(Phase.PLANNING, Phase.IMPLEMENTATION, _at(4))]
    assert is_valid_path(gap) == ["entry 2: starts from planning, not assessment"]
    back = [*HISTORY[:2], HistoryEntry(Phase.ASSESSMENT, Phase.RISK_STRATIFICATION, _at(2))]
    assert is_valid_path(back) == ["entry 2: earlier than the entry before it"]
