"""Transitions of care: events, handoff checklists and post-transition contacts."""
