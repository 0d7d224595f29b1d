"""Session lifetime: an idle timeout and an absolute lifetime, on the project's clock.

Both are checked server-side at every request from timestamps kept in the session; a session
past either is flushed (deleted from the store), so the request goes on signed out and the web
asks for the password again, the API answers 401. Django's own expiry (``SESSION_COOKIE_AGE``)
stays as a backstop but runs on the wall clock, which tests cannot set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from casework.core import clock

SIGNED_IN_AT = "casework_signed_in_at"
LAST_SEEN = "casework_last_seen"
# The roles the session was last used with: when they change, the session gets a new id.
ROLES_SEEN = "casework_roles"


def idle_seconds() -> int:
    return int(getattr(settings, "CASEWORK_IDLE_TIMEOUT_SECONDS", 15 * 60))


def absolute_seconds() -> int:
    return int(getattr(settings, "CASEWORK_SESSION_MAX_SECONDS", 12 * 60 * 60))


def stamp_sign_in(request: HttpRequest, user: Any) -> None:
    now = clock.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[ROLES_SEEN] = _roles_key(user)


def _roles_key(user: Any) -> str:
    from casework.accounts.permissions import roles_of

    return ",".join(sorted(roles_of(user)))


def renew_on_privilege_change(request: HttpRequest) -> None:
    """A role granted or taken away since the last request: same session data, new id
    (ASVS 7.2.4), so an id captured before the change does not carry the new privileges."""
    now_roles = _roles_key(request.user)
    if request.session.get(ROLES_SEEN) != now_roles:
        request.session.cycle_key()
        request.session[ROLES_SEEN] = now_roles


def expiry_reason(session: Any, now: float) -> str | None:
    signed_in = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN)
    if not isinstance(signed_in, int | float) or not isinstance(last_seen, int | float):
        # A session from before these stamps, or forged without them: not trusted.
        return "no_timestamps"
    if now - signed_in > absolute_seconds():
        return "absolute_timeout"
    if now - last_seen > idle_seconds():
        return "idle_timeout"
    return None


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = clock.now().timestamp()
            reason = expiry_reason(session, now)
            if reason is None:
                session[LAST_SEEN] = now
                renew_on_privilege_change(request)
            else:
                request.casework_logout_reason = reason  # type: ignore[attr-defined]
                logout(request)  # flushes the session and records the sign-out
        return self.get_response(request)


def end_sessions(user: Any) -> int:
    """Delete every stored session of ``user``. Sessions are not indexed by user, so this
    decodes the live ones: fine for an agency's few hundred, and only run when disabling."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            session.delete()
            ended += 1
    return ended
