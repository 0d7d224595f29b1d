"""Contact notes of the demo cases, written the way case managers write them (SOAP or DAP).

Each function returns the fields of one ``ContactNote`` (without the case, time and author):
mode, duration, participants, whether the client was reached, and the narrative sections.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

Note = dict[str, Any]


@dataclass(frozen=True)
class Voice:
    """Who takes part in the client's contacts."""

    name: str  # how the notes call the client
    interpreter: str  # "" or e.g. "Spanish interpreter (phone, ID 40213)"
    language: str  # the client's preferred language
    support: str  # "" or e.g. "daughter Ana Núñez"
    phone: str

    def present(self, *, support: bool = False) -> str:
        people = ["client"]
        if support and self.support:
            people.append(self.support)
        if self.interpreter:
            people.append(self.interpreter)
        return "; ".join(people)

    @property
    def via(self) -> str:
        return f" through the {self.language} interpreter" if self.interpreter else ""


def _soap(mode: str, minutes: int, who: str, s: str, o: str, a: str, p: str) -> Note:
    return {
        "mode": mode, "duration_minutes": minutes, "participants": who, "contact_made": True,
        "format": "soap", "subjective": s, "objective": o, "assessment": a, "plan": p,
    }  # fmt: skip


def _dap(mode: str, minutes: int, who: str, d: str, a: str, p: str, made: bool = True) -> Note:
    return {
        "mode": mode, "duration_minutes": minutes, "participants": who, "contact_made": made,
        "format": "dap", "data": d, "assessment": a, "plan": p,
    }  # fmt: skip


def intake(
    v: Voice, rng: random.Random, *, reason: str, words: str, decision: str, plan: str
) -> Note:
    return _soap(
        rng.choice(["phone", "in_person"]),
        rng.randint(20, 40),
        v.present(support=True),
        f"{v.name} says: “{words}”",
        f"Referral reviewed: {reason} Eligibility criteria checked{v.via}.",
        decision,
        plan,
    )


def assessment(
    v: Voice, rng: random.Random, *, domains: str, finding: str, words: str, strength: str
) -> Note:
    return _dap(
        rng.choice(["home_visit", "home_visit", "in_person"]),
        rng.randint(60, 95),
        v.present(support=True),
        f"Comprehensive assessment{v.via}. Domains reviewed: {domains}. {finding}",
        f"The client's own priority: “{words}” Strengths: {strength}",
        "Stratify risk; draft the care plan together at the next visit.",
    )


def planning(v: Voice, rng: random.Random, *, goals: list[str], first_step: str) -> Note:
    listed = "; ".join(f"“{g}”" for g in goals)
    return _soap(
        rng.choice(["home_visit", "in_person", "video"]),
        rng.randint(40, 70),
        v.present(support=True),
        f"{v.name} chose the goals in their own words: {listed}",
        f"Care plan reviewed line by line{v.via}; teach-back of the first steps correct.",
        "Client agrees to the plan; goals are realistic and match what matters to them.",
        f"First step: {first_step.lower()}. Copy of the plan given to the client.",
    )


def coordination(v: Voice, rng: random.Random, *, started: list[str]) -> Note:
    return _dap(
        rng.choice(["collateral", "phone"]),
        rng.randint(15, 45),
        "case manager; providers",
        "Care coordination: " + "; ".join(started) + ".",
        "Services arranged as planned; no authorisation problems.",
        f"Confirm with {v.name} that the first appointments happened.",
    )


def follow_up(
    v: Voice, rng: random.Random, *, said: str, measure: str, goal: str, tier: str, every: int
) -> Note:
    mode = rng.choice(["phone", "phone", "video", "home_visit"])
    return _soap(
        mode,
        rng.randint(10, 25) if mode != "home_visit" else rng.randint(40, 60),
        v.present(),
        f"{v.name}: {said}.",
        f"Progress on “{goal}”: {measure}.",
        rng.choice(["Improving as planned.", "Steady; no new concerns.",
                    "Slower than hoped but engaged."]),
        f"Next contact in {every} days ({tier} tier cadence).",
    )  # fmt: skip


