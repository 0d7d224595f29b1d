"""AUTHN-09 / TLS-01: production start refuses debug mode, weak secrets and seed accounts, and
HTTPS-mode settings pass ``manage.py check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from casework.accounts.startup import refusals, weak_secret_key

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
