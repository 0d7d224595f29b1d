"""What an audited request touched: action, object type and id, client, from the URL route.

Generic on purpose: a new API route is audited correctly without anyone registering it. The
object type is the route's last literal segment(s) (``/cases/{case_id}/notes`` -> ``notes``),
the object id the last path parameter or the id of what a create returned, the client the
``client_id`` in the path, or the client of the case in the path or in the answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

from casework.audit.models import AuditEvent

Action = AuditEvent.Action
_PARAM = re.compile(r"^<(?:\w+:)?(\w+)>$")
_METHOD_ACTIONS = {
    "POST": Action.CREATE,
    "PUT": Action.UPDATE,
    "PATCH": Action.UPDATE,
    "DELETE": Action.DELETE,
}
# POST routes that compute an answer and store nothing.
_COMPUTING_POSTS = {"rules/{kind}"}
# POST routes whose record is client data leaving the care team: the accounting of
# disclosures has its row; the audit trail names the act for what it is.
_DISCLOSING_POSTS = {"clients/{client_id}/disclosures", "clients/{client_id}/releases"}
_BODY_LIMIT = 512 * 1024


@dataclass
class Subject:
    action: str
    object_type: str
    object_id: str = ""
    client_id: int | None = None
    route: str = ""
    path_ids: dict[str, Any] = field(default_factory=dict)


def route_template(match: ResolverMatch, prefix: str = "") -> tuple[str, list[str]]:
    """``api/v1/cases/<int:case_id>/notes`` -> (``cases/{case_id}/notes``, [``case_id``])."""
    route = (match.route or "").removeprefix(prefix).strip("/")
    parts, params = [], []
    for part in route.split("/"):
        found = _PARAM.match(part)
        if found:
            params.append(found.group(1))
            parts.append("{" + found.group(1) + "}")
        else:
            parts.append(part)
    return "/".join(parts), params


def _json_body(response: HttpResponse) -> Any:
    content_type = response.get("Content-Type", "")
    if "json" not in content_type or getattr(response, "streaming", False):
        return None
    if len(response.content) > _BODY_LIMIT:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _client_of_case(case_id: int | None) -> int | None:
    if case_id is None:
        return None
    from casework.cases.models import Case

    found = Case.objects.filter(pk=case_id).values_list("client_id", flat=True).first()
    return found


def find_client(kwargs: dict[str, Any], body: Any, object_type: str = "") -> int | None:
    client = _int(kwargs.get("client_id"))
    if client is None and object_type in ("client", "clients"):
        client = _int(kwargs.get("pk") or kwargs.get("id"))
    if client is None and isinstance(body, dict):
        client = _int(body.get("client_id")) or _int(body.get("client"))
        if client is None and object_type in ("client", "clients"):
            client = _int(body.get("id"))
    if client is None:
        case = _int(kwargs.get("case_id"))
        if case is None and isinstance(body, dict):
            case = _int(body.get("case"))
        if case is None and object_type in ("case", "cases"):
            case = _int(kwargs.get("pk") or kwargs.get("id"))
        client = _client_of_case(case)
    return client


def api_subject(request: HttpRequest, response: HttpResponse, match: ResolverMatch) -> Subject:
    template, params = route_template(match, prefix="api/v1")
    parts = template.split("/")
    is_item = bool(params) and parts[-1] == "{" + params[-1] + "}"
    literal_tail: list[str] = []
    for part in reversed(parts):
        if part.startswith("{"):
            if literal_tail:
                break
            continue
        literal_tail.insert(0, part)
    object_type = "/".join(literal_tail) or "api"
    body = _json_body(response) if response.status_code < 400 else None
    method = request.method or "GET"
    if method in ("GET", "HEAD", "OPTIONS"):
        is_list = isinstance(body, list) or (isinstance(body, dict) and "items" in body)
        action = Action.READ if is_item or (body is not None and not is_list) else Action.QUERY
    elif template in _COMPUTING_POSTS:
        action = Action.QUERY
    elif template in _DISCLOSING_POSTS and method == "POST":
        action = Action.DISCLOSURE
    else:
        action = _METHOD_ACTIONS.get(method, Action.QUERY)
    object_id = str(match.kwargs.get(params[-1], "")) if is_item else ""
    made = body.get("disclosure") if isinstance(body, dict) and "disclosure" in body else body
    if action in (Action.CREATE, Action.DISCLOSURE) and isinstance(made, dict):
        if _int(made.get("id")) is not None:
            object_id = str(made["id"])
    kwargs = dict(match.kwargs)
    client = find_client(kwargs, body, object_type.split("/")[0])
    if client is None and action == Action.QUERY:
        client = _int(request.GET.get("client"))
    return Subject(
        action=action,
        object_type=object_type[:60],
        object_id=object_id,
        client_id=client,
        route=template,
        path_ids={k: v for k, v in kwargs.items() if isinstance(v, int | str)},
    )


def web_subject(
    request: HttpRequest, response: HttpResponse, match: ResolverMatch, marker: Any
) -> Subject:
    """A web page marked with ``casework_audit``: the marker names the object type, or is a
    dict with ``object_type`` and optionally ``action`` (or a dict of actions by method) and ``id``
    (the URL kwarg of the id)."""
    spec = marker if isinstance(marker, dict) else {"object_type": str(marker)}
    object_type = str(spec.get("object_type", "page"))
    kwargs = {k: v for k, v in match.kwargs.items() if k != "casework_audit"}
    id_kwarg = spec.get("id") or next(
        (k for k in ("pk", "id", f"{object_type}_id") if k in kwargs), None
    )
    object_id = str(kwargs.get(id_kwarg, "")) if id_kwarg else ""
    method = request.method or "GET"
    default = (
        (Action.READ if object_id else Action.QUERY)
        if method in ("GET", "HEAD")
        else _METHOD_ACTIONS.get(method, Action.UPDATE)
    )
    lookup = dict(kwargs)
    if object_id and object_type in ("client", "case"):
        lookup.setdefault(f"{object_type}_id", object_id)
    template, _ = route_template(match)
    wanted = spec.get("action", default)
    if isinstance(wanted, dict):  # an action per method
        wanted = wanted.get(method, default)
    return Subject(
        action=str(wanted),
        object_type=object_type[:60],
        object_id=object_id,
        client_id=find_client(lookup, None, object_type),
        route=template,
        path_ids={k: v for k, v in kwargs.items() if isinstance(v, int | str)},
    )
