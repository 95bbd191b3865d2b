"""The whole job once, through Dagster: a fetch run per source, then the build run.

`yusuan run` executes, in this process, the same jobs the nightly schedule and its sensor
start (fetch -> parse -> load -> model -> validate -> publish), on the Dagster instance of
the home (see `instance.py`): its runs, materializations and checks are in the Dagster UI,
and its summary is read back from those runs' events.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from orchestration.alerts import send_alert
from orchestration.home import Home
from orchestration.instance import cli_tags, fail_abandoned_runs, open_instance
from orchestration.model import MARTS
from orchestration.parse.exclusions import read_exclusions
from orchestration.publish import Release, current_release
from orchestration.sources import SAMPLE_SOURCES, load_sources
from orchestration.summary import RunSummary
from orchestration.validate.suites import load_suite_files, read_report

STEP_PHASES = {  # Dagster step -> the phase it is timed under
    "fetched_documents": "fetch",
    "parsed_documents": "parse",
    "raw_tables": "load",
    "dbt_models": "model",
    "warehouse_audit": "validate",
    "great_expectations": "validate",
    "published_warehouse": "publish",
    "postgres_marts": "postgres",
}


@contextmanager
def writer_lock(home: Home):
    """One writer per home at a time (DuckDB allows one writer per file)."""
    with open(home.root / ".writer.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another run is writing to {home.root}") from None
        yield


def _outcome(summary: RunSummary, error: str | None) -> str:
    if error or summary.errors:
        return "failed"
    if summary.current:
        return "unchanged"
    return "published" if summary.published else "blocked"


def _record_last_run(home: Home, summary: RunSummary, started: str, error: str | None) -> None:
    """Write what the run did to `reports/last_run.json`, for `yusuan status`."""
    home.reports.mkdir(parents=True, exist_ok=True)
    record = {
        "started_at": started,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "outcome": _outcome(summary, error),
        "error": error or ("; ".join(summary.errors) if summary.errors else None),
        "release_id": summary.release.release_id if summary.release else None,
        "seconds": {k: round(v, 2) for k, v in summary.seconds.items()},
        "wall_seconds": round(summary.wall_seconds or 0.0, 2),
        "lines": summary.lines(),
    }
    tmp = home.last_run.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(home.last_run)


def _alert(home: Home, summary: RunSummary, error: str | None) -> None:
    """Alert on a failed or blocked run, and on a PostgreSQL copy that could not be replaced."""
    if summary.postgres_error and not error:
        send_alert(home, "postgres_failed", summary.postgres_error)
    outcome = _outcome(summary, error)
    if outcome in {"failed", "blocked"}:
        failing = [c.message() for c in summary.checks if c.outcome == "failed"]
        send_alert(
            home,
            "run_failed" if outcome == "failed" else "publish_blocked",
            error
            or "; ".join(summary.errors)
            or "blocking checks failed: the published warehouse was kept",
            failing=failing + summary.dbt_failures,
        )


def run(
    sources_path: Path | str | None = None,
    home_dir: Path | str | None = None,
    quiet: bool = False,
    postgres: str | None = None,
) -> RunSummary:
    """Fetch, parse, load, build, validate and publish once, as Dagster runs; returns what
    happened. With a `postgres` DSN, the published release is also copied to PostgreSQL."""
    sources_path = Path(sources_path or os.environ.get("YUSUAN_SOURCES") or SAMPLE_SOURCES)
    sources = load_sources(sources_path)  # a bad sources file stops here, before any work
    home = Home.at(home_dir)
    read_exclusions(home)  # so does a malformed exclusions file
    summary = RunSummary()
    with writer_lock(home):
        started = datetime.now(UTC).isoformat(timespec="seconds")
        clock = time.perf_counter()
        try:
            with open_instance(home) as instance:
                fail_abandoned_runs(instance, home)
                _execute(
                    instance,
                    home,
                    sources_path,
                    [s.name for s in sources],
                    summary,
                    quiet,
                    postgres,
                )
        except Exception as exc:
            summary.wall_seconds = time.perf_counter() - clock
            error = f"{type(exc).__name__}: {exc}"
            _record_last_run(home, summary, started, error)
            _alert(home, summary, error)
            raise
        summary.wall_seconds = time.perf_counter() - clock
        _record_last_run(home, summary, started, None)
        _alert(home, summary, None)
    return summary


def _execute(instance, home, sources_path, names, summary, quiet, postgres) -> None:
    from orchestration.definitions import build_definitions  # heavy: Dagster and dbt

    definitions = build_definitions(
        home=str(home.root), sources=str(sources_path), fetch_retry=None, postgres=postgres
    )
    options = {
        "instance": instance,
        "run_config": {"loggers": {"progress": {"config": {"quiet": quiet}}}},
        "tags": cli_tags(home),
        "raise_on_error": False,
    }
    with _stdout_discarded():  # dbt's own log lines: kept in the runs' compute logs
        _execute_jobs(definitions, options, instance, home, sources_path, names, summary, postgres)


@contextmanager
def _stdout_discarded():
    """Point file descriptor 1 at /dev/null for the block: what the steps print goes to the
    Dagster compute logs only, and stdout keeps the run summary alone."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _execute_jobs(
    definitions, options, instance, home, sources_path, names, summary, postgres
) -> None:
    from orchestration.definitions import confirmed_current, unchanged_release

    fetch = definitions.resolve_job_def("fetch")
    for name in names:
        _read_fetch(summary, fetch.execute_in_process(partition_key=name, **options), instance)
    published = unchanged_release(home, load_sources(sources_path))
    if published:  # as the build sensor does: no build run, an observation
        instance.report_runless_asset_event(confirmed_current(published))
        _report_unchanged(summary, instance, home)
    else:
        result = definitions.resolve_job_def("build").execute_in_process(**options)
        _read_build(summary, result, instance, home)
    if postgres and summary.current:  # a copy that failed before is retried
        copy = definitions.resolve_job_def("postgres").execute_in_process(**options)
        _read_build(summary, copy, instance, home)


