"""INPUT-04: hostile text is stored verbatim and rendered inert, on SQLite and PostgreSQL.

Every free-text field of every create and edit operation of /api/v1 (the string fields of the
OpenAPI request schemas that are not choices, dates, patterns or codes) gets text from
Hypothesis mixing SQL, markup, template syntax, control characters, bidi overrides and long
Unicode. The answer must be a 2xx with the text read back exactly as sent, never a 5xx; and
the page that shows the field must show it escaped: no tag from the text reaches the HTML
raw, no template expression in it is evaluated.

NUL is the one character refused: PostgreSQL can neither store nor compare it, so every engine
answers 422 naming the field (``casework.core.schemas.refuse_nul``) and stores nothing.
``casework.core.text.fold`` only derives the search column (which it may lengthen: see
``Client.derived_fields``); it never changes what is stored or shown.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as HttpClient
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from casework.api import api as ninja_api
from casework.cases.models import Program
from casework.clients.models import SEARCH_NAME_LENGTH, Client
from casework.core import clock
from casework.core.choices import US_STATES
from casework.instruments.models import CaseAlert
from casework.privacy.models import BreakGlassGrant
from casework.staff.services import create_user
from tests.api.test_amendments import request_body
from tests.api.test_privacy import consent_body
from tests.conftest import CLIENT, Api, api_for, make_staff
from tests.web.conftest import signed_in

API = "/api/v1"
# Strings the API reads as a format or a code, not as free text: their own tests cover them.
NOT_FREE_TEXT = frozenset({"email", "password", "username", "icd10_code", "instrument"})

PAYLOADS = (
    "'; DROP TABLE clients; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}",
    "{% debug %}",
    "${7*7}",
)
# Control characters (C0, DEL, C1), line and paragraph separators, bidi overrides and
# isolates, zero-width and byte-order marks, and characters that decomposition lengthens.
SPICE = (
    "\t", "\r\n", "\n", "\r", "\x01", "\x08", "\x1b", "\x1f", "\x7f", "\x85", "\u2028",
    "\u2029", "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u200b", "\ufeff", "\ufdfa",
    "\u3300", "ß", "e\u0301", "\U0001f469\U0001f3fd\u200d\u2695\ufe0f", "\U0001d518",
    "\U0010fffd",
)  # fmt: skip
LONG = "Ünïcödé ﷺ ㌀ 漢字 עִבְרִית العربية \U0001d518\U0001d52b " * 60
NUL = "\x00"


def hostile_text(max_size: int) -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(PAYLOADS + SPICE),
        st.text(st.characters(exclude_categories=["Cs"], exclude_characters=NUL), max_size=12),
        st.just(LONG),
    )
    # Always a payload first: its opening characters show however a page trims the text.
    return st.builds(
        lambda first, rest: (first + "".join(rest))[:max_size],
        st.sampled_from(PAYLOADS),
        st.lists(piece, max_size=5),
    )


# The operations and their free-text fields, from the OpenAPI document -------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return dict(components[schema["$ref"].rsplit("/", 1)[-1]])
    return schema


def free_text_fields() -> dict[str, dict[str, int]]:
    """{"POST /clients": {"given_name": 100, ...}, ...}: each write operation's free-text
    fields with their maximum length."""
    document = ninja_api.get_openapi_schema()
    components = document["components"]["schemas"]
    found: dict[str, dict[str, int]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method not in ("post", "put", "patch") or "application/json" not in content:
                continue
            body = _resolve(content["application/json"]["schema"], components)
            fields = {}
            for name, prop in body.get("properties", {}).items():
                options = [_resolve(o, components) for o in prop.get("anyOf", [prop])]
                texts = [o for o in options if o.get("type") == "string"]
                if name in NOT_FREE_TEXT or not texts:
                    continue
                if any({"enum", "format", "pattern", "const"} & set(o) for o in texts):
                    continue
                fields[name] = int(texts[0].get("maxLength", 20_000))
            if fields:
                found[f"{method.upper()} {path.removeprefix(API)}"] = fields
    return found


# A small agency whose records the operations write to -------------------------------------

_serial = itertools.count(1)


@dataclass
class World:
    people: dict[str, Any]
    program: int
    client: int
    case: int
    moving_case: int
    assigned_case: int
    apis: dict[str, Api] = field(default_factory=dict)
    browsers: dict[str, HttpClient] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)

    def api(self, who: str) -> Api:
        if who not in self.apis:
            self.apis[who] = api_for(self.people[who])
        return self.apis[who]

    def browser(self, who: str) -> HttpClient:
        if who not in self.browsers:
            self.browsers[who] = signed_in(self.people[who])
        return self.browsers[who]

    @property
    def staff(self) -> int:
        return int(self.people["cm"].staff.pk)

    def ids(self) -> dict[str, int]:
        return {
            "client_id": self.client,
            "case_id": self.case,
            "staff_id": self.staff,
            "program_id": self.program,
        }

    def make(self, key: str) -> dict[str, Any]:
        """Run create operation ``key`` with plain text; answer the record made."""
        op = OPS[key]
        params = op.params(self)
        body = {**op.body(self), **dict.fromkeys(FIELDS[key], "plain text")}
        response = self.api(op.actor).create(api_path(key, params), body)
        assert response.status_code in (200, 201), (key, response.content)
        return dict(response.json())

    def record(self, key: str) -> int:
        """One record made by create operation ``key``, shared by the edits of the test."""
        if key not in self.created:
            self.created[key] = int(self.make(key)["id"])
        return self.created[key]


def api_path(key: str, params: dict[str, Any]) -> str:
    return key.split(" ", 1)[1].format(**params)


def _today(days: int = 0) -> str:
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def _open_case(api: Api, client: int, program: int, manager: Any) -> int:
    response = api.create(
        "/cases",
        {
            "client": client, "program": program, "primary_case_manager": manager.staff.pk,
            "referral_source": "hospital", "referral_reason": "after discharge",
            "referred_on": _today(),
        },
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    # Passwords are beside the point here; Argon2 would take most of the setup.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sup = make_staff("hugo_supervisor", discipline="social_work", roles=("supervisor",))
    cm = make_staff("hana_cm", supervisor=sup.staff)
    cm2 = make_staff("otto_cm", supervisor=sup.staff)
    cm.staff.may_break_glass = True
    cm.staff.save()
    admin = create_user(username="ayo_admin", password="x" * 20, roles=("administrator",))
    program = Program.objects.create(
        name="Transitions",
        case_type="care transitions",
        required_domains=["medical"],
        reopen_window_days=90,
    )
    people = {"cm": cm, "sup": sup, "cm2": cm2, "admin": admin}
    cm_api = api_for(cm)
    client = cm_api.create("/clients", CLIENT).json()["id"]
    other = cm_api.create("/clients", {**CLIENT, "given_name": "Ana", "family_name": "Ruiz"})
    case = _open_case(cm_api, client, program.pk, cm)
    moving = _open_case(cm_api, other.json()["id"], program.pk, cm)
    assigned = _open_case(cm_api, other.json()["id"], program.pk, cm2)
    return World(people, program.pk, client, case, moving, assigned, apis={"cm": cm_api})


# What each operation needs: a target, a valid body around the text, where it shows ------


Params = Callable[[World], dict[str, int]]
Body = Callable[[World], dict[str, Any]]


def _no_body(w: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Op:
    group: str
    params: Params = World.ids
    body: Body = _no_body
    actor: str = "cm"
    # Where the text reads back (a path filled with the params, the ``id`` made and the
    # world's ids) and who reads it; by default the record itself, read by the actor.
    read: str = ""
    reader: str = ""
    # The pages that show the text, as the viewer sees them, and the fields no page shows
    # (the API and the exports do).
    pages: tuple[str, ...] = ()
    viewer: str = "cm"
    hidden: frozenset[str] = frozenset()
    # Fields whose ends the service trims (a reason or a note given in passing).
    trims: frozenset[str] = frozenset()
    # First and last name read back as one "name" (Django's full name, trimmed).
    full_name: bool = False
    # Fields that must be unique (a program's name): a serial number ends the text.
    unique: frozenset[str] = frozenset()


def made(key: str, name: str = "record_id") -> Params:
    """The record that create operation ``key`` made for the test, as parameter ``name``."""
    return lambda w: {**w.ids(), name: w.record(key)}


def newest(key: str) -> Params:
    """A record made now: the assessment shows only the latest finding of a domain."""
    return lambda w: {**w.ids(), "record_id": int(w.make(key)["id"])}


def fresh(make: Callable[[World], int], name: str) -> Params:
    return lambda w: {**w.ids(), name: make(w)}


# Domains without a sensitivity label of their own, in turn.
_DOMAINS = itertools.cycle(["medical", "functional", "housing", "food", "transportation"])


def _state() -> str:
    # A licence is unique by state, type and number, and the texts may repeat.
    return US_STATES[next(_serial) % len(US_STATES)]


def _checklist_item(w: World) -> dict[str, int]:
    transition = w.record("POST /cases/{case_id}/care-transitions")
    items = w.api("cm").get(f"/care-transitions/{transition}/checklist").json()["items"]
    return {**w.ids(), "record_id": int(items[0]["id"])}


def _alert(w: World) -> int:
    alert = CaseAlert.objects.create(
        case_id=w.case, kind="suicide_risk", reason="PHQ-9 item 9", raised_at=clock.now()
    )
    return int(alert.pk)


def _consent(w: World) -> int:
    return int(w.make("POST /clients/{client_id}/consents")["id"])


def _grant(w: World) -> int:
    now = clock.now()
    grant = BreakGlassGrant.objects.create(
        user=w.people["cm"],
        client_id=w.client,
        reason="ED",
        started_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )
    return int(grant.pk)


DENY = {"denial_basis": "accurate_and_complete", "explanation": "accurate as written"}


def _amendment(*steps: tuple[str, dict[str, Any]]) -> Params:
    """A new request to amend, taken through ``steps`` (action, body) first."""

    def make(w: World) -> int:
        request = w.make("POST /clients/{client_id}/amendments")
        for action, body in steps:
            response = w.api("cm").post(f"/amendments/{request['id']}/{action}", body)
            assert response.status_code == 200, response.content
        return int(request["id"])

    return fresh(make, "amendment_id")


def _moving_case(w: World) -> dict[str, int]:
    # Closed by the previous example: reopened, so that this one may close it again.
    api = w.api("cm")
    if api.get(f"/cases/{w.moving_case}").json()["phase"] == "closed":
        body = {"to": "assessment", "reason": "reopened"}
        response = api.post(f"/cases/{w.moving_case}/transitions", body)
        assert response.status_code == 200, response.content
    return {**w.ids(), "case_id": w.moving_case}


def _reassign(w: World) -> dict[str, Any]:
    current = w.api("sup").get(f"/cases/{w.assigned_case}").json()["case_manager"]
    cm, cm2 = (w.people[p].staff.pk for p in ("cm", "cm2"))
    return {"to_staff": cm2 if current == cm else cm}


# Asked for in a medical emergency only: kept trimmed, and shown on no page.
AFFILIATION = frozenset({"recipient_affiliation", "emergency_nature"})
NOTE = {"occurred_at": "2026-01-05T15:00:00Z", "mode": "phone", "format": "soap"}
CLIENT_PAGE = "/clients/{client_id}/"
PRIVACY_PAGE = "/clients/{client_id}/privacy/"
STAFF_PAGE = "/staff/{staff_id}/"
AMENDMENT = "/amendments/{amendment_id}"


def tab(name: str) -> str:
    return "/cases/{case_id}/" + (f"{name}/" if name else "")


OPS: dict[str, Op] = {
    # Clients ----------------------------------------------------------------------------
    "POST /clients": Op(
        "clients", body=lambda w: {**CLIENT, "confirmed_new_person": True},
        pages=("/clients/{id}/",),
    ),
    "PATCH /clients/{client_id}": Op("clients", pages=(CLIENT_PAGE,)),
    "POST /clients/{client_id}/support-people": Op("clients", pages=(CLIENT_PAGE,)),
    "PATCH /support-people/{record_id}": Op(
        "clients", made("POST /clients/{client_id}/support-people"), pages=(CLIENT_PAGE,)
    ),
    "POST /clients/{client_id}/conditions": Op(
        "clients", body=lambda w: {"icd10_code": "I50.9"}, pages=(CLIENT_PAGE,)
    ),
    "PATCH /conditions/{record_id}": Op(
        "clients", made("POST /clients/{client_id}/conditions"), pages=(CLIENT_PAGE,)
    ),
    "POST /clients/{client_id}/encounters": Op(
        "clients", body=lambda w: {"kind": "inpatient", "started_on": _today()},
        pages=(CLIENT_PAGE,),
    ),
    "PATCH /encounters/{record_id}": Op(
        "clients", made("POST /clients/{client_id}/encounters"), pages=(CLIENT_PAGE,)
    ),
    # Staff and programs -------------------------------------------------------------------
    "POST /staff": Op(
        "staff", actor="admin", full_name=True, pages=("/staff/",),
        body=lambda w: {"username": f"new{next(_serial)}", "discipline": "nurse"},
    ),
    "PATCH /staff/{staff_id}": Op("staff", actor="admin", pages=(STAFF_PAGE,)),
    "POST /staff/{staff_id}/licences": Op(
        "staff", body=lambda w: {"issuing_state": _state(), "expires_on": _today(500)},
        pages=(STAFF_PAGE,),
    ),
    "PATCH /licences/{record_id}": Op(
        "staff", made("POST /staff/{staff_id}/licences"), lambda w: {"issuing_state": _state()},
        pages=(STAFF_PAGE,),
    ),
    "POST /staff/{staff_id}/certifications": Op(
        "staff",
        body=lambda w: {"kind": "other", "issued_on": _today(-10), "expires_on": _today(500)},
        pages=(STAFF_PAGE,),
    ),
    "PATCH /certifications/{record_id}": Op(
        "staff", made("POST /staff/{staff_id}/certifications"), pages=(STAFF_PAGE,)
    ),
    "POST /staff/{staff_id}/experience": Op(
        "staff", body=lambda w: {"role": "case_manager", "started_on": _today(-800)},
        pages=(STAFF_PAGE,),
    ),
    "PATCH /experience/{record_id}": Op(
        "staff", made("POST /staff/{staff_id}/experience"), pages=(STAFF_PAGE,)
    ),
    "POST /staff/{staff_id}/continuing-education": Op(
        "staff", body=lambda w: {"completed_on": _today(-5), "hours": 2}, pages=(STAFF_PAGE,)
    ),
    "PATCH /continuing-education/{record_id}": Op(
        "staff", made("POST /staff/{staff_id}/continuing-education"), pages=(STAFF_PAGE,)
    ),
    "POST /programs": Op(
        "staff", actor="admin", pages=("/",), unique=frozenset({"name"}),
        hidden=frozenset({"case_type", "description", "eligibility_criteria"}),
    ),
    "PATCH /programs/{program_id}": Op(
        "staff", actor="admin", pages=(tab(""), tab("screening")), unique=frozenset({"name"}),
        hidden=frozenset({"case_type", "description"}),
    ),
    # A case and its process ----------------------------------------------------------------
    "POST /cases": Op(
        "case",
        body=lambda w: {
            "client": w.client, "program": w.program, "primary_case_manager": w.staff,
            "referral_source": "self", "referred_on": _today(),
        },
        pages=("/cases/{id}/",),
    ),
    "PATCH /cases/{case_id}": Op("case", pages=(tab(""),)),
    "POST /cases/{case_id}/transitions": Op(
        "case", _moving_case, lambda w: {"to": "closed", "closure_reason": "moved_away"},
        read="/cases/{case_id}", trims=frozenset({"reason"}), pages=(tab("history"),),
    ),
    "POST /cases/{case_id}/assignments": Op(
        "case", lambda w: {**w.ids(), "case_id": w.assigned_case}, _reassign, actor="sup",
        read="/cases/{case_id}/assignments", trims=frozenset({"reason"}), pages=(tab("history"),),
        viewer="sup",
    ),
    "POST /cases/{case_id}/care-team": Op("case", pages=(tab(""),)),
    "PATCH /care-team/{record_id}": Op(
        "case", made("POST /cases/{case_id}/care-team"), pages=(tab(""),)
    ),
    "POST /cases/{case_id}/screenings": Op(
        "case",
        body=lambda w: {
            "decided_on": _today(), "outcome": "accepted",
            "consent_to_case_management": True, "consent_recorded_on": _today(),
        },
        pages=(tab("screening"),),
    ),
    "PATCH /screenings/{record_id}": Op(
        "case", made("POST /cases/{case_id}/screenings"), pages=(tab("screening"),)
    ),
    "POST /cases/{case_id}/findings": Op(
        "case",
        body=lambda w: {"domain": next(_DOMAINS), "status": "addressed", "assessed_on": _today()},
        pages=(tab("assessment"),),
    ),
    "PATCH /findings/{record_id}": Op(
        "case", newest("POST /cases/{case_id}/findings"), pages=(tab("assessment"),)
    ),
    "POST /cases/{case_id}/needs": Op(
        "case", body=lambda w: {"domain": "food", "identified_on": _today()},
        pages=(tab("assessment"),),
    ),
    "PATCH /needs/{record_id}": Op(
        "case", made("POST /cases/{case_id}/needs"), pages=(tab("assessment"),)
    ),
    "POST /cases/{case_id}/notes": Op("case", body=lambda w: dict(NOTE), pages=(tab("notes"),)),
    "PATCH /notes/{record_id}": Op(
        "case", made("POST /cases/{case_id}/notes"), pages=(tab("notes"),)
    ),
    "POST /cases/{case_id}/tiers": Op(
        "case", body=lambda w: {"tier": "high"}, pages=(tab("risk"),)
    ),
    # The plan, its progress and its evaluation --------------------------------------------
    "POST /cases/{case_id}/goals": Op(
        "plan", body=lambda w: {"term": "short"}, pages=(tab("plan"),)
    ),
    "PATCH /goals/{record_id}": Op(
        "plan", made("POST /cases/{case_id}/goals"), pages=(tab("plan"),)
    ),
    "POST /goals/{goal_id}/interventions": Op(
        "plan", made("POST /cases/{case_id}/goals", "goal_id"), pages=(tab("plan"),)
    ),
    "PATCH /interventions/{record_id}": Op(
        "plan", made("POST /goals/{goal_id}/interventions"), pages=(tab("plan"),)
    ),
    "POST /cases/{case_id}/agreements": Op(
        "plan", body=lambda w: {"agreed": False, "recorded_on": _today()},
        pages=(tab("plan"),),
    ),
    "POST /goals/{goal_id}/progress": Op(
        "plan", made("POST /cases/{case_id}/goals", "goal_id"),
        lambda w: {"recorded_on": _today(), "direction": "improved"},
        pages=(tab("progress"),),
    ),
    "PATCH /progress/{record_id}": Op(
        "plan", made("POST /goals/{goal_id}/progress"), pages=(tab("progress"),)
    ),
    "POST /goals/{goal_id}/outcomes": Op(
        "plan", made("POST /cases/{case_id}/goals", "goal_id"),
        lambda w: {"evaluated_on": _today(), "outcome": "partly_met"},
        pages=(tab("evaluation"),),
    ),
    "PATCH /outcomes/{record_id}": Op(
        "plan", made("POST /goals/{goal_id}/outcomes"), pages=(tab("evaluation"),)
    ),
    "POST /cases/{case_id}/evaluations": Op(
        "plan", body=lambda w: {"decided_on": _today(), "decision": "continue_monitoring"},
        pages=(tab("evaluation"),),
    ),
    "PATCH /evaluations/{record_id}": Op(
        "plan", made("POST /cases/{case_id}/evaluations"), pages=(tab("evaluation"),)
    ),
    # Care transitions and alerts -------------------------------------------------------------
    "POST /cases/{case_id}/care-transitions": Op(
        "transitions",
        body=lambda w: {
            "from_setting": "inpatient_acute_care_hospital", "to_setting": "home",
            "admitted_on": _today(-3), "transition_on": _today(),
        },
        pages=(tab("transitions"),),
    ),
    "PATCH /care-transitions/{record_id}": Op(
        "transitions", made("POST /cases/{case_id}/care-transitions"),
        pages=(tab("transitions"),),
    ),
    "PATCH /checklist/{record_id}": Op(
        "transitions", _checklist_item, pages=(tab("transitions"),)
    ),
    "POST /care-transitions/{transition_id}/contacts": Op(
        "transitions", made("POST /cases/{case_id}/care-transitions", "transition_id"),
        lambda w: {"kind": "interactive", "status": "made", "occurred_on": _today()},
        pages=(tab("transitions"),),
    ),
    "PATCH /contacts/{record_id}": Op(
        "transitions", made("POST /care-transitions/{transition_id}/contacts"),
        pages=(tab("transitions"),),
    ),
    "POST /alerts/{alert_id}/follow-up": Op(
        "transitions", fresh(_alert, "alert_id"), read="/cases/{case_id}/alerts",
        trims=frozenset({"note"}), pages=(tab(""),),
    ),
    # Privacy -----------------------------------------------------------------------------------
    "POST /clients/{client_id}/consents": Op(
        "privacy", body=lambda w: consent_body(), pages=(PRIVACY_PAGE,),
        hidden=frozenset({"information_description", "expiration_event", "signed_by"}),
    ),
    "POST /consents/{consent_id}/revoke": Op(
        "privacy", fresh(_consent, "consent_id"), lambda w: {"revoked_on": _today()},
        read="/consents/{consent_id}", pages=(PRIVACY_PAGE,), hidden=frozenset({"note"}),
    ),
    # Not agreed: an agreed restriction would refuse a disclosure to the same recipient.
    "POST /clients/{client_id}/restrictions": Op(
        "privacy", body=lambda w: {"requested_on": _today(), "agreed": False},
        pages=(PRIVACY_PAGE,),
    ),
    "PATCH /restrictions/{record_id}": Op(
        "privacy", made("POST /clients/{client_id}/restrictions"), pages=(PRIVACY_PAGE,)
    ),
    "POST /clients/{client_id}/disclosures": Op(
        "privacy",
        body=lambda w: {
            "recipient_kind": "person", "purpose": "treatment", "categories": ["general"],
        },
        read="/clients/{client_id}/disclosures", pages=(PRIVACY_PAGE,),
        hidden=AFFILIATION, trims=AFFILIATION,
    ),
    "POST /clients/{client_id}/releases": Op(
        "privacy",
        body=lambda w: {
            "recipient_kind": "person", "purpose": "treatment", "categories": ["general"],
        },
        read="/clients/{client_id}/disclosures", pages=(PRIVACY_PAGE,),
        hidden=AFFILIATION, trims=AFFILIATION,
    ),
    "POST /clients/{client_id}/break-glass": Op(
        "privacy", read="/break-glass", reader="sup", trims=frozenset({"reason"}),
        pages=("/supervision/",), viewer="sup",
    ),
    "POST /break-glass/{grant_id}/review": Op(
        "privacy", fresh(_grant, "grant_id"), actor="sup", read="/break-glass",
        pages=("/supervision/emergency-access/{grant_id}/",), viewer="sup",
    ),
    # Requests to amend the record ---------------------------------------------------------------
    "POST /clients/{client_id}/amendments": Op(
        "amendments", body=lambda w: request_body(), pages=(PRIVACY_PAGE,)
    ),
    "POST /amendments/{amendment_id}/extend": Op(
        "amendments", _amendment(), read=AMENDMENT, pages=(PRIVACY_PAGE,),
        trims=frozenset({"extension_reason"}),
    ),
    "POST /amendments/{amendment_id}/accept": Op(
        "amendments", _amendment(), read=AMENDMENT, pages=(PRIVACY_PAGE,),
        trims=frozenset({"amendment"}),
    ),
    "POST /amendments/{amendment_id}/deny": Op(
        "amendments", _amendment(), lambda w: {"denial_basis": "accurate_and_complete"},
        read=AMENDMENT, trims=frozenset({"explanation"}), pages=(PRIVACY_PAGE,),
    ),
    "POST /amendments/{amendment_id}/disagreement": Op(
        "amendments", _amendment(("deny", DENY)), read=AMENDMENT,
        trims=frozenset({"statement"}), pages=(PRIVACY_PAGE,),
    ),
    "POST /amendments/{amendment_id}/rebuttal": Op(
        "amendments", _amendment(("deny", DENY), ("disagreement", {"statement": "not so"})),
        read=AMENDMENT, trims=frozenset({"rebuttal"}), pages=(PRIVACY_PAGE,),
    ),
}  # fmt: skip

FIELDS = free_text_fields()
GROUPS = sorted({op.group for op in OPS.values()})


# Writing, reading back, looking at the pages ----------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@dataclass
class Written:
    response: Any
    params: dict[str, Any]
    texts: dict[str, str]


def write(w: World, key: str, texts: dict[str, str]) -> Written:
    op = OPS[key]
    for name in op.unique & set(texts):
        serial = f" #{next(_serial)}"
        texts = {**texts, name: texts[name][: FIELDS[key][name] - len(serial)] + serial}
    params: dict[str, Any] = op.params(w)
    path = api_path(key, params)
    body = {**op.body(w), **texts}
    caller = w.api(op.actor)
    if key.startswith("PATCH"):
        response = caller.patch(path, body, headers={"If-Match": caller.get(path)["ETag"]})
    else:
        response = caller.create(path, body)
    if response.status_code < 300:
        params["id"] = response.json().get("id")
    return Written(response, params, texts)


def read_back(w: World, key: str, written: Written) -> Any:
    op = OPS[key]
    path = op.read or key.split(" ", 1)[1]
    if not op.read and key.startswith("POST"):
        path = "/" + path.rsplit("/", 1)[-1] + "/{id}"  # /cases/{case_id}/notes -> /notes/{id}
    response = w.api(op.reader or op.actor).get(path.format(**written.params))
    assert response.status_code == 200, (key, response.content)
    return response.json()


def assert_stored_verbatim(w: World, key: str, written: Written) -> None:
    op, texts = OPS[key], written.texts
    stored = read_back(w, key, written)
    for name, text in texts.items():
        expected = text.strip() if name in op.trims else text
        if op.full_name and name in ("first_name", "last_name"):
            full = f"{texts['first_name']} {texts['last_name']}".strip()
            assert stored["name"] == full, (key, name)
        elif isinstance(stored, dict) and isinstance(stored.get(name), str):
            assert stored[name] == expected, (key, name)
        else:  # under another name, in a list, or in a linked entry ({"text": ...})
            where = stored.get(name) if isinstance(stored, dict) and name in stored else stored
            assert expected in set(_strings(where)), (key, name)


def pages_of(w: World, key: str, written: Written) -> dict[str, str]:
    op = OPS[key]
    html = {}
    for page in op.pages:
        url = page.format(**written.params)
        response = w.browser(op.viewer).get(url)
        assert response.status_code == 200, (key, url, response.status_code)
        html[url] = response.content.decode()
    return html


def opening(text: str) -> str:
    """The payload ``text`` starts with, as much of it as the field kept."""
    return next(p[: len(text)] for p in PAYLOADS if text.startswith(p[: len(text)]))


def assert_inert(w: World, key: str, written: Written) -> None:
    """No markup from the texts reaches the pages raw; each shown text's opening payload
    appears escaped, and template syntax appears as typed (not evaluated)."""
    html = pages_of(w, key, written)
    page = "\n".join(html.values())
    for name, text in written.texts.items():
        start = opening(text)
        for payload in {start, *(p for p in PAYLOADS if p in text)}:
            if "<" in payload:
                assert payload not in page, (key, name, payload, list(html))
        if name not in OPS[key].hidden:
            assert escape(start) in page, (key, name, escape(start), list(html))


# The tests ----------------------------------------------------------------------------------


def test_every_write_operation_with_free_text_is_exercised() -> None:
    # A new operation (or a new free-text field on one without any) must join OPS.
    assert set(FIELDS) == set(OPS)
    assert min(min(fields.values()) for fields in FIELDS.values()) >= 10


@pytest.mark.parametrize("group", GROUPS)
@settings(
    max_examples=20,
    deadline=None,
    # No shrinking: a failing example reads well as drawn, and shrinking one through HTTP
    # round trips took minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_hostile_text_is_stored_verbatim_and_shown_inert(
    world: World, group: str, data: st.DataObject
) -> None:
    keys = sorted(k for k, op in OPS.items() if op.group == group)
    key = data.draw(st.sampled_from(keys), label="operation")
    texts = {name: data.draw(hostile_text(size), label=name) for name, size in FIELDS[key].items()}
    written = write(world, key, texts)
    assert written.response.status_code in (200, 201), (key, written.response.content)
    assert_stored_verbatim(world, key, written)
    assert_inert(world, key, written)


KITCHEN_SINK = "".join(PAYLOADS[2:4] + PAYLOADS[:2] + PAYLOADS[4:] + SPICE) + LONG


def test_every_free_text_field_of_every_operation_shows_escaped(world: World) -> None:
    """Hypothesis samples the operations; this visits every free-text field once, each with a
    tag of its own in markup before all the payloads, then looks at every page once."""
    tags = ("".join(pair) for pair in itertools.product(string.ascii_letters, repeat=2))
    expected = []
    for key, fields in FIELDS.items():
        marks = {name: f"<i>{next(tags)}</i>" for name in fields}
        texts = {name: (marks[name] + KITCHEN_SINK)[:size] for name, size in fields.items()}
        written = write(world, key, texts)
        assert written.response.status_code in (200, 201), (key, written.response.content)
        assert_stored_verbatim(world, key, written)
        op = OPS[key]
        urls = [(op.viewer, page.format(**written.params)) for page in op.pages]
        expected += [(key, name, marks[name], urls) for name in set(fields) - op.hidden]
    html = {}
    for viewer, url in {u for *_, urls in expected for u in urls}:
        response = world.browser(viewer).get(url)
        assert response.status_code == 200, (viewer, url, response.status_code)
        html[viewer, url] = response.content.decode()
    everything = "\n".join(html.values())
    for markup in [p for p in PAYLOADS if "<" in p] + [mark for _, _, mark, _ in expected]:
        assert markup not in everything, markup
    unseen = [
        (key, name)
        for key, name, mark, urls in expected
        if not any(escape(mark) in html[url] for url in urls)
    ]
    assert unseen == [], "fields their pages do not show (escaped)"


def _row_counts() -> tuple[Any, ...]:
    """The row count of every business table, in one query. Audit rows are left out: refused
    requests are audited too, by design."""
    skip = {"audit", "core", "axes", "sessions", "contenttypes", "admin", "otp_totp"}
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.app_label not in skip})
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # noqa: S608 - table names from the models
        return tuple(cursor.fetchone() or ())


def test_nul_is_refused_naming_each_field_and_nothing_is_stored(world: World) -> None:
    for key, fields in FIELDS.items():
        op = OPS[key]
        params = op.params(world)
        path = api_path(key, params)
        caller = world.api(op.actor)
        headers = {"If-Match": caller.get(path)["ETag"]} if key.startswith("PATCH") else {}
        before = _row_counts()
        body = {**op.body(world), **{name: f"a{NUL}b"[:size] for name, size in fields.items()}}
        method = "patch" if key.startswith("PATCH") else "post"
        response = caller.send(method, path, body, headers={**headers, "Idempotency-Key": key})
        assert response.status_code == 422, (key, response.content)
        problem = response.json()
        assert problem["field"] in fields, (key, problem)
        assert {e["field"] for e in problem["errors"]} == set(fields), (key, problem)
        assert all("NUL" in e["message"] for e in problem["errors"]), (key, problem)
        assert _row_counts() == before, key
        if key.startswith("PATCH"):
            assert caller.get(path)["ETag"] == headers["If-Match"], key


def test_nul_in_a_search_is_refused_naming_the_parameter(world: World) -> None:
    response = world.api("cm").get("/clients", q=f"Gó{NUL}mez")
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "q"
    assert world.api("cm").get("/clients", q="Gómez").json()["count"] == 1


def test_names_that_fold_longer_than_the_search_column_are_kept(world: World) -> None:
    # NFKD and case folding lengthen these (18, 5 and 2 characters each): the folded search
    # column must not overflow where the names themselves fit.
    for letter in ("\ufdfa", "\u3300", "ß"):
        name = letter * 100
        texts = dict.fromkeys(["given_name", "middle_name", "family_name", "preferred_name"], name)
        for key in ("POST /clients", "PATCH /clients/{client_id}"):
            written = write(world, key, texts)
            assert written.response.status_code in (200, 201), (key, written.response.content)
            assert_stored_verbatim(world, key, written)
        found = world.api("cm").get("/clients", q=name[:10]).json()
        assert found["count"] == 2, letter
    # SQLite would keep a longer value; PostgreSQL refused it (a 500 before the fix).
    longest = max(len(n) for n in Client.objects.values_list("search_name", flat=True))
    assert longest == SEARCH_NAME_LENGTH
