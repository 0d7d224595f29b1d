"""Build the demo agency: staff, programs, clients and cases in every phase of the process.

Deterministic for a given ``seed`` and ``today``: names, dates and paths all come from one
seeded ``random.Random``, never from Faker or the wall clock.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from casework.cases.models import Case, ContactNote, PhaseChange, Program
from casework.cases.phases import Phase
from casework.clients.models import Client
from casework.core import clock
from casework.core.records import create_record
from casework.demo.clients import draft_client, register
from casework.demo.clinical import add_clinical_details
from casework.demo.programs import PROGRAMS, ProgramSpec
from casework.demo.scenarios import EARLIER, Scenario, deal
from casework.demo.staff import (
    ADMIN,
    CASE_MANAGER,
    OTHER_ROLES,
    ROSTER,
    create_admin,
    create_role_accounts,
    create_staff,
    sign_ins,
)
from casework.demo.story import CaseStory, Outline, outline
from casework.demo.timeline import aware, business_day_on_or_before
from casework.staff.models import Certification, Licence, StaffMember

RETURNING_SHARE = 0.09  # clients who had an earlier, completed case in the same program
AGENCY_FOUNDED_DAYS_AGO = 3 * 365


@dataclass
class DemoSummary:
    staff: int
    programs: int
    clients: int
    cases: int
    cases_by_phase: dict[str, int]
    contact_notes: int
    seconds: float
    sign_ins: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        phases = ", ".join(f"{Phase(p).label.lower()} {n}" for p, n in self.cases_by_phase.items())
        return (
            f"Demo agency loaded in {self.seconds:.1f} s: {self.staff} staff, {self.programs} "
            f"programs, {self.clients} clients, {self.cases} cases ({phases}), "
            f"{self.contact_notes} contact notes."
        )


def build_demo(
    *, password: str = "demo", seed: int = 7, today: dt.date | None = None
) -> DemoSummary:
    """Load the demo agency into an empty database, in one transaction.

    Refuses (RuntimeError) when the demo is already loaded or its names are taken.
    """
    started = time.perf_counter()
    with transaction.atomic():
        _refuse_if_taken()
        today = today or clock.today()
        rng = random.Random(seed)
        founded = aware(today - dt.timedelta(days=AGENCY_FOUNDED_DAYS_AGO))
        with clock.frozen_at(founded):
            staff = create_staff(password=password, today=today, joined=founded, rng=rng)
            create_admin(password=password, joined=founded)
            programs = {spec.name: _program(spec) for spec in PROGRAMS}
            create_role_accounts(
                password=password, joined=founded, programs=list(programs.values())
            )
            for model in (StaffMember, Licence, Certification):
                model.objects.update(created_at=founded, updated_at=founded)
        last_by = business_day_on_or_before(today - dt.timedelta(days=1))
        taken: set[str] = set()
        for spec in PROGRAMS:
            _program_cases(spec, programs[spec.name], staff, rng, last_by, taken)
        add_clinical_details(rng=random.Random(seed + 1), today=today)
        _referrals_taken_in_by_intake()
        return _summary(started)


def _referrals_taken_in_by_intake() -> None:
    """The referrals still being screened were taken in by the intake worker, so that signing
    in as ``intake`` shows them (an intake worker sees a referral only while it is screened)."""
    from casework.cases.selectors import with_phase_and_tier

    intake = get_user_model().objects.get(username=OTHER_ROLES[1][0])
    cases = with_phase_and_tier(Case.objects.all())
    screening = cases.filter(phase="screening")  # type: ignore[misc]  # a query annotation
    ids = list(screening.values_list("pk", flat=True))
    Case.objects.filter(pk__in=ids).update(created_by=intake)
    Client.objects.filter(cases__in=ids).update(created_by=intake)


def demo_loaded() -> bool:
    """Whether the demo agency is in the database (its case manager's account exists)."""
    return get_user_model().objects.filter(username=CASE_MANAGER).exists()


def _refuse_if_taken() -> None:
    users = get_user_model().objects
    if demo_loaded():
        raise RuntimeError(
            f"the demo agency is already loaded (a user named '{CASE_MANAGER}' exists)"
        )
    wanted = [s.username for s in ROSTER] + [ADMIN] + [r[0] for r in OTHER_ROLES]
    taken = sorted(users.filter(username__in=wanted).values_list("username", flat=True))
    programs = sorted(
        Program.objects.filter(name__in=[s.name for s in PROGRAMS]).values_list("name", flat=True)
    )
    if taken or programs:
        raise RuntimeError(
            "the demo agency needs an empty database; already present: "
            + ", ".join([f"user '{u}'" for u in taken] + [f"program '{p}'" for p in programs])
        )


def _program(spec: ProgramSpec) -> Program:
    program = create_record(
        Program,
        {
            "name": spec.name,
            "case_type": spec.case_type,
            "description": spec.description,
            "eligibility_criteria": spec.eligibility,
            "required_domains": list(spec.required_domains),
            "required_instruments": [],  # instruments arrive later
            "follow_up_days": dict(spec.follow_up_days),
            "reopen_window_days": spec.reopen_window_days,
            "lost_to_contact_attempts": spec.lost_to_contact_attempts,
        },
    )
    return program


def _program_cases(
    spec: ProgramSpec,
    program: Program,
    staff: dict[str, StaffMember],
    rng: random.Random,
    last_by: dt.date,
    taken: set[str],
) -> None:
    managers = [username for username, count in spec.managers for _ in range(count)]
    rng.shuffle(managers)
    for scenario, username in zip(deal(spec, len(managers), rng), managers, strict=True):
        case_rng = random.Random(rng.getrandbits(64))
        stories: list[tuple[Scenario, Outline, dt.date]] = [
            (scenario, outline(scenario, spec, case_rng, last_by=last_by), last_by)
        ]
        returning = bool(scenario.steps) and case_rng.random() < RETURNING_SHARE
        if returning:
            gap = spec.reopen_window_days + case_rng.randint(20, 150)
            ended = stories[0][1].days[0] - dt.timedelta(days=gap)
            stories.insert(0, (EARLIER, outline(EARLIER, spec, case_rng, last_by=ended), ended))
        first_day = stories[0][1].days[0]
        # A returning youth must still be a juvenile at the second referral.
        youth = returning and spec.kind == "juvenile"
        ages = (spec.ages[0], spec.ages[1] - 2) if youth else None
        draft = draft_client(case_rng, spec, referred_on=first_day, taken=taken, ages=ages)
        manager = staff[username]
        with clock.frozen_at(aware(first_day, dt.time(8, 15))):
            client = register(draft, manager.user)
        for story_scenario, plan, ends in stories:
            CaseStory(
                rng=case_rng,
                spec=spec,
                program=program,
                client=client,
                voice=draft.voice,
                support=draft.support,
                manager=manager,
                staff=staff,
                scenario=story_scenario,
                plan=plan,
                last_by=ends,
            ).tell()


def _summary(started: float) -> DemoSummary:
    latest = dict(PhaseChange.objects.order_by("case_id", "seq").values_list("case_id", "to_phase"))
    phases = Counter(latest.values())
    return DemoSummary(
        staff=StaffMember.objects.count(),
        programs=Program.objects.count(),
        clients=Client.objects.count(),
        cases=Case.objects.count(),
        cases_by_phase={p.value: phases.get(p.value, 0) for p in Phase},
        contact_notes=ContactNote.objects.count(),
        seconds=time.perf_counter() - started,
        sign_ins=sign_ins(),
    )
