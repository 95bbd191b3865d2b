"""Benchmark: project identity across years against the synthetic corpus's ground truth.

    uv run python benchmarks/identity_quality.py [--departments 40] [--years 2019-2024]

Generates a corpus with `yusuan synth`, runs the job, and compares, for every pair of printed
project tables of one department (all document versions), whether the warehouse gives them the
same `project_key` and whether the truth gives them the same project. Prints pair precision and
recall, and the same for document versions (which document supersedes which).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import duckdb

BIN = Path(sys.executable).parent


def pairs(groups: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--years", default="2019-2024")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, home = Path(tmp) / "corpus", Path(tmp) / "home"
        subprocess.run(
            [
                str(BIN / "yusuan"),
                "synth",
                "--departments",
                str(args.departments),
                "--years",
                args.years,
                "--seed",
                str(args.seed),
                "--out",
                str(corpus),
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                str(BIN / "yusuan"),
                "run",
                "--sources",
                str(corpus / "sources.yaml"),
                "--home",
                str(home),
            ],
            check=False,
            capture_output=True,
        )
        truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
        con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
        keys = {
            (url, ordinal): key
            for url, ordinal, key in con.execute("""
            select d.url, p.table_ordinal, p.project_key
            from intermediate.int_projects p join marts.dim_document d using (document_key)
        """).fetchall()
        }
        supersedes = dict(
            con.execute("""select d.url, s.url from marts.dim_document d
            join marts.dim_document s on s.document_key = d.supersedes_document_key""").fetchall()
        )
        con.close()
    both, found, true = Counter(), Counter(), Counter()
    missing = 0
    for document in truth["documents"]:
        url = (corpus / document["path"]).as_uri()
        department = json.dumps(document["department"], sort_keys=True, ensure_ascii=False)
        for table in document["tables"]:
            key = keys.get((url, table["ordinal"]))
            if key is None:
                missing += 1
                continue
            found[key] += 1
            true[(department, table["project_id"])] += 1
            both[(key, department, table["project_id"])] += 1
    tp, predicted, actual = pairs(both), pairs(found), pairs(true)
    print(
        f"documents {len(truth['documents'])}, printed tables {sum(found.values())}, "
        f"not found {missing}"
    )
    print(f"projects: warehouse {len(found)}, truth {len(true)}")
    print(
        f"pair precision {tp / predicted if predicted else 1:.4f}  "
        f"recall {tp / actual if actual else 1:.4f}  ({tp} of {predicted} predicted, "
        f"{actual} true pairs)"
    )
    expected = {
        (corpus / d["path"]).as_uri(): (corpus / d["supersedes"]).as_uri()
        for d in truth["documents"]
        if d.get("supersedes")
    }
    right = sum(supersedes.get(url) == old for url, old in expected.items())
    print(
        f"versions: {right} of {len(expected)} re-publications supersede the right document, "
        f"{len(supersedes) - right} wrong"
    )


if __name__ == "__main__":
    main()