def attempt(v: Voice, rng: random.Random, *, number: int, letter: bool = False) -> Note:
    if letter:
        return _dap(
            "message", 10, "case manager",
            f"Outreach letter mailed{' in the client’s language' if v.interpreter else ''} "
            "asking the client to call; the agency's number is given.",
            f"No contact yet (attempt {number}).",
            "Close as lost to contact if there is no reply.",
            made=False,
        )  # fmt: skip
    return _dap(
        rng.choice(["phone", "phone", "home_visit"]),
        rng.randint(3, 8),
        "case manager",
        rng.choice([f"Called {v.phone}: no answer; voicemail left.",
                    f"Called {v.phone}: mailbox full.",
                    "Home visit: nobody answered; card left under the door.",
                    f"Text sent to {v.phone}; no reply after 48 hours."]),
        f"Unable to reach the client (attempt {number}).",
        "Try again in 2 to 3 days at a different time of day.",
        made=False,
    )  # fmt: skip


def admission(
    v: Voice, rng: random.Random, *, place: str, why: str, admitted: dt.date, discharge: dt.date
) -> Note:
    return _dap(
        "collateral",
        rng.randint(15, 30),
        f"case manager; discharge planner at {place}",
        f"{place[:1].upper()}{place[1:]} called about {v.name} (admitted {admitted:%b %d}: "
        f"{why}). Planned discharge {discharge:%b %d}.",
        "Transition of care: handoff, medication reconciliation, follow-up appointment and "
        "discharge information needed before discharge.",
        "Send the care plan and medication list to the unit; join the discharge huddle.",
    )


def post_discharge_call(v: Voice, rng: random.Random, *, discharged: dt.date, words: str) -> Note:
    changes = rng.randint(1, 4)
    return _soap(
        "phone",
        rng.randint(20, 35),
        v.present(support=True),
        f"Home since {discharged:%b %d}. {v.name}: “{words}”",
        f"Medication list checked against the discharge summary: {changes} change(s) "
        "explained; all medicines picked up.",
        "Interactive contact within 2 business days of discharge; no red flags.",
        "Face-to-face visit booked within the TCM window.",
    )


def post_discharge_visit(v: Voice, rng: random.Random, *, discharged: dt.date) -> Note:
    return _soap(
        "home_visit",
        rng.randint(45, 75),
        v.present(support=True),
        f"{v.name} says things are going better than the first days home.",
        f"Face-to-face visit after the {discharged:%b %d} discharge. Medicines reconciled at "
        "the kitchen table; follow-up appointment confirmed; home safe.",
        "Transition went well; plan still fits.",
        "Back to routine follow-up at the tier cadence.",
    )


def change_in_condition(v: Voice, rng: random.Random, *, reason: str) -> Note:
    return _soap(
        rng.choice(["phone", "home_visit"]),
        rng.randint(20, 50),
        v.present(support=True),
        f"{v.name} and family report a change.",
        reason,
        "The current plan no longer fits.",
        "Move the case back and reassess or re-plan with the client.",
    )


def evaluation(v: Voice, rng: random.Random, *, outcomes: str, decision: str) -> Note:
    return _dap(
        rng.choice(["in_person", "home_visit", "video"]),
        rng.randint(30, 50),
        v.present(support=True),
        f"Evaluation with {v.name}{v.via}. Outcomes: {outcomes}.",
        decision,
        "Decision recorded; the client has a copy of the summary.",
    )


def closing(v: Voice, rng: random.Random, *, text: str, reached: bool = True) -> Note:
    return _dap(
        rng.choice(["phone", "collateral"]) if reached else "collateral",
        rng.randint(10, 25),
        v.present(support=True) if reached else "case manager; family member",
        text,
        "Case to be closed.",
        "Closure documented; providers on the care team informed.",
    )
