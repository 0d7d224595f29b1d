"""Every English string the domain shows through the web, gathered from the code that owns it.

``domain_strings()`` is what must have a translation: labels of choices and phases, instrument
wording, the messages of the models' rules and the services. ``i18n_catalog`` lists them for
makemessages (it is generated from this function: ``python -m casework.web.i18n_domain``), and
a test checks that each one has a Spanish translation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

# Messages the models' clean() and the services raise, shown beside fields or as refusals.
RULE_MESSAGES = (
    "say why the referral is not accepted",
    "give the date consent was given",
    "say why this domain does not apply to the client",
    "record what the assessment of this domain found",
    "priority is 1 (highest), 2 or 3",
    "a SOAP note needs at least one section written",
    "a DAP note needs at least one section written",
    "a case cannot open before its referral",
    "give the date the intervention started",
    "record the client's reason for refusing",
    "goal attainment scaling runs from -2 to +2",
    "satisfaction is rated 1 to 5",
    "say why the case can close",
    "say why the tier differs from the computed one",
    "admission cannot be after the discharge",
    "a transition moves between two settings",
    "give the date the item was completed",
    "give the date of the contact",
    "record why the contact was missed",
    "not an ICD-10-CM code (e.g. E11.9, I50.22)",
    "a condition cannot abate before its onset",
    "an ED visit has no discharge date",
    "discharge cannot be before admission",
    "the case changed since you read it; reload it and try again",
    "the record changed since you read it; reload it and apply your change again",
    "the case is closed; reopen it before giving an instrument",
    "the case is closed; reopen it before setting its tier",
    "an instrument cannot be given in the future",
    "describe the follow-up",
    "only a clinician (nurse, medical, mental-health, clinical, social-work or substance-use "
    "staff) may record the follow-up of this alert",
    "PHQ-9 item 9 answered above 0: assess suicide risk (e.g. C-SSRS) promptly",
    "C-SSRS high risk: safety precautions until a mental-health professional evaluates",
    "only a supervisor of both case managers may reassign a case",
    "the new case manager's record is not active",
    "the case is already theirs",
    "the case is closed; reopen it before reassigning it",
    "say why the case is reassigned",
    "similar name and same date of birth",
    "interactive contact after discharge",
    "face-to-face visit after discharge",
    "give an expiry date or the event on which consent ends",
    "a consent cannot expire before it takes effect",
    "the client must be told of the right to revoke (42 CFR 2.31(a)(6))",
    "a consent cannot be revoked before it was signed",
    "emergency access is only for staff designated for it",
    "state the emergency that needs this access",
    "a request cannot be received in the future",
    "this date cannot be in the future",
    "this date cannot be before the request was received",
    "this date cannot be before the request was denied",
    "only a pending request can be extended",
    "the response time can be extended only once",
    "an extension must be made within the 60 days, before the request is overdue",
    "the request was already accepted",
    "the request was already denied",
    "a statement of disagreement answers a denied request",
    "the statement of disagreement is already recorded",
    "a rebuttal answers the client's statement of disagreement",
    "the rebuttal is already recorded",
    "say what kind of record the id is",
    "give the id of the record",
    "say why more time is needed (the client is told)",
    "write the amendment",
    "explain the denial to the client",
    "write the client's statement",
    "write the rebuttal",
    "for the client's details, give the client's own number or none",
    "this client has no such record",
    "this client has no such case",
    "the record named belongs to another case",
    # Staff credential records (experience, continuing education).
    "between 1 and 100 (percent of full time)",
    "a period cannot end before it starts",
    "hours must be more than 0",
    "between 0 and the activity's hours",
    # Result bands of the instruments, as the rules name them.
    "Minimal",
    "Mild",
    "Moderate",
    "Moderately severe",
    "Severe",
    "Positive",
    "Negative",
    "Low",
    "High",
    "None",
    "Substantial",
    "Intermediate",
    "Independent",
    "Dependent",
    "English",
    "Spanish",
    "an emergency disclosure goes to medical personnel: a person or an organisation",
    "name the health care facility the recipient works for (42 CFR 2.51)",
    "describe the nature of the medical emergency (42 CFR 2.51)",
    # The fixed sentences of casework.staff.credentials (the others are patterns in web.i18n).
    "a current licence allowing independent practice",
    "a health or human services degree with supervised field experience",
    "a current licence that allows independent practice (such as RN or LCSW), or a "
    "bachelor's or higher degree in a health or human services field with a "
    "supervised field experience",
    "a current, active RN licence",
    "a bachelor's or master's degree in social work",
    "check the certifying body's current CE requirement (not modelled)",
)


def _labels(choices: Iterable[tuple[Any, Any]]) -> list[str]:
    return [str(label) for value, label in choices if value != "" and label]


def _words(key: object) -> str:
    """What ``casework.web.forms.rules.words`` shows for a schema key or code, untranslated."""
    return str(key).replace("_", " ").capitalize()


def _schema_strings(spec: object) -> list[str]:
    """A rule's input schema: descriptions, property names and choices, as the form shows them."""
    found: list[str] = []
    if isinstance(spec, dict):
        if isinstance(spec.get("description"), str):
            found.append(spec["description"])
        for name, sub in (spec.get("properties") or {}).items():
            found.append(_words(name))
            found += _schema_strings(sub)
        found += [_words(v) for v in spec.get("enum", ()) or () if isinstance(v, str)]
        found += _schema_strings(spec.get("items"))
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in spec.get(key, ()) or ():
                found += _schema_strings(sub)
    return found


