"""Authentication for the API: a bearer token in ``Authorization``, or the web session.

Once the caller is known, the access matrix decides whether their roles allow the operation
(``casework.accounts.permissions``); what records they may touch is decided later, by the
visibility selectors.

A token is accepted in the ``Authorization`` header only: one found in the query string is
refused (400) whether or not a header came too, because URLs end up in access logs, browser
history and referrers. A read-scoped token on a write route is a known caller doing something
their token does not allow: 403, not 401.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from casework.accounts.models import ApiToken
from casework.accounts.permissions import require_api_operation
from casework.accounts.tokens import looks_like_token, user_for_token
from casework.core.errors import Forbidden, Problem

_SAFE = {"GET", "HEAD", "OPTIONS"}
_TOKEN_PARAMS = {"token", "access_token", "api_key", "apikey", "bearer", "authorization"}


class TokenInQuery(Problem):
    status = 400
    title = "Bad request"


def refuse_token_in_query(request: HttpRequest) -> None:
    for name, values in request.GET.lists():
        if name.lower() in _TOKEN_PARAMS or any(looks_like_token(v) for v in values):
            raise TokenInQuery(
                "send the token in the Authorization header, never in the URL "
                "(revoke this one: URLs are logged)",
                field=name,
            )


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        refuse_token_in_query(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = user_for_token(token)
        if found is None:
            return None
        user, api_token = found
        if api_token.scope == ApiToken.Scope.READ and request.method not in _SAFE:
            raise Forbidden(
                "this token is read-only; a write needs a token with scope 'write'",
                field="Authorization",
            )
        request.user = user
        require_api_operation(request, user)
        return user


class SignedInSession(SessionAuth):
    """The web session (with ninja's CSRF check), then the same access-matrix decision."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            require_api_operation(request, user)
        return user


API_AUTH = [BearerToken(), SignedInSession()]
