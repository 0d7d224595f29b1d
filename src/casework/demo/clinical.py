"""Clinical detail for the demo: diagnoses, hospital stays, screens, and sensitive records.

Added after the cases are told, so that risk scores, instruments, labels, consents and
emergency access all have something real to show. Deterministic like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from casework.cases.models import Case, ContactNote
from casework.clients.models import Condition, Encounter
from casework.core import clock
from casework.demo.timeline import aware
from casework.instruments import services as instruments
from casework.privacy.models import Consent
from casework.staff.models import StaffMember

# (ICD-10-CM code, description, share of clients) per program kind.
CONDITIONS: dict[str, list[tuple[str, str, float]]] = {
    "Hospital transitions": [
        ("I50.22", "Chronic systolic heart failure", 0.45),
        ("J44.1", "COPD with acute exacerbation", 0.35),
        ("E11.65", "Type 2 diabetes with hyperglycaemia", 0.40),
        ("N18.30", "Chronic kidney disease, stage 3", 0.25),
        ("I10", "Essential hypertension", 0.70),
        ("F32.1", "Major depressive disorder, moderate", 0.15),
    ],
    "Senior services": [
        ("F03.90", "Dementia, unspecified", 0.20),
        ("I10", "Essential hypertension", 0.75),
        ("E11.9", "Type 2 diabetes without complications", 0.30),
        ("M81.0", "Age-related osteoporosis", 0.35),
        ("I63.9", "Cerebral infarction", 0.10),
        ("H35.30", "Macular degeneration", 0.15),
    ],
    "Juvenile diversion": [
        ("F90.2", "ADHD, combined type", 0.30),
        ("F12.10", "Cannabis abuse, uncomplicated", 0.25),
        ("J45.909", "Asthma, uncomplicated", 0.15),
    ],
}
# Designated for emergency access: the on-call nurse and the behavioural health lead.
BREAK_GLASS_STAFF = ("casemanager", "jkowalski")
PHQ9_SHARE = 0.35


def _diagnoses(rng: random.Random, case: Case) -> None:
    for code, description, share in CONDITIONS.get(case.program.name, []):
        if rng.random() < share:
            onset = case.referred_on - dt.timedelta(days=rng.randint(90, 3000))
            Condition.objects.create(
                client=case.client, icd10_code=code, description=description, onset_date=onset
            )


def _hospital_stay(rng: random.Random, case: Case) -> None:
    discharged = case.referred_on - dt.timedelta(days=rng.randint(0, 2))
    admitted = discharged - dt.timedelta(days=rng.choice([1, 2, 3, 4, 5, 6, 8, 12, 15]))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])):
        visit = admitted - dt.timedelta(days=rng.randint(5, 170))
        Encounter.objects.create(client=case.client, kind="ed", started_on=visit)
    Encounter.objects.create(
        client=case.client,
        kind="inpatient",
        facility="Bayside General Hospital",
        started_on=admitted,
        discharged_on=discharged,
        acute=rng.random() < 0.8,
    )


def _phq9(rng: random.Random, case: Case, given_on: dt.date) -> None:
    weights = [5, 3, 2, 1]
    answers = {f"q{n}": rng.choices(range(4), weights)[0] for n in range(1, 10)}
    answers["q9"] = 0 if rng.random() < 0.93 else 1
    user = case.primary_case_manager.user
    with clock.frozen_at(aware(given_on, dt.time(10, 30))):
        instruments.administer(
            actor=user, case=case, instrument_key="phq9", answers=answers, administered_on=given_on
        )


def _sensitive_records(case: Case, today: dt.date) -> None:
    """A Part 2 counselling note and a consent to share it, for a juvenile diversion case."""
    author = case.primary_case_manager.user
    with clock.frozen_at(aware(case.opened_on + dt.timedelta(days=3), dt.time(14, 0))):
        ContactNote.objects.create(
            case=case,
            occurred_at=clock.now(),
            mode="in_person",
            participants="client",
            duration_minutes=45,
            format="dap",
            data="Discussed cannabis use and triggers at school.",
            assessment="Motivated to cut down; ambivalent about stopping.",
            plan="Continue weekly counselling; review in two weeks.",
            sensitivity="sud_counseling_note",
            author=author,
        )
        Consent.objects.create(
            client=case.client,
            recipient_name="Eastside Youth Counselling",
            recipient_kind="organisation",
            purposes=["treatment", "care_coordination"],
            categories=["general", "part2_sud"],
            information_description="Attendance and treatment progress",
            effective_on=clock.today(),
            expires_on=today + dt.timedelta(days=180),
            signed_by=case.client.full_name,
            signer="self",
            signed_on=clock.today(),
            right_to_revoke_explained=True,
            recorded_by=author,
        )


def add_clinical_details(*, rng: random.Random, today: dt.date) -> None:
    StaffMember.objects.filter(user__username__in=BREAK_GLASS_STAFF).update(may_break_glass=True)
    juvenile_done = 0
    for case in Case.objects.select_related("program", "client", "primary_case_manager__user"):
        first_case = not Case.objects.filter(client=case.client, pk__lt=case.pk).exists()
        if first_case:
            _diagnoses(rng, case)
        if case.program.name == "Hospital transitions" and case.referral_source == "hospital":
            _hospital_stay(rng, case)
        assessed = case.phase_changes.filter(to_phase="assessment").order_by("seq").first()
        screened = assessed and case.program.name != "Juvenile diversion"
        if screened and case.closed_on is None and rng.random() < PHQ9_SHARE:
            assert assessed is not None
            _phq9(rng, case, timezone.localtime(assessed.at).date())
        if (
            case.program.name == "Juvenile diversion"
            and case.closed_on is None
            and (juvenile_done < 3 and assessed is not None)
        ):
            _sensitive_records(case, today)
            juvenile_done += 1
