"""Publish: replace the readers' warehouse with the audited staging warehouse in one step."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def publish(build_db: Path, target: Path) -> Path:
    """Copy `build_db` next to `target`, flush it, then atomically rename it over `target`.

    Readers holding the previous file keep reading it; new readers open the new one. A run
    that dies before the rename leaves the published warehouse untouched.
    """
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".publish-", suffix=".duckdb")
    os.close(fd)
    try:
        shutil.copyfile(build_db, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
