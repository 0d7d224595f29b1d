"""Gather what the records say about a case into the pure state machine's ``CaseFacts``."""

from __future__ import annotations

import datetime as dt

from casework.careplans.models import CaseEvaluation, Goal, Intervention, PlanAgreement
from casework.cases.models import Case, PhaseChange
from casework.cases.phases import (
    CaseFacts,
    EvaluationDecision,
    GoalFacts,
    InterventionFacts,
    Phase,
    ScreeningOutcome,
    TransitionFacts,
)
from casework.risk.models import RiskTierAssignment
from casework.transitions.models import HandoffItem, PostTransitionContact, TransitionEvent

# Contacts every transition needs before the case moves on from post-transition communication.
REQUIRED_CONTACTS = (
    PostTransitionContact.Kind.INTERACTIVE,
    PostTransitionContact.Kind.FACE_TO_FACE,
)
_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def last_entry(history: list[PhaseChange], phase: Phase) -> dt.datetime:
    entries = [c.at for c in history if c.to_phase == phase]
    return entries[-1] if entries else _EPOCH


def last_exit(history: list[PhaseChange], phase: Phase) -> dt.datetime:
    exits = [c.at for c in history if c.from_phase == phase]
    return exits[-1] if exits else _EPOCH


def _transition_facts(case: Case, history: list[PhaseChange]) -> TransitionFacts | None:
    transition = case.transitions.order_by("-created_at", "-id").first()
    if transition is None:
        return None
    items: list[HandoffItem] = list(transition.checklist.all())
    open_items = tuple(
        HandoffItem.Item(i.item).label.lower()
        for i in items
        if not i.completed and not i.open_reason.strip()
    )
    contacts: list[PostTransitionContact] = list(transition.contacts.all())
    outstanding = tuple(
        kind.label.lower()
        for kind in REQUIRED_CONTACTS
        if not any(
            c.kind == kind
            and (c.status == c.Status.MADE or (c.status == c.Status.MISSED and c.missed_reason))
            for c in contacts
        )
    )
    return TransitionFacts(
        label=_describe_transition(transition),
        pending=transition.created_at > last_exit(history, Phase.TRANSITIONAL_CARE),
        open_checklist_items=open_items,
        contacts_outstanding=outstanding,
    )


def _describe_transition(t: TransitionEvent) -> str:
    return f"{t.get_from_setting_display()} to {t.get_to_setting_display()} on {t.transition_on}"


def case_facts(case: Case, *, today: dt.date) -> CaseFacts:
    history = list(case.phase_changes.order_by("seq"))
    phase = Phase(history[-1].to_phase)
    screening = case.screenings.order_by("-decided_on", "-id").first()
    tier = case.tier_assignments.order_by("-assigned_at", "-id").first()
    monitoring_began = last_entry(history, Phase.MONITORING)
    evaluation_began = last_entry(history, Phase.EVALUATION)

    goals = list(
        Goal.objects.filter(case=case, status=Goal.Status.ACTIVE).prefetch_related(
            "interventions", "progress", "outcomes"
        )
    )
    goal_facts = tuple(
        GoalFacts(
            label=_label(g.client_words),
            has_intervention=bool(g.interventions.all()),
            has_target_date=g.target_date is not None,
            progress_since_monitoring_began=any(
                p.recorded_at >= monitoring_began for p in g.progress.all()
            ),
            outcome_since_evaluation_began=any(
                o.recorded_at >= evaluation_began for o in g.outcomes.all()
            ),
        )
        for g in goals
    )
    interventions: list[Intervention] = [
        i for g in goals for i in g.interventions.all() if i.status != i.Status.STOPPED
    ]
    plan_changed = max(
        [g.created_at for g in goals] + [i.created_at for i in interventions], default=_EPOCH
    )
    agreement = (
        PlanAgreement.objects.filter(case=case, recorded_at__gte=plan_changed)
        .order_by("-recorded_at", "-id")
        .first()
    )
    evaluation = (
        CaseEvaluation.objects.filter(case=case, recorded_at__gte=evaluation_began)
        .order_by("-recorded_at", "-id")
        .first()
    )
    attempts = 0
    for made in case.notes.order_by("-occurred_at", "-id").values_list("contact_made", flat=True):
        if made:
            break
        attempts += 1

    return CaseFacts(
        phase=phase,
        today=today,
        screening_outcome=ScreeningOutcome(screening.outcome) if screening else None,
        consent_recorded=bool(screening and screening.consent_to_case_management),
        required_domains=tuple(case.program.required_domains),
        addressed_domains=frozenset(case.findings.values_list("domain", flat=True)),
        required_instruments=tuple(case.program.required_instruments),
        completed_instruments=frozenset(case.administrations.values_list("instrument", flat=True)),
        needs_identified=case.needs.count(),
        tier=tier.tier if tier else None,
        goals=goal_facts,
        plan_agreement=(
            None if agreement is None else ("agreed" if agreement.agreed else "refused")
        ),
        interventions=tuple(
            InterventionFacts(_label(i.description), i.start_due_on, i.started_on is not None)
            for i in interventions
        ),
        transition=_transition_facts(case, history),
        evaluation_decision=EvaluationDecision(evaluation.decision) if evaluation else None,
        closed_on=case.closed_on,
        reopen_window_days=case.program.reopen_window_days,
        unsuccessful_attempts=attempts,
        lost_to_contact_attempts=case.program.lost_to_contact_attempts,
    )


def current_tier(case: Case) -> RiskTierAssignment | None:
    return case.tier_assignments.order_by("-assigned_at", "-id").first()
