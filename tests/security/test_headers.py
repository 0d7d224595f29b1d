"""HDR-01 (headers on every answer, 2xx, 4xx and 5xx), HDR-03 (CSRF on session writes, foreign
origin refused), request body limit answered 413 (INPUT), plain HTTP refused in HTTPS mode."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from casework.accounts.hardening import CONTENT_SECURITY_POLICY
from tests.conftest import CLIENT, Api
from tests.security.conftest import sign_in


def _assert_headers(response: Any, *, no_store: bool = True) -> None:
    csp = response["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "script-src 'self'"):  # fmt: skip
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]
    if no_store:
        assert "no-store" in response["Cache-Control"]
    content_type = response["Content-Type"].replace('"', "")  # charset="utf-8" is the same
    assert "charset=utf-8" in content_type or "json" in content_type


def test_api_answers_carry_the_headers(api: Api, client_id: int) -> None:
    _assert_headers(api.get(f"/clients/{client_id}"))  # 200
    _assert_headers(api.get("/clients/999999"))  # 404
    _assert_headers(HttpClient().get("/api/v1/cases"))  # 401
    _assert_headers(api.post("/clients", {"given_name": 1}))  # 422


def test_web_pages_carry_the_headers(case_manager: Any) -> None:
    _assert_headers(HttpClient().get("/accounts/login/"))
    _assert_headers(HttpClient().get("/"))  # redirect to sign in
    _assert_headers(HttpClient().get("/no/such/page/"))  # 404


def test_an_unexpected_error_is_a_generic_500_with_headers(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.clients import api as clients_api

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail: María Gómez")

    monkeypatch.setattr(clients_api.selectors, "search_clients", explode)
    response = api.get("/clients")
    assert response.status_code == 500
    _assert_headers(response)
    body = response.json()
    assert set(body) >= {"type", "title", "status", "request_id"}
    assert body["request_id"] == response["X-Request-ID"]
    assert "María" not in response.content.decode()


def test_the_api_docs_page_works_under_the_policy(db: Any) -> None:
    page = HttpClient().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    # No inline script to be blocked: scripts are files, settings a JSON data block.
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in html


def test_oversized_body_is_413_problem(api: Api) -> None:
    big = {**CLIENT, "preferences": "x" * (1024 * 1024 + 10)}
    response = api.post("/clients", big)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413


def test_session_writes_need_csrf_and_same_origin(case_manager: Any) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(case_manager)
    assert http.get("/api/v1/cases").status_code == 200  # reads need no token
    refused = http.post("/api/v1/clients", CLIENT, content_type="application/json")
    assert refused.status_code == 403
    http.get("/accounts/login/")  # sets the CSRF cookie
    token = http.cookies["csrftoken"].value
    foreign = http.post("/api/v1/clients", CLIENT, content_type="application/json",
                        HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="https://evil.example")  # fmt: skip
    assert foreign.status_code == 403
    ok = http.post("/api/v1/clients", CLIENT, content_type="application/json",
                   HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert ok.status_code == 201, ok.content


def test_sign_in_form_needs_csrf(case_manager: Any) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    assert sign_in(http, "carla_cm").status_code == 403


def test_https_mode_refuses_plain_http_on_the_api(api: Api, settings: Any) -> None:
    settings.CASEWORK_HTTPS = True
    response = api.get("/cases")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert api.get("/cases", headers={}).status_code == 403
    secure = api.http.get("/api/v1/cases", secure=True, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert secure.status_code == 200
