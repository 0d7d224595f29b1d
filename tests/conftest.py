"""Personas and helpers shared by the tests.

Personas stand for roles: a case manager with a caseload, their supervisor, a colleague on
another team (the outsider), and an administrator who is not clinical staff.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient

from casework.accounts.tokens import issue_token
from casework.cases.models import Program
from casework.core import clock
from casework.staff.models import StaffMember
from casework.staff.services import create_user

PASSWORD = "correct horse battery staple"


@dataclass
class Api:
    """A signed-in HTTP client speaking JSON to /api/v1 with a bearer token."""

    http: HttpClient
    token: str
    user: Any

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        merged = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        for name, value in (headers or {}).items():
            merged["HTTP_" + name.upper().replace("-", "_")] = value
        return merged

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.http.get("/api/v1" + path, params, **self._headers(headers))

    def send(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.http, method)(
            "/api/v1" + path, data, content_type="application/json", **self._headers(headers)
        )

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.send("post", path, body, headers)

    def patch(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.send("patch", path, body, headers)

    def create(self, path: str, body: Any, key: str | None = None) -> Any:
        """POST a new record with an Idempotency-Key (a fresh one unless given)."""
        return self.post(path, body, headers={"Idempotency-Key": key or uuid.uuid4().hex})


def make_staff(
    username: str,
    *,
    discipline: str = "nurse",
    supervisor: Any = None,
    roles: tuple[str, ...] = ("case_manager",),
) -> Any:
    user = create_user(
        username=username,
        password=PASSWORD,
        first_name=username.title(),
        last_name="Tester",
        roles=roles,
    )
    StaffMember.objects.create(user=user, discipline=discipline, supervisor=supervisor)
    return user


def api_for(user: Any) -> Api:
    _, raw = issue_token(user, name="tests")
    return Api(HttpClient(), raw, user)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2id at the production cost takes about 160 ms a hash here, and most tests make users
    and sign them in; the hashing policy itself is tested with the real hashers (AUTHN-02, the
    ``real_password_hashing`` marker). Servers started as subprocesses keep the real ones."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def supervisor(db: Any) -> Any:
    return make_staff("sam_supervisor", discipline="social_work", roles=("supervisor",))


@pytest.fixture
def case_manager(supervisor: Any) -> Any:
    return make_staff("carla_cm", supervisor=supervisor.staff)


@pytest.fixture
def outsider(db: Any) -> Any:
    return make_staff("olga_outsider")


@pytest.fixture
def api(case_manager: Any) -> Api:
    return api_for(case_manager)


@pytest.fixture
def administrator(db: Any) -> Any:
    """Runs the system: users, programs, staff records; no clinical access."""
    return create_user(username="ada_admin", password=PASSWORD, roles=("administrator",))


@pytest.fixture
def admin_api(administrator: Any) -> Api:
    return api_for(administrator)


@pytest.fixture
def program(db: Any) -> Program:
    return Program.objects.create(
        name="Hospital transitions",
        case_type="care transitions",
        required_domains=["medical", "housing", "caregiver"],
        reopen_window_days=90,
        lost_to_contact_attempts=3,
    )


CLIENT = {
    "given_name": "María",
    "family_name": "Gómez",
    "birth_date": "1948-05-17",
    "preferred_language": "Spanish",
    "interpreter_needed": True,
    "state": "TX",
}


@pytest.fixture
def client_id(api: Api) -> int:
    response = api.post("/clients", CLIENT)
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


@pytest.fixture
def case_id(api: Api, client_id: int, program: Program, case_manager: Any) -> int:
    response = api.post(
        "/cases",
        {
            "client": client_id,
            "program": program.pk,
            "primary_case_manager": case_manager.staff.pk,
            "referral_source": "hospital",
            "referral_reason": "Discharged after heart failure admission; lives alone.",
            "referred_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])
