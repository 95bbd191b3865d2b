"""Exports of a release for BI tools: Parquet per mart, CSV per mart, a DuckDB catalog of views.

- `parquet/<mart>.parquet`: typed (DECIMAL money stays DECIMAL), zstd-compressed.
- `csv/<mart>.csv`: UTF-8 with a byte-order mark so that spreadsheet programs (Excel, WPS)
  read the Chinese text right; a header row; NULL as an empty field. A text cell that starts
  with `=`, `+`, `-`, `@`, a TAB or a CR, which Excel and WPS would run as a formula, gets a
  single quote `'` in front (`'=HYPERLINK(...)`); numeric columns (negative amounts too) and
  the Parquet and DuckDB files hold the values as they are.
- `catalog.duckdb`: a tiny DuckDB file whose `marts` views read the Parquet files, for tools
  that open DuckDB files but should not hold the whole warehouse.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

BOM = "\ufeff".encode()


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of schema `marts`, by name."""
    rows = con.execute(
        """select table_name from information_schema.tables
        where table_schema = 'marts' and table_type = 'BASE TABLE' order by table_name"""
    ).fetchall()
    return [name for (name,) in rows]


FORMULA = r"^[=+\-@\t\r]"  # text a spreadsheet would run as a formula


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _csv_query(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The rows of `marts.<table>` for its CSV file: a text cell that matches `FORMULA` gets a
    single quote in front."""
    columns = con.execute(
        """select column_name, data_type from information_schema.columns
        where table_schema = 'marts' and table_name = ? order by ordinal_position""",
        [table],
    ).fetchall()
    cells = []
    for name, kind in columns:
        column = _ident(name)
        if kind == "VARCHAR":
            column = (
                f"case when regexp_matches({column}, '{FORMULA}') "
                f"then chr(39) || {column} else {column} end as {column}"
            )
        cells.append(column)
    return f"select {', '.join(cells)} from marts.{_ident(table)}"


def _write_csv(con: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    raw = target.with_suffix(".nobom")
    con.execute(f"COPY ({_csv_query(con, table)}) TO {_quote(raw)} (FORMAT csv, HEADER true)")
    with open(target, "wb") as out, open(raw, "rb") as body:
        out.write(BOM)
        while chunk := body.read(1 << 20):
            out.write(chunk)
    raw.unlink()


def export_marts(warehouse: Path, folder: Path) -> list[str]:
    """Write every mart of `warehouse` to `folder/parquet/` and `folder/csv/`; returns them."""
    (folder / "parquet").mkdir(parents=True, exist_ok=True)
    (folder / "csv").mkdir(exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = mart_tables(con)
        for table in tables:
            parquet = folder / "parquet" / f"{table}.parquet"
            con.execute(
                f"COPY marts.{table} TO {_quote(parquet)} (FORMAT parquet, COMPRESSION zstd)"
            )
            _write_csv(con, table, folder / "csv" / f"{table}.csv")
    finally:
        con.close()
    return tables


def write_catalog(folder: Path, tables: list[str]) -> Path:
    """`folder/catalog.duckdb`: views `marts.<table>` over `folder/parquet/<table>.parquet`
    (absolute paths, checked when written: the Parquet files must be in place)."""
    path = folder / "catalog.duckdb"
    catalog = duckdb.connect(str(path))
    try:
        catalog.execute("CREATE SCHEMA marts")
        for table in tables:
            parquet = folder.resolve() / "parquet" / f"{table}.parquet"
            catalog.execute(
                f"CREATE VIEW marts.{table} AS SELECT * FROM read_parquet({_quote(parquet)})"
            )
    finally:
        catalog.close()
    return path
