"""The national corpus (real disclosures from seven provinces and a central department) as the
tests see it: the lines the reader gives for each of its text documents, kept in
`fixtures/national_corpus_lines.json.xz` so that the tests run from a fresh clone, and the real
files themselves where `shared/corpus/national` sits beside the project.

Regenerate the fixture after a change to the readers:

    uv run python tests/national_corpus.py
"""

from __future__ import annotations

import json
import lzma
import os
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "national_corpus_lines.json.xz"


def corpus_folder() -> Path | None:
    """The national corpus beside the project (`../shared`, or `$YUSUAN_SHARED`), if there."""
    candidates = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    if os.environ.get("YUSUAN_SHARED"):
        candidates.insert(0, Path(os.environ["YUSUAN_SHARED"]))
    for shared in candidates:
        folder = shared / "corpus" / "national"
        if folder.is_dir():
            return folder
    return None


@cache
def fixture_lines() -> dict[str, list]:
    """Relative path -> the reader's lines, as stored."""
    from orchestration.parse.layout import Line

    stored = json.loads(lzma.decompress(FIXTURE.read_bytes()))
    return {
        path: [Line(no, text, page, table=table) for no, text, page, table in lines]
        for path, lines in stored.items()
    }


def read_lines(path: Path) -> list:
    from orchestration.formats import sniff_format
    from orchestration.read.dispatch import read_document

    data = path.read_bytes()
    return read_document(data, sniff_format(data))


def main() -> None:
    from orchestration.read.dispatch import UnreadableDocument

    folder = corpus_folder()
    if folder is None:
        sys.exit("no shared/corpus/national beside the project (set YUSUAN_SHARED)")
    stored = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix == ".md":
            continue
        try:
            lines = read_lines(path)
        except UnreadableDocument as exc:  # the scanned PDFs: no text layer
            print(f"left out {path.relative_to(folder)}: {exc}")
            continue
        stored[str(path.relative_to(folder))] = [
            [line.no, line.text, line.page, line.table] for line in lines
        ]
    text = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
    FIXTURE.write_bytes(lzma.compress(text.encode("utf-8"), preset=9))
    print(f"{len(stored)} documents -> {FIXTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
