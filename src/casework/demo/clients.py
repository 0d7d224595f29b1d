"""Demo clients: drawn from the hand-written lists with a seeded generator, then registered
through ``clients.services.register_client`` like any other client."""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from dataclasses import dataclass
from typing import Any

from casework.clients.models import Client, HealthLiteracy, Sex, SupportPerson
from casework.clients.services import register_client
from casework.core.records import create_record
from casework.core.text import fold
from casework.demo import names
from casework.demo.names import ASL, ENGLISH, Origin
from casework.demo.notes import Voice
from casework.demo.programs import ProgramSpec

FAMILY_RELATIONSHIPS = {
    "spouse", "daughter", "son", "sister", "mother", "father", "grandmother", "aunt",
    "older sister", "niece",
}  # fmt: skip
MIDDLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # origin: (female, male)
    "vietnamese": (("Thị",), ("Văn",)),
    "hispanic": (("del Carmen", "Guadalupe", "Isabel"), ("José", "Antonio", "Manuel")),
    "anglo": (("Ann", "Marie", "Elizabeth", "Lee"), ("Ray", "Joseph", "Lee", "Allen")),
    "russian": (("Aleksandrovna", "Sergeyevna"), ("Sergeyevich", "Ivanovich")),
    "haitian": (("Marie",), ("Jean",)),
}
MBI_LETTERS = "".join(c for c in string.ascii_uppercase if c not in "SLOIBZ")


@dataclass
class ClientDraft:
    data: dict[str, Any]
    identifiers: list[dict[str, str]]
    support: list[dict[str, Any]]
    voice: Voice
    interpreter_language: str = ""


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _family(origin: Origin, rng: random.Random, female: bool) -> str:
    family = rng.choice(origin.family)
    if "|" in family:
        male_form, female_form = family.split("|")
        return female_form if female else male_form
    return family


def _ascii(name: str) -> str:
    """A name as it can appear in an email address ("Łukasz" -> "ukasz" is avoided)."""
    return re.sub(r"[^a-z0-9]", "", fold(name.replace("ł", "l").replace("Ł", "L")))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _mbi(rng: random.Random) -> str:
    """A Medicare beneficiary identifier in the CMS format (C A AN N A AN N A A N N)."""
    alnum = MBI_LETTERS + string.digits
    parts = [
        rng.choice("123456789"), rng.choice(MBI_LETTERS), rng.choice(alnum),
        rng.choice(string.digits), rng.choice(MBI_LETTERS), rng.choice(alnum),
        rng.choice(string.digits), rng.choice(MBI_LETTERS), rng.choice(MBI_LETTERS),
        rng.choice(string.digits), rng.choice(string.digits),
    ]  # fmt: skip
    return "".join(parts)


def _medicaid_id(rng: random.Random, state: str) -> str:
    if state == "NY":  # client identification number: 2 letters, 5 digits, 1 letter
        return (
            rng.choice(string.ascii_uppercase) + rng.choice(string.ascii_uppercase)
            + _digits(rng, 5) + rng.choice(string.ascii_uppercase)
        )  # fmt: skip
    return _digits(rng, 12 if state == "NJ" else 10)


MEDICAID_PLANS = {
    "NY": "Five Boroughs Medicaid Plan", "NJ": "Garden State Community Health Plan",
    "CT": "HUSKY Health", "PA": "Keystone Community Care",
}  # fmt: skip
CHIP_PLANS = {"NY": "Child Health Plus", "NJ": "NJ FamilyCare", "CT": "HUSKY B", "PA": "PA CHIP"}


