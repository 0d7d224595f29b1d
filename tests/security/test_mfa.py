"""AUTHN-04: the second factor (TOTP) before any client data, for administrators always and for
anyone who enrolled; codes single-use, one step of drift, rate-limited; a password reset does
not skip it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client as HttpClient
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from casework.accounts.models import SealedTOTPDevice as TOTPDevice
from tests.conftest import PASSWORD
from tests.security.conftest import add_device, mark, rows_since, sign_in, totp_code

OTP = "/accounts/otp/"


def _signed_in_with_password(user: Any) -> HttpClient:
    http = HttpClient()
    assert sign_in(http, user.username).status_code == 302
    return http


def test_a_password_alone_reaches_no_client_route(case_manager: Any, client_id: int) -> None:
    add_device(case_manager)
    http = _signed_in_with_password(case_manager)
    assert http.get(f"/api/v1/clients/{client_id}").status_code == 401
    assert http.get("/api/v1/cases").status_code == 401
    page = http.get("/")
    assert page.status_code == 302 and page["Location"].startswith(OTP)


def test_the_right_code_opens_the_session_and_renews_its_id(
    case_manager: Any, client_id: int
) -> None:
    device = add_device(case_manager)
    http = _signed_in_with_password(case_manager)
    before = http.cookies["sessionid"].value
    start = mark()
    response = http.post(OTP, {"code": totp_code(device), "next": "/api/v1/cases"})
    assert response.status_code == 302 and response["Location"] == "/api/v1/cases"
    assert http.cookies["sessionid"].value != before
    assert http.get(f"/api/v1/clients/{client_id}").status_code == 200
    assert rows_since(start, action="login")[0].details == {"step": "second_factor"}


def test_a_replayed_code_is_refused(case_manager: Any) -> None:
    device = add_device(case_manager)
    code = totp_code(device)
    first = _signed_in_with_password(case_manager)
    assert first.post(OTP, {"code": code}).status_code == 302
    second = _signed_in_with_password(case_manager)
    start = mark()
    assert second.post(OTP, {"code": code}).status_code == 401
    assert rows_since(start, action="login_failed")[0].details == {"step": "second_factor"}


def test_one_step_of_drift_is_allowed_not_two(case_manager: Any) -> None:
    device = add_device(case_manager)
    http = _signed_in_with_password(case_manager)
    assert http.post(OTP, {"code": totp_code(device, -3)}).status_code == 401
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)  # fmt: skip
    assert http.post(OTP, {"code": totp_code(device, -1)}).status_code == 302


def test_past_the_attempt_limit_the_answer_is_429(case_manager: Any) -> None:
    device = add_device(case_manager)
    http = _signed_in_with_password(case_manager)
    assert http.post(OTP, {"code": "000000"}).status_code in (401, 429)
    throttled = http.post(OTP, {"code": totp_code(device)})
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) >= 1


def test_administrators_must_enrol_before_anything_else(db: Any) -> None:
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    http = _signed_in_with_password(admin)
    assert http.get("/admin/")["Location"].startswith(OTP)
    setup = http.get(OTP, follow=True)
    assert setup.status_code == 200 and b"authenticator" in setup.content
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert http.post("/accounts/otp/setup/", {"code": totp_code(device)}).status_code == 302
    assert http.get("/admin/").status_code == 200


def test_setup_cannot_replace_a_device_without_its_code(case_manager: Any) -> None:
    add_device(case_manager)
    http = _signed_in_with_password(case_manager)
    response = http.get("/accounts/otp/setup/")
    assert response.status_code == 302 and response["Location"].startswith(OTP)


def test_a_password_reset_does_not_skip_the_second_factor(case_manager: Any) -> None:
    add_device(case_manager)
    http = HttpClient()
    uid = urlsafe_base64_encode(force_bytes(case_manager.pk))
    token = default_token_generator.make_token(case_manager)
    form = http.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    new = "a completely new passphrase"
    done = http.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert http.get("/api/v1/cases").status_code == 401  # the reset signed nobody in
    assert sign_in(http, case_manager.username, new).status_code == 302
    assert http.get("/api/v1/cases").status_code == 401  # still needs the code
    assert re.match(OTP, http.get("/")["Location"])


def test_seeds_are_sealed_at_rest_and_still_give_codes(case_manager: Any) -> None:
    from django.db import connection

    from casework.accounts import totp

    device = add_device(case_manager)
    seed_hex = device.bin_key.hex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and seed_hex not in stored.lower()
    assert len(stored) <= 80
    http = _signed_in_with_password(case_manager)
    assert http.post(OTP, {"code": totp_code(device)}).status_code == 302
    # Another key cannot open it: a database copy alone mints no codes.
    from cryptography.exceptions import InvalidTag

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEWORK_TOTP_KEY", "another installation's key")
        with pytest.raises(InvalidTag):
            totp.open_seed(stored)
