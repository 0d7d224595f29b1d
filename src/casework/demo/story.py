"""One demo case, told from the referral to today by really driving the process.

Before each move the story writes the records the move's entry condition asks for (screening
decision and consent, a finding for every required domain, needs, a tier, goals with
interventions and target dates, the client's agreement, started interventions, progress, a
transition with its checklist and contacts, outcomes and an evaluation decision) and then asks
``cases.services.move_case`` to make the move, so the history is consistent by construction:
a move the process refuses stops the build.

Time is simulated: every record is written with the clock frozen at a moment of the case's own
story, and every stamp (``created_at``, ``recorded_at``, the phase moves) comes from that clock.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from casework.careplans.models import (
    CaseEvaluation,
    Goal,
    GoalOutcome,
    GoalProgress,
    Intervention,
    PlanAgreement,
)
from casework.cases.models import (
    AssessmentFinding,
    CareTeamMember,
    Case,
    ContactNote,
    IdentifiedNeed,
    Program,
    ScreeningDecision,
)
from casework.cases.phases import ASSESSMENT_DOMAINS, EvaluationDecision, Phase
from casework.cases.services import move_case, open_case
from casework.clients.models import Client
from casework.core import clock
from casework.core.errors import Problem
from casework.core.models import VersionedModel
from casework.core.records import create_record, update_record
from casework.demo import names, notes
from casework.demo.notes import Note, Voice
from casework.demo.programs import CM, GoalSpec, ProgramSpec, TransitionSpec
from casework.demo.scenarios import Scenario, Step
from casework.demo.timeline import WorkingDay, business_day_on_or_before, schedule, spread
from casework.risk.models import RiskTierAssignment
from casework.rules.federal_holidays import add_business_days
from casework.staff.models import StaffMember
from casework.transitions.models import (
    HandoffItem,
    PostTransitionContact,
    Setting,
    TransitionEvent,
)
from casework.transitions.services import open_checklist

V = TypeVar("V", bound=VersionedModel)
A, R, P, I, M = (  # noqa: E741 (the phase letters of the scenarios)
    Phase.ASSESSMENT,
    Phase.RISK_STRATIFICATION,
    Phase.PLANNING,
    Phase.IMPLEMENTATION,
    Phase.MONITORING,
)
T, PT, E, C = Phase.TRANSITIONAL_CARE, Phase.POST_TRANSITION, Phase.EVALUATION, Phase.CLOSED

# Calendar days between two moves.
GAPS: dict[tuple[Phase, Phase], tuple[int, int]] = {
    (Phase.SCREENING, A): (1, 6),
    (Phase.SCREENING, C): (1, 6),
    (A, R): (3, 10),
    (R, P): (1, 4),
    (P, I): (2, 7),
    (I, M): (5, 14),
    (M, A): (14, 45),
    (M, P): (14, 40),
    (E, P): (1, 5),
    (E, M): (1, 5),
    (E, C): (1, 6),
}
EVALUATION_AFTER = {"hospital": (30, 45), "juvenile": (60, 100), "senior": (60, 110)}
HOSPICE = TransitionSpec(
    Setting.INPATIENT_ACUTE, Setting.HOSPICE, (2, 8), "end-stage illness", "hospice team"
)
TIERS = ("low", "moderate", "high", "complex")
OPEN_HANDOFF_REASONS: dict[str, str] = {
    HandoffItem.Item.HANDOFF: "The receiving provider's intake nurse is on leave; a verbal "
    "handoff is booked with her replacement for Monday.",
    HandoffItem.Item.MED_REC: "Discharged before pharmacy finished; reconciliation is booked "
    "for the first home visit.",
    HandoffItem.Item.FOLLOW_UP: "The clinic had no slot within 7 days; on the cancellation list "
    "and the PCP is aware.",
    HandoffItem.Item.DISCHARGE_INFO: "Discharge summary not received yet; requested by fax and "
    "through the portal, promised for tomorrow.",
}
EXTRA_FINDINGS = {
    "transportation": "No car; uses the bus and paratransit (Access-A-Ride). Missed two "
    "appointments last year for lack of a ride.",
}
NOT_APPLICABLE = {
    "housing": "Lives in a supported residence that manages housing; outside this plan.",
    "finances": "Finances are handled by a court-appointed guardian outside this program.",
}


@dataclass
class Planned:
    """A goal of the plan with its interventions and how far the client has come (0..2)."""

    spec: GoalSpec
    goal: Goal
    interventions: list[Intervention]
    level: int = 0


@dataclass
class Outline:
    """When each move of a case happens: opening day first, then one day per move."""

    days: list[dt.date]
    transitions: list[TransitionSpec] = field(default_factory=list)


def outline(
    scenario: Scenario, spec: ProgramSpec, rng: random.Random, *, last_by: dt.date
) -> Outline:
    """Days for the case's moves, ending ``scenario.tail`` days before ``last_by``."""
    gaps: list[int] = []
    transitions: list[TransitionSpec] = []
    here = Phase.SCREENING
    steps = scenario.steps
    for n, step in enumerate(steps):
        if step.to is T:
            deceased = n + 1 < len(steps) and steps[n + 1].closure == "deceased"
            transitions.append(HOSPICE if deceased else rng.choice(spec.transitions))
        gaps.append(_gap(here, step, spec, rng, transitions))
        here = step.to
    tail = rng.randint(*scenario.tail)
    return Outline(schedule(gaps, last_by=last_by - dt.timedelta(days=tail)), transitions)


