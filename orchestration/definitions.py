"""The Dagster code location: fetch -> parse -> raw tables -> dbt models -> audit -> publish.

Definitions load lazily (`@dg.definitions`): nothing runs at import, and the dbt manifest is
prepared the first time the definitions are loaded. Open the UI with `uv run dagster dev`.
"""

import logging
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.alerts import send_alert
from orchestration.fetch.http import DEFERRED
from orchestration.fetch.landing import Landing
from orchestration.fetch.run import (
    fetch_source,
    source_empty_reason,
    source_failed,
    status_counts,
)
from orchestration.fingerprint import build_fingerprint
from orchestration.home import Home
from orchestration.instance import LAUNCHED_BY
from orchestration.load.raw import load_raw
from orchestration.load.schema import raw_tables
from orchestration.model import (
    DBT_EXECUTABLE,
    DBT_PROJECT_DIR,
    FINDINGS,
    MARTS,
    document_warehouse,
    mart_counts,
)
from orchestration.parse.run import parse_all, parsed_records
from orchestration.postgres import (
    PostgresPublishError,
    Server,
    postgres_release,
    publish_to_postgres,
)
from orchestration.prepare import ensure_manifest
from orchestration.publish import Release, current_release, publish
from orchestration.safe_text import markdown_text, printable
from orchestration.sources import load_sources
from orchestration.validate.dbt_findings import describe_dbt_test, forget_build
from orchestration.validate.suites import (
    CheckResult,
    load_suite_files,
    read_report,
    record_results,
    run_suites,
    summarise,
    write_report,
)

