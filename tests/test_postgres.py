"""`yusuan publish` copies the marts and audit tables to a real PostgreSQL server for BI tools."""

from __future__ import annotations

import json
import shutil
import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
import pytest
from conftest import yusuan
from pgserver import create_database, free_port
from psycopg2.extensions import make_dsn

from orchestration.model import MARTS
from orchestration.postgres import PostgresPublishError, publish_to_postgres


def pg_query(dsn: str, query: str, *params) -> list[tuple]:
    with psycopg2.connect(dsn) as pg, pg.cursor() as cur:
        cur.execute(query, params)
        rows = cur.fetchall()
    pg.close()
    return rows


def duck_tables(con) -> list[str]:
    """The warehouse's marts, then its audit tables, as `schema.table`."""
    return [
        f"{schema}.{name}"
        for schema, name in con.execute(
            """select schema_name, table_name from duckdb_tables()
            where schema_name in ('marts', 'audit') order by schema_name desc, table_name"""
        ).fetchall()
    ]


def counts_query(tables: list[str]) -> str:
    """One statement counting every table."""
    return " union all ".join(f"select '{t}', count(*) from {t}" for t in tables)


def pg_counts(dsn: str, tables: list[str]) -> dict[str, int]:
    return dict(pg_query(dsn, counts_query(tables)))


def duck_counts(con) -> dict[str, int]:
    return dict(con.execute(counts_query(duck_tables(con))).fetchall())


