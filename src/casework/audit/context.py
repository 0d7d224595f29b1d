"""Who is acting, from where, in which request: kept for the length of one request.

Signal receivers (sign-in, permission changes) and services have no request at hand; they find
the acting user, the client address and the request id here, so that every audit row written
while a request is served carries them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


@dataclass
class Actor:
    user: Any = None
    ip: str | None = None
    request_id: str = ""


_current: ContextVar[HttpRequest | None] = ContextVar("casework_audit_request", default=None)


def request_id_for(request: HttpRequest) -> str:
    """The request's id: the caller's ``X-Request-ID`` when it is well-formed, else a new one."""
    existing = getattr(request, "request_id", None)
    if isinstance(existing, str):
        return existing
    offered = request.headers.get("X-Request-ID", "")
    rid = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
    request.request_id = rid  # type: ignore[attr-defined]
    return rid


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is whatever the caller wrote.
    ip = request.META.get("REMOTE_ADDR") or None
    return ip if isinstance(ip, str) else None


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    token = _current.set(request)
    try:
        yield
    finally:
        _current.reset(token)


def current_request() -> HttpRequest | None:
    return _current.get()


def current_actor() -> Actor:
    request = _current.get()
    if request is None:
        return Actor()
    user = getattr(request, "user", None)
    return Actor(user=user, ip=client_ip(request), request_id=request_id_for(request))
