"""What a build is made of: when nothing in it changed, the published warehouse is current.

The fingerprint covers the latest state of every URL of the sources (bytes or failure), the
sources themselves, the documents the operator excluded, the parser version, and the code,
models and suites that build the warehouse. A nightly run over an unchanged portal finds the
same fingerprint and skips the build.
"""

from __future__ import annotations

import hashlib
import json

from orchestration.fetch.landing import Landing
from orchestration.home import PROJECT_ROOT, Home
from orchestration.parse.document import PARSER_VERSION
from orchestration.parse.exclusions import read_exclusions
from orchestration.sources import Source

BUILD_INPUTS = [
    "orchestration",
    "dbt_project/models",
    "dbt_project/macros",
    "dbt_project/seeds",
    "dbt_project/dbt_project.yml",
    "expectations",
]


def _code_digest() -> str:
    digest = hashlib.sha256()
    for name in BUILD_INPUTS:
        root = PROJECT_ROOT / name
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file() and path.suffix in {".py", ".sql", ".yml", ".yaml", ".json", ".csv"}:
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def build_fingerprint(sources: list[Source], home: Home) -> str:
    landing = Landing(home.root)
    state = []
    for source in sources:
        for url, entry in sorted(landing.latest_by_url(source.name).items()):
            last = entry["last"]
            state.append(
                [
                    source.name,
                    url,
                    last["status"] == "failed",
                    last.get("sha256") or last.get("error"),
                ]
            )
    payload = {
        "sources": [repr(s) for s in sources],
        "state": state,
        "excluded": sorted((key, row["reason"]) for key, row in read_exclusions(home).items()),
        "parser": PARSER_VERSION,
        "code": _code_digest(),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()
