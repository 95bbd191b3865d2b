"""Write-audit-publish: releases, exports for BI tools, readers during rebuilds, killed runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE, yusuan

from orchestration.home import Home
from orchestration.publish import current_release, list_releases, publish

PUTUO = ROOT / "sample" / "shanghai" / "putuo_commerce_2025_department_budget.pdf"


@pytest.fixture(scope="module")
def home(sample_run) -> Path:
    home, process = sample_run
    assert process.returncode == 0, process.stdout + process.stderr
    return home


def marts_of(con) -> dict[str, int]:
    names = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    ).fetchall()
    return {n: con.execute(f"select count(*) from marts.{n}").fetchone()[0] for (n,) in names}


def test_the_run_publishes_a_release(home):
    release = current_release(Home(home))
    assert os.readlink(home / "current") == f"releases/{release.release_id}"
    published = home / "warehouse.duckdb"
    assert published.stat().st_ino == (home / "current" / "warehouse.duckdb").stat().st_ino
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute(
            "select release_id, checks_passed, checks_warned, checks_failed from audit.release"
        ).fetchone()[::3] == (release.release_id, 0)  # published: no check failed
        marts = marts_of(con)
        assert dict(con.execute("select mart, row_count from audit.mart_rows").fetchall()) == marts
    finally:
        con.close()
    assert release.marts == marts and len(marts) == 26
    assert marts["fct_indicator_target"] == 349
    checks = json.loads((home / "current" / "checks.json").read_text(encoding="utf-8"))
    assert checks["summary"]["failed"] == 0 and checks["summary"]["passed"] > 0


def test_parquet_csv_and_catalog_hold_every_mart(home):
    current = home / "current"
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    marts = marts_of(con)
    cost = con.execute("select sum(cost_yuan) from marts.fct_project_cost").fetchone()[0]
    con.close()
    reader = duckdb.connect()
    for mart, rows in marts.items():
        parquet = current / "parquet" / f"{mart}.parquet"
        csv = current / "csv" / f"{mart}.csv"
        assert reader.execute(f"select count(*) from '{parquet}'").fetchone() == (rows,), mart
        assert reader.execute(f"select count(*) from read_csv('{csv}')").fetchone() == (rows,), mart
    parquet = current / "parquet" / "fct_project_cost.parquet"
    assert reader.execute(
        f"select sum(cost_yuan), typeof(any_value(cost_yuan)) from '{parquet}'"
    ).fetchone() == (cost, "DECIMAL(18,2)")
    csv = (current / "csv" / "dim_department.csv").read_bytes()
    assert csv.startswith("\ufeffdepartment_key,".encode())  # BOM: spreadsheets read UTF-8
    assert "上海市普陀区商务委员会" in csv.decode("utf-8-sig")
    catalog = duckdb.connect(str(current / "catalog.duckdb"), read_only=True)
    try:
        assert marts_of(catalog) == marts
        assert catalog.execute("select sum(cost_yuan) from marts.fct_project_cost").fetchone() == (
            cost,
        )
    finally:
        catalog.close()
    assert (current / "catalog.duckdb").stat().st_size < 2_000_000  # views only


def test_status_reports_the_last_run_publish_freshness_and_checks(home):
    release = current_release(Home(home))
    process = yusuan("status", "--home", str(home))
    assert process.returncode == 0, process.stdout + process.stderr
    lines = process.stdout.splitlines()
    assert lines[0] == f"home: {home}"
    assert lines[1].startswith("last run: published at ")
    assert lines[1].endswith(f"release {release.release_id}")
    assert lines[2].startswith("dagster fetch: run ") and " SUCCESS at " in lines[2]
    assert lines[3].startswith("dagster build: run ") and " SUCCESS at " in lines[3]
    assert lines[4].startswith(
        f"last publish: release {release.release_id} at {release.published_at}, 26 marts, "
    )
    assert "(1 release kept)" in lines[4]
    assert lines[5].startswith("freshness: fresh: confirmed current ")
    (checks,) = [line for line in lines if line.startswith("checks of the published release:")]
    assert re.fullmatch(
        r"checks of the published release: \d+ passed, \d+ warned, 0 failed", checks
    )
    assert any(line.startswith("  [warned] fct_project_cost: ") for line in lines)
    stale = yusuan("status", "--home", str(home), "--max-age-hours", "0")
    assert stale.returncode == 1
    assert "freshness: STALE: confirmed current " in stale.stdout


def test_only_the_newest_releases_are_kept(home, tmp_path):
    scratch = Home.at(tmp_path / "home")
    build = tmp_path / "build.duckdb"
    shutil.copyfile(home / "build" / "warehouse.duckdb", build)
    made = [publish(scratch, build, f"fp{n}", keep=3).release_id for n in range(5)]
    assert [r.release_id for r in list_releases(scratch)] == made[-3:]
    assert current_release(scratch).fingerprint == "fp4"
    con = duckdb.connect(str(scratch.warehouse), read_only=True)
    assert con.execute("select release_id from audit.release").fetchone() == (made[-1],)
    con.close()


def _sources(tmp_path: Path, corpus: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        sources:
          - {{name: corpus, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 南宫市, path: "{corpus}"}}
        """),
        encoding="utf-8",
    )
    return path


