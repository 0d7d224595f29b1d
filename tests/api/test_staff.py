"""Staff records, their credentials and the eligibility picture through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.core import clock
from casework.staff.services import create_user
from tests.api.test_bad_input import assert_problem
from tests.conftest import PASSWORD, Api, api_for


def test_only_an_administrator_adds_staff(api: Api, db: Any) -> None:
    body = {"username": "newnurse", "discipline": "nurse", "first_name": "Nia",
            "password": "a perfectly long password"}  # fmt: skip
    assert_problem(api.post("/staff", body), 403)
    admin = create_user(username="root", password=PASSWORD, is_superuser=True)
    response = api_for(admin).post("/staff", body)
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "newnurse"
    weak = {**body, "username": "weak", "password": "short"}
    assert_problem(api_for(admin).post("/staff", weak), 422, "password")
    taken = api_for(admin).post("/staff", body)
    assert_problem(taken, 409, "username")


def test_the_credential_picture_follows_the_record(api: Api, case_manager: Any) -> None:
    staff_id = case_manager.staff.pk
    today = clock.today()
    before = {c["credential"]: c for c in api.get(f"/staff/{staff_id}/credentials").json()}
    assert not before["CCM"]["eligible"]
    licence = {"licence_type": "RN", "issuing_state": "NY", "number": "123456",
               "expires_on": (today + dt.timedelta(days=500)).isoformat(),
               "independent_practice": True}  # fmt: skip
    assert api.post(f"/staff/{staff_id}/licences", licence).status_code == 201
    period = {"role": "case_manager", "started_on": (today - dt.timedelta(days=800)).isoformat(),
              "health_delivery_system": True}  # fmt: skip
    created = api.post(f"/staff/{staff_id}/experience", period)
    assert created.status_code == 201, created.content
    after = {c["credential"]: c for c in api.get(f"/staff/{staff_id}/credentials").json()}
    assert after["CCM"]["eligible"]
    assert after["ACM-RN"]["eligible"]
    assert not after["ACM-SW"]["eligible"]
    assert "a bachelor's or master's degree in social work" in after["ACM-SW"]["missing"]


def test_bad_credential_records_are_refused(api: Api, case_manager: Any) -> None:
    staff_id = case_manager.staff.pk
    ce = {"title": "Ethics", "completed_on": "2026-01-01", "hours": 2, "ethics_hours": 3}
    assert_problem(api.post(f"/staff/{staff_id}/continuing-education", ce), 422, "ethics_hours")
    ce_str = {"title": "Ethics", "completed_on": "2026-01-01", "hours": "2"}
    assert_problem(api.post(f"/staff/{staff_id}/continuing-education", ce_str), 422, "hours")
    period = {"role": "case_manager", "started_on": "2026-01-01", "fte_percent": 150}
    assert_problem(api.post(f"/staff/{staff_id}/experience", period), 422, "fte_percent")
