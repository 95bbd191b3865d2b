"""The whole job once: fetch -> parse -> load -> model -> validate -> publish.

The CLI runs it in one process; the Dagster assets call the same step functions.
"""

from __future__ import annotations

import fcntl
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.alerts import send_alert
from orchestration.fetch.landing import Landing
from orchestration.fetch.run import fetch_all, status_counts
from orchestration.fingerprint import build_fingerprint
from orchestration.home import Home
from orchestration.load.raw import load_raw
from orchestration.model import MARTS, generate_dbt_docs, mart_counts, run_dbt_build
from orchestration.parse.run import parse_all, parsed_records
from orchestration.postgres import PostgresPublishError, postgres_release, publish_to_postgres
from orchestration.publish import Release, current_release, publish
from orchestration.sources import load_sources
from orchestration.validate.suites import (
    CheckResult,
    record_results,
    run_suites,
    summarise,
    write_report,
)


@dataclass
class RunSummary:
    fetched: Counter = field(default_factory=Counter)  # documents by status
    pages: Counter = field(default_factory=Counter)  # listing and detail pages by status
    parsed: Counter = field(default_factory=Counter)  # by document status
    parsed_now: int = 0  # documents parsed in this run (the rest were unchanged)
    problems: list[dict] = field(default_factory=list)
    raw_rows: dict[str, int] = field(default_factory=dict)
    mart_rows: dict[str, int] = field(default_factory=dict)
    dbt_failures: list[str] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    published: bool = False
    current: bool = False  # nothing changed: the published warehouse was kept as it is
    release: Release | None = None  # the release published (or kept) by this run
    docs_error: str | None = None  # why the dbt docs site could not be generated
    postgres_error: str | None = None  # why the PostgreSQL copy could not be replaced
    postgres_rows: int | None = None  # rows copied to PostgreSQL
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return bool(self.dbt_failures) or any(c.outcome == "failed" for c in self.checks)

    @property
    def ok(self) -> bool:
        """Published (or current) everywhere it should be."""
        return not self.blocked and not self.postgres_error

    def lines(self) -> list[str]:
        fetched = self.fetched
        lines = [
            f"documents fetched: {fetched['new']} new, {fetched['changed']} changed, "
            f"{fetched['unchanged']} unchanged, {fetched['failed']} failed",
            f"documents parsed: {self.parsed['parsed']}, unreadable: "
            f"{self.parsed['unreadable']}, unsupported: {self.parsed['unsupported']}, "
            f"failed: {self.parsed['failed']} "
            f"({self.parsed_now} parsed in this run)",
        ]
        if self.pages:
            pages = self.pages
            lines.insert(1, f"pages visited: {sum(pages.values())} ({pages['failed']} failed)")
        lines += [
            f"  {p['status']}: {p['url']} ({p['document_key']}): {p['reason']}"
            for p in self.problems
        ]
        lines.append("rows per mart:")
        lines += [f"  marts.{name}: {count}" for name, count in self.mart_rows.items()]
        counts = summarise(self.checks)
        lines.append(
            f"checks: {counts['passed']} passed, {counts['warned']} warned, "
            f"{counts['failed']} failed"
        )
        lines += [f"  {c.message()}" for c in self.checks if c.outcome != "passed"]
        lines += [f"  [dbt failed] {f}" for f in self.dbt_failures]
        if self.docs_error:
            lines.append(f"docs: NOT updated: {self.docs_error}")
        if self.current:
            lines.append(
                "published: unchanged (nothing new since the last publish"
                + (f": release {self.release.release_id})" if self.release else ")")
            )
        elif self.published:
            lines.append(f"published: yes (release {self.release.release_id})")
        else:
            lines.append("published: NO (blocking checks failed)")
        if self.postgres_error:
            lines.append(f"postgres: NOT updated: {self.postgres_error}")
        elif self.postgres_rows is not None:
            lines.append(f"postgres: replaced ({self.postgres_rows} rows)")
        elif "postgres" in self.seconds:
            lines.append("postgres: current (it holds this release)")
        lines.append("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items()))
        return lines


@contextmanager
def writer_lock(home: Home):
    """One writer per home at a time (DuckDB allows one writer per file)."""
    with open(home.root / ".writer.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another run is writing to {home.root}") from None
        yield


Progress = Callable[[str], None]


def print_progress(message: str) -> None:
    """Progress on stderr, one timestamped line a step, for logs of unattended runs."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextmanager
def _step(summary: RunSummary, step: str, progress: Progress | None, what: str):
    if progress:
        progress(f"{step}: {what}")
    start = time.perf_counter()
    yield
    summary.seconds[step] = time.perf_counter() - start


def _report_current(summary: RunSummary, home: Home, release: Release) -> None:
    """Fill the summary from the published release and its check report."""
    summary.mart_rows = {m: release.marts[m] for m in MARTS if m in release.marts}
    report = json.loads((home.current / "checks.json").read_text(encoding="utf-8"))
    fields = set(CheckResult.__dataclass_fields__)
    summary.checks = [
        CheckResult(**{k: v for k, v in r.items() if k in fields}) for r in report["results"]
    ]
    summary.current = summary.published = True
    summary.release = release


def _outcome(summary: RunSummary, error: str | None) -> str:
    if error:
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
        "error": error,
        "release_id": summary.release.release_id if summary.release else None,
        "seconds": {k: round(v, 2) for k, v in summary.seconds.items()},
        "lines": summary.lines(),
    }
    tmp = home.last_run.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(home.last_run)


def _alert(home: Home, summary: RunSummary, error: str | None) -> None:
    """Alert on a failed or blocked run, and on a PostgreSQL copy that could not be replaced."""
    if summary.postgres_error and not error:
        send_alert(home, "postgres_failed", summary.postgres_error)
    if _outcome(summary, error) in {"failed", "blocked"}:
        failing = [c.message() for c in summary.checks if c.outcome == "failed"]
        send_alert(
            home,
            "run_failed" if error else "publish_blocked",
            error or "blocking checks failed: the published warehouse was kept",
            failing=failing + summary.dbt_failures,
        )


def document(home: Home) -> str | None:
    """Generate the dbt docs site of the staging warehouse into `<home>/docs/dbt/`; returns
    why it failed, if it did (the documentation never blocks a publish)."""
    try:
        generate_dbt_docs(home.build_db, home.root / "logs", home.docs / "dbt")
    except (RuntimeError, OSError) as exc:
        return str(exc)
    return None


def run(
    sources_path: Path | str | None = None,
    home_dir: Path | str | None = None,
    progress: Progress | None = None,
    postgres: str | None = None,
) -> RunSummary:
    """Fetch, parse, load, build, validate and publish once; returns what happened. With a
    `postgres` DSN, a new release also replaces the marts in that PostgreSQL database."""
    sources = load_sources(sources_path)
    home = Home.at(home_dir)
    summary = RunSummary()
    with writer_lock(home):
        started = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            _run(sources, home, summary, progress)
            if postgres:
                _copy_to_postgres(home, summary, progress, postgres)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            _record_last_run(home, summary, started, error)
            _alert(home, summary, error)
            raise
        _record_last_run(home, summary, started, None)
        _alert(home, summary, None)
    return summary


def _copy_to_postgres(home: Home, summary: RunSummary, progress: Progress | None, dsn: str):
    """Replace the PostgreSQL copy with the published release unless it holds it already (a
    copy that failed is retried by the next run, even when nothing else changed)."""
    release = current_release(home)
    if release is None:
        return
    with _step(summary, "postgres", progress, "replace the marts in PostgreSQL"):
        try:
            if postgres_release(dsn) == release.release_id:
                return
            copied = publish_to_postgres(home.warehouse, dsn)
            summary.postgres_rows = sum(copied.rows.values())
        except PostgresPublishError as exc:
            summary.postgres_error = str(exc)


def _run(sources, home: Home, summary: RunSummary, progress: Progress | None) -> None:
    landing = Landing(home.root)
    with _step(summary, "fetch", progress, f"{len(sources)} sources"):
        attempts = fetch_all(sources, landing)
        summary.fetched = status_counts([a for a in attempts if a.kind == "document"])
        summary.pages = status_counts([a for a in attempts if a.kind == "page"])
    with _step(summary, "parse", progress, "new documents"):
        parsed = parse_all(home, landing)
        summary.parsed, summary.problems = parsed.by_status, parsed.problems
        summary.parsed_now = parsed.parsed
    fingerprint = build_fingerprint(sources, landing)
    published = current_release(home)
    if home.warehouse.exists() and published and published.fingerprint == fingerprint:
        if progress:
            progress(f"unchanged: release {published.release_id} is current")
        _report_current(summary, home, published)
        return
    with _step(summary, "load", progress, f"raw tables into {home.build_db}"):
        summary.raw_rows = load_raw(
            home.build_db, sources, landing.attempts(), parsed_records(home, landing)
        )
    with _step(summary, "model", progress, "dbt build"):
        outcome = run_dbt_build(home.build_db, home.root / "logs")
        summary.dbt_failures = outcome.failures
    if outcome.success:
        with _step(summary, "validate", progress, "Great Expectations suites"):
            summary.checks = run_suites(home.build_db, docs_dir=home.docs / "gx")
            record_results(home.build_db, summary.checks)
        with _step(summary, "document", progress, f"dbt docs into {home.docs}"):
            summary.docs_error = document(home)
        con = duckdb.connect(str(home.build_db), read_only=True)
        summary.mart_rows = mart_counts(con)
        con.close()
    write_report(home.reports / "checks.json", summary.checks)
    if summary.blocked:
        return
    with _step(summary, "publish", progress, "release, exports and swap"):
        summary.release = publish(
            home, home.build_db, fingerprint, checks_report=home.reports / "checks.json"
        )
        summary.published = True
