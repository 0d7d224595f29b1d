"""Population risk stratification: Charlson, LACE and risk tier for millions of members.

Framework-free (no Django): it reads files, scores every member with polars, and writes one
row per member. The clinical definitions are not restated here: every number comes from the
rule library's own tables and functions (``casework.rules.charlson``, ``evaluate("lace")``,
``casework.risk.tiering.stratify``), so a member scores here exactly as the same member would
through ``casework.rules.evaluate``.

How it stays exact and fast at once: the per-row work (date filters, joins, group-bys) is
vectorised in polars, and every *decision* is taken by the rule library's own function once
per distinct input, then joined back onto the rows:

- each distinct raw code string (one streaming pass collects them: thousands of spellings,
  not ten million rows) goes through ``normalize_code`` and ``condition_for_normalized_code``;
- each distinct set of present conditions (a 17-bit mask) through ``apply_hierarchy`` and
  ``score_conditions`` with ``WEIGHTS_CHARLSON_1987`` and ``WEIGHTS_QUAN_2011``;
- each age 0-130 through ``age_points``;
- each distinct LACE input through ``evaluate("lace", ...)`` (inputs clipped at the last
  row of each points table first, where the points can no longer change);
- each distinct (LACE total, Charlson 1987) pair through ``tiering.stratify``. The tier
  depends on nothing else, so the population tier *is* ``stratify``'s answer.

Inputs (CSV or Parquet, chosen by the file suffix ``.csv`` / ``.parquet``; CSV is read as
text and typed here, so nothing depends on type inference; extra columns are ignored):

- members: ``member_id``, ``birth_date`` (``sex`` optional, unused). One row per member;
  a null or duplicated ``member_id`` is an error (the file defines the population).
- diagnoses: ``member_id``, ``icd10_code``, optional ``onset_date``, ``abatement_date``.
  A diagnosis counts when ``onset_date <= as_of`` and (``abatement_date`` is null or
  ``> as_of``); a missing date (or column) means active.
- encounters: ``member_id``, ``encounter_type`` (``inpatient`` or ``ed``; compared after
  strip + lower-case; anything else is ignored), ``admit_date`` (the visit date of an ED
  visit), ``discharge_date`` (inpatient), ``acute`` (boolean, inpatient: emergent/unplanned),
  optional ``acuity`` (ED, unused: every ED visit counts). Without a ``discharge_date``
  column no stay is complete; without ``acute`` every flag is unknown.

An empty CSV cell is null. Dates are ISO ``YYYY-MM-DD`` (or Parquet date/datetime columns); an
unparsable date stops
the run with polars' error naming the column, because a garbled date would silently change
which diagnoses are active. CSV ``acute`` accepts true/false, t/f, yes/no, y/n, 1/0 (any
case); anything else is unknown. ``member_id`` keeps the members file's type (text for CSV,
so leading zeros survive); the other files' ids are cast to it, and rows whose member is not
in the members file (or whose id is null) are skipped and counted.

Decisions (the rule library is strict; population files are dirty):

- **Invalid codes are skipped and counted**, not fatal: a code that ``normalize_code``
  rejects (or a null code) drops that one diagnosis row; ``evaluate`` would reject the whole
  input instead. Rows are classified in this order: unknown member, not active on
  ``as_of`` (``inactive_diagnoses``), invalid code (``invalid_codes_skipped``), used.
- **Age** is whole years on ``as_of`` (the birthday not yet reached that year does not
  count; 29 February birthdays turn on 1 March in common years). A missing birth date or an
  age outside 0-130 (``AGE_MAX``) gives a null age, null ``age_points`` and null
  ``charlson_1987_age_adjusted`` (counted in ``unknown_ages``), as the rule does for age null.
- **LACE** is scored on the member's latest inpatient stay discharged on or before
  ``as_of`` (latest discharge date; ties go to the later admission, then to an acute stay).
  A stay needs both dates and discharge >= admission. L: length of stay = discharge -
  admission in days. A: the ``acute`` flag; when that flag is unknown LACE is null
  (``lace_incomplete``: nothing is scored from a partial input). C: the member's Charlson
  1987 score on ``as_of`` (the spec's Decision in section 7.1). E: ED visits dated in
  ``[admission - 6 calendar months, admission)``; calendar months as polars ``offset_by``
  counts them (a day missing in the earlier month clamps to its last day: 31 August - 6
  months = 28/29 February). The half-open window leaves out every ED visit on the day of
  admission: that is the visit that led to the admission, and the data cannot tell it apart
  from another visit the same day. No stay on or before ``as_of``: all LACE columns null.
- **Tier**: ``rule`` (default ``DEFAULT_RULE``) with the scores ``lace`` (``lace_total``,
  null without a stay) and ``charlson_1987``; every other score of the rule is unavailable,
  so its conditions do not hold (as ``stratify`` does for a missing score).

Output (Parquet or CSV by suffix), one row per member, sorted by ``member_id``:
``member_id, age, conditions`` (counted condition keys after the hierarchy, sorted, joined
by ``;``; empty text when none), ``charlson_1987, quan_2011, age_points,
charlson_1987_age_adjusted, latest_admit_date, latest_discharge_date, length_of_stay_days,
acute_admission, ed_visits_6mo, lace_l, lace_a, lace_c, lace_e, lace_total, lace_risk,
tier, tier_explanation``.

Memory is bounded by the chunk, not the population (beyond the members file's sorted ids
and the distinct-code table): members are split into ``chunk_members``-sized ranges of
``member_id``, and each range's diagnoses are filtered, joined to their code's condition bit
and OR-ed per member in one streaming query, so diagnosis rows are never materialised; the
range's encounters (about 3 per member) are collected and reduced to the latest stay and its
ED count. Range filters let Parquet row-group statistics skip most of a file sorted by
member. Each chunk's rows go to a part file beside the output, then the parts are streamed
into the output, written under a temporary name and renamed into place. CSV inputs are first
streamed once into temporary Parquet when there is more than one chunk, so the text is parsed
once.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import polars as pl

from casework.risk.tiering import DEFAULT_RULE, TIERS, TierRule, stratify, validate_rule
from casework.rules import evaluate
from casework.rules.charlson import (
    AGE_MAX,
    CONDITIONS,
    WEIGHTS_CHARLSON_1987,
    WEIGHTS_QUAN_2011,
    age_points,
    apply_hierarchy,
    condition_for_normalized_code,
    normalize_code,
    score_conditions,
)
from casework.rules.readmission import LACE_CHARLSON_POINTS, LACE_ED_POINTS, LACE_LOS_POINTS

__all__ = ["PopulationSummary", "stratify_population"]

ID: Final = "member_id"
OUTPUT_COLUMNS: Final = (
    ID,
    "age",
    "conditions",
    "charlson_1987",
    "quan_2011",
    "age_points",
    "charlson_1987_age_adjusted",
    "latest_admit_date",
    "latest_discharge_date",
    "length_of_stay_days",
    "acute_admission",
    "ed_visits_6mo",
    "lace_l",
    "lace_a",
    "lace_c",
    "lace_e",
    "lace_total",
    "lace_risk",
    "tier",
    "tier_explanation",
)

# One bit per Charlson condition, in the rule library's order.
_BIT: Final[Mapping[str, int]] = {key: 1 << index for index, key in enumerate(CONDITIONS)}
_TRUE_WORDS: Final = ("true", "t", "yes", "y", "1")
_FALSE_WORDS: Final = ("false", "f", "no", "n", "0")
_INT: Final = pl.Int32


def _cap(table: tuple[tuple[int, int], ...]) -> int:
    """Largest lower bound of a LACE points table: points are constant from there on."""
    return max(lower for lower, _ in table)


# Clipping a LACE input at its table's last lower bound never changes its points (the rule
# takes the last row whose lower bound the value reaches), and it keeps the number of
# distinct inputs handed to evaluate("lace") small however long stays are.
_LOS_CAP: Final = _cap(LACE_LOS_POINTS)
_CHARLSON_CAP: Final = _cap(LACE_CHARLSON_POINTS)
_ED_CAP: Final = _cap(LACE_ED_POINTS)


@dataclass(frozen=True)
class PopulationSummary:
    """What one run read, skipped and produced."""

    members: int
    diagnoses_read: int
    diagnoses_used: int
    invalid_codes_skipped: int
    inactive_diagnoses: int
    unknown_member_diagnoses: int
    encounters_read: int
    inpatient_stays: int  # usable stays discharged on or before as_of
    ed_visits: int  # ED rows with a visit date
    encounters_ignored: int  # unknown type, missing/incoherent dates, not yet discharged
    unknown_member_encounters: int
    members_with_lace: int
    lace_incomplete: int  # latest stay found but its acute flag is unknown
    unknown_ages: int
    tiers: Mapping[str, int]
    # Means over the members that have the score (None when nobody has it).
    mean_scores: Mapping[str, float | None]
    chunks: int
    elapsed_seconds: float


@dataclass
class _Tally:
    """Counters summed over chunks."""

    counts: dict[str, int] = field(default_factory=dict)
    sums: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    tiers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))

    def add(self, name: str, value: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + int(value)

    def get(self, name: str) -> int:
        return self.counts.get(name, 0)


# --- reading -------------------------------------------------------------------------------


def _scan(path: Path) -> pl.LazyFrame:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pl.scan_parquet(path)
    if suffix == ".csv":
        # Everything as text: types are decided below, never guessed from the first rows.
        return pl.scan_csv(path, infer_schema=False)
    raise ValueError(f"{path}: unsupported file type {suffix!r} (use .csv or .parquet)")


def _require(schema: pl.Schema, path: Path, columns: tuple[str, ...]) -> None:
    missing = [name for name in columns if name not in schema]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")


def _date(schema: pl.Schema, name: str) -> pl.Expr:
    """Column ``name`` as a Date (null when the column is absent)."""
    if name not in schema:
        return pl.lit(None, dtype=pl.Date).alias(name)
    dtype, column = schema[name], pl.col(name)
    if dtype == pl.Date:
        return column
    if isinstance(dtype, pl.Datetime):
        return column.dt.date()
    if dtype == pl.String:
        # strict: a garbled date raises rather than silently reading as "missing" (= active).
        return column.str.strip_chars().str.to_date("%Y-%m-%d", strict=True)
    if dtype == pl.Null:
        return column.cast(pl.Date)
    raise ValueError(f"column {name}: expected dates, found {dtype}")


def _boolean(schema: pl.Schema, name: str) -> pl.Expr:
    """Column ``name`` as Boolean; unrecognised text is null (unknown)."""
    if name not in schema:
        return pl.lit(None, dtype=pl.Boolean).alias(name)
    dtype, column = schema[name], pl.col(name)
    if dtype == pl.Boolean:
        return column
    if dtype.is_integer():
        return column != 0
    if dtype == pl.String:
        words = column.str.strip_chars().str.to_lowercase()
        return (
            pl.when(words.is_in(list(_TRUE_WORDS)))
            .then(pl.lit(True))
            .when(words.is_in(list(_FALSE_WORDS)))
            .then(pl.lit(False))
            .otherwise(pl.lit(None, dtype=pl.Boolean))
            .alias(name)
        )
    if dtype == pl.Null:
        return column.cast(pl.Boolean)
    raise ValueError(f"column {name}: expected booleans, found {dtype}")


def _text(schema: pl.Schema, name: str) -> pl.Expr:
    dtype = schema[name]
    return pl.col(name) if dtype == pl.String else pl.col(name).cast(pl.String, strict=False)


def _member_id(schema: pl.Schema, id_type: pl.DataType) -> pl.Expr:
    # Same type as the members file; an id that does not convert becomes null (unknown member).
    if schema[ID] == id_type:
        return pl.col(ID)
    return pl.col(ID).cast(id_type, strict=False)


def _prepare(
    members: Path, diagnoses: Path, encounters: Path, as_of: date
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame, pl.DataType]:
    """Typed lazy frames of the three inputs with only the columns used."""
    m_lf, d_lf, e_lf = _scan(members), _scan(diagnoses), _scan(encounters)
    m_schema, d_schema, e_schema = (lf.collect_schema() for lf in (m_lf, d_lf, e_lf))
    _require(m_schema, members, (ID, "birth_date"))
    _require(d_schema, diagnoses, (ID, "icd10_code"))
    _require(e_schema, encounters, (ID, "encounter_type", "admit_date"))
    id_type = m_schema[ID]

    m = m_lf.select(pl.col(ID), _date(m_schema, "birth_date").alias("birth_date"))
    onset = _date(d_schema, "onset_date")
    abatement = _date(d_schema, "abatement_date")
    active = (onset.is_null() | (onset <= as_of)) & (abatement.is_null() | (abatement > as_of))
    d = d_lf.select(
        _member_id(d_schema, id_type).alias(ID),
        _text(d_schema, "icd10_code").alias("code"),
        active.alias("active"),
    )
    e = e_lf.select(
        _member_id(e_schema, id_type).alias(ID),
        _text(e_schema, "encounter_type").str.strip_chars().str.to_lowercase().alias("type"),
        _date(e_schema, "admit_date").alias("admit"),
        _date(e_schema, "discharge_date").alias("discharge"),
        _boolean(e_schema, "acute").alias("acute"),
    )
    return m, d, e, id_type


@contextmanager
def _staged(
    frames: dict[str, tuple[Path, pl.LazyFrame]], workdir: Path, chunks: int
) -> Iterator[dict[str, pl.LazyFrame]]:
    """CSV inputs streamed once to Parquet when they will be read once per chunk."""
    out: dict[str, pl.LazyFrame] = {}
    for name, (path, lf) in frames.items():
        if chunks > 1 and path.suffix.lower() == ".csv":
            target = workdir / f"staged-{name}.parquet"
            lf.sink_parquet(target, engine="streaming")
            out[name] = pl.scan_parquet(target)
        else:
            out[name] = lf
    yield out


# --- the decision tables (one call of the rule library per distinct input) --------------


def _code_table(d: pl.LazyFrame) -> pl.DataFrame:
    """Every distinct raw code of the diagnoses -> its condition bit (0: valid code, no
    condition). Codes ``normalize_code`` rejects (and null) are left out: they join to null.

    One streaming pass over the code column; the table is as large as the number of
    distinct spellings (thousands), not the number of rows.
    """
    codes = d.select(pl.col("code").unique()).collect(engine="streaming").get_column("code")
    raws: list[str] = []
    bits: list[int] = []
    for raw in codes.drop_nulls().to_list():
        normal = normalize_code(raw)
        if normal is not None:
            key = condition_for_normalized_code(normal)
            raws.append(raw)
            bits.append(0 if key is None else _BIT[key])
    return pl.DataFrame({"code": raws, "bit": bits}, schema={"code": pl.String, "bit": _INT})


def _charlson_table(masks: pl.Series) -> pl.DataFrame:
    rows: list[tuple[int, str, int, int]] = []
    for mask in masks.to_list():
        present = [key for key, bit in _BIT.items() if mask & bit]
        counted = apply_hierarchy(present)
        rows.append(
            (
                mask,
                ";".join(counted),
                score_conditions(counted, WEIGHTS_CHARLSON_1987),
                score_conditions(counted, WEIGHTS_QUAN_2011),
            )
        )
    return pl.DataFrame(
        rows,
        schema={"mask": _INT, "conditions": pl.String, "charlson_1987": _INT, "quan_2011": _INT},
        orient="row",
    )


_AGE_POINTS: Final = pl.DataFrame(
    {"age": range(AGE_MAX + 1), "age_points": [age_points(a) for a in range(AGE_MAX + 1)]},
    schema={"age": _INT, "age_points": _INT},
)

_LACE_KEYS: Final = ("k_los", "k_acute", "k_charlson", "k_ed")


def _lace_table(keys: pl.DataFrame) -> pl.DataFrame:
    rows: list[tuple[Any, ...]] = []
    for los, acute, charlson, ed in keys.iter_rows():
        out = evaluate(
            "lace",
            {
                "length_of_stay_days": los,
                "acute_admission": acute,
                "charlson_score": charlson,
                "ed_visits_6mo": ed,
            },
        )
        parts = tuple(out[k] for k in ("l", "a", "c", "e", "total"))
        rows.append((los, acute, charlson, ed, *parts, out["risk"]))
    schema = {
        **dict.fromkeys(_LACE_KEYS, _INT),
        "k_acute": pl.Boolean,
        **dict.fromkeys(("lace_l", "lace_a", "lace_c", "lace_e", "lace_total"), _INT),
        "lace_risk": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _tier_table(keys: pl.DataFrame, rule: TierRule) -> pl.DataFrame:
    """Tier of each distinct (LACE total or -1 for none, Charlson 1987) pair, by stratify."""
    rows: list[tuple[int, int, str, str]] = []
    for lace_key, charlson in keys.iter_rows():
        result = stratify(
            {"lace": None if lace_key < 0 else lace_key, "charlson_1987": charlson}, rule
        )
        rows.append((lace_key, charlson, result.tier, result.explanation))
    return pl.DataFrame(
        rows,
        schema={
            "lace_key": _INT,
            "charlson_1987": _INT,
            "tier": pl.String,
            "tier_explanation": pl.String,
        },
        orient="row",
    )


# --- one chunk -----------------------------------------------------------------------------


def _in_range(lower: Any, upper: Any, id_type: pl.DataType, first: bool) -> pl.Expr:
    """``lower <= member_id < upper`` (open ends when None); the first chunk takes null ids."""
    column = pl.col(ID)
    expr = pl.lit(True)
    if lower is not None:
        expr = expr & (column >= pl.lit(lower, dtype=id_type))
    if upper is not None:
        expr = expr & (column < pl.lit(upper, dtype=id_type))
    return (expr | column.is_null()) if first else expr


# Length of stay in days: discharge date - admission date (a same-day stay is 0; spec 7.1).
_LENGTH_OF_STAY: Final = (pl.col("discharge") - pl.col("admit")).dt.total_days().cast(_INT)


def _sum(frame: pl.DataFrame, column: str) -> int:
    """Sum of an integer or boolean column as a Python int (0 for an empty frame)."""
    value = frame.get_column(column).cast(pl.Int64).sum()
    return int(value or 0)


def _age(as_of: date) -> pl.Expr:
    birth = pl.col("birth_date")
    before_birthday = (birth.dt.month().cast(_INT) * 100 + birth.dt.day().cast(_INT)) > (
        as_of.month * 100 + as_of.day
    )
    age = pl.lit(as_of.year, dtype=_INT) - birth.dt.year().cast(_INT) - before_birthday.cast(_INT)
    return pl.when(age.is_between(0, AGE_MAX)).then(age).otherwise(None).cast(_INT)


def _score_chunk(
    m: pl.LazyFrame,
    d: pl.LazyFrame,
    e: pl.LazyFrame,
    in_chunk: pl.Expr,
    as_of: date,
    rule: TierRule,
    bits: pl.DataFrame,
    tally: _Tally,
) -> pl.DataFrame:
    members = (
        m.filter(in_chunk)
        .with_columns(_age(as_of).alias("age"))
        .select(ID, "age")
        .collect(engine="streaming")
        .sort(ID)  # output order; every join below keeps the left (member) order
    )

    # Diagnoses: join each row to its code's bit, then one OR per member.
    # Diagnoses: one streaming pass joins each row to its code's bit and ORs them per member;
    # the rows themselves are never materialised.
    per_member = (
        d.filter(in_chunk)
        .join(bits.lazy(), on="code", how="left")
        .group_by(ID)
        .agg(
            pl.len().alias("rows"),
            (~pl.col("active")).sum().alias("inactive"),
            (pl.col("active") & pl.col("bit").is_null()).sum().alias("invalid"),
            pl.when(pl.col("active")).then(pl.col("bit")).bitwise_or().alias("mask"),
        )
        .collect(engine="streaming")
    )
    known = per_member.join(members.select(ID), on=ID, how="semi")
    read, known_rows = _sum(per_member, "rows"), _sum(known, "rows")
    inactive, invalid = _sum(known, "inactive"), _sum(known, "invalid")
    tally.add("diagnoses_read", read)
    tally.add("unknown_member_diagnoses", read - known_rows)
    tally.add("inactive_diagnoses", inactive)
    tally.add("invalid_codes_skipped", invalid)
    tally.add("diagnoses_used", known_rows - inactive - invalid)

    # Encounters: the latest usable stay, and the ED visits in the 6 months before it.
    enc = e.filter(in_chunk).collect(engine="streaming")
    enc_known = enc.filter(pl.col(ID).is_in(members.get_column(ID).implode()))
    stay_ok = (
        (pl.col("type") == "inpatient")
        & pl.col("admit").is_not_null()
        & pl.col("discharge").is_not_null()
        & (pl.col("discharge") >= pl.col("admit"))
        & (pl.col("discharge") <= as_of)
    )
    ed_ok = (pl.col("type") == "ed") & pl.col("admit").is_not_null()
    stays = enc_known.filter(stay_ok)
    ed = enc_known.filter(ed_ok).select(ID, pl.col("admit").alias("ed_date"))
    tally.add("encounters_read", enc.height)
    tally.add("unknown_member_encounters", enc.height - enc_known.height)
    tally.add("inpatient_stays", stays.height)
    tally.add("ed_visits", ed.height)
    tally.add("encounters_ignored", enc_known.height - stays.height - ed.height)
    del enc, enc_known
    latest = (
        stays.sort(
            [ID, "discharge", "admit", pl.col("acute").cast(pl.Int8).fill_null(-1)],
            maintain_order=True,
        )
        .group_by(ID, maintain_order=True)
        .last()
        .select(
            ID,
            pl.col("admit").alias("latest_admit_date"),
            pl.col("discharge").alias("latest_discharge_date"),
            _LENGTH_OF_STAY.alias("length_of_stay_days"),
            pl.col("acute").alias("acute_admission"),
        )
    )
    ed_counts = (
        latest.select(ID, "latest_admit_date")
        .join(ed, on=ID, how="inner")
        .filter(
            (pl.col("ed_date") >= pl.col("latest_admit_date").dt.offset_by("-6mo"))
            & (pl.col("ed_date") < pl.col("latest_admit_date"))
        )
        .group_by(ID)
        .agg(pl.len().cast(_INT).alias("ed_visits_6mo"))
    )
    latest = latest.join(ed_counts, on=ID, how="left").with_columns(
        pl.col("ed_visits_6mo").fill_null(0)
    )

    frame = (
        members.join(per_member.select(ID, "mask"), on=ID, how="left", maintain_order="left")
        .with_columns(pl.col("mask").fill_null(0).cast(_INT))
        .join(latest, on=ID, how="left", maintain_order="left")
    )
    charlson = _charlson_table(frame.get_column("mask").unique())
    frame = frame.join(charlson, on="mask", how="left", maintain_order="left")
    frame = frame.join(_AGE_POINTS, on="age", how="left", maintain_order="left").with_columns(
        (pl.col("charlson_1987") + pl.col("age_points")).alias("charlson_1987_age_adjusted")
    )

    # LACE only where the latest stay is complete (a known acute flag).
    frame = frame.with_columns(
        pl.col("length_of_stay_days").clip(upper_bound=_LOS_CAP).alias("k_los"),
        pl.col("acute_admission").alias("k_acute"),
        pl.col("charlson_1987").clip(upper_bound=_CHARLSON_CAP).alias("k_charlson"),
        pl.col("ed_visits_6mo").clip(upper_bound=_ED_CAP).alias("k_ed"),
    )
    lace_keys = frame.select(_LACE_KEYS).drop_nulls().unique()
    lace = _lace_table(lace_keys)
    frame = frame.join(lace, on=list(_LACE_KEYS), how="left", maintain_order="left")
    counts = frame.select(
        pl.col("lace_total").is_not_null().sum().alias("with_lace"),
        (pl.col("latest_discharge_date").is_not_null() & pl.col("acute_admission").is_null())
        .sum()
        .alias("incomplete"),
    )
    tally.add("members_with_lace", _sum(counts, "with_lace"))
    tally.add("lace_incomplete", _sum(counts, "incomplete"))

    frame = frame.with_columns(pl.col("lace_total").fill_null(-1).alias("lace_key"))
    tier_keys = frame.select("lace_key", "charlson_1987").unique()
    tiers = _tier_table(tier_keys, rule)
    keys = ["lace_key", "charlson_1987"]
    frame = frame.join(tiers, on=keys, how="left", maintain_order="left")

    out = frame.select(OUTPUT_COLUMNS)
    tally.add("members", out.height)
    tally.add("unknown_ages", out.get_column("age").null_count())
    for score in ("charlson_1987", "quan_2011", "charlson_1987_age_adjusted", "lace_total"):
        column = out.get_column(score)
        tally.sums[score] = tally.sums.get(score, 0) + _sum(out, score)
        tally.present[score] = tally.present.get(score, 0) + column.len() - column.null_count()
    for tier, count in out.get_column("tier").value_counts().iter_rows():
        tally.tiers[tier] = tally.tiers.get(tier, 0) + int(count)
    return out


# --- the whole run -------------------------------------------------------------------------


def _boundaries(m: pl.LazyFrame, path: Path, chunk_members: int) -> tuple[int, list[Any]]:
    """Member count and the first id of every chunk after the first (sorted ids)."""
    ids = m.select(ID).collect(engine="streaming").get_column(ID)
    if ids.null_count():
        raise ValueError(f"{path}: {ids.null_count()} member(s) without a member_id")
    duplicated = ids.filter(ids.is_duplicated()).unique()
    if duplicated.len():
        sample = ", ".join(map(str, duplicated.head(5).to_list()))
        raise ValueError(f"{path}: {duplicated.len()} duplicated member_id(s), e.g. {sample}")
    ordered = ids.sort()
    starts = list(range(chunk_members, ordered.len(), chunk_members))
    return ordered.len(), [ordered[i] for i in starts]


def _write(frame: pl.LazyFrame, target: Path) -> None:
    if target.suffix.lower() == ".csv":
        frame.sink_csv(target, engine="streaming")
    else:
        frame.sink_parquet(target, engine="streaming")


def stratify_population(
    members: Path,
    diagnoses: Path,
    encounters: Path,
    output: Path,
    *,
    as_of: date,
    chunk_members: int = 250_000,
    progress: Callable[[int, int], None] | None = None,
    rule: TierRule = DEFAULT_RULE,
) -> PopulationSummary:
    """Score every member of ``members`` on ``as_of`` and write one row each to ``output``.

    ``progress(done, total)`` is called after each chunk with member counts. ``rule`` is the
    tiering rule (``DEFAULT_RULE`` unless a program has its own). See the module docstring
    for the file formats and the decisions on dirty data.
    """
    started = time.perf_counter()
    if chunk_members < 1:
        raise ValueError("chunk_members must be at least 1")
    if output.suffix.lower() not in (".csv", ".parquet"):
        raise ValueError(f"{output}: unsupported output type (use .csv or .parquet)")
    validate_rule(rule)
    members, diagnoses, encounters, output = map(Path, (members, diagnoses, encounters, output))
    m, d, e, id_type = _prepare(members, diagnoses, encounters, as_of)
    total, starts = _boundaries(m, members, chunk_members)
    chunks = len(starts) + 1
    bounds = list(zip([None, *starts], [*starts, None], strict=True))

    tally = _Tally()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".stratify-") as tmp:
        workdir = Path(tmp)
        staged_inputs = {"m": (members, m), "d": (diagnoses, d), "e": (encounters, e)}
        with _staged(staged_inputs, workdir, chunks) as staged:
            bits = _code_table(staged["d"])
            parts: list[Path] = []
            for index, (lower, upper) in enumerate(bounds):
                in_chunk = _in_range(lower, upper, id_type, first=index == 0)
                scored = _score_chunk(
                    staged["m"], staged["d"], staged["e"], in_chunk, as_of, rule, bits, tally
                )
                part = workdir / f"part-{index:05d}.parquet"
                # Uncompressed: the part is read back once, right away, and encoding twice
                # would cost more than the disk it saves.
                scored.write_parquet(part, compression="uncompressed", statistics=False)
                parts.append(part)
                del scored
                if progress is not None:
                    progress(tally.get("members"), total)
            # Written beside the output, then renamed: a reader never sees a half-written file.
            partial = workdir / f"output{output.suffix.lower()}"
            _write(pl.scan_parquet(parts), partial)
            os.replace(partial, output)

    means: dict[str, float | None] = {
        score: (tally.sums[score] / tally.present[score]) if tally.present.get(score) else None
        for score in ("charlson_1987", "quan_2011", "charlson_1987_age_adjusted", "lace_total")
    }
    return PopulationSummary(
        members=tally.get("members"),
        diagnoses_read=tally.get("diagnoses_read"),
        diagnoses_used=tally.get("diagnoses_used"),
        invalid_codes_skipped=tally.get("invalid_codes_skipped"),
        inactive_diagnoses=tally.get("inactive_diagnoses"),
        unknown_member_diagnoses=tally.get("unknown_member_diagnoses"),
        encounters_read=tally.get("encounters_read"),
        inpatient_stays=tally.get("inpatient_stays"),
        ed_visits=tally.get("ed_visits"),
        encounters_ignored=tally.get("encounters_ignored"),
        unknown_member_encounters=tally.get("unknown_member_encounters"),
        members_with_lace=tally.get("members_with_lace"),
        lace_incomplete=tally.get("lace_incomplete"),
        unknown_ages=tally.get("unknown_ages"),
        tiers=dict(tally.tiers),
        mean_scores=means,
        chunks=chunks,
        elapsed_seconds=time.perf_counter() - started,
    )
