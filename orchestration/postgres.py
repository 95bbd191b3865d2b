"""Publish the warehouse's `marts` and `audit` schemas to PostgreSQL for BI tools.

BI users read through the NOLOGIN role `yusuan_reader` (USAGE on both schemas, SELECT on every
table, granted again on each publish). Give each person a login that is a member of it:

    CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE yusuan_reader;

A publish is one transaction: the tables are loaded into `marts__incoming` / `audit__incoming`,
then the old schemas are dropped (with anything built on them: keep BI views elsewhere and
recreate them) and the incoming ones renamed. A reader's statement sees the whole old or the
whole new release; a failure anywhere leaves the previous copy as it was. A REPEATABLE READ
transaction that began before a publish and first touches the marts after it sees them empty.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
from psycopg2 import sql
from psycopg2.extensions import parse_dsn

SCHEMAS = ("marts", "audit")
INCOMING = "__incoming"
LOCK_TRY = "200ms"  # below deadlock_timeout (1 s): a reader waiting on us is never the victim
LOCK_WAIT_SECONDS = 600  # how long a publish waits for readers to release the old tables

SCALAR_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(39,0)",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "JSON": "jsonb",
}
DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")


class PostgresPublishError(Exception):
    """A publish that could not be done; the message says why (never with a password)."""


@dataclass(frozen=True)
class PostgresRelease:
    rows: dict[str, int]  # "schema.table" -> rows published
    seconds: float

    def lines(self) -> list[str]:
        lines = [f"{table}: {rows} rows" for table, rows in self.rows.items()]
        return [*lines, f"published to PostgreSQL in {self.seconds:.1f}s"]


@dataclass(frozen=True)
class Column:
    name: str
    pg_type: str
    select: str  # the DuckDB expression whose text PostgreSQL reads as pg_type


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: list[Column]

    @property
    def label(self) -> str:
        return f"{self.schema}.{self.name}"


def publish_to_postgres(
    warehouse: Path, dsn: str, reader_role: str = "yusuan_reader"
) -> PostgresRelease:
    """Replace the PostgreSQL schemas `marts` and `audit` with the warehouse's, in one commit."""
    start = time.monotonic()
    server = Server.parse(dsn)
    duck = _open_warehouse(Path(warehouse))
    try:
        tables = _tables(duck, Path(warehouse))
        pg = server.connect()
        try:
            with tempfile.TemporaryDirectory(prefix="yusuan-publish-") as tmp:
                rows = _publish(duck, pg, server, tables, reader_role, Path(tmp))
        finally:
            pg.close()  # uncommitted work is rolled back by the server
    finally:
        duck.close()
    return PostgresRelease(rows, time.monotonic() - start)


def postgres_release(dsn: str) -> str | None:
    """The release id that the PostgreSQL copy holds (`audit.release`), or None."""
    pg = Server.parse(dsn).connect()
    try:
        with pg.cursor() as cur:
            cur.execute("select to_regclass('audit.release') is not null")
            if not cur.fetchone()[0]:
                return None
            cur.execute("select release_id from audit.release")
            row = cur.fetchone()
            return row[0] if row else None
    finally:
        pg.close()


def _open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.is_file():
        raise PostgresPublishError(f"warehouse not found: {path}")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise PostgresPublishError(f"cannot open warehouse {path}: {exc}") from None


def _tables(duck: duckdb.DuckDBPyConnection, path: Path) -> list[Table]:
    columns = duck.execute(
        """select table_schema, table_name, column_name, data_type from information_schema.columns
        where table_catalog = current_database() and table_schema in ('marts', 'audit')
        order by table_schema desc, table_name, ordinal_position"""
    ).fetchall()
    tables: dict[tuple[str, str], Table] = {}
    for schema, name, column, duck_type in columns:
        table = tables.setdefault((schema, name), Table(schema, name, []))
        table.columns.append(_column(table, column, duck_type))
    if not any(schema == "marts" for schema, _ in tables):
        raise PostgresPublishError(f"{path} has no tables in schema marts: nothing to publish")
    return list(tables.values())


def _column(table: Table, name: str, duck_type: str) -> Column:
    ref = _duck_identifier(name)
    element = duck_type.removesuffix("[]")
    pg_type = _scalar_type(element)
    if pg_type is None:
        raise PostgresPublishError(
            f"cannot publish {table.label}: column {name} has type {duck_type}, "
            "which has no PostgreSQL equivalent here"
        )
    if element != duck_type:
        return Column(name, f"{pg_type}[]", _array_literal(ref))
    if duck_type == "JSON":
        return Column(name, pg_type, f"CAST({ref} AS VARCHAR)")
    return Column(name, pg_type, ref)


def _scalar_type(duck_type: str) -> str | None:
    if match := DECIMAL.fullmatch(duck_type):
        return f"numeric({match[1]},{match[2]})"
    return SCALAR_TYPES.get(duck_type)


def _array_literal(ref: str) -> str:
    """A DuckDB list as PostgreSQL array text: {"a","b \\"c\\"",NULL}."""
    element = (
        "CASE WHEN e IS NULL THEN 'NULL' ELSE "
        "'\"' || replace(replace(CAST(e AS VARCHAR), '\\', '\\\\'), '\"', '\\\"') || '\"' END"
    )
    return f"'{{' || array_to_string(list_transform({ref}, lambda e: {element}), ',') || '}}'"


