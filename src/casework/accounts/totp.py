"""TOTP devices whose seeds are sealed at rest (AUTHN-04): AES-256-GCM under a key derived
from ``CASEWORK_TOTP_KEY`` (or, by default, the secret key), so that a copy of the database
(a backup, a dump) cannot mint second-factor codes.

django-otp keeps the seed as hex in ``TOTPDevice.key`` and reads it through ``bin_key``; the
proxy model below stores ``v1:<base64url(nonce || ciphertext || tag)>`` there instead (64
characters plus the prefix, within the field's 80) and opens it in ``bin_key``. A seed stored
before sealing existed still reads (and is sealed at its next save, or by migration).
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "v1:"


def _key() -> bytes:
    material = os.environ.get("CASEWORK_TOTP_KEY") or settings.SECRET_KEY
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"casework totp seed v1"
    ).derive(material.encode())


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(hex_seed: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, binascii.unhexlify(hex_seed), b"totp")
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def open_seed(stored: str) -> bytes:
    if not is_sealed(stored):
        return binascii.unhexlify(stored.encode())
    raw = stored.removeprefix(PREFIX)
    blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    return AESGCM(_key()).decrypt(blob[:12], blob[12:], b"totp")
