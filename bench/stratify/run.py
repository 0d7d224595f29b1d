"""Benchmark ``casework.risk.population`` against comorbidipy and pycomorb.

What it does, in order:

1. generates a seeded population with ``generate.py`` into a cache directory (once per size
   and seed; ``--members 20000`` for a quick check, default 1,000,000);
2. makes a virtualenv per peer under the cache directory and pip-installs it there:
   comorbidipy in Python 3.13 (0.7 and later need >= 3.13; on 3.11 pip would pick 0.5.0),
   pycomorb in the interpreter running this script; the versions measured are reported;
3. runs each implementation ``--repeat`` times, interleaved, each run in its own process
   under ``/usr/bin/time -v`` (or, without it, a wrapper reading
   ``getrusage(RUSAGE_CHILDREN).ru_maxrss``), and takes the median wall time (the whole
   process: interpreter start, imports, reading Parquet, scoring, writing Parquet) and the
   median peak RSS. Ours runs twice: the full job (Charlson + LACE + tier, with 3M
   encounters) and Charlson only (an empty encounters file), which is what the peers do;
4. checks a random sample of our output member by member against the rule library
   (``casework.rules.evaluate`` and ``tiering.stratify``), then compares every member's
   Charlson 1987, Quan 2011 and age-adjusted 1987 scores with each peer's, and explains each
   disagreement by its known cause (comorbidipy: HIV/AIDS weighted 2 under Quan 2011, codes
   not normalised - dotted 4-character prefixes, lower case, padding; pycomorb: its
   age-adjusted column adds age points under Quan weights too).

The peers get the same rows ours uses: the diagnoses active on ``as_of`` (filtered with the
same rule) joined to each member's age; that harness work is inside their timed process, as
reading and filtering is inside ours. Not part of the test suite.

Usage: ``python bench/stratify/run.py [--members N] [--repeat K] [--skip-peers]``.
Only the standard library is imported at module level, because the peers' virtualenvs run
this same file (``_peer`` subcommand) with their own interpreter.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SRC = REPO / "src"
AS_OF = date(2025, 6, 30)  # generate.AS_OF; repeated so the peers need not import it
SCORES = ("charlson_1987", "quan_2011", "charlson_1987_age_adjusted")


# --- children: one process per measured run ------------------------------------------------


def _age_expr(as_of: date) -> Any:
    """Whole years on ``as_of`` (same rule as casework.risk.population), for the peers."""
    import polars as pl

    birth = pl.col("birth_date")
    before = (birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)) > (
        as_of.month * 100 + as_of.day
    )
    age = as_of.year - birth.dt.year().cast(pl.Int32) - before.cast(pl.Int32)
    return pl.when(age.is_between(0, 130)).then(age).otherwise(None).alias("age")


def _active_rows(data: Path, as_of: date) -> Any:
    """Diagnoses active on ``as_of`` with the member's age: what every implementation scores."""
    import polars as pl

    members = pl.scan_parquet(data / "members.parquet").select("member_id", _age_expr(as_of))
    onset, abatement = pl.col("onset_date"), pl.col("abatement_date")
    return (
        pl.scan_parquet(data / "diagnoses.parquet")
        .filter((onset.is_null() | (onset <= as_of)) & (abatement.is_null() | (abatement > as_of)))
        .select("member_id", "icd10_code")
        .join(members, on="member_id", how="inner")
    )


def child_ours(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(SRC))
    from dataclasses import asdict

    import polars as pl

    import casework
    from casework.risk.population import stratify_population

    data = Path(args.data)
    summary = stratify_population(
        data / "members.parquet",
        data / "diagnoses.parquet",
        Path(args.encounters),
        Path(args.out),
        as_of=date.fromisoformat(args.as_of),
        chunk_members=args.chunk_members,
    )
    result = {
        "seconds": summary.elapsed_seconds,
        "summary": asdict(summary),
        "version": f"casework {casework.__version__}",
        "polars": pl.__version__,
        "python": platform.python_version(),
    }
    print(json.dumps(result))


