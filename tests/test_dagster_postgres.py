"""The production Dagster instance (deploy/dagster.yaml) keeps runs and events in PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import psycopg2
import pytest
from conftest import ROOT
from pgserver import create_database
from psycopg2.extensions import parse_dsn

from orchestration.definitions import build_definitions

DEPLOY = ROOT / "deploy"


@pytest.fixture
def dagster_home(postgres, tmp_path, monkeypatch) -> Path:
    """A DAGSTER_HOME holding deploy/dagster.yaml, its DAGSTER_PG_* pointing at a fresh database."""
    dsn = create_database(postgres, f"dagster_{tmp_path.name}"[:63])
    params = parse_dsn(dsn)
    monkeypatch.setenv("DAGSTER_PG_USERNAME", params["user"])
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", params["password"])
    monkeypatch.setenv("DAGSTER_PG_HOST", params["host"])
    monkeypatch.setenv("DAGSTER_PG_DB", params["dbname"])
    monkeypatch.setenv("DAGSTER_PG_PORT", params["port"])
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def runs_in_postgres() -> list[tuple[str, str, str]]:
    pg = psycopg2.connect(
        user=os.environ["DAGSTER_PG_USERNAME"],
        password=os.environ["DAGSTER_PG_PASSWORD"],
        host=os.environ["DAGSTER_PG_HOST"],
        port=os.environ["DAGSTER_PG_PORT"],
        dbname=os.environ["DAGSTER_PG_DB"],
    )
    with pg, pg.cursor() as cur:
        cur.execute("select run_id, pipeline_name, status from runs")
        rows = cur.fetchall()
    pg.close()
    return rows


def test_a_fetch_run_is_stored_in_postgres(dagster_home, tmp_path):
    definitions = build_definitions(home=str(tmp_path / "home"))
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        result = definitions.resolve_job_def("fetch").execute_in_process(
            instance=instance, partition_key="nangong_sample"
        )
        assert result.success
        assert runs_in_postgres() == [(result.run_id, "fetch", "SUCCESS")]

        event = instance.get_latest_materialization_event(dg.AssetKey("fetched_documents"))
        metadata = event.asset_materialization.metadata
        assert (metadata["new"].value, metadata["failed"].value) == (1, 0)  # the Hebei text
        assert event.asset_materialization.partition == "nangong_sample"
        assert instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS


def test_runs_queue_one_writer_at_a_time_and_pools_hold_one_slot(dagster_home):
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        assert isinstance(instance.run_coordinator, dg.QueuedRunCoordinator)
        concurrency = instance.get_concurrency_config()
        assert concurrency.run_queue_config.tag_concurrency_limits == [
            {"key": "yusuan/writer", "limit": 1}
        ]
        assert concurrency.pool_config.default_pool_limit == 1
        assert instance.run_monitoring_enabled
        assert not instance.telemetry_enabled


def test_the_production_workspace_loads_on_the_postgres_instance(dagster_home):
    dagster = Path(sys.executable).with_name("dagster")
    process = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", str(DEPLOY / "workspace.yaml")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    assert "Validation successful for code location yusuan" in process.stderr + process.stdout
