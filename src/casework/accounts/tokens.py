"""Issuing and checking API tokens. The raw token is shown once; only its digest is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction

from casework.accounts.models import ApiToken
from casework.audit.events import Action, record
from casework.core import clock

TOKEN_PREFIX = "cw_"
# last_used_at is written at most this often per token: a write per API call would be waste.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def digest(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_token(
    user: User,
    *,
    name: str = "",
    scope: str = ApiToken.Scope.WRITE,
    lifetime_days: int | None = 365,
) -> tuple[ApiToken, str]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = clock.now() + dt.timedelta(days=lifetime_days) if lifetime_days else None
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], digest=digest(raw), scope=scope, expires_at=expires
    )
    record(
        Action.PERMISSION_CHANGE,
        object_type="api_token",
        object_id=token.prefix,
        details={
            "change": "token_issued",
            "target": user.get_username(),
            "scope": scope,
            "expires": expires.isoformat() if expires else None,
        },
    )
    return token, raw


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX) and len(value) > len(TOKEN_PREFIX) + 8


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active user a live token belongs to, or None (unknown, revoked, expired)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = clock.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record(
            Action.PERMISSION_CHANGE,
            object_type="api_token",
            object_id=token.prefix,
            details={"change": "token_revoked", "target": token.user.get_username()},
        )
