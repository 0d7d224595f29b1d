"""AUTHN-02 (hashing at or above the floor, upgraded at sign-in) and AUTHN-03 (password rules)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.test import Client as HttpClient

from casework.core.errors import InvalidData
from casework.staff.services import create_user
from tests.security.conftest import sign_in

pytestmark = pytest.mark.real_password_hashing

User = get_user_model()


def _argon2_parameters(encoded: str) -> dict[str, int]:
    # argon2$argon2id$v=19$m=65536,t=2,p=1$salt$hash
    algorithm, variety, version, params, *_ = encoded.split("$")
    assert (algorithm, variety) == ("argon2", "argon2id")
    return {k: int(v) for k, v in (p.split("=") for p in params.split(","))}


def test_stored_hashes_are_argon2id_at_or_above_the_floor(db: Any) -> None:
    user = create_user(username="hana", password="a long enough passphrase")
    params = _argon2_parameters(user.password)
    assert params["t"] >= 2 and params["m"] >= 19 * 1024 and params["p"] >= 1


class _WeakPBKDF2(PBKDF2PasswordHasher):
    iterations = 1000


def test_a_legacy_hash_is_upgraded_at_sign_in(db: Any) -> None:
    user = User.objects.create(username="legacy")
    user.password = _WeakPBKDF2().encode("an old but fine passphrase", _WeakPBKDF2().salt())
    user.save()
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"
    response = sign_in(HttpClient(), "legacy", "an old but fine passphrase")
    assert response.status_code == 302
    user.refresh_from_db()
    _argon2_parameters(user.password)


def test_a_weaker_argon2_hash_is_upgraded_too(db: Any) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    class Weak(Argon2PasswordHasher):
        time_cost, memory_cost, parallelism = 1, 8 * 1024, 1

    user = User.objects.create(username="weak_argon")
    user.password = Weak().encode("a fine passphrase here", Weak().salt())
    user.save()
    assert sign_in(HttpClient(), "weak_argon", "a fine passphrase here").status_code == 302
    user.refresh_from_db()
    assert _argon2_parameters(user.password)["m"] >= 19 * 1024


@pytest.mark.parametrize(
    "password",
    ["seven77", "password", "12345678", "qwertyuiop"],
    ids=["7-characters", "common-1", "common-2", "common-3"],
)
def test_short_and_common_passwords_are_refused_naming_password(db: Any, password: str) -> None:
    with pytest.raises(InvalidData) as refused:
        create_user(username="ivan", password=password)
    assert refused.value.field == "password"


def test_the_api_refuses_a_short_password_with_422_naming_password(db: Any) -> None:
    from tests.conftest import api_for

    admin = User.objects.create_superuser("boss", password="a long admin passphrase")
    response = api_for(admin).post(
        "/staff", {"username": "newbie", "password": "short7!", "discipline": "nurse"}
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "password"


def test_64_unicode_characters_and_no_composition_rules(db: Any) -> None:
    long_unicode = ("naïve café ñandú 雪 " * 5)[:64]
    assert len(long_unicode) == 64
    user = create_user(username="uma", password=long_unicode)
    assert user.check_password(long_unicode)
    # Lower-case letters and spaces only: no digit, capital or symbol demanded.
    create_user(username="vera", password="correct horse battery staple")


def test_no_truncation_and_no_stripping(db: Any) -> None:
    user = create_user(username="walt", password="x" * 100 + "end")
    assert not user.check_password("x" * 100 + "END")
    assert not user.check_password("x" * 72)
    spaced = create_user(username="xena", password="quiet river stones ")
    assert spaced.check_password("quiet river stones ")
    assert not spaced.check_password("quiet river stones")
    assert sign_in(HttpClient(), "xena", "quiet river stones").status_code == 200  # refused
    assert sign_in(HttpClient(), "xena", "quiet river stones ").status_code == 302


def test_an_absurdly_long_password_is_refused_not_hashed(db: Any) -> None:
    with pytest.raises(InvalidData):
        create_user(username="yuri", password="y" * 10_000)


def test_changing_the_password_needs_the_current_one(case_manager: Any) -> None:
    http = HttpClient()
    http.force_login(case_manager)
    new = "a brand new passphrase"
    response = http.post(
        "/accounts/password_change/",
        {"old_password": "not the current one", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200  # the form again, with the error
    case_manager.refresh_from_db()
    assert not case_manager.check_password(new)
