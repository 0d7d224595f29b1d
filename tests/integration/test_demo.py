"""The demo agency: built once, then checked for coverage and for the process's own rules.

Building takes a few seconds, so one test builds it and asserts everything it promises.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from casework.cases.models import Case, PhaseChange, Program
from casework.cases.phases import HistoryEntry, Phase, is_valid_path
from casework.clients.models import Client
from casework.demo import build_demo, demo_loaded
from casework.staff.models import Discipline, StaffMember

TODAY = dt.date(2025, 3, 14)


def _histories() -> dict[int, list[HistoryEntry]]:
    histories: dict[int, list[HistoryEntry]] = {}
    for change in PhaseChange.objects.order_by("case_id", "seq"):
        histories.setdefault(change.case_id, []).append(
            HistoryEntry(
                from_phase=Phase(change.from_phase) if change.from_phase else None,
                to_phase=Phase(change.to_phase),
                at=change.at,
            )
        )
    return histories


@pytest.mark.django_db
def test_demo_agency_covers_the_process_and_keeps_its_rules() -> None:
    assert not demo_loaded()
    summary = build_demo(password="demo", seed=7, today=TODAY)

    staff = list(StaffMember.objects.select_related("user", "supervisor__user"))
    assert len(staff) >= 12
    assert {s.discipline for s in staff} == set(Discipline.values)

    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_superuser and not StaffMember.objects.filter(user=admin).exists()
    assert admin.check_password("demo")
    assert users.get(username="casemanager").check_password("demo")

    assert Program.objects.count() == 3
    assert all(p.required_instruments == [] for p in Program.objects.all())
    assert Client.objects.count() >= 200
    assert summary.clients == Client.objects.count()

    histories = _histories()
    assert len(histories) == Case.objects.count() == summary.cases
    problems = {case: is_valid_path(h) for case, h in histories.items() if is_valid_path(h)}
    assert problems == {}
    phases = Counter(h[-1].to_phase for h in histories.values())
    assert set(phases) == set(Phase), f"phases without a case: {set(Phase) - set(phases)}"
    assert summary.cases_by_phase == {p.value: phases[p] for p in Phase}
    assert all(h[-1].at.date() < TODAY for h in histories.values())

    case_manager = StaffMember.objects.get(user__username="casemanager")
    assert 25 <= Case.objects.filter(primary_case_manager=case_manager).count() <= 40
    supervisor = StaffMember.objects.get(user__username="supervisor")
    managers = StaffMember.objects.filter(primary_cases__isnull=False).distinct()
    assert managers.exists()
    assert all(m.supervisor_id == supervisor.pk for m in managers)
    assert {u for u, _ in summary.sign_ins} >= {"casemanager", "supervisor", "admin"}

    assert demo_loaded()
    with pytest.raises(RuntimeError, match="already loaded"):
        build_demo(today=TODAY)
