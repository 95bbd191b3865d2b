"""Benchmark: the whole job over the fake portal, then an unchanged nightly re-run.

    uv run python benchmarks/crawl_rerun.py

Starts the test suite's fake portal on 127.0.0.1 (GBK listings, detail pages, attachments and
faults), runs `yusuan run` on it twice into a fresh home, and prints each run's wall time and
what it fetched and parsed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from portal import Portal  # noqa: E402


def main() -> None:
    yusuan = Path(sys.executable).with_name("yusuan")
    with tempfile.TemporaryDirectory() as tmp, Portal() as portal:
        sources = portal.write_sources(Path(tmp) / "sources.yaml", retries=1)
        print(f"{'run':<22}{'wall s':>8}  summary")
        for label in ("first run", "unchanged re-run"):
            start = time.perf_counter()
            process = subprocess.run(
                [str(yusuan), "run", "--sources", str(sources), "--home", str(Path(tmp) / "home")],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - start
            lines = process.stdout.splitlines()
            picked = [
                line
                for line in lines
                if line.startswith(("documents fetched", "documents parsed", "published", "time"))
            ]
            print(
                f"{label:<22}{seconds:>8.2f}  "
                + "\n"
                + "\n".join(" " * 32 + line for line in picked)
            )


if __name__ == "__main__":
    main()