def child_peer(args: argparse.Namespace) -> None:
    from importlib.metadata import version

    import polars as pl

    started = time.perf_counter()
    rows = _active_rows(Path(args.data), date.fromisoformat(args.as_of)).collect()
    if args.peer == "comorbidipy":
        from comorbidipy import (  # type: ignore[import-not-found]
            ICDVersion,
            MappingVariant,
            ScoreType,
            WeightingVariant,
            comorbidity,
        )

        common = {
            "id_col": "member_id",
            "code_col": "icd10_code",
            "score": ScoreType.CHARLSON,
            "icd": ICDVersion.ICD10,
            "variant": MappingVariant.QUAN,
        }
        c1987 = comorbidity(rows, age_col="age", weighting=WeightingVariant.CHARLSON, **common)
        quan = comorbidity(rows, age_col=None, weighting=WeightingVariant.QUAN, **common)
        out = c1987.select(
            "member_id",
            pl.col("comorbidity_score").cast(pl.Int64).alias("charlson_1987"),
            pl.col("age_adj_comorbidity_score").cast(pl.Int64).alias("charlson_1987_age_adjusted"),
        ).join(
            quan.select("member_id", pl.col("comorbidity_score").cast(pl.Int64).alias("quan_2011")),
            on="member_id",
            how="full",
            coalesce=True,
        )
    else:
        from pycomorb import CharlsonComorbidityIndex  # type: ignore[import-not-found]

        common = {
            "id_col": "member_id",
            "code_col": "icd10_code",
            "age_col": "age",
            "icd_version": "icd10",
            "implementation": "quan",
        }
        c1987 = CharlsonComorbidityIndex(rows, weights="charlson", **common)
        quan = CharlsonComorbidityIndex(rows, weights="quan", **common)
        score, adjusted = "Charlson Comorbidity Index", "Charlson Age-Comorbidity Score"
        out = c1987.select(
            "member_id",
            pl.col(score).cast(pl.Int64).alias("charlson_1987"),
            pl.col(adjusted).cast(pl.Int64).alias("charlson_1987_age_adjusted"),
        ).join(
            quan.select(
                "member_id",
                pl.col(score).cast(pl.Int64).alias("quan_2011"),
                pl.col(adjusted).cast(pl.Int64).alias("quan_age_adjusted"),
            ),
            on="member_id",
            how="full",
            coalesce=True,
        )
    out.write_parquet(args.out)
    result = {
        "seconds": time.perf_counter() - started,
        "version": f"{args.peer} {version(args.peer)}",
        "polars": pl.__version__,
        "python": platform.python_version(),
    }
    print(json.dumps(result))


def child_rusage(command: list[str]) -> None:
    """Run ``command`` and report its peak RSS the way ``/usr/bin/time -v`` does."""
    import resource

    code = subprocess.run(command, check=False).returncode
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(f"Maximum resident set size (kbytes): {peak}", file=sys.stderr)
    sys.exit(code)


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Runs:
    name: str
    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak(self) -> float:
        return statistics.median(self.peaks)


