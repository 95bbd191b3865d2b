"""`yusuan status`: the last run, the last publish, freshness and failing checks of a home.

Freshness counts from the last time the published warehouse was confirmed current: its
publish, or a later run that found nothing new. The job runs nightly, so a warehouse not
confirmed for `max_age_hours` (default 26) is stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from orchestration.home import Home
from orchestration.publish import current_release, list_releases
from orchestration.safe_text import printable

MAX_AGE_HOURS = 26.0
SHOWN = 240  # characters of a check's message


@dataclass
class Status:
    lines: list[str] = field(default_factory=list)
    healthy: bool = True


def _read_json(path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _when(text: str) -> datetime:
    """An ISO 8601 time; one without a zone is UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ago(moment: datetime, now: datetime) -> str:
    hours = (now - moment).total_seconds() / 3600
    return f"{hours * 60:.0f} min ago" if hours < 1 else f"{hours:.1f} h ago"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _short(text: str) -> str:
    text = printable(text)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _check_lines(report: dict | None, outcomes: set[str]) -> list[str]:
    results = (report or {}).get("results", [])
    lines = []
    for r in results:
        if r.get("outcome") in outcomes:
            n = r.get("failing_count") or 0
            rows = f" ({_count(n, 'row')})" if n else ""
            lines.append(_short(f"  [{r['outcome']}] {r['suite']}: {r['description']}{rows}"))
    return lines


def _blocking_lines(home: Home, last: dict | None) -> list[str]:
    """Why the last run did not publish: its failing checks, or its error."""
    if not last or last["outcome"] != "blocked":
        return []
    blocked = _check_lines(_read_json(home.reports / "checks.json"), {"failed"})
    dbt = [_short(f"  {line.strip()}") for line in last.get("lines", []) if "[dbt failed]" in line]
    lines = [f"failing checks (last run, not published): {len(blocked) + len(dbt)}"]
    return lines + blocked + dbt


def _dagster_lines(home: Home) -> list[str]:
    """The latest run of each job in the home's Dagster instance (see `instance.py`)."""
    from orchestration.instance import instance_dir, open_instance

    if not (instance_dir(home) / "dagster.yaml").exists():
        return []
    import dagster as dg

    lines = []
    with open_instance(home) as instance:
        for job in ("fetch", "build", "postgres"):
            records = instance.get_run_records(dg.RunsFilter(job_name=job), limit=1)
            if records:
                run = records[0]
                lines.append(
                    f"dagster {job}: run {run.dagster_run.run_id[:8]} "
                    f"{run.dagster_run.status.value} at "
                    f"{run.update_timestamp.isoformat(timespec='seconds')}"
                )
    return lines


def status(home: Home, max_age_hours: float = MAX_AGE_HOURS, now: datetime | None = None) -> Status:
    """The status of `home`, every line printable (see `safe_text`)."""
    result = _status(home, max_age_hours, now or datetime.now(UTC))
    result.lines = [printable(line) for line in result.lines]
    return result


def _status(home: Home, max_age_hours: float, now: datetime) -> Status:
    result = Status(lines=[f"home: {home.root}"])
    last = _read_json(home.last_run)
    if last:
        took = last.get("wall_seconds") or sum(last.get("seconds", {}).values())
        release = f", release {last['release_id']}" if last.get("release_id") else ""
        error = f": {_short(last['error'])}" if last.get("error") else ""
        result.lines.append(
            f"last run: {last['outcome']} at {last['finished_at']} "
            f"({_ago(_when(last['finished_at']), now)}, {took:.1f} s)"
            f"{release}{error}"
        )
        result.healthy &= last["outcome"] in {"published", "unchanged"}
    else:
        result.lines.append("last run: none recorded")
    result.lines += _dagster_lines(home)

    published = current_release(home)
    if published is None:
        result.lines.append("last publish: nothing published yet")
        result.lines += _blocking_lines(home, last)
        result.healthy = False
        return result
    kept = len(list_releases(home))
    rows = sum(published.marts.values())
    result.lines.append(
        f"last publish: release {published.release_id} at {published.published_at}, "
        f"{len(published.marts)} marts, {rows:,} rows ({_count(kept, 'release')} kept)"
    )
    confirmed = _when(published.published_at)
    if last and last["outcome"] == "unchanged" and last.get("release_id") == published.release_id:
        confirmed = max(confirmed, _when(last["finished_at"]))
    age = (now - confirmed).total_seconds() / 3600
    fresh = age <= max_age_hours
    result.healthy &= fresh
    result.lines.append(
        f"freshness: {'fresh' if fresh else 'STALE'}: confirmed current {_ago(confirmed, now)} "
        f"(stale after {max_age_hours:g} h)"
    )

    result.lines += _blocking_lines(home, last)
    checks = _read_json(home.current / "checks.json")
    warned = _check_lines(checks, {"warned"})
    result.lines.append(
        f"checks of the published release: {published.checks.get('passed', 0)} passed, "
        f"{published.checks.get('warned', 0)} warned, {published.checks.get('failed', 0)} failed"
    )
    result.lines += warned
    return result
