"""The Dagster code location: fetch -> parse -> raw tables -> dbt models -> audit -> publish.

Definitions load lazily (`@dg.definitions`): nothing runs at import, and the dbt manifest is
prepared the first time the definitions are loaded. Open the UI with `uv run dagster dev`.
"""

import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.fetch.landing import Landing
from orchestration.fetch.run import fetch_source, source_failed, status_counts
from orchestration.home import Home
from orchestration.load.raw import load_raw
from orchestration.load.schema import RAW_TABLES
from orchestration.model import DBT_PROJECT_DIR, MARTS
from orchestration.parse.run import parse_all, parsed_records
from orchestration.prepare import ensure_manifest
from orchestration.publish import publish
from orchestration.sources import load_sources
from orchestration.validate.suites import load_suite_files, record_results, run_suites

WRITER_POOL = "duckdb_writer"  # DuckDB allows one writer per file: one writing step at a time
AUDIT = dg.AssetKey("warehouse_audit")
FETCHED = dg.AssetKey("fetched_documents")


class YusuanConfig(dg.ConfigurableResource):
    """Where the job reads its sources and keeps its files (defaults: the bundled sample
    corpus and `warehouse/`; environment: YUSUAN_SOURCES, YUSUAN_HOME)."""

    home: str | None = None
    sources: str | None = None

    def get_home(self) -> Home:
        return Home.at(self.home)

    def get_sources(self):
        return load_sources(self.sources or os.environ.get("YUSUAN_SOURCES"))


def build_fetch_asset(source_names: list[str]):
    partitions = dg.StaticPartitionsDefinition(source_names)

    @dg.asset(
        key=FETCHED,
        group_name="fetch",
        partitions_def=partitions,
    )
    def fetched_documents(context: dg.AssetExecutionContext, yusuan: YusuanConfig):
        """One source's documents, downloaded into the immutable landing area (a partition
        per source: sources fetch, fail and retry independently)."""
        source = next(s for s in yusuan.get_sources() if s.name == context.partition_key)
        attempts = fetch_source(source, Landing(yusuan.get_home().root))
        counts = status_counts(attempts)
        failures = [{"url": a.url, "error": a.error} for a in attempts if a.status == "failed"]
        metadata = {
            "new": counts["new"],
            "changed": counts["changed"],
            "unchanged": counts["unchanged"],
            "failed": counts["failed"],
            "failures": dg.MetadataValue.json(failures[:200]),
        }
        if source_failed(attempts):
            reason = failures[0]["error"] if failures else "no URLs"
            raise dg.Failure(
                description=f"source {source.name} failed: nothing could be fetched ({reason})",
                metadata=metadata,
            )
        return dg.MaterializeResult(metadata=metadata)

    return fetched_documents


@dg.asset(group_name="parse", deps=[FETCHED])
def parsed_documents(yusuan: YusuanConfig) -> dg.MaterializeResult:
    """Every landed document parsed into records (cached per parser version)."""
    home = yusuan.get_home()
    summary = parse_all(home, Landing(home.root))
    return dg.MaterializeResult(
        metadata={
            "parsed_now": summary.parsed,
            "unchanged": summary.cached,
            **{f"status_{k}": v for k, v in summary.by_status.items()},
            "problems": dg.MetadataValue.json(summary.problems),
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", table],
            group_name="load",
            deps=[parsed_documents],
            description=f"Parsed records: raw.{table}",
        )
        for table in RAW_TABLES
    ],
    pool=WRITER_POOL,
)
def raw_tables(yusuan: YusuanConfig):
    """Load the fetch log and all parsed records into a fresh staging warehouse."""
    home = yusuan.get_home()
    landing = Landing(home.root)
    counts = load_raw(
        home.build_db, yusuan.get_sources(), landing.attempts(), parsed_records(home, landing)
    )
    for table, rows in counts.items():
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"dagster/row_count": rows})


