"""Where a Yusuan home keeps its files (default: `warehouse/` at the project root)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = PROJECT_ROOT / "warehouse"


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def at(cls, root: Path | str | None = None) -> Home:
        root = Path(root or os.environ.get("YUSUAN_HOME") or DEFAULT_HOME).resolve()
        root.mkdir(parents=True, exist_ok=True)
        return cls(root)

    @property
    def parsed(self) -> Path:
        """Parsed records cached per parser version and document: parsed/<version>/<sha>.json"""
        return self.root / "parsed"

    @property
    def build_db(self) -> Path:
        """The staging warehouse each run builds and audits before publishing."""
        return self.root / "build" / "warehouse.duckdb"

    @property
    def warehouse(self) -> Path:
        """The published warehouse that readers open (read-only)."""
        return self.root / "warehouse.duckdb"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def releases(self) -> Path:
        """The kept releases: releases/<id>/ with the warehouse, its exports and checks."""
        return self.root / "releases"

    @property
    def current(self) -> Path:
        """A symlink to the published release's folder (its Parquet, CSV and catalog)."""
        return self.root / "current"

    @property
    def docs(self) -> Path:
        """The documentation sites: docs/dbt/ and docs/gx/ (Great Expectations Data Docs)."""
        return self.root / "docs"

    @property
    def last_run(self) -> Path:
        """What the last run did, for `yusuan status`."""
        return self.reports / "last_run.json"

    @property
    def alerts(self) -> Path:
        """One JSON line per alert (a failed or blocked run)."""
        return self.root / "alerts.log"
