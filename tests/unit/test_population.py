"""Population stratification equals the rule library, member by member.

A few hundred members with deliberately awkward data (dotted, lower-case and padded codes,
invalid codes, abated and future diagnoses, hierarchy pairs, ages on the age-point edges,
stays on every LACE length-of-stay edge, ED visits on the window edges) are scored by
``stratify_population`` and, independently, one member at a time through
``casework.rules.evaluate`` and ``tiering.stratify``. No database: plain pytest.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from casework.risk.population import OUTPUT_COLUMNS, PopulationSummary, stratify_population
from casework.risk.tiering import DEFAULT_RULE, TIERS, stratify
from casework.rules import evaluate
from casework.rules.charlson import normalize_code

AS_OF = date(2025, 6, 30)

# Real ICD-10(-CM) codes: Charlson conditions of every kind (both members of each hierarchy
# pair), and codes that map to nothing (incl. the traps C44, C4A, C7A, E08, B23).
CODES = [
    "I21.4", "I25.2", "I50.9", "I11.0", "I73.9", "Z95.8", "I63.9", "G45.9", "F03.90", "G30.9",
    "J44.9", "J45.909", "M06.9", "M32.9", "K25.9", "K70.30", "K74.60", "B18.2", "K72.90",
    "I85.00", "E11.9", "E11.65", "E10.9", "E11.22", "E11.40", "G81.90", "N18.3", "Z99.2",
    "C34.90", "C50.919", "C18.9", "C91.10", "C78.00", "C79.51", "B20",
    "I10", "E78.5", "Z00.00", "M54.5", "J06.9", "C44.91", "C4A.9", "C7A.010", "E08.65",
    "B23.0", "I25.10", "K21.9", "R51.9",
]  # fmt: skip
# Codes the rule library rejects (skipped and counted here), and awkward valid spellings.
INVALID = ["", "  ", "250.00", "UNKNOWN", "E11.9-", "ı10", "I", "123"]


def _spelling(code: str, rng: random.Random) -> str:
    """The same code written as a dirty extract might write it."""
    choice = rng.random()
    if choice < 0.3:
        return code.replace(".", "")
    if choice < 0.45:
        return code.lower()
    if choice < 0.55:
        return f"  {code} "
    if choice < 0.6:
        return code + "\u00a0"  # non-breaking space: str.strip removes it
    return code


def _minus_months(day: date, months: int) -> date:
    """Calendar months back; a day missing in the target month clamps to its last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _age(birth: date | None) -> int | None:
    if birth is None:
        return None
    age = AS_OF.year - birth.year - ((AS_OF.month, AS_OF.day) < (birth.month, birth.day))
    return age if 0 <= age <= 130 else None


def _latest_first(stay: dict[str, Any]) -> tuple[date, date, int]:
    """Order of stays: latest discharge, then latest admission, then acute over not/unknown."""
    acute_rank = -1 if stay["acute"] is None else int(stay["acute"])
    return stay["discharge_date"], stay["admit_date"], acute_rank


Population = dict[str, list[dict[str, Any]]]


def _dx(
    member_id: int, code: str, onset: date | None = None, abatement: date | None = None
) -> dict[str, Any]:
    return {"member_id": member_id, "icd10_code": code, "onset_date": onset,
            "abatement_date": abatement}  # fmt: skip


def _enc(
    member_id: int,
    kind: str,
    admit: date,
    discharge: date | None = None,
    acute: bool | None = None,
    acuity: int | None = None,
) -> dict[str, Any]:
    return {"member_id": member_id, "encounter_type": kind, "admit_date": admit,
            "discharge_date": discharge, "acute": acute, "acuity": acuity}  # fmt: skip