def _values(metadata) -> dict:
    return {k: getattr(v, "value", v) for k, v in (metadata or {}).items()}


def _time(summary: RunSummary, instance: dg.DagsterInstance, run_id: str) -> None:
    """Add each step's wall time (from the run's event log) to its phase."""
    started: dict[str, float] = {}
    ended: dict[str, float] = {}
    for entry in instance.all_logs(run_id):
        key = entry.step_key
        if key is None:
            continue
        if entry.dagster_event and entry.dagster_event.event_type_value == "STEP_START":
            started[key] = entry.timestamp
        ended[key] = entry.timestamp
    for key, start in started.items():
        phase = STEP_PHASES.get(key, key)
        summary.seconds[phase] = summary.seconds.get(phase, 0.0) + ended[key] - start


def _failures(result) -> dict[str, tuple[str, dict]]:
    """step -> (error, metadata) of each step that failed."""
    failed = {}
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            data = event.step_failure_data
            user = data.user_failure_data  # a dg.Failure raised by the step
            error = user.description if user and user.description else data.error.message
            failed[event.step_key] = (error.strip(), _values(user.metadata if user else None))
    return failed


def _read_fetch(summary: RunSummary, result, instance) -> None:
    summary.runs.append(f"fetch {result.run_id[:8]}")
    _time(summary, instance, result.run_id)
    metadata = None
    for event in result.get_asset_materialization_events():
        metadata = _values(event.materialization.metadata)
    failed = _failures(result)
    if metadata is None and "fetched_documents" in failed:
        error, metadata = failed["fetched_documents"]
        if not metadata:  # an unexpected error, not a source that fetched nothing
            summary.errors.append(
                f"fetch of {result.dagster_run.tags.get('dagster/partition')}: {error}"
            )
            return
    metadata = metadata or {}
    for status in ("new", "changed", "unchanged", "failed", "deferred"):
        summary.fetched[status] += metadata.get(status, 0)
    summary.pages["visited"] += metadata.get("pages_visited", 0) - metadata.get("pages_failed", 0)
    summary.pages["failed"] += metadata.get("pages_failed", 0)
    if not sum(summary.pages.values()):
        summary.pages.clear()
    summary.fetch_failures += metadata.get("failures") or []
    if metadata.get("empty_reason"):
        partition = result.dagster_run.tags.get("dagster/partition")
        summary.empty_sources[partition] = metadata["empty_reason"]


