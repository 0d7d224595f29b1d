"""Helpers for the security tests: signing in through the real forms, TOTP codes, the audit
trail since a mark, and tampering with the trail (which needs its triggers dropped first)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from axes.utils import reset as reset_lockouts
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client as HttpClient
from django_otp.oath import TOTP

from casework.accounts.models import SealedTOTPDevice as TOTPDevice
from casework.audit import triggers
from casework.audit.models import AuditEvent
from casework.audit.search import AUDITOR_GROUP
from tests.conftest import PASSWORD, make_staff


@pytest.fixture(autouse=True)
def _no_lockouts(db: Any) -> Iterator[None]:
    reset_lockouts()
    yield


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    # Pages link their CSS through the manifest, which only exists after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def sign_in(http: HttpClient, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return http.post("/accounts/login/", {"username": username, "password": password}, **extra)


def totp_code(device: TOTPDevice, steps_from_now: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_from_now * device.step
    return f"{totp.token():0{device.digits}d}"


def add_device(user: Any) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device


def make_auditor(username: str = "audrey_auditor") -> Any:
    user = make_staff(username)
    group, _ = Group.objects.get_or_create(name=AUDITOR_GROUP)
    user.groups.add(group)
    return user


def mark() -> int:
    """The last sequence number now; rows written after it are the test's."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def rows_since(seq: int, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq, **filters).order_by("seq"))


@contextmanager
def triggers_dropped() -> Iterator[Any]:
    """Drop the append-only triggers for a tampering test (inside the test's transaction, which
    is rolled back afterwards), and put them back."""
    triggers.drop(connection)
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        triggers.install(connection)
