"""The scores a case's tier is computed from, gathered from the client's record. Pure.

Inputs are plain values (conditions with dates, encounters, latest instrument results), so the
same definitions serve a case and a whole population.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from casework import rules

# LACE's "E": ED visits in the 6 calendar months before the admission, not counting a visit on
# the admission date itself (taken to be the visit that led to the admission).
ED_LOOKBACK_MONTHS = 6


@dataclass(frozen=True)
class ConditionFact:
    code: str
    onset: dt.date | None = None
    abatement: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return (self.onset is None or self.onset <= day) and (
            self.abatement is None or self.abatement > day
        )


@dataclass(frozen=True)
class StayFact:
    admitted: dt.date
    discharged: dt.date
    acute: bool


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def ed_visits_before(admitted: dt.date, ed_visits: Iterable[dt.date]) -> int:
    start = months_before(admitted, ED_LOOKBACK_MONTHS)
    return sum(1 for visit in ed_visits if start <= visit < admitted)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def case_scores(
    *,
    today: dt.date,
    birth_date: dt.date,
    conditions: Sequence[ConditionFact],
    stays: Sequence[StayFact],
    ed_visits: Sequence[dt.date],
    instrument_results: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Named scores for the tiering rule, and the details behind them.

    ``instrument_results`` maps an instrument key to its latest result.
    """
    age = max(0, min(130, age_on(birth_date, today)))
    codes = [c.code for c in conditions if c.active_on(today)]
    charlson = rules.evaluate("charlson_icd10", {"codes": codes, "age": age})
    scores: dict[str, Any] = {
        "charlson_1987": charlson["charlson_1987"],
        "charlson_1987_age_adjusted": charlson["charlson_1987_age_adjusted"],
        "quan_2011": charlson["quan_2011"],
        "charlson_conditions": charlson["conditions"],
        "lace": None,
    }
    past = [s for s in stays if s.discharged <= today]
    if past:
        latest = max(past, key=lambda s: (s.discharged, s.admitted))
        lace = rules.evaluate(
            "lace",
            {
                "length_of_stay_days": (latest.discharged - latest.admitted).days,
                "acute_admission": latest.acute,
                "charlson_score": charlson["charlson_1987"],
                "ed_visits_6mo": ed_visits_before(latest.admitted, ed_visits),
            },
        )
        scores["lace"] = lace["total"]
        scores["lace_detail"] = dict(lace) | {"discharged_on": latest.discharged.isoformat()}
    phq9 = instrument_results.get("phq9")
    if phq9:
        scores["phq9"] = phq9["total"]
        scores["phq9_positive"] = phq9["positive_screen"]
    ahc = instrument_results.get("ahc_hrsn_core")
    if ahc:
        scores["ahc_any_need"] = ahc["any_need"]
    cssrs = instrument_results.get("cssrs_screener")
    if cssrs:
        scores["cssrs_risk"] = cssrs["risk"]
    for key, name in (("gad7", "gad7"), ("dast10", "dast10")):
        if key in instrument_results:
            scores[name] = instrument_results[key]["total"]
    audit = instrument_results.get("audit_c")
    if audit:
        scores["audit_c_positive"] = audit["positive_screen"]
    return scores
