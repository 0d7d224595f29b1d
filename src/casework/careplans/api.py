"""API routes of the care plan: goals, interventions, agreement, progress, outcomes."""

from typing import Any

from ninja import Router

from casework.careplans.models import (
    CaseEvaluation,
    Goal,
    GoalOutcome,
    GoalProgress,
    Intervention,
    PlanAgreement,
)
from casework.core.routes import RecordResource, add_record_routes, now_stamp

router = Router(tags=["care plan"])

_GOAL_CHILD: dict[str, Any] = {
    "parent_model": Goal,
    "parent_segment": "goals",
    "parent_field": "goal",
    "case_path": "goal__case",
}

CAREPLAN_RECORDS = [
    RecordResource(
        Goal,
        "goals",
        [
            "problem",
            "client_words",
            "measurable_target",
            "term",
            "target_date",
            "priority",
            "status",
            "barriers",
            "strengths",
        ],
        ordering=("priority", "id"),
    ),  # fmt: skip
    RecordResource(
        Intervention,
        "interventions",
        [
            "description",
            "responsible",
            "responsible_staff",
            "frequency",
            "start_due_on",
            "started_on",
            "status",
        ],
        **_GOAL_CHILD,
    ),  # fmt: skip
    RecordResource(
        PlanAgreement,
        "agreements",
        ["agreed", "refusal_reason", "recorded_on"],
        read_only=["recorded_at"],
        stamp=now_stamp("recorded_at", "recorded_by"),
        editable=False,
    ),
    RecordResource(
        GoalProgress,
        "progress",
        ["recorded_on", "direction", "measurement", "note"],
        read_only=["recorded_at"],
        stamp=now_stamp("recorded_at"),
        **_GOAL_CHILD,
    ),
    RecordResource(
        GoalOutcome,
        "outcomes",
        ["evaluated_on", "outcome", "attainment_score", "note"],
        read_only=["recorded_at"],
        stamp=now_stamp("recorded_at"),
        **_GOAL_CHILD,
    ),
    RecordResource(
        CaseEvaluation,
        "evaluations",
        [
            "decided_on",
            "decision",
            "reason",
            "readmissions",
            "ed_visits",
            "client_satisfaction",
            "summary",
        ],
        read_only=["recorded_at"],
        stamp=now_stamp("recorded_at"),
    ),  # fmt: skip
]
for _resource in CAREPLAN_RECORDS:
    add_record_routes(router, _resource)