class SchemaTranslator(DagsterDbtTranslator):
    """dbt models are keyed by schema and name (`marts/fct_project_cost`); sources by
    `raw/<table>`, which are the assets loaded above."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "model"


def build_dbt_assets():
    manifest = ensure_manifest()

    @dbt_assets(manifest=manifest, dagster_dbt_translator=SchemaTranslator(), pool=WRITER_POOL)
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, yusuan: YusuanConfig):
        """staging -> intermediate -> marts, with their dbt tests, on the staging warehouse."""
        os.environ["YUSUAN_DUCKDB_PATH"] = str(yusuan.get_home().build_db)
        yield from dbt.cli(["build"], context=context).stream()

    return dbt_models


def _audit_check_specs() -> list[dg.AssetCheckSpec]:
    specs = []
    for suite in load_suite_files():
        blocking = any(e.get("severity", "critical") == "critical" for e in suite["expectations"])
        specs.append(
            dg.AssetCheckSpec(
                suite["name"],
                asset=AUDIT,
                blocking=blocking,
                description=f"{suite['meta']['description']} (on {suite['meta']['asset']})",
            )
        )
    return specs


def build_audit_asset():
    mart_keys = [dg.AssetKey(["marts", m]) for m in MARTS]

    @dg.asset(
        key=AUDIT,
        group_name="validate",
        deps=mart_keys,
        check_specs=_audit_check_specs(),
        pool=WRITER_POOL,
    )
    def warehouse_audit(yusuan: YusuanConfig):
        """Great Expectations suites run on the staging warehouse; results are stored in
        `audit.check_results`. Failed critical expectations block publishing."""
        db_path = yusuan.get_home().build_db
        results = run_suites(db_path)
        record_results(db_path, results)
        yield dg.Output(
            None,
            metadata={
                "passed": sum(r.outcome == "passed" for r in results),
                "warned": sum(r.outcome == "warned" for r in results),
                "failed": sum(r.outcome == "failed" for r in results),
            },
        )
        for suite in load_suite_files():
            mine = [r for r in results if r.suite == suite["name"]]
            failing = [r for r in mine if not r.success]
            critical = any(r.severity == "critical" for r in failing)
            yield dg.AssetCheckResult(
                check_name=suite["name"],
                passed=not failing,
                severity=dg.AssetCheckSeverity.ERROR if critical else dg.AssetCheckSeverity.WARN,
                metadata={
                    "checks_on": suite["meta"]["asset"],
                    "expectations": len(mine),
                    "failing": dg.MetadataValue.md(
                        "\n".join(f"- {r.message()}" for r in failing) or "none"
                    ),
                },
            )

    return warehouse_audit


@dg.asset(group_name="publish", deps=[AUDIT], pool=WRITER_POOL)
def published_warehouse(yusuan: YusuanConfig) -> dg.MaterializeResult:
    """The audited warehouse, atomically published as `<home>/warehouse.duckdb` for readers."""
    home = yusuan.get_home()
    publish(home.build_db, home.warehouse)
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        rows = {m: con.execute(f"SELECT count(*) FROM marts.{m}").fetchone()[0] for m in MARTS}
    finally:
        con.close()
    return dg.MaterializeResult(
        metadata={"path": str(home.warehouse), **{f"rows_{k}": v for k, v in rows.items()}}
    )


def build_sensor(build_job, source_names: list[str]):
    @dg.sensor(
        job=build_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING
    )
    def build_after_fetch(context: dg.SensorEvaluationContext):
        """Start a build once every source has finished a fetch run since the last build
        (successfully or not: one failed source never holds the others back)."""
        since = datetime.fromtimestamp(float(context.cursor or 0), UTC)
        records = context.instance.get_run_records(
            dg.RunsFilter(job_name="fetch", updated_after=since)
        )
        if any(not r.dagster_run.is_finished for r in records):
            return dg.SkipReason("fetch runs still in progress")
        finished = {r.dagster_run.tags.get("dagster/partition") for r in records}
        if not records or not set(source_names) <= finished:
            return dg.SkipReason("waiting for every source's fetch")
        latest = max(r.update_timestamp.timestamp() for r in records)
        context.update_cursor(str(latest))
        return dg.RunRequest(run_key=f"build-{latest:.0f}")

    return build_after_fetch


def build_definitions(home: str | None = None, sources: str | None = None) -> dg.Definitions:
    config = YusuanConfig(home=home, sources=sources)
    names = [s.name for s in config.get_sources()]
    fetch = build_fetch_asset(names)
    fetch_job = dg.define_asset_job(
        "fetch",
        selection=[FETCHED],
        partitions_def=fetch.partitions_def,
        description="Fetch one source (a partition per source).",
    )
    build_job = dg.define_asset_job(
        "build",
        selection=dg.AssetSelection.all() - dg.AssetSelection.assets(FETCHED),
        description="Parse, load, dbt build, audit and publish everything fetched.",
    )

    @dg.schedule(
        job=fetch_job,
        cron_schedule="0 2 * * *",
        execution_timezone="Asia/Shanghai",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def nightly(context: dg.ScheduleEvaluationContext):
        """Every night at 02:00 Beijing time: one fetch run per source; the build follows."""
        day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        return [dg.RunRequest(run_key=f"{day}-{name}", partition_key=name) for name in names]

    return dg.Definitions(
        assets=[
            fetch,
            parsed_documents,
            raw_tables,
            build_dbt_assets(),
            build_audit_asset(),
            published_warehouse,
        ],
        jobs=[fetch_job, build_job],
        schedules=[nightly],
        sensors=[build_sensor(build_job, names)],
        resources={
            "yusuan": config,
            "dbt": DbtCliResource(
                dbt_executable=str(Path(sys.executable).with_name("dbt")),
                project_dir=str(DBT_PROJECT_DIR),
                profiles_dir=str(DBT_PROJECT_DIR),
            ),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
