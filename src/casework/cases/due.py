"""What is due on a case, gathered from its records (the decisions are in ``deadlines``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casework.careplans.models import Goal, Intervention
from casework.cases import deadlines
from casework.cases.deadlines import DueFacts, DueItem, LastAdministration, TransitionDue
from casework.cases.models import Case
from casework.instruments.definitions import INSTRUMENTS
from casework.instruments.models import InstrumentAdministration
from casework.transitions.models import PostTransitionContact

# Everything ``due_facts`` reads through the case, so a caseload can prefetch it in a handful
# of queries instead of several per case. ``due_facts`` reads only through ``.all()``.
DUE_PREFETCH = (
    "notes",
    "alerts",
    "transitions__contacts",
    "administrations",
    "goals__interventions",
    "client__amendment_requests",
)


def _transition(case: Case) -> TransitionDue | None:
    transitions = sorted(case.transitions.all(), key=lambda t: (t.transition_on, t.pk))
    if not transitions:
        return None
    t = transitions[-1]
    kinds = {
        c.kind
        for c in t.contacts.all()
        if c.status == c.Status.MADE or (c.status == c.Status.MISSED and c.missed_reason)
    }
    return TransitionDue(
        discharged_on=t.transition_on,
        from_setting=t.from_setting,
        to_setting=t.to_setting,
        interactive_done=PostTransitionContact.Kind.INTERACTIVE in kinds,
        face_to_face_done=PostTransitionContact.Kind.FACE_TO_FACE in kinds,
    )


def _administrations(case: Case) -> list[LastAdministration]:
    latest: dict[str, InstrumentAdministration] = {}
    in_order = sorted(
        case.administrations.all(), key=lambda a: (a.administered_on, a.recorded_at, a.pk)
    )
    for a in in_order:
        latest[a.instrument] = a
    out = []
    for key, a in latest.items():
        definition = INSTRUMENTS.get(key)
        if definition is None:
            continue
        out.append(
            LastAdministration(
                instrument=key,
                title=definition.title,
                given_on=a.administered_on,
                reassess_days=definition.reassess_days,
                positive=bool(a.result.get("positive_screen")),
            )
        )
    return out


def due_facts(case: Case, *, today: dt.date, tier: str | None) -> DueFacts:
    contacts = [n.occurred_at for n in case.notes.all() if n.contact_made]
    last_contact = max(contacts, default=None)
    goals = [g for g in case.goals.all() if g.status == Goal.Status.ACTIVE]
    waiting = [
        i
        for g in goals
        for i in g.interventions.all()
        if i.started_on is None
        and i.start_due_on is not None
        and i.status != Intervention.Status.STOPPED
    ]
    return DueFacts(
        today=today,
        open=case.closed_on is None,
        tier=tier,
        follow_up_days=case.program.follow_up_days,
        last_contact_on=timezone.localtime(last_contact).date() if last_contact else None,
        opened_on=case.opened_on,
        open_alerts=[
            (a.reason, timezone.localtime(a.raised_at).date())
            for a in case.alerts.all()
            if a.resolved_at is None
        ],
        transition=_transition(case),
        administrations=_administrations(case),
        interventions_not_started=[
            (i.description[:60], i.start_due_on) for i in waiting if i.start_due_on is not None
        ],
        active_goal_targets=[
            (g.client_words[:60], g.target_date) for g in goals if g.target_date is not None
        ],
        pending_amendments=[
            (r.pk, r.due_on) for r in case.client.amendment_requests.all() if r.status == "pending"
        ],
    )


def due_items(case: Case, *, today: dt.date) -> list[DueItem]:
    """Everything due on ``case`` (annotated with ``tier`` by the selectors, or looked up)."""
    tier = getattr(case, "tier", None)
    if not hasattr(case, "tier"):
        latest = case.tier_assignments.order_by("-assigned_at", "-id").first()
        tier = latest.tier if latest else None
    return deadlines.due_items(due_facts(case, today=today, tier=tier))
