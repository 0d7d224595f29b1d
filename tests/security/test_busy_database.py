"""DUR-02: the SQLite connection runs with WAL, synchronous=FULL, foreign keys and a busy
timeout, and a database still busy after it is answered 503 with Retry-After, never 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client as HttpClient

from tests.api.test_bad_input import assert_problem
from tests.conftest import Api


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_sqlite_runs_with_the_durable_settings(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5


def _locked(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def test_a_busy_database_is_503_with_retry_after_on_the_api(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.clients import api as clients_api

    monkeypatch.setattr(clients_api.selectors, "search_clients", _locked)
    busy = assert_problem(api.get("/clients"), 503)
    assert busy["title"] == "Service busy"
    assert api.get("/clients")["Retry-After"] == "2"


def test_a_busy_database_is_503_with_retry_after_on_a_page(
    case_manager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.web.views import caseload

    monkeypatch.setattr(caseload, "_rows", _locked)
    web = HttpClient()
    web.force_login(case_manager)
    answer = web.get("/")
    assert answer.status_code == 503 and answer["Retry-After"] == "2"
    assert b"Nothing was saved" in answer.content


def test_other_database_errors_stay_500(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from casework.clients import api as clients_api

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("no such column: x")

    monkeypatch.setattr(clients_api.selectors, "search_clients", broken)
    assert api.get("/clients").status_code == 500


def _unreachable(*args: Any, **kwargs: Any) -> Any:
    """What Django raises when PostgreSQL refuses the connection or died mid-request."""
    import psycopg

    error = OperationalError("connection failed: Connection refused")
    error.__cause__ = psycopg.OperationalError("connection failed: Connection refused")
    raise error


def test_an_unreachable_database_is_503_on_the_api(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.clients import api as clients_api

    monkeypatch.setattr(clients_api.selectors, "search_clients", _unreachable)
    assert_problem(api.get("/clients"), 503)


@pytest.mark.parametrize("path", ["/api/v1/clients", "/"])
def test_a_database_lost_before_any_view_is_503_not_500(
    case_manager: Any, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """The first query of a request is often the audit transaction's, in a middleware: Django's
    500 handler answers it, and tells a lost database apart."""
    from casework.audit import middleware

    http = HttpClient(raise_request_exception=False)
    http.force_login(case_manager)
    monkeypatch.setattr(middleware.transaction, "atomic", _unreachable)
    answer = http.get(path)
    assert answer.status_code == 503 and answer["Retry-After"] == "2"
    if path.startswith("/api/"):
        assert answer["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/api/v1/clients", "/"])
def test_other_errors_before_any_view_stay_a_generic_500(
    case_manager: Any, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    from casework.audit import middleware

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("no such column: SENTINEL-COLUMN")

    http = HttpClient(raise_request_exception=False)
    http.force_login(case_manager)
    monkeypatch.setattr(middleware.transaction, "atomic", broken)
    answer = http.get(path)
    assert answer.status_code == 500 and b"SENTINEL-COLUMN" not in answer.content
    if path.startswith("/api/"):
        assert "request_id" in assert_problem(answer, 500)
