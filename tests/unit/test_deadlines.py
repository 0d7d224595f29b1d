"""What is due on a case, from facts (no database)."""

from __future__ import annotations

import datetime as dt

from casework.cases.deadlines import (
    DueFacts,
    DueItem,
    LastAdministration,
    TransitionDue,
    attention_key,
    due_items,
)

TODAY = dt.date(2026, 11, 30)  # a Monday


def facts(**changes: object) -> DueFacts:
    return DueFacts(today=TODAY, open=True, **changes)  # type: ignore[arg-type]


def test_a_closed_case_has_nothing_due() -> None:
    assert due_items(DueFacts(today=TODAY, open=False, open_alerts=[("x", TODAY)])) == []


def test_the_tier_cadence_counts_from_the_last_contact() -> None:
    cadence = {"high": 7, "low": 30}
    items = due_items(facts(tier="high", follow_up_days=cadence,
                            last_contact_on=TODAY - dt.timedelta(days=8)))  # fmt: skip
    assert [(i.kind, i.due_on, i.overdue) for i in items] == [
        ("contact", TODAY - dt.timedelta(days=1), True)
    ]
    on_time = due_items(facts(tier="high", follow_up_days=cadence,
                              last_contact_on=TODAY - dt.timedelta(days=7)))  # fmt: skip
    assert on_time[0].due_on == TODAY and not on_time[0].overdue
    never = due_items(facts(tier="low", follow_up_days=cadence, opened_on=TODAY))
    assert never[0].due_on == TODAY + dt.timedelta(days=30)
    assert due_items(facts(tier=None, follow_up_days=cadence, opened_on=TODAY)) == []


def test_transition_deadlines_skip_weekends_and_holidays() -> None:
    wednesday_before_thanksgiving = dt.date(2026, 11, 25)
    t = TransitionDue(wednesday_before_thanksgiving, "inpatient_acute_care_hospital", "home",
                      interactive_done=False, face_to_face_done=False)  # fmt: skip
    items = due_items(facts(transition=t))
    # Thursday 26 is Thanksgiving: business days are Friday 27 and Monday 30.
    assert [(i.label, i.due_on) for i in items] == [
        ("interactive contact after discharge", dt.date(2026, 11, 30)),
        ("face-to-face visit after discharge", dt.date(2026, 12, 9)),
    ]
    done = TransitionDue(wednesday_before_thanksgiving, "inpatient_acute_care_hospital", "home",
                         interactive_done=True, face_to_face_done=True)  # fmt: skip
    assert due_items(facts(transition=done)) == []


def test_phq9_is_due_again_only_while_positive() -> None:
    given = TODAY - dt.timedelta(days=30)
    positive = LastAdministration("phq9", "PHQ-9", given, 28, positive=True)
    negative = LastAdministration("phq9", "PHQ-9", given, 28, positive=False)
    katz = LastAdministration("katz_adl", "Katz", given, 180, positive=False)
    items = due_items(facts(administrations=[positive, katz]))
    assert [(i.label, i.overdue) for i in items] == [("PHQ-9 again", True), ("Katz again", False)]
    assert [i.label for i in due_items(facts(administrations=[negative]))] == []


def test_overdue_items_come_first() -> None:
    items = due_items(
        facts(
            interventions_not_started=[("bus pass", TODAY + dt.timedelta(days=2))],
            active_goal_targets=[("walk", TODAY - dt.timedelta(days=3)),
                                 ("far", TODAY + dt.timedelta(days=90))],
            open_alerts=[("PHQ-9 item 9", TODAY)],
        )
    )  # fmt: skip
    assert [i.kind for i in items] == ["goal", "alert", "intervention"]


def test_attention_ranks_alerts_then_overdue_then_soonest_then_tier() -> None:
    alert = due_items(facts(open_alerts=[("x", TODAY)]))
    overdue = due_items(facts(active_goal_targets=[("g", TODAY - dt.timedelta(days=1))]))
    nothing: list[DueItem] = []
    keys = {
        "alert": attention_key(alert, "low", 5, TODAY),
        "overdue": attention_key(overdue, "low", 5, TODAY),
        "complex": attention_key(nothing, "complex", 5, TODAY),
        "low": attention_key(nothing, "low", 5, TODAY),
    }
    assert sorted(keys, key=keys.__getitem__) == ["alert", "overdue", "complex", "low"]
