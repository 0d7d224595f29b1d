"""Helpers of the web tests: a signed-in browser-like client for each persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    # The manifest (hashed names) is built by collectstatic, which `casework serve` runs; the
    # test client renders pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def signed_in(user: Any) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


@pytest.fixture
def web(case_manager: Any) -> HttpClient:
    return signed_in(case_manager)
