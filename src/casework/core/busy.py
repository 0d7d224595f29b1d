"""A database too busy to answer now (DUR-02): SQLite still locked after its 20 s busy timeout,
a PostgreSQL serialization failure, deadlock or lock timeout, or a PostgreSQL server that cannot
be reached or is restarting (after a crash it recovers in seconds). The request was rolled back
whole, so the honest answer is 503 with ``Retry-After``, never a 500: trying again is safe.

Views' errors are answered by the API's handler and by ``BusyDatabaseMiddleware``; an error
before any view runs (the first query of a request is often the session's or the audit
transaction's) reaches Django's 500 handler, ``server_error`` here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.views import defaults

RETRY_AFTER_SECONDS = 2
# SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}
# admin_shutdown, crash_shutdown, cannot_connect_now (starting up or recovering); and the
# connection_exception class (08xxx).
_UNAVAILABLE_SQLSTATES = {"57P01", "57P02", "57P03"}


def _server_unavailable(cause: BaseException | None) -> bool:
    """A PostgreSQL connection that failed or broke: the driver's error carries no SQLSTATE
    (refused, reset, closed by a crash) or one of the shutdown and connection classes."""
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False
    state = getattr(cause, "sqlstate", None)
    return state is None or state in _UNAVAILABLE_SQLSTATES or str(state).startswith("08")


def is_busy(error: BaseException | None) -> bool:
    if isinstance(error, InterfaceError):  # a connection lost earlier, used again
        return _server_unavailable(error.__cause__) or "connection already closed" in str(error)
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    if "database is locked" in text or "database table is locked" in text:
        return True
    cause = error.__cause__
    return (
        getattr(cause, "sqlstate", None) in _RETRYABLE_SQLSTATES
        or getattr(cause, "pgcode", None) in _RETRYABLE_SQLSTATES
        or _server_unavailable(cause)
    )


def busy_page() -> HttpResponse:
    response = HttpResponse(
        "<!doctype html><title>Busy</title><p>Casework is busy for a moment. Nothing was "
        "saved; please try again.</p>",
        status=503,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's ``handler500``, called while the error is being handled: a busy or unreachable
    database is 503; anything else the generic 500 (a problem document on the API)."""
    from casework.api import busy_problem, unexpected_problem

    error = sys.exc_info()[1]
    on_api = request.path_info.startswith("/api/")
    if is_busy(error):
        return busy_problem(request) if on_api else busy_page()
    if on_api and error is not None:
        return unexpected_problem(request, error)
    return defaults.server_error(request)


class BusyDatabaseMiddleware:
    """The web's answer to a busy database: a short page with status 503 and Retry-After (the
    API answers the same as an RFC 9457 problem, in ``casework.api``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if not is_busy(exception):
            return None
        return busy_page()
