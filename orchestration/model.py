"""Model: run the dbt project (staging -> intermediate -> marts) on the staging warehouse."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from orchestration.home import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# dbt as the project runs it (orchestration/dbt_child.py): the raw sources written, then dbt
DBT_EXECUTABLE = Path(sys.executable).with_name("yusuan-dbt")
# Readable wide tables for analysts (models/analysts/): a fact with its names and labels.
ANALYST_VIEWS = [
    "v_project_cost",
    "v_indicator_target",
    "v_department_budget",
    "v_three_public_expenses",
    "v_functional_expenditure",
    "v_economic_expenditure",
]
FINDINGS = "fct_check_findings"  # a mart the validation step writes (validate/findings.py), not dbt
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
    "fct_stated_functional_lines",
    "fct_economic_expenditure",
    "mart_project_cost_by_year",
    "mart_indicator_target_changes",
    "mart_department_budget_by_year",
    "mart_three_public_by_year",
    "mart_budget_execution",
    "hist_department_budget",
    "hist_three_public_expenses",
    FINDINGS,
    *ANALYST_VIEWS,
]


def dbt_command(command: str, log_dir: Path, target_path: Path | None = None) -> list[str]:
    """The `dbt` command line for this project (`command` such as "build" or "docs generate"),
    with logs under `log_dir` and artifacts under `target_path` (default `log_dir/target`)."""
    return [
        str(DBT_EXECUTABLE),
        *command.split(),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--log-path",
        str(log_dir),
        "--target-path",
        str(target_path or log_dir / "target"),
    ]


def die_with_parent() -> None:
    """Run in a child before it starts: the kernel kills it when its parent dies, so a killed
    run leaves no dbt process behind holding the staging warehouse (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def mart_counts(con) -> dict[str, int]:
    return {m: con.execute(f"SELECT count(*) FROM marts.{m}").fetchone()[0] for m in MARTS}


@contextlib.contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """A new directory beside `target` to write into: when the block succeeds it replaces
    `target` as a whole, so readers never see a half-written one; when it fails it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield staging
        staging.chmod(0o755)
        retired = staging.with_name(staging.name.replace(".new-", ".old-"))
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _dbt_errors(process: subprocess.CompletedProcess, catalog: Path) -> str:
    """dbt's error messages: its JSON log lines of level error (without stack traces) and the
    errors recorded in `catalog`; else the last lines it printed."""
    messages = []
    for line in process.stdout.splitlines():
        try:
            event = json.loads(line)["info"]
        except (ValueError, KeyError, TypeError):
            continue
        if event.get("level") == "error" and event.get("name") != "MainStackTrace":
            messages.append(event["msg"].strip())
    if catalog.is_file():
        messages += json.loads(catalog.read_text(encoding="utf-8")).get("errors") or []
    tail = (process.stdout + process.stderr).strip().splitlines()[-5:]
    return "\n".join(messages) or " | ".join(tail) or f"exit status {process.returncode}"


def generate_dbt_docs(db_path: Path, log_dir: Path, out_dir: Path) -> Path:
    """`dbt docs generate --static` against the built database at `db_path`, in a child process
    (no connection outlives it). `out_dir/index.html` is the whole site in one file, to open
    from disk, with `manifest.json` and `catalog.json` beside it; the previous site is replaced
    as a whole. The manifest and parse state that `dbt build` left in `log_dir/target` are
    reused (no compiling; no parsing when the database path is the same); without them dbt
    parses and compiles. Returns the path of index.html; raises RuntimeError with dbt's message
    when dbt fails."""
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path}")
    build_target = log_dir / "target"
    with staged_directory(out_dir) as site:
        target = site / "target"
        target.mkdir()
        for name in ("manifest.json", "partial_parse.msgpack"):
            if (build_target / name).is_file():
                shutil.copyfile(build_target / name, target / name)
        command = dbt_command("docs generate", log_dir, target) + [
            "--static",
            "--quiet",
            "--log-format",
            "json",
            "--log-format-file",
            "default",
        ]
        if (target / "manifest.json").exists():
            command.append("--no-compile")
        process = subprocess.run(
            command,
            env={**os.environ, "YUSUAN_DUCKDB_PATH": str(db_path)},
            capture_output=True,
            text=True,
            preexec_fn=die_with_parent,
        )
        if process.returncode != 0:
            errors = _dbt_errors(process, target / "catalog.json")
            raise RuntimeError(f"dbt docs generate failed: {errors}")
        (target / "static_index.html").rename(site / "index.html")
        for name in ("manifest.json", "catalog.json"):
            (target / name).rename(site / name)
        shutil.rmtree(target)
    return out_dir / "index.html"


def dbt_docs_anchor(unique_id: str) -> str:
    """The URL fragment of a node's page in the dbt docs site, to append to index.html:
    `model.yusuan.fct_project_cost` -> `#!/model/model.yusuan.fct_project_cost`."""
    return f"#!/{unique_id.split('.', 1)[0]}/{unique_id}"


def document_warehouse(home) -> str | None:
    """Generate the dbt docs site of a home's staging warehouse into `<home>/docs/dbt/`;
    returns why it failed, if it did (the documentation never blocks a publish)."""
    try:
        generate_dbt_docs(home.build_db, home.root / "logs", home.docs / "dbt")
    except (RuntimeError, OSError) as exc:
        return str(exc)
    return None
