"""The paths demo cases take through the process, and how many cases take each.

A scenario is the list of moves a case makes after it opens at screening, written with one
letter (or two) per phase: "A R P I M" is the straight road to monitoring. "C" closes: first
thing after screening it is a referral not accepted; after evaluation a completed case;
"C:<reason>" is an administrative closure. Every program gets each of the ``CORE`` scenarios
once, so every phase is represented whatever the seed, and the rest are drawn by weight.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from casework.cases.phases import Phase
from casework.demo.programs import ProgramSpec

CODES: dict[str, Phase] = {
    "A": Phase.ASSESSMENT,
    "R": Phase.RISK_STRATIFICATION,
    "P": Phase.PLANNING,
    "I": Phase.IMPLEMENTATION,
    "M": Phase.MONITORING,
    "T": Phase.TRANSITIONAL_CARE,
    "PT": Phase.POST_TRANSITION,
    "E": Phase.EVALUATION,
    "C": Phase.CLOSED,
}


@dataclass(frozen=True)
class Step:
    to: Phase
    closure: str = ""  # an administrative closure reason, for "C:<reason>"


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    tail: tuple[int, int]  # days from the last move to the end of the story
    weights: tuple[int, int, int]  # hospital, juvenile, senior

    @property
    def final(self) -> Phase:
        return self.steps[-1].to if self.steps else Phase.SCREENING

    @property
    def closure(self) -> str:
        return self.steps[-1].closure if self.steps else ""


def _steps(path: str) -> tuple[Step, ...]:
    steps = []
    for code in path.split():
        letter, _, closure = code.partition(":")
        steps.append(Step(CODES[letter], closure))
    return tuple(steps)


BASE = "A R P I M"
_TABLE: tuple[tuple[str, str, tuple[int, int], tuple[int, int, int]], ...] = (
    ("referral", "", (0, 6), (4, 4, 4)),
    ("screened_out", "C", (2, 200), (4, 4, 3)),
    ("assessing", "A", (1, 10), (5, 5, 5)),
    ("stratifying", "A R", (0, 3), (2, 2, 2)),
    ("planning", "A R P", (0, 5), (3, 4, 3)),
    ("implementing", "A R P I", (1, 8), (3, 4, 4)),
    ("monitoring", BASE, (3, 40), (10, 16, 16)),
    ("reassessed", f"{BASE} A R P I M", (3, 25), (2, 4, 4)),
    ("replanned", f"{BASE} P I M", (3, 25), (2, 4, 3)),
    ("admitted", f"{BASE} T", (0, 1), (4, 1, 2)),
    ("admitted_early", "A T", (0, 1), (2, 0, 1)),
    ("discharged", f"{BASE} T PT", (2, 5), (5, 1, 2)),
    ("home_again", f"{BASE} T PT M", (3, 25), (9, 2, 4)),
    ("readmission_reassessed", f"{BASE} T PT A R P I M", (3, 20), (3, 1, 2)),
    ("evaluating", f"{BASE} E", (0, 6), (3, 3, 3)),
    ("continued", f"{BASE} E M", (3, 30), (1, 3, 3)),
    ("evaluated_replan", f"{BASE} E P I M", (3, 20), (1, 3, 2)),
    ("completed", f"{BASE} E C", (1, 240), (6, 5, 3)),
    ("completed_after_transition", f"{BASE} T PT E C", (1, 200), (5, 1, 1)),
    ("deceased", f"{BASE} T C:deceased", (1, 200), (1, 0, 1)),
    ("deceased_at_home", f"{BASE} C:deceased", (1, 200), (0, 0, 1)),
    ("moved_away", "A R P C:moved_away", (1, 200), (1, 1, 1)),
    ("lost_to_contact", f"{BASE} C:lost_to_contact", (1, 150), (2, 2, 1)),
    ("declined_services", "A R C:declined_services", (1, 150), (1, 1, 1)),
    ("transferred", f"{BASE} C:transferred", (1, 150), (1, 1, 1)),
    ("reopened", f"{BASE} E C A R P I M", (3, 25), (1, 2, 2)),
    ("reopened_assessing", f"{BASE} E C A", (1, 8), (1, 1, 1)),
)
SCENARIOS: dict[str, Scenario] = {
    name: Scenario(name, _steps(path), tail, weights) for name, path, tail, weights in _TABLE
}
# One case of each in every program: together they visit every phase.
CORE = (
    "referral", "screened_out", "assessing", "stratifying", "planning", "implementing",
    "monitoring", "admitted", "discharged", "evaluating", "completed", "reopened",
    "lost_to_contact",
)  # fmt: skip
# The earlier, completed case of a returning client: it ends when it closes.
EARLIER = Scenario("earlier_completed", SCENARIOS["completed"].steps, (0, 0), (0, 0, 0))

_KIND_INDEX = {"hospital": 0, "juvenile": 1, "senior": 2}


def fits(scenario: Scenario, spec: ProgramSpec) -> bool:
    """Administrative closures the program has words for (no juvenile deaths in the demo)."""
    return all(not s.closure or s.closure in spec.closures for s in scenario.steps)


def deal(spec: ProgramSpec, count: int, rng: random.Random) -> list[Scenario]:
    """``count`` scenarios for the program: the core ones, then drawn by weight, shuffled."""
    index = _KIND_INDEX[spec.kind]
    dealt = [SCENARIOS[name] for name in CORE if fits(SCENARIOS[name], spec)]
    pool = [s for s in SCENARIOS.values() if s.weights[index] and fits(s, spec)]
    dealt += rng.choices(pool, weights=[s.weights[index] for s in pool], k=count - len(dealt))
    rng.shuffle(dealt)
    return dealt
