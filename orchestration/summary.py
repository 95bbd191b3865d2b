"""What one run of the job did, as `yusuan run` prints it and `yusuan status` keeps it.

Every line is `printable`: text from documents and portals (URLs, reasons, cell texts) has its
control characters escaped, so it can neither move the cursor nor start a line of its own."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from orchestration.publish import Release
from orchestration.safe_text import printable
from orchestration.validate.suites import CheckResult, summarise

SHOWN = 5  # failed URLs and failing rows listed before "… and N more"
EXCLUDE_HINT = 'yusuan exclude <document_key> --reason "…"'
PROBLEMS_SHOWN = 30  # documents not parsed listed before "… and N more"
WIDTH = 300  # characters of one printed row


def clip(text: str, width: int = WIDTH) -> str:
    """`text` printable, and cut to `width` characters."""
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class RunSummary:
    fetched: Counter = field(default_factory=Counter)  # documents by status
    pages: Counter = field(default_factory=Counter)  # listing and detail pages by status
    fetch_failures: list[dict] = field(default_factory=list)  # url, kind, error
    empty_sources: dict[str, str] = field(default_factory=dict)  # source -> why it has nothing
    parsed: Counter = field(default_factory=Counter)  # by document status
    parsed_now: int = 0  # documents parsed in this run (the rest were unchanged)
    problems: list[dict] = field(default_factory=list)
    raw_rows: dict[str, int] = field(default_factory=dict)
    mart_rows: dict[str, int] = field(default_factory=dict)
    dbt_failures: list[str] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # steps that failed unexpectedly
    published: bool = False
    current: bool = False  # nothing changed: the published warehouse was kept as it is
    release: Release | None = None  # the release published (or kept) by this run
    docs_error: str | None = None  # why the dbt docs site could not be generated
    postgres_error: str | None = None  # why the PostgreSQL copy could not be replaced
    postgres_rows: int | None = None  # rows copied to PostgreSQL (0: it was current)
    seconds: dict[str, float] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)  # the Dagster runs: "<job> <run id>"
    wall_seconds: float | None = None  # the whole run, start to end

    @property
    def blocked(self) -> bool:
        return bool(self.dbt_failures) or any(c.outcome == "failed" for c in self.checks)

    @property
    def ok(self) -> bool:
        """Published (or current) everywhere it should be."""
        return not self.blocked and not self.errors and not self.postgres_error

    def lines(self) -> list[str]:
        fetched = self.fetched
        lines = [
            f"documents fetched: {fetched['new']} new, {fetched['changed']} changed, "
            f"{fetched['unchanged']} unchanged, {fetched['failed']} failed"
            + (
                f", {n} deferred to the next run (over max_documents)"
                if (n := fetched["deferred"])
                else ""
            )
        ]
        if self.pages:
            lines.append(
                f"pages visited: {sum(self.pages.values())} ({self.pages['failed']} failed)"
            )
        lines += capped(
            [clip(f"  [fetch failed] {f['url']}: {f['error']}") for f in self.fetch_failures],
            "failed URLs",
        )
        lines += [f"  [no documents] {name}: {why}" for name, why in self.empty_sources.items()]
        lines.append(
            f"documents parsed: {self.parsed['parsed']}"
            + (f", excluded: {n}" if (n := self.parsed["excluded"]) else "")
            + f", unreadable: {self.parsed['unreadable']}, "
            f"unsupported: {self.parsed['unsupported']}, failed: {self.parsed['failed']}"
            + (f", quarantined: {n}" if (n := self.parsed["quarantined"]) else "")
            + f" ({self.parsed_now} parsed in this run)"
        )
        lines += capped(
            [
                clip(f"  {p['status']}: {p['url']} ({p['document_key']}): {p['reason']}")
                for p in self.problems
            ],
            "documents not parsed (marts.dim_document gives each with its reason)",
            shown=PROBLEMS_SHOWN,
        )
        if self.mart_rows:
            lines.append("rows per mart:")
            lines += [f"  marts.{name}: {count}" for name, count in self.mart_rows.items()]
        counts = summarise(self.checks)
        lines.append(
            f"checks: {counts['passed']} passed, {counts['warned']} warned, "
            f"{counts['failed']} failed"
        )
        for check in self.checks:
            if check.outcome != "passed":
                lines += check_lines(check)
        lines += [f"  [dbt failed] {f}" for f in self.dbt_failures]
        lines += [f"  [error] {e}" for e in self.errors]
        if self.docs_error:
            lines.append(f"docs: NOT updated: {self.docs_error}")
        lines.append(self._published_line())
        if self._blocked_by_a_document():
            lines.append(f"  to publish the rest without a document: {EXCLUDE_HINT}")
        if self.postgres_error:
            lines.append(f"postgres: NOT updated: {self.postgres_error}")
        elif self.postgres_rows:
            lines.append(f"postgres: replaced ({self.postgres_rows} rows)")
        elif self.postgres_rows == 0:
            lines.append("postgres: current (it holds this release)")
        if self.runs:
            lines.append("dagster runs: " + ", ".join(self.runs))
        steps = ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        total = f"{self.wall_seconds:.1f}s in all: " if self.wall_seconds is not None else ""
        lines.append(f"time: {total}{steps}")
        return [printable(line) for line in lines]

    def _blocked_by_a_document(self) -> bool:
        """Whether publishing was blocked by a check whose failing rows name documents."""
        return not self.published and any(
            check.outcome == "failed" and any("document_key" in row for row in check.failing_rows)
            for check in self.checks
        )

    def _published_line(self) -> str:
        if self.current:
            release = f": release {self.release.release_id}" if self.release else ""
            return f"published: unchanged (nothing new since the last publish{release})"
        if self.published:
            return f"published: yes (release {self.release.release_id})"
        if self.errors:
            return "published: NO (the run failed)"
        return "published: NO (blocking checks failed)"


def capped(lines: list[str], what: str, shown: int = SHOWN) -> list[str]:
    """The first `shown` lines, then one saying how many more there are."""
    if len(lines) <= shown:
        return lines
    return lines[:shown] + [f"  … and {len(lines) - shown} more {what}"]


def check_lines(check: CheckResult, shown: int = SHOWN) -> list[str]:
    """A failing check: its headline, then one line per failing row (the first few)."""
    head = f"  [{check.outcome}] {check.suite}: {check.description}"
    if not check.failing_rows:
        observed = f" (observed {check.observed})" if check.observed is not None else ""
        return [clip(head + observed)]
    rows = [
        clip("      " + ", ".join(f"{k}={v}" for k, v in row.items()))
        for row in check.failing_rows[:shown]
    ]
    more = check.failing_count - len(rows)
    tail = [f"      … and {more} more rows"] if more > 0 else []
    count = f"{check.failing_count} row" + ("" if check.failing_count == 1 else "s")
    return [clip(f"{head} ({count})"), *rows, *tail]
