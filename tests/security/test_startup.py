"""AUTHN-09 / TLS-01 / DUR-02: production start refuses debug mode, weak secrets, seed accounts,
a networked database without verified TLS and a database that does not flush every commit;
HTTPS-mode settings pass ``manage.py check --deploy``."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

import casework.settings
from casework.accounts.startup import _database_transport_refusals, refusals, weak_secret_key
from casework.core import durability

STRONG_KEY = "Zq8-Vx3_Lm9!Rt2@Pw5#Yb7$Nc1%Hd4^Jf6&Kg0*Ls2(Mp4)Wq6+Ey8=Tu1"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEWORK_")}
    env.pop("DATABASE_URL", None)  # a throwaway SQLite file, never the suite's database
    return {**env, "CASEWORK_DATA_DIR": str(tmp_path), **extra}


def test_serve_refuses_debug_without_dev(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "casework.cli", "serve", "--port", "1"],
        env=_env(tmp_path, CASEWORK_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "CASEWORK_DEBUG=1 is for development only" in run.stderr


def test_refusals_in_process(settings: Any, db: Any) -> None:
    settings.CASEWORK_UNSAFE_DURABILITY_FOR_TESTS = True  # the suite's SQLite is in memory
    settings.DEBUG = True
    assert refusals(dev=False, demo=False)
    assert refusals(dev=True, demo=False) == []
    settings.DEBUG = False
    settings.CASEWORK_HTTPS = True
    settings.SECRET_KEY = "short"
    found = refusals(dev=False, demo=True)
    assert any("SECRET_KEY" in r for r in found)
    assert any("demo agency" in r for r in found)


@pytest.mark.parametrize("key", ["", "changeme", "django-insecure-" + "x" * 60, "ab" * 40])
def test_weak_keys(key: str) -> None:
    assert weak_secret_key(key)
    assert not weak_secret_key(STRONG_KEY)


def test_check_deploy_is_clean_in_https_mode(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING",
         "--settings=casework.settings"],
        env=_env(tmp_path, CASEWORK_HTTPS="1", CASEWORK_SECRET_KEY=STRONG_KEY,
                 CASEWORK_ALLOWED_HOSTS="casework.example.org"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_serve_in_https_mode_refuses_a_weak_key(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "casework.cli", "serve", "--port", "1"],
        env=_env(tmp_path, CASEWORK_HTTPS="1", CASEWORK_SECRET_KEY="changeme",
                 CASEWORK_ALLOWED_HOSTS="casework.example.org"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2
    assert "CASEWORK_SECRET_KEY" in run.stderr


# TLS-01: what HTTPS mode turns on, read from the settings module as production would load it.


def _production_settings(tmp_path: Path, **extra: str) -> dict[str, Any]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(
        _env(tmp_path, **{"CASEWORK_HTTPS": "1", "CASEWORK_SECRET_KEY": STRONG_KEY, **extra})
    )
    try:
        return runpy.run_path(str(Path(casework.settings.__file__)))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_https_mode_settings(tmp_path: Path) -> None:
    found = _production_settings(tmp_path)
    assert found["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SESSION_COOKIE_SECURE"] is True and found["CSRF_COOKIE_SECURE"] is True
    assert found["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert found["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert found["SESSION_COOKIE_HTTPONLY"] is True
    # The API is refused over plain HTTP (test_headers), never redirected.
    assert any(re.match(pattern, "api/v1/cases") for pattern in found["SECURE_REDIRECT_EXEMPT"])
    assert not any(re.match(p, "cases/") for p in found["SECURE_REDIRECT_EXEMPT"])
    plain = _production_settings(tmp_path, CASEWORK_HTTPS="0")
    assert not plain.get("SECURE_SSL_REDIRECT") and not plain.get("SECURE_HSTS_SECONDS")


def test_https_mode_keeps_the_postgresql_tls_options(tmp_path: Path) -> None:
    url = "postgres://cw:pw@db.example.org:5432/cw?sslmode=verify-full&sslrootcert=/etc/ca.pem"
    database = _production_settings(tmp_path, DATABASE_URL=url)["DATABASES"]["default"]
    assert database["OPTIONS"] == {"sslmode": "verify-full", "sslrootcert": "/etc/ca.pem"}
    assert _database_transport_refusals(database) == []


@pytest.mark.parametrize(
    ("host", "options", "refused"),
    [
        ("db.example.org", {}, True),
        ("db.example.org", {"sslmode": "require"}, True),  # encrypted, but to anyone
        ("10.0.0.5", {"sslmode": "verify-ca"}, True),  # the name is not checked
        ("127.0.0.1", {"sslmode": "prefer"}, True),
        ("db.example.org", {"sslmode": "verify-full"}, False),
        ("/var/run/postgresql", {}, False),  # a Unix socket never leaves the machine
        ("", {}, False),
    ],
)
def test_a_networked_postgresql_needs_verify_full(
    host: str, options: dict[str, str], refused: bool
) -> None:
    database = {"ENGINE": "django.db.backends.postgresql", "HOST": host, "OPTIONS": options}
    assert bool(_database_transport_refusals(database)) is refused


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_https_mode_refuses_a_database_without_verified_tls(settings: Any, db: Any) -> None:
    settings.CASEWORK_UNSAFE_DURABILITY_FOR_TESTS = True
    settings.CASEWORK_HTTPS = True
    settings.SECRET_KEY = STRONG_KEY
    settings.DATABASES = {
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql",
                    "HOST": "db.example.org", "OPTIONS": {}}
    }  # fmt: skip
    assert any("sslmode=verify-full" in reason for reason in refusals(dev=False, demo=False))


# DUR-02: the database flushes every acknowledged commit, or serve does not start.


@pytest.fixture
def live(db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A connection configured as ``casework serve`` makes it: the suite's own on PostgreSQL; on
    SQLite one to a file (the suite's database is in memory, where WAL cannot exist)."""
    if connection.vendor != "sqlite":
        yield connection
        return
    wrapper = SQLiteWrapper({**connection.settings_dict, "NAME": str(tmp_path / "live.sqlite3")})
    monkeypatch.setattr("casework.accounts.startup.connection", wrapper)
    try:
        yield wrapper
    finally:
        wrapper.close()


