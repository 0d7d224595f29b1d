"""Translation of the words the domain code produces (labels, rule messages) for display.

The domain modules keep plain English strings (the rule code has no Django). The web layer
passes them through gettext when it shows them; ``catalog`` lists them for makemessages, and
``missing_text`` translates the state machine's "what is missing" sentences pattern by
pattern, keeping the quoted names (goals, domains) as the case manager wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext, ngettext

from casework.cases.phases import ASSESSMENT_DOMAINS, PHASE_LABELS, Phase


def tr(value: object) -> str:
    """The translation of a domain string, or the string itself when there is none."""
    text = "" if value is None else str(value)
    return gettext(text) if text else text


def phase_label(value: str | None) -> str:
    if not value:
        return ""
    try:
        return gettext(PHASE_LABELS[Phase(value)])
    except ValueError:
        return value


def _phase(text: str) -> str:
    """A phase named by value ("risk_stratification") or label ("risk stratification")."""
    for phase, label in PHASE_LABELS.items():
        if text in (phase.value, label.lower()):
            return gettext(label).lower()
    return text


def _phases(text: str) -> str:
    return ", ".join(_phase(p.strip()) for p in text.split(","))


def _domains(quoted: str) -> str:
    names = re.findall(r"'([^']*)'", quoted)
    return ", ".join(f"'{gettext(ASSESSMENT_DOMAINS.get(n, n))}'" for n in names)


def _lower_tr(text: str) -> str:
    return gettext(text[:1].upper() + text[1:]).lower() if text else text


Rewriter = Callable[[re.Match[str]], str]


def _p(pattern: str, render: Rewriter) -> tuple[re.Pattern[str], Rewriter]:
    return re.compile(f"^{pattern}$"), render


# One entry per sentence of casework.cases.phases; a sentence without an entry is shown as is.
_MISSING: list[tuple[re.Pattern[str], Rewriter]] = [
    _p(
        "no eligibility decision has been recorded at screening",
        lambda m: gettext("no eligibility decision has been recorded at screening"),
    ),
    _p(
        "the screening decision is '(?P<o>.*)', not accepted",
        lambda m: (
            gettext("the screening decision is '%(outcome)s', not accepted")
            % {"outcome": _lower_tr(m["o"])}
        ),
    ),
    _p(
        "the client's consent to case management has not been recorded",
        lambda m: gettext("the client's consent to case management has not been recorded"),
    ),
    _p(
        "a completed assessment: domains? (?P<d>.*) (is|are) not addressed",
        lambda m: (
            gettext("a completed assessment: not addressed yet: %(domains)s")
            % {"domains": _domains(m["d"])}
        ),
    ),
    _p(
        "required instruments not completed: (?P<i>.*)",
        lambda m: (
            gettext("required instruments not completed: %(instruments)s") % {"instruments": m["i"]}
        ),
    ),
    _p(
        "at least one identified need or problem",
        lambda m: gettext("at least one identified need or problem"),
    ),
    _p(
        r"a risk tier \(low, moderate, high or complex\)",
        lambda m: gettext("a risk tier (low, moderate, high or complex)"),
    ),
    _p(
        "a care plan with at least one goal",
        lambda m: gettext("a care plan with at least one goal"),
    ),
    _p(
        "an intervention for goal '(?P<g>.*)'",
        lambda m: gettext("an intervention for goal '%(goal)s'") % {"goal": m["g"]},
    ),
    _p(
        "a target date for goal '(?P<g>.*)'",
        lambda m: gettext("a target date for goal '%(goal)s'") % {"goal": m["g"]},
    ),
    _p(
        r"the client's agreement to the current plan \(or refusal with reason\)",
        lambda m: gettext("the client's agreement to the current plan (or refusal with reason)"),
    ),
    _p(
        r"intervention '(?P<i>.*)' \(due to start (?P<d>.*)\) to be started",
        lambda m: (
            gettext("intervention '%(intervention)s' (due to start %(date)s) to be started")
            % {"intervention": m["i"], "date": gettext("now") if m["d"] == "now" else m["d"]}
        ),
    ),
    _p(
        "at least one active goal to monitor",
        lambda m: gettext("at least one active goal to monitor"),
    ),
    _p(
        "progress recorded for goal '(?P<g>.*)' since monitoring began",
        lambda m: (
            gettext("progress recorded for goal '%(goal)s' since monitoring began")
            % {"goal": m["g"]}
        ),
    ),
    _p(
        r"a transition event \(from setting, to setting, date\) to be recorded",
        lambda m: gettext("a transition event (from setting, to setting, date) to be recorded"),
    ),
    _p(
        "a transition event to be recorded",
        lambda m: gettext("a transition event to be recorded"),
    ),
    _p(
        "handoff item '(?P<i>.*)' to be completed or given a reason",
        lambda m: (
            gettext("handoff item '%(item)s' to be completed or given a reason")
            % {"item": _lower_tr(m["i"])}
        ),
    ),
    _p(
        "post-transition contact '(?P<c>.*)' to be made, or the miss recorded with a reason",
        lambda m: (
            gettext(
                "post-transition contact '%(contact)s' to be made, or the miss recorded "
                "with a reason"
            )
            % {"contact": _lower_tr(m["c"])}
        ),
    ),
    _p(
        "an outcome for goal '(?P<g>.*)'",
        lambda m: gettext("an outcome for goal '%(goal)s'") % {"goal": m["g"]},
    ),
    _p(
        r"an evaluation decision \(re-plan, keep monitoring, or close\)",
        lambda m: gettext("an evaluation decision (re-plan, keep monitoring, or close)"),
    ),
    _p(
        r"an evaluation decision for this move \(the recorded decision leads to (?P<p>.*)\)",
        lambda m: (
            gettext(
                "an evaluation decision for this move (the recorded decision leads to %(phase)s)"
            )
            % {"phase": _phase(m["p"])}
        ),
    ),
    _p(
        r"a closure within the program's reopen window of (?P<n>\d+) days "
        r"\(closed (?P<d>\d+) days ago on (?P<on>[\d-]+); open a new case instead\)",
        lambda m: (
            gettext(
                "a closure within the program's reopen window of %(window)s days (closed %(days)s "
                "days ago on %(date)s; open a new case instead)"
            )
            % {"window": m["n"], "days": m["d"], "date": m["on"]}
        ),
    ),
    _p(
        r"(?P<alt>a screening decision that does not accept the referral, or |"
        r"an evaluation decision to close with an outcome for every goal, or )?"
        r"an administrative closure reason \((?P<c>.*)\)",
        lambda m: (
            (
                gettext("a screening decision that does not accept the referral, or ")
                if m["alt"] and m["alt"].startswith("a screening")
                else gettext("an evaluation decision to close with an outcome for every goal, or ")
                if m["alt"]
                else ""
            )
            + gettext("an administrative closure reason (%(choices)s)")
            % {"choices": ", ".join(_lower_tr(c.strip()) for c in m["c"].split(","))}
        ),
    ),
    _p(
        r"(?P<n>\d+) unsuccessful contact attempts since the last contact before closing as lost "
        r"to contact \((?P<m>\d+) recorded\)",
        lambda m: (
            gettext(
                "%(needed)s unsuccessful contact attempts since the last contact before closing as "
                "lost to contact (%(recorded)s recorded)"
            )
            % {"needed": m["n"], "recorded": m["m"]}
        ),
    ),
    _p("the reason for closing, in words", lambda m: gettext("the reason for closing, in words")),
    _p(
        "the reason for moving back to (?P<p>.*)",
        lambda m: gettext("the reason for moving back to %(phase)s") % {"phase": _phase(m["p"])},
    ),
    _p(
        r"a move from (?P<a>\w+) to (?P<b>\w+) is not part of the process "
        r"\(from \w+ the case can move to: (?P<list>.*)\)",
        lambda m: (
            gettext(
                "a move from %(from)s to %(to)s is not part of the process (from %(from)s the case "
                "can move to: %(allowed)s)"
            )
            % {"from": _phase(m["a"]), "to": _phase(m["b"]), "allowed": _phases(m["list"])}
        ),
    ),
]


def missing_text(sentence: str) -> str:
    """A "what is missing" sentence of the state machine, in the active language."""
    for pattern, render in _MISSING:
        match = pattern.match(sentence)
        if match:
            return render(match)
    return tr(sentence)


def choice_label(choices: object, value: str) -> str:
    """The translated label of ``value`` among Django ``choices``."""
    for key, label in getattr(choices, "choices", choices):  # type: ignore[attr-defined]
        if key == value:
            return tr(label)
    return value


# The labels of due work (casework.cases.deadlines), pattern by pattern.
_DUE: list[tuple[re.Pattern[str], Rewriter]] = [
    _p("start: (?P<l>.*)", lambda m: gettext("start: %(label)s") % {"label": m["l"]}),
    _p(
        "goal target date: (?P<l>.*)",
        lambda m: gettext("goal target date: %(label)s") % {"label": m["l"]},
    ),
    _p(
        r"(?P<t>\w+) tier contact \(every (?P<n>\d+) days\)",
        lambda m: (
            gettext("%(tier)s tier contact (every %(days)s days)")
            % {"tier": _lower_tr(m["t"]), "days": m["n"]}
        ),
    ),
    _p(
        r"answer amendment request #(?P<n>\d+)",
        lambda m: gettext("answer amendment request #%(number)s") % {"number": m["n"]},
    ),
    _p("(?P<t>.*) again", lambda m: gettext("%(title)s again") % {"title": tr(m["t"])}),
]


def due_text(label: str) -> str:
    for pattern, render in _DUE:
        match = pattern.match(label)
        if match:
            return render(match)
    return tr(label)


def _n(text: str) -> int:
    return int(text.replace(",", "").split(".")[0])


# The sentences of casework.staff.credentials (eligibility met and missing, renewal missing).
_CREDENTIALS: list[tuple[re.Pattern[str], Rewriter]] = [
    _p(
        r"(?P<n>\d+) months? of full-time case management supervised by a CCM",
        lambda m: (
            ngettext(
                "%(n)s month of full-time case management supervised by a CCM",
                "%(n)s months of full-time case management supervised by a CCM",
                _n(m["n"]),
            )
            % {"n": m["n"]}
        ),
    ),
    _p(
        r"(?P<n>\d+) months? of full-time case management",
        lambda m: (
            ngettext(
                "%(n)s month of full-time case management",
                "%(n)s months of full-time case management",
                _n(m["n"]),
            )
            % {"n": m["n"]}
        ),
    ),
    _p(
        r"(?P<n>\d+) months? supervising case managers",
        lambda m: (
            ngettext(
                "%(n)s month supervising case managers",
                "%(n)s months supervising case managers",
                _n(m["n"]),
            )
            % {"n": m["n"]}
        ),
    ),
    _p(
        r"(?P<n>\d+) months? of supervised health-system case management",
        lambda m: (
            ngettext(
                "%(n)s month of supervised health-system case management",
                "%(n)s months of supervised health-system case management",
                _n(m["n"]),
            )
            % {"n": m["n"]}
        ),
    ),
    _p(
        r"(?P<a>\d+) more months of full-time case management experience supervised by a CCM, "
        r"or (?P<b>\d+) more months of full-time case management experience, or (?P<c>\d+) more "
        r"months of full-time experience supervising case managers",
        lambda m: (
            gettext(
                "%(a)s more months of full-time case management experience supervised by a CCM, "
                "or %(b)s more months of full-time case management experience, or %(c)s more "
                "months of full-time experience supervising case managers"
            )
            % {"a": m["a"], "b": m["b"], "c": m["c"]}
        ),
    ),
    _p(
        r"(?P<n>\d+) more months of full-time, supervised health-delivery-system case "
        r"management experience",
        lambda m: (
            gettext(
                "%(n)s more months of full-time, supervised health-delivery-system case "
                "management experience"
            )
            % {"n": m["n"]}
        ),
    ),
    _p(r"a (?P<d>BSW|MSW)", lambda m: gettext("a %(degree)s") % {"degree": m["d"]}),
    _p(
        r"a (?P<d>BSW|MSW) from a CSWE-accredited programme",
        lambda m: gettext("a %(degree)s from a CSWE-accredited programme") % {"degree": m["d"]},
    ),
    _p(
        r"a (?P<d>BSW|MSW) from a CSWE-accredited programme \(yours is not recorded as "
        r"accredited\)",
        lambda m: (
            gettext(
                "a %(degree)s from a CSWE-accredited programme "
                "(yours is not recorded as accredited)"
            )
            % {"degree": m["d"]}
        ),
    ),
    _p(
        r"(?P<h>[\d,]+) hours of paid, supervised post-(?P<d>BSW|MSW) social-work case "
        r"management",
        lambda m: (
            gettext(
                "%(hours)s hours of paid, supervised post-%(degree)s social-work case management"
            )
            % {"hours": m["h"], "degree": m["d"]}
        ),
    ),
    _p(
        r"(?P<h>[\d,]+) more hours of paid, supervised post-(?P<d>BSW|MSW) social-work case "
        r"management \((?P<n>[\d,]+) needed\)",
        lambda m: (
            gettext(
                "%(hours)s more hours of paid, supervised post-%(degree)s social-work case "
                "management (%(needed)s needed)"
            )
            % {"hours": m["h"], "degree": m["d"], "needed": m["n"]}
        ),
    ),
    _p(
        r"a (?P<d>BSW|MSW)-level licence or ASWB exam",
        lambda m: gettext("a %(degree)s-level licence or ASWB exam") % {"degree": m["d"]},
    ),
    _p(
        r"a current (?P<d>BSW|MSW)-level social-work licence or a passing ASWB exam at that "
        r"level",
        lambda m: (
            gettext(
                "a current %(degree)s-level social-work licence "
                "or a passing ASWB exam at that level"
            )
            % {"degree": m["d"]}
        ),
    ),
    _p(
        r"(?P<h>[\d.]+) CE contact hours",
        lambda m: gettext("%(hours)s CE contact hours") % {"hours": m["h"]},
    ),
    _p(
        r"(?P<h>[\d.]+) more contact hours of relevant continuing education",
        lambda m: (
            gettext("%(hours)s more contact hours of relevant continuing education")
            % {"hours": m["h"]}
        ),
    ),
    _p(
        r"(?P<h>[\d.]+) more CE hours",
        lambda m: gettext("%(hours)s more CE hours") % {"hours": m["h"]},
    ),
    _p(
        r"(?P<h>[\d.]+) more hours of ethics CE",
        lambda m: gettext("%(hours)s more hours of ethics CE") % {"hours": m["h"]},
    ),
    _p(
        r"(?P<h>[\d.]+) more hours of case-management-specific CE",
        lambda m: (
            gettext("%(hours)s more hours of case-management-specific CE") % {"hours": m["h"]}
        ),
    ),
]


def credential_text(sentence: str) -> str:
    """A sentence of the credential picture (met, missing, renewal), in the active language."""
    for pattern, render in _CREDENTIALS:
        match = pattern.match(sentence)
        if match:
            return render(match)
    return tr(sentence)
