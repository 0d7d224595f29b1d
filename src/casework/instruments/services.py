"""Use cases of instruments: administer one in a case (scored by the rule library), and record
the clinician's follow-up that clears the urgent alert it may raise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework import rules
from casework.cases.models import Case
from casework.cases.phases import HistoryEntry, Phase, phase_at
from casework.core import clock
from casework.core.errors import Conflict, Forbidden, InvalidData
from casework.instruments.definitions import INSTRUMENTS, Answer, Instrument
from casework.instruments.models import CaseAlert, InstrumentAdministration
from casework.privacy.labels import LABELS
from casework.staff.models import Discipline

# Disciplines whose members may record the clinical follow-up of a suicide-risk alert.
CLINICAL_DISCIPLINES = frozenset(
    {
        Discipline.NURSE,
        Discipline.MEDICAL,
        Discipline.MENTAL_HEALTH,
        Discipline.CLINICAL,
        Discipline.SOCIAL_WORK,
        Discipline.SUBSTANCE_USE,
    }
)


def instrument_named(key: str) -> Instrument:
    try:
        return INSTRUMENTS[key]
    except KeyError:
        known = ", ".join(INSTRUMENTS)
        raise InvalidData(f"no instrument '{key}' (known: {known})", field="instrument") from None


def complete_answers(instrument: Instrument, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers with skipped items made explicit (null), unknown items refused."""
    for key in answers:
        if key not in {item.key for item in instrument.items}:
            raise InvalidData(
                f"'{key}' is not an item of {instrument.title}", field=f"answers.{key}"
            )
    complete: dict[str, Answer] = {}
    for item in instrument.items:
        if item.asked_if is not None and item.key not in answers:
            asked_key, asked_value = item.asked_if
            if answers.get(asked_key) != asked_value:
                complete[item.key] = None
                continue
        if item.key not in answers:
            raise InvalidData(f"answer '{item.text}'", field=f"answers.{item.key}")
        complete[item.key] = answers[item.key]
    return complete


def score(instrument: Instrument, answers: Mapping[str, Answer]) -> dict[str, Any]:
    complete = complete_answers(instrument, answers)
    try:
        return dict(rules.evaluate(instrument.rule_kind, instrument.to_rule_input(complete)))
    except rules.InvalidInput as error:
        key = instrument.answer_key_for(error.field)
        raise InvalidData(
            str(error).replace(error.field or "", key, 1), field=f"answers.{key}"
        ) from None


def _alert_reason(instrument: Instrument, result: Mapping[str, Any]) -> str | None:
    if instrument.key == "phq9" and result.get("item9_flag"):
        return "PHQ-9 item 9 answered above 0: assess suicide risk (e.g. C-SSRS) promptly"
    if instrument.key == "cssrs_screener" and result.get("risk") == "high":
        return "C-SSRS high risk: safety precautions until a mental-health professional evaluates"
    return None


def phase_on(case: Case, day: dt.date) -> str:
    """The phase the case was in at the end of ``day`` (its first phase if given before)."""
    end = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    history = [
        HistoryEntry(Phase(c.from_phase) if c.from_phase else None, Phase(c.to_phase), c.at)
        for c in case.phase_changes.order_by("seq")
    ]
    return str(phase_at(history, end) or history[0].to_phase)


@transaction.atomic
def administer(
    *,
    actor: Any,
    case: Case,
    instrument_key: str,
    answers: Mapping[str, Answer],
    administered_on: dt.date,
    sensitivity: str = "",
) -> InstrumentAdministration:
    if sensitivity and sensitivity not in LABELS:
        raise InvalidData("sensitivity is empty or one of: " + ", ".join(LABELS),
                          field="sensitivity")  # fmt: skip
    if case.closed_on is not None:
        raise Conflict("the case is closed; reopen it before giving an instrument", field="case")
    if administered_on > clock.today():
        raise InvalidData("an instrument cannot be given in the future", field="administered_on")
    instrument = instrument_named(instrument_key)
    result = score(instrument, answers)
    total = result.get(instrument.total_key) if instrument.total_key else None
    band = result.get(instrument.band_key) if instrument.band_key else None
    if band is None and "positive_screen" in result:
        band = "positive" if result["positive_screen"] else "negative"
    administration = InstrumentAdministration.objects.create(
        case=case,
        client_id=case.client_id,
        instrument=instrument.key,
        phase=phase_on(case, administered_on),
        answers=complete_answers(instrument, answers),
        result=result,
        total=total if isinstance(total, int) and not isinstance(total, bool) else None,
        band=str(band or ""),
        administered_on=administered_on,
        recorded_at=clock.now(),
        administered_by=actor,
        sensitivity=sensitivity,
    )
    # A labelled result still raises its alert for the whole care team: safety first.
    reason = _alert_reason(instrument, result)
    if reason:
        CaseAlert.objects.create(
            case=case,
            kind=CaseAlert.Kind.SUICIDE_RISK,
            reason=reason,
            source=administration,
            raised_at=clock.now(),
        )
    return administration


@transaction.atomic
def record_follow_up(*, actor: Any, alert: CaseAlert, note: str) -> CaseAlert:
    staff = getattr(actor, "staff", None)
    if staff is None or staff.discipline not in CLINICAL_DISCIPLINES:
        raise Forbidden(
            "only a clinician (nurse, medical, mental-health, clinical, social-work or "
            "substance-use staff) may record the follow-up of this alert"
        )
    if alert.resolved_at is not None:
        raise Conflict(f"the follow-up was already recorded on {alert.resolved_at:%Y-%m-%d}")
    if not note.strip():
        raise InvalidData("describe the follow-up", field="note")
    alert.resolved_at = clock.now()
    alert.resolved_by = actor
    alert.follow_up = note.strip()
    alert.save(update_fields=["resolved_at", "resolved_by", "follow_up"])
    return alert
