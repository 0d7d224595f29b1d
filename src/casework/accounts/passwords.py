"""Password rules beyond Django's: an upper bound that is generous, never a truncation.

NIST SP 800-63B and ASVS 6.2: at least 8 characters, at least 64 accepted, no composition
rules, common passwords refused (Django's ``CommonPasswordValidator``). Passwords are never
stripped or truncated, so ``pw`` and ``pw `` are different passwords. The upper bound only
keeps a multi-megabyte "password" from being hashed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

MAX_LENGTH = 128


class MaximumLengthValidator:
    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
