"""The case workspace: a header (phase stepper, tier, alerts) over tabs that features register.

A tab is a page of the case with its own template, its own data and its own forms. The core
phases register theirs in ``views.case_tabs``; a later feature (referrals, tasks, resource
directory, reports) adds its page with ``register_tab`` and appears in the workspace without
touching the others. A tab's forms are ``Action``s: the view binds the one that a POST names,
runs its ``save`` (which calls a service) and redirects, or shows the form again with the
service's refusal beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.functional import Promise

from casework.cases.models import Case

FormBuilder = Callable[["TabContext", Any, Any], forms.BaseForm]
Saver = Callable[["TabContext", Any, Any], str]
RecordFinder = Callable[["TabContext", str], Any]


@dataclass(frozen=True)
class Action:
    """One form of a tab. ``record`` finds the record an edit form is about (None: a create)."""

    build: FormBuilder
    save: Saver
    record: RecordFinder | None = None


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    template: str
    context: Callable[[TabContext], dict[str, Any]]
    actions: dict[str, Action] = field(default_factory=dict)
    order: int = 100
    # Shown with a count (e.g. open alerts) when this returns more than 0.
    badge: Callable[[Case], int] | None = None


TABS: dict[str, Tab] = {}


def register_tab(tab: Tab) -> Tab:
    TABS[tab.key] = tab
    return tab


def ordered_tabs() -> list[Tab]:
    return sorted(TABS.values(), key=lambda t: (t.order, t.key))


@dataclass
class Bound:
    action: str
    record_key: str
    form: forms.BaseForm


@dataclass
class TabContext:
    request: HttpRequest
    case: Case
    tab: Tab
    bound: Bound | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.request.user

    def form(self, action: str, record: Any = None, key: str | None = None) -> forms.BaseForm:
        """The form of ``action`` (for ``record``): the submitted one if it is the one that
        failed, else a fresh one. ``key`` names the record in the POST (default its pk)."""
        record_key = key if key is not None else ("" if record is None else str(record.pk))
        if self.bound and self.bound.action == action and self.bound.record_key == record_key:
            return self.bound.form
        built = self.tab.actions[action].build(self, record, None)
        prepare(built, action, record_key)
        return built

    def once(self, name: str, compute: Callable[[], Any]) -> Any:
        """Compute something several parts of a tab need only once per request."""
        if name not in self.cache:
            self.cache[name] = compute()
        return self.cache[name]


def prepare(form: forms.BaseForm, action: str, record_key: str) -> None:
    """Give the form the names the POST carries and ids unique on a page of many forms."""
    form.action_name = action  # type: ignore[attr-defined]
    form.record_key = record_key  # type: ignore[attr-defined]
    form.prefix = f"{action}-{record_key}" if record_key else action
