"""The Dagster code location loads, and its nightly job materializes every asset."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
from conftest import ROOT, SAMPLE

from orchestration.definitions import WRITER_POOL, build_definitions
from orchestration.home import Home
from orchestration.load.schema import raw_tables
from orchestration.model import FINDINGS, MARTS
from orchestration.publish import current_release, list_releases


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
    assert {f"raw/{t}" for t in raw_tables()} <= keys
    assert {f"marts/{m}" for m in MARTS if m != FINDINGS} <= keys  # findings: the audit writes them
    assert "staging/stg_indicators" in keys and "intermediate/int_projects" in keys
    checks = {key.asset_key.to_user_string(): set() for key in graph.asset_check_keys}
    for key in graph.asset_check_keys:
        checks[key.asset_key.to_user_string()].add(key.name)
    assert "fct_project_cost" in checks["marts/fct_project_cost"]  # GX suites on their asset
    assert "raw_indicators" in checks["raw/indicators"]
    assert checks["warehouse_audit"] == {"blocking_expectations"}
    described = {
        (key.asset_key.to_user_string(), key.name): graph.get_check_spec(key).description
        for key in graph.asset_check_keys
    }
    assert described[("marts/dim_document", "unique_dim_document_document_key")] == (
        "document_key is unique"
    )
    assert described[("marts/fct_functional_expenditure", "template_b_tables")].endswith(
        " (warns, does not block)"
    )
    assert all(described.values()), [k for k, v in described.items() if not v]
    fetch = definitions.resolve_assets_def("fetched_documents")
    assert fetch.partitions_def.get_partition_keys() == ["nangong_sample", "putuo_sample"]
    schedule = definitions.resolve_schedule_def("nightly")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert definitions.resolve_sensor_def("build_after_fetch").job_name == "build"
    assert definitions.resolve_sensor_def("alert_on_run_failure")
    retry = fetch.op.retry_policy
    assert (retry.max_retries, retry.delay, retry.backoff) == (2, 600, dg.Backoff.EXPONENTIAL)
    assert definitions.resolve_job_def("build").tags == {"yusuan/writer": "build"}
    for key in [
        "raw/indicators",
        "marts/fct_project_cost",
        "warehouse_audit",
        "published_warehouse",
    ]:
        assert definitions.resolve_assets_def(dg.AssetKey.from_user_string(key)).op.pool == (
            WRITER_POOL
        )
    for key in ["marts/fct_project_cost", "marts/dim_document", "published_warehouse"]:
        policy = graph.get(dg.AssetKey.from_user_string(key)).freshness_policy
        assert (policy.deadline_cron, policy.timezone) == ("0 6 * * *", "Asia/Shanghai")
        assert policy.lower_bound_delta == timedelta(hours=24)
    assert graph.get(dg.AssetKey(["staging", "stg_indicators"])).freshness_policy is None
    docs = graph.get(dg.AssetKey(["marts", "fct_project_cost"])).metadata["dbt_docs"]
    assert docs.url.endswith("/docs/dbt/index.html#!/model/model.yusuan.fct_project_cost")


def test_single_machine_instance_runs_one_build_and_one_writer_at_a_time(tmp_path):
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        concurrency = instance.get_concurrency_config()
        assert concurrency.pool_config.default_pool_limit == 1
        assert concurrency.run_queue_config.tag_concurrency_limits == [
            {"key": "yusuan/writer", "limit": 1}
        ]
        assert instance.freshness_enabled


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


class Webhook:
    """A real HTTP endpoint on 127.0.0.1 that keeps the JSON bodies POSTed to it."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def test_nightly_fetches_per_source_then_builds_everything(tmp_path, monkeypatch):
    home = tmp_path / "home"
    webhook = Webhook()
    monkeypatch.setenv("YUSUAN_ALERT_WEBHOOK", webhook.url)
    definitions = build_definitions(
        home=str(home),
        sources=str(two_sources(tmp_path)),
        fetch_retry=dg.RetryPolicy(max_retries=1, delay=0),
    )
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
        kinds = [e.event_type_value for e in offline.all_events]
        assert kinds.count("STEP_UP_FOR_RETRY") == 1  # tried again once, then failed
        failure = next(e for e in offline.all_events if e.event_type_value == "STEP_FAILURE")
        assert failure.step_failure_data.user_failure_data.description.startswith(
            "source offline failed: nothing could be fetched (connection error"
        )
        alert_sensor = definitions.resolve_sensor_def("alert_on_run_failure")
        run_failure = next(
            e for e in offline.all_events if e.event_type_value == "PIPELINE_FAILURE"
        )
        alert_sensor(
            dg.build_run_status_sensor_context(
                sensor_name="alert_on_run_failure",
                dagster_event=run_failure,
                dagster_instance=instance,
                dagster_run=offline.dagster_run,
            ).for_run_failure()
        )
        webhook.close()
        logged = [json.loads(line) for line in Home(home).alerts.read_text().splitlines()]
        assert logged[-1]["kind"] == "run_failed" and logged[-1]["delivered"] is True
        assert webhook.received == [{k: v for k, v in logged[-1].items() if k != "delivered"}]
        alert = webhook.received[0]
        assert (alert["job"], alert["partition"], alert["run_id"]) == (
            "fetch",
            "offline",
            offline.run_id,
        )
        assert alert["failed_steps"] == [
            {
                "step": "fetched_documents",
                "error": "source offline failed: nothing could be fetched "
                "(connection error: ConnectionError (after 1 tries))",
            }
        ]
        assert alert["summary"].startswith("Dagster run of job fetch failed: ")
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
        published = instance.get_latest_materialization_event(
            dg.AssetKey("published_warehouse")
        ).asset_materialization.metadata
        release = current_release(Home(home))
        assert published["release"].value == release.release_id
        assert published["rows_fct_project_cost"].value == release.marts["fct_project_cost"] == 56

        again = definitions.resolve_job_def("build").execute_in_process(instance=instance)
        assert again.success  # nothing new: nothing loaded, built or published
        assert {e.asset_key.to_user_string() for e in again.get_asset_materialization_events()} == {
            "parsed_documents"
        }
        assert [r.release_id for r in list_releases(Home(home))] == [release.release_id]

        for source in ("nangong", "offline"):  # the next night: nothing new anywhere
            fetch_job.execute_in_process(
                instance=instance, partition_key=source, raise_on_error=False
            )
        skipped = sensor(dg.build_sensor_context(instance=instance))
        assert skipped.skip_message == f"unchanged: release {release.release_id} is current"
        observed = instance.fetch_observations(dg.AssetKey("published_warehouse"), limit=1)
        assert observed.records[0].asset_observation.metadata["release"].value == (
            release.release_id
        )
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    assert con.execute(
        "select count(*), sum(cost_yuan) from marts.fct_project_cost"
    ).fetchone() == (56, Decimal("16619700.00"))
    failed = "select count(*) from raw.fetch_log where status = 'failed'"
    assert con.execute(failed).fetchone() == (2,)  # one row per attempt: the first and its retry
    con.close()