def test_a_database_as_configured_is_durable(live: Any) -> None:
    assert durability.problems(live) == []


def test_serve_refuses_a_database_that_does_not_flush(live: Any, settings: Any) -> None:
    with live.cursor() as cursor:
        if live.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=NORMAL")
        else:  # undone with the test's transaction
            cursor.execute("SET LOCAL synchronous_commit TO off")
    found = refusals(dev=False, demo=False)
    assert any("synchronous" in reason for reason in found), found
    settings.CASEWORK_UNSAFE_DURABILITY_FOR_TESTS = True
    assert refusals(dev=False, demo=False) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("journal_mode", "delete"), ("journal_mode", "memory"), ("synchronous", 1),
     ("synchronous", 0), ("foreign_keys", 0), ("busy_timeout", 0), ("busy_timeout", None)],
)  # fmt: skip
def test_each_sqlite_setting_is_checked(name: str, value: Any) -> None:
    good = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 20000}
    assert durability.sqlite_problems(good) == []
    assert durability.sqlite_problems({**good, "synchronous": 3}) == []  # EXTRA is stronger
    found = durability.sqlite_problems({**good, name: value})
    assert len(found) == 1 and name in found[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [("fsync", "off"), ("full_page_writes", "off"), ("synchronous_commit", "off"),
     ("synchronous_commit", "local"), ("fsync", None)],
)  # fmt: skip
def test_each_postgresql_setting_is_checked(name: str, value: str | None) -> None:
    good = {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "on"}
    assert durability.postgres_problems(good) == []
    for stronger in ("remote_write", "remote_apply"):
        assert durability.postgres_problems({**good, "synchronous_commit": stronger}) == []
    found = durability.postgres_problems({**good, name: value})  # type: ignore[dict-item]
    assert len(found) == 1 and name in found[0]
