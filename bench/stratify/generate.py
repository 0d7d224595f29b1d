"""Generate a synthetic population for the stratification benchmark (seeded, vectorised).

Writes ``members.parquet``, ``diagnoses.parquet``, ``encounters.parquet`` and
``manifest.json`` into ``--out``: N members (default 1,000,000), about 10 diagnosis rows and
3 encounters per member, in the column layout ``casework.risk.population`` documents. All
files are sorted by ``member_id`` (as an extract per member usually is).

Codes are real ICD-10-CM codes at rough per-row frequencies: most rows are common codes that
map to no Charlson condition (I10, E78.5, Z00.00, M54.5, J06.9, ...), the rest Charlson
conditions at plausible prevalences (E11.9, I50.9, J44.9, N18.3, C34.90, C78.00, F03.90,
B20, ...), plus the traps that must map to nothing (C44 skin, E08, C7A). Spellings are dirty
on purpose, as real extracts are: half dotted (``E11.9``), most of the rest undotted
(``E119``), some lower-case or padded with spaces, and about 1% junk that is not a code.

Usage: ``python bench/stratify/generate.py --members 1000000 --seed 7 --out DIR``.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

AS_OF = date(2025, 6, 30)

# (code, relative frequency per diagnosis row). Non-Charlson codes carry ~85% of rows.
NON_CHARLSON: tuple[tuple[str, float], ...] = (
    ("I10", 10.0), ("E78.5", 8.0), ("Z00.00", 6.0), ("M54.5", 4.0), ("J06.9", 4.0),
    ("E66.9", 3.0), ("K21.9", 3.0), ("F41.1", 2.5), ("F32.9", 2.5), ("R51.9", 2.0),
    ("Z23", 2.0), ("E03.9", 2.0), ("I25.10", 2.0), ("E55.9", 2.0), ("M17.11", 1.5),
    ("G47.33", 1.5), ("N39.0", 1.5), ("R10.9", 1.5), ("I48.91", 1.5), ("D64.9", 1.5),
    ("H52.4", 1.0), ("L30.9", 1.0), ("Z79.4", 1.0), ("R05.9", 1.0), ("M79.1", 1.0),
    ("E87.1", 0.8), ("Z12.31", 0.8), ("C44.91", 0.3), ("E08.65", 0.1), ("C7A.010", 0.05),
    ("B23.0", 0.02), ("C86.0", 0.01),
)  # fmt: skip
CHARLSON: tuple[tuple[str, float], ...] = (
    ("E11.9", 4.0), ("E11.65", 1.0), ("E11.22", 0.8), ("E11.40", 0.5), ("E10.9", 0.3),
    ("I50.9", 1.5), ("I11.0", 0.4), ("J44.9", 2.0), ("J45.909", 1.5), ("N18.3", 0.6),
    ("N18.6", 0.1), ("Z99.2", 0.1), ("C34.90", 0.2), ("C50.919", 0.3), ("C18.9", 0.15),
    ("C61", 0.3), ("C91.10", 0.05), ("C78.00", 0.08), ("C79.51", 0.05), ("F03.90", 0.4),
    ("G30.9", 0.2), ("B20", 0.04), ("I25.2", 0.4), ("I21.4", 0.1), ("I63.9", 0.3),
    ("I69.351", 0.1), ("I73.9", 0.4), ("I70.0", 0.2), ("M06.9", 0.3), ("M32.9", 0.05),
    ("K25.9", 0.08), ("K70.30", 0.05), ("K74.60", 0.1), ("B18.2", 0.08), ("K72.90", 0.03),
    ("I85.00", 0.02), ("G81.90", 0.05), ("Z94.4", 0.01),
)  # fmt: skip
# Not ICD-10 codes at all (skipped and counted by the stratifier).
JUNK = ("", "UNKNOWN", "250.00", "NULL", "?", "00000")
# Spelling variants of a code, with their share of rows.
SPELLINGS = (
    ("dotted", 0.50),
    ("undotted", 0.44),
    ("lower", 0.03),
    ("padded", 0.02),
    ("junk", 0.01),
)


def _spell(code: str, how: str, junk: str) -> str:
    if how == "undotted":
        return code.replace(".", "")
    if how == "lower":
        return code.lower()
    if how == "padded":
        return f" {code}  "
    if how == "junk":
        return junk
    return code


def _days(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def generate(members: int, seed: int, out: Path) -> dict[str, object]:
    """Write the three files and the manifest; return the manifest."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    as_of = _days(AS_OF)
    ids = np.arange(1, members + 1, dtype=np.int64)

    # Members: 70% under 65, 30% 65-100 (a mixed Medicaid/Medicare book).
    ages = np.where(
        rng.random(members) < 0.7, rng.integers(0, 65, members), rng.integers(65, 101, members)
    )
    birth = as_of - (ages * 365.25).astype(np.int64) - rng.integers(0, 365, members)
    sex = np.where(rng.random(members) < 0.52, "F", "M")
    pl.DataFrame({"member_id": ids, "birth_date": _dates(birth), "sex": sex}).write_parquet(
        out / "members.parquet"
    )

    # Diagnoses: Poisson(10) rows per member; a frail minority gets more of them.
    frailty = rng.gamma(2.0, 0.5, members)
    per_member = rng.poisson(10 * frailty)
    rows = int(per_member.sum())
    dx_member = np.repeat(ids, per_member)
    table = NON_CHARLSON + CHARLSON
    weights = np.array([w for _, w in table])
    code_index = rng.choice(len(table), size=rows, p=weights / weights.sum())
    spelling_index = rng.choice(len(SPELLINGS), size=rows, p=np.array([p for _, p in SPELLINGS]))
    junk_index = rng.integers(0, len(JUNK), rows)
    # Every (code, spelling, junk) combination once, then a lookup by its flat index.
    variants = [
        _spell(code, how, junk) for code, _ in table for how, _ in SPELLINGS for junk in JUNK
    ]
    flat = (code_index * len(SPELLINGS) + spelling_index) * len(JUNK) + junk_index
    codes = pl.Series("flat", flat, dtype=pl.Int32).replace_strict(
        list(range(len(variants))), variants, return_dtype=pl.String
    )
    onset = as_of - rng.integers(0, 3650, rows)
    future = rng.random(rows) < 0.03
    onset[future] = as_of + rng.integers(1, 180, int(future.sum()))
    no_onset = pl.Series(rng.random(rows) < 0.08)
    abated = pl.Series(rng.random(rows) < 0.12)
    abatement = onset + rng.integers(1, 1500, rows)
    diagnoses = pl.DataFrame(
        {
            "member_id": dx_member,
            "icd10_code": codes,
            "onset_date": _dates(onset),
            "abatement_date": _dates(abatement),
        }
    ).with_columns(
        pl.when(no_onset).then(None).otherwise(pl.col("onset_date")).alias("onset_date"),
        pl.when(abated).then(pl.col("abatement_date")).otherwise(None).alias("abatement_date"),
    )
    diagnoses.write_parquet(out / "diagnoses.parquet")
    del diagnoses, codes, dx_member, onset, abatement

    # Encounters: inpatient stays (~0.6 per member) and ED visits (~2.1), plus the ED visit
    # that led to about half of the stays (on the admission day).
    n_ip = rng.poisson(0.6 * frailty)
    n_ed = rng.poisson(2.1 * frailty)
    ip_member = np.repeat(ids, n_ip)
    ip_admit = as_of - rng.integers(0, 730, ip_member.size)
    ip_los = rng.geometric(0.25, ip_member.size) - 1
    ip_acute = rng.random(ip_member.size) < 0.7
    ip_acute_known = rng.random(ip_member.size) >= 0.01
    led = rng.random(ip_member.size) < 0.5
    ed_member = np.concatenate([np.repeat(ids, n_ed), ip_member[led]])
    ed_date = np.concatenate([as_of - rng.integers(0, 730, int(n_ed.sum())), ip_admit[led]])
    inpatient = pl.DataFrame(
        {
            "member_id": ip_member,
            "encounter_type": "inpatient",
            "admit_date": _dates(ip_admit),
            "discharge_date": _dates(ip_admit + ip_los),
            "acute": ip_acute,
            "acuity": pl.Series([None] * ip_member.size, dtype=pl.Int8),
        }
    ).with_columns(
        pl.when(pl.Series(ip_acute_known)).then(pl.col("acute")).otherwise(None).alias("acute")
    )
    ed = pl.DataFrame(
        {
            "member_id": ed_member,
            "encounter_type": "ed",
            "admit_date": _dates(ed_date),
            "discharge_date": pl.Series([None] * ed_member.size, dtype=pl.Date),
            "acute": pl.Series([None] * ed_member.size, dtype=pl.Boolean),
            "acuity": pl.Series(rng.integers(1, 6, ed_member.size), dtype=pl.Int8),
        }
    )
    encounters = pl.concat([inpatient, ed]).sort("member_id", maintain_order=True)
    encounters.write_parquet(out / "encounters.parquet")

    manifest: dict[str, object] = {
        "members": members,
        "seed": seed,
        "as_of": AS_OF.isoformat(),
        "diagnoses": rows,
        "encounters": encounters.height,
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(generate(args.members, args.seed, args.out)))


if __name__ == "__main__":
    main()
