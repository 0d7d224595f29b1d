"""The JSON API under /api/v1: authentication, RFC 9457 problem responses, routers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from casework.accounts.auth import API_AUTH
from casework.careplans.api import router as careplans_router
from casework.cases.api import router as cases_router
from casework.clients.api import router as clients_router
from casework.clients.api import support_router
from casework.core.errors import Problem
from casework.instruments.api import router as rules_router
from casework.privacy.api import router as privacy_router
from casework.risk.api import router as risk_router
from casework.staff.api import credentials_router
from casework.staff.api import router as staff_router
from casework.transitions.api import router as transitions_router

api = NinjaAPI(
    title="Casework API",
    version="1",
    description="Case management: clients, cases and the nine phases of the process.",
    auth=API_AUTH,
    urls_namespace="api",
)

PROBLEM_TYPE = "application/problem+json"


def problem_response(
    request: HttpRequest,
    status: int,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if field is not None:
        body["field"] = field
    body.update(extra or {})
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_TYPE
    return response


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    # ninja's locations start with where the value came from ("body", "query") and the
    # parameter's name; the caller knows their own field names, so keep only those.
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "filters"}:
        parts = parts[1:]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
        for e in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem_response(
        request, 422, "Invalid data", detail, field=errors[0]["field"], extra={"errors": errors}
    )


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(
        request, exc.status, exc.title, exc.detail, field=exc.field, extra=exc.extra
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(
        request,
        401,
        "Unauthorized",
        "sign in, or send a valid token as 'Authorization: Bearer <token>'",
        field="Authorization",
    )
    response["WWW-Authenticate"] = 'Bearer realm="casework"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    titles = {400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed"}
    field = "body" if exc.status_code == 400 else None
    return problem_response(
        request, exc.status_code, titles.get(exc.status_code, "Error"), str(exc), field=field
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, "Not found", "no such resource")


api.add_router("/clients", clients_router)
api.add_router("/staff", staff_router)
for _router in (
    support_router,
    credentials_router,
    cases_router,
    risk_router,
    careplans_router,
    transitions_router,
    rules_router,
    privacy_router,
):
    api.add_router("/", _router)
