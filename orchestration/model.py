"""Model: run the dbt project (staging -> intermediate -> marts) on the staging warehouse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    "fct_functional_expenditure",
    "fct_economic_expenditure",
    "mart_project_cost_by_year",
    "mart_indicator_target_changes",
    "mart_department_budget_by_year",
    "mart_three_public_by_year",
]


@dataclass
class DbtOutcome:
    success: bool
    statuses: Counter = field(default_factory=Counter)  # e.g. {'success': 30, 'pass': 60}
    failures: list[str] = field(default_factory=list)  # failing nodes with their message


def dbt_command(command: str, log_dir: Path) -> list[str]:
    """The `dbt` command line for this project, with logs and artifacts under `log_dir`."""
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt),
        command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--log-path",
        str(log_dir),
        "--target-path",
        str(log_dir / "target"),
    ]


def run_dbt_build(db_path: Path, log_dir: Path) -> DbtOutcome:
    """`dbt build` (models and their tests) against `db_path`, in a child process so that
    no connection to the database outlives it."""
    env = {**os.environ, "YUSUAN_DUCKDB_PATH": str(db_path)}
    process = subprocess.run(dbt_command("build", log_dir), env=env, capture_output=True, text=True)
    outcome = DbtOutcome(success=process.returncode == 0)
    results_file = log_dir / "target" / "run_results.json"
    results = json.loads(results_file.read_text())["results"] if results_file.exists() else []
    for node in results:
        outcome.statuses[node["status"]] += 1
        if node["status"] in {"error", "fail"}:
            outcome.failures.append(f"{node['unique_id']}: {node.get('message')}")
    if not outcome.success and not outcome.failures:
        tail = (process.stdout + process.stderr).strip().splitlines()[-5:]
        outcome.failures.append("dbt build failed: " + " | ".join(tail))
    return outcome


def mart_counts(con) -> dict[str, int]:
    return {m: con.execute(f"SELECT count(*) FROM marts.{m}").fetchone()[0] for m in MARTS}
