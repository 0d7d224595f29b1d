"""Reads of cases, with the one rule of who may see which case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

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


def visible_cases(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may see: their own, their care teams', their supervisees', the
    referrals they took in, and those of a client they broke the glass for. Everyone else,
    administrators included, sees none. Every list, search and lookup starts here."""
    staff = staff_of(user)
    if staff is None:
        return Case.objects.none()
    managers = supervised_staff_ids(staff) | {staff.pk}
    ids = Case.objects.filter(
        Q(primary_case_manager_id__in=managers)
        | Q(care_team__staff_id=staff.pk)
        | Q(created_by_id=user.pk)
        | Q(client_id__in=break_glass_clients(user))
    ).values("id")
    return Case.objects.filter(id__in=ids)


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


def get_case(user: Any, case_id: int) -> Case | None:
    return with_phase_and_tier(visible_cases(user)).filter(pk=case_id).first()


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
    """The user's own open cases (as primary case manager), most in need of attention first."""
    staff = staff_of(user)
    if staff is None:
        return []
    cases = with_phase_and_tier(
        visible_cases(user).filter(primary_case_manager=staff, closed_on__isnull=True)
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
