"""Publish: turn the audited staging warehouse into a release and swap it in for readers.

A release is a folder `releases/<id>/` holding a read-only copy of the warehouse, its exports
(see `export.py`), the check results it passed (`checks.json`) and `release.json`, written
last: a release is complete when its `release.json` exists. It is written as
`releases/.incoming-<id>/`, renamed, given its catalog and `release.json`, then published in
one step each: `<home>/warehouse.duckdb` is a hard link of the release's warehouse, replaced by an
atomic rename, and `<home>/current` a symlink to the release folder, replaced the same way.
Readers holding the previous file keep reading it; new readers open the new one. A run that
dies at any point leaves the published release untouched; its leftovers are removed by the
next publish. The newest `keep` releases are kept.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.export import export_marts, mart_tables, write_catalog
from orchestration.home import Home

KEEP_RELEASES = 5
INCOMING = ".incoming-"


@dataclass
class Release:
    release_id: str
    published_at: str
    fingerprint: str | None
    marts: dict[str, int]  # rows per mart
    checks: dict[str, int]  # passed / warned / failed
    seconds: float = 0.0

    @classmethod
    def read(cls, folder: Path) -> Release | None:
        """The release described by `folder/release.json`, or None."""
        try:
            data = json.loads((folder / "release.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _new_release_id(releases: Path, now: datetime) -> str:
    base = now.strftime("%Y%m%dT%H%M%SZ")
    release_id, n = base, 1
    while (releases / release_id).exists() or (releases / f"{INCOMING}{release_id}").exists():
        n += 1
        release_id = f"{base}-{n}"
    return release_id


def _stamp(build_db: Path, release_id: str, published_at: str, fingerprint: str | None) -> dict:
    """Record the release in the warehouse itself (`audit.release`, `audit.mart_rows`) so that
    every reader can tell which release answered; returns rows per mart and check counts."""
    con = duckdb.connect(str(build_db))
    try:
        marts = {
            t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0]
            for t in mart_tables(con)
        }
        checks = dict.fromkeys(("passed", "warned", "failed"), 0)
        has_checks = con.execute(
            """select count(*) from information_schema.tables
            where table_schema = 'audit' and table_name = 'check_results'"""
        ).fetchone()[0]
        if has_checks:
            for outcome, count in con.execute(
                "select outcome, count(*) from audit.check_results group by outcome"
            ).fetchall():
                checks[outcome] = count
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute("""CREATE OR REPLACE TABLE audit.release (release_id VARCHAR,
            published_at TIMESTAMPTZ, fingerprint VARCHAR, checks_passed INTEGER,
            checks_warned INTEGER, checks_failed INTEGER)""")
        con.execute(
            "INSERT INTO audit.release VALUES (?, ?, ?, ?, ?, ?)",
            [release_id, published_at, fingerprint, *checks.values()],
        )
        con.execute("CREATE OR REPLACE TABLE audit.mart_rows (mart VARCHAR, row_count BIGINT)")
        con.executemany("INSERT INTO audit.mart_rows VALUES (?, ?)", list(marts.items()))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {"marts": marts, "checks": checks}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(target: Path, make) -> None:
    """Create the new entry beside `target` with `make(tmp)`, then rename it over `target`."""
    tmp = target.with_name(f".{target.name}.new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    make(tmp)
    os.replace(tmp, target)


def remove_leftovers(home: Home) -> None:
    """Remove what a killed publish left behind: incoming releases and half-made links."""
    if home.releases.exists():
        current = home.current.resolve()
        for folder in home.releases.iterdir():
            incomplete = not (folder / "release.json").exists() and folder.resolve() != current
            if folder.name.startswith(INCOMING) or incomplete:
                shutil.rmtree(folder, ignore_errors=True)
    for name in (home.warehouse.name, home.current.name):
        leftover = home.root / f".{name}.new"
        if leftover.is_symlink() or leftover.exists():
            leftover.unlink()


def list_releases(home: Home) -> list[Release]:
    """The complete releases kept under `releases/`, oldest first."""
    if not home.releases.exists():
        return []
    folders = sorted(p for p in home.releases.iterdir() if not p.name.startswith("."))
    return [r for r in map(Release.read, folders) if r is not None]


def current_release(home: Home) -> Release | None:
    """The published release (what `<home>/current` points at), or None."""
    return Release.read(home.current)


def publish(
    home: Home,
    build_db: Path,
    fingerprint: str | None = None,
    checks_report: Path | None = None,
    keep: int = KEEP_RELEASES,
) -> Release:
    """Make a release of the audited `build_db` and publish it; keep the newest `keep`."""
    start = datetime.now(UTC)
    remove_leftovers(home)
    home.releases.mkdir(parents=True, exist_ok=True)
    release_id = _new_release_id(home.releases, start)
    published_at = start.isoformat(timespec="seconds")
    final = home.releases / release_id
    incoming = home.releases / f"{INCOMING}{release_id}"
    incoming.mkdir()
    stamped = _stamp(build_db, release_id, published_at, fingerprint)
    warehouse = incoming / "warehouse.duckdb"
    shutil.copyfile(build_db, warehouse)
    os.chmod(warehouse, 0o444)
    tables = export_marts(warehouse, incoming)
    if checks_report and checks_report.exists():
        shutil.copyfile(checks_report, incoming / "checks.json")
    for path in incoming.rglob("*"):
        if path.is_file():
            _fsync(path)
    os.rename(incoming, final)
    write_catalog(final, tables)
    release = Release(release_id, published_at, fingerprint, stamped["marts"], stamped["checks"])
    release.seconds = round((datetime.now(UTC) - start).total_seconds(), 3)
    done = final / ".release.json"
    done.write_text(json.dumps(asdict(release), ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync(done)
    _fsync(final / "catalog.duckdb")
    os.replace(done, final / "release.json")
    _fsync(final)
    _swap(home.warehouse, lambda tmp: os.link(final / "warehouse.duckdb", tmp))
    _swap(home.current, lambda tmp: tmp.symlink_to(final.relative_to(home.root)))
    _fsync(home.root)
    prune(home, keep)
    return release


def prune(home: Home, keep: int) -> list[str]:
    """Delete all but the newest `keep` releases (never the current one); returns their ids."""
    current = current_release(home)
    old = list_releases(home)[: -max(keep, 1)]
    removed = []
    for release in old:
        if current and release.release_id == current.release_id:
            continue
        shutil.rmtree(home.releases / release.release_id)
        removed.append(release.release_id)
    return removed
