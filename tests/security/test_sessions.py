"""AUTHN-06 (session renewed at sign-in, ended at sign-out and when the user is disabled),
AUTHN-07 (idle timeout and absolute lifetime on the project's clock), HDR-02 (cookies)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient

from casework.core import clock
from tests.security.conftest import mark, rows_since, sign_in

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def test_the_session_id_changes_at_sign_in(case_manager: Any) -> None:
    http = HttpClient()
    http.get("/accounts/login/")
    http.session["anything"] = 1  # an anonymous session a fixation attack would plant
    planted = http.session.session_key
    assert sign_in(http, "carla_cm").status_code == 302
    assert http.cookies["sessionid"].value != planted
    assert not Session.objects.filter(session_key=planted).exists()
    assert len(http.cookies["sessionid"].value) >= 32  # 190 random bits in Django's keys


def test_the_session_id_changes_when_the_user_is_given_a_role(case_manager: Any) -> None:
    from casework.accounts.roles import grant_roles

    http = HttpClient()
    with clock.frozen_at(T0):
        sign_in(http, "carla_cm")
        before = http.cookies["sessionid"].value
        assert http.get("/api/v1/cases").status_code == 200
        assert http.cookies["sessionid"].value == before  # no change, no new id
        grant_roles(case_manager, ["supervisor"])
        assert http.get("/supervision/").status_code == 200  # counts at once, signed in still
        after = http.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_replayed_cookie_after_sign_out_is_refused(case_manager: Any) -> None:
    http = HttpClient()
    sign_in(http, "carla_cm")
    stolen = http.cookies["sessionid"].value
    http.post("/accounts/logout/")
    replay = HttpClient()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/api/v1/cases").status_code == 401


def test_disabling_a_user_ends_their_sessions(case_manager: Any) -> None:
    http = HttpClient()
    sign_in(http, "carla_cm")
    key = http.cookies["sessionid"].value
    assert http.get("/api/v1/cases").status_code == 200
    case_manager.is_active = False
    case_manager.save()
    assert not Session.objects.filter(session_key=key).exists()  # gone server-side at once
    assert http.get("/api/v1/cases").status_code == 401


def _signed_in_at(user: Any, moment: dt.datetime) -> HttpClient:
    http = HttpClient()
    with clock.frozen_at(moment):
        assert sign_in(http, user.username).status_code == 302
    return http


def test_idle_timeout(case_manager: Any) -> None:
    idle = settings.CASEWORK_IDLE_TIMEOUT_SECONDS
    assert idle == 15 * 60
    http = _signed_in_at(case_manager, T0)
    with clock.frozen_at(T0 + dt.timedelta(seconds=idle - 1)):
        assert http.get("/api/v1/cases").status_code == 200  # activity keeps it alive
    with clock.frozen_at(T0 + dt.timedelta(seconds=2 * idle - 2)):
        assert http.get("/api/v1/cases").status_code == 200
    start = mark()
    with clock.frozen_at(T0 + dt.timedelta(seconds=3 * idle)):
        assert http.get("/api/v1/cases").status_code == 401
        page = http.get("/")
    assert page.status_code == 302 and page["Location"].startswith(settings.LOGIN_URL)
    assert rows_since(start, action="logout")[0].details == {"reason": "idle_timeout"}


def test_idle_plus_one_second_needs_the_password(case_manager: Any) -> None:
    http = _signed_in_at(case_manager, T0)
    with clock.frozen_at(T0 + dt.timedelta(seconds=settings.CASEWORK_IDLE_TIMEOUT_SECONDS + 1)):
        assert http.get("/api/v1/cases").status_code == 401


def test_twelve_hours_of_constant_activity_still_ends(case_manager: Any) -> None:
    http = _signed_in_at(case_manager, T0)
    moment = T0
    while moment < T0 + dt.timedelta(hours=12):
        moment += dt.timedelta(minutes=10)
        with clock.frozen_at(moment):
            status = http.get("/api/v1/cases").status_code
        if moment <= T0 + dt.timedelta(hours=12):
            assert status == 200, moment
    with clock.frozen_at(T0 + dt.timedelta(hours=12, minutes=10)):
        assert http.get("/api/v1/cases").status_code == 401


def test_session_cookie_flags(case_manager: Any) -> None:
    http = HttpClient()
    sign_in(http, "carla_cm")
    cookie = http.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


_HTTPS_SETTINGS = """
import os
os.environ.update(CASEWORK_HTTPS="1", CASEWORK_ALLOWED_HOSTS="casework.example.org",
                  CASEWORK_SECRET_KEY="Zq8-Vx3_Lm9!Rt2@Pw5#Yb7$Nc1%Hd4^Jf6&Kg0*Ls2(Mp4)Wq6+Ey8")
from casework import settings as s
print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,
      s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT)
"""


def test_https_mode_uses_host_prefixed_secure_cookies_and_hsts() -> None:
    out = subprocess.run([sys.executable, "-c", _HTTPS_SETTINGS], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "__Host-sessionid", "__Host-csrftoken", "True", "True", "31536000", "True", "True",
    ]  # fmt: skip