def build_population(seed: int = 20250630, size: int = 320) -> Population:
    rng = random.Random(seed)
    members: list[dict[str, Any]] = []
    diagnoses: list[dict[str, Any]] = []
    encounters: list[dict[str, Any]] = []
    edge_ages = [49, 50, 59, 60, 69, 70, 79, 80, 95, 0, 130]
    edge_los = [0, 1, 2, 3, 4, 6, 7, 13, 14, 30]
    month_end_admits = [date(2025, 3, 31), date(2024, 8, 31), date(2025, 5, 31)]
    for member_id in range(1, size + 1):
        # Ages on the age-point edges, each side of the birthday; a few unknown/out of range.
        if member_id % 29 == 0:
            birth: date | None = None
        elif member_id % 31 == 0:
            birth = AS_OF + timedelta(days=3)  # born after as_of: age unknown
        elif member_id % 37 == 0:
            birth = date(1880, 1, 1)  # 145: past AGE_MAX, age unknown
        else:
            age = edge_ages[member_id % len(edge_ages)] if member_id % 2 else rng.randint(0, 99)
            birth = date(AS_OF.year - age, AS_OF.month, AS_OF.day)
            if member_id % 3 == 0:  # birthday tomorrow: one year younger
                birth += timedelta(days=1)
        members.append({"member_id": member_id, "birth_date": birth, "sex": rng.choice("FM")})

        for _ in range(rng.randint(0, 14)):
            code = rng.choice(INVALID) if rng.random() < 0.06 else _spelling(rng.choice(CODES), rng)
            onset = AS_OF - timedelta(days=rng.randint(-60, 3000)) if rng.random() < 0.8 else None
            abatement = None
            if rng.random() < 0.2:  # abated before, on or after as_of
                abatement = AS_OF + timedelta(days=rng.choice([-400, -1, 0, 1, 200]))
            diagnoses.append(_dx(member_id, code, onset, abatement))
        if member_id % 13 == 0:  # both members of each hierarchy pair, plus HIV
            for code in ("K70.30", "K72.90", "E11.9", "E11.22", "C34.90", "C78.00", "B20"):
                diagnoses.append(_dx(member_id, code))

        # Inpatient stays: none for some members; otherwise 1-3, some after as_of.
        if member_id % 5 == 4:
            continue
        for stay in range(rng.randint(1, 3)):
            if stay == 0 and member_id % 7 == 0:
                admit = month_end_admits[member_id % len(month_end_admits)]
            else:
                admit = AS_OF - timedelta(days=rng.randint(0, 700))
            discharge = admit + timedelta(days=rng.choice(edge_los))
            # Unknown acute flag for some: LACE is not scored when that stay is the latest.
            acute = None if member_id % 17 == 0 else rng.random() < 0.6
            kind = rng.choice(["inpatient", "Inpatient "])
            encounters.append(_enc(member_id, kind, admit, discharge, acute))
            for _ in range(rng.randint(0, 5)):
                when = rng.choice(
                    [
                        admit,  # the visit that led to the admission: never counted
                        admit - timedelta(days=1),
                        _minus_months(admit, 6),  # first day in the window
                        _minus_months(admit, 6) - timedelta(days=1),  # just outside
                        admit - timedelta(days=rng.randint(1, 400)),
                    ]
                )
                encounters.append(_enc(member_id, "ed", when, acuity=rng.randint(1, 5)))
        if member_id % 19 == 0:  # same-day twin stays: the acute one is the latest
            for twin in (False, True, None)[: 2 + member_id % 2]:
                encounters.append(
                    _enc(member_id, "inpatient", AS_OF - timedelta(days=2), AS_OF, twin)
                )
        if member_id % 11 == 0:  # dirty rows, ignored: unknown type; discharge before admit
            encounters.append(_enc(member_id, "outpatient", AS_OF))
            encounters.append(
                _enc(member_id, "inpatient", AS_OF, AS_OF - timedelta(days=2), acute=True)
            )
    # Rows of a member who is not in the members file.
    diagnoses.append(_dx(99_999, "I50.9"))
    encounters.append(_enc(99_999, "ed", AS_OF))
    return {"members": members, "diagnoses": diagnoses, "encounters": encounters}


