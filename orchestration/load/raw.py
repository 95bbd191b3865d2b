"""Build the staging warehouse's `raw` schema from the fetch log and the parsed records."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from orchestration.home import PROJECT_ROOT
from orchestration.load.schema import CONTRACT, Table, raw_tables
from orchestration.sources import Source

CONTRACT_FILE = CONTRACT.relative_to(PROJECT_ROOT)


class UndeclaredKey(ValueError):
    """A record carries a key its raw table does not declare in the contract."""


def create_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The `raw` schema's tables, created from the contract."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table in raw_tables().values():
        cols = ", ".join(f'"{field.name}" {field.type}' for field in table.fields)
        con.execute(f"CREATE OR REPLACE TABLE raw.{table.name} ({cols})")


def _check_keys(table: Table, rows: list[dict]) -> None:
    """Refuse a record key the table does not declare (each distinct key set checked once); a
    declared key a record lacks loads NULL."""
    checked: set[tuple[str, ...]] = set()
    for row in rows:
        keys = tuple(row)
        if keys in checked:
            continue
        if undeclared := [key for key in keys if key not in table.names]:
            document = row.get("document_key") or row.get("url")
            raise UndeclaredKey(
                f"raw.{table.name}: a record of document {document} has "
                f"{'keys' if len(undeclared) > 1 else 'key'} {', '.join(map(repr, undeclared))}, "
                f"which the table does not declare in {CONTRACT_FILE}"
            )
        checked.add(keys)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    import pandas as pd  # imported when there is something to load

    spec = raw_tables().get(table)
    if spec is None:
        document = rows[0].get("document_key")
        raise UndeclaredKey(f"no raw table {table!r} in {CONTRACT_FILE} (document {document})")
    _check_keys(spec, rows)
    names = [field.name for field in spec.fields]
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
        return {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in raw_tables()}
    finally:
        con.close()
