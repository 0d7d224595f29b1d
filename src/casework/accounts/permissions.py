"""Roles and named permissions, read from the access matrix (``access.toml``).

A role is a Django group of the same name; a user's roles are their groups that the matrix
knows. Each role grants permissions with a scope (whose records: own, intake, care team, team,
program, agency). The matrix also names the permission every API operation, web page and
command needs, so that the decision is made in one place and refused by default: a route the
matrix does not name is refused.

Roles are read from the database on every request (cached on the request's user object only),
so a role granted or taken away counts from the user's next request.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casework.core.errors import Forbidden

MATRIX_FILE = Path(__file__).with_name("access.toml")
SCOPES = ("own", "intake", "care_team", "team", "program", "agency")
# Route entries that are not permissions.
PUBLIC, SIGNED_IN, OPERATOR = "public", "signed_in", "operator"
_SPECIAL = {PUBLIC, SIGNED_IN, OPERATOR}
_CACHE_ATTR = "_casework_roles"


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    grants: dict[str, str]  # permission -> scope


@dataclass(frozen=True)
class AccessMatrix:
    permissions: dict[str, str]  # name -> description
    roles: dict[str, Role]
    api: dict[str, str]  # "METHOD /path" -> permission
    # URL name ("web:case", "admin:*") -> permission (or public/signed_in) for every method, or
    # {get = ..., post = ...} when a form posts to the page.
    web: dict[str, str | dict[str, str]]
    cli: dict[str, str]  # "cases move" -> permission or public/operator

    def page_permission(self, view_name: str, method: str = "GET") -> str | None:
        entry = self.web.get(view_name)
        if entry is None and ":" in view_name:
            entry = self.web.get(view_name.split(":", 1)[0] + ":*")
        if isinstance(entry, dict):
            safe = method.upper() in ("GET", "HEAD", "OPTIONS")
            return entry.get("get" if safe else "post")
        return entry


class MatrixError(ValueError):
    pass


def parse_matrix(text: str) -> AccessMatrix:
    """Read and check a matrix: every grant and route names a declared permission and scope."""
    data = tomllib.loads(text)
    permissions = dict(data.get("permissions", {}))
    roles: dict[str, Role] = {}
    for name, body in data.get("roles", {}).items():
        grants = dict(body.get("permissions", {}))
        for permission, scope in grants.items():
            if permission not in permissions:
                raise MatrixError(f"role {name}: unknown permission {permission!r}")
            if scope not in SCOPES:
                raise MatrixError(f"role {name}: {permission} has unknown scope {scope!r}")
        roles[name] = Role(name, str(body.get("label", name)), grants)
    tables: dict[str, dict[str, Any]] = {}
    for table in ("api", "web", "cli"):
        entries = dict(data.get(table, {}))
        for route, entry in entries.items():
            by_method = entry if isinstance(entry, dict) and table == "web" else {"": entry}
            for method, permission in by_method.items():
                if method not in ("", "get", "post"):
                    raise MatrixError(f"[{table}] {route}: unknown method {method!r}")
                if permission not in permissions and permission not in _SPECIAL:
                    raise MatrixError(f"[{table}] {route}: unknown permission {permission!r}")
        tables[table] = entries
    return AccessMatrix(permissions, roles, tables["api"], tables["web"], tables["cli"])


@functools.cache
def matrix() -> AccessMatrix:
    return parse_matrix(MATRIX_FILE.read_text(encoding="utf-8"))


def role_names() -> list[str]:
    return list(matrix().roles)


def roles_of(user: Any) -> frozenset[str]:
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        known = matrix().roles
        names = set(user.groups.filter(name__in=list(known)).values_list("name", flat=True))
        if user.is_superuser:  # made outside Casework (e.g. createsuperuser): an administrator
            names.add("administrator")
        cached = frozenset(names)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the roles cached on this user object (after changing their groups in-process)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scopes(user: Any, permission: str) -> frozenset[str]:
    """The scopes in which ``user`` holds ``permission``, over all their roles."""
    roles = matrix().roles
    return frozenset(
        roles[r].grants[permission] for r in roles_of(user) if permission in roles[r].grants
    )


def has_permission(user: Any, permission: str) -> bool:
    if permission == PUBLIC:
        return True
    if permission == SIGNED_IN:
        return bool(getattr(user, "is_authenticated", False))
    return bool(scopes(user, permission))


def require(user: Any, permission: str) -> None:
    if not has_permission(user, permission):
        holders = [r.label.lower() for r in matrix().roles.values() if permission in r.grants]
        raise Forbidden(
            f"your role does not allow this (it needs the '{permission}' permission, which "
            f"the roles {', '.join(holders) or 'none'} have)"
        )


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def api_operation(method: str, route: str) -> str:
    """``GET`` and ``api/v1/cases/<case_id>`` -> ``GET /cases/{case_id}`` (the matrix key)."""
    path = _PARAM.sub(r"{\1}", route)
    path = path.removeprefix("api/v1")
    return f"{method.upper()} /{path.lstrip('/')}"


def require_api_operation(request: Any, user: Any) -> None:
    """Refuse an API call the user's roles do not allow, before its input is even read."""
    match = getattr(request, "resolver_match", None)
    key = api_operation(request.method, match.route) if match else ""
    permission = matrix().api.get(key)
    if permission is None:
        raise Forbidden("this operation is not in the access matrix, so no one may use it")
    require(user, permission)