def expected(population: Population) -> dict[int, dict[str, Any]]:
    """Each member scored one at a time by the rule library (the reference)."""
    codes: dict[int, list[str]] = {}
    for dx in population["diagnoses"]:
        onset, abatement = dx["onset_date"], dx["abatement_date"]
        active = (onset is None or onset <= AS_OF) and (abatement is None or abatement > AS_OF)
        if active and normalize_code(dx["icd10_code"]) is not None:
            codes.setdefault(dx["member_id"], []).append(dx["icd10_code"])
    stays: dict[int, list[dict[str, Any]]] = {}
    ed_dates: dict[int, list[date]] = {}
    for enc in population["encounters"]:
        kind = enc["encounter_type"].strip().lower()
        if kind == "inpatient" and enc["discharge_date"] is not None:
            if enc["admit_date"] <= enc["discharge_date"] <= AS_OF:
                stays.setdefault(enc["member_id"], []).append(enc)
        elif kind == "ed":
            ed_dates.setdefault(enc["member_id"], []).append(enc["admit_date"])

    out: dict[int, dict[str, Any]] = {}
    for member in population["members"]:
        member_id, age = member["member_id"], _age(member["birth_date"])
        charlson = evaluate("charlson_icd10", {"codes": codes.get(member_id, []), "age": age})
        row: dict[str, Any] = {
            "age": age,
            "conditions": ";".join(charlson["conditions"]),
            **{k: charlson[k] for k in ("charlson_1987", "quan_2011", "age_points")},
            "charlson_1987_age_adjusted": charlson["charlson_1987_age_adjusted"],
        }
        lace: dict[str, Any] = dict.fromkeys(("l", "a", "c", "e", "total", "risk"))
        latest = None
        if member_id in stays:
            latest = max(stays[member_id], key=_latest_first)
            admit = latest["admit_date"]
            start = _minus_months(admit, 6)
            visits = sum(start <= d < admit for d in ed_dates.get(member_id, []))
            row |= {
                "latest_admit_date": admit,
                "latest_discharge_date": latest["discharge_date"],
                "length_of_stay_days": (latest["discharge_date"] - admit).days,
                "acute_admission": latest["acute"],
                "ed_visits_6mo": visits,
            }
            if latest["acute"] is not None:
                lace = evaluate(
                    "lace",
                    {
                        "length_of_stay_days": row["length_of_stay_days"],
                        "acute_admission": latest["acute"],
                        "charlson_score": charlson["charlson_1987"],
                        "ed_visits_6mo": visits,
                    },
                )
        else:
            row |= dict.fromkeys(
                (
                    "latest_admit_date",
                    "latest_discharge_date",
                    "length_of_stay_days",
                    "acute_admission",
                    "ed_visits_6mo",
                )
            )
        row |= {f"lace_{k}": v for k, v in lace.items()}
        tier = stratify({"lace": lace["total"], "charlson_1987": charlson["charlson_1987"]})
        row |= {"tier": tier.tier, "tier_explanation": tier.explanation}
        out[member_id] = row
    return out


def write_inputs(population: Population, folder: Path, suffix: str) -> tuple[Path, Path, Path]:
    paths = []
    for name in ("members", "diagnoses", "encounters"):
        frame = pl.DataFrame(population[name], infer_schema_length=None)
        path = folder / f"{name}.{suffix}"
        if suffix == "csv":
            frame.write_csv(path, date_format="%Y-%m-%d")
        else:
            frame.write_parquet(path)
        paths.append(path)
    return paths[0], paths[1], paths[2]


