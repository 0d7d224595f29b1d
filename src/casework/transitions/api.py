"""API routes of transitions of care, their checklists and post-transition contacts."""

from typing import Any

from ninja import Router

from casework.core.routes import RecordResource, add_record_routes
from casework.transitions.models import HandoffItem, PostTransitionContact, TransitionEvent
from casework.transitions.services import open_checklist

router = Router(tags=["transitions"])

_TRANSITION_CHILD: dict[str, Any] = {
    "parent_model": TransitionEvent,
    "parent_segment": "care-transitions",
    "parent_field": "transition",
    "case_path": "transition__case",
}

TRANSITION_RECORDS = [
    RecordResource(
        TransitionEvent,
        "care-transitions",
        [
            "from_setting",
            "to_setting",
            "admitted_on",
            "transition_on",
            "receiving_provider",
            "receiving_contact",
            "notes",
        ],
        after_create=open_checklist,
        ordering=("transition_on", "id"),
    ),  # fmt: skip
    RecordResource(
        HandoffItem,
        "checklist",
        ["completed", "completed_on", "open_reason"],
        read_only=["item"],
        creatable=False,
        **_TRANSITION_CHILD,
    ),
    RecordResource(
        PostTransitionContact,
        "contacts",
        ["kind", "status", "occurred_on", "mode", "missed_reason", "note"],
        **_TRANSITION_CHILD,
    ),
]
for _resource in TRANSITION_RECORDS:
    add_record_routes(router, _resource)
