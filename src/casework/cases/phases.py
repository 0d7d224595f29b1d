"""The case-management process as one explicit, data-driven state machine.

Pure: no Django, no database, no clock. The service layer gathers a ``CaseFacts`` snapshot from
the records and asks this module which moves are allowed and, for a refused one, what is
missing, in words a case manager understands. See ``shared/specs/case-process.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Phase(StrEnum):
    SCREENING = "screening"
    ASSESSMENT = "assessment"
    RISK_STRATIFICATION = "risk_stratification"
    PLANNING = "planning"
    IMPLEMENTATION = "implementation"
    MONITORING = "monitoring"
    TRANSITIONAL_CARE = "transitional_care"
    POST_TRANSITION = "post_transition"
    EVALUATION = "evaluation"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


PHASE_LABELS: dict[Phase, str] = {
    Phase.SCREENING: "Screening",
    Phase.ASSESSMENT: "Assessment",
    Phase.RISK_STRATIFICATION: "Risk stratification",
    Phase.PLANNING: "Planning",
    Phase.IMPLEMENTATION: "Implementation",
    Phase.MONITORING: "Monitoring",
    Phase.TRANSITIONAL_CARE: "Transitional care",
    Phase.POST_TRANSITION: "Post-transition communication",
    Phase.EVALUATION: "Evaluation",
    Phase.CLOSED: "Closed",
}

# The nine phases in process order (closed is a state, not a phase of the process).
PROCESS_ORDER: tuple[Phase, ...] = tuple(p for p in Phase if p is not Phase.CLOSED)

ASSESSMENT_DOMAINS: dict[str, str] = {
    "medical": "medical/physical",
    "functional": "functional (ADL/IADL)",
    "behavioral_health": "behavioural health",
    "substance_use": "substance use",
    "housing": "housing",
    "food": "food",
    "transportation": "transportation",
    "finances": "finances",
    "safety": "safety",
    "cultural": "cultural, spiritual and language",
    "caregiver": "caregiver and support system",
    "legal": "legal",
    "education_vocation": "education and vocation",
    "health_literacy": "health literacy",
}


class ScreeningOutcome(StrEnum):
    ACCEPTED = "accepted"
    NOT_ELIGIBLE = "not_eligible"
    DECLINED = "declined"
    REFERRED_ELSEWHERE = "referred_elsewhere"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ClosureReason(StrEnum):
    # From screening, when the referral is not accepted.
    NOT_ELIGIBLE = "not_eligible"
    DECLINED = "declined"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    # From evaluation, when the decision is to close.
    COMPLETED = "completed"
    # Administrative: from any open phase.
    DECEASED = "deceased"
    MOVED_AWAY = "moved_away"
    DECLINED_SERVICES = "declined_services"
    LOST_TO_CONTACT = "lost_to_contact"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


ADMINISTRATIVE_CLOSURES: frozenset[ClosureReason] = frozenset(
    {
        ClosureReason.DECEASED,
        ClosureReason.MOVED_AWAY,
        ClosureReason.DECLINED_SERVICES,
        ClosureReason.LOST_TO_CONTACT,
        ClosureReason.TRANSFERRED,
    }
)


class EvaluationDecision(StrEnum):
    REPLAN = "replan"
    CONTINUE_MONITORING = "continue_monitoring"
    CLOSE = "close"


_EVALUATION_TARGET = {
    EvaluationDecision.REPLAN: Phase.PLANNING,
    EvaluationDecision.CONTINUE_MONITORING: Phase.MONITORING,
    EvaluationDecision.CLOSE: Phase.CLOSED,
}

_OPEN_FROM_ASSESSMENT_ON = frozenset(PROCESS_ORDER) - {Phase.SCREENING}

ALLOWED_MOVES: dict[Phase, frozenset[Phase]] = {
    Phase.SCREENING: frozenset({Phase.ASSESSMENT, Phase.CLOSED}),
    Phase.ASSESSMENT: frozenset({Phase.RISK_STRATIFICATION}),
    Phase.RISK_STRATIFICATION: frozenset({Phase.PLANNING}),
    Phase.PLANNING: frozenset({Phase.IMPLEMENTATION}),
    Phase.IMPLEMENTATION: frozenset({Phase.MONITORING}),
    Phase.MONITORING: frozenset({Phase.ASSESSMENT, Phase.PLANNING, Phase.EVALUATION}),
    Phase.TRANSITIONAL_CARE: frozenset({Phase.POST_TRANSITION}),
    Phase.POST_TRANSITION: frozenset({Phase.MONITORING, Phase.ASSESSMENT, Phase.EVALUATION}),
    Phase.EVALUATION: frozenset({Phase.PLANNING, Phase.MONITORING, Phase.CLOSED}),
    Phase.CLOSED: frozenset({Phase.ASSESSMENT}),
}
# A transition of care can happen at any time once the client is assessed, and any open case
# can be closed for an administrative reason.
for _phase in _OPEN_FROM_ASSESSMENT_ON - {Phase.TRANSITIONAL_CARE}:
    ALLOWED_MOVES[_phase] = ALLOWED_MOVES[_phase] | {Phase.TRANSITIONAL_CARE}
for _phase in PROCESS_ORDER:
    ALLOWED_MOVES[_phase] = ALLOWED_MOVES[_phase] | {Phase.CLOSED}

# Moves that go back in the process or reopen: the reason is the clinical justification.
BACKWARD_MOVES: frozenset[tuple[Phase, Phase]] = frozenset(
    {
        (Phase.MONITORING, Phase.ASSESSMENT),
        (Phase.MONITORING, Phase.PLANNING),
        (Phase.POST_TRANSITION, Phase.ASSESSMENT),
        (Phase.EVALUATION, Phase.PLANNING),
        (Phase.CLOSED, Phase.ASSESSMENT),
    }
)


@dataclass(frozen=True)
class GoalFacts:
    label: str
    has_intervention: bool
    has_target_date: bool
    progress_since_monitoring_began: bool = False
    outcome_since_evaluation_began: bool = False


@dataclass(frozen=True)
class InterventionFacts:
    label: str
    start_due_on: dt.date | None
    started: bool


@dataclass(frozen=True)
class TransitionFacts:
    label: str
    # Recorded since the case last left transitional care, so it still needs handling there.
    pending: bool
    open_checklist_items: tuple[str, ...] = ()
    contacts_outstanding: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    """What the records say about a case, as far as the process cares."""

    phase: Phase
    today: dt.date
    screening_outcome: ScreeningOutcome | None = None
    consent_recorded: bool = False
    required_domains: tuple[str, ...] = ()
    addressed_domains: frozenset[str] = frozenset()
    required_instruments: tuple[str, ...] = ()
    completed_instruments: frozenset[str] = frozenset()
    needs_identified: int = 0
    tier: str | None = None
    goals: tuple[GoalFacts, ...] = ()
    # "agreed" / "refused" when recorded after the plan last changed, else None.
    plan_agreement: str | None = None
    interventions: tuple[InterventionFacts, ...] = ()
    transition: TransitionFacts | None = None
    evaluation_decision: EvaluationDecision | None = None
    closed_on: dt.date | None = None
    reopen_window_days: int = 90
    unsuccessful_attempts: int = 0
    lost_to_contact_attempts: int = 3


@dataclass(frozen=True)
class MoveCheck:
    allowed: bool
    missing: list[str] = field(default_factory=list)
    closure_reason: ClosureReason | None = None


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f"'{i}'" for i in items)


def _screening_done(f: CaseFacts) -> list[str]:
    if f.screening_outcome is None:
        return ["no eligibility decision has been recorded at screening"]
    if f.screening_outcome is not ScreeningOutcome.ACCEPTED:
        return [f"the screening decision is '{f.screening_outcome.label.lower()}', not accepted"]
    if not f.consent_recorded:
        return ["the client's consent to case management has not been recorded"]
    return []


def _assessment_done(f: CaseFacts) -> list[str]:
    missing: list[str] = []
    open_domains = [d for d in f.required_domains if d not in f.addressed_domains]
    if open_domains:
        word = "domain" if len(open_domains) == 1 else "domains"
        verb = "is" if len(open_domains) == 1 else "are"
        missing.append(
            f"a completed assessment: {word} {_quoted(open_domains)} {verb} not addressed"
        )
    open_instruments = [i for i in f.required_instruments if i not in f.completed_instruments]
    if open_instruments:
        missing.append(f"required instruments not completed: {_quoted(open_instruments)}")
    if f.needs_identified == 0:
        missing.append("at least one identified need or problem")
    return missing


def _tier_set(f: CaseFacts) -> list[str]:
    return [] if f.tier else ["a risk tier (low, moderate, high or complex)"]


def _plan_complete(f: CaseFacts) -> list[str]:
    if not f.goals:
        return ["a care plan with at least one goal"]
    missing: list[str] = []
    for goal in f.goals:
        if not goal.has_intervention:
            missing.append(f"an intervention for goal '{goal.label}'")
        if not goal.has_target_date:
            missing.append(f"a target date for goal '{goal.label}'")
    if f.plan_agreement is None:
        missing.append("the client's agreement to the current plan (or refusal with reason)")
    return missing


def _interventions_started(f: CaseFacts) -> list[str]:
    return [
        f"intervention '{i.label}' (due to start {i.start_due_on or 'now'}) to be started"
        for i in f.interventions
        if not i.started and (i.start_due_on is None or i.start_due_on <= f.today)
    ]


def _progress_recorded(f: CaseFacts) -> list[str]:
    if not f.goals:
        return ["at least one active goal to monitor"]
    return [
        f"progress recorded for goal '{g.label}' since monitoring began"
        for g in f.goals
        if not g.progress_since_monitoring_began
    ]


def _transition_recorded(f: CaseFacts) -> list[str]:
    if f.transition is None or not f.transition.pending:
        return ["a transition event (from setting, to setting, date) to be recorded"]
    return []


def _handoff_complete(f: CaseFacts) -> list[str]:
    if f.transition is None:
        return ["a transition event to be recorded"]
    return [
        f"handoff item '{item}' to be completed or given a reason"
        for item in f.transition.open_checklist_items
    ]


def _contacts_made(f: CaseFacts) -> list[str]:
    if f.transition is None:
        return ["a transition event to be recorded"]
    return [
        f"post-transition contact '{c}' to be made, or the miss recorded with a reason"
        for c in f.transition.contacts_outstanding
    ]


def _evaluation_done(f: CaseFacts, target: Phase) -> list[str]:
    missing = [
        f"an outcome for goal '{g.label}'" for g in f.goals if not g.outcome_since_evaluation_began
    ]
    if f.evaluation_decision is None:
        missing.append("an evaluation decision (re-plan, keep monitoring, or close)")
    elif _EVALUATION_TARGET[f.evaluation_decision] is not target:
        wanted = _EVALUATION_TARGET[f.evaluation_decision].label.lower()
        missing.append(
            f"an evaluation decision for this move (the recorded decision leads to {wanted})"
        )
    return missing


def _reopen_allowed(f: CaseFacts) -> list[str]:
    if f.closed_on is None:
        return []
    days = (f.today - f.closed_on).days
    if days > f.reopen_window_days:
        return [
            f"a closure within the program's reopen window of {f.reopen_window_days} days "
            f"(closed {days} days ago on {f.closed_on}; open a new case instead)"
        ]
    return []


_EXIT_CONDITIONS = {
    Phase.ASSESSMENT: _assessment_done,
    Phase.RISK_STRATIFICATION: _tier_set,
    Phase.PLANNING: _plan_complete,
    Phase.IMPLEMENTATION: _interventions_started,
    Phase.TRANSITIONAL_CARE: _handoff_complete,
    Phase.POST_TRANSITION: _contacts_made,
}


def _administrative_closure(f: CaseFacts, reason: ClosureReason | None) -> list[str]:
    choices = ", ".join(r.label.lower() for r in sorted(ADMINISTRATIVE_CLOSURES))
    if reason is None or reason not in ADMINISTRATIVE_CLOSURES:
        return [f"an administrative closure reason ({choices})"]
    if (
        reason is ClosureReason.LOST_TO_CONTACT
        and f.unsuccessful_attempts < f.lost_to_contact_attempts
    ):
        return [
            f"{f.lost_to_contact_attempts} unsuccessful contact attempts since the last contact "
            f"before closing as lost to contact ({f.unsuccessful_attempts} recorded)"
        ]
    return []


def _closure(
    f: CaseFacts, requested: ClosureReason | None
) -> tuple[list[str], ClosureReason | None]:
    """What closing needs from the current phase, and the closure reason that will be kept."""
    if requested is not None and requested in ADMINISTRATIVE_CLOSURES:
        return _administrative_closure(f, requested), requested
    if f.phase is Phase.SCREENING and f.screening_outcome not in (
        None,
        ScreeningOutcome.ACCEPTED,
    ):
        assert f.screening_outcome is not None
        return [], ClosureReason(f.screening_outcome.value)
    if f.phase is Phase.EVALUATION and f.evaluation_decision is EvaluationDecision.CLOSE:
        return _evaluation_done(f, Phase.CLOSED), ClosureReason.COMPLETED
    if f.phase is Phase.SCREENING:
        alternative = "a screening decision that does not accept the referral, or "
    elif f.phase is Phase.EVALUATION:
        alternative = "an evaluation decision to close with an outcome for every goal, or "
    else:
        alternative = ""
    missing = _administrative_closure(f, None)
    missing[0] = alternative + missing[0]
    return missing, None


def check_move(
    facts: CaseFacts,
    to: Phase,
    *,
    reason: str | None = "",
    closure_reason: ClosureReason | None = None,
) -> MoveCheck:
    """Whether the case may move to ``to`` now, and if not, everything that is missing.

    ``reason=None`` skips the check for a stated reason (used to list what the records lack).
    """
    here = facts.phase
    if to not in ALLOWED_MOVES[here]:
        allowed = ", ".join(sorted(ALLOWED_MOVES[here]))
        return MoveCheck(
            False,
            [
                f"a move from {here.value} to {to.value} is not part of the process "
                f"(from {here.value} the case can move to: {allowed})"
            ],
        )
    missing: list[str] = []
    kept_reason: ClosureReason | None = None
    if to is Phase.CLOSED:
        missing, kept_reason = _closure(facts, closure_reason)
    elif to is Phase.TRANSITIONAL_CARE:
        missing = _transition_recorded(facts)
    elif here is Phase.SCREENING:
        missing = _screening_done(facts)
    elif here is Phase.CLOSED:
        missing = _reopen_allowed(facts)
    elif here is Phase.MONITORING and to is Phase.EVALUATION:
        missing = _progress_recorded(facts)
    elif here is Phase.EVALUATION:
        missing = _evaluation_done(facts, to)
    elif here in _EXIT_CONDITIONS:
        missing = _EXIT_CONDITIONS[here](facts)
    if reason is not None and not reason.strip():
        if to is Phase.CLOSED:
            missing.append("the reason for closing, in words")
        elif (here, to) in BACKWARD_MOVES:
            missing.append(f"the reason for moving back to {to.label.lower()}")
    if to is Phase.CLOSED and missing:
        kept_reason = None
    return MoveCheck(not missing, missing, kept_reason)


def missing_by_target(facts: CaseFacts) -> dict[str, list[str]]:
    """For each move allowed from the current phase, what is still missing (empty: ready)."""
    return {
        target.value: check_move(facts, target, reason=None).missing
        for target in sorted(ALLOWED_MOVES[facts.phase], key=_process_index)
    }


def _process_index(phase: Phase) -> int:
    return list(Phase).index(phase)


@dataclass(frozen=True)
class HistoryEntry:
    from_phase: Phase | None
    to_phase: Phase
    at: dt.datetime


def phase_at(history: Sequence[HistoryEntry], moment: dt.datetime) -> Phase | None:
    """The phase the case was in at ``moment`` (None: the case did not exist yet)."""
    current: Phase | None = None
    for entry in history:
        if entry.at > moment:
            break
        current = entry.to_phase
    return current


def is_valid_path(history: Sequence[HistoryEntry]) -> list[str]:
    """Problems with a recorded history: a gap, a move outside the process, time going back."""
    problems: list[str] = []
    previous: HistoryEntry | None = None
    for n, entry in enumerate(history):
        if previous is None:
            if entry.from_phase is not None or entry.to_phase is not Phase.SCREENING:
                problems.append(f"entry {n}: a case must start in screening")
        else:
            if entry.from_phase is not previous.to_phase:
                problems.append(
                    f"entry {n}: starts from {entry.from_phase}, not {previous.to_phase}"
                )
            elif entry.to_phase not in ALLOWED_MOVES[previous.to_phase]:
                problems.append(f"entry {n}: {entry.from_phase} -> {entry.to_phase} is not allowed")
            if entry.at < previous.at:
                problems.append(f"entry {n}: earlier than the entry before it")
        previous = entry
    return problems