WRITER_POOL = "duckdb_writer"  # DuckDB allows one writer per file: one writing step at a time
AUDIT = dg.AssetKey("warehouse_audit")
FETCHED = dg.AssetKey("fetched_documents")
PUBLISHED = dg.AssetKey("published_warehouse")
BUILD_TAGS = {"yusuan/writer": "build"}  # dagster.yaml lets one run with this tag in at a time
# The marts are built nightly (fetch at 02:00 Beijing time): by 06:00 each day every mart and
# the published warehouse must have been materialized within the last 24 hours. Dagster's
# freshness daemon (`freshness: enabled` in dagster.yaml) evaluates it.
NIGHTLY_FRESHNESS = dg.FreshnessPolicy.cron(
    deadline_cron="0 6 * * *", lower_bound_delta=timedelta(hours=24), timezone="Asia/Shanghai"
)
# A source that failed as a whole (portal down) is fetched again 10 and 20 minutes later.
FETCH_RETRY = dg.RetryPolicy(
    max_retries=2, delay=600, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


PHASES = ("fetch", "parse", "load", "unchanged", "model", "validate", "document", "publish")
PHASES += ("postgres",)


class ProgressFilter(logging.Filter):
    """Keep what a person follows: the job's own lines (`<phase>: …`) and errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        meta = getattr(record, "dagster_meta", None) or {}
        message = meta.get("orig_message") or record.getMessage()
        record.progress = printable(message)  # portal-controlled text drives no terminal
        if record.levelno >= logging.ERROR:
            return True
        return record.levelno >= logging.INFO and message.split(":", 1)[0] in PHASES


@dg.logger(
    config_schema={"quiet": dg.Field(bool, default_value=False)},
    description="One timestamped line on stderr per phase of the job, and warnings.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("yusuan", level=logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ProgressFilter())
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(progress)s", "%H:%M:%S"))
    if init_context.logger_config["quiet"]:
        handler.setLevel(logging.WARNING)
    logger.addHandler(handler)
    return logger


class YusuanConfig(dg.ConfigurableResource):
    """Where the job reads its sources and keeps its files (defaults: the bundled sample
    corpus and `warehouse/`; environment: YUSUAN_SOURCES, YUSUAN_HOME)."""

    home: str | None = None
    sources: str | None = None

    def get_home(self) -> Home:
        return Home.at(self.home)

    def get_sources(self):
        return load_sources(self.sources or os.environ.get("YUSUAN_SOURCES"))


def fetch_metadata(attempts) -> dict:
    """What one source's fetch did: documents by status (deferred ones apart), pages, and
    each failed URL."""
    deferred = sum((a.error or "").startswith(DEFERRED) for a in attempts)
    documents = status_counts([a for a in attempts if a.kind == "document"])
    pages = status_counts([a for a in attempts if a.kind == "page"])
    failures = [
        {"url": a.url, "kind": a.kind, "error": a.error}
        for a in attempts
        if a.status == "failed" and not (a.error or "").startswith(DEFERRED)
    ]
    return {
        "new": documents["new"],
        "changed": documents["changed"],
        "unchanged": documents["unchanged"],
        "failed": documents["failed"] - deferred,
        "deferred": deferred,  # over max_documents: fetched first next run
        "pages_visited": sum(pages.values()),
        "pages_failed": pages["failed"],
        "failures": dg.MetadataValue.json(failures[:200]),
        "failures_total": len(failures),
    }


def build_fetch_asset(source_names: list[str], retry_policy: dg.RetryPolicy | None):
    partitions = dg.StaticPartitionsDefinition(source_names)

    @dg.asset(
        key=FETCHED,
        group_name="fetch",
        partitions_def=partitions,
        retry_policy=retry_policy,
    )
    def fetched_documents(context: dg.AssetExecutionContext, yusuan: YusuanConfig):
        """One source's documents, downloaded into the immutable landing area (a partition
        per source: sources fetch, fail and retry independently)."""
        source = next(s for s in yusuan.get_sources() if s.name == context.partition_key)
        context.log.info(f"fetch: source {source.name} ({source.location})")
        attempts = fetch_source(source, Landing(yusuan.get_home().root))
        metadata = fetch_metadata(attempts)
        empty = source_empty_reason(source, attempts)
        if empty:
            metadata["empty_reason"] = empty
            context.log.warning(
                printable(f"fetch: source {source.name} fetched no document: {empty}")
            )
        if source_failed(attempts):
            failures = metadata["failures"].value
            reason = failures[0]["error"] if failures else "no URLs"
            raise dg.Failure(
                description=printable(
                    f"source {source.name} failed: nothing could be fetched ({reason})"
                ),
                metadata=metadata,
            )
        return dg.MaterializeResult(metadata=metadata)

    return fetched_documents


@dg.asset(group_name="parse", deps=[FETCHED])
def parsed_documents(
    context: dg.AssetExecutionContext, yusuan: YusuanConfig
) -> dg.MaterializeResult:
    """Every landed document parsed into records (cached per parser version)."""
    context.log.info("parse: new documents")
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
            skippable=True,
        )
        for table in raw_tables()
    ],
    pool=WRITER_POOL,
)
def raw_tables(context: dg.AssetExecutionContext, yusuan: YusuanConfig):
    """Load the fetch log and all parsed records into a fresh staging warehouse. When nothing
    that makes up the build changed since the published release (its fingerprint), nothing is
    loaded: the build stops here and the release is recorded as confirmed current."""
    home = yusuan.get_home()
    landing = Landing(home.root)
    sources = yusuan.get_sources()
    published = unchanged_release(home, sources)
    if published:
        context.log.info(f"unchanged: release {published.release_id} is current")
        yield confirmed_current(published)
        return
    context.log.info(f"load: raw tables into {home.build_db}")
    forget_build(dbt_target(home))  # the results of the warehouse being replaced
    counts = load_raw(home.build_db, sources, landing.attempts(), parsed_records(home, landing))
    for table, rows in counts.items():
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"dagster/row_count": rows})


def unchanged_release(home: Home, sources) -> Release | None:
    """The published release when nothing that makes up a build changed since it was made
    (the same fingerprint: fetched bytes, sources, parser, models, suites), else None."""
    published = current_release(home)
    if (
        published
        and home.warehouse.exists()
        and published.fingerprint == build_fingerprint(sources, home)
    ):
        return published
    return None


def confirmed_current(release: Release) -> dg.AssetObservation:
    """The published warehouse observed current: a build found nothing to do."""
    return dg.AssetObservation(
        asset_key=PUBLISHED, metadata={"unchanged": True, "release": release.release_id}
    )


def docs_url(home: Home, page: str) -> str:
    """Where a page of the documentation sites is read: under YUSUAN_DOCS_URL when the docs
    folder is served over HTTP, else the file in `<home>/docs/`."""
    base = os.environ.get("YUSUAN_DOCS_URL") or home.docs.as_uri()
    return f"{base.rstrip('/')}/{page}"


def docs_links(home: Home) -> dict:
    """Metadata links to both documentation sites."""
    return {
        "gx_data_docs": dg.MetadataValue.url(docs_url(home, "gx/index.html")),
        "dbt_docs": dg.MetadataValue.url(docs_url(home, "dbt/index.html")),
    }


class SchemaTranslator(DagsterDbtTranslator):
    """dbt models are keyed by schema and name (`marts/fct_project_cost`); sources by
    `raw/<table>`, which are the assets loaded above. Marts carry the nightly freshness policy
    and every model links to its page of the dbt docs site."""

    def __init__(self, home: Home):
        super().__init__()
        self.home = home

    def get_asset_spec(self, manifest, unique_id, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] not in {"model", "seed"}:
            return spec
        link = docs_url(self.home, f"dbt/index.html#!/{props['resource_type']}/{unique_id}")
        spec = spec.merge_attributes(metadata={"dbt_docs": dg.MetadataValue.url(link)})
        if props["schema"] == "marts":
            spec = spec.replace_attributes(freshness_policy=NIGHTLY_FRESHNESS)
        return spec

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return spec._replace(description=describe_dbt_test(manifest["nodes"][unique_id]))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "model"


def dbt_target(home: Home) -> Path:
    """Where `dbt build` writes its artifacts (manifest, run_results.json)."""
    return home.root / "logs" / "target"


def build_dbt_assets(home: Home):
    manifest = ensure_manifest()
    translator = SchemaTranslator(home)

    @dbt_assets(manifest=manifest, dagster_dbt_translator=translator, pool=WRITER_POOL)
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, yusuan: YusuanConfig):
        """staging -> intermediate -> marts, with their dbt tests, on the staging warehouse."""
        context.log.info("model: dbt build")
        home = yusuan.get_home()
        os.environ["YUSUAN_DUCKDB_PATH"] = str(home.build_db)
        # the build's manifest and parse state stay in logs/target for the docs to reuse
        yield from dbt.cli(["build"], context=context, target_path=dbt_target(home)).stream()

    return dbt_models


BLOCKING_CHECK = "blocking_expectations"


def build_audit_asset():
    # the marts dbt builds (the findings mart is this asset's own output, not an input)
    mart_keys = [dg.AssetKey(["marts", m]) for m in MARTS if m != FINDINGS]

    @dg.asset(
        key=AUDIT,
        group_name="validate",
        deps=mart_keys,
        check_specs=[
            dg.AssetCheckSpec(
                BLOCKING_CHECK,
                asset=AUDIT,
                description="No critical Great Expectations expectation fails (a failure "
                "blocks the publish; each suite's own check is on the asset it checks)",
            )
        ],
        pool=WRITER_POOL,
    )
    def warehouse_audit(context: dg.AssetExecutionContext, yusuan: YusuanConfig):
        """Great Expectations suites run on the staging warehouse; results are stored in
        `audit.check_results`, and every failing row (of the suites and of the dbt tests that
        warned or failed) in `marts.fct_check_findings`. Failed critical expectations block
        publishing. The GX Data Docs and dbt docs sites are generated into `<home>/docs/`."""
        context.log.info("validate: Great Expectations suites")
        home = yusuan.get_home()
        results = run_suites(home.build_db, docs_dir=home.docs / "gx")
        record_results(home.build_db, results, dbt_target=dbt_target(home))
        write_report(home.reports / "checks.json", results)
        context.log.info(f"document: dbt docs into {home.docs}")
        docs_error = document_warehouse(home)
        if docs_error:
            context.log.warning(f"document: dbt docs not updated: {docs_error}")
        con = duckdb.connect(str(home.build_db), read_only=True)
        try:
            rows = mart_counts(con)
        finally:
            con.close()
        yield dg.Output(
            None,
            metadata={
                **summarise(results),
                "mart_rows": dg.MetadataValue.json(rows),
                **docs_links(home),
                **({"docs_error": docs_error} if docs_error else {}),
            },
        )
        blocking = [r for r in results if r.outcome == "failed"]
        yield dg.AssetCheckResult(
            check_name=BLOCKING_CHECK,
            passed=not blocking,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"failing": _failing_md(blocking)},
        )

    return warehouse_audit


def _failing_md(results: list[CheckResult]) -> dg.MetadataValue:
    return dg.MetadataValue.md(
        "\n".join(f"- {markdown_text(r.message())}" for r in results) or "none"
    )


def _suite_severity(suite: dict) -> str:
    severities = {e.get("severity", "critical") for e in suite["expectations"]}
    return "critical" if "critical" in severities else "warning"


def build_suite_checks():
    """Each Great Expectations suite as a check of the asset it checks (`meta.asset`):
    ERROR when a critical expectation failed, WARN when only warnings did."""
    suites = load_suite_files()
    specs = [
        dg.AssetCheckSpec(
            suite["name"],
            asset=dg.AssetKey.from_user_string(suite["meta"]["asset"]),
            description=suite["meta"]["description"]
            + ("" if _suite_severity(suite) == "critical" else " (warns, does not block)"),
            additional_deps=[AUDIT],
        )
        for suite in suites
    ]

    @dg.multi_asset_check(specs=specs, name="great_expectations", can_subset=True)
    def great_expectations(context: dg.AssetCheckExecutionContext, yusuan: YusuanConfig):
        """The results of this build's Great Expectations suites (run by warehouse_audit)."""
        results = read_report(yusuan.get_home().reports / "checks.json")
        for suite in suites:
            spec_key = dg.AssetCheckKey(
                dg.AssetKey.from_user_string(suite["meta"]["asset"]), suite["name"]
            )
            if spec_key not in context.selected_asset_check_keys:
                continue
            mine = [r for r in results if r.suite == suite["name"]]
            failing = [r for r in mine if not r.success]
            critical = any(r.severity == "critical" for r in failing)
            yield dg.AssetCheckResult(
                asset_key=spec_key.asset_key,
                check_name=suite["name"],
                passed=not failing,
                severity=dg.AssetCheckSeverity.ERROR if critical else dg.AssetCheckSeverity.WARN,
                metadata={
                    "expectations": len(mine),
                    "failed": sum(r.outcome == "failed" for r in mine),
                    "warned": sum(r.outcome == "warned" for r in mine),
                    "failing": _failing_md(failing),
                },
            )

    return great_expectations


