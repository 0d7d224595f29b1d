"""AUTHN-08: API tokens random, stored hashed, scoped, expiring, revocable, accepted only in the
Authorization header; last use recorded; listed without revealing them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import serializers
from django.test import Client as HttpClient

from casework.accounts.models import ApiToken
from casework.accounts.tokens import issue_token
from casework.cli import main
from casework.core import clock
from tests.conftest import CLIENT, Api


def test_a_read_token_on_a_write_route_is_403(case_manager: Any) -> None:
    _, raw = issue_token(case_manager, scope="read")
    api = Api(HttpClient(), raw, case_manager)
    assert api.get("/cases").status_code == 200
    response = api.post("/clients", CLIENT)
    assert response.status_code == 403
    assert response.json()["field"] == "Authorization"


def test_a_token_in_the_query_string_is_400(api: Api) -> None:
    http = HttpClient()
    for params in ({"token": api.token}, {"access_token": api.token}, {"q": api.token}):
        response = http.get("/api/v1/cases", params)
        assert response.status_code == 400, params
    # Even with a good header beside it.
    assert api.get("/cases", access_token=api.token).status_code == 400


def test_a_revoked_token_is_refused_on_the_next_call(api: Api, capsys: Any) -> None:
    assert api.get("/cases").status_code == 200
    prefix = ApiToken.objects.get(user=api.user).prefix
    assert main(["token", "revoke", prefix]) == 0
    assert api.get("/cases").status_code == 401


def test_an_expired_token_is_refused(case_manager: Any) -> None:
    _, raw = issue_token(case_manager, lifetime_days=1)
    api = Api(HttpClient(), raw, case_manager)
    with clock.frozen_at(clock.now() + dt.timedelta(days=1, seconds=1)):
        assert api.get("/cases").status_code == 401


def test_no_raw_token_in_a_database_dump(api: Api) -> None:
    dump = serializers.serialize("json", ApiToken.objects.all())
    assert api.token not in dump
    assert api.token[:10] in dump  # only the recognisable prefix


def test_last_use_is_recorded(api: Api) -> None:
    token = ApiToken.objects.get(user=api.user)
    assert token.last_used_at is None
    moment = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
    with clock.frozen_at(moment):
        api.get("/cases")
    token.refresh_from_db()
    assert token.last_used_at == moment


def test_token_list_shows_prefixes_never_tokens(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "list", "carla_cm"]) == 0
    out = capsys.readouterr().out
    assert api.token[:10] in out and api.token not in out
    assert "write" in out
