"""The national corpus (real disclosures from seven provinces and a central department, in
`sample/national/`) as the tests read it: each text document's lines, read once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "sample" / "national"


def corpus_folder() -> Path:
    return CORPUS


def read_lines(path: Path) -> list:
    from orchestration.formats import sniff_format
    from orchestration.read.dispatch import read_document

    data = path.read_bytes()
    return read_document(data, sniff_format(data))


@cache
def fixture_lines() -> dict[str, list]:
    """Relative path -> the reader's lines, for every text document of the corpus."""
    from orchestration.read.dispatch import UnreadableDocument

    lines = {}
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and path.suffix in (".pdf", ".html"):
            try:
                lines[str(path.relative_to(CORPUS))] = read_lines(path)
            except UnreadableDocument:  # the scanned PDFs: no text layer
                continue
    return lines
