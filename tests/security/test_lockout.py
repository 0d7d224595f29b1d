"""AUTHN-05: failed sign-ins lock the name and the address out for a while, with 429 and
Retry-After; unknown names and wrong passwords get the same answers; each failure audited."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.test import Client as HttpClient

from tests.security.conftest import mark, rows_since, sign_in


def _page(response: Any) -> bytes:
    # The CSRF token differs per answer; nothing else may.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


def test_unknown_user_and_wrong_password_get_the_same_answer(case_manager: Any) -> None:
    wrong = sign_in(HttpClient(), "carla_cm", "wrong password")
    unknown = sign_in(HttpClient(), "no_such_person", "wrong password")
    assert wrong.status_code == unknown.status_code == 200
    assert _page(wrong) == _page(unknown).replace(b"no_such_person", b"carla_cm")


def test_repeated_failures_lock_out_with_429_and_retry_after(case_manager: Any) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    assert limit <= 100
    start = mark()
    http = HttpClient()
    answers = [sign_in(http, "carla_cm", f"guess {i}").status_code for i in range(limit)]
    assert answers[:-1] == [200] * (limit - 1)
    locked = sign_in(http, "carla_cm", "correct horse battery staple")  # even the right one
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    failures = rows_since(start, action="login_failed")
    assert len(failures) == limit + 1
    assert all(f.ip == "127.0.0.1" and f.username == "carla_cm" for f in failures)
    assert rows_since(start, action="login") == []


def test_a_locked_unknown_name_answers_like_a_locked_real_one(case_manager: Any) -> None:
    answers = {}
    for name, address in (("carla_cm", "10.1.1.1"), ("ghost", "10.2.2.2")):
        http = HttpClient(REMOTE_ADDR=address)
        for i in range(settings.AXES_FAILURE_LIMIT):
            sign_in(http, name, f"guess {i}")
        answers[name] = sign_in(http, name, "whatever")
    real, ghost = answers["carla_cm"], answers["ghost"]
    assert real.status_code == ghost.status_code == 429
    assert real.content == ghost.content and real["Retry-After"] == ghost["Retry-After"]


def test_the_lockout_is_per_address_as_well(case_manager: Any, outsider: Any) -> None:
    http = HttpClient(REMOTE_ADDR="10.9.9.9")
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(http, f"spray_{i}", "Winter2026!")  # one try each at many names
    assert sign_in(http, "olga_outsider").status_code == 429
    # Another address is not locked out.
    assert sign_in(HttpClient(REMOTE_ADDR="10.8.8.8"), "olga_outsider").status_code == 302
