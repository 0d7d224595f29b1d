"""Use cases of transitions of care."""

from __future__ import annotations

from typing import Any

from casework.transitions.models import HandoffItem, TransitionEvent


def open_checklist(actor: Any, transition: TransitionEvent) -> None:
    """Every transition starts with the standard handoff checklist, all items open."""
    HandoffItem.objects.bulk_create(
        HandoffItem(transition=transition, item=item) for item in HandoffItem.Item
    )
