"""The whole job once: fetch -> parse -> load -> model -> validate -> publish.

The CLI runs it in one process; the Dagster assets call the same step functions.
"""

from __future__ import annotations

import fcntl
import json
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.fetch.landing import Landing, utcnow
from orchestration.fetch.run import fetch_all, status_counts
from orchestration.fingerprint import build_fingerprint, published_fingerprint
from orchestration.home import Home
from orchestration.load.raw import load_raw
from orchestration.model import mart_counts, run_dbt_build
from orchestration.parse.run import parse_all, parsed_records
from orchestration.publish import publish
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
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return bool(self.dbt_failures) or any(c.outcome == "failed" for c in self.checks)

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
        if self.current:
            lines.append("published: unchanged (nothing new since the last publish)")
        else:
            lines.append(
                "published: " + ("yes" if self.published else "NO (blocking checks failed)")
            )
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


@contextmanager
def _timed(summary: RunSummary, step: str):
    start = time.perf_counter()
    yield
    summary.seconds[step] = time.perf_counter() - start


def _report_current(summary: RunSummary, home: Home) -> None:
    """Fill the summary from the published warehouse and its last check report."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        summary.mart_rows = mart_counts(con)
    finally:
        con.close()
    report = json.loads((home.reports / "checks.json").read_text(encoding="utf-8"))
    fields = set(CheckResult.__dataclass_fields__)
    summary.checks = [
        CheckResult(**{k: v for k, v in r.items() if k in fields}) for r in report["results"]
    ]
    summary.current = summary.published = True


def run(sources_path: Path | str | None = None, home_dir: Path | str | None = None) -> RunSummary:
    sources = load_sources(sources_path)
    home = Home.at(home_dir)
    landing = Landing(home.root)
    summary = RunSummary()
    with writer_lock(home):
        with _timed(summary, "fetch"):
            attempts = fetch_all(sources, landing)
            summary.fetched = status_counts([a for a in attempts if a.kind == "document"])
            summary.pages = status_counts([a for a in attempts if a.kind == "page"])
        with _timed(summary, "parse"):
            parsed = parse_all(home, landing)
            summary.parsed, summary.problems = parsed.by_status, parsed.problems
            summary.parsed_now = parsed.parsed
        fingerprint = build_fingerprint(sources, landing)
        if home.warehouse.exists() and fingerprint == published_fingerprint(home.published):
            _report_current(summary, home)
            return summary
        with _timed(summary, "load"):
            summary.raw_rows = load_raw(
                home.build_db, sources, landing.attempts(), parsed_records(home, landing)
            )
        with _timed(summary, "model"):
            outcome = run_dbt_build(home.build_db, home.root / "logs")
            summary.dbt_failures = outcome.failures
        if outcome.success:
            with _timed(summary, "validate"):
                summary.checks = run_suites(home.build_db)
                record_results(home.build_db, summary.checks)
            con = duckdb.connect(str(home.build_db), read_only=True)
            summary.mart_rows = mart_counts(con)
            con.close()
        write_report(home.reports / "checks.json", summary.checks)
        if not summary.blocked:
            with _timed(summary, "publish"):
                publish(home.build_db, home.warehouse)
                summary.published = True
                home.published.write_text(
                    json.dumps({"fingerprint": fingerprint, "published_at": utcnow().isoformat()}),
                    encoding="utf-8",
                )
        (home.reports / "last_run.json").write_text(
            json.dumps({"lines": summary.lines()}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return summary
