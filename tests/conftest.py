"""Shared fixtures: the bundled sample, parsed once; a full run of the job, done once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pgserver import NOT_FOUND, bindir, postgres_server

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "hebei" / "nangong_party_committee_2021_department_budget.txt"
SAMPLE_SOURCES = ROOT / "sample" / "sources.yaml"
NATIONAL_SOURCES = ROOT / "sample" / "national.yaml"  # the sample and the national corpus

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


def yusuan(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed `yusuan` console script as a user would."""
    exe = Path(sys.executable).with_name("yusuan")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="session")
def sample_records() -> dict[str, list[dict]]:
    from orchestration.parse.document import parse_bytes

    return parse_bytes(SAMPLE.read_bytes(), {"source_name": "test", "url": SAMPLE.as_uri()})


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`yusuan run` on the bundled sample into a fresh home: (home, completed process)."""
    home = tmp_path_factory.mktemp("home")
    return home, yusuan("run", "--home", str(home))


@pytest.fixture(scope="session")
def sample_warehouse(sample_run):
    """The sample run's published warehouse, opened read-only as a BI reader would."""
    import duckdb

    home, process = sample_run
    assert process.returncode == 0, process.stdout + process.stderr
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def national_warehouse(tmp_path_factory):
    """`yusuan run` on the sample and the national corpus (sample/national.yaml) into a fresh
    home, once: its published warehouse, opened read-only; and the run's output."""
    import duckdb

    home = tmp_path_factory.mktemp("national")
    process = yusuan("run", "--sources", str(NATIONAL_SOURCES), "--home", str(home))
    assert "published: yes" in process.stdout, process.stdout + process.stderr
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    yield con, process
    con.close()


@pytest.fixture(scope="session")
def final_accounts_run(tmp_path_factory) -> Path:
    """`yusuan run` on the final-accounts corpus (see `final_accounts_corpus.py`): its home."""
    from final_accounts_corpus import write_corpus

    root = tmp_path_factory.mktemp("final_accounts")
    home = root / "home"
    process = yusuan("run", "--sources", str(write_corpus(root)), "--home", str(home))
    assert "published: yes" in process.stdout, process.stdout + process.stderr
    return home


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server on 127.0.0.1 for the session: its superuser DSN."""
    if bindir() is None:
        pytest.skip(NOT_FOUND)
    with postgres_server() as dsn:
        yield dsn


@pytest.fixture(scope="session")
def mixed_runs(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, ...]:
    """Two `yusuan run`s of the mixed template A corpus (see `corpora.py`) into one home:
    (home, first, second); the second finds nothing new."""
    from corpora import write_mixed_corpus

    root = tmp_path_factory.mktemp("mixed")
    sources, home = write_mixed_corpus(root), root / "home"
    first = yusuan("run", "--sources", str(sources), "--home", str(home))
    second = yusuan("run", "--sources", str(sources), "--home", str(home))
    return home, first, second
