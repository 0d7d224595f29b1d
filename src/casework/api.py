"""The JSON API under /api/v1: authentication, RFC 9457 problem responses, routers."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from casework.accounts.auth import API_AUTH
from casework.audit.api import router as audit_router
from casework.audit.context import request_id_for
from casework.careplans.api import router as careplans_router
from casework.cases.api import router as cases_router
from casework.clients.api import router as clients_router
from casework.clients.api import support_router
from casework.core.busy import RETRY_AFTER_SECONDS, is_busy
from casework.core.errors import InvalidData, Problem
from casework.core.schemas import NUL_REFUSED
from casework.instruments.api import router as rules_router
from casework.privacy.api import router as privacy_router
from casework.risk.api import router as risk_router
from casework.staff.api import credentials_router
from casework.staff.api import router as staff_router
from casework.transitions.api import router as transitions_router

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "field": {"type": ["string", "null"]},
    },
}
_PROBLEMS = {
    400: "Malformed request",
    401: "No valid credentials",
    403: "Not allowed",
    404: "No such record, or not one you may see",
    409: "Conflicts with the record's state",
    412: "The record changed since it was read (stale If-Match)",
    413: "Request body too large",
    422: "Invalid data; the problem names the field",
    428: "If-Match required",
    500: "Unexpected error; the problem carries a request id",
    503: "The database is busy; nothing was saved, retry after Retry-After seconds",
}


class CaseworkAPI(NinjaAPI):
    """Declares the RFC 9457 problem answers of every operation in the OpenAPI document, so
    that clients (and the schemathesis run) know every status an operation can give."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                codes = {400, 401, 403, 422, 500, 503}
                if "{" in path:
                    codes.add(404)
                if method in ("post", "put", "patch"):
                    codes |= {404, 409, 413}
                if method in ("put", "patch"):
                    codes |= {412, 428}
                responses = operation.setdefault("responses", {})
                for code in sorted(codes):
                    responses.setdefault(
                        str(code), {"description": _PROBLEMS[code], "content": problem}
                    )
                # From the HTTP server itself (gunicorn's request-line limit), not the API.
                responses.setdefault("414", {"description": "URI too long"})
        return schema


class CaseworkParser(Parser):
    """Query strings and forms refuse NUL as bodies do (``StrictInput``): PostgreSQL cannot
    compare text holding it, so a search for it was a 500 there (INPUT-04)."""

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for name, values in data.lists():
            if "\x00" in name or any("\x00" in str(value) for value in values):
                raise InvalidData(f"{name}: {NUL_REFUSED}", field=name)
        return super().parse_querydict(data, list_fields, request)


api = CaseworkAPI(
    title="Casework API",
    version="1",
    description="Case management: clients, cases and the nine phases of the process.",
    auth=API_AUTH,
    urls_namespace="api",
    parser=CaseworkParser(),
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


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = f"the request body is larger than {limit} bytes"
    return problem_response(request, 413, "Content too large", detail, field="body")


_log = logging.getLogger("casework.api")


def busy_problem(request: HttpRequest) -> HttpResponse:
    # Rolled back whole: trying again is safe (DUR-02).
    busy = problem_response(
        request,
        503,
        "Service busy",
        "the database is busy; nothing was saved, try again in a moment",
    )
    busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return busy


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if is_busy(exc):
        return busy_problem(request)
    return unexpected_problem(request, exc)


def unexpected_problem(request: HttpRequest, exc: BaseException) -> HttpResponse:
    # The type and where, never the message or the request: either may hold client data.
    request_id = request_id_for(request)
    where = "".join(traceback.format_tb(exc.__traceback__))
    _log.error("unexpected %s (request %s)\n%s", type(exc).__name__, request_id, where)
    return problem_response(
        request,
        500,
        "Internal server error",
        f"something went wrong on our side; quote request id {request_id}",
        extra={"request_id": request_id},
    )


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
    audit_router,
):
    api.add_router("/", _router)
