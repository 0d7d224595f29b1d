"""Authentication for the API: a bearer token in ``Authorization``, or the web session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from casework.accounts.models import ApiToken
from casework.accounts.tokens import user_for_token

_SAFE = {"GET", "HEAD", "OPTIONS"}


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = user_for_token(token)
        if found is None:
            return None
        user, api_token = found
        if api_token.scope == ApiToken.Scope.READ and request.method not in _SAFE:
            return None
        request.user = user
        return user


API_AUTH = [BearerToken(), SessionAuth()]