@dg.asset(
    key=PUBLISHED,
    group_name="publish",
    deps=[AUDIT],
    pool=WRITER_POOL,
    freshness_policy=NIGHTLY_FRESHNESS,
)
def published_warehouse(
    context: dg.AssetExecutionContext, yusuan: YusuanConfig
) -> dg.MaterializeResult:
    """The audited warehouse as a new release: `<home>/warehouse.duckdb` (replaced atomically),
    with Parquet, CSV and a DuckDB catalog under `<home>/current/` for BI tools. A build whose
    critical checks failed is not published: the previous release stays."""
    home = yusuan.get_home()
    blocking = [r for r in read_report(home.reports / "checks.json") if r.outcome == "failed"]
    if blocking:
        raise dg.Failure(
            description=f"publish blocked: {len(blocking)} critical checks failed; "
            "the published warehouse was kept",
            metadata={"failing": _failing_md(blocking)},
        )
    context.log.info("publish: release, exports and swap")
    fingerprint = build_fingerprint(yusuan.get_sources(), home)
    release = publish(home, home.build_db, fingerprint, checks_report=home.reports / "checks.json")
    return dg.MaterializeResult(
        metadata={
            "release": release.release_id,
            "path": dg.MetadataValue.path(str(home.warehouse)),
            "exports": dg.MetadataValue.path(str(home.releases / release.release_id)),
            "seconds": release.seconds,
            **docs_links(home),
            **{f"rows_{k}": v for k, v in release.marts.items()},
        }
    )


