"""Workspace tabs of care: transitions of care (deadlines, checklist, contacts after), contact
notes, and the instruments given in the case with the client's trends."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.audit.middleware import note_labels
from casework.cases.deadlines import TransitionDue, transition_deadlines
from casework.core import clock
from casework.instruments.definitions import INSTRUMENTS
from casework.instruments.selectors import readable_results
from casework.transitions.models import PostTransitionContact, TransitionEvent
from casework.web import charts, records
from casework.web.forms.case import NoteEditForm, NoteForm
from casework.web.forms.transitions import (
    ContactEditForm,
    ContactForm,
    HandoffItemForm,
    TransitionEditForm,
    TransitionForm,
)
from casework.web.views.case import edit_action
from casework.web.workspace import Action, Tab, TabContext, register_tab

REQUIRED = (PostTransitionContact.Kind.INTERACTIVE, PostTransitionContact.Kind.FACE_TO_FACE)


def transitions(ctx: TabContext) -> list[TransitionEvent]:
    return ctx.once(
        "transitions",
        lambda: list(
            records.rows(ctx.user, "care-transitions", case=ctx.case).prefetch_related(
                "checklist", "contacts"
            )
        ),
    )


def deadlines_of(t: TransitionEvent) -> dict[str, Any]:
    """The CMS TCM deadlines of a discharge (the rule library's), and where each contact is."""
    contacts = list(t.contacts.all())

    def done(kind: str) -> PostTransitionContact | None:
        return next(
            (
                c
                for c in contacts
                if c.kind == kind
                and (c.status == c.Status.MADE or (c.status == c.Status.MISSED and c.missed_reason))
            ),
            None,
        )

    interactive, visit = done(REQUIRED[0]), done(REQUIRED[1])
    rule = transition_deadlines(
        TransitionDue(
            discharged_on=t.transition_on,
            from_setting=t.from_setting,
            to_setting=t.to_setting,
            interactive_done=interactive is not None,
            face_to_face_done=visit is not None,
        )
    )
    today = clock.today()

    def entry(label: str, key: str, contact: PostTransitionContact | None) -> dict[str, Any]:
        due = _date(rule[key])
        return {
            "label": label,
            "due": due,
            "contact": contact,
            "overdue": contact is None and due < today,
            "days_left": (due - today).days,
        }

    return {
        "eligible": rule["eligible"],
        "rows": [
            entry(
                _("Interactive contact (2 business days)"),
                "interactive_contact_deadline",
                interactive,
            ),
            entry(
                _("Face-to-face visit, high complexity (7 days)"),
                "face_to_face_deadline_99496",
                visit,
            ),
            entry(
                _("Face-to-face visit, moderate complexity (14 days)"),
                "face_to_face_deadline_99495",
                visit,
            ),
        ],
        "service_period_end": _date(rule["service_period_end"]),
    }


def _date(value: object) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(str(value))


def _save_transition(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "care-transitions", ctx.case, form.data_for_service())
    return _("The transition is recorded with its handoff checklist.")


def _checklist_item(ctx: TabContext, key: str) -> Any:
    return (
        records.resource("checklist")
        .visible(ctx.user)
        .filter(pk=int(key) if key.isdigit() else 0, transition__case=ctx.case)
        .first()
    )


def _save_item(ctx: TabContext, form: Any, item: Any) -> str:
    data = dict(form.cleaned_data)
    version = data.pop("version")
    records.update(ctx.user, "checklist", item, data, version)
    return _("The checklist is updated.")


def _build_item(ctx: TabContext, item: Any, data: Any) -> Any:
    initial = {
        "completed": item.completed,
        "completed_on": item.completed_on or clock.today(),
        "open_reason": item.open_reason,
        "version": item.version,
    }
    return HandoffItemForm(data, initial=initial)


def _build_contact(ctx: TabContext, record: Any, data: Any) -> Any:
    form = ContactForm(data, instance=PostTransitionContact())
    form.set_transitions(transitions(ctx))
    return form


def _save_contact(ctx: TabContext, form: Any, record: Any) -> str:
    wanted = form.cleaned_data["transition"]
    parent = next(t for t in transitions(ctx) if t.pk == wanted)
    records.create(ctx.user, "contacts", parent, form.data_for_service())
    return _("The contact is recorded.")


def _transitions(ctx: TabContext) -> dict[str, Any]:
    rows = [
        {
            "transition": t,
            "deadlines": deadlines_of(t),
            "items": [(i, ctx.form("item", i)) for i in t.checklist.all()],
            "contacts": [(c, ctx.form("contact_edit", c)) for c in t.contacts.all()],
            "edit_form": ctx.form("transition_edit", t),
        }
        for t in reversed(transitions(ctx))
    ]
    return {
        "transition_rows": rows,
        "transition_form": ctx.form("transition"),
        "contact_form": ctx.form("contact") if rows else None,
    }


register_tab(
    Tab(
        "transitions",
        gettext_lazy("Transitions"),
        "web/case/transitions.html",
        _transitions,
        actions={
            "transition": Action(
                lambda c, r, d: TransitionForm(d, instance=TransitionEvent(case=c.case)),
                _save_transition,
            ),
            "item": Action(_build_item, _save_item, _checklist_item),
            "contact": Action(_build_contact, _save_contact),
            "transition_edit": edit_action(
                "care-transitions", TransitionEditForm, gettext_lazy("The transition is updated.")
            ),
            "contact_edit": edit_action(
                "contacts", ContactEditForm, gettext_lazy("The contact is updated.")
            ),
        },
        order=60,
    )
)


def _save_note(ctx: TabContext, form: Any, record: Any) -> str:
    records.create(ctx.user, "notes", ctx.case, form.data_for_service())
    return _("The note is saved.")


def _notes(ctx: TabContext) -> dict[str, Any]:
    notes = list(records.rows(ctx.user, "notes", case=ctx.case).select_related("author")[:50])
    note_labels(ctx.request, (n.sensitivity for n in notes))
    return {
        "notes": [(n, ctx.form("note_edit", n)) for n in notes],
        "note_form": ctx.form("note"),
    }


register_tab(
    Tab(
        "notes",
        gettext_lazy("Notes"),
        "web/case/notes.html",
        _notes,
        actions={
            "note": Action(
                lambda c, r, d: NoteForm(d, instance=records.resource("notes").model(case=c.case)),
                _save_note,
            ),
            "note_edit": edit_action("notes", NoteEditForm, gettext_lazy("The note is updated.")),
        },
        order=70,
    )
)


def _instruments(ctx: TabContext) -> dict[str, Any]:
    given = list(
        readable_results(ctx.user)
        .filter(case=ctx.case)
        .select_related("administered_by")
        .order_by("-administered_on", "-recorded_at")
    )
    note_labels(ctx.request, (a.sensitivity for a in given))
    trends = []
    for key in dict.fromkeys(a.instrument for a in sorted(given, key=lambda a: a.instrument)):
        points = charts.instrument_points(ctx.user, ctx.case.client_id, key)
        if points:
            trends.append(
                {"instrument": INSTRUMENTS.get(key), "key": key, "svg": charts.trend(points)}
            )
    return {"given": given, "instruments": list(INSTRUMENTS.values()), "trends": trends}


register_tab(
    Tab(
        "instruments",
        gettext_lazy("Instruments"),
        "web/case/instruments.html",
        _instruments,
        order=75,
    )
)
