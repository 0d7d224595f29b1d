"""What ``casework serve`` checks before it starts serving.

Development mode (``CASEWORK_DEBUG=1``) shows tracebacks with data in them, so it needs an
explicit ``--dev``. The database must flush every acknowledged commit (``core/durability.py``).
In HTTPS mode (production), the signing key must be strong, the deployment
checks (``manage.py check --deploy``) must be clean and no demo accounts with a known password
may exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection

from casework.core import durability

# Keys that appear in documentation and examples; never accepted in production.
_KNOWN_KEYS = {"changeme", "secret", "dev", "demo", "insecure", "casework"}


def weak_secret_key(key: str) -> bool:
    return (
        len(key) < 50
        or len(set(key)) < 5
        or key.startswith("django-insecure")
        or key.lower() in _KNOWN_KEYS
    )


def refusals(*, dev: bool, demo: bool) -> list[str]:
    found: list[str] = []
    if settings.DEBUG and not dev:
        found.append(
            "CASEWORK_DEBUG=1 is for development only (it shows data in error pages); "
            "unset it, or pass --dev on a development machine"
        )
    found += _durability_refusals()
    if not getattr(settings, "CASEWORK_HTTPS", False):
        return found
    if weak_secret_key(settings.SECRET_KEY):
        found.append("CASEWORK_SECRET_KEY is missing, short or a known default")
    for message in checks.run_checks(include_deployment_checks=True):
        if message.level >= checks.WARNING and not message.is_silenced():
            found.append(f"{message.id}: {message.msg}")
    found += _database_transport_refusals(settings.DATABASES["default"])
    if demo or _demo_loaded():
        found.append("the demo agency (accounts with a known password) is loaded")
    return found


def _demo_loaded() -> bool:
    from casework.demo import demo_loaded

    try:
        return bool(demo_loaded())
    except DatabaseError:  # no tables yet: nothing is loaded
        return False


def _database_transport_refusals(database: dict[str, Any]) -> list[str]:
    """TLS-01: a PostgreSQL server over the network is reached with TLS that checks the
    server's certificate and name; a Unix socket never leaves the machine."""
    if database.get("ENGINE") != "django.db.backends.postgresql":
        return []
    host = str(database.get("HOST") or "")
    if not host or host.startswith("/"):
        return []
    if database.get("OPTIONS", {}).get("sslmode") == "verify-full":
        return []
    return [
        f"the database at {host} is reached over the network without sslmode=verify-full; "
        "add ?sslmode=verify-full to DATABASE_URL (or use the local Unix socket)"
    ]


def _durability_refusals() -> list[str]:
    try:
        found = durability.problems(connection)
    except DatabaseError as error:
        return [f"the database cannot be reached: {error}"]
    if found and getattr(settings, "CASEWORK_UNSAFE_DURABILITY_FOR_TESTS", False):
        return []
    return found
