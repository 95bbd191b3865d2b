"""A BI reader in a loop: `python reader.py WAREHOUSE LOG STOPFILE`.

Until STOPFILE exists, it opens WAREHOUSE read-only, reads which release answers
(`audit.release`) and the row counts that release promises (`audit.mart_rows`), counts every
mart's rows, and appends one JSON line to LOG: the release id and whether every count matched,
or the error it met.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def read_once(path: str) -> dict:
    con = duckdb.connect(path, read_only=True)
    try:
        (release_id,) = con.execute("select release_id from audit.release").fetchone()
        promised = dict(con.execute("select mart, row_count from audit.mart_rows").fetchall())
        counted = {
            mart: con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            for mart in promised
        }
    finally:
        con.close()
    return {"release_id": release_id, "complete": counted == promised, "marts": len(counted)}


def main(warehouse: str, log: str, stop: str) -> None:
    with open(log, "a", encoding="utf-8") as out:
        while not Path(stop).exists():
            try:
                answer = read_once(warehouse)
            except Exception as exc:  # every error is what the test looks for
                answer = {"error": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps(answer) + "\n")
            out.flush()
            time.sleep(0.02)


if __name__ == "__main__":
    main(*sys.argv[1:4])