def _coverage(
    rng: random.Random, kind: str, age: int, state: str
) -> tuple[str, str, str, list[dict[str, str]]]:
    """(payer, coverage type, member id, identifiers) for a client."""
    ids: list[dict[str, str]] = []
    if age >= 65:
        mbi = _mbi(rng)
        ids.append({"system": "medicare", "value": mbi, "assigner": "CMS"})
        roll = rng.random()
        if roll < 0.4:
            return "Medicare Part A & B", "Medicare", mbi, ids
        if roll < 0.75:
            return (
                "Hudson Valley Senior Advantage (HMO)",
                "Medicare Advantage",
                _digits(rng, 9),
                ids,
            )
        medicaid = _medicaid_id(rng, state)
        ids.append({"system": "medicaid", "value": medicaid, "assigner": f"{state} Medicaid"})
        return "Empire Dual Advantage (D-SNP)", "Dual eligible", _digits(rng, 9), ids
    roll = rng.random()
    if kind == "juvenile":
        if roll < 0.6:
            medicaid = _medicaid_id(rng, state)
            ids.append({"system": "medicaid", "value": medicaid, "assigner": f"{state} Medicaid"})
            return CHIP_PLANS[state], "CHIP / Medicaid", medicaid, ids
        return "Keystone Employer PPO (parent's plan)", "Commercial", _digits(rng, 10), ids
    if roll < 0.45:
        medicaid = _medicaid_id(rng, state)
        ids.append({"system": "medicaid", "value": medicaid, "assigner": f"{state} Medicaid"})
        return MEDICAID_PLANS[state], "Medicaid managed care", medicaid, ids
    if roll < 0.88:
        return "Keystone Employer PPO", "Commercial", "KEP" + _digits(rng, 8), ids
    return "", "Uninsured (hospital charity care)", "", ids


def _same_family(origin: Origin, family: str, female: bool) -> str:
    """The client's family name in the form for a relative of the given sex."""
    for name in origin.family:
        if "|" in name and family in name.split("|"):
            male_form, female_form = name.split("|")
            return female_form if female else male_form
    return family


def _person_name(rng: random.Random, origin: Origin, female: bool) -> tuple[str, str]:
    given = rng.choice(origin.female if female else origin.male)
    return given, _family(origin, rng, female)