def measure(command: list[str], runs: Runs) -> None:
    if Path("/usr/bin/time").exists():
        wrapped = ["/usr/bin/time", "-v", *command]
    else:
        wrapped = [sys.executable, __file__, "_rusage", *command]
    started = time.perf_counter()
    proc = subprocess.run(wrapped, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"{runs.name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    assert peak is not None, proc.stderr
    runs.walls.append(wall)
    runs.peaks.append(int(peak.group(1)) / 1024)
    runs.info = json.loads(proc.stdout.strip().splitlines()[-1])


def find_python(version: str, explicit: str | None) -> str | None:
    """A working ``python<version>`` (pyenv shims may exist without the version selected)."""
    pattern = os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")
    candidates = [explicit] if explicit else [f"python{version}", *sorted(glob.glob(pattern))]
    for candidate in candidates:
        found = shutil.which(candidate) if candidate else None
        if not found:
            continue
        check = subprocess.run(
            [found, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode == 0 and check.stdout.strip() == version:
            return found
    return None


def ensure_venv(cache: Path, name: str, python: str) -> Path:
    """``cache/venv-NAME`` with NAME pip-installed (latest release for that interpreter)."""
    venv = cache / f"venv-{name}"
    interpreter = venv / "bin" / "python"
    if not interpreter.exists():
        print(f"creating {venv} with {python} and installing {name} ...", flush=True)
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        # pip's output goes to a log: it is noise unless the install fails.
        log = cache / f"pip-{name}.log"
        with log.open("w") as handle:
            install = [str(interpreter), "-m", "pip", "install", name]
            if subprocess.run(install, stdout=handle, stderr=subprocess.STDOUT).returncode:
                shutil.rmtree(venv)
                raise RuntimeError(f"pip install {name} failed; see {log}")
    return interpreter


# --- checking ------------------------------------------------------------------------------


def _minus_months(day: date, months: int) -> date:
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def verify_sample(data: Path, output: Path, as_of: date, size: int, seed: int) -> tuple[int, int]:
    """Members of our output that equal the rule library, scored one at a time."""
    sys.path.insert(0, str(SRC))
    import polars as pl

    from casework.risk.tiering import stratify
    from casework.rules import evaluate
    from casework.rules.charlson import normalize_code

    ours = pl.read_parquet(output)
    ids = ours.get_column("member_id").sample(min(size, ours.height), seed=seed)
    wanted = pl.col("member_id").is_in(ids.implode())
    members = pl.read_parquet(data / "members.parquet").filter(wanted)
    dx = pl.read_parquet(data / "diagnoses.parquet").filter(wanted)
    enc = pl.read_parquet(data / "encounters.parquet").filter(wanted)
    codes: dict[int, list[str]] = {}
    for row in dx.iter_rows(named=True):
        onset, abatement = row["onset_date"], row["abatement_date"]
        if (onset is None or onset <= as_of) and (abatement is None or abatement > as_of):
            if row["icd10_code"] is not None and normalize_code(row["icd10_code"]) is not None:
                codes.setdefault(row["member_id"], []).append(row["icd10_code"])
    stays: dict[int, list[dict[str, Any]]] = {}
    eds: dict[int, list[date]] = {}
    for row in enc.iter_rows(named=True):
        if row["encounter_type"] == "ed" and row["admit_date"] is not None:
            eds.setdefault(row["member_id"], []).append(row["admit_date"])
        elif row["encounter_type"] == "inpatient" and row["discharge_date"] is not None:
            if row["admit_date"] <= row["discharge_date"] <= as_of:
                stays.setdefault(row["member_id"], []).append(row)
    got = {row["member_id"]: row for row in ours.filter(wanted).iter_rows(named=True)}
    same = 0
    for member in members.iter_rows(named=True):
        member_id, birth = member["member_id"], member["birth_date"]
        age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
        charlson = evaluate("charlson_icd10", {"codes": codes.get(member_id, []), "age": age})
        lace: dict[str, Any] = {"total": None, "risk": None}
        if member_id in stays:
            latest = max(
                stays[member_id],
                key=lambda s: (
                    s["discharge_date"],
                    s["admit_date"],
                    -1 if s["acute"] is None else int(s["acute"]),
                ),
            )
            if latest["acute"] is not None:
                admit, start = latest["admit_date"], _minus_months(latest["admit_date"], 6)
                lace = evaluate(
                    "lace",
                    {
                        "length_of_stay_days": (latest["discharge_date"] - admit).days,
                        "acute_admission": latest["acute"],
                        "charlson_score": charlson["charlson_1987"],
                        "ed_visits_6mo": sum(start <= d < admit for d in eds.get(member_id, [])),
                    },
                )
        tier = stratify({"lace": lace["total"], "charlson_1987": charlson["charlson_1987"]})
        want = {
            "conditions": ";".join(charlson["conditions"]),
            **{k: charlson[k] for k in (*SCORES, "age_points")},
            "lace_total": lace["total"],
            "lace_risk": lace["risk"],
            "tier": tier.tier,
            "tier_explanation": tier.explanation,
        }
        same += all(got[member_id][k] == v for k, v in want.items())
    return same, members.height


def explain(data: Path, ours_out: Path, peer_out: Path, peer: str, as_of: date) -> dict[str, Any]:
    """Agreement per score and, for each disagreement, its known cause."""
    sys.path.insert(0, str(SRC))
    import polars as pl

    from casework.rules.charlson import (
        CONDITIONS,
        PREFIX_TO_CONDITION,
        WEIGHTS_QUAN_2011,
        apply_hierarchy,
    )

    ours = pl.read_parquet(ours_out).select("member_id", "conditions", "age_points", *SCORES)
    theirs = pl.read_parquet(peer_out)
    both = ours.join(theirs, on="member_id", how="inner", suffix="_peer")
    absent = ours.join(theirs, on="member_id", how="anti")
    result: dict[str, Any] = {
        "members_compared": both.height,
        "absent": absent.height,
        # A peer cannot list a member it has no rows for; ours must score such members 0.
        "absent_scored_zero_by_ours": absent.filter(
            (pl.col("charlson_1987") == 0) & (pl.col("quan_2011") == 0)
        ).height,
    }
    for score in SCORES:
        equal = both.select(pl.col(score).eq_missing(pl.col(f"{score}_peer")).sum()).item()
        result[score] = equal / both.height if both.height else None
    causes: dict[str, int] = {}
    if peer == "comorbidipy":
        # comorbidipy matches the raw code with str.startswith: no strip, upper-case or dot
        # removal. Model that on each distinct spelling to see which members it changes.
        rows = _active_rows(data, as_of).select("member_id", "icd10_code").collect()
        bit = {key: 1 << i for i, key in enumerate(CONDITIONS)}
        prefixes = sorted(PREFIX_TO_CONDITION)
        raw_bits = {
            code: next((bit[PREFIX_TO_CONDITION[p]] for p in prefixes if code.startswith(p)), 0)
            for code in rows.get_column("icd10_code").drop_nulls().unique().to_list()
        }
        seen = (
            rows.with_columns(
                pl.col("icd10_code")
                .replace_strict(raw_bits, default=0, return_dtype=pl.Int32)
                .alias("bit")
            )
            .group_by("member_id")
            .agg(pl.col("bit").bitwise_or().alias("mask"))
        )
        seen_conditions = {
            mask: ";".join(apply_hierarchy(k for k, b in bit.items() if mask & b))
            for mask in seen.get_column("mask").unique().to_list()
        }
        seen = seen.with_columns(
            pl.col("mask").replace_strict(seen_conditions, return_dtype=pl.String).alias("seen")
        )
        wrong = both.join(seen.select("member_id", "seen"), on="member_id", how="left")
        for score in SCORES:
            bad = wrong.filter(~pl.col(score).eq_missing(pl.col(f"{score}_peer")))
            spelling = bad.filter(pl.col("seen").fill_null("") != pl.col("conditions"))
            rest = bad.filter(pl.col("seen").fill_null("") == pl.col("conditions"))
            hiv = rest.filter(
                pl.col("conditions").str.contains("hiv_aids")
                & (pl.col(score) - pl.col(f"{score}_peer") == WEIGHTS_QUAN_2011["hiv_aids"] - 2)
            )
            causes[f"{score}: codes not normalised (dot, case, padding)"] = spelling.height
            if score == "quan_2011":
                causes[f"{score}: HIV/AIDS weighted 2, not 4"] = hiv.height
                causes[f"{score}: unexplained"] = rest.height - hiv.height
            else:
                causes[f"{score}: unexplained"] = rest.height
    else:
        for score in SCORES:
            differ = both.filter(~pl.col(score).eq_missing(pl.col(f"{score}_peer")))
            causes[f"{score}: unexplained"] = differ.height
        quirk = both.filter(pl.col("quan_age_adjusted") != pl.col("quan_2011"))
        explained = quirk.filter(
            pl.col("quan_age_adjusted") == pl.col("quan_2011") + pl.col("age_points")
        )
        causes["'Charlson Age-Comorbidity Score' under weights='quan' != quan_2011"] = quirk.height
        causes["... of which = quan_2011 + age points (spec: Quan 2011 has no age part)"] = (
            explained.height
        )
    result["causes"] = causes
    return result


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_rusage":
        child_rusage(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    ours = sub.add_parser("_ours")
    ours.add_argument("--data", required=True)
    ours.add_argument("--encounters", required=True)
    ours.add_argument("--out", required=True)
    ours.add_argument("--as-of", required=True)
    ours.add_argument("--chunk-members", type=int, required=True)
    peer = sub.add_parser("_peer")
    peer.add_argument("peer", choices=["comorbidipy", "pycomorb"])
    peer.add_argument("--data", required=True)
    peer.add_argument("--out", required=True)
    peer.add_argument("--as-of", required=True)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-members", type=int, default=250_000)
    parser.add_argument("--sample", type=int, default=2_000, help="members checked vs rules")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--python313", help="path of a Python 3.13 for comorbidipy")
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    parser.add_argument("--cache-dir", type=Path, default=default_cache / "casework-bench")
    args = parser.parse_args()
    if args.command == "_ours":
        child_ours(args)
        return
    if args.command == "_peer":
        child_peer(args)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    import polars as pl

    cache: Path = args.cache_dir
    data = cache / f"population-n{args.members}-s{args.seed}"
    if not (data / "manifest.json").exists():
        print(f"generating {args.members:,} members into {data} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                "--members",
                str(args.members),
                "--seed",
                str(args.seed),
                "--out",
                str(data),
            ],
            check=True,
        )
    manifest = json.loads((data / "manifest.json").read_text())
    as_of = manifest["as_of"]
    empty = data / "encounters-empty.parquet"
    if not empty.exists():
        schema = pl.read_parquet_schema(data / "encounters.parquet")
        pl.DataFrame(schema=schema).write_parquet(empty)
    results = cache / f"results-n{args.members}-s{args.seed}"
    results.mkdir(parents=True, exist_ok=True)

    env_note = f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start"
    commands: dict[str, list[str]] = {}
    me = [sys.executable, str(Path(__file__).resolve())]
    for name, encounters in (("ours", data / "encounters.parquet"), ("ours-charlson", empty)):
        commands[name] = [
            *me,
            "_ours",
            "--data",
            str(data),
            "--encounters",
            str(encounters),
            "--out",
            str(results / f"{name}.parquet"),
            "--as-of",
            as_of,
            "--chunk-members",
            str(args.chunk_members),
        ]
    skipped: dict[str, str] = {}
    if not args.skip_peers:
        py313 = find_python("3.13", args.python313)
        peers = {"comorbidipy": py313, "pycomorb": sys.executable}
        for name, python in peers.items():
            if python is None:
                skipped[name] = "no Python 3.13 found (give --python313)"
                continue
            interpreter = ensure_venv(cache, name, python)
            commands[name] = [
                str(interpreter),
                str(Path(__file__).resolve()),
                "_peer",
                name,
                "--data",
                str(data),
                "--out",
                str(results / f"{name}.parquet"),
                "--as-of",
                as_of,
            ]

    runs = {name: Runs(name) for name in commands}
    for attempt in range(args.repeat):
        for name, command in commands.items():  # interleaved: load drifts hit all alike
            measure(command, runs[name])
            print(
                f"  run {attempt + 1}/{args.repeat} {name}: {runs[name].walls[-1]:.2f} s, "
                f"{runs[name].peaks[-1]:.0f} MiB",
                flush=True,
            )

    same, checked = verify_sample(
        data, results / "ours.parquet", date.fromisoformat(as_of), args.sample, args.seed
    )
    agreements = {
        name: explain(
            data,
            results / "ours.parquet",
            results / f"{name}.parquet",
            name,
            date.fromisoformat(as_of),
        )
        for name in commands
        if not name.startswith("ours")
    }

    full = pl.read_parquet(results / "ours.parquet").select("member_id", *SCORES)
    charlson_only = pl.read_parquet(results / "ours-charlson.parquet").select(full.columns)
    pairs = full.join(charlson_only, on="member_id", how="full", suffix="_c")
    charlson_only_same = pairs.select(
        pl.all_horizontal(pl.col(s).eq_missing(pl.col(f"{s}_c")) for s in SCORES).mean()
    ).item()
    base = runs["ours"].wall
    labels = {"ours": "ours: Charlson + LACE + tier", "ours-charlson": "ours: Charlson only"}
    print()
    print(
        f"{manifest['members']:,} members, {manifest['diagnoses']:,} diagnosis rows, "
        f"{manifest['encounters']:,} encounters; as of {as_of}; median of {args.repeat} "
        f"run(s); {env_note}"
    )
    header = ("implementation", "version", "wall s", "best s", "peak MiB", "× ours", "agreement")
    lines = [header]
    for name, measured in runs.items():
        info = measured.info
        version = f"{info['version']} (polars {info['polars']}, Python {info['python']})"
        if name in agreements:
            a = agreements[name]
            agreement = " / ".join(f"{a[s] * 100:.2f}%" for s in SCORES)
        elif name == "ours":
            agreement = f"rule library: {same}/{checked} sampled members identical"
        else:
            agreement = f"{charlson_only_same * 100:.2f}% same Charlson columns as the full run"
        lines.append(
            (
                labels.get(name, name),
                version,
                f"{measured.wall:.2f}",
                f"{min(measured.walls):.2f}",
                f"{measured.peak:,.0f}",
                f"{measured.wall / base:.2f}",
                agreement,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    print("wall s = median, best s = fastest run; × ours = median wall / ours (full) median")
    print("agreement = members with equal Charlson 1987 / Quan 2011 / 1987 age-adjusted")
    for name, reason in skipped.items():
        print(f"{name}: skipped, {reason}")
    for name, a in agreements.items():
        print(
            f"\n{name}: {a['members_compared']:,} members compared; {a['absent']:,} absent "
            "from its output (no active diagnosis row to list them by), of which "
            f"{a['absent_scored_zero_by_ours']:,} scored 0 by ours"
        )
        for cause, count in a["causes"].items():
            print(f"  {cause}: {count:,}")
    summary = runs["ours"].info["summary"]
    print(f"\nours: {json.dumps(summary)}")
    record = {
        "manifest": manifest,
        "environment": env_note,
        "runs": {n: {"walls": r.walls, "peaks_mib": r.peaks, **r.info} for n, r in runs.items()},
        "rule_library_sample": [same, checked],
        "agreement": agreements,
        "skipped": skipped,
    }
    (results / "results.json").write_text(json.dumps(record, indent=2, default=str) + "\n")
    print(f"\nresults: {results / 'results.json'}")


if __name__ == "__main__":
    main()
