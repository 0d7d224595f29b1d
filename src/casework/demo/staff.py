"""The demo agency's people: case managers of every discipline, their supervisor, an admin.

Licences and certifications are dated relative to "today" so the demo always shows some that
expire soon and one that has expired. Accounts are made with ``staff.services.create_user``;
the demo password is then set directly because the password validators (rightly) refuse a
short shared password such as "demo".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from casework.core.records import create_record
from casework.staff.models import Certification, Discipline, Licence, StaffMember
from casework.staff.services import create_user

EMAIL_DOMAIN = "casework-demo.example"

CASE_MANAGER = "casemanager"
SUPERVISOR = "supervisor"
ADMIN = "admin"


@dataclass(frozen=True)
class LicenceSpec:
    kind: str  # RN, LCSW, LMSW, LPC, LADC, attorney ...
    state: str
    expires_in_days: int  # negative: already expired
    independent: bool = False
    compact: bool = False


@dataclass(frozen=True)
class CertificationSpec:
    kind: str
    expires_in_days: int
    other_name: str = ""


# Renewal cycles (clinical-rules.md section 10): CCM 5 years, ACM 4 years, NASW 2 years.
CYCLE_YEARS = {"CCM": 5, "ACM-RN": 4, "ACM-SW": 4, "C-SWCM": 2, "C-ASWCM": 2, "other": 3}


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    discipline: str
    title: str
    languages: tuple[str, ...]
    licences: tuple[LicenceSpec, ...] = ()
    certifications: tuple[CertificationSpec, ...] = ()
    sign_in: str = ""  # how the demo sign-in table describes the user
    roles: tuple[str, ...] = ("case_manager",)


ROSTER: tuple[StaffSpec, ...] = (
    StaffSpec(
        CASE_MANAGER, "Grace", "Okafor", Discipline.NURSE, "RN Case Manager",
        ("English", "Igbo"),
        (LicenceSpec("RN", "NJ", 420, True, True), LicenceSpec("RN", "NY", 38, True)),
        (CertificationSpec("ACM-RN", 380), CertificationSpec("CCM", 1100)),
        "nurse case manager with a caseload of her own",
    ),
    StaffSpec(
        SUPERVISOR, "Patricia", "Moreno-Díaz", Discipline.SOCIAL_WORK,
        "Director of Care Management", ("English", "Spanish"),
        (LicenceSpec("LCSW", "NY", 610, True), LicenceSpec("LCSW", "NJ", 200, True)),
        (CertificationSpec("CCM", 900), CertificationSpec("C-ASWCM", 300)),
        "supervisor of every case manager", roles=("supervisor",),
    ),
    StaffSpec(
        "mlopez", "Marisol", "López", Discipline.SOCIAL_WORK, "Social Work Case Manager",
        ("Spanish", "English"), (LicenceSpec("LMSW", "NY", 300),),
        (CertificationSpec("C-ASWCM", 52),), "social work case manager (Spanish)",
    ),
    StaffSpec(
        "tnguyen", "Thu", "Nguyễn", Discipline.NURSE, "RN Transitional Care Coordinator",
        ("English", "Vietnamese"),
        (LicenceSpec("RN", "NJ", 700, True, True), LicenceSpec("RN", "PA", 150, True, True)),
        (CertificationSpec("CCM", 1500),), "transitional care nurse (Vietnamese)",
    ),
    StaffSpec(
        "fjeanbaptiste", "Fabienne", "Jean-Baptiste", Discipline.NURSE, "RN Case Manager",
        ("English", "Haitian Creole", "French"), (LicenceSpec("RN", "NY", 21, True),),
        (CertificationSpec("ACM-RN", 800),), "nurse case manager (licence expiring soon)",
    ),
    StaffSpec(
        "rpatel", "Ravi", "Patel", Discipline.MEDICAL, "Physician Advisor, Care Transitions",
        ("English", "Gujarati", "Hindi"),
        (LicenceSpec("MD", "NY", 500, True), LicenceSpec("MD", "NJ", 260, True)),
        (), "physician advisor",
    ),
    StaffSpec(
        "jkowalski", "Joanna", "Kowalski", Discipline.MENTAL_HEALTH,
        "Behavioral Health Case Manager", ("English", "Polish"),
        (LicenceSpec("LPC", "PA", 180, True), LicenceSpec("LMHC", "NY", 520, True)),
        (CertificationSpec("CCM", 640),), "behavioural health case manager",
    ),
    StaffSpec(
        "aibrahim", "Amina", "Ibrahim", Discipline.CLINICAL, "Clinical Case Manager",
        ("English", "Somali", "Arabic"), (LicenceSpec("LMFT", "NJ", 330, True),),
        (CertificationSpec("CCM", 75),), "clinical case manager (Somali, Arabic)",
    ),
    StaffSpec(
        "dwashington", "Darnell", "Washington", Discipline.SUBSTANCE_USE,
        "Substance Use Case Manager", ("English",),
        (LicenceSpec("LADC", "CT", -12, True), LicenceSpec("LCADC", "NJ", 300, True)),
        (CertificationSpec("C-SWCM", 400),), "substance use case manager (a licence expired)",
    ),
    StaffSpec(
        "sgoldberg", "Sarah", "Goldberg", Discipline.LEGAL, "Legal Advocate",
        ("English", "Hebrew"),
        (LicenceSpec("JD (NY bar)", "NY", 250, True), LicenceSpec("JD (NJ bar)", "NJ", 90, True)),
        (), "legal advocate, juvenile diversion",
    ),
    StaffSpec(
        "kjohnson", "Keisha", "Johnson", Discipline.JUVENILE, "Juvenile Justice Case Manager",
        ("English",), (LicenceSpec("LMSW", "NY", 60),), (CertificationSpec("C-SWCM", 500),),
        "juvenile justice case manager",
    ),
    StaffSpec(
        "lherrera", "Luis", "Herrera", Discipline.JUVENILE, "Youth Diversion Case Manager",
        ("English", "Spanish"), (LicenceSpec("LSW", "PA", 400),),
        (CertificationSpec("C-SWCM", 600),), "youth diversion case manager (Spanish)",
    ),
    StaffSpec(
        "ytanaka", "Yuki", "Tanaka", Discipline.GERIATRIC, "Geriatric Care Manager",
        ("English", "Japanese"), (LicenceSpec("RN", "NY", 800, True),),
        (CertificationSpec("CCM", 1300), CertificationSpec("ACM-RN", 30)),
        "geriatric care manager",
    ),
    StaffSpec(
        "dvolkov", "Dmitri", "Volkov", Discipline.SOCIAL_WORK, "Senior Services Social Worker",
        ("English", "Russian", "Ukrainian"), (LicenceSpec("LSW", "NJ", 450),),
        (CertificationSpec("C-ASWCM", 500),), "senior services social worker (Russian)",
    ),
    StaffSpec(
        "wzhang", "Wei", "Zhang", Discipline.OTHER, "Community Health Worker",
        ("English", "Chinese (Mandarin)", "Chinese (Cantonese)"), (),
        (CertificationSpec("other", 410, "Certified Community Health Worker (NY)"),),
        "community health worker (Chinese)",
    ),
)  # fmt: skip

ADMIN_NAME = ("Alex", "Rivera")


def _account(spec: StaffSpec, password: str, joined: dt.datetime) -> Any:
    user = create_user(
        username=spec.username,
        password=None,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=f"{spec.username}@{EMAIL_DOMAIN}",
        roles=spec.roles,
    )
    user.set_password(password)
    user.date_joined = joined
    user.save(update_fields=["password", "date_joined"])
    return user


def _number(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = str(rng.randint(100000, 999999))
        if number not in taken:
            taken.add(number)
            return number


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def create_staff(
    *, password: str, today: dt.date, joined: dt.datetime, rng: random.Random
) -> dict[str, StaffMember]:
    """Every staff member of the roster, by username; the supervisor supervises all others."""
    staff: dict[str, StaffMember] = {}
    numbers: set[str] = set()
    supervisor_first = sorted(ROSTER, key=lambda s: s.username != SUPERVISOR)
    for spec in supervisor_first:
        member = create_record(
            StaffMember,
            {"discipline": spec.discipline, "title": spec.title,
             "languages": list(spec.languages)},
            user=_account(spec, password, joined),
            supervisor=staff.get(SUPERVISOR),
        )  # fmt: skip
        for lic in spec.licences:
            create_record(
                Licence,
                {
                    "licence_type": lic.kind,
                    "issuing_state": lic.state,
                    "number": _number(rng, numbers),
                    "expires_on": today + dt.timedelta(days=lic.expires_in_days),
                    "independent_practice": lic.independent,
                    "compact_privilege": lic.compact,
                },
                staff=member,
            )
        for cert in spec.certifications:
            expires = today + dt.timedelta(days=cert.expires_in_days)
            create_record(
                Certification,
                {
                    "kind": cert.kind,
                    "other_name": cert.other_name,
                    "number": _number(rng, numbers),
                    "issued_on": _years_before(expires, CYCLE_YEARS[cert.kind]),
                    "expires_on": expires,
                },
                staff=member,
            )
        staff[spec.username] = member
    return staff


def create_admin(*, password: str, joined: dt.datetime) -> Any:
    """A superuser with no staff record: administrators get no clinical access."""
    user = create_user(
        username=ADMIN,
        password=None,
        first_name=ADMIN_NAME[0],
        last_name=ADMIN_NAME[1],
        email=f"{ADMIN}@{EMAIL_DOMAIN}",
        is_superuser=True,
    )
    user.set_password(password)
    user.date_joined = joined
    user.save(update_fields=["password", "date_joined"])
    return user


# People of the other roles, who carry no caseload: (username, first, last, role, staff
# discipline or None for an account without a staff record, how the sign-in table says it).
OTHER_ROLES: tuple[tuple[str, str, str, str, str | None, str], ...] = (
    ("programmanager", "Samuel", "Adeyemi", "program_manager", Discipline.SOCIAL_WORK,
     "program manager of every program"),
    ("intake", "Nadia", "Haddad", "intake_worker", Discipline.OTHER,
     "intake worker (takes referrals and screens them)"),
    ("auditor", "Olivia", "Brandt", "auditor", None,
     "privacy auditor (reads the audit trail, no access to clients)"),
)  # fmt: skip


def create_role_accounts(
    *, password: str, joined: dt.datetime, programs: list[Any]
) -> list[StaffMember]:
    """The program manager (managing every program), the intake worker and the auditor."""
    staff: list[StaffMember] = []
    for username, first, last, role, discipline, _ in OTHER_ROLES:
        spec = StaffSpec(username, first, last, discipline or "", "", (), roles=(role,))
        user = _account(spec, password, joined)
        if discipline is None:
            continue
        title = {"program_manager": "Program Manager", "intake_worker": "Intake Coordinator"}
        member = create_record(
            StaffMember,
            {"discipline": discipline, "title": title[role], "languages": ["English"]},
            user=user,
        )
        if role == "program_manager":
            member.managed_programs.set(programs)
        staff.append(member)
    return staff


def sign_ins() -> list[tuple[str, str]]:
    rows = [(s.username, f"{s.first_name} {s.last_name}, {s.sign_in}") for s in ROSTER[:2]]
    rows.append((ADMIN, f"{' '.join(ADMIN_NAME)}, administrator (no access to clients)"))
    rows += [(u, f"{first} {last}, {said}") for u, first, last, _, _, said in OTHER_ROLES]
    rows += [(s.username, f"{s.first_name} {s.last_name}, {s.sign_in}") for s in ROSTER[2:]]
    return rows