def read_output(path: Path) -> dict[int, dict[str, Any]]:
    if path.suffix == ".csv":
        frame = pl.read_csv(path, infer_schema=False).with_columns(
            pl.col(c).cast(pl.Int64)
            for c in OUTPUT_COLUMNS
            if c.startswith(("lace_", "charlson", "quan", "age", "length", "ed_", "member"))
            and c != "lace_risk"
        )
        frame = frame.with_columns(
            pl.col("latest_admit_date", "latest_discharge_date").str.to_date(),
            pl.col("acute_admission").replace_strict({"true": True, "false": False}, default=None),
            pl.col("conditions").fill_null(""),  # CSV cannot tell "" from null
        )
    else:
        frame = pl.read_parquet(path)
    assert tuple(frame.columns) == OUTPUT_COLUMNS
    return {int(row.pop("member_id")): row for row in frame.iter_rows(named=True)}


@pytest.fixture(scope="module")
def population() -> Population:
    return build_population()


@pytest.fixture(scope="module")
def reference(population: Population) -> dict[int, dict[str, Any]]:
    return expected(population)


Run = Callable[..., tuple[dict[int, dict[str, Any]], PopulationSummary]]


@pytest.fixture
def run(population: Population, tmp_path: Path) -> Run:
    def _run(
        suffix: str = "parquet", out_suffix: str = "parquet", chunk_members: int = 250_000
    ) -> tuple[dict[int, dict[str, Any]], PopulationSummary]:
        folder = tmp_path / f"{suffix}-{out_suffix}-{chunk_members}"
        folder.mkdir()
        members, diagnoses, encounters = write_inputs(population, folder, suffix)
        output = folder / f"out.{out_suffix}"
        summary = stratify_population(
            members, diagnoses, encounters, output, as_of=AS_OF, chunk_members=chunk_members
        )
        return read_output(output), summary

    return _run


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
@pytest.mark.parametrize("chunk_members", [250_000, 37])
def test_every_member_matches_the_rule_library(
    run: Run, reference: dict[int, dict[str, Any]], suffix: str, chunk_members: int
) -> None:
    got, summary = run(suffix, "parquet", chunk_members)
    assert got.keys() == reference.keys()
    for member_id, want in reference.items():
        assert got[member_id] == want, member_id
    assert summary.members == len(reference)
    assert summary.chunks == (1 if chunk_members > len(reference) else -(-320 // 37))


def test_population_covers_the_edges(reference: dict[int, dict[str, Any]]) -> None:
    """The fixture really exercises what it claims to (else the equality proves little)."""
    rows = reference.values()
    assert {r["tier"] for r in rows} == set(TIERS)
    assert {r["lace_l"] for r in rows} >= {0, 1, 3, 4, 5, 7}
    assert {r["length_of_stay_days"] for r in rows} >= {0, 1, 3, 4, 6, 7, 13, 14}
    assert {r["ed_visits_6mo"] for r in rows} >= {0, 1, 2, 3}
    assert {r["age_points"] for r in rows} == {None, 0, 1, 2, 3, 4}
    assert {r["age"] for r in rows} >= {49, 50, 79, 80}
    assert {r["lace_risk"] for r in rows} == {None, "low", "moderate", "high"}
    conditions = {c for r in rows for c in r["conditions"].split(";") if c}
    assert {"moderate_severe_liver", "diabetes_complicated", "metastatic_solid_tumor"} <= (
        conditions
    )
    assert any(r["quan_2011"] != r["charlson_1987"] for r in rows)
    # A member with an acute latest stay whose flag is unknown gets no LACE.
    assert any(r["latest_discharge_date"] and r["lace_total"] is None for r in rows)


def test_csv_output_and_csv_input_agree_with_parquet(run: Run) -> None:
    parquet, _ = run("parquet", "parquet")
    csv, _ = run("csv", "csv", 50)
    assert csv == parquet


def test_chunking_changes_nothing(run: Run) -> None:
    one, one_summary = run("parquet", "parquet", 250_000)
    many, many_summary = run("parquet", "parquet", 7)
    assert many == one
    assert many_summary.chunks == 46 and one_summary.chunks == 1
    strip = ("chunks", "elapsed_seconds")
    assert {k: v for k, v in asdict(many_summary).items() if k not in strip} == {
        k: v for k, v in asdict(one_summary).items() if k not in strip
    }


def test_summary_counts(run: Run, population: Population) -> None:
    _, summary = run()
    rows = population["diagnoses"]
    known = [r for r in rows if r["member_id"] != 99_999]
    active = [
        r
        for r in known
        if (r["onset_date"] is None or r["onset_date"] <= AS_OF)
        and (r["abatement_date"] is None or r["abatement_date"] > AS_OF)
    ]
    invalid = [r for r in active if normalize_code(r["icd10_code"]) is None]
    assert summary.diagnoses_read == len(rows)
    assert summary.unknown_member_diagnoses == 1
    assert summary.inactive_diagnoses == len(known) - len(active)
    assert summary.invalid_codes_skipped == len(invalid) > 0
    assert summary.diagnoses_used == len(active) - len(invalid)
    assert summary.encounters_read == len(population["encounters"])
    assert summary.unknown_member_encounters == 1
    assert summary.members == 320
    assert sum(summary.tiers.values()) == 320
    ref = expected(population)
    assert summary.tiers == {t: sum(r["tier"] == t for r in ref.values()) for t in TIERS}
    assert summary.unknown_ages == sum(r["age"] is None for r in ref.values())
    lace = [r["lace_total"] for r in ref.values() if r["lace_total"] is not None]
    assert summary.members_with_lace == len(lace)
    assert summary.mean_scores["lace_total"] == pytest.approx(sum(lace) / len(lace))
    assert summary.lace_incomplete == sum(
        r["latest_discharge_date"] is not None and r["lace_total"] is None for r in ref.values()
    )


# LACE L points -> a length of stay that scores them.
LOS_FOR_POINTS = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 7, 7: 14}


def _split(points: int) -> tuple[bool, int, int]:
    """(acute, ED visits, length of stay) whose L + A + E points add up to ``points``."""
    for acute in (False, True):
        for ed in range(5):
            rest = points - (3 if acute else 0) - ed
            if rest in LOS_FOR_POINTS:
                return acute, ed, LOS_FOR_POINTS[rest]
    raise AssertionError(points)


def test_tier_is_stratify_over_the_whole_domain(tmp_path: Path) -> None:
    """Every (LACE total or none, Charlson 1987) pair the data can produce: same as stratify.

    One member per pair: LACE total = L + A + C + E is steered through the stay (C is the
    member's Charlson score), so every reachable pair occurs: Charlson 0-29, LACE none or any
    total from C's points to C's points + 14.
    """
    weights_codes = [  # adds 1987 points: 6, 6, 3, 2, 2, 2, 1 x 8 = 29 at most
        ("B20", 6), ("C78.00", 6), ("K72.90", 3), ("E11.22", 2), ("G81.90", 2), ("N18.3", 2),
        ("I21.4", 1), ("I50.9", 1), ("I73.9", 1), ("I63.9", 1), ("F03.90", 1), ("J44.9", 1),
        ("M06.9", 1), ("K25.9", 1),
    ]  # fmt: skip
    members, diagnoses, encounters, wanted = [], [], [], []
    member_id = 0
    for charlson in range(30):
        codes, left = [], charlson
        for code, weight in weights_codes:
            if weight <= left:
                codes.append(code)
                left -= weight
        assert left == 0
        c_points = evaluate(
            "lace",
            {
                "length_of_stay_days": 0,
                "acute_admission": False,
                "charlson_score": charlson,
                "ed_visits_6mo": 0,
            },
        )["total"]
        for lace in [None, *range(c_points, c_points + 7 + 3 + 4 + 1)]:
            member_id += 1
            members.append({"member_id": member_id, "birth_date": date(1960, 1, 1)})
            diagnoses += [{"member_id": member_id, "icd10_code": c} for c in codes]
            wanted.append((member_id, lace, charlson))
            if lace is None:
                continue
            acute, e, los = _split(lace - c_points)
            admit = date(2025, 3, 1)
            encounters.append(
                {
                    "member_id": member_id,
                    "encounter_type": "inpatient",
                    "admit_date": admit,
                    "discharge_date": admit + timedelta(days=los),
                    "acute": acute,
                }
            )
            encounters += [
                {"member_id": member_id, "encounter_type": "ed",
                 "admit_date": admit - timedelta(days=10 + i), "discharge_date": None,
                 "acute": None}
                for i in range(e)
            ]  # fmt: skip
    paths = {}
    for name, rows in (("m", members), ("d", diagnoses), ("e", encounters)):
        paths[name] = tmp_path / f"{name}.parquet"
        pl.DataFrame(rows, infer_schema_length=None).write_parquet(paths[name])
    output = tmp_path / "out.parquet"
    stratify_population(paths["m"], paths["d"], paths["e"], output, as_of=AS_OF, chunk_members=1000)
    got = read_output(output)
    pairs = set()
    for member_id, lace, charlson in wanted:
        row = got[member_id]
        assert (row["lace_total"], row["charlson_1987"]) == (lace, charlson), member_id
        result = stratify({"lace": lace, "charlson_1987": charlson}, DEFAULT_RULE)
        assert (row["tier"], row["tier_explanation"]) == (result.tier, result.explanation)
        pairs.add((lace, charlson))
    assert len(pairs) == 30 * 16  # Charlson 0-29, each with no LACE or all 15 reachable totals


def test_month_end_window_clamps_like_the_reference() -> None:
    for day in (date(2025, 8, 31), date(2024, 8, 31), date(2025, 12, 31), date(2025, 3, 31)):
        got = pl.select(pl.lit(day).dt.offset_by("-6mo")).item()
        assert got == _minus_months(day, 6)


def test_bad_inputs_are_refused(tmp_path: Path) -> None:
    members = tmp_path / "m.csv"
    diagnoses = tmp_path / "d.csv"
    encounters = tmp_path / "e.csv"
    diagnoses.write_text("member_id,icd10_code\n1,E11.9\n")
    encounters.write_text("member_id,encounter_type,admit_date\n")
    out = tmp_path / "out.parquet"

    members.write_text("member_id,birth_date\n1,1950-01-01\n1,1951-01-01\n")
    with pytest.raises(ValueError, match="duplicated member_id"):
        stratify_population(members, diagnoses, encounters, out, as_of=AS_OF)
    members.write_text("member_id,dob\n1,1950-01-01\n")
    with pytest.raises(ValueError, match="missing column.*birth_date"):
        stratify_population(members, diagnoses, encounters, out, as_of=AS_OF)
    members.write_text("member_id,birth_date\n1,01/02/1950\n")
    with pytest.raises(pl.exceptions.InvalidOperationError):
        stratify_population(members, diagnoses, encounters, out, as_of=AS_OF)
    with pytest.raises(ValueError, match="unsupported"):
        stratify_population(members, diagnoses, encounters, tmp_path / "o.json", as_of=AS_OF)
    assert not out.exists()


def test_empty_population(tmp_path: Path) -> None:
    members = tmp_path / "m.csv"
    members.write_text("member_id,birth_date\n")
    diagnoses = tmp_path / "d.csv"
    diagnoses.write_text("member_id,icd10_code\n7,E11.9\n")
    encounters = tmp_path / "e.csv"
    encounters.write_text("member_id,encounter_type,admit_date\n")
    out = tmp_path / "out.parquet"
    summary = stratify_population(members, diagnoses, encounters, out, as_of=AS_OF)
    assert summary.members == 0 and summary.unknown_member_diagnoses == 1
    assert summary.mean_scores["charlson_1987"] is None
    assert pl.read_parquet(out).columns == list(OUTPUT_COLUMNS)
