"""The Dagster code location: fetch -> parse -> raw tables -> dbt models -> audit -> publish.

Definitions load lazily (`@dg.definitions`): nothing runs at import, and the dbt manifest is
prepared the first time the definitions are loaded. Open the UI with `uv run dagster dev`.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.fetch.landing import Landing
from orchestration.fetch.run import fetch_all, status_counts
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


class YusuanConfig(dg.ConfigurableResource):
    """Where the job reads its sources and keeps its files (defaults: the bundled sample
    corpus and `warehouse/`; environment: YUSUAN_SOURCES, YUSUAN_HOME)."""

    home: str | None = None
    sources: str | None = None

    def get_home(self) -> Home:
        return Home.at(self.home)

    def get_sources(self):
        return load_sources(self.sources or os.environ.get("YUSUAN_SOURCES"))


@dg.asset(group_name="fetch")
def fetched_documents(yusuan: YusuanConfig) -> dg.MaterializeResult:
    """Every source's documents, downloaded into the immutable landing area."""
    attempts = fetch_all(yusuan.get_sources(), Landing(yusuan.get_home().root))
    counts = status_counts(attempts)
    failures = [
        {"url": a.url, "source": a.source_name, "error": a.error}
        for a in attempts
        if a.status == "failed"
    ]
    return dg.MaterializeResult(
        metadata={
            "new": counts["new"],
            "unchanged": counts["unchanged"],
            "failed": counts["failed"],
            "failures": dg.MetadataValue.json(failures),
        }
    )


@dg.asset(group_name="parse", deps=[fetched_documents])
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


def build_definitions(home: str | None = None, sources: str | None = None) -> dg.Definitions:
    nightly = dg.define_asset_job(
        "nightly", selection=dg.AssetSelection.all(), description="The whole job: fetch to publish."
    )
    return dg.Definitions(
        assets=[
            fetched_documents,
            parsed_documents,
            raw_tables,
            build_dbt_assets(),
            build_audit_asset(),
            published_warehouse,
        ],
        jobs=[nightly],
        schedules=[
            dg.ScheduleDefinition(
                job=nightly, cron_schedule="0 2 * * *", execution_timezone="Asia/Shanghai"
            )
        ],
        resources={
            "yusuan": YusuanConfig(home=home, sources=sources),
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
