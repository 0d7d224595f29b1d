"""``casework audit ...`` and the audit rows of the other commands that touch client data."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from casework.audit import anchors, chain
from casework.audit.events import Action, Outcome, record
from casework.audit.search import Filters, csv_lines, require_auditor, search
from casework.core import clock
from casework.core.errors import Forbidden, InvalidData, NotFound, Problem

# (command, action) -> (audit action, object type, the argument holding the object id)
_DATA_COMMANDS: dict[tuple[str, str | None], tuple[str, str, str | None]] = {
    ("clients", "list"): (Action.QUERY, "clients", None),
    ("clients", "show"): (Action.READ, "clients", "id"),
    ("clients", "release"): (Action.DISCLOSURE, "clients", "id"),
    ("cases", "list"): (Action.QUERY, "cases", None),
    ("cases", "show"): (Action.READ, "cases", "id"),
    ("cases", "move"): (Action.UPDATE, "cases", "id"),
}


def run_audited(args: argparse.Namespace, handler: Callable[[argparse.Namespace], int]) -> int:
    """Run a command; one that touches client data leaves one audit row, committed with its
    changes (or, when refused, on its own after they are rolled back)."""
    spec = _DATA_COMMANDS.get((args.command, getattr(args, "action", None)))
    if spec is None:
        return handler(args)
    action, object_type, id_arg = spec
    object_id = getattr(args, id_arg) if id_arg else None
    user = _user_named(getattr(args, "as_user", None) or os.environ.get("CASEWORK_USER"))
    fields: dict[str, Any] = {
        "user": user,
        "object_type": object_type,
        "object_id": object_id or "",
        "client_id": _client_of(object_type, object_id),
    }
    details = {"command": f"{args.command} {args.action}"}
    try:
        with transaction.atomic():
            code = handler(args)
            record(action, details=details, **fields)
            return code
    except Problem as problem:
        outcome = Outcome.DENIED if isinstance(problem, Forbidden) else Outcome.INVALID
        if isinstance(problem, NotFound):
            outcome = Outcome.NOT_FOUND
        denied = Action.DENIED if outcome == Outcome.DENIED else action
        record(denied, outcome=outcome, status=problem.status, details=details, **fields)
        raise


def _user_named(username: str | None) -> Any:
    from django.contrib.auth import get_user_model

    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def _client_of(object_type: str, object_id: Any) -> int | None:
    if object_id is None:
        return None
    if object_type == "clients":
        return int(object_id)
    from casework.cases.models import Case

    found: int | None = (
        Case.objects.filter(pk=object_id).values_list("client_id", flat=True).first()
    )
    return found


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        expected = chain.Head.parse(args.head) if args.head else None
    except ValueError as error:
        raise InvalidData(str(error), field="--head") from None
    kept = _anchors(args.anchors) if args.anchors else []
    verdict = chain.verify(expected, anchors=[anchor.head for anchor in kept])
    if verdict.ok:
        print(f"audit chain intact: {verdict.rows} rows" + _anchor_note(kept))
        return 0
    print(f"audit chain broken at seq {verdict.bad_seq}: {verdict.reason}", file=sys.stderr)
    return 1


def cmd_head(args: argparse.Namespace) -> int:
    print(chain.head())
    return 0


def cmd_anchor(args: argparse.Namespace) -> int:
    """Check the chain against every earlier anchor, then append today's head: a broken chain
    is reported (exit 1) and never anchored."""
    path = Path(args.to)
    kept = _anchors(args.to) if path.exists() else []
    verdict = chain.verify(anchors=[anchor.head for anchor in kept])
    if not verdict.ok:
        print(f"audit chain broken at seq {verdict.bad_seq}: {verdict.reason}; not anchored",
              file=sys.stderr)  # fmt: skip
        return 1
    head = chain.head()
    try:
        anchors.append(path, anchors.Anchor(clock.now(), head))
    except OSError as error:
        raise InvalidData(f"{path} cannot be written: {error.strerror}", field="--to") from None
    print(f"anchored {head} in {path}" + _anchor_note(kept))
    return 0


def _anchors(path: str) -> list[anchors.Anchor]:
    try:
        return anchors.read(Path(path))
    except anchors.AnchorFileError as error:
        raise InvalidData(str(error), field="--anchors") from None


def _anchor_note(kept: list[anchors.Anchor]) -> str:
    if not kept:
        return ""
    return f"; all {len(kept)} earlier anchors match (first {kept[0].at:%Y-%m-%d})"


def _write_csv(out: Any, filters: Filters) -> int:
    """Write the header and the rows; the number of rows (not counting the header)."""
    lines = -1
    for line in csv_lines(search(filters)):
        out.write(line)
        lines += 1
    return lines


def cmd_export(args: argparse.Namespace, acting_user: Any) -> int:
    import datetime as dt

    require_auditor(acting_user)
    try:
        filters = Filters(
            user=args.user,
            client=args.client,
            action=args.action_filter,
            since=dt.date.fromisoformat(args.since) if args.since else None,
            until=dt.date.fromisoformat(args.until) if args.until else None,
        )
    except ValueError:
        raise InvalidData("--since and --until are dates written YYYY-MM-DD") from None
    with transaction.atomic():
        if args.output:
            with open(args.output, "w", newline="") as out:
                rows = _write_csv(out, filters)
        else:
            rows = _write_csv(sys.stdout, filters)
        record(
            Action.EXPORT,
            user=acting_user,
            object_type="audit",
            details={
                "filters": {k: str(v) for k, v in vars(filters).items() if v},
                "rows": rows,
            },
        )
    return 0