def _read_build(summary: RunSummary, result, instance, home: Home) -> None:
    summary.runs.append(f"{result.job_def.name} {result.run_id[:8]}")
    _time(summary, instance, result.run_id)
    gx_suites = {s["name"] for s in load_suite_files()}
    audited = False
    for event in result.all_events:
        kind = event.event_type_value
        if kind == "ASSET_MATERIALIZATION":
            key = event.asset_key.to_user_string()
            metadata = _values(event.materialization.metadata)
            if key == "parsed_documents":
                summary.parsed_now = metadata.get("parsed_now", 0)
                for name, value in metadata.items():
                    if name.startswith("status_"):
                        summary.parsed[name.removeprefix("status_")] = value
                summary.problems = metadata.get("problems") or []
            elif key.startswith("raw/"):
                summary.raw_rows[key.removeprefix("raw/")] = metadata.get("dagster/row_count")
            elif key == "warehouse_audit":
                audited = True
                summary.mart_rows = metadata.get("mart_rows") or {}
                summary.docs_error = metadata.get("docs_error")
            elif key == "published_warehouse":
                summary.published = True
                summary.release = Release.read(home.releases / metadata["release"])
            elif key == "postgres_marts":
                summary.postgres_rows = metadata.get("rows", 0)
        elif kind == "ASSET_OBSERVATION":
            metadata = _values(event.asset_observation_data.asset_observation.metadata)
            if metadata.get("unchanged"):
                _report_current(summary, home)
        elif kind == "ASSET_CHECK_EVALUATION":
            check = event.asset_check_evaluation_data
            dbt_test = (
                check.check_name not in gx_suites and check.check_name != "blocking_expectations"
            )
            if dbt_test and not check.passed and check.severity == dg.AssetCheckSeverity.ERROR:
                summary.dbt_failures.append(
                    f"{check.asset_key.to_user_string()}: {check.check_name}"
                )
    if audited:
        summary.checks = read_report(home.reports / "checks.json")
    for step, (error, _) in _failures(result).items():
        if step == "postgres_marts":
            summary.postgres_error = error
        elif step == "dbt_models":
            if not summary.dbt_failures:
                summary.dbt_failures.append(f"dbt build failed: {error}")
        elif not (step == "published_warehouse" and summary.blocked):
            summary.errors.append(f"{step}: {error}")


def _report_unchanged(summary: RunSummary, instance, home: Home) -> None:
    """Nothing changed: the documents as the last build parsed them, and the release."""
    parsed = instance.get_latest_materialization_event(dg.AssetKey("parsed_documents"))
    if parsed:
        metadata = _values(parsed.asset_materialization.metadata)
        for name, value in metadata.items():
            if name.startswith("status_"):
                summary.parsed[name.removeprefix("status_")] = value
        summary.problems = metadata.get("problems") or []
    _report_current(summary, home)


def _report_current(summary: RunSummary, home: Home) -> None:
    """Fill the summary from the published release and its check report."""
    release = current_release(home)
    summary.current = True
    summary.release = release
    if release:
        summary.mart_rows = {m: release.marts[m] for m in MARTS if m in release.marts}
        summary.checks = read_report(home.current / "checks.json")
