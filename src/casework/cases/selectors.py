"""Reads of cases, with the one rule of who may see which case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from casework.accounts.permissions import scopes
from casework.cases.deadlines import DueItem, attention_key
from casework.cases.due import DUE_PREFETCH, due_items
from casework.cases.models import Case, PhaseChange
from casework.cases.phases import Phase
from casework.core import clock
from casework.risk.models import RiskTierAssignment
from casework.staff.models import StaffMember


def staff_of(user: Any) -> StaffMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        staff: StaffMember = user.staff
    except StaffMember.DoesNotExist:
        return None
    return staff if staff.active else None


def supervised_staff_ids(staff: StaffMember) -> set[int]:
    """Everyone below ``staff`` in the supervision chain, at any depth."""
    edges = StaffMember.objects.filter(supervisor__isnull=False).values_list("id", "supervisor_id")
    children: dict[int, list[int]] = {}
    for child, parent in edges:
        children.setdefault(parent, []).append(child)
    found: set[int] = set()
    frontier = [staff.pk]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def break_glass_clients(user: Any) -> QuerySet[Any]:
    """Clients the user holds live emergency access to (``privacy.BreakGlassGrant``)."""
    from casework.privacy.models import BreakGlassGrant

    now = clock.now()
    return BreakGlassGrant.objects.filter(
        user_id=user.pk, started_at__lte=now, expires_at__gt=now
    ).values("client_id")


def _in_screening() -> Any:
    latest = PhaseChange.objects.filter(case=OuterRef("pk")).order_by("-seq")
    return Subquery(latest.values("to_phase")[:1])


def case_scope_filter(user: Any, staff: StaffMember, granted: frozenset[str]) -> Q | None:
    """The cases within the given scopes (see access.toml), as one filter; None for all."""
    if "agency" in granted:
        return None
    query = Q(pk__in=[])
    if granted & {"care_team", "team"}:
        query |= Q(primary_case_manager_id=staff.pk) | Q(care_team__staff_id=staff.pk)
    if "team" in granted:
        below = supervised_staff_ids(staff)
        query |= Q(primary_case_manager_id__in=below) | Q(care_team__staff_id__in=below)
    if "program" in granted:
        query |= Q(program__managers=staff)
    if "intake" in granted:
        screening = Case.objects.annotate(phase=_in_screening()).filter(
            created_by_id=user.pk, phase=Phase.SCREENING.value
        )
        query |= Q(pk__in=screening.values("pk"))
    return query


def visible_cases(user: Any, permission: str = "case.read") -> QuerySet[Case]:
    """The cases ``user`` may see (or, with ``case.write``, change): those of their care
    teams, their supervisees, their programs or their intake, as their roles' scopes say, and
    those of a client they broke the glass for. Everyone else, administrators included, sees
    none. Every list, search and lookup starts here."""
    staff = staff_of(user)
    granted = scopes(user, permission)
    if staff is None or not granted:
        return Case.objects.none()
    query = case_scope_filter(user, staff, granted)
    if query is None:
        return Case.objects.all()
    query |= Q(client_id__in=break_glass_clients(user))
    return Case.objects.filter(id__in=Case.objects.filter(query).values("id"))


def with_phase_and_tier(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with ``phase`` (from its latest move) and ``tier`` (latest tier)."""
    latest_phase = PhaseChange.objects.filter(case=OuterRef("pk")).order_by("-seq")
    latest_tier = RiskTierAssignment.objects.filter(case=OuterRef("pk")).order_by(
        "-assigned_at", "-id"
    )
    return cases.annotate(
        phase=Subquery(latest_phase.values("to_phase")[:1]),
        tier=Subquery(latest_tier.values("tier")[:1]),
    ).select_related("client", "program", "primary_case_manager__user")


def get_case(user: Any, case_id: int, permission: str = "case.read") -> Case | None:
    return with_phase_and_tier(visible_cases(user, permission)).filter(pk=case_id).first()


def list_cases(
    user: Any,
    *,
    phase: str | None = None,
    case_manager: int | None = None,
    program: int | None = None,
    client: int | None = None,
) -> QuerySet[Case]:
    cases = with_phase_and_tier(visible_cases(user))
    if phase:
        cases = cases.filter(phase=phase)  # type: ignore[misc]  # a query annotation
    if case_manager:
        cases = cases.filter(primary_case_manager_id=case_manager)
    if program:
        cases = cases.filter(program_id=program)
    if client:
        cases = cases.filter(client_id=client)
    return cases.order_by("-opened_on", "-id")


@dataclass(frozen=True)
class CaseloadRow:
    case: Case
    phase: str
    tier: str | None
    due: list[DueItem]

    @property
    def overdue(self) -> list[DueItem]:
        return [d for d in self.due if d.overdue]


def caseload(
    user: Any,
    *,
    today: dt.date,
    program: int | None = None,
    phase: str | None = None,
    tier: str | None = None,
) -> list[CaseloadRow]:
    """The user's own open cases (as primary case manager, and for an intake worker the
    referrals they took in that are being screened), most in need of attention first."""
    staff = staff_of(user)
    if staff is None:
        return []
    own = Q(primary_case_manager=staff)
    if "intake" in scopes(user, "case.read"):
        own |= case_scope_filter(user, staff, frozenset({"intake"})) or Q()
    cases = with_phase_and_tier(
        visible_cases(user).filter(own, closed_on__isnull=True)
    ).prefetch_related(*DUE_PREFETCH)
    if program:
        cases = cases.filter(program_id=program)
    if phase:
        cases = cases.filter(phase=phase)  # type: ignore[misc]  # a query annotation
    if tier:
        cases = cases.filter(tier=tier)  # type: ignore[misc]
    rows = []
    for case in cases:
        case_phase, case_tier = getattr(case, "phase"), getattr(case, "tier")  # noqa: B009
        rows.append(CaseloadRow(case, case_phase, case_tier, due_items(case, today=today)))
    order = [p.value for p in Phase]
    rows.sort(
        key=lambda r: attention_key(r.due, r.tier, order.index(r.phase), today) + (r.case.pk,)
    )
    return rows
