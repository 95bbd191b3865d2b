"""Prepare the dbt manifest that the Dagster definitions are built from (`dbt parse`)."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.home import DEFAULT_HOME
from orchestration.model import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


def _newest_source_mtime() -> float:
    paths = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        paths += (DBT_PROJECT_DIR / folder).rglob("*")
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def ensure_manifest() -> Path:
    """Run `dbt parse` when the manifest is missing or older than the dbt project's files."""
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("YUSUAN_DUCKDB_PATH", str(DEFAULT_HOME / "build" / "warehouse.duckdb"))
    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
        ]
    )
    if not result.success or not MANIFEST.exists():
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return MANIFEST
