"""Build the staging warehouse's `raw` schema from the fetch log and the parsed records."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from orchestration.load.schema import RAW_TABLES
from orchestration.sources import Source


def create_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, columns in RAW_TABLES.items():
        cols = ", ".join(f'"{name}" {kind}' for name, kind in columns)
        con.execute(f"CREATE OR REPLACE TABLE raw.{table} ({cols})")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    import pandas as pd  # imported when there is something to load

    names = [name for name, _ in RAW_TABLES[table]]
    frame = pd.DataFrame([[row.get(n) for n in names] for row in rows], columns=names, dtype=object)
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO raw.{table} SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


def load_raw(
    db_path: Path,
    sources: list[Source],
    attempts: list[dict],
    documents: Iterable[dict[str, list[dict]]],
    batch: int = 200,
) -> dict[str, int]:
    """(Re)create `raw` in a fresh database file and fill it. Returns row counts per table."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    try:
        create_raw_schema(con)
        _insert(
            con,
            "sources",
            [
                {
                    "source_name": s.name,
                    "kind": s.kind,
                    "province": s.province,
                    "prefecture": s.prefecture,
                    "county": s.county,
                    "location": s.location,
                }
                for s in sources
            ],
        )
        _insert(con, "fetch_log", attempts)
        pending: dict[str, list[dict]] = {}
        for count, records in enumerate(documents, start=1):
            for table, rows in records.items():
                pending.setdefault(table, []).extend(rows)
            if count % batch == 0:
                for table, rows in pending.items():
                    _insert(con, table, rows)
                pending.clear()
        for table, rows in pending.items():
            _insert(con, table, rows)
        return {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in RAW_TABLES}
    finally:
        con.close()
