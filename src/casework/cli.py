"""The ``casework`` command: everything a user runs, as thin calls into the services."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

Handler = Callable[[argparse.Namespace], int]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _acting_user(args: argparse.Namespace) -> Any:
    """The named staff account a data command acts as (``--as`` or ``CASEWORK_USER``)."""
    from django.contrib.auth import get_user_model

    from casework.core.errors import Forbidden

    username = getattr(args, "as_user", None) or os.environ.get("CASEWORK_USER")
    if not username:
        raise Forbidden("name the account you act as: --as USERNAME (or set CASEWORK_USER)")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Forbidden(f"no active user '{username}'")
    return user


def command_key(args: argparse.Namespace) -> str:
    """The command's name in the access matrix's [cli] table: "serve", "cases move" ..."""
    return " ".join(p for p in (args.command, getattr(args, "action", None)) if p)


def _check_access(args: argparse.Namespace) -> None:
    """The access matrix for commands: operator commands need only the shell; the others act
    as a named account that must hold the permission named (checked before anything runs)."""
    from casework.accounts.permissions import OPERATOR, PUBLIC, matrix, require
    from casework.core.errors import Forbidden

    permission = matrix().cli.get(command_key(args))
    if permission is None:
        raise Forbidden("this command is not in the access matrix, so no one may use it")
    if permission not in (OPERATOR, PUBLIC):
        require(_acting_user(args), permission)


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


# serve / migrate / demo ------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    from casework.accounts.startup import refusals

    refused = refusals(dev=args.dev, demo=args.demo)
    if refused:
        for reason in refused:
            print(f"casework serve: {reason}", file=sys.stderr)
        return 2
    _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    # Imported after collectstatic: WhiteNoise indexes the static files when the app loads.
    from casework.wsgi import application

    if args.demo:
        _load_demo(args.password)

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("accesslog", "-")
            # Path without the query string, no referrer: searches carry names and birth dates.
            self.cfg.set("access_log_format", '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss')
            self.cfg.set("timeout", 60)

        def load(self) -> Any:
            return application

    # The workers are forked from this process: a connection left open by the migration or the
    # demo would be inherited by all of them, and their queries would interleave on it.
    from django.db import connections

    connections.close_all()
    print(f"Casework is serving on http://{args.host}:{args.port}/ (Ctrl-C stops it)")
    Server().run()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate(verbosity=1)
    return 0


def _load_demo(password: str) -> None:
    from casework.core.errors import Conflict
    from casework.demo import build_demo, demo_loaded

    if demo_loaded():
        print("The demo agency is already loaded; sign in as casemanager or supervisor.")
        return
    try:
        summary = build_demo(password=password)
    except RuntimeError as error:
        raise Conflict(str(error)) from None
    _table(f"Demo sign-ins (password: {password})", ["username", "who"], summary.sign_ins)
    print(summary.describe())


def cmd_demo(args: argparse.Namespace) -> int:
    _migrate()
    _load_demo(args.password)
    return 0


# users and tokens --------------------------------------------------------------------------


def cmd_createuser(args: argparse.Namespace) -> int:
    import getpass

    from django.db import transaction

    from casework.staff.models import StaffMember
    from casework.staff.services import create_user

    _migrate()
    password = args.password or os.environ.get("CASEWORK_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.username}: ")
    if not password:
        print(
            "casework createuser: give a password (--password or CASEWORK_PASSWORD)",
            file=sys.stderr,
        )
        return 2
    with transaction.atomic():
        user = create_user(
            username=args.username,
            password=password,
            first_name=args.first_name,
            last_name=args.last_name,
            email=args.email,
            is_superuser=args.superuser,
            roles=args.role or (["case_manager"] if args.discipline else []),
        )
        if args.discipline:
            StaffMember.objects.create(user=user, discipline=args.discipline)
    roles = ", ".join(sorted(user.groups.values_list("name", flat=True))) or "no role"
    print(f"created user {user.username} ({roles})" + (" (staff)" if args.discipline else ""))
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from casework.accounts.tokens import issue_token
    from casework.core.errors import NotFound

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise NotFound(f"no user '{args.username}'")
    token, raw = issue_token(user, name=args.name, scope=args.scope, lifetime_days=args.days)
    print(raw)
    print(
        f"token {token.prefix}… for {user.username}, scope {token.scope}, "
        f"expires {token.expires_at:%Y-%m-%d}"
        if token.expires_at
        else "never expires",
        file=sys.stderr,
    )
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from casework.accounts.models import ApiToken
    from casework.accounts.tokens import revoke_token
    from casework.core.errors import NotFound

    tokens = list(ApiToken.objects.filter(prefix=args.prefix, revoked_at__isnull=True))
    if len(tokens) != 1:
        raise NotFound(f"no single live token starts with '{args.prefix}'")
    revoke_token(tokens[0])
    print(f"revoked {args.prefix}…")
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    from casework.accounts.models import ApiToken

    tokens = ApiToken.objects.filter(user__username=args.username).order_by("created_at", "id")
    rows = [
        (t.prefix + "…", t.name, t.scope, t.created_at, t.expires_at or "never",
         t.last_used_at or "-", t.revoked_at or "-")
        for t in tokens
    ]  # fmt: skip
    columns = ["token", "name", "scope", "created", "expires", "last used", "revoked"]
    _table(f"API tokens of {args.username}", columns, rows)
    return 0


# audit ------------------------------------------------------------------------------------


def cmd_audit(args: argparse.Namespace) -> int:
    from casework.audit import commands

    if args.action == "export":
        return commands.cmd_export(args, _acting_user(args))
    handlers = {"verify": commands.cmd_verify, "head": commands.cmd_head,
                "anchor": commands.cmd_anchor}  # fmt: skip
    return int(handlers[args.action](args))


# clients and cases ------------------------------------------------------------------------


def cmd_clients_list(args: argparse.Namespace) -> int:
    from casework.clients.selectors import search_clients

    user = _acting_user(args)
    clients = search_clients(user, q=args.q, birth_date=_date(args.birth_date, "--birth-date"))
    total = clients.count()
    rows = [
        (c.pk, c.full_name, c.birth_date, c.preferred_language, c.state, c.phone)
        for c in clients[args.offset : args.offset + args.limit]
    ]
    _table(f"Clients ({total})", ["id", "name", "born", "language", "state", "phone"], rows)
    return 0


def cmd_clients_show(args: argparse.Namespace) -> int:
    from casework.clients.selectors import visible_clients
    from casework.core.errors import NotFound

    user = _acting_user(args)
    client = visible_clients(user).filter(pk=args.id).first()
    if client is None:
        raise NotFound(f"no client {args.id}")
    rows = [
        ("name", client.full_name),
        ("born", client.birth_date),
        ("sex / gender", f"{client.sex_at_birth} / {client.gender_identity or '-'}"),
        (
            "language",
            client.preferred_language + (" (interpreter)" if client.interpreter_needed else ""),
        ),
        ("address", ", ".join(p for p in (client.address_line, client.city, client.state) if p)),
        ("phone", client.phone),
        ("health literacy", client.health_literacy),
        ("culture", client.cultural_considerations),
        ("preferences", client.preferences),
        ("values", client.values),
        ("aspirations", client.aspirations),
        ("payer", client.payer),
    ]
    rows += [(f"id ({i.system})", i.value) for i in client.identifiers.all()]
    rows += [
        (
            f"support: {p.relationship}",
            f"{p.name} ({p.role or '-'}; share: {'yes' if p.consent_to_share else 'no'})",
        )
        for p in client.support_people.all()
    ]
    _table(f"Client {client.pk}", ["field", "value"], rows)
    return 0


def cmd_clients_release(args: argparse.Namespace) -> int:
    """Release a client's records to a recipient outside the care team, as the web and the
    API do: the disclosure is recorded (consent checked, nothing stored if refused) and the
    package written to a new file."""
    import json
    from pathlib import Path

    from casework.clients.selectors import visible_clients
    from casework.core.errors import InvalidData, NotFound
    from casework.privacy import release

    user = _acting_user(args)
    client = visible_clients(user, "privacy.write").filter(pk=args.id).first()
    if client is None:
        raise NotFound(f"no client {args.id}")
    output = Path(args.output)
    if output.exists():
        raise InvalidData(f"{output} exists; name a new file", field="--output")
    made = release.release(
        actor=user, client=client, recipient_name=args.recipient,
        recipient_kind=args.recipient_kind, purpose=args.purpose,
        categories=list(dict.fromkeys(args.category)), data_description=args.description,
    )  # fmt: skip
    try:
        with output.open("x", encoding="utf-8") as out:
            json.dump(made.package, out, indent=2, ensure_ascii=False)
    except OSError as error:  # the disclosure is rolled back with the command
        raise InvalidData(
            f"{output} cannot be written: {error.strerror}", field="--output"
        ) from None
    print(f"released to {args.recipient}: disclosure {made.disclosure.pk}, written to {output}")
    if made.package["notice"]:
        print(made.package["notice"])
    return 0


def _date(value: str | None, flag: str) -> Any:
    import datetime as dt

    from casework.core.errors import InvalidData

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidData(f"{flag} must be a date written YYYY-MM-DD", field=flag) from None


def cmd_cases_list(args: argparse.Namespace) -> int:
    from casework.cases.selectors import list_cases

    user = _acting_user(args)
    cases = list_cases(user, phase=args.phase)
    total = cases.count()
    rows = [
        (
            c.pk,
            c.client.full_name,
            c.program.name,
            getattr(c, "phase"),  # noqa: B009 (query annotations)
            getattr(c, "tier") or "-",  # noqa: B009
            c.primary_case_manager.display_name,
            c.opened_on,
        )
        for c in cases[args.offset : args.offset + args.limit]
    ]
    _table(
        f"Cases ({total})",
        ["id", "client", "program", "phase", "tier", "case manager", "opened"],
        rows,
    )
    return 0


def cmd_cases_show(args: argparse.Namespace) -> int:
    from casework.cases.api import case_detail
    from casework.cases.selectors import get_case
    from casework.core.errors import NotFound

    user = _acting_user(args)
    case = get_case(user, args.id)
    if case is None:
        raise NotFound(f"no case {args.id}")
    detail = case_detail(case, as_of=_date(args.as_of, "--as-of"))
    if args.json:
        print(json.dumps(detail, default=str, indent=2))
        return 0
    _table(
        f"Case {case.pk}: {detail['client_name']} — {detail['program_name']}",
        ["field", "value"],
        [
            ("phase", detail["phase"] + (f" (as of {detail['as_of']})" if detail["as_of"] else "")),
            ("tier", detail["tier"] or "-"),
            ("case manager", detail["case_manager_name"]),
            ("referral", f"{detail['referral_source']}: {detail['referral_reason']}"),
            ("opened", detail["opened_on"]),
            (
                "closed",
                f"{detail['closed_on']} ({detail['closure_reason']})"
                if detail["closed_on"]
                else "-",
            ),
        ],
    )
    _table(
        "History",
        ["when", "from", "to", "by", "why"],
        [(h["at"], h["from"] or "", h["to"], h["by"], h["reason"]) for h in detail["history"]],
    )
    if detail["missing"]:
        _table(
            "To move on",
            ["to", "missing"],
            [(to, "; ".join(m) or "ready") for to, m in detail["missing"].items()],
        )
    return 0


def cmd_cases_move(args: argparse.Namespace) -> int:
    from casework.cases import services
    from casework.cases.selectors import get_case
    from casework.core.errors import NotFound

    user = _acting_user(args)
    case = get_case(user, args.id)
    if case is None:
        raise NotFound(f"no case {args.id}")
    moved = services.move_case(
        actor=user, case=case, to=args.to, reason=args.reason, closure_reason=args.closure_reason
    )
    print(f"case {moved.pk} moved to {args.to}")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from casework import rules
    from casework.core.errors import InvalidData
    from casework.instruments.api import evaluate_rule

    if args.kind is None:
        _table("Rules", ["kind", "title"], [(k, r.title) for k, r in rules.KINDS.items()])
        return 0
    raw = args.input if args.input is not None else sys.stdin.read()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidData(f"the input is not JSON ({error.msg})", field="--input") from None
    print(json.dumps(evaluate_rule(args.kind, data), indent=2, sort_keys=True))
    return 0


def cmd_staff_credentials(args: argparse.Namespace) -> int:
    from casework.core.errors import NotFound
    from casework.staff.models import StaffMember
    from casework.staff.services import credential_picture

    staff = StaffMember.objects.filter(user__username=args.username).first()
    if staff is None:
        raise NotFound(f"no staff member '{args.username}'")
    picture = credential_picture(staff)
    if args.json:
        print(json.dumps(picture, indent=2))
        return 0
    rows = []
    for c in picture:
        renewal = c["renewal"]
        held = (
            f"held, {renewal['status']} (expires {renewal['expires_on']})"
            + ("; " + "; ".join(renewal["missing"]) if renewal["missing"] else "")
            if renewal
            else ""
        )
        rows.append((c["credential"], "yes" if c["eligible"] else "no",
                     "; ".join(c["met"]), "; ".join(c["missing"]), held))  # fmt: skip
    _table(
        f"Credentials of {staff.display_name}",
        ["credential", "eligible", "met", "missing", "renewal"],
        rows,
    )
    return 0


def cmd_stratify(args: argparse.Namespace) -> int:
    """Score a population from files (the input); the export is audited, as --as if given."""
    from pathlib import Path

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from casework.core import clock
    from casework.core.errors import InvalidData
    from casework.risk.population import stratify_population

    as_of = _date(args.as_of, "--as-of") or clock.today()
    for flag, path in (("--members", args.members), ("--diagnoses", args.diagnoses),
                       ("--encounters", args.encounters)):  # fmt: skip
        if not Path(path).is_file():
            raise InvalidData(f"{flag}: no file {path}", field=flag)
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress("[progress.description]{task.description}", *columns) as bar:
        task = bar.add_task("members scored", total=None)
        try:
            summary = stratify_population(
                Path(args.members),
                Path(args.diagnoses),
                Path(args.encounters),
                Path(args.output),
                as_of=as_of,
                chunk_members=args.chunk,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except ValueError as error:
            raise InvalidData(str(error)) from None
    from casework.audit.events import Action, record

    record(
        Action.EXPORT,
        user=_acting_user(args) if args.as_user or os.environ.get("CASEWORK_USER") else None,
        object_type="population",
        details={"output": Path(args.output).name, "members": summary.members,
                 "as_of": as_of.isoformat(), "os_user": os.environ.get("USER", "")},
    )  # fmt: skip
    _table(
        f"Population on {as_of} ({summary.elapsed_seconds:.1f} s)",
        ["measure", "value"],
        [
            ("members", f"{summary.members:,}"),
            ("diagnoses used / read", f"{summary.diagnoses_used:,} / {summary.diagnoses_read:,}"),
            ("invalid codes skipped", f"{summary.invalid_codes_skipped:,}"),
            ("members with LACE", f"{summary.members_with_lace:,}"),
            *((f"tier {t}", f"{n:,}") for t, n in summary.tiers.items()),
            *((f"mean {k}", "-" if v is None else f"{v:.2f}")
              for k, v in summary.mean_scores.items()),
        ],
    )  # fmt: skip
    print(f"wrote {args.output}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casework.ops import backup as ops

    key = ops.load_key(Path(args.key_file) if args.key_file else None)
    print(ops.backup(Path(args.dest), key=key, unencrypted=args.unencrypted).describe())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casework.ops import backup as ops

    key = ops.load_key(Path(args.key_file) if args.key_file else None)
    result = ops.restore(Path(args.src), key=key, force=args.force, unencrypted=args.unencrypted)
    print(result.describe())
    return 0


def cmd_backup_base(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casework.ops import backup as ops

    key = ops.load_key(Path(args.key_file) if args.key_file else None)
    made = ops.backup_base(Path(args.dest), key=key, unencrypted=args.unencrypted, user=args.user)
    print(made.describe())
    return 0


def cmd_restore_base(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casework.ops import backup as ops

    key = ops.load_key(Path(args.key_file) if args.key_file else None)
    result = ops.restore_base(
        Path(args.src), Path(args.datadir), key=key,
        archive=Path(args.archive) if args.archive else None, target_time=args.target_time,
        target_action=args.target_action, unencrypted=args.unencrypted,
    )  # fmt: skip
    print(result.describe())
    return 0


def cmd_wal_archive(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casework.ops import walarchive
    from casework.ops.backup import BackupError

    try:
        walarchive.archive(Path(args.source), Path(args.target))
    except walarchive.ArchiveError as error:
        raise BackupError(str(error)) from None
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["casework manage", *args.rest])
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casework", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Handler, help_: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    def acting(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--as", dest="as_user", help="the staff account to act as (or CASEWORK_USER)"
        )

    p = command("serve", cmd_serve, "migrate, then serve the web app and API with gunicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--demo", action="store_true", help="load the demo agency first, if absent")
    p.add_argument("--password", default="demo", help="password of the demo sign-ins")
    p.add_argument("--dev", action="store_true", help="allow CASEWORK_DEBUG=1 (development)")
    command("migrate", cmd_migrate, "create or update the database tables")
    p = command("demo", cmd_demo, "load a realistic demo agency into an empty database")
    p.add_argument("--password", default="demo", help="password of every demo sign-in")
    p = command("createuser", cmd_createuser, "create a user (a staff member with --discipline)")
    p.add_argument("username")
    p.add_argument("--password")
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.add_argument("--email", default="")
    p.add_argument("--superuser", action="store_true", help="same as --role administrator")
    p.add_argument(
        "--role",
        action="append",
        help="a role from the access matrix (repeatable; default case_manager for staff): "
        "case_manager, supervisor, program_manager, intake_worker, auditor, administrator",
    )
    p.add_argument("--discipline", help="make the user a staff member of this discipline")

    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    p = command("create", cmd_token_create, "print a new API token for USERNAME", token)
    p.add_argument("username")
    p.add_argument("--name", default="")
    p.add_argument("--scope", choices=["read", "write"], default="write")
    p.add_argument("--days", type=int, default=365, help="lifetime in days")
    p = command("revoke", cmd_token_revoke, "revoke the token that starts with PREFIX", token)
    p.add_argument("prefix")
    p = command("list", cmd_token_list, "list the tokens of USERNAME (never the tokens)", token)
    p.add_argument("username")

    audit = sub.add_parser("audit", help="the audit trail").add_subparsers(
        dest="action", required=True
    )
    p = command("verify", cmd_audit, "check the hash chain; name the first bad row", audit)
    p.add_argument("--head", help="the SEQ:HASH printed earlier by 'casework audit head'")
    p.add_argument("--anchors", help="an anchor file: every head in it must still be in the chain")
    command("head", cmd_audit, "print the chain head (SEQ:HASH) to keep elsewhere", audit)
    p = command("anchor", cmd_audit, "check the chain, then append its head to a file kept "
                "elsewhere (daily)", audit)  # fmt: skip
    p.add_argument(
        "--to", required=True, help="the anchor file, on storage apart from the database"
    )
    p = command("export", cmd_audit, "write audit rows as CSV (auditors only)", audit)
    p.add_argument("--since", help="first UTC date, YYYY-MM-DD")
    p.add_argument("--until", help="last UTC date, YYYY-MM-DD")
    p.add_argument("--user", help="only this username")
    p.add_argument("--client", type=int, help="only this client id")
    p.add_argument("--action", dest="action_filter", help="only this action")
    p.add_argument("--output", help="a file (default: standard output)")
    acting(p)

    clients = sub.add_parser("clients", help="clients").add_subparsers(dest="action", required=True)
    p = command("list", cmd_clients_list, "list or search clients", clients)
    p.add_argument("--q", help="part of any name (case and accents ignored)")
    p.add_argument("--birth-date")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    acting(p)
    p = command("show", cmd_clients_show, "show one client", clients)
    p.add_argument("id", type=int)
    acting(p)
    p = command("release", cmd_clients_release, "release a client's records to a recipient "
                "outside the care team, under the client's consents", clients)  # fmt: skip
    p.add_argument("id", type=int)
    p.add_argument("--recipient", required=True, help="the person or organisation receiving it")
    p.add_argument("--recipient-kind", required=True,
                   help="person, family, organisation, payer or tpo")  # fmt: skip
    p.add_argument("--purpose", required=True, help="treatment, payment, care_coordination, ...")
    p.add_argument("--category", required=True, action="append",
                   help="a kind of information to include: general, part2_sud, ... (repeat "
                   "for more)")  # fmt: skip
    p.add_argument("--description", required=True, help="what is disclosed, in words")
    p.add_argument("--output", required=True, help="a new file for the released records (JSON)")
    acting(p)

    cases = sub.add_parser("cases", help="cases").add_subparsers(dest="action", required=True)
    p = command("list", cmd_cases_list, "list cases", cases)
    p.add_argument("--phase")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    acting(p)
    p = command("show", cmd_cases_show, "show a case, its history and what is missing", cases)
    p.add_argument("id", type=int)
    p.add_argument("--as-of", help="show the case as it stood on this date (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true")
    acting(p)
    p = command("move", cmd_cases_move, "move a case to another phase", cases)
    p.add_argument("id", type=int)
    p.add_argument("to")
    p.add_argument("--reason", default="")
    p.add_argument("--closure-reason")
    acting(p)

    staff = sub.add_parser("staff", help="staff").add_subparsers(dest="action", required=True)
    p = command(
        "credentials", cmd_staff_credentials, "certification eligibility and renewal", staff
    )
    p.add_argument("username")
    p.add_argument("--json", action="store_true")

    p = command("stratify", cmd_stratify, "Charlson, LACE and tier for a population from files")
    p.add_argument("--members", required=True, help="CSV or Parquet: member_id, birth_date")
    p.add_argument(
        "--diagnoses", required=True,
        help="member_id, icd10_code[, onset_date, abatement_date]",
    )  # fmt: skip
    p.add_argument(
        "--encounters", required=True,
        help="member_id, encounter_type (inpatient|ed), admit_date, discharge_date, acute",
    )  # fmt: skip
    p.add_argument("--output", required=True, help="CSV or Parquet, one row per member")
    p.add_argument("--as-of", help="score on this date (default: today)")
    p.add_argument("--chunk", type=int, default=250_000, help="members per chunk (memory)")
    acting(p)

    p = command("rules", cmd_rules, "evaluate a scoring or timing rule (no KIND: list them)")
    p.add_argument("kind", nargs="?")
    p.add_argument("--input", help="the rule's input as JSON (default: read standard input)")

    p = command("backup", cmd_backup, "write an encrypted backup of the database (DUR-07)")
    p.add_argument("dest", help="a new file, or a directory to name one in")
    p.add_argument("--key-file", help="the backup key (default: CASEWORK_BACKUP_KEY)")
    p.add_argument("--unencrypted", action="store_true", help="write it without encryption")
    p = command("restore", cmd_restore, "restore a backup into the empty database and verify it")
    p.add_argument("src")
    p.add_argument("--key-file", help="the backup key (default: CASEWORK_BACKUP_KEY)")
    p.add_argument("--force", action="store_true", help="replace a database that holds data")
    p.add_argument("--unencrypted", action="store_true", help="accept an unencrypted backup")
    p = command("backup-base", cmd_backup_base, "PostgreSQL: an encrypted, verified base backup "
                "for point-in-time recovery with the WAL archive")  # fmt: skip
    p.add_argument("dest", help="a new file, or a directory to name one in")
    p.add_argument("--key-file", help="the backup key (default: CASEWORK_BACKUP_KEY)")
    p.add_argument("--unencrypted", action="store_true", help="write it without encryption")
    p.add_argument("--user", help="the role to connect as (needs REPLICATION; default: the app's)")
    p = command("restore-base", cmd_restore_base, "unpack a base backup into a new PostgreSQL "
                "data directory and set up its recovery from the WAL archive")  # fmt: skip
    p.add_argument("src")
    p.add_argument("datadir", help="a new or empty directory (owned by the server's user)")
    p.add_argument("--archive", help="the WAL archive directory that restore_command reads")
    p.add_argument("--target-time", help="recover to this moment, e.g. 2025-03-01T14:30:00Z")
    p.add_argument("--target-action", choices=["pause", "promote", "shutdown"], default="pause",
                   help="what the server does at the target time (default: pause)")  # fmt: skip
    p.add_argument("--key-file", help="the backup key (default: CASEWORK_BACKUP_KEY)")
    p.add_argument("--unencrypted", action="store_true", help="accept an unencrypted backup")
    p = command("wal-archive", cmd_wal_archive, "PostgreSQL's archive_command: copy a WAL file "
                "into the archive, fsynced, never overwriting")  # fmt: skip
    p.add_argument("source", help="%%p")
    p.add_argument("target", help="the archive directory, then /%%f")

    p = command("manage", cmd_manage, "run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _setup_django()
    from casework.audit.commands import run_audited
    from casework.core.errors import Problem

    try:
        _check_access(args)
        return int(run_audited(args, args.handler))
    except Problem as problem:
        print(f"casework {args.command}: {problem.detail}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
