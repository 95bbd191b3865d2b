"""The Dagster code location loads, and its nightly job materializes every asset."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
from conftest import SAMPLE

from orchestration.definitions import build_definitions
from orchestration.load.schema import RAW_TABLES
from orchestration.model import MARTS


def test_code_location_loads_with_the_dagster_cli():
    dagster = Path(sys.executable).with_name("dagster")
    process = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stdout + process.stderr


def test_definitions_show_assets_checks_schedule_and_sensor():
    definitions = build_definitions()
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "fetched_documents",
        "parsed_documents",
        "warehouse_audit",
        "published_warehouse",
    } <= keys
    assert {f"raw/{t}" for t in RAW_TABLES} <= keys
    assert {f"marts/{m}" for m in MARTS} <= keys
    assert "staging/stg_indicators" in keys and "intermediate/int_projects" in keys
    checks = {key.name for key in graph.asset_check_keys}
    assert {"fct_project_cost", "fct_department_budget", "raw_indicators"} <= checks
    fetch = definitions.resolve_assets_def("fetched_documents")
    assert fetch.partitions_def.get_partition_keys() == ["nangong_sample", "putuo_sample"]
    schedule = definitions.resolve_schedule_def("nightly")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert definitions.resolve_sensor_def("build_after_fetch").job_name == "build"


def two_sources(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        sources:
          - {{name: nangong, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 南宫市, path: "{SAMPLE.parent}"}}
          - {{name: offline, kind: http, province: 河北省, prefecture: 邢台市, county: 威县,
              urls: ["http://127.0.0.1:9/list.html"], retries: 0, delay: 0}}
        """),
        encoding="utf-8",
    )
    return path


def test_nightly_fetches_per_source_then_builds_everything(tmp_path):
    home = tmp_path / "home"
    definitions = build_definitions(home=str(home), sources=str(two_sources(tmp_path)))
    fetch_job = definitions.resolve_job_def("fetch")
    (tmp_path / "dagster").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster")) as instance:
        sensor = definitions.resolve_sensor_def("build_after_fetch")
        ok = fetch_job.execute_in_process(instance=instance, partition_key="nangong")
        assert ok.success
        waiting = sensor(dg.build_sensor_context(instance=instance))
        assert isinstance(waiting, dg.SkipReason)  # the other source has not been fetched yet
        offline = fetch_job.execute_in_process(
            instance=instance, partition_key="offline", raise_on_error=False
        )
        assert not offline.success  # a source that fails entirely fails its own fetch
        failure = next(e for e in offline.all_events if e.event_type_value == "STEP_FAILURE")
        assert "source offline failed: nothing could be fetched (connection error" in (
            failure.step_failure_data.error.message
        )
        fetched = instance.get_latest_materialization_event(
            dg.AssetKey("fetched_documents")
        ).asset_materialization
        assert (fetched.partition, fetched.metadata["new"].value) == ("nangong", 1)

        request = sensor(dg.build_sensor_context(instance=instance))
        assert isinstance(request, dg.RunRequest)  # every source has finished: build
        result = definitions.resolve_job_def("build").execute_in_process(
            instance=instance, raise_on_error=False
        )
        assert result.success
        materialized = {
            e.asset_key.to_user_string() for e in result.get_asset_materialization_events()
        }
        assert {
            "parsed_documents",
            "warehouse_audit",
            "published_warehouse",
            "raw/indicators",
            "marts/fct_project_cost",
        } <= materialized
        checks = {
            e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION"
        }
        assert not checks["fct_project_cost"].passed  # tables 28 and 30: one project twice
        assert checks["fct_project_cost"].severity == dg.AssetCheckSeverity.WARN
        assert checks["fct_department_budget"].passed
        parsed = instance.get_latest_materialization_event(dg.AssetKey("parsed_documents"))
        assert parsed.asset_materialization.metadata["status_parsed"].value == 1
        raw = instance.get_latest_materialization_event(dg.AssetKey(["raw", "indicators"]))
        assert raw.asset_materialization.metadata["dagster/row_count"].value == 349
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    assert con.execute(
        "select count(*), sum(cost_yuan) from marts.fct_project_cost"
    ).fetchone() == (56, Decimal("16619700.00"))
    assert con.execute("select count(*) from raw.fetch_log where status = 'failed'").fetchone() == (
        1,
    )
    con.close()
