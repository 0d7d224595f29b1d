"""AUTHZ-01/02/09, AUTHN-01, HDR-01/03 over the whole route inventory.

The inventory is collected at test time: every /api/v1 operation from the OpenAPI document,
every web page from the URL map and every ``casework`` command from its parser. Each must be
in the access matrix (``casework/accounts/access.toml``), and nothing may be in the matrix that
no longer exists. Then every operation and page is called as one person of each role (and as
nobody): a role whose grants include the permission the matrix names gets past the role check
(never 401/403), any other role gets 403, nobody gets 401 (API) or the sign-in page (web).
Every answer carries the security headers.

Scope (AUTHZ-02) is checked apart: a case of another program, outside everyone's scope, is
404 on every route that names it, for every role.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp import DEVICE_ID_SESSION_KEY

from casework.accounts.models import SealedTOTPDevice as TOTPDevice
from casework.accounts.permissions import PUBLIC, SIGNED_IN, has_permission, matrix, scopes
from casework.accounts.roles import set_roles
from casework.api import api as ninja_api
from casework.cases.models import CareTeamMember, Case, ContactNote, Program, ScreeningDecision
from casework.cases.services import open_case
from casework.cli import _parser, command_key
from casework.clients.models import Client, Condition, Encounter, SupportPerson
from casework.core import clock
from casework.privacy.models import BreakGlassGrant
from casework.staff.models import Licence, StaffMember
from casework.staff.services import create_user
from tests.conftest import PASSWORD, api_for
from tests.security.test_headers import _assert_headers

API = "/api/v1"
ROLES = list(matrix().roles)
UNSAFE = {"post", "put", "patch", "delete"}


# The inventory --------------------------------------------------------------------------


def api_operations() -> list[tuple[str, str]]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return sorted(
        (method.upper(), path.removeprefix(API)) for path, ops in paths.items() for method in ops
    )


def web_pages() -> list[tuple[str, str]]:
    """(URL name, route) of every page outside the API and static files."""

    def walk(patterns: list[Any], namespace: str, prefix: str) -> list[tuple[str, str]]:
        found = []
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = ":".join(p for p in (namespace, entry.namespace or "") if p)
                found += walk(entry.url_patterns, inner, route)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                found.append((name, route))
        return found

    pages = walk(get_resolver().url_patterns, "", "")
    return [(n, r) for n, r in pages if not r.startswith(("api/", "static/"))]


def commands() -> set[str]:
    keys = set()
    parser = _parser()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
            if nested:
                keys |= {f"{name} {inner}" for inner in nested[0].choices}
            else:
                keys.add(name)
    return keys


def test_every_api_operation_is_in_the_matrix_and_nothing_else() -> None:
    inventory = {f"{m} {p}" for m, p in api_operations()}
    assert inventory - set(matrix().api) == set(), "operations missing from access.toml"
    assert set(matrix().api) - inventory == set(), "access.toml names operations that are gone"


def test_every_web_page_is_in_the_matrix_and_nothing_else() -> None:
    pages = web_pages()
    missing = [n for n, _ in pages if matrix().page_permission(n) is None]
    assert missing == [], "pages missing from access.toml"
    names = {n for n, _ in pages}
    stale = [n for n in matrix().web if not n.endswith(":*") and n not in names]
    assert stale == [], "access.toml names pages that are gone"


def test_every_command_is_in_the_matrix_and_nothing_else() -> None:
    assert commands() == set(matrix().cli)
    assert command_key(argparse.Namespace(command="cases", action="move")) == "cases move"


def test_the_administrator_and_the_auditor_hold_no_clinical_permission() -> None:
    clinical = {p for p in matrix().permissions if p.split(".")[0] in ("case", "client")}
    clinical |= {"caseload.read", "privacy.read", "privacy.write", "break_glass.request"}
    for role in ("administrator", "auditor"):
        assert clinical & set(matrix().roles[role].grants) == set(), role


# A small agency: one person per role around one case, and a case outside everyone's scope -


@dataclass
class Agency:
    people: dict[str, Any]
    case: Case
    client: Client
    other_case: Case
    ids: dict[str, int]


def _person(username: str, role: str, *, staff: bool = True, supervisor: Any = None) -> Any:
    user = create_user(username=username, password=PASSWORD, roles=(role,))
    if staff:
        StaffMember.objects.create(user=user, discipline="nurse", supervisor=supervisor)
    return user


@pytest.fixture
def agency(db: Any) -> Agency:
    sup = _person("sue_supervisor", "supervisor")
    cm = _person("cam_manager", "case_manager", supervisor=sup.staff)
    pm = _person("pam_programs", "program_manager")
    intake = _person("ian_intake", "intake_worker")
    people = {
        "case_manager": cm,
        "supervisor": sup,
        "program_manager": pm,
        "intake_worker": intake,
        "auditor": _person("aud_auditor", "auditor", staff=False),
        "administrator": _person("adm_admin", "administrator", staff=False),
    }
    program = Program.objects.create(name="Transitions", case_type="care transitions")
    program.managers.add(pm.staff)
    elsewhere = Program.objects.create(name="Elsewhere", case_type="other")
    stranger = _person("xavier_other", "case_manager")
    client = Client.objects.create(
        given_name="Ana", family_name="Matrix", birth_date=dt.date(1950, 1, 1), created_by=intake
    )
    far_client = Client.objects.create(
        given_name="Far", family_name="Away", birth_date=dt.date(1960, 1, 1), created_by=stranger
    )

    def referral(client: Client, program: Program, manager: Any, by: Any) -> Case:
        return open_case(
            actor=by,
            data={
                "client": client.pk, "program": program.pk,
                "primary_case_manager": manager.staff.pk, "referral_source": "hospital",
                "referral_reason": "after discharge", "referred_on": clock.today(),
            },
        )  # fmt: skip

    case = referral(client, program, cm, intake)  # still in screening: the intake's scope
    other = referral(far_client, elsewhere, stranger, stranger)
    now = clock.now()
    ids = {
        "notes": ContactNote.objects.create(case=case, occurred_at=now, mode="phone", author=cm).pk,
        "screenings": ScreeningDecision.objects.create(
            case=case, decided_on=clock.today(), outcome="accepted"
        ).pk,
        "care-team": CareTeamMember.objects.create(
            case=case, role="pharmacist", external_name="Pat Pharmacist"
        ).pk,
        "support-people": SupportPerson.objects.create(
            client=client, name="Luis", relationship="son"
        ).pk,
        "conditions": Condition.objects.create(client=client, icd10_code="I50.9").pk,
        "encounters": Encounter.objects.create(
            client=client, kind="inpatient", started_on=clock.today()
        ).pk,
        "licences": Licence.objects.create(
            staff=cm.staff,
            licence_type="RN",
            issuing_state="NY",
            number="1",
            expires_on=clock.today() + dt.timedelta(days=300),
        ).pk,  # fmt: skip
        "grant": BreakGlassGrant.objects.create(
            user=cm,
            client=client,
            reason="ED",
            started_at=now,
            expires_at=now + dt.timedelta(hours=1),
        ).pk,  # fmt: skip
        "program": program.pk,
    }
    return Agency(people, case, client, other, ids)


def _concrete(path: str, agency: Agency, *, elsewhere: bool = False) -> str:
    """Fill a route's parameters with ids in (or, ``elsewhere``, out of) everyone's scope."""
    case = agency.other_case if elsewhere else agency.case
    first = path.strip("/").split("/")[0]
    values = {
        "case_id": case.pk,
        "client_id": case.client_id,
        "staff_id": agency.people["case_manager"].staff.pk,
        "program_id": agency.ids["program"],
        "grant_id": agency.ids["grant"],
        "record_id": agency.ids.get(first, 999_999),
        "kind": "lace",
        "key": "phq9",
        "tab": "notes",
    }

    def fill(match: re.Match[str]) -> str:
        return str(values.get(match.group(1) or match.group(2), 999_999))

    return re.sub(r"\{(\w+)\}|<(?:\w+:)?(\w+)>", fill, path)


def _call_api(http: Any, method: str, path: str, headers: dict[str, str]) -> Any:
    call = getattr(http, method.lower())
    if method.lower() in UNSAFE:
        return call(API + path, "{}", content_type="application/json", **headers)
    return call(API + path, **headers)


# The walk ------------------------------------------------------------------------------

# GET routes whose seeded record is in every case role's scope: allowed means 200 exactly.
SEEDED_READS = {
    "/cases/{case_id}", "/clients/{client_id}", "/notes/{record_id}",
    "/screenings/{record_id}", "/care-team/{record_id}", "/support-people/{record_id}",
    "/conditions/{record_id}", "/encounters/{record_id}", "/cases/{case_id}/notes",
    "/clients/{client_id}/conditions", "/staff/{staff_id}", "/licences/{record_id}",
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_api_operation_answers_each_role_as_the_matrix_says(
    agency: Agency, role: str
) -> None:
    user = agency.people[role]
    caller = api_for(user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {caller.token}", "HTTP_IDEMPOTENCY_KEY": role}
    wrong = []
    for method, path in api_operations():
        permission = matrix().api[f"{method} {path}"]
        response = _call_api(caller.http, method, _concrete(path, agency), headers)
        _assert_headers(response)
        allowed = has_permission(user, permission)
        if not allowed:
            ok = response.status_code == 403
        elif method == "GET" and path in SEEDED_READS:
            ok = response.status_code == 200
        else:
            ok = response.status_code not in (401, 403)
        if not ok:
            wrong.append(f"{method} {path}: {response.status_code} ({permission})")
    assert wrong == [], "\n".join(wrong)


def test_every_api_operation_refuses_a_caller_without_credentials(agency: Agency) -> None:
    http = HttpClient()
    wrong = []
    for method, path in api_operations():
        response = _call_api(http, method, _concrete(path, agency), {})
        _assert_headers(response)
        if response.status_code != 401:
            wrong.append(f"{method} {path}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ["case_manager", "supervisor", "program_manager", "intake_worker"])
def test_a_case_outside_the_scope_is_404_on_every_route(agency: Agency, role: str) -> None:
    user = agency.people[role]
    caller = api_for(user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {caller.token}", "HTTP_IDEMPOTENCY_KEY": "x"}
    wrong = []
    for method, path in api_operations():
        if not re.search(r"\{(case_id|client_id)\}", path):
            continue
        permission = matrix().api[f"{method} {path}"]
        if not has_permission(user, permission):
            continue
        url = _concrete(path, agency, elsewhere=True)
        response = _call_api(caller.http, method, url, headers)
        # A write's body is checked before its target is looked up: a 422 for the empty
        # body is the same answer for any id, so it tells nothing about the other case.
        refused = (404,) if method == "GET" else (404, 422)
        if response.status_code not in refused:
            wrong.append(f"{method} {path}: {response.status_code}")
        elif b"Far" in response.content:
            wrong.append(f"{method} {path}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def _browser(user: Any) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    if user.is_superuser:  # the second factor administrators must give
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        session = http.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return http


# Admin pages that refuse everyone by their own design: django-axes keeps its logs read-only
# (no "add"), and the autocomplete endpoint needs query parameters.
ADMIN_OWN_REFUSALS = {
    "admin:autocomplete", "admin:axes_accessattempt_add", "admin:axes_accesslog_add",
    "admin:axes_accessfailurelog_add",
}  # fmt: skip


def _reachable_pages(agency: Agency) -> list[tuple[str, str]]:
    """Every page once with its parameters filled; of the admin, the pages without any."""
    pages = []
    for name, route in web_pages():
        if name.startswith("admin:") and "<" in route:
            continue
        if name in {"logout", "admin:logout", "password_reset_confirm"} | ADMIN_OWN_REFUSALS:
            continue  # signing out mid-walk; a reset link needs a real token
        pages.append((name, "/" + _concrete(route, agency)))
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_web_page_answers_each_role_as_the_matrix_says(agency: Agency, role: str) -> None:
    user = agency.people[role]
    http = _browser(user)
    wrong = []
    for name, url in _reachable_pages(agency):
        for method in ("get", "post"):
            permission = matrix().page_permission(name, method)
            response = getattr(http, method)(url)
            _assert_headers(response, no_store=False)
            if permission is None:
                ok = response.status_code in (403, 405)
            elif has_permission(user, permission):
                ok = response.status_code != 403
            else:
                ok = response.status_code == 403
            if not ok:
                wrong.append(f"{method.upper()} {name} {url}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_every_page_but_the_public_ones_sends_nobody_to_sign_in(agency: Agency) -> None:
    http = HttpClient()
    wrong = []
    for name, url in _reachable_pages(agency):
        response = http.get(url)
        _assert_headers(response, no_store=False)
        if matrix().page_permission(name) == PUBLIC:
            ok = response.status_code in (200, 302)
        else:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        if not ok:
            wrong.append(f"{name} {url}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_every_form_refuses_a_post_without_the_csrf_token(agency: Agency) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(agency.people["supervisor"])
    wrong = []
    for name, url in _reachable_pages(agency):
        if matrix().page_permission(name, "post") in (None, PUBLIC):
            continue
        response = http.post(url, {"_form": "note"})
        if response.status_code != 403:
            wrong.append(f"{name} {url}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    api_session = http.post(f"{API}/cases/{agency.case.pk}/notes", "{}", "application/json")
    assert api_session.status_code == 403


def test_a_role_taken_away_counts_from_the_next_request(agency: Agency) -> None:
    user = agency.people["supervisor"]
    http = _browser(user)
    caller = api_for(user)
    assert http.get("/supervision/").status_code == 200
    assert caller.get(f"/cases/{agency.case.pk}").status_code == 200
    set_roles(get_user_model().objects.get(pk=user.pk), ["case_manager"])
    assert http.get("/supervision/").status_code == 403
    assert caller.get(f"/cases/{agency.case.pk}").status_code == 404  # no longer their team
    assert caller.get("/break-glass").status_code == 403


def test_scopes_add_up_over_roles(agency: Agency) -> None:
    user = agency.people["program_manager"]
    assert scopes(user, "case.read") == {"program"}
    set_roles(user, ["program_manager", "case_manager"])
    assert scopes(user, "case.read") == {"program", "care_team"}
    assert has_permission(user, SIGNED_IN)


def test_the_intake_worker_sees_a_referral_only_while_it_is_screened(agency: Agency) -> None:
    from casework.cases.models import PhaseChange

    intake = api_for(agency.people["intake_worker"])
    assert intake.get(f"/cases/{agency.case.pk}").status_code == 200
    PhaseChange.objects.create(
        case=agency.case, seq=2, from_phase="screening", to_phase="assessment", at=clock.now()
    )
    assert intake.get(f"/cases/{agency.case.pk}").status_code == 404
    assert (
        api_for(agency.people["program_manager"]).get(f"/cases/{agency.case.pk}").json()["phase"]
        == "assessment"
    )


def test_a_matrix_naming_an_unknown_permission_or_scope_is_refused() -> None:
    from casework.accounts.permissions import MatrixError, parse_matrix

    base = '[permissions]\n"a.read" = "x"\n'
    assert parse_matrix(base + '[roles.r]\npermissions = { "a.read" = "own" }\n')
    for bad in (
        '[roles.r]\npermissions = { "a.write" = "own" }\n',
        '[roles.r]\npermissions = { "a.read" = "galaxy" }\n',
        '[api]\n"GET /x" = "a.write"\n',
        '[web]\n"page" = { get = "a.read", put = "a.read" }\n',
    ):
        with pytest.raises(MatrixError):
            parse_matrix(base + bad)
