"""A database too busy to answer now (DUR-02): SQLite still locked after its 20 s busy timeout,
or a PostgreSQL serialization failure, deadlock or lock timeout. The request was rolled back
whole, so the honest answer is 503 with ``Retry-After``, never a 500: trying again is safe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse

RETRY_AFTER_SECONDS = 2
# SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def is_busy(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    if "database is locked" in text or "database table is locked" in text:
        return True
    cause = error.__cause__
    return (
        getattr(cause, "sqlstate", None) in _RETRYABLE_SQLSTATES
        or getattr(cause, "pgcode", None) in _RETRYABLE_SQLSTATES
    )


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
        response = HttpResponse(
            "<!doctype html><title>Busy</title><p>Casework is busy for a moment. Nothing was "
            "saved; please try again.</p>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
