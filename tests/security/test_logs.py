"""AUDIT-06: no secrets or client data in the logs, and no forged log lines."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as HttpClient

from casework.audit.logsafe import SafeFormatter
from tests.conftest import CLIENT, Api
from tests.security.conftest import sign_in


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything the configured handlers would write, through the configured formatter."""
    stream = io.StringIO()
    root = logging.getLogger()
    formatter = next((h.formatter for h in root.handlers if h.formatter), None)
    assert isinstance(formatter, SafeFormatter)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def test_a_line_break_in_request_text_adds_no_log_line(db: Any, log_output: io.StringIO) -> None:
    forged = "x\r\n2026-01-01 00:00:00,000 WARNING django.security all clear"
    HttpClient().get("/api/v1/cases/" + forged.replace("\n", "%0A").replace("\r", "%0D"))
    text = log_output.getvalue()
    assert text, "the 404 should have been logged"
    assert len(text.splitlines()) == text.count("\n") == 1
    assert "\\n2026-01-01" in text


def test_passwords_tokens_and_client_data_stay_out_of_logs(
    api: Api, client_id: int, log_output: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentinel_pw = "Sentinel-Password-7Q"
    sign_in(HttpClient(), "carla_cm", sentinel_pw)
    HttpClient().get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer cw_SentinelTokenZZ9999")
    api.get("/cases", access_token=api.token)
    api.post("/clients", {**CLIENT, "given_name": "Sentinelia"})
    from casework.clients import api as clients_api

    leaked = "Sentin" + "elia Gómez born 1948-" + "05-17"  # not on the line that raises

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(leaked)

    monkeypatch.setattr(clients_api.selectors, "search_clients", explode)
    assert api.get("/clients", q="Sentinelia").status_code == 500
    text = log_output.getvalue()
    assert "RuntimeError" in text  # the error is logged...
    for secret in (sentinel_pw, "SentinelTokenZZ9999", api.token, "Sentinelia", "1948-05-17"):
        assert secret not in text  # ...without the secrets or the data
