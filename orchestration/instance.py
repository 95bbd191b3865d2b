"""The Dagster instance a home's runs are recorded in: `$DAGSTER_HOME` when it is set, else
`<home>/dagster` (where `./dev ui` looks for the default home), set up from
`orchestration/dagster.yaml` on first use."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import dagster as dg
from sqlalchemy import event
from sqlalchemy.engine import Engine

from orchestration.home import PROJECT_ROOT, Home

SETTINGS = PROJECT_ROOT / "orchestration" / "dagster.yaml"
LAUNCHED_BY = "yusuan/launched_by"
HOME_TAG = "yusuan/home"


def instance_dir(home: Home) -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or home.root / "dagster").resolve()


def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def open_instance(home: Home) -> dg.DagsterInstance:
    """The instance; its SQLite event log (a local instance's) is written without fsync: a
    run's ~300 planned-asset events take 2 s instead of 20. A killed process loses nothing;
    a power cut may lose a run's last events, never warehouse data."""
    if not event.contains(Engine, "connect", _sqlite_without_fsync):
        event.listen(Engine, "connect", _sqlite_without_fsync)
    directory = instance_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / "dagster.yaml").exists():
        shutil.copyfile(SETTINGS, directory / "dagster.yaml")
    return dg.DagsterInstance.from_config(str(directory))


def cli_tags(home: Home) -> dict[str, str]:
    """Tags of a run started by `yusuan run` on `home`."""
    return {LAUNCHED_BY: "cli", HOME_TAG: str(home.root)}


def fail_abandoned_runs(instance: dg.DagsterInstance, home: Home) -> list[str]:
    """Mark as failed the CLI runs on `home` still recorded as in progress: the caller holds
    the home's writer lock, so their process is gone (killed). Frees what they held."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
            tags=cli_tags(home),
        )
    )
    for run in runs:
        instance.report_run_failed(run, "the process running it ended before it finished")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
    return [run.run_id for run in runs]