def _rule_strings() -> list[str]:
    """The rule calculators' wording: titles, inputs, notes, result keys and coded results."""
    from casework import rules
    from casework.rules import charlson, depression, function, readmission, substance, suicide

    found: list[str] = []
    for rule in rules.KINDS.values():
        found.append(rule.title)
        found += _schema_strings(rule.schema)
        found += rule.notes
        found += [_words(key) for key in rule.output_keys]
    # Coded result values (a band, a level, a condition), shown in words.
    codes: list[object] = []
    for bands in (
        depression.PHQ9_SEVERITY_BANDS,
        depression.GAD7_SEVERITY_BANDS,
        readmission.LACE_RISK_BANDS,
        readmission.HOSPITAL_RISK_BANDS,
        substance.DAST10_LEVELS,
    ):
        codes += [label for _lower, label in bands]
    codes += [v for v in function.KATZ_INTERPRETATION.values() if v]
    codes += suicide.RISK_LEVELS
    codes += charlson.CONDITIONS
    codes += ("license", "degree")  # the CCM eligibility's education basis
    found += [_words(code) for code in codes]
    # Result values that are sentences, shown as they are.
    found += substance.DAST10_ACTIONS.values()
    return found


def domain_strings() -> list[str]:
    from casework.audit.models import AuditSetting
    from casework.careplans.models import (
        CaseEvaluation,
        Goal,
        GoalOutcome,
        GoalProgress,
        Intervention,
    )
    from casework.cases.models import AssessmentFinding, Case, ContactNote, IdentifiedNeed
    from casework.cases.phases import (
        ASSESSMENT_DOMAINS,
        PHASE_LABELS,
        ClosureReason,
        ScreeningOutcome,
    )
    from casework.clients.models import ClientIdentifier, Encounter, HealthLiteracy, Sex
    from casework.instruments.definitions import INSTRUMENTS
    from casework.instruments.models import CaseAlert
    from casework.privacy.models import (
        AMENDABLE_RECORDS,
        PURPOSES,
        AmendmentEntry,
        AmendmentRequest,
        Consent,
        Disclosure,
        RecipientKind,
    )
    from casework.risk.models import Tier
    from casework.staff.models import Degree, Discipline, ExperiencePeriod
    from casework.transitions.models import HandoffItem, PostTransitionContact, Setting

    found: list[str] = []
    found += PHASE_LABELS.values()
    found += ASSESSMENT_DOMAINS.values()
    found += [o.label for o in ScreeningOutcome] + [r.label for r in ClosureReason]
    for choices in (
        Case.ReferralSource.choices,
        AssessmentFinding.Status.choices,
        IdentifiedNeed.Status.choices,
        ContactNote.Mode.choices,
        Goal.Term.choices,
        Goal.Status.choices,
        Intervention.Status.choices,
        GoalProgress.Direction.choices,
        GoalOutcome.Outcome.choices,
        CaseEvaluation._meta.get_field("decision").choices or [],
        Setting.choices,
        HandoffItem.Item.choices,
        PostTransitionContact.Kind.choices,
        PostTransitionContact.Status.choices,
        Tier.choices,
        Sex.choices,
        HealthLiteracy.choices,
        ClientIdentifier.System.choices,
        Encounter.Kind.choices,
        Discipline.choices,
        CaseAlert.Kind.choices,
        AssessmentFinding._meta.get_field("sensitivity").choices or [],
        PURPOSES,
        RecipientKind.choices,
        Consent.Signer.choices,
        Disclosure.Basis.choices,
        Disclosure.Channel.choices,
        Degree.Level.choices,
        Degree.Field.choices,
        ExperiencePeriod.Role.choices,
        AMENDABLE_RECORDS,
        AmendmentRequest.Status.choices,
        AmendmentRequest.DenialBasis.choices,
        AmendmentEntry.Kind.choices,
        AuditSetting.Part.choices,
    ):
        found += _labels(choices)
    for instrument in INSTRUMENTS.values():
        found.append(instrument.title)
        found += instrument.notes
        for item in instrument.items:
            found.append(item.text)
            found += [option.label for option in item.options]
    found += RULE_MESSAGES
    found += _rule_strings()
    # The first word capitalised: labels shown at the start of a sentence.
    return list(dict.fromkeys(s for s in found if s))


def _write_catalog() -> str:
    lines = [
        "# ruff: noqa: E501",
        '"""Generated by ``python -m casework.web.i18n_domain``: the domain\'s English strings,',
        'listed for makemessages. Do not edit by hand."""',
        "",
        "from django.utils.translation import gettext_noop",
        "",
        "STRINGS = [",
    ]
    lines += [f"    gettext_noop({json.dumps(s, ensure_ascii=False)})," for s in domain_strings()]
    lines.append("]")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import os
    from pathlib import Path

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    django.setup()
    Path(__file__).with_name("i18n_catalog.py").write_text(_write_catalog())
