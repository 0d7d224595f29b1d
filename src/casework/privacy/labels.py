"""Sensitivity labels and what each one demands. Pure.

A record carries at most one label (the most protective that applies). Labels map to HL7 v3
confidentiality and sensitivity codes so that they travel with the data (DS4P; FHIR
``meta.security``). What each label demands when data leaves the care team is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    key: str
    title: str
    hl7_codes: tuple[str, ...]
    # Only the author may read it (psychotherapy and SUD counselling notes, HIPAA 164.501).
    author_only: bool = False
    # Leaves the care team only under a consent that names this category (42 CFR Part 2).
    needs_specific_consent: bool = False
    # Disclosures carry the 42 CFR 2.32 notice prohibiting redisclosure.
    redisclosure_notice: bool = False
    # Released only for a purpose on the allowed list (juvenile records, 18 U.S.C. 5038).
    allowed_purposes: tuple[str, ...] | None = None


# Purposes for which juvenile records may be released; configurable per agency and state law.
JUVENILE_RELEASE_PURPOSES = ("treatment", "care_coordination", "court_order", "law_enforcement")

LABELS: dict[str, Label] = {
    label.key: label
    for label in (
        Label("part2_sud", "Substance use disorder record (42 CFR Part 2)",
              ("42CFRPart2", "ETH"), needs_specific_consent=True, redisclosure_notice=True),
        Label("sud_counseling_note", "SUD counselling note", ("42CFRPart2", "ETH", "PSYTHPN"),
              author_only=True, needs_specific_consent=True, redisclosure_notice=True),
        Label("psychotherapy_note", "Psychotherapy note", ("PSYTHPN",), author_only=True,
              needs_specific_consent=True),
        Label("juvenile_justice", "Juvenile justice record", ("SOC",),
              needs_specific_consent=True,
              allowed_purposes=JUVENILE_RELEASE_PURPOSES),
        Label("hiv", "HIV status", ("HIV",), needs_specific_consent=True),
    )
}  # fmt: skip

AUTHOR_ONLY: frozenset[str] = frozenset(k for k, v in LABELS.items() if v.author_only)
CHOICES: list[tuple[str, str]] = [("", "Not sensitive")] + [(k, v.title) for k, v in LABELS.items()]

# The abbreviated notice that 42 CFR 2.32(a)(2) allows in place of the full statement; the
# regulation prescribes its words, so they are not ours to change.
PART2_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."


def hl7_codes(label: str) -> tuple[str, ...]:
    return LABELS[label].hl7_codes if label else ()


def may_change_label(current: str, new: str) -> bool:
    """A label may be added or made stricter by its author's team, never removed or swapped
    without a privacy officer (who does it through the admin, audited)."""
    return current == new or current == ""