def in_utc(value):
    """Aware timestamps in UTC (DuckDB and psycopg2 name the zone differently)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def writable_copy(home: Path, tmp_path: Path) -> tuple[Path, duckdb.DuckDBPyConnection]:
    """A copy of the sample's published warehouse in a new home, opened for writing."""
    copy = tmp_path / "home"
    copy.mkdir()
    shutil.copyfile(home / "warehouse.duckdb", copy / "warehouse.duckdb")
    (copy / "warehouse.duckdb").chmod(0o644)
    return copy, duckdb.connect(str(copy / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def published(postgres, sample_run, sample_warehouse):
    """The sample's warehouse published through the CLI: (home, completed process)."""
    home, _ = sample_run
    process = yusuan("publish", "--postgres", postgres, "--home", str(home))
    assert process.returncode == 0, process.stdout + process.stderr
    return home, process


def test_publish_copies_every_mart_exactly(postgres, published, sample_warehouse):
    _, process = published
    lines = process.stdout.splitlines()
    expected = duck_counts(sample_warehouse)
    assert {f"marts.{m}" for m in MARTS} | {"audit.check_results"} <= set(expected)
    assert lines[:-1] == [f"{t}: {n} rows" for t, n in expected.items()]
    assert lines[-1].startswith("published to PostgreSQL in ")
    assert pg_counts(postgres, list(expected)) == expected
    assert expected["marts.fct_project_cost"] == 61 and expected["audit.check_results"] > 0

    for table in expected:  # every value, NULLs and empty strings included
        result = sample_warehouse.execute(f"select * from {table}")
        json_columns = [i for i, t in enumerate(result.description) if t[1] == "JSON"]
        duck_rows = [list(map(in_utc, row)) for row in result.fetchall()]
        pg_rows = [list(map(in_utc, row)) for row in pg_query(postgres, f"select * from {table}")]
        for i in json_columns:  # jsonb orders keys its own way: compare the parsed values
            for row in duck_rows:
                row[i] = canonical(json.loads(row[i]) if row[i] is not None else None)
            for row in pg_rows:
                row[i] = canonical(row[i])
        assert sorted(map(repr, pg_rows)) == sorted(map(repr, duck_rows)), table


def test_money_chinese_text_and_lists_read_back(postgres, published, sample_warehouse):
    (total,) = pg_query(postgres, "select sum(cost_yuan) from marts.fct_project_cost")[0]
    assert isinstance(total, Decimal)
    duck_sum = "select sum(cost_yuan) from marts.fct_project_cost"
    assert [(total,)] == sample_warehouse.execute(duck_sum).fetchall()
    assert total == Decimal("96779700.00")
    column = pg_query(
        postgres,
        """select data_type, numeric_precision, numeric_scale from information_schema.columns
        where table_schema = 'marts' and table_name = 'fct_project_cost'
          and column_name = 'cost_yuan'""",
    )
    assert column == [("numeric", 18, 2)]
    names = pg_query(postgres, "select department_name from marts.dim_department order by 1")
    assert ("上海市普陀区司法局",) in names and ("市委部门",) in names
    code = "select department_code from marts.dim_department where department_name = %s"
    assert pg_query(postgres, code, "上海市普陀区司法局") == [(None,)]  # NULL stays NULL
    projects = "select project_key, name_variants from marts.dim_project order by 1"
    variants = pg_query(postgres, projects)
    assert variants == sample_warehouse.execute(projects).fetchall()
    assert all(isinstance(v, list) and v for _, v in variants)
    assert pg_query(
        postgres,
        """select udt_name from information_schema.columns
        where table_schema = 'marts' and table_name = 'dim_project'
          and column_name = 'name_variants'""",
    ) == [("_text",)]


def test_publishing_again_replaces_the_copy(postgres, published, sample_warehouse, monkeypatch):
    home, _ = published
    pairs = psycopg2.extensions.parse_dsn(postgres)
    monkeypatch.setenv("YUSUAN_POSTGRES_DSN", " ".join(f"{k}={v}" for k, v in pairs.items()))
    process = yusuan("publish", "--home", str(home))  # key=value DSN from the environment
    assert process.returncode == 0, process.stderr
    expected = duck_counts(sample_warehouse)
    assert pg_counts(postgres, list(expected)) == expected
    schemas = pg_query(postgres, "select nspname from pg_namespace where nspname like '%%__inc%%'")
    assert schemas == []


def test_a_reader_login_can_select_but_not_write(postgres, published):
    pg = psycopg2.connect(postgres)
    pg.autocommit = True
    pg.cursor().execute(
        "drop role if exists alice; "
        "create role alice login password 'alice-pw' in role yusuan_reader"
    )
    pg.close()
    home, _ = published
    assert yusuan("publish", "--postgres", postgres, "--home", str(home)).returncode == 0
    alice = make_dsn(postgres, user="alice", password="alice-pw")

    assert pg_query(alice, "select count(*) from marts.fct_project_cost") == [(61,)]
    assert pg_query(alice, "select count(*) from audit.check_results")[0][0] > 0
    with pytest.raises(psycopg2.errors.InsufficientPrivilege) as denied:
        pg_query(alice, "insert into marts.dim_department (department_key) values ('x')")
    assert str(denied.value).startswith("permission denied for table dim_department")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege) as denied:
        pg_query(alice, "create table marts.mine (x int)")
    assert str(denied.value).startswith("permission denied for schema marts")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege) as denied:
        pg_query(alice, "delete from audit.check_results")
    assert str(denied.value).startswith("permission denied for table check_results")


def test_a_failed_publish_leaves_the_previous_copy(postgres, published, sample_warehouse, tmp_path):
    tables = duck_tables(sample_warehouse)
    before = pg_counts(postgres, tables)
    home, con = writable_copy(published[0], tmp_path)
    con.execute("delete from marts.fct_project_cost")  # loaded before the bad table
    con.execute("update marts.mart_three_public_by_year set category = category || chr(0)")
    con.close()

    process = yusuan("publish", "--postgres", postgres, "--home", str(home))
    assert process.returncode == 2
    assert process.stderr == (
        "yusuan: cannot publish marts.mart_three_public_by_year: "
        'invalid byte sequence for encoding "UTF8": 0x00\n'
    )
    assert pg_counts(postgres, tables) == before
    assert pg_query(
        postgres, "select count(*) from pg_namespace where nspname like 'marts_%%'"
    ) == [(0,)]


def test_an_unmappable_column_type_is_named(postgres, published, tmp_path):
    home, con = writable_copy(published[0], tmp_path)
    con.execute("create table marts.zz_extra as select {'yuan': 1} as detail")
    con.close()
    process = yusuan("publish", "--postgres", postgres, "--home", str(home))
    assert process.returncode == 2
    assert process.stderr == (
        "yusuan: cannot publish marts.zz_extra: column detail has type STRUCT(yuan INTEGER), "
        "which has no PostgreSQL equivalent here\n"
    )