def _gap(
    here: Phase, step: Step, spec: ProgramSpec, rng: random.Random, stays: list[TransitionSpec]
) -> int:
    if step.closure == "lost_to_contact":
        return rng.randint(24, 40)
    if step.closure:
        return rng.randint(5, 30)
    if here is C:
        return rng.randint(7, min(60, spec.reopen_window_days - 10))
    if here is T:
        return rng.randint(*stays[-1].stay_days)
    if here is PT:
        return rng.randint(8, 14)
    if step.to is T:
        return rng.randint(10, 40) if here is M else rng.randint(3, 10)
    if (here, step.to) == (M, E):
        return rng.randint(*EVALUATION_AFTER[spec.kind])
    return rng.randint(*GAPS[(here, step.to)])


class CaseStory:
    """Writes one case: ``tell()`` opens it and plays its scenario to the end."""

    def __init__(
        self,
        *,
        rng: random.Random,
        spec: ProgramSpec,
        program: Program,
        client: Client,
        voice: Voice,
        support: list[dict[str, Any]],
        manager: StaffMember,
        staff: dict[str, StaffMember],
        scenario: Scenario,
        plan: Outline,
        last_by: dt.date,
    ) -> None:
        self.rng = rng
        self.spec = spec
        self.program = program
        self.client = client
        self.voice = voice
        self.support = support
        self.manager = manager
        self.user = manager.user
        self.staff = staff
        self.scenario = scenario
        self.days = plan.days
        self.transition_specs = list(plan.transitions)
        self.last_by = last_by
        self.case: Case
        self.unused = [
            g for g in spec.goals if g.only_if != "interpreter" or client.interpreter_needed
        ]
        rng.shuffle(self.unused)
        self.pending: list[GoalSpec] = []  # needs identified, not yet in the plan
        self.plan: list[Planned] = []
        self.tier = ""
        self.assessed = False
        self.transition: TransitionEvent | None = None
        self.transition_place = ""

    # The story ---------------------------------------------------------------------------

    def tell(self) -> Case:
        try:
            self._open()
            here = Phase.SCREENING
            steps = self.scenario.steps
            for n, step in enumerate(steps):
                self._between(here, step, self.days[n], self.days[n + 1])
                day = WorkingDay(self.days[n + 1], self.rng)
                self._prepare(here, step, day)
                with clock.frozen_at(day.tick(5, 20)):
                    move_case(
                        actor=self.user,
                        case=self.case,
                        to=step.to,
                        reason=self._reason(here, step),
                        closure_reason=step.closure or None,
                    )
                self._after(here, step, day)
                here = step.to
            self._finish(here, self.days[-1])
        except Problem as error:
            raise RuntimeError(
                f"demo case '{self.scenario.name}' of {self.client} ({self.spec.name}) could "
                f"not be written: {error.detail}"
            ) from error
        return self.case

    def _open(self) -> None:
        day = WorkingDay(self.days[0], self.rng)
        source = self.rng.choices(
            [s for s, _ in self.spec.referral_sources],
            weights=[w for _, w in self.spec.referral_sources],
        )[0]
        with clock.frozen_at(day.tick()):
            self.case = open_case(
                actor=self.user,
                data={
                    "client": self.client.pk,
                    "program": self.program.pk,
                    "primary_case_manager": self.manager.pk,
                    "referral_source": source,
                    "referral_reason": self.rng.choice(self.spec.referral_reasons),
                    "referred_on": self.days[0] - dt.timedelta(days=self.rng.randint(0, 3)),
                },
            )

    def _prepare(self, here: Phase, step: Step, day: WorkingDay) -> None:
        """Write what the move ``here`` -> ``step.to`` needs."""
        to = step.to
        if here is Phase.SCREENING:
            self._screen(day, accepted=to is not C)
        elif step.closure:
            self._close_note(day, step.closure)
        elif to is T:
            self._admit(day)
        elif here is A:
            self._assess(day)
        elif here is R:
            self._stratify(day)
        elif here is P:
            self._plan(day)
        elif here is I:
            self._start_due(day)
        elif (here, to) == (M, E):
            self._progress_all(day, towards_close=self._ends_closed())
        elif to in (A, P) and here in (M, PT):
            self._note(day, notes.change_in_condition(self.voice, self.rng, reason=self._why(to)))
        elif here is T:
            self._handoff(day, complete=True)
        elif here is E:
            self._evaluate(day, to)
        elif here is C:
            self._note(
                day,
                notes.intake(
                    self.voice, self.rng, reason=self.case.referral_reason,
                    words=self.client.aspirations, decision="Re-referral within the reopen "
                    "window: accepted again.", plan="Reassess and update the plan.",
                ),
            )  # fmt: skip

    def _after(self, here: Phase, step: Step, day: WorkingDay) -> None:
        """Consequences of a move: goal statuses after an evaluation or a re-plan."""
        if here is E:
            for planned in list(self.plan):
                if planned.level == 2:
                    self._set_goal(day, planned, Goal.Status.MET)
                elif step.to is C:
                    self._set_goal(day, planned, Goal.Status.DISCONTINUED)
        elif (here, step.to) == (M, P) and self.plan:
            self._set_goal(day, max(self.plan, key=lambda p: p.level), Goal.Status.MET)

    def _between(self, here: Phase, step: Step | None, start: dt.date, end: dt.date) -> None:
        """What happens while the case sits in ``here`` from ``start`` to before ``end``."""
        lost = step is not None and step.closure == "lost_to_contact"
        if here is M:
            every = self.spec.follow_up_days.get(self.tier, 30)
            if step is None:
                days = self._recent_follow_ups(start, end - dt.timedelta(days=1), every)
            else:
                window_end = start + (end - start) / 3 if lost else end
                count = min(3, max(1, (window_end - start).days // every))
                days = spread(start, window_end, count, self.rng)
            for day in days:
                self._follow_up(WorkingDay(day, self.rng), every)
        elif here is PT:
            self._post_transition_contacts(start, end)
        if lost:
            attempts = self.program.lost_to_contact_attempts
            days = spread(start + (end - start) / 2, end, attempts, self.rng)
            for n, day in enumerate(days, start=1):
                wd = WorkingDay(day, self.rng)
                self._note(wd, notes.attempt(self.voice, self.rng, number=n, letter=n == len(days)))

    def _recent_follow_ups(self, start: dt.date, last: dt.date, every: int) -> list[dt.date]:
        """Up to 3 follow-ups at the tier's cadence up to ``last``; one case in four is late."""
        latest = last - dt.timedelta(days=self.rng.randint(0, max(0, every - 1)))
        if self.rng.random() < 0.25:
            latest -= dt.timedelta(days=every + self.rng.randint(1, 10))
        days: list[dt.date] = []
        day = business_day_on_or_before(latest)
        while day > start and len(days) < 3:
            days.insert(0, day)
            day = business_day_on_or_before(day - dt.timedelta(days=every))
        return days

    def _finish(self, phase: Phase, last_move: dt.date) -> None:
        """Work in progress in the phase the case is in now."""
        later = spread(last_move, self.last_by + dt.timedelta(days=1), 1, self.rng)
        if phase is M:
            self._between(M, None, last_move, self.last_by + dt.timedelta(days=1))
        elif phase is PT:
            self._post_transition_contacts(last_move, self.last_by + dt.timedelta(days=1))
        if not later:
            return
        day = WorkingDay(later[0], self.rng)
        if phase is Phase.SCREENING and self.rng.random() < 0.6:
            self._note(
                day,
                notes.intake(
                    self.voice, self.rng, reason=self.case.referral_reason,
                    words=self.client.aspirations,
                    decision="Screening in progress: waiting for records before deciding.",
                    plan="Decide eligibility when the records arrive.",
                ),
            )  # fmt: skip
        elif phase is A:
            self._assess(day, partial=True)
        elif phase is P and self.rng.random() < 0.6:
            self._plan(day, agree=False)
        elif phase is I and self.rng.random() < 0.5:
            self._start_due(day)
        elif phase is T:
            self._handoff(day, complete=False)
        elif phase is E and self.plan:
            for planned in self.plan[: self.rng.randint(0, len(self.plan) - 1)]:
                self._outcome(day, planned)

    # Records -----------------------------------------------------------------------------

    def _make(self, model: type[V], data: dict[str, Any], **fixed: Any) -> V:
        return create_record(model, data, **fixed)

    @contextmanager
    def _at(self, day: WorkingDay, low: int = 2, high: int = 9) -> Iterator[dt.datetime]:
        moment = day.tick(low, high)
        with clock.frozen_at(moment):
            yield moment

    def _note(self, day: WorkingDay, note: Note) -> None:
        with self._at(day, 5, 30) as moment:
            occurred = moment - dt.timedelta(minutes=int(note["duration_minutes"]))
            self._make(ContactNote, note, case=self.case, occurred_at=occurred, author=self.user)

    def _screen(self, day: WorkingDay, *, accepted: bool) -> None:
        if accepted:
            decision = {
                "outcome": "accepted",
                "eligibility_notes": f"Meets the criteria: {self.spec.eligibility}",
                "consent_to_case_management": True,
                "consent_recorded_on": day.day,
            }
            said = "Accepted into the program; consent to case management signed."
            plan = "Book the comprehensive assessment; set up the care team."
        else:
            outcome, reason = self.rng.choice(self.spec.not_accepted)
            decision = {"outcome": outcome, "reason": reason}
            said = f"Not accepted: {reason}"
            plan = "Decision explained; other services suggested."
        self._note(
            day,
            notes.intake(self.voice, self.rng, reason=self.case.referral_reason,
                         words=self.client.aspirations, decision=said, plan=plan),
        )  # fmt: skip
        with self._at(day):
            self._make(
                ScreeningDecision, {"decided_on": day.day, **decision}, case=self.case,
                decided_by=self.user,
            )  # fmt: skip
        if accepted:
            self._care_team(day)

    def _care_team(self, day: WorkingDay) -> None:
        rng = self.rng
        members: list[dict[str, Any]] = []
        first_role = self.spec.team_external[0]
        if self.spec.kind == "juvenile":
            members.append(
                {
                    "external_name": f"Ms. {rng.choice(names.PCP_NAMES).split()[-1]}",
                    "organisation": rng.choice(names.SCHOOLS),
                    "role": first_role,
                }
            )
        else:
            members.append(
                {
                    "external_name": rng.choice(names.PCP_NAMES),
                    "organisation": rng.choice(names.CLINICS),
                    "role": first_role,
                }
            )
        consenting = [p for p in self.support if p["consent_to_share"]]
        if consenting:
            person = consenting[0]
            members.append(
                {
                    "external_name": person["name"],
                    "role": f"{person['relationship']}, {person['role']}",
                    "phone": person["phone"],
                }
            )
        colleagues = [
            (u, role) for u, role in self.spec.team_staff if self.staff[u].pk != self.manager.pk
        ]
        if rng.random() < 0.5:
            username, role = rng.choice(colleagues)
            members.append({"staff": self.staff[username].pk, "role": role})
        if rng.random() < 0.3:
            role = self.spec.team_external[rng.choice((1, 3))]
            given, family = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
            members.append(
                {
                    "external_name": f"{given} {family}",
                    "role": role,
                    "organisation": rng.choice(names.ORGANISATIONS[role]),
                }
            )
        with self._at(day):
            for member in members:
                self._make(CareTeamMember, member, case=self.case)  # fmt: skip

    def _new_needs(self, count: int) -> list[GoalSpec]:
        picked: list[GoalSpec] = []
        for _ in range(count):
            spec = self.unused.pop(0) if self.unused else self.rng.choice(self.spec.goals)
            picked.append(spec)
        self.pending += picked
        return picked

    def _assess(self, day: WorkingDay, *, partial: bool = False) -> None:
        rng = self.rng
        if self.assessed:  # reassessment: what changed, and a new need
            domains = rng.sample(self.spec.required_domains, 2)
            new = [] if partial else self._new_needs(1)
        else:
            domains = list(self.spec.required_domains)
            if partial:
                domains = domains[: rng.randint(1, len(domains) - 2)]
            else:
                if self.client.interpreter_needed or self.client.cultural_considerations:
                    domains.append("cultural")
                if rng.random() < 0.3:
                    domains.append("transportation")
            new = [] if partial else self._new_needs(rng.randint(2, 3))
        need_domains = {s.domain for s in self.pending}
        first = ""
        with self._at(day):
            for domain in domains:
                finding, strengths, barriers = self._finding(domain, need_domains)
                first = first or finding
                if domain in NOT_APPLICABLE and domain not in need_domains and rng.random() < 0.1:
                    data = {
                        "status": "not_applicable",
                        "not_applicable_reason": NOT_APPLICABLE[domain],
                    }
                else:
                    prefix = "Reassessed: " if self.assessed else ""
                    data = {
                        "status": "addressed",
                        "finding": prefix + finding,
                        "strengths": strengths,
                        "barriers": barriers,
                    }
                self._make(AssessmentFinding, {"domain": domain, "assessed_on": day.day, **data},
                           case=self.case, assessed_by=self.user)  # fmt: skip
            for n, spec in enumerate(new):
                self._make(IdentifiedNeed, {"domain": spec.domain, "description": spec.problem,
                                            "priority": min(3, n + 1), "identified_on": day.day},
                           case=self.case)  # fmt: skip
        if not partial:
            words = (new or self.pending or list(self.spec.goals))[0].client_words
            self._note(
                day,
                notes.assessment(self.voice, rng, finding=first,
                                 domains=", ".join(ASSESSMENT_DOMAINS[d] for d in domains),
                                 words=words, strength=rng.choice(self.spec.findings[
                                     self.spec.required_domains[0]])[1]),
            )  # fmt: skip
            self.assessed = True

    def _finding(self, domain: str, need_domains: set[str]) -> tuple[str, str, str]:
        """A finding that fits the client: no "nothing found" where a need was identified."""
        client = self.client
        if domain == "cultural":
            text = client.cultural_considerations or "No particular cultural needs stated."
            if client.interpreter_needed:
                text = f"Prefers {client.preferred_language}; interpreter for every visit. {text}"
            return text, "Clear about what matters to them.", ""
        if domain not in self.spec.findings:
            return EXTRA_FINDINGS[domain], "", ""
        options = list(self.spec.findings[domain])
        if domain == "health_literacy":
            literacy = {True: options[2], False: options[0]}[client.interpreter_needed]
            return literacy if client.health_literacy == "limited" else options[1]
        fine = [o for o in options if o[2] == "None identified."]
        troubled = [o for o in options if o not in fine]
        pool = troubled if domain in need_domains or not fine else options
        return self.rng.choice(pool)

    def _stratify(self, day: WorkingDay) -> None:
        weights = self.spec.tier_weights
        computed = self.rng.choices(TIERS, weights=[weights[t] for t in TIERS])[0]
        if self.tier and computed == self.tier and self.tier != "complex":
            computed = TIERS[TIERS.index(self.tier) + 1]  # reassessed after a change: higher
        tier = computed
        if computed != "complex" and self.rng.random() < 0.15:
            tier = TIERS[TIERS.index(computed) + 1]
        with self._at(day) as moment:
            self._make(
                RiskTierAssignment,
                {"tier": tier, "computed_tier": computed,
                 "basis": self.spec.tier_bases[computed],
                 "override_reason": self.spec.override_reason if tier != computed else ""},
                case=self.case, assigned_at=moment, assigned_by=self.user,
            )  # fmt: skip
        self.tier = tier

    def _responsible(self, who: str) -> tuple[str, StaffMember | None]:
        if who == CM:
            return f"{self.manager.display_name} (case manager)", self.manager
        if who.startswith("staff:"):
            member = self.staff[who.removeprefix("staff:")]
            return f"{member.display_name} ({member.title})", member
        return who, None

    def _plan(self, day: WorkingDay, *, agree: bool = True) -> None:
        if not self.pending:
            self._new_needs(1)
        specs, self.pending = self.pending, []
        for n, spec in enumerate(specs):
            with self._at(day):
                goal = self._make(
                    Goal,
                    {"problem": spec.problem, "client_words": spec.client_words,
                     "measurable_target": spec.target, "term": spec.term,
                     "target_date": self._target_date(day.day, spec.weeks),
                     "priority": min(3, n + 1)},
                    case=self.case,
                )  # fmt: skip
                interventions = []
                for item in spec.interventions:
                    responsible, member = self._responsible(item.who)
                    interventions.append(self._make(
                        Intervention,
                        {"description": item.description, "responsible": responsible,
                         "responsible_staff": member.pk if member else None,
                         "frequency": item.frequency,
                         "start_due_on": day.day + dt.timedelta(days=item.delay_days)},
                        goal=goal,
                    ))  # fmt: skip
            self.plan.append(Planned(spec, goal, interventions))
        if not agree:
            return
        with self._at(day, 10, 25) as moment:
            self._make(
                PlanAgreement, {"agreed": True, "recorded_on": day.day}, case=self.case,
                recorded_at=moment, recorded_by=self.user,
            )  # fmt: skip
        self._note(
            day,
            notes.planning(self.voice, self.rng, goals=[s.client_words for s in specs],
                           first_step=specs[0].interventions[0].description),
        )  # fmt: skip

    def _start_due(self, day: WorkingDay) -> None:
        started: list[str] = []
        with self._at(day):
            for planned in self.plan:
                if planned.goal.status != Goal.Status.ACTIVE:
                    continue
                for n, item in enumerate(planned.interventions):
                    due = item.start_due_on
                    if item.started_on is None and due is not None and due <= day.day:
                        planned.interventions[n] = update_record(
                            item, {"started_on": due, "status": Intervention.Status.STARTED},
                            expected_version=item.version,
                        )  # fmt: skip
                        started.append(f"{item.description} ({item.responsible})")
        if started:
            self._note(day, notes.coordination(self.voice, self.rng, started=started))

    def _progress(self, day: WorkingDay, planned: Planned, level: int) -> None:
        direction = "improved" if level > planned.level else "no_change"
        planned.level = max(planned.level, level)
        with self._at(day) as moment:
            self._make(
                GoalProgress,
                {"recorded_on": day.day, "direction": direction,
                 "measurement": planned.spec.measures[planned.level][:120],
                 "note": "Measured with the client at the contact."},
                goal=planned.goal, recorded_at=moment,
            )  # fmt: skip

    def _active(self) -> list[Planned]:
        return [p for p in self.plan if p.goal.status == Goal.Status.ACTIVE]

    def _follow_up(self, day: WorkingDay, every: int) -> None:
        self._start_due(day)
        active = self._active()
        if not active:
            return
        planned = self.rng.choice(active)
        self._progress(day, planned, min(2, planned.level + self.rng.choice((0, 1, 1))))
        self._note(
            day,
            notes.follow_up(self.voice, self.rng, said=self.rng.choice(self.spec.follow_up_words),
                            measure=planned.spec.measures[planned.level],
                            goal=planned.spec.client_words, tier=self.tier or "default",
                            every=every),
        )  # fmt: skip

    def _progress_all(self, day: WorkingDay, *, towards_close: bool) -> None:
        for planned in self._active():
            reached = towards_close and self.rng.random() < 0.85
            self._progress(day, planned, 2 if reached else min(2, planned.level + 1))

    def _target_date(self, planned_on: dt.date, weeks: int) -> dt.date:
        """The goal's target date. In cases still open at the end, most targets were reviewed
        and moved on as the case went (a few are left overdue, as in any caseload)."""
        target = planned_on + dt.timedelta(weeks=weeks)
        still_open = not self._ends_closed()
        if still_open and target <= self.last_by and self.rng.random() < 0.85:
            target = self.last_by + dt.timedelta(days=self.rng.randint(10, 120))
        return target

    def _ends_closed(self) -> bool:
        phases = [s.to for s in self.scenario.steps]
        return C in phases and E in phases

    def _outcome(self, day: WorkingDay, planned: Planned) -> None:
        outcome, score = {2: ("met", self.rng.choice((0, 0, 1))), 1: ("partly_met", -1),
                          0: ("not_met", -2)}[planned.level]  # fmt: skip
        with self._at(day) as moment:
            self._make(
                GoalOutcome,
                {"evaluated_on": day.day, "outcome": outcome, "attainment_score": score,
                 "note": f"Last measure: {planned.spec.measures[planned.level]}."},
                goal=planned.goal, recorded_at=moment,
            )  # fmt: skip

    def _evaluate(self, day: WorkingDay, to: Phase) -> None:
        decision = {C: EvaluationDecision.CLOSE, M: EvaluationDecision.CONTINUE_MONITORING,
                    P: EvaluationDecision.REPLAN}[to]  # fmt: skip
        active = self._active()
        if decision is EvaluationDecision.CLOSE:
            for planned in active:
                if planned.level < 2 and self.rng.random() < 0.8:
                    self._progress(day, planned, 2)
        if decision is EvaluationDecision.CONTINUE_MONITORING and all(p.level == 2 for p in active):
            active[-1].level = 1  # something is left to work on
        for planned in active:
            self._outcome(day, planned)
        met = sum(p.level == 2 for p in active)
        summary = f"{met} of {len(active)} goals met"
        reason = {
            EvaluationDecision.CLOSE: "Goals met or as far as the client wants to take them; "
            "client and care team agree to close.",
            EvaluationDecision.CONTINUE_MONITORING: "Progress is real but not finished; keep "
            "monitoring at the current cadence.",
            EvaluationDecision.REPLAN: "Some goals met; the client has new priorities for a "
            "revised plan.",
        }[decision]
        with self._at(day) as moment:
            self._make(
                CaseEvaluation,
                {"decided_on": day.day, "decision": decision, "reason": reason,
                 "readmissions": 0 if self.rng.random() < 0.85 else 1,
                 "ed_visits": self.rng.choice((0, 0, 0, 1, 2)),
                 "client_satisfaction": self.rng.choice((3, 4, 4, 5, 5, 5)),
                 "summary": summary + "."},
                case=self.case, recorded_at=moment,
            )  # fmt: skip
        self._note(day, notes.evaluation(self.voice, self.rng, outcomes=summary, decision=reason))

    def _set_goal(self, day: WorkingDay, planned: Planned, status: str) -> None:
        with self._at(day):
            planned.goal = update_record(
                planned.goal, {"status": status}, expected_version=planned.goal.version
            )

    # Transitions of care -----------------------------------------------------------------

    def _place(self, setting: str) -> str:
        places: dict[str, str] = {
            Setting.INPATIENT_ACUTE: self.rng.choice(names.HOSPITALS),
            Setting.OBSERVATION: self.rng.choice(names.HOSPITALS),
            Setting.SNF: self.rng.choice(names.REHABS),
            Setting.CUSTODY: "the county juvenile detention center",
            Setting.INPATIENT_PSYCH: "the adolescent psychiatric unit at "
            + self.rng.choice(names.HOSPITALS),
            Setting.RESIDENTIAL_TREATMENT: "Crossroads Adolescent Residential Program",
        }
        return places.get(setting, "the previous setting")

    def _admit(self, day: WorkingDay) -> None:
        spec = self.transition_specs.pop(0)
        index = self.days.index(day.day)
        stay = self.rng.randint(*spec.stay_days)
        following = self.scenario.steps[index] if index < len(self.scenario.steps) else None
        discharge = self.days[index + 1] if following and following.to is PT else None
        if following is not None and following.closure == "deceased":
            discharge = self.days[index + 1] - dt.timedelta(days=self.rng.randint(1, 3))
        discharge = discharge or day.day + dt.timedelta(days=stay)
        admitted = day.day - dt.timedelta(days=self.rng.randint(0, 2))
        if spec.from_setting in (Setting.SNF, Setting.RESIDENTIAL_TREATMENT):
            admitted = discharge - dt.timedelta(days=stay + 10)
        place = self._place(spec.from_setting)
        receiving = self._place(spec.to_setting) if spec.to_setting == Setting.SNF else ""
        with self._at(day):
            self.transition = self._make(
                TransitionEvent,
                {"from_setting": spec.from_setting, "to_setting": spec.to_setting,
                 "admitted_on": min(admitted, day.day), "transition_on": discharge,
                 "receiving_provider": receiving or spec.receiving,
                 "receiving_contact": self.rng.choice(names.PCP_NAMES),
                 "notes": f"From {place}: {spec.why}."},
                case=self.case,
            )  # fmt: skip
            open_checklist(self.user, self.transition)
            HandoffItem.objects.filter(transition=self.transition).update(
                created_at=clock.now(), updated_at=clock.now()
            )
        self.transition_place = place
        self._note(
            day,
            notes.admission(self.voice, self.rng, place=place, why=spec.why,
                            admitted=min(admitted, day.day), discharge=discharge),
        )  # fmt: skip

    def _handoff(self, day: WorkingDay, *, complete: bool) -> None:
        assert self.transition is not None
        items = list(self.transition.checklist.order_by("id"))
        if not complete:
            items = items[: self.rng.randint(0, 2)]
        open_item = self.rng.choice(items) if complete and self.rng.random() < 0.15 else None
        with self._at(day):
            for item in items:
                changes: dict[str, Any] = (
                    {"open_reason": OPEN_HANDOFF_REASONS[item.item]}
                    if item is open_item
                    else {"completed": True, "completed_on": day.day}
                )
                update_record(item, changes, expected_version=item.version)

    def _post_transition_contacts(self, start: dt.date, end: dt.date) -> None:
        """TCM-style contacts after the discharge of ``start``, up to the day before ``end``."""
        assert self.transition is not None
        discharged = self.transition.transition_on
        first = add_business_days(discharged, self.rng.choice((1, 1, 2)))
        if first >= end:
            return
        wd = WorkingDay(first, self.rng)
        if self.rng.random() < 0.1:
            self._contact(
                wd,
                "interactive",
                missed="Two calls on each of the first two "
                "business days went to voicemail; reached the family on day 3.",
            )
            self._note(wd, notes.attempt(self.voice, self.rng, number=1))
            first = add_business_days(first, 1)
            if first >= end:
                return
            wd = WorkingDay(first, self.rng)
        else:
            self._contact(wd, "interactive", mode="phone")
        said = self.rng.choice(self.spec.follow_up_words)
        said = said[:1].upper() + said[1:] + "."
        self._note(wd, notes.post_discharge_call(self.voice, self.rng, discharged=discharged,
                                                 words=said))  # fmt: skip
        limit = 7 if self.tier in ("high", "complex") else 14
        last = min(discharged + dt.timedelta(days=limit), end - dt.timedelta(days=1))
        visit_days = spread(first, last + dt.timedelta(days=1), 1, self.rng)
        if not visit_days:
            return
        wd = WorkingDay(visit_days[0], self.rng)
        self._contact(wd, "face_to_face", mode="home visit")
        self._note(wd, notes.post_discharge_visit(self.voice, self.rng, discharged=discharged))
        if self.rng.random() < 0.5:
            self._contact(wd, "provider", mode="phone")

    def _contact(self, day: WorkingDay, kind: str, *, mode: str = "", missed: str = "") -> None:
        assert self.transition is not None
        data: dict[str, Any] = (
            {"status": "missed", "missed_reason": missed}
            if missed
            else {"status": "made", "occurred_on": day.day, "mode": mode,
                  "note": "Contact made within the TCM window."}
        )  # fmt: skip
        with self._at(day):
            self._make(PostTransitionContact, {"kind": kind, **data}, transition=self.transition)

    # Words -------------------------------------------------------------------------------

    def _why(self, to: Phase) -> str:
        return self.rng.choice(self.spec.reassess_reasons if to is A else self.spec.replan_reasons)

    def _close_note(self, day: WorkingDay, closure: str) -> None:
        if closure == "lost_to_contact":
            return  # the unsuccessful attempts are the record
        reached = closure not in ("deceased", "moved_away")
        self._note(day, notes.closing(self.voice, self.rng, text=self.spec.closures[closure],
                                      reached=reached))  # fmt: skip

    def _reason(self, here: Phase, step: Step) -> str:
        to = step.to
        if step.closure:
            return self.spec.closures[step.closure]
        if here is Phase.SCREENING:
            if to is C:
                screening = self.case.screenings.order_by("-id").first()
                return screening.reason if screening else "Referral not accepted."
            return "Accepted: meets the eligibility criteria; consent to case management signed."
        if to is T:
            assert self.transition is not None
            event = self.transition
            return (f"{self.transition_place[:1].upper()}{self.transition_place[1:]}: "
                    f"{event.notes.split(': ', 1)[-1].rstrip('.')}; move to "
                    f"{event.get_to_setting_display().lower()} planned for "
                    f"{event.transition_on:%b %d}. Transitional care begins.")  # fmt: skip
        if here is T:
            assert self.transition is not None
            return (
                f"Discharged to {self.transition.get_to_setting_display().lower()} on "
                f"{self.transition.transition_on:%b %d}; handoff checklist done."
            )
        if here is PT:
            return {M: "Post-discharge contacts made; back to routine follow-up.",
                    E: "Post-discharge contacts made; the episode is ending: evaluate.",
                    A: "Post-discharge home visit found new needs; reassessing."}[to]  # fmt: skip
        if here is C:
            return "Re-referred within the reopen window; reopening for reassessment."
        if (here, to) in ((M, A), (M, P)):
            return self._why(to)
        if here is E:
            return {C: "Goals met; client and care team agree to close.",
                    M: "Evaluation: keep monitoring, goals partly met.",
                    P: "Evaluation: re-plan with the client's new priorities."}[to]  # fmt: skip
        every = self.spec.follow_up_days.get(self.tier, 30)
        needs, goals = len(self.pending), len(self._active())
        goals_text = f"{goals} active {'goal' if goals == 1 else 'goals'}"
        return {
            A: "Assessment complete: every required domain addressed, "
            f"{needs} {'need' if needs == 1 else 'needs'} identified.",
            R: f"Tier {self.tier}: contact at least every {every} days.",
            P: f"The client agreed to the plan ({goals_text}).",
            I: "Every intervention due has started; monitoring at the tier cadence.",
            M: "Progress recorded on every goal; evaluating outcomes.",
        }[here]
