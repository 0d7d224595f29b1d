"""Who may receive a client's data, for what, under which consent (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.privacy.decisions import ConsentFact, Request, decide
from casework.privacy.labels import PART2_NOTICE

TODAY = dt.date(2026, 11, 30)


def consent(**changes: object) -> ConsentFact:
    base = {
        "id": 1, "recipient_name": "Harbor Clinic", "recipient_kind": "organisation",
        "purposes": ["treatment"], "categories": ["general", "part2_sud"],
        "effective_on": TODAY - dt.timedelta(days=30), "expires_on": None, "revoked_on": None,
        "signer": "self",
    }  # fmt: skip
    base.update(changes)
    return ConsentFact(**base)  # type: ignore[arg-type]


def ask(categories: list[str], purpose: str = "treatment", **changes: object) -> Request:
    base = {"recipient_name": "Harbor Clinic", "recipient_kind": "organisation",
            "purpose": purpose, "categories": categories, "today": TODAY}  # fmt: skip
    base.update(changes)
    return Request(**base)  # type: ignore[arg-type]


def test_unlabelled_data_for_treatment_needs_no_consent() -> None:
    decision = decide(ask(["general"]), [])
    assert decision.allowed and decision.basis == "tpo" and decision.notice == ""


def test_unlabelled_data_for_another_purpose_needs_consent() -> None:
    assert decide(ask(["general"], "employment"), []).reason == "consent_missing"


def test_part2_data_need_a_consent_naming_recipient_purpose_and_category() -> None:
    assert decide(ask(["part2_sud"]), []).reason == "consent_missing"
    decision = decide(ask(["part2_sud"]), [consent()])
    assert decision.allowed and decision.consent_id == 1 and decision.basis == "consent"
    assert decision.notice == PART2_NOTICE
    other = decide(ask(["part2_sud"], recipient_name="Other Clinic"), [consent()])
    assert other.reason == "consent_missing"
    notes = decide(ask(["psychotherapy_note"]), [consent()])
    assert notes.reason == "consent_missing"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"revoked_on": TODAY}, "consent_revoked"),
        ({"expires_on": TODAY - dt.timedelta(days=1)}, "consent_expired"),
        ({"effective_on": TODAY + dt.timedelta(days=1)}, "consent_missing"),
    ],
)
def test_a_consent_must_be_in_effect(changes: dict[str, object], reason: str) -> None:
    assert decide(ask(["part2_sud"]), [consent(**changes)]).reason == reason


def test_a_consent_that_expires_today_still_holds_today() -> None:
    assert decide(ask(["part2_sud"]), [consent(expires_on=TODAY)]).allowed


def test_a_restriction_blocks_the_recipient_whatever_the_consent() -> None:
    payer = ask(["general"], "payment", recipient_name="Acme Health Plan", recipient_kind="payer")
    assert decide(payer, [], ["acme health plan"]).reason == "restricted"
    assert decide(payer, [], ["Other Plan"]).allowed


def test_juvenile_records_only_for_allowed_purposes() -> None:
    decision = decide(ask(["juvenile_justice"], "employment"), [consent()])
    assert decision.reason == "purpose_not_allowed"


def test_a_minors_part2_data_reach_a_parent_only_with_the_minors_consent() -> None:
    to_parent = ask(["part2_sud"], recipient_name="Rosa Diaz", recipient_kind="family",
                    client_is_minor=True)  # fmt: skip
    by_guardian = consent(recipient_name="Rosa Diaz", recipient_kind="family", signer="guardian")
    assert decide(to_parent, [by_guardian]).reason == "consent_missing"
    by_minor = consent(recipient_name="Rosa Diaz", recipient_kind="family", signer="self")
    assert decide(to_parent, [by_minor]).allowed


def test_a_medical_emergency_needs_no_consent_for_part2_data_and_keeps_the_notice() -> None:
    decision = decide(ask(["general", "part2_sud"], "medical_emergency"), [])
    assert decision.allowed and decision.basis == "emergency"
    assert decision.notice == PART2_NOTICE
    # Emergency treatment overrides an agreed restriction (HIPAA 164.522(a)(1)(iii)).
    assert decide(ask(["general"], "medical_emergency"), [], ["harbor clinic"]).allowed


def test_a_medical_emergency_does_not_open_psychotherapy_notes_or_juvenile_records() -> None:
    notes = decide(ask(["psychotherapy_note"], "medical_emergency"), [])
    assert notes.reason == "consent_missing"
    assert not decide(ask(["juvenile_justice"], "medical_emergency"), []).allowed
