"""Model: run the dbt project (staging -> intermediate -> marts) on the staging warehouse."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.home import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
MARTS = [
    "dim_document",
    "dim_department",
    "dim_unit",
    "dim_project",
    "dim_indicator",
    "fct_indicator_target",
    "fct_project_cost",
    "fct_department_budget",
    "fct_three_public_expenses",
]


@dataclass
class DbtOutcome:
    success: bool
    statuses: Counter = field(default_factory=Counter)  # e.g. {'success': 30, 'pass': 60}
    failures: list[str] = field(default_factory=list)  # failing nodes with their message


def dbt_args(command: str, db_path: Path, log_dir: Path) -> list[str]:
    return [
        command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--log-path",
        str(log_dir),
        "--target-path",
        str(log_dir / "target"),
        "--quiet",
    ]


def run_dbt_build(db_path: Path, log_dir: Path) -> DbtOutcome:
    """`dbt build` (models and their tests) against `db_path`, in this process."""
    from dbt.cli.main import dbtRunner  # heavy: imported only when building

    os.environ["YUSUAN_DUCKDB_PATH"] = str(db_path)
    result = dbtRunner().invoke(dbt_args("build", db_path, log_dir))
    outcome = DbtOutcome(success=bool(result.success))
    if result.exception is not None:
        outcome.failures.append(f"dbt: {result.exception}")
    for node_result in getattr(result.result, "results", None) or []:
        status = str(node_result.status).split(".")[-1].lower()
        outcome.statuses[status] += 1
        if status in {"error", "fail"}:
            outcome.failures.append(f"{node_result.node.name}: {node_result.message}")
    return outcome


def mart_counts(con) -> dict[str, int]:
    return {m: con.execute(f"SELECT count(*) FROM marts.{m}").fetchone()[0] for m in MARTS}
