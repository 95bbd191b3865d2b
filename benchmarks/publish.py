"""Benchmark: how long publishing takes, for the bundled sample and a synthetic corpus.

    uv run python benchmarks/publish.py [--sizes 1000] [--repeat 3] [--postgres DSN]

For the sample and each size (a template A corpus from `yusuan synth`, about that many
documents over 2019-2024), builds a home with `yusuan run`, then times, on its audited staging
warehouse: a whole publish (release copy, Parquet + CSV exports, catalog, swap), the exports
alone, and the copy into PostgreSQL (the DSN given, else a throwaway server started from the
Debian package's binaries, as the tests do). Reports the median of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pgserver import bindir, create_database, postgres_server  # noqa: E402

from orchestration.export import export_marts, mart_tables  # noqa: E402
from orchestration.home import Home  # noqa: E402
from orchestration.postgres import publish_to_postgres  # noqa: E402
from orchestration.publish import publish  # noqa: E402

BIN = Path(sys.executable).parent
YEARS = (2019, 2024)


def build_home(sources: Path | None, home: Path) -> None:
    args = [str(BIN / "yusuan"), "run", "--home", str(home), "--quiet"]
    if sources:
        args += ["--sources", str(sources)]
    process = subprocess.run(args, capture_output=True, text=True)
    if process.returncode != 0:
        raise SystemExit(f"yusuan run failed:\n{process.stdout}\n{process.stderr}")


def synth(size: int, folder: Path) -> Path:
    departments = math.ceil(size / (YEARS[1] - YEARS[0] + 1))
    subprocess.run(
        [
            str(BIN / "yusuan"),
            "synth",
            "--departments",
            str(departments),
            "--years",
            f"{YEARS[0]}-{YEARS[1]}",
            "--out",
            str(folder),
        ],
        check=True,
        capture_output=True,
    )
    return folder / "sources.yaml"


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(name: str, home: Path, dsn: str | None, repeat: int) -> dict:
    build = home / "build" / "warehouse.duckdb"
    con = duckdb.connect(str(build), read_only=True)
    documents = con.execute("select count(*) from marts.dim_document").fetchone()[0]
    rows = sum(
        con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in mart_tables(con)
    )
    con.close()
    scratch = Home.at(home / "bench")
    row = {
        "corpus": name,
        "documents": documents,
        "warehouse MB": round(build.stat().st_size / 2**20, 1),
        "mart rows": rows,
        "publish s": median_seconds(
            lambda: publish(scratch, build, "benchmark", checks_report=None), repeat
        ),
    }
    exports = home / "exports"

    def export_once():
        shutil.rmtree(exports, ignore_errors=True)
        export_marts(scratch.warehouse, exports)

    row["of which exports s"] = median_seconds(export_once, repeat)
    if dsn:
        row["postgres s"] = median_seconds(
            lambda: publish_to_postgres(scratch.warehouse, dsn), repeat
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help="synthetic corpus sizes (documents)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", help="PostgreSQL DSN (default: a throwaway server)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.postgres:
        server = nullcontext(args.postgres)
    elif bindir():
        server = postgres_server()
    else:
        print("no PostgreSQL server binaries: the PostgreSQL copy is not measured")
        server = nullcontext(None)
    results = []
    with tempfile.TemporaryDirectory(prefix="yusuan-bench-") as tmp, server as dsn:
        work = Path(tmp)
        corpora = [("sample", None)] + [(f"synthetic {s}", s) for s in sizes]
        for name, size in corpora:
            home = work / name.replace(" ", "-")
            sources = synth(size, work / f"corpus-{size}") if size else None
            build_home(sources, home)
            target = create_database(dsn, f"bench_{size or 0}") if dsn else None
            results.append(measure(name, home, target, args.repeat))
            print(results[-1], flush=True)
    columns = list(results[0])
    print("\n| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in results:
        cells = [
            f"{v:.2f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else v
            for v in row.values()
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