def test_a_missing_warehouse_is_named(postgres, tmp_path):
    process = yusuan("publish", "--postgres", postgres, "--home", str(tmp_path))
    assert process.returncode == 2
    assert process.stderr == f"yusuan: warehouse not found: {tmp_path / 'warehouse.duckdb'}\n"


def test_an_unreachable_server_is_named_without_the_password(published):
    home, _ = published
    port = free_port()
    dsn = f"postgresql://bi:s3cret-pw@127.0.0.1:{port}/budget"
    process = yusuan("publish", "--postgres", dsn, "--home", str(home))
    assert process.returncode == 2
    assert process.stderr == (
        f"yusuan: cannot connect to PostgreSQL at 127.0.0.1:{port}/budget: Connection refused\n"
    )
    assert process.stdout == ""


def test_a_wrong_password_is_not_echoed(postgres, published):
    home, _ = published
    dsn = make_dsn(postgres, password="wrong-pw")
    process = yusuan("publish", "--postgres", dsn, "--home", str(home))
    assert process.returncode == 2
    assert process.stderr.endswith(
        '/postgres: FATAL: password authentication failed for user "postgres"\n'
    )
    assert "wrong-pw" not in process.stderr


def test_tricky_values_round_trip(postgres, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'Asia/Shanghai'")
    con.execute("create schema marts")
    con.execute(
        r"""create table marts.values as select * from (values
        (1, '', ['', NULL, 'a"b', 'c\d', '{e,f}', '预算'], 1234567890123456.78::decimal(18,2),
         0.1::double, true, date '2021-01-01', timestamp '2021-03-04 05:06:07.123456',
         timestamptz '2021-03-04 08:00:00+08', '{"名称": "经费", "n": [1, null]}'::json,
         170141183460469231731687303715884105727::hugeint),
        (2, NULL, NULL, -0.05, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (3, 'a,"b"' || chr(10) || chr(13) || '\.', [], 0, 1e300, false, NULL, NULL, NULL,
         'null'::json, -1)
        ) v(id, text, list, money, ratio, flag, day, stamp, stamp_tz, doc, big)"""
    )
    con.close()
    dsn = create_database(postgres, "tricky")
    result = publish_to_postgres(path, dsn)
    assert result.rows == {"marts.values": 3}

    rows = pg_query(dsn, "select * from marts.values order by id")
    assert rows[0] == (
        1,
        "",
        ["", None, 'a"b', "c\\d", "{e,f}", "预算"],
        Decimal("1234567890123456.78"),
        0.1,
        True,
        date(2021, 1, 1),
        datetime(2021, 3, 4, 5, 6, 7, 123456),
        rows[0][8],
        {"名称": "经费", "n": [1, None]},
        Decimal(2**127 - 1),
    )
    assert rows[0][8] == datetime(2021, 3, 4, 0, 0, tzinfo=UTC)
    assert rows[1] == (2, None, None, Decimal("-0.05"), *[None] * 7)
    assert rows[2][:6] == (3, 'a,"b"\n\r\\.', [], Decimal("0.00"), 1e300, False)
    assert rows[2][9:] == (None, Decimal(-1))  # JSON null is jsonb 'null'
    types = pg_query(
        dsn,
        """select column_name, format_type(atttypid, atttypmod) from information_schema.columns
        join pg_attribute on attrelid = 'marts.values'::regclass and attname = column_name
        where table_schema = 'marts' and table_name = 'values' order by ordinal_position""",
    )
    assert [t for _, t in types] == [
        "integer",
        "text",
        "text[]",
        "numeric(18,2)",
        "double precision",
        "boolean",
        "date",
        "timestamp without time zone",
        "timestamp with time zone",
        "jsonb",
        "numeric(39,0)",
    ]


def test_readers_see_the_old_or_the_new_release_never_a_mix(postgres, published, tmp_path):
    home, _ = published
    old = home / "warehouse.duckdb"
    copy, con = writable_copy(home, tmp_path)
    con.execute("delete from marts.fct_project_cost where cost_yuan is null")
    con.execute("delete from marts.dim_project where project_key like '%a%'")
    con.execute("delete from audit.check_results where outcome = 'passed'")
    tables = duck_tables(con)
    new_counts = duck_counts(con)
    con.close()
    new = copy / "warehouse.duckdb"
    old_counts = pg_counts(postgres, tables)
    assert new_counts != old_counts

    seen, errors, done = [], [], threading.Event()

    def read() -> None:
        reader = psycopg2.connect(postgres)
        reader.autocommit = True
        while not done.is_set():
            try:
                with reader.cursor() as cur:
                    cur.execute(counts_query(tables))
                    seen.append(dict(cur.fetchall()))
            except psycopg2.Error as exc:
                errors.append(str(exc))
        reader.close()

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for _ in range(4):
            publish_to_postgres(new, postgres)
            publish_to_postgres(old, postgres)
    finally:
        done.set()
        for thread in readers:
            thread.join()
    assert errors == []
    assert len(seen) > 20
    assert all(counts in (old_counts, new_counts) for counts in seen)
    assert new_counts in seen and old_counts in seen
    assert pg_counts(postgres, tables) == old_counts


def test_a_publish_cut_off_midway_leaves_the_previous_copy(postgres, published, tmp_path):
    home, _ = published
    copy, con = writable_copy(home, tmp_path)
    con.execute("delete from marts.fct_project_cost")
    tables = duck_tables(con)
    con.close()
    before = pg_counts(postgres, tables)

    reader = psycopg2.connect(postgres)  # a BI session holding the old release open
    reader.cursor().execute("select count(*) from marts.dim_document")
    failures = []

    def publish() -> None:
        try:
            publish_to_postgres(copy / "warehouse.duckdb", postgres)
        except PostgresPublishError as exc:
            failures.append(str(exc))

    thread = threading.Thread(target=publish)
    thread.start()
    waiting = "select pid from pg_stat_activity where query like 'LOCK TABLE %%'"
    deadline = time.monotonic() + 30
    while not (pids := pg_query(postgres, waiting)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pids, "the publish never reached the swap"
    pg_query(postgres, "select pg_terminate_backend(%s)", pids[0][0])
    thread.join()
    reader.close()

    port = postgres.rsplit(":", 1)[1].split("/")[0]
    assert len(failures) == 1
    assert failures[0].startswith(
        f"lost the connection to PostgreSQL at 127.0.0.1:{port}/postgres: "
    )
    assert pg_counts(postgres, tables) == before
    incoming = "select count(*) from pg_namespace where nspname like '%%incoming'"
    assert pg_query(postgres, incoming) == [(0,)]


def test_the_run_keeps_postgres_current_and_retries_a_failed_copy(postgres, sample_run, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(sample_run[0], home, symlinks=True)
    release = json.loads((home / "current" / "release.json").read_text())["release_id"]
    dsn = create_database(postgres, "nightly")
    dead = f"postgresql://yusuan:secret@127.0.0.1:{free_port()}/nightly"

    down = yusuan("run", "--home", str(home), "--postgres", dead)
    assert down.returncode == 1
    assert "published: unchanged (nothing new since the last publish: " in down.stdout
    assert (
        f"postgres: NOT updated: cannot connect to PostgreSQL at {dead.split('@')[1]}: "
        "Connection refused"
    ) in down.stdout
    alert = json.loads((home / "alerts.log").read_text(encoding="utf-8").splitlines()[-1])
    assert alert["kind"] == "postgres_failed" and "secret" not in json.dumps(alert)

    retried = yusuan("run", "--home", str(home), "--postgres", dsn)
    assert retried.returncode == 0, retried.stdout + retried.stderr
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    rows = sum(duck_counts(con).values())
    marts = {t: n for t, n in duck_counts(con).items() if t.startswith("marts.")}
    con.close()
    assert f"postgres: replaced ({rows} rows)" in retried.stdout
    assert pg_query(dsn, "select release_id from audit.release") == [(release,)]
    assert pg_counts(dsn, list(marts)) == marts

    again = yusuan("run", "--home", str(home), "--postgres", dsn)
    assert again.returncode == 0
    assert "postgres: current (it holds this release)" in again.stdout
