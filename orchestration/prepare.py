"""Prepare the dbt project: its `raw` sources, generated from the contract of the raw tables
(`orchestration/load/raw_tables.yaml`), its catalog seeds, generated from the catalog of table
kinds (`orchestration/parse/table_kinds.yaml`), and the manifest that the Dagster definitions
are built from (`dbt parse`). Every path that runs dbt prepares them first: `dbt parse` here,
`yusuan-dbt` (`orchestration/dbt_child.py`) for every dbt command the project starts."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import yaml

from orchestration.home import DEFAULT_HOME, PROJECT_ROOT
from orchestration.load.schema import CONTRACT, Contract, contract
from orchestration.model import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
SOURCES = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"  # generated, not in git
CATALOG_SEEDS = DBT_PROJECT_DIR / "seeds" / "catalog"  # generated, not in git


def sources_yaml(raw: Contract | None = None) -> str:
    """The dbt sources file of the `raw` schema: every table of the contract with its
    description and columns (name, data type, meaning)."""
    raw = raw or contract()
    tables = [
        {
            "name": table.name,
            "description": table.description,
            "columns": [
                {"name": f.name, "data_type": f.type, "description": f.meaning}
                for f in table.fields
            ],
        }
        for table in raw.tables.values()
    ]
    source = {"name": "raw", "schema": "raw", "description": raw.description, "tables": tables}
    contract_file = CONTRACT.relative_to(PROJECT_ROOT)
    header = f"# Generated from {contract_file} (orchestration/prepare.py): edit that file.\n"
    body = yaml.safe_dump(
        {"version": 2, "sources": [source]}, allow_unicode=True, sort_keys=False, width=100
    )
    return header + body


def catalog_seeds() -> dict[str, str]:
    """The catalog of table kinds as dbt seeds (file name -> CSV text): its kinds, its column
    ids and its row items, each with its meaning."""
    from orchestration.parse.catalog import load_catalog

    catalog = load_catalog()
    kinds = [
        (k.id, k.name, k.phase, k.family, k.scope, k.rows, k.code_column or "", k.unit, k.required)
        for k in catalog.kinds
    ]
    items = [
        (name, item.id, item.side or "", item.role, item.meaning)
        for name, entries in catalog.item_lists.items()
        for item in entries
    ]
    return {
        "table_kinds.csv": _csv(
            [
                "table_kind",
                "name",
                "phase",
                "family",
                "scope",
                "rows",
                "code_column",
                "unit",
                "required",
            ],
            kinds,
        ),
        "table_columns.csv": _csv(["column_id", "meaning"], catalog.columns.items()),
        "table_row_items.csv": _csv(["item_list", "row_item", "side", "role", "meaning"], items),
    }


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    """Write a generated file when it differs from what is there (an unchanged file keeps its
    mtime, so the manifest stays current); atomic, for concurrent dbt commands."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_sources() -> Path:
    """Write the generated parts of the dbt project: the `raw` sources file and the catalog
    seeds."""
    _write(SOURCES, sources_yaml())
    for name, text in catalog_seeds().items():
        _write(CATALOG_SEEDS / name, text)
    return SOURCES


def _newest_source_mtime() -> float:
    paths = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        paths += (DBT_PROJECT_DIR / folder).rglob("*")
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def ensure_manifest() -> Path:
    """Write the sources, then run `dbt parse` when the manifest is missing or older than the
    dbt project's files."""
    write_sources()
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
