"""PRIV-04: the 60-day due date of an amendment request, its one 30-day extension, and the
order of its answers (HIPAA 164.526). Pure rules, no database."""

from __future__ import annotations

import datetime as dt

from casework.privacy import amendments as rules
from casework.privacy.amendments import ACCEPTED, DENIED, PENDING

RECEIVED = dt.date(2026, 1, 5)
DUE = dt.date(2026, 3, 6)  # 60 days later


def day(n: int) -> dt.date:
    return RECEIVED + dt.timedelta(days=n)


def extend(*, on: dt.date, today: dt.date | None = None, **changes: object) -> rules.Refusal | None:
    facts: dict[str, object] = {
        "status": PENDING,
        "received_on": RECEIVED,
        "due": DUE,
        "already_extended": False,
        "on": on,
        "today": today or on,
    }
    facts.update(changes)
    return rules.check_extension(**facts)  # type: ignore[arg-type]


def test_due_sixty_days_after_receipt_or_ninety_once_extended() -> None:
    assert rules.due_on(RECEIVED, extended=False) == DUE == day(60)
    assert rules.due_on(RECEIVED, extended=True) == day(90)


def test_day_60_is_on_time_and_day_61_overdue() -> None:
    assert not rules.is_overdue(PENDING, DUE, day(59))
    assert not rules.is_overdue(PENDING, DUE, day(60))
    assert rules.is_overdue(PENDING, DUE, day(61))
    assert rules.days_left(DUE, day(60)) == 0
    assert rules.days_left(DUE, day(61)) == -1


def test_an_answered_request_is_never_overdue() -> None:
    assert not rules.is_overdue(ACCEPTED, DUE, day(200))
    assert not rules.is_overdue(DENIED, DUE, day(200))


def test_an_extended_request_is_overdue_from_day_91() -> None:
    due = rules.due_on(RECEIVED, extended=True)
    assert not rules.is_overdue(PENDING, due, day(90))
    assert rules.is_overdue(PENDING, due, day(91))


def test_an_extension_within_the_sixty_days_is_allowed_up_to_day_60() -> None:
    assert extend(on=day(0)) is None
    assert extend(on=day(60)) is None


def test_an_extension_after_the_due_date_is_refused() -> None:
    refusal = extend(on=day(61))
    assert refusal is not None
    assert (refusal.kind, refusal.field) == ("invalid", "extended_on")


def test_the_response_time_is_extended_once_only() -> None:
    refusal = extend(on=day(10), already_extended=True, due=day(90))
    assert refusal is not None
    assert (refusal.kind, refusal.field) == ("conflict", "extended_on")


def test_only_a_pending_request_is_extended() -> None:
    refusal = extend(on=day(10), status=DENIED)
    assert refusal is not None and refusal.kind == "conflict"


def test_an_extension_is_not_dated_before_receipt_or_in_the_future() -> None:
    before = extend(on=day(-1), today=day(5))
    future = extend(on=day(6), today=day(5))
    assert before is not None and before.field == "extended_on" and before.kind == "invalid"
    assert future is not None and future.field == "extended_on" and future.kind == "invalid"


def test_a_request_is_not_received_in_the_future() -> None:
    assert rules.check_received(day(0), day(0)) is None
    refusal = rules.check_received(day(1), day(0))
    assert refusal is not None and refusal.field == "received_on"


def test_a_request_is_decided_once_even_late() -> None:
    assert (
        rules.check_decision(status=PENDING, received_on=RECEIVED, on=day(75), today=day(75))
        is None
    )
    again = rules.check_decision(status=ACCEPTED, received_on=RECEIVED, on=day(5), today=day(5))
    assert again is not None and again.kind == "conflict"
    early = rules.check_decision(status=PENDING, received_on=RECEIVED, on=day(-1), today=day(5))
    assert early is not None and early.field == "decided_on"


def test_a_statement_of_disagreement_follows_a_denial_once() -> None:
    facts = {"decided_on": day(30), "on": day(40), "today": day(40)}
    assert rules.check_disagreement(status=DENIED, has_disagreement=False, **facts) is None  # type: ignore[arg-type]
    pending = rules.check_disagreement(status=PENDING, has_disagreement=False, **facts)  # type: ignore[arg-type]
    twice = rules.check_disagreement(status=DENIED, has_disagreement=True, **facts)  # type: ignore[arg-type]
    assert pending is not None and pending.kind == "conflict"
    assert twice is not None and twice.kind == "conflict"
    before = rules.check_disagreement(
        status=DENIED, decided_on=day(30), has_disagreement=False, on=day(29), today=day(40)
    )
    assert before is not None and before.field == "received_on"


def test_a_rebuttal_answers_a_statement_of_disagreement_once() -> None:
    assert rules.check_rebuttal(has_disagreement=True, has_rebuttal=False) is None
    assert rules.check_rebuttal(has_disagreement=False, has_rebuttal=False) is not None
    assert rules.check_rebuttal(has_disagreement=True, has_rebuttal=True) is not None


def test_a_pending_request_is_due_work_on_the_clients_case() -> None:
    from casework.cases.deadlines import DueFacts, due_items

    facts = DueFacts(today=day(61), open=True, pending_amendments=[(7, DUE), (8, day(90))])
    items = [(i.kind, i.label, i.due_on, i.overdue) for i in due_items(facts)]
    assert items == [
        ("amendment", "answer amendment request #7", DUE, True),
        ("amendment", "answer amendment request #8", day(90), False),
    ]
    on_day_60 = due_items(DueFacts(today=day(60), open=True, pending_amendments=[(7, DUE)]))
    assert not on_day_60[0].overdue
