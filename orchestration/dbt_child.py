"""`yusuan-dbt`: dbt, on the project's prepared sources, tied to the process that started it.

Dagster's dbt resource (and the docs step) starts dbt as a child process. This wrapper writes
the dbt sources from the raw tables' contract (`orchestration/prepare.py`), asks the kernel to
kill it when its parent dies (PR_SET_PDEATHSIG, kept across exec), then becomes dbt: a killed
run leaves no dbt process behind holding the staging warehouse.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path

from orchestration.model import die_with_parent
from orchestration.prepare import write_sources


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # asked before every command: answer without starting dbt
        print(f"Core:\n  - installed: {metadata.version('dbt-core')}")
        return
    write_sources()
    dbt = str(Path(sys.executable).with_name("dbt"))
    die_with_parent()
    os.execv(dbt, [dbt, *sys.argv[1:]])


if __name__ == "__main__":
    main()
