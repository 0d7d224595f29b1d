"""Request context for every request, and one audit row per audited request.

Audited: every operation under ``/api/v1/`` (not the schema and docs pages), and every web page
whose view is marked, either with the ``casework.audit.middleware.audited`` decorator or with a
``casework_audit`` entry in the URL pattern's extra kwargs::

    path("cases/<int:case_id>/", views.case_page, {"casework_audit": "case"}, name="case")

    @audited("client")            # or audited({"object_type": "client", "id": "client_id"})
    def client_page(request, client_id): ...

The view runs inside a transaction. A success (status < 400) is recorded in that transaction, so
the change and its audit row commit together or not at all. A refusal or an error rolls the
transaction back (a refused request stores nothing) and is then recorded on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.handlers.exception import response_for_exception
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve

from casework.audit.context import request_id_for, serving
from casework.audit.events import Action, Outcome, outcome_of, record
from casework.audit.subjects import Subject, _json_body, api_subject, web_subject

API_PREFIX = "/api/v1/"
_UNAUDITED_API = {"/api/v1/openapi.json", "/api/v1/docs"}
MARK = "casework_audit"
LABELS_ATTR = "casework_audit_labels"
F = TypeVar("F", bound=Callable[..., Any])


def audited(marker: str | dict[str, Any]) -> Callable[[F], F]:
    """Mark a web view so that each request to it writes an audit row."""

    def mark(view: F) -> F:
        setattr(view, MARK, marker)
        return view

    return mark


class RequestContextMiddleware:
    """First in the chain: a request id for logs, answers and audit rows, and the request kept
    where signal receivers can find it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_for(request)
        with serving(request):
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


def _switched_off(request: HttpRequest, part: str) -> bool:
    """Successful reads of a part an administrator turned off (AUDIT-04). Writes and refused
    requests are audited whatever the switches say."""
    if request.method not in ("GET", "HEAD"):
        return False
    from casework.audit.settings import disabled_parts

    return part in disabled_parts()


def _marker(match: ResolverMatch) -> Any:
    func = match.func
    found = match.kwargs.get(MARK) or getattr(func, MARK, None)
    return found or getattr(getattr(func, "view_class", None), MARK, None)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _target(self, request: HttpRequest) -> tuple[ResolverMatch, Any] | None:
        path = request.path_info
        is_api = path.startswith(API_PREFIX) and path.rstrip("/") not in _UNAUDITED_API
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if is_api:
            return match, None
        marker = _marker(match)
        return (match, marker) if marker else None

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> None:
        # A marker given as a URL kwarg is for us, not for the view.
        kwargs.pop(MARK, None)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        target = self._target(request)
        if target is None:
            return self.get_response(request)
        match, marker = target
        quiet = _switched_off(request, "api_reads" if marker is None else "page_views")
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code < 400:
                    if not quiet:
                        _write(request, response, match, marker)
                    return response
                transaction.set_rollback(True)
        except Exception as error:
            # The transaction itself failed: it could not begin (SQLite still locked after its
            # busy timeout), the success's audit row could not be written, or the commit failed.
            # Rolled back whole; answered as the view's own errors are, and recorded on its own.
            response = _failure_answer(request, error, api=marker is None)
        _write(request, response, match, marker)
        return response


def _failure_answer(request: HttpRequest, error: Exception, *, api: bool) -> HttpResponse:
    if api:
        from casework.api import api as casework_api

        return casework_api.on_exception(request, error)  # the RFC 9457 problem (500 or 503)
    return response_for_exception(request, error)


def _write(request: HttpRequest, response: HttpResponse, match: ResolverMatch, marker: Any) -> None:
    if marker is None:
        subject: Subject = api_subject(request, response, match)
    else:
        subject = web_subject(request, response, match, marker)
    status = response.status_code
    outcome = outcome_of(status)
    details: dict[str, Any] = {
        "method": request.method,
        "route": subject.route,
        # Names only: query values may be names or birth dates.
        "params": sorted(request.GET.keys()),
    }
    if subject.path_ids:
        details["path"] = subject.path_ids
    action = subject.action
    if outcome == Outcome.DENIED:
        details["attempted"] = action
        action = Action.DENIED
    labels = set(getattr(request, LABELS_ATTR, ()))
    if status < 400:
        labels |= labels_in(_json_body(response))
    record(
        action,
        client_id=subject.client_id,
        object_type=subject.object_type,
        object_id=subject.object_id,
        outcome=outcome,
        status=status,
        labels=sorted(labels),
        break_glass=_under_break_glass(request, subject.client_id),
        details=details,
    )


def note_labels(request: HttpRequest, labels: Iterable[str]) -> None:
    """Let a web page say which sensitivity labels the records it shows carry, for its row."""
    found = set(getattr(request, LABELS_ATTR, ()))
    found.update(label for label in labels if label)
    setattr(request, LABELS_ATTR, found)


def labels_in(body: Any, depth: int = 0) -> set[str]:
    """The ``sensitivity`` labels of the records in an API answer (one record, a list, or a
    page of ``items``)."""
    found: set[str] = set()
    if depth > 3:
        return found
    if isinstance(body, dict):
        label = body.get("sensitivity")
        if isinstance(label, str) and label:
            found.add(label)
        for value in body.values():
            if isinstance(value, list | dict):
                found |= labels_in(value, depth + 1)
    elif isinstance(body, list):
        for item in body:
            found |= labels_in(item, depth + 1)
    return found


def _under_break_glass(request: HttpRequest, client_id: int | None) -> bool:
    """Whether the user holds live emergency access to this client: every row of that hour
    is flagged, for the supervisors' review (PRIV-05)."""
    user = getattr(request, "user", None)
    if client_id is None or not getattr(user, "is_authenticated", False):
        return False
    from casework.cases.selectors import break_glass_clients

    return break_glass_clients(user).filter(client_id=client_id).exists()
