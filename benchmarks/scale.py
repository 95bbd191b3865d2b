"""Benchmark: the whole job on synthetic corpora of growing size, then re-runs.

    uv run python benchmarks/scale.py [--sizes 250,1000,4000] [--years 2019-2024]

For each size, generates a template A corpus with `yusuan synth` (departments x years ~= size
documents), then times `yusuan run` three times into a fresh home: the full run, a re-run with
nothing changed, and a run after 1% of the documents were re-published (their bytes changed).
Reports wall time, peak memory (largest process), documents per second and rows per mart.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

BIN = Path(sys.executable).parent
MAX_DEPARTMENTS = 384  # what `yusuan synth` can name
KEY_MARTS = [
    "dim_document",
    "dim_project",
    "fct_indicator_target",
    "fct_project_cost",
    "mart_project_cost_by_year",
]
MEASURE = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def timed_run(sources: Path, home: Path) -> tuple[float, float, str]:
    """(seconds, peak MB of the largest process, stdout) of one `yusuan run`."""
    start = time.perf_counter()
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            str(BIN / "yusuan"),
            "run",
            "--sources",
            str(sources),
            "--home",
            str(home),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"yusuan run failed:\n{process.stdout}\n{process.stderr}")
    peak_kb = int(process.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024, process.stdout


def mart_rows(home: Path) -> dict[str, int]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        return {
            m: con.execute(f"select count(*) from marts.{m}").fetchone()[0]
            for m in KEY_MARTS
            if m in tables
        }
    finally:
        con.close()


def republish(corpus: Path, fraction: float, seed: int = 1) -> int:
    files = sorted(p for p in (corpus / "documents").rglob("*") if p.is_file())
    chosen = random.Random(seed).sample(files, max(1, round(len(files) * fraction)))
    for path in chosen:
        if path.suffix == ".txt":
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        else:
            path.write_bytes(path.read_bytes() + b"\n")
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,1000,4000")
    parser.add_argument("--years", default="2019-2024")
    args = parser.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    years = last - first + 1
    print(f"{'size':>6}{'docs':>7}  {'run':<12}{'wall s':>8}{'peak MB':>9}{'docs/s':>8}  rows")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            corpus, home = Path(tmp) / "corpus", Path(tmp) / "home"
            span = max(years, -(-size // MAX_DEPARTMENTS))  # more years when departments run out
            departments = max(1, round(size / span))
            subprocess.run(
                [
                    str(BIN / "yusuan"),
                    "synth",
                    "--departments",
                    str(departments),
                    "--years",
                    f"{last - span + 1}-{last}",
                    "--seed",
                    "7",
                    "--out",
                    str(corpus),
                ],
                check=True,
                capture_output=True,
            )
            documents = sum(1 for p in (corpus / "documents").rglob("*") if p.is_file())
            for label in ("full", "unchanged", "1% changed"):
                if label == "1% changed":
                    republish(corpus, 0.01)
                seconds, peak, _ = timed_run(corpus / "sources.yaml", home)
                rows = mart_rows(home)
                results.append(
                    {
                        "size": size,
                        "documents": documents,
                        "run": label,
                        "seconds": round(seconds, 2),
                        "peak_mb": round(peak),
                        "rows": rows,
                    }
                )
                print(
                    f"{size:>6}{documents:>7}  {label:<12}{seconds:>8.1f}{peak:>9.0f}"
                    f"{documents / seconds:>8.1f}  "
                    + ", ".join(f"{k} {v}" for k, v in rows.items())
                )
            shutil.rmtree(home, ignore_errors=True)
    Path("benchmarks/scale-results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
