"""AUTHZ-03: answers carry only the fields the OpenAPI document declares; a write refuses any
field outside its action (an unknown key, or one the server owns: id, version, owner, program,
labels, who and when), with a 422 naming it, and changes nothing.

Both halves are generated from the inventory (the OpenAPI document of ``casework.api``): every
GET operation is read as each role and its JSON compared, object by object, with the declared
schema; every POST, PUT and PATCH is sent a valid body plus one key more. The keys the server
owns are, for each operation, the generic ones above and every field its answer shows that its
request does not take (what an action answers but may not be told, e.g. a consent's recipient
on ``/consents/{id}/revoke``).

No schema carries a field shown only to holders of a label: a labelled record is left out whole
(``test_sentinels``), never trimmed, so "the fields a role may read" is the declared set for
every role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model

from casework import rules
from casework.accounts.permissions import has_permission, matrix
from casework.api import api as ninja_api
from casework.audit.models import AuditEvent
from casework.core import clock
from casework.instruments.models import CaseAlert
from casework.transitions.models import HandoffItem
from tests.api.test_privacy import consent_body
from tests.conftest import api_for
from tests.security import test_access_matrix, test_sentinels
from tests.security.test_access_matrix import API, ROLES, _concrete
from tests.security.test_sentinels import Seed

# The fixtures this module's tests build on.
agency = test_access_matrix.agency
seed = test_sentinels.seed
_quick_passwords = test_sentinels._quick_passwords

WRITES = ("post", "put", "patch")
RANDOM_KEY = "zz_not_a_field_5e1b"
# Fields no request may set: the server decides them (AUTHZ-03), whatever the record.
PROTECTED = ("id", "version", "owner", "program", "labels", "sensitivity", "created_by",
             "created_at")  # fmt: skip
# Operations that take one of them as input by design.
ACCEPTED: dict[tuple[str, str], dict[str, str]] = {
    # A referral names the program it is made to; the case is then that program's.
    ("POST", "/cases"): {"program": "a referral is made to a program"},
    # Notes and findings are labelled by their author when written, and a label may be added
    # or made stricter later (never removed: privacy.access.guard_label, 403).
    ("POST", "/cases/{case_id}/notes"): {"sensitivity": "the author labels the note"},
    ("PATCH", "/notes/{record_id}"): {"sensitivity": "a label may be added, never removed"},
    ("POST", "/cases/{case_id}/findings"): {"sensitivity": "the author labels the finding"},
    ("PATCH", "/findings/{record_id}"): {"sensitivity": "a label may be added, never removed"},
    ("POST", "/cases/{case_id}/instruments"): {"sensitivity": "whoever gives it labels a result"},
}


def openapi() -> dict[str, Any]:
    schema: dict[str, Any] = ninja_api.get_openapi_schema()
    return schema


def resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path.removeprefix(API), op


def request_schema(op: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any] | None:
    body = op.get("requestBody")
    return resolve(body["content"]["application/json"]["schema"], doc) if body else None


def answer_schema(op: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any] | None:
    # ninja keys its own answers by number, the problems added to them by text.
    for code in (200, 201, "200", "201"):
        content = op["responses"].get(code, {}).get("content", {})
        if "application/json" in content:
            return resolve(content["application/json"]["schema"], doc)
    return None


# (a) Answers ---------------------------------------------------------------------------------


def undocumented(value: Any, schema: dict[str, Any], doc: dict[str, Any], at: str) -> list[str]:
    """Where ``value`` has keys its schema does not declare, or lacks keys it declares."""
    schema = resolve(schema, doc)
    if "anyOf" in schema:
        options = [resolve(o, doc) for o in schema["anyOf"]]
        if value is None and any(o.get("type") == "null" for o in options):
            return []
        tried = [undocumented(value, o, doc, at) for o in options if o.get("type") != "null"]
        return min(tried, key=len) if tried else []
    if isinstance(value, list) and "items" in schema:
        return [p for i, item in enumerate(value) for p in undocumented(
            item, schema["items"], doc, f"{at}[{i}]")]  # fmt: skip
    if not isinstance(value, dict):
        return []
    if "properties" in schema:
        declared = schema["properties"]
        found = [f"{at}.{k}: not in the schema" for k in sorted(set(value) - set(declared))]
        found += [f"{at}.{k}: declared, not sent" for k in sorted(set(declared) - set(value))]
        for key in set(value) & set(declared):
            found += undocumented(value[key], declared[key], doc, f"{at}.{key}")
        return found
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return [p for k, v in value.items() for p in undocumented(v, extra, doc, f"{at}.{k}")]
    return []


def sample(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """A value the schema accepts: required properties only, the first choice of each."""
    schema = resolve(schema, doc)
    if "anyOf" in schema:
        return sample(next(o for o in schema["anyOf"] if o.get("type") != "null"), doc)
    if "enum" in schema:
        return next((v for v in schema["enum"] if v != ""), schema["enum"][0])
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {k: sample(schema["properties"][k], doc) for k in required}
    if kind == "array":
        return [sample(schema["items"], doc)] * max(schema.get("minItems", 1), 1)
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    formats = {
        "date": clock.today().isoformat(),
        "date-time": clock.now().isoformat(),
        "email": "someone@example.org",
    }
    return formats.get(schema.get("format", ""), "x" * max(schema.get("minLength", 1), 1))


# Creates the seed does not make: a reassignment would take the case from its case manager.
NOT_CREATED = {"/cases/{case_id}/assignments"}
PHQ9 = {f"q{n}": 1 for n in range(1, 10)}  # item 9 above 0: raises an alert to follow up
# Bodies the generated samples get wrong: the model's own rules, beyond the schema's.
OVERRIDES: dict[str, dict[str, Any]] = {
    "/clients/{client_id}/conditions": {"icd10_code": "I50.9"},
    "/cases/{case_id}/care-team": {"external_name": "Pat Pharmacist"},
    "/cases/{case_id}/findings": {"finding": "lives alone"},
    "/cases/{case_id}/notes": {"assessment": "settled at home"},
    "/cases/{case_id}/tiers": {"basis": "clinical judgement"},
    "/cases/{case_id}/care-transitions": {"to_setting": "skilled_nursing_facility"},
    "/cases/{case_id}/instruments": {"instrument": "phq9", "answers": PHQ9},
    "/clients/{client_id}/consents": consent_body(),
    "/clients/{client_id}/restrictions": {"recipient_name": "Acme Health Plan"},
    "/care-transitions/{transition_id}/contacts": {"occurred_on": clock.today().isoformat()},
}
# The path parameter that names a record of each kind.
PARAMETER_OF = {"goals": "goal_id", "care-transitions": "transition_id",
                "amendments": "amendment_id", "consents": "consent_id"}  # fmt: skip


def references(seed: Seed) -> dict[str, dict[str, Any]]:
    """The ids a body must name that exist (ids differ between engines and runs)."""
    agency = seed.agency
    return {
        "/cases": {"client": agency.client.pk, "program": agency.ids["program"],
                   "primary_case_manager": seed.author.staff.pk},
    }  # fmt: skip


def callers(seed: Seed) -> dict[str, Any]:
    """One API client per role (a token each), made before anything is compared."""
    return {role: api_for(user) for role, user in seed.agency.people.items()}


def caller_for(permission: str, by_role: dict[str, Any]) -> Any:
    for role in ("case_manager", "supervisor", "program_manager", "administrator", "auditor"):
        if has_permission(by_role[role].user, permission):
            return by_role[role]
    raise AssertionError(f"no one holds {permission}")


def fill(path: str, known: dict[str, int | str]) -> str | None:
    """The path with its parameters from ``known`` (by name, or the record's kind)."""
    first = path.strip("/").split("/")[0]
    try:
        return re.sub(r"\{(\w+)\}", lambda m: str(
            known[first] if m.group(1) == "record_id" else known[m.group(1)]), path)  # fmt: skip
    except KeyError:
        return None


@dataclass
class Records:
    known: dict[str, int | str]  # path parameter or record kind -> id
    problems: list[str]  # creates refused, or answered with fields the schema does not declare


def one_of_each(seed: Seed, doc: dict[str, Any]) -> Records:
    """One record of each kind, created through the API, so that every list has an item."""
    agency = seed.agency
    known: dict[str, int | str] = {
        **agency.ids,
        "case_id": agency.case.pk, "client_id": agency.client.pk,
        "staff_id": agency.people["case_manager"].staff.pk, "program_id": agency.ids["program"],
        "grant_id": agency.ids["grant"], "consent_id": seed.consent_id, "part": "api_reads",
        "kind": "lace",
        "notes": seed.records[test_sentinels.P2][1],
        "findings": seed.records[test_sentinels.FND][1],
    }  # fmt: skip
    problems = []
    by_role = callers(seed)
    author = seed.author.staff
    author.may_break_glass = True
    author.save()
    for method, path, op in operations(doc):
        plural = path.rsplit("/", 1)[1]
        if method != "POST" or 201 not in op["responses"] or "{" in plural:
            continue
        url = fill(path, known)
        schema = request_schema(op, doc)
        if url is None or schema is None:
            continue
        body = {**sample(schema, doc), **OVERRIDES.get(path, {}), **references(seed).get(path, {})}
        caller = caller_for(matrix().api[f"{method} {path}"], by_role)
        answer = caller.create(url, body)
        made = answer.json().get("id") if answer.status_code == 201 else None
        if made is not None:
            known[plural] = made
            if plural == "instruments":
                known["alert_id"] = CaseAlert.objects.get(source_id=known[plural]).pk
            if plural in PARAMETER_OF:
                known[PARAMETER_OF[plural]] = made
        if answer.status_code != 201 and path not in NOT_CREATED:
            problems.append(f"POST {path}: {answer.status_code} {answer.content[:300]!r}")
        elif answer.status_code == 201:
            schema = answer_schema(op, doc)
            assert schema is not None, path
            problems += [f"POST {url}{p}" for p in undocumented(answer.json(), schema, doc, "")]
    checklist = HandoffItem.objects.filter(transition_id=known.get("transition_id")).first()
    if checklist is not None:
        known["checklist"] = checklist.pk
    return Records(known, problems)


# Query parameters a read needs to answer at all.
QUERIES: dict[str, dict[str, str]] = {
    "/clients/matches": {"given_name": "Ana", "family_name": "Matrix", "birth_date": "1950-01-01"},
}


def test_every_answer_carries_the_documented_fields_only(seed: Seed) -> None:
    """Each role reads every GET operation; each JSON answer, and each record created, has
    exactly the fields its schema declares, at every depth."""
    doc = openapi()
    records = one_of_each(seed, doc)
    problems = list(records.problems)
    answered: set[str] = set()
    reads = [(path, op) for method, path, op in operations(doc) if method == "GET"]
    for role in ROLES:
        caller = api_for(seed.agency.people[role])
        for path, op in reads:
            url = fill(path, records.known) or _concrete(path, seed.agency)
            answer = caller.get(url, **QUERIES.get(path, {}))
            if answer.status_code != 200 or not answer["Content-Type"].startswith(
                "application/json"
            ):
                continue
            answered.add(path)
            schema = answer_schema(op, doc)
            assert schema is not None, path
            problems += [
                f"{role} GET {url}{p}" for p in undocumented(answer.json(), schema, doc, "")
            ]
    assert problems == [], "\n".join(problems)
    # Every read was checked by someone (with the seed, each answers some role).
    assert {path for path, _ in reads} - answered == set()


# (b) Writes ----------------------------------------------------------------------------------


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of Casework's tables, but the audit trail (refusals are audited)."""
    models: list[type[Model]] = [
        m for m in apps.get_models()
        if m.__module__.startswith("casework.") and m is not AuditEvent
    ]  # fmt: skip
    # Tokens record when they were last used: bookkeeping of the request, not a record.
    models = [m for m in models if m._meta.label != "accounts.ApiToken"]
    return {m._meta.label: list(m._default_manager.order_by("pk").values_list()) for m in models}


def changed(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [f"{table}: {len(before[table])} -> {len(after[table])} rows" for table in before
            if before[table] != after[table]]  # fmt: skip


def value_for(key: str, answer: dict[str, Any] | None, doc: dict[str, Any]) -> Any:
    """A plausible value, of the type the record shows it with where it shows it."""
    shown = (answer or {}).get("properties", {}).get(key)
    if shown is not None:
        return sample(shown, doc)
    plausible = {"labels": ["part2_sud"], "sensitivity": "part2_sud",
                 "created_at": clock.now().isoformat()}  # fmt: skip
    return plausible.get(key, 1)


def outside_the_action(
    method: str, path: str, request: dict[str, Any], answer: dict[str, Any] | None
) -> list[str]:
    """The keys a write must refuse: one no schema knows, the protected ones, and whatever
    its answer shows that its request does not take."""
    shown = set((answer or {}).get("properties", {}))
    keys = dict.fromkeys([RANDOM_KEY, *PROTECTED, *sorted(shown - set(request["properties"]))])
    return [k for k in keys if k not in ACCEPTED.get((method, path), {})]


def test_protected_fields_are_taken_only_where_the_action_needs_them() -> None:
    doc = openapi()
    taken = {
        (method, path, key)
        for method, path, op in operations(doc)
        if (schema := request_schema(op, doc)) is not None
        for key in PROTECTED
        if key in schema.get("properties", {})
    }
    expected = {(m, p, key) for (m, p), keys in ACCEPTED.items() for key in keys}
    assert taken == expected


def test_every_write_refuses_a_field_outside_its_action_and_changes_nothing(seed: Seed) -> None:
    doc = openapi()
    records = one_of_each(seed, doc)
    by_role = callers(seed)
    problems = []
    before = snapshot()
    for method, path, op in operations(doc):
        if method.lower() not in WRITES:
            continue
        request = request_schema(op, doc)
        if request is None or "properties" not in request:
            continue  # takes no body, or a free one (see the tests below)
        url = fill(path, records.known) or _concrete(path, seed.agency)
        body = {} if method == "PATCH" else {**sample(request, doc), **OVERRIDES.get(path, {})}
        caller = caller_for(matrix().api[f"{method} {path}"], by_role)
        for key in outside_the_action(method, path, request, answer_schema(op, doc)):
            sent = {**body, key: value_for(key, answer_schema(op, doc), doc)}
            answer = caller.send(method.lower(), url, sent, headers={"Idempotency-Key": key})
            named = answer.json().get("errors") if answer.status_code == 422 else None
            if (
                answer["Content-Type"] != "application/problem+json"
                or named != [{"field": key, "message": "Extra inputs are not permitted"}]
                or answer.json()["field"] != key
            ):
                problems.append(
                    f"{method} {url} + {key}: {answer.status_code} {answer.content[:200]!r}"
                )
    # Refused whole: not a row anywhere changed (the record named, its parent, or any other).
    problems += changed(before, snapshot())
    assert problems == [], "\n".join(problems)


def test_writes_without_a_declared_body_refuse_any_input(seed: Seed) -> None:
    """The writes whose input the schema does not spell out: those taking none refuse a body
    (``/tiers/compute`` computes; it is not told a ``tier``), and the rule calculators, whose
    body each rule declares itself, refuse a key that rule does not know."""
    doc = openapi()
    by_role = callers(seed)
    problems = []
    before = snapshot()
    for method, path, op in operations(doc):
        request = request_schema(op, doc)
        if method.lower() not in WRITES or (request is not None and "properties" in request):
            continue
        caller = caller_for(matrix().api[f"{method} {path}"], by_role)
        bodies: list[tuple[str, dict[str, Any]]] = [(_concrete(path, seed.agency), {})]
        if request is not None:  # the calculators: each rule's own input
            bodies = [
                (path.replace("{kind}", kind), sample(rule.describe()["input_schema"], doc))
                for kind, rule in rules.KINDS.items()
            ]
        for url, body in bodies:
            answer = caller.send(method.lower(), url, {**body, RANDOM_KEY: 1})
            if (
                answer.status_code != 422
                or answer["Content-Type"] != "application/problem+json"
                or (answer.json()["field"] != RANDOM_KEY)
            ):
                problems.append(f"{method} {url}: {answer.status_code} {answer.content!r}")
    problems += changed(before, snapshot())
    assert problems == [], "\n".join(problems)