def draft_client(
    rng: random.Random,
    spec: ProgramSpec,
    *,
    referred_on: dt.date,
    taken: set[str],
    ages: tuple[int, int] | None = None,
) -> ClientDraft:
    """A new client for ``spec``'s program, of the right age on ``referred_on``."""
    origin = rng.choices(names.ORIGINS, weights=[o.weight for o in names.ORIGINS])[0]
    female = rng.random() < (0.58 if spec.kind == "senior" else 0.5)
    while True:
        given, family = _person_name(rng, origin, female)
        if fold(f"{given} {family}") not in taken:
            taken.add(fold(f"{given} {family}"))
            break
        origin = rng.choices(names.ORIGINS, weights=[o.weight for o in names.ORIGINS])[0]
    middle = ""
    if origin.key in MIDDLES and rng.random() < 0.35:
        middle = rng.choice(MIDDLES[origin.key][0 if female else 1])
    age = rng.randint(*(ages or spec.ages))
    birth = referred_on - dt.timedelta(days=age * 365 + age // 4 + rng.randint(30, 330))
    city, state, zip_prefix, area = rng.choice(names.PLACES)
    phone = f"({area}) 555-01{rng.randint(0, 99):02d}"

    language = _pick(rng, origin.languages)
    cultural = [rng.choice(origin.cultural)] if rng.random() < 0.7 else []
    if spec.kind == "juvenile" and language != ENGLISH and rng.random() < 0.7:
        cultural.append(f"Guardian prefers {language}; book an interpreter for family meetings.")
        language = ENGLISH
    if rng.random() < 0.03:
        language = ASL
        cultural.append("Deaf; uses ASL. Book an in-person ASL interpreter or VRI for visits.")
    interpreter = language != ENGLISH
    literacy_limited = 0.4 if interpreter else (0.3 if spec.kind == "senior" else 0.15)
    roll = rng.random()
    literacy = (
        HealthLiteracy.LIMITED
        if roll < literacy_limited
        else HealthLiteracy.UNKNOWN
        if roll < literacy_limited + 0.1
        else HealthLiteracy.ADEQUATE
    )
    payer, coverage, member_id, identifiers = _coverage(rng, spec.kind, age, state)
    if spec.kind in ("hospital", "senior") and rng.random() < 0.8:
        identifiers.append(
            {"system": "mrn", "value": _digits(rng, 8), "assigner": rng.choice(names.HOSPITALS)}
        )
    if spec.kind == "juvenile":
        identifiers.append(
            {"system": "school", "value": _digits(rng, 9), "assigner": rng.choice(names.SCHOOLS)}
        )
    pronouns, gender = ("she/her", "") if female else ("he/him", "")
    if spec.kind == "juvenile" and rng.random() < 0.06:
        pronouns, gender = "they/them", "non-binary"
    sex = Sex.FEMALE if female else Sex.MALE

    data: dict[str, Any] = {
        "given_name": given,
        "middle_name": middle,
        "family_name": family,
        "preferred_name": names.NICKNAMES.get(given, "") if rng.random() < 0.5 else "",
        "birth_date": birth,
        "sex_at_birth": sex,
        "gender_identity": gender,
        "pronouns": pronouns if rng.random() < 0.7 or gender else "",
        "address_line": f"{rng.randint(3, 2400)} {rng.choice(names.STREETS)} "
        f"{rng.choice(names.UNITS)}".strip(),
        "city": city,
        "state": state,
        "postal_code": f"{zip_prefix}{rng.randint(1, 99):02d}",
        "phone": phone,
        "email": f"{_ascii(given)}.{_ascii(family)}@example.com" if rng.random() < 0.3 else "",
        "preferred_language": language,
        "interpreter_needed": interpreter,
        "cultural_considerations": " ".join(cultural),
        "health_literacy": literacy,
        "preferences": rng.choice(names.PREFERENCES[spec.kind]),
        "values": rng.choice(names.VALUES[spec.kind]),
        "aspirations": rng.choice(names.ASPIRATIONS[spec.kind]),
        "payer": payer,
        "coverage_type": coverage,
        "member_id": member_id,
    }
    support = _support_people(rng, spec, origin, family)
    first_support = support[0] if support and support[0]["consent_to_share"] else None
    voice = Voice(
        name=data["preferred_name"] or given,
        interpreter=(
            f"{language} interpreter ({'in person' if language == ASL else 'phone'}, "
            f"ID {rng.randint(10000, 99999)})"
            if interpreter
            else ""
        ),
        support=f"{first_support['relationship']} {first_support['name']}" if first_support
        else "",
        phone=phone,
        language=language,
    )  # fmt: skip
    return ClientDraft(data, identifiers, support, voice, language if interpreter else "")


def _support_people(
    rng: random.Random, spec: ProgramSpec, origin: Origin, family: str
) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    roles = list(names.SUPPORT_ROLES[spec.kind])
    rng.shuffle(roles)
    count = 1 if spec.kind == "hospital" and rng.random() < 0.3 else 2
    if spec.kind == "juvenile":
        guardian = next(r for r in roles if r[1] == "legal guardian")
        roles.remove(guardian)
        roles.insert(0, guardian)
    for relationship, role, consent in roles[:count]:
        female = relationship in {"daughter", "sister", "mother", "grandmother", "aunt",
                                  "older sister", "niece"} or rng.random() < 0.5  # fmt: skip
        related = relationship in FAMILY_RELATIONSHIPS and rng.random() < 0.8
        source = origin if related or rng.random() < 0.6 else rng.choice(names.ORIGINS)
        given, other_family = _person_name(rng, source, female)
        people.append(
            {
                "name": f"{given} "
                + (_same_family(origin, family, female) if related else other_family),
                "relationship": relationship,
                "role": role,
                "phone": f"({rng.choice(names.PLACES)[3]}) 555-01{rng.randint(0, 99):02d}",
                "consent_to_share": consent,
            }
        )
    return people


def register(draft: ClientDraft, actor: Any) -> Client:
    """Register the drafted client (names are unique in the demo, so no duplicate check)."""
    client = register_client(
        actor=actor, data=draft.data, identifiers=draft.identifiers, confirmed_new_person=True
    )
    for person in draft.support:
        create_record(SupportPerson, person, client=client)
    return client
