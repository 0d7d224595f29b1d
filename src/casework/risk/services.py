"""Use cases of risk: compute a case's tier by its program's rule, or set it by hand."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from casework.cases.models import Case
from casework.cases.services import refuse_if_closed
from casework.clients.models import Encounter
from casework.core import clock
from casework.core.records import create_record
from casework.instruments.models import InstrumentAdministration
from casework.risk.models import RiskTierAssignment
from casework.risk.scores import ConditionFact, StayFact, case_scores
from casework.risk.tiering import stratify


def latest_results(case: Case) -> dict[str, dict[str, Any]]:
    """The latest result of each instrument given to the client (in any case)."""
    latest: dict[str, dict[str, Any]] = {}
    for row in InstrumentAdministration.objects.filter(client_id=case.client_id).order_by(
        "administered_on", "recorded_at", "id"
    ):
        latest[row.instrument] = row.result
    return latest


def scores_for(case: Case) -> dict[str, Any]:
    client = case.client
    encounters = list(client.encounters.all())
    return case_scores(
        today=clock.today(),
        birth_date=client.birth_date,
        conditions=[
            ConditionFact(c.icd10_code, c.onset_date, c.abatement_date)
            for c in client.conditions.all()
        ],
        stays=[
            StayFact(e.started_on, e.discharged_on, e.acute)
            for e in encounters
            if e.kind == Encounter.Kind.INPATIENT and e.discharged_on is not None
        ],
        ed_visits=[e.started_on for e in encounters if e.kind == Encounter.Kind.ED],
        instrument_results=latest_results(case),
    )


@transaction.atomic
def compute_tier(*, actor: Any, case: Case) -> RiskTierAssignment:
    refuse_if_closed(case)
    scores = scores_for(case)
    result = stratify(scores, case.program.tier_rule)
    basis = result.explanation
    if result.unavailable:
        basis += f" (not available: {', '.join(result.unavailable)})"
    return RiskTierAssignment.objects.create(
        case=case,
        tier=result.tier,
        computed_tier=result.tier,
        basis=basis,
        scores=scores,
        assigned_at=clock.now(),
        assigned_by=actor,
    )


@transaction.atomic
def set_tier(
    *, actor: Any, case: Case, tier: str, basis: str, override_reason: str
) -> RiskTierAssignment:
    """Set the tier by hand. Against a computed tier this is an override and needs a reason."""
    refuse_if_closed(case)
    computed = (
        case.tier_assignments.exclude(computed_tier="").order_by("-assigned_at", "-id").first()
    )
    computed_tier = computed.computed_tier if computed else ""
    if not basis.strip() and computed_tier and tier != computed_tier:
        basis = f"override of the computed tier ({computed.basis if computed else ''})"
    return create_record(
        RiskTierAssignment,
        {"tier": tier, "basis": basis, "override_reason": override_reason},
        case=case,
        computed_tier=computed_tier,
        scores=computed.scores if computed else {},
        assigned_at=clock.now(),
        assigned_by=actor,
    )