def _run_until(args: list[str], marker: str, delay: float) -> str:
    """Start `yusuan run`, and SIGKILL it `delay` s after its progress shows `marker`."""
    exe = Path(sys.executable).with_name("yusuan")
    process = subprocess.Popen([str(exe), *args], stderr=subprocess.PIPE, text=True)
    seen = []
    for line in process.stderr:
        seen.append(line)
        if marker in line:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    return "".join(seen)


def _release_of(warehouse: Path) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select release_id from audit.release").fetchone()[0]
    finally:
        con.close()


def test_readers_see_whole_releases_while_runs_rebuild_and_are_killed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE, corpus / SAMPLE.name)
    sources = _sources(tmp_path, corpus)
    home = Home.at(tmp_path / "home")
    args = ["run", "--sources", str(sources), "--home", str(home.root)]
    first = yusuan(*args)
    assert first.returncode == 0, first.stdout + first.stderr
    a = current_release(home).release_id

    log, stop = tmp_path / "reader.jsonl", tmp_path / "stop"
    reader = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "reader.py"),
            str(home.warehouse),
            str(log),
            str(stop),
        ]
    )
    try:
        shutil.copy(PUTUO, corpus / PUTUO.name)  # a new document: the next run rebuilds
        _run_until(args, "model: dbt build", delay=1.0)  # killed while dbt builds
        assert _release_of(home.warehouse) == a
        assert [r.release_id for r in list_releases(home)] == [a]
        _run_until(args, "publish: ", delay=0.3)  # killed while the release is made
        after_kill = _release_of(home.warehouse)
        assert after_kill in {r.release_id for r in list_releases(home)}
        last = yusuan(*args)
        assert last.returncode == 0, last.stdout + last.stderr
        final = current_release(home).release_id
        assert _release_of(home.warehouse) == final
        time.sleep(0.5)  # the reader reads the final release too
    finally:
        stop.touch()
        reader.wait(timeout=30)

    answers = [json.loads(line) for line in log.read_text().splitlines()]
    errors = [a for a in answers if "error" in a]
    assert errors == []
    assert len(answers) > 20
    assert all(answer["complete"] and answer["marts"] == 26 for answer in answers)
    kept = {r.release_id for r in list_releases(home)}
    seen = {answer["release_id"] for answer in answers}
    assert {a, final} <= seen <= kept
    assert not list(home.releases.glob(".incoming-*"))
    con = duckdb.connect(str(home.warehouse), read_only=True)
    assert con.execute("select count(*) from marts.dim_document").fetchone() == (2,)
    assert con.execute(
        "select sum(cost_yuan) from marts.fct_project_cost where "
        "document_key in (select document_key from marts.dim_document "
        "where template = 'A')"
    ).fetchone() == (Decimal("16619700.00"),)
    con.close()
