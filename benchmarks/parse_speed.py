"""Benchmark: parsing real PDFs vs PyMuPDF's bare text extraction of the same files.

    uv run python benchmarks/parse_speed.py [--repeat 7] [--stages] [--corpus shanghai|national]

For each PDF of the corpus (sample/shanghai/, or sample/national/: seven provinces' real
disclosures), measured in the same run: the median time of PyMuPDF opening the file and
extracting every page's text (the floor), and of Yusuan's full parse of its bytes (sniff, read
with positions, recognise the document, parse every table and statement, count what it
captured). Prints the time per document and per page and the ratio of the two, and the median
ratio over the corpus' text PDFs (scanned ones, which have no text layer, are listed apart).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pymupdf

from orchestration.parse.document import parse_bytes
from orchestration.read.pdf import TEXT_FLAGS, _spans, read_pdf
from orchestration.read.pdf_tables import ruled_tables

CORPORA = Path(__file__).resolve().parent.parent / "sample"


def bare_extraction(data: bytes) -> int:
    document = pymupdf.open(stream=data, filetype="pdf")
    text = [page.get_text() for page in document]
    document.close()
    return len(text)


def text_pages(data: bytes) -> None:
    for page in pymupdf.open(stream=data, filetype="pdf"):
        page.get_textpage(flags=TEXT_FLAGS)


def spans_and_rules(data: bytes) -> None:
    for page in pymupdf.open(stream=data, filetype="pdf"):
        _spans(page.get_textpage(flags=TEXT_FLAGS))


def tables_found(data: bytes) -> None:
    for page in pymupdf.open(stream=data, filetype="pdf"):
        ruled_tables(page, _spans(page.get_textpage(flags=TEXT_FLAGS))[1])


# Where a parse spends its time: each stage includes the ones before it.
STAGES = [
    ("text pages with their vectors", text_pages),
    ("+ spans and rules as dicts", spans_and_rules),
    ("+ ruled tables found", tables_found),
    ("+ cells and lines (read_pdf)", read_pdf),
    ("+ recognition, tables, statements, coverage (parse)", parse_bytes),
]


def median_seconds(function, data: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--stages", action="store_true", help="also time each stage of a parse")
    parser.add_argument("--corpus", default="shanghai", choices=["shanghai", "national"])
    args = parser.parse_args()
    paths = sorted((CORPORA / args.corpus).rglob("*.pdf"))
    print(
        f"{'document':<44}{'pages':>6}{'bare ms':>9}{'parse ms':>10}{'ms/page':>9}{'ratio':>7}"
        "  status"
    )
    ratios = []
    for path in paths:
        data = path.read_bytes()
        pages = bare_extraction(data)
        bare = median_seconds(bare_extraction, data, args.repeat)
        full = median_seconds(parse_bytes, data, args.repeat)
        status = parse_bytes(data)["documents"][0]["status"]
        if status != "unreadable":  # a scanned PDF: no text to extract, nothing to compare
            ratios.append(full / bare)
        print(
            f"{path.name[:43]:<44}{pages:>6}{bare * 1000:>9.1f}{full * 1000:>10.1f}"
            f"{full * 1000 / pages:>9.2f}{full / bare:>7.2f}  {status}"
        )
    print(f"median ratio parse / bare extraction: {statistics.median(ratios):.2f}")
    if args.stages:
        for path in paths:
            data = path.read_bytes()
            bare = median_seconds(bare_extraction, data, args.repeat)
            print(f"\n{path.name}: bare extraction {bare * 1000:.1f} ms")
            for name, stage in STAGES:
                print(f"  {name:<40}{median_seconds(stage, data, args.repeat) * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