POSTGRES = dg.AssetKey("postgres_marts")


def build_postgres_asset(dsn: str):
    server = Server.parse(dsn)

    @dg.asset(key=POSTGRES, group_name="publish", deps=[PUBLISHED])
    def postgres_marts(
        context: dg.AssetExecutionContext, yusuan: YusuanConfig
    ) -> dg.MaterializeResult:
        """The published marts and check results, copied into PostgreSQL (YUSUAN_POSTGRES_DSN)
        for BI tools: replaced in one transaction, readable by the role `yusuan_reader`. A
        database that already holds the published release is left as it is."""
        home = yusuan.get_home()
        release = current_release(home)
        try:
            if release and postgres_release(dsn) == release.release_id:
                context.log.info(f"postgres: current (it holds release {release.release_id})")
                return dg.MaterializeResult(
                    metadata={"target": server.where, "release": release.release_id, "rows": 0}
                )
            context.log.info(f"postgres: replace the marts in {server.where}")
            copied = publish_to_postgres(home.warehouse, dsn)
        except PostgresPublishError as exc:
            raise dg.Failure(description=str(exc)) from None
        return dg.MaterializeResult(
            metadata={
                "target": server.where,
                "release": release.release_id if release else None,
                "rows": sum(copied.rows.values()),
                "seconds": round(copied.seconds, 2),
                **{f"rows_{k}": v for k, v in copied.rows.items()},
            }
        )

    return postgres_marts