def _duck_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Server:
    """A DSN (libpq URL or key=value pairs) and how to name it in a message."""

    dsn: str
    where: str  # host:port/db
    password: str

    @classmethod
    def parse(cls, dsn: str) -> Server:
        try:
            params = parse_dsn(dsn)
        except psycopg2.ProgrammingError:
            raise PostgresPublishError(
                "invalid PostgreSQL DSN: expected postgresql://user:password@host:port/db "
                "or key=value pairs"
            ) from None
        host = params.get("host") or os.environ.get("PGHOST") or "localhost"
        port = params.get("port") or os.environ.get("PGPORT") or "5432"
        user = params.get("user") or os.environ.get("PGUSER") or ""
        db = params.get("dbname") or os.environ.get("PGDATABASE") or user
        return cls(dsn, f"{host}:{port}/{db}", params.get("password", ""))

    def connect(self):
        try:
            pg = psycopg2.connect(self.dsn)
        except psycopg2.Error as exc:
            raise PostgresPublishError(
                f"cannot connect to PostgreSQL at {self.where}: {self.reason(exc)}"
            ) from None
        pg.set_client_encoding("UTF8")
        return pg

    def reason(self, exc: psycopg2.Error) -> str:
        """The first line of libpq's message, without its "connection to server" preamble."""
        lines = [" ".join(line.split()) for line in str(exc).splitlines() if line.strip()]
        first = re.sub(r"^connection to server (at|on) .*? failed: ", "", lines[0] if lines else "")
        reason = first or type(exc).__name__
        return reason.replace(self.password, "***") if self.password else reason


def _publish(duck, pg, server: Server, tables: list[Table], role: str, tmp: Path) -> dict[str, int]:
    table_label = ""  # the table being loaded, if any
    try:
        with pg.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('yusuan.publish'))")
            for schema in SCHEMAS:
                incoming = sql.Identifier(schema + INCOMING)
                cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(incoming))
                cur.execute(sql.SQL("CREATE SCHEMA {}").format(incoming))
            rows = {}
            for table in tables:
                table_label = table.label
                rows[table.label] = _load(duck, cur, table, tmp / "table.csv")
            table_label = ""
            _lock_published(cur)
            for schema in SCHEMAS:
                cur.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                )
                cur.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                        sql.Identifier(schema + INCOMING), sql.Identifier(schema)
                    )
                )
            _grant(cur, role)
        pg.commit()
    except psycopg2.Error as exc:
        reason = server.reason(exc)
        if pg.closed:
            during = f" while publishing {table_label}" if table_label else ""
            message = f"lost the connection to PostgreSQL at {server.where}{during}: {reason}"
        else:
            message = f"cannot publish {table_label or 'to PostgreSQL'}: {reason}"
        raise PostgresPublishError(message) from None
    return rows


def _load(duck, cur, table: Table, csv: Path) -> int:
    """Create the incoming table and stream the DuckDB rows into it with COPY."""
    target = sql.Identifier(table.schema + INCOMING, table.name)
    names = sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns)
    cur.execute(
        sql.SQL("CREATE TABLE {} ({})").format(
            target,
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.pg_type))
                for c in table.columns
            ),
        )
    )
    select = ", ".join(c.select for c in table.columns)
    source = f"{_duck_identifier(table.schema)}.{_duck_identifier(table.name)}"
    path = str(csv).replace("'", "''")
    duck.execute(
        f"COPY (SELECT {select} FROM {source}) TO '{path}' (FORMAT csv, HEADER false, "
        "FORCE_QUOTE *)"  # every value quoted: an unquoted empty field is NULL
    )
    with open(csv, "rb") as handle:
        copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, ENCODING 'UTF8')")
        cur.copy_expert(copy.format(target, names).as_string(cur), handle)
    rows = cur.rowcount
    cur.execute(sql.SQL("ANALYZE {}").format(target))
    return rows


def _lock_published(cur) -> None:
    """Take the published tables from readers in short tries, so a reader never deadlocks."""
    cur.execute(
        """SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'v', 'm', 'p')""",
        (list(SCHEMAS),),
    )
    published = [name for (name,) in cur.fetchall()]
    if not published:
        return
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        cur.execute("SAVEPOINT lock_published")
        try:
            cur.execute(f"SET LOCAL lock_timeout = '{LOCK_TRY}'")
            cur.execute(f"LOCK TABLE {', '.join(published)} IN ACCESS EXCLUSIVE MODE")
            cur.execute("SET LOCAL lock_timeout = 0")
            return
        except psycopg2.errors.LockNotAvailable:
            cur.execute("ROLLBACK TO SAVEPOINT lock_published")
            if time.monotonic() > deadline:
                raise PostgresPublishError(
                    f"readers kept the published tables locked for {LOCK_WAIT_SECONDS} s"
                ) from None
            time.sleep(0.05)


def _grant(cur, reader_role: str) -> None:
    role = sql.Identifier(reader_role)
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (reader_role,))
    if cur.fetchone() is None:
        cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(role))
    schemas = sql.SQL(", ").join(sql.Identifier(s) for s in SCHEMAS)
    cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schemas, role))
    cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schemas, role))
