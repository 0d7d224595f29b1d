"""What is due on a case, computed from facts rather than stored flags. Pure.

Sources of due work (case-process.md, "What is due"): the follow-up cadence of the case's risk
tier, transition-of-care deadlines (business days, from the rule library), instrument
re-administration intervals, interventions due to start, goals past their target date, urgent
alerts, and the client's requests to amend their record awaiting an answer (HIPAA 164.526).
"Overdue" is relative to the agency's today, which the caller passes in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from casework import rules

# Tier intensity, most intense first, for ranking a caseload.
TIER_RANK: Mapping[str | None, int] = {"complex": 0, "high": 1, "moderate": 2, "low": 3, None: 4}
DUE_SOON_DAYS = 7
# Instruments re-given only while the last result was a positive screen ("PHQ-9 every 4 weeks
# while depressed"); others on their interval regardless.
WHILE_POSITIVE = frozenset({"phq9", "gad7"})


@dataclass(frozen=True, order=True)
class DueItem:
    due_on: dt.date
    kind: str  # alert, contact, transition, instrument, intervention, goal, amendment
    label: str
    overdue: bool = False


@dataclass(frozen=True)
class LastAdministration:
    instrument: str
    title: str
    given_on: dt.date
    reassess_days: int | None
    positive: bool


@dataclass(frozen=True)
class TransitionDue:
    discharged_on: dt.date
    from_setting: str
    to_setting: str
    interactive_done: bool
    face_to_face_done: bool


@dataclass(frozen=True)
class DueFacts:
    today: dt.date
    open: bool
    tier: str | None = None
    follow_up_days: Mapping[str, int] | None = None
    last_contact_on: dt.date | None = None
    opened_on: dt.date | None = None
    open_alerts: Sequence[tuple[str, dt.date]] = ()
    transition: TransitionDue | None = None
    administrations: Sequence[LastAdministration] = ()
    interventions_not_started: Sequence[tuple[str, dt.date]] = ()
    active_goal_targets: Sequence[tuple[str, dt.date]] = ()
    # The client's pending amendment requests: (id, due date).
    pending_amendments: Sequence[tuple[int, dt.date]] = ()


def _item(kind: str, label: str, due_on: dt.date, today: dt.date) -> DueItem:
    return DueItem(due_on, kind, label, overdue=due_on < today)


def _tcm_setting(setting: str, known: Sequence[str], other: str) -> str:
    return setting if setting in known else other


KNOWN_FROM = (
    "inpatient_acute_care_hospital", "inpatient_psychiatric_hospital", "long_term_care_hospital",
    "skilled_nursing_facility", "inpatient_rehabilitation_facility",
    "hospital_outpatient_observation", "partial_hospitalization",
    "cmhc_partial_hospitalization", "emergency_department", "nursing_facility_long_term",
)  # fmt: skip
KNOWN_TO = (
    "home", "domiciliary", "rest_home", "assisted_living", "skilled_nursing_facility",
    "inpatient_hospital", "hospice_facility",
)  # fmt: skip


def transition_deadlines(t: TransitionDue) -> dict[str, object]:
    """CMS TCM deadlines for a discharge (the rule library decides eligibility and dates)."""
    to = "inpatient_hospital" if t.to_setting.startswith("inpatient") else t.to_setting
    return rules.evaluate(
        "tcm_deadlines",
        {
            "discharge_date": t.discharged_on.isoformat(),
            "discharge_setting": _tcm_setting(t.from_setting, KNOWN_FROM, "other"),
            "discharged_to": _tcm_setting(to, KNOWN_TO, "other"),
        },
    )


def due_items(f: DueFacts) -> list[DueItem]:
    """Everything due on the case, soonest first (overdue items first of all)."""
    if not f.open:
        return []
    items = [_item("alert", reason, raised, f.today) for reason, raised in f.open_alerts]
    if f.tier and f.follow_up_days and f.tier in f.follow_up_days:
        since = f.last_contact_on or f.opened_on
        if since is not None:
            items.append(
                _item(
                    "contact",
                    f"{f.tier} tier contact (every {f.follow_up_days[f.tier]} days)",
                    since + dt.timedelta(days=f.follow_up_days[f.tier]),
                    f.today,
                )
            )
    if f.transition is not None:
        deadlines = transition_deadlines(f.transition)
        if not f.transition.interactive_done:
            when = dt.date.fromisoformat(str(deadlines["interactive_contact_deadline"]))
            items.append(_item("transition", "interactive contact after discharge", when, f.today))
        if not f.transition.face_to_face_done:
            when = dt.date.fromisoformat(str(deadlines["face_to_face_deadline_99495"]))
            items.append(_item("transition", "face-to-face visit after discharge", when, f.today))
    for a in f.administrations:
        if a.reassess_days and (a.instrument not in WHILE_POSITIVE or a.positive):
            due = a.given_on + dt.timedelta(days=a.reassess_days)
            items.append(_item("instrument", f"{a.title} again", due, f.today))
    for label, due in f.interventions_not_started:
        items.append(_item("intervention", f"start: {label}", due, f.today))
    for label, target in f.active_goal_targets:
        if target <= f.today + dt.timedelta(days=DUE_SOON_DAYS):
            items.append(_item("goal", f"goal target date: {label}", target, f.today))
    for number, due in f.pending_amendments:
        items.append(_item("amendment", f"answer amendment request #{number}", due, f.today))
    return sorted(items, key=lambda i: (not i.overdue, i.due_on, i.kind))


def attention_key(
    items: Sequence[DueItem], tier: str | None, phase_index: int, today: dt.date
) -> tuple[int, int, dt.date, int, int]:
    """Sort key for a caseload: alerts, then overdue work, then what is due soonest, then the
    tier's intensity, then how far along the process the case is."""
    alerts = sum(1 for i in items if i.kind == "alert")
    overdue = sum(1 for i in items if i.overdue)
    soonest = min((i.due_on for i in items), default=dt.date.max)
    return (-alerts, -overdue, soonest, TIER_RANK.get(tier, 4), phase_index)