def build_alert_sensor(config: YusuanConfig):
    @dg.run_failure_sensor(
        name="alert_on_run_failure", default_status=dg.DefaultSensorStatus.RUNNING
    )
    def alert_on_run_failure(context: dg.RunFailureSensorContext):
        """Write an alert for every failed run: `<home>/alerts.log`, and the webhook at
        YUSUAN_ALERT_WEBHOOK when it is set."""
        run = context.dagster_run
        failed_steps = []
        for event in context.get_step_failure_events():
            data = event.step_failure_data
            user = data.user_failure_data  # a dg.Failure raised by the step: its description
            error = user.description if user and user.description else data.error.message
            failed_steps.append({"step": event.step_key, "error": error.strip()})
        send_alert(
            config.get_home(),
            "run_failed",
            f"Dagster run of job {run.job_name} failed: {context.failure_event.message}",
            job=run.job_name,
            run_id=run.run_id,
            partition=run.tags.get("dagster/partition"),
            failed_steps=failed_steps,
        )

    return alert_on_run_failure


def build_sensor(build_job, source_names: list[str], config: YusuanConfig):
    @dg.sensor(
        job=build_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING
    )
    def build_after_fetch(context: dg.SensorEvaluationContext):
        """Start a build once every source has finished a fetch run since the last build
        (successfully or not: one failed source never holds the others back), unless nothing
        changed since the published release: that is recorded as an observation of
        `published_warehouse` instead. Fetch runs of `yusuan run` are left out: it builds
        itself the same way."""
        since = datetime.fromtimestamp(float(context.cursor or 0), UTC)
        records = [  # `yusuan run` starts its own build after its fetch runs
            r
            for r in context.instance.get_run_records(
                dg.RunsFilter(job_name="fetch", updated_after=since)
            )
            if r.dagster_run.tags.get(LAUNCHED_BY) != "cli"
        ]
        if any(not r.dagster_run.is_finished for r in records):
            return dg.SkipReason("fetch runs still in progress")
        finished = {r.dagster_run.tags.get("dagster/partition") for r in records}
        if not records or not set(source_names) <= finished:
            return dg.SkipReason("waiting for every source's fetch")
        latest = max(r.update_timestamp.timestamp() for r in records)
        context.update_cursor(str(latest))
        published = unchanged_release(config.get_home(), config.get_sources())
        if published:  # no build run: its planned checks would all show as skipped
            context.instance.report_runless_asset_event(confirmed_current(published))
            return dg.SkipReason(f"unchanged: release {published.release_id} is current")
        return dg.RunRequest(run_key=f"build-{latest:.0f}")

    return build_after_fetch


def build_definitions(
    home: str | None = None,
    sources: str | None = None,
    fetch_retry: dg.RetryPolicy | None = FETCH_RETRY,
    postgres: str | None = None,
) -> dg.Definitions:
    """The code location; `postgres` (default: YUSUAN_POSTGRES_DSN) adds the PostgreSQL copy."""
    config = YusuanConfig(home=home, sources=sources)
    postgres = postgres or os.environ.get("YUSUAN_POSTGRES_DSN")
    names = [s.name for s in config.get_sources()]
    fetch = build_fetch_asset(names, fetch_retry)
    fetch_job = dg.define_asset_job(
        "fetch",
        selection=[FETCHED],
        description="Fetch one source (a partition per source).",
    )
    build_job = dg.define_asset_job(
        "build",
        selection=dg.AssetSelection.all() - dg.AssetSelection.assets(FETCHED),
        description="Parse, load, dbt build, audit and publish everything fetched.",
        tags=BUILD_TAGS,
    )
    jobs = [fetch_job, build_job]
    if postgres:
        jobs.append(
            dg.define_asset_job(
                "postgres",
                selection=[POSTGRES],
                description="Copy the published release to PostgreSQL (when it lacks it).",
            )
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
            build_dbt_assets(config.get_home()),
            build_audit_asset(),
            published_warehouse,
            *([build_postgres_asset(postgres)] if postgres else []),
        ],
        asset_checks=[build_suite_checks()],
        jobs=jobs,
        schedules=[nightly],
        sensors=[
            build_sensor(build_job, names, config),
            build_alert_sensor(config),
        ],
        loggers={"progress": progress_logger},
        resources={
            "yusuan": config,
            "dbt": DbtCliResource(
                dbt_executable=str(DBT_EXECUTABLE),
                project_dir=str(DBT_PROJECT_DIR),
                profiles_dir=str(DBT_PROJECT_DIR),
            ),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
