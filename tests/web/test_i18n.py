"""The workspace is complete in Spanish: every domain string the web shows has a translation,
and the state machine's "what is missing" sentences are translated pattern by pattern."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from casework.cases.phases import (
    CaseFacts,
    ClosureReason,
    GoalFacts,
    InterventionFacts,
    Phase,
    ScreeningOutcome,
    TransitionFacts,
    check_move,
)
from casework.web import i18n_catalog
from casework.web.i18n import due_text, missing_text, tr
from casework.web.i18n_domain import domain_strings

# The same word in both languages.
SAME_IN_SPANISH = {"Hospital", "Plan", "No", "Legal", "legal", "API", "Total"}
TODAY = dt.date(2026, 3, 2)


def test_the_catalog_lists_every_domain_string() -> None:
    listed = set(i18n_catalog.STRINGS)
    missing = [s for s in domain_strings() if s not in listed]
    assert not missing, "run `python -m casework.web.i18n_domain` and makemessages: " + str(missing)


def test_every_domain_string_has_a_spanish_translation() -> None:
    with translation.override("es"):
        untranslated = [s for s in domain_strings() if s not in SAME_IN_SPANISH and tr(s) == s]
    assert not untranslated


def _sentences() -> list[str]:
    goal = GoalFacts("Walk to the mailbox", has_intervention=False, has_target_date=False)
    facts = [
        (CaseFacts(Phase.SCREENING, TODAY), Phase.ASSESSMENT),
        (
            CaseFacts(Phase.SCREENING, TODAY, screening_outcome=ScreeningOutcome.DECLINED),
            Phase.ASSESSMENT,
        ),
        (
            CaseFacts(Phase.SCREENING, TODAY, screening_outcome=ScreeningOutcome.ACCEPTED),
            Phase.ASSESSMENT,
        ),
        (
            CaseFacts(
                Phase.ASSESSMENT,
                TODAY,
                required_domains=("housing", "caregiver"),
                required_instruments=("phq9",),
            ),
            Phase.RISK_STRATIFICATION,
        ),
        (CaseFacts(Phase.RISK_STRATIFICATION, TODAY), Phase.PLANNING),
        (CaseFacts(Phase.PLANNING, TODAY), Phase.IMPLEMENTATION),
        (CaseFacts(Phase.PLANNING, TODAY, goals=(goal,)), Phase.IMPLEMENTATION),
        (
            CaseFacts(
                Phase.IMPLEMENTATION,
                TODAY,
                interventions=(InterventionFacts("Home PT", None, False),),
            ),
            Phase.MONITORING,
        ),
        (CaseFacts(Phase.MONITORING, TODAY, goals=(goal,)), Phase.EVALUATION),
        (CaseFacts(Phase.MONITORING, TODAY), Phase.EVALUATION),
        (CaseFacts(Phase.MONITORING, TODAY), Phase.TRANSITIONAL_CARE),
        (CaseFacts(Phase.MONITORING, TODAY), Phase.PLANNING),
        (
            CaseFacts(
                Phase.TRANSITIONAL_CARE,
                TODAY,
                transition=TransitionFacts("x", True, open_checklist_items=("handoff",)),
            ),
            Phase.POST_TRANSITION,
        ),
        (
            CaseFacts(
                Phase.POST_TRANSITION,
                TODAY,
                transition=TransitionFacts("x", False, contacts_outstanding=("face-to-face",)),
            ),
            Phase.MONITORING,
        ),
        (CaseFacts(Phase.EVALUATION, TODAY, goals=(goal,)), Phase.CLOSED),
        (CaseFacts(Phase.EVALUATION, TODAY, goals=(goal,)), Phase.PLANNING),
        (CaseFacts(Phase.SCREENING, TODAY), Phase.PLANNING),
        (CaseFacts(Phase.CLOSED, TODAY, closed_on=dt.date(2025, 1, 2)), Phase.ASSESSMENT),
    ]
    sentences = [m for f, to in facts for m in check_move(f, to).missing]
    lost = check_move(
        CaseFacts(Phase.MONITORING, TODAY),
        Phase.CLOSED,
        closure_reason=ClosureReason.LOST_TO_CONTACT,
    )
    return sentences + lost.missing


def test_every_missing_sentence_is_translated() -> None:
    sentences = _sentences()
    assert len(sentences) > 20
    with translation.override("es"):
        untranslated = [s for s in sentences if missing_text(s) == s]
    assert not untranslated


@pytest.mark.parametrize(
    ("label", "spanish"),
    [
        ("start: Home PT", "iniciar: Home PT"),
        ("high tier contact (every 7 days)", "contacto de nivel alto (cada 7 días)"),
        ("interactive contact after discharge", "contacto interactivo tras el alta"),
        ("PHQ-9 depression again", "repetir PHQ-9 depresión"),
    ],
)
def test_due_work_labels_are_translated(label: str, spanish: str) -> None:
    with translation.override("es"):
        assert due_text(label) == spanish
