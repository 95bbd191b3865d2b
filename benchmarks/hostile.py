"""Benchmark: every hostile input, each in a fresh child process, timed and weighed.

    uv run --frozen --no-sync python benchmarks/hostile.py [--case NAME]

Documents (the catalog of `orchestration.synth.hostile`): each is landed alone in a temporary
home and parsed by `parse_all` under the job's limits, so the worker pool and its limits are
the ones a run uses. Portal answers (the test suite's fake portal on 127.0.0.1, with the test
suite's fast crawl settings): each is crawled from a page linking to it by `fetch_source`.
Sources files: each is given to `yusuan run`, which must refuse it with exit status 2 and one
line. Prints a markdown table: the time of the parse or crawl in the child (for `yusuan run`,
of the whole process), the peak memory (max RSS) of the child and all its descendants, and
the outcome.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from portal import PDF, Portal  # noqa: E402

from orchestration.safe_text import printable  # noqa: E402
from orchestration.synth.hostile import CASES, land  # noqa: E402

# -- in the child process ----------------------------------------------------------------------


def child_parse(file: Path, home: Path) -> dict:
    from orchestration.fetch.landing import Landing
    from orchestration.home import Home
    from orchestration.parse.run import parse_all

    land(home, [file])
    started = time.monotonic()
    summary = parse_all(Home.at(home), Landing(home))
    seconds = time.monotonic() - started
    problem = summary.problems[0] if summary.problems else {"status": "parsed", "reason": ""}
    return {"seconds": seconds, "status": problem["status"], "reason": problem["reason"]}


def child_crawl(sources: Path, home: Path) -> dict:
    from orchestration.fetch.landing import Landing
    from orchestration.fetch.run import fetch_source
    from orchestration.sources import load_sources

    source = load_sources(sources)[0]
    started = time.monotonic()
    attempts = fetch_source(source, Landing(home))
    seconds = time.monotonic() - started
    return {
        "seconds": seconds,
        "attempts": [(a.url, a.kind, a.status, a.error) for a in attempts],
    }


# -- in the benchmark process ------------------------------------------------------------------


# Runs argv[2:] and writes its max RSS (KB, of it and the descendants it waited for) and exit
# code to argv[1]. A process's max RSS starts at that of the process it was forked from (Linux
# keeps it across exec), so the command is forked from this small launcher, not from the
# benchmark, whose corpus-building would be counted in every row.
LAUNCHER = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def measured(command: list[str]) -> tuple[float, float, int, str, str]:
    """Run `command` as a fresh process: (wall seconds, peak MB of RSS of it and its
    descendants, exit code, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        usage, out, err = (Path(tmp) / name for name in ("usage", "out", "err"))
        started = time.monotonic()
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            launch = [sys.executable, "-S", "-c", LAUNCHER, str(usage), *command]
            subprocess.run(launch, stdout=stdout, stderr=stderr, check=True)
        seconds = time.monotonic() - started
        kilobytes, code = map(int, usage.read_text().split())
        decoded = (path.read_bytes().decode(errors="replace") for path in (out, err))
        return seconds, kilobytes / 1024, code, *decoded


def in_child(mode: str, *args: Path) -> tuple[float, float, dict]:
    """This script in a fresh process, running `mode`: (its own seconds, peak MB, result)."""
    command = [sys.executable, __file__, f"--{mode}", *map(str, args)]
    _, megabytes, code, out, err = measured(command)
    if code != 0:
        return 0.0, megabytes, {"error": f"child exit {code}: {err.strip()[-200:]}"}
    result = json.loads(out)
    return result.pop("seconds"), megabytes, result


def clip(text: str, width: int = 80) -> str:
    text = printable(text).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def document_rows(names: set[str] | None, tmp: Path) -> Iterator[tuple]:
    for case in CASES:
        if names and case.name not in names:
            continue
        folder = tmp / case.name
        folder.mkdir()
        file = folder / case.file_name
        file.write_bytes(case.build())
        seconds, megabytes, result = in_child("parse", file, folder / "home")
        if "error" in result:
            outcome = result["error"]
        else:
            outcome = f"{result['status']}: {result['reason']}".removesuffix(": ")
            expected = result["status"] == case.status and case.reason in result["reason"]
            outcome = outcome if expected else "UNEXPECTED " + outcome
        yield case.name, case.attack, seconds, megabytes, outcome


class BenchPortal(Portal):
    """The test portal, with a Retry-After just under five minutes and a page of many links."""

    LINKS = 5000

    def __init__(self):
        super().__init__()
        links = "".join(f'<a href="/many/{n}.pdf">{n}</a>' for n in range(self.LINKS))
        self.pages["/bench/many.html"] = ("text/html", links.encode())
        for n in range(self.LINKS):
            self.files[f"/many/{n}.pdf"] = ("application/pdf", PDF + f"% {n}\n".encode())

    def hostile(self, handler, path: str) -> None:
        if path == "/hostile/retry-299.pdf":
            return self._send(handler, 503, "text/plain", b"busy", {"Retry-After": "299"})
        return super().hostile(handler, path)


# name, attack, link on the start page (None: the start page is the attack), crawl options
HTTP_CASES = [
    ("trickle_body", "body trickles a byte per 0.05 s (deadline 5 s)",
     "/hostile/trickle.pdf", {"deadline": 5, "timeout": 1}),
    ("trickle_headers", "headers trickle a byte per 0.05 s (deadline 5 s)",
     "/hostile/trickle-headers.pdf", {"deadline": 5, "timeout": 1}),
    ("retry_after_299", "503 with Retry-After: 299", "/hostile/retry-299.pdf", {}),
    ("bad_gzip", "Content-Encoding gzip, body not gzip", "/hostile/gzip.pdf", {}),
    ("redirect_file", "redirect to file:///etc/passwd", "/hostile/to-file.pdf", {}),
    ("bad_ipv6_link", "link to 'http://[::1/broken.pdf'", "http://[::1/broken.pdf", {}),
    ("short_body", "body shorter than its Content-Length", "/files/short.pdf", {}),
    ("many_links", "a page of 5,000 document links", None, {}),
]  # fmt: skip


def crawl_outcome(link: str | None, attempts: list) -> str:
    if link is None:  # the many-links page: what became of its documents
        documents = [a for a in attempts if a[1] == "document"]
        fetched = sum(1 for a in documents if a[2] != "failed")
        deferred = [a[3] for a in documents if a[3] and a[3].startswith("deferred")]
        return f"{fetched} fetched, {len(deferred)} {deferred[0] if deferred else 'deferred'}"
    for url, _, status, error in attempts:
        if url.endswith(link.lstrip("/")) or url == link:
            return f"{status}: {error}" if error else status
    return "not requested"


def http_rows(names: set[str] | None, tmp: Path) -> Iterator[tuple]:
    with BenchPortal() as portal:
        for name, attack, link, options in HTTP_CASES:
            if names and name not in names:
                continue
            start = "/bench/many.html" if link is None else f"/bench/{name}.html"
            if link is not None:
                portal.pages[start] = ("text/html", f'<a href="{link}">{name}</a>'.encode())
            folder = tmp / name
            folder.mkdir()
            sources = portal.write_sources(folder / "sources.yaml", start, **options)
            seconds, megabytes, result = in_child("crawl", sources, folder / "home")
            outcome = result.get("error") or crawl_outcome(link, result["attempts"])
            yield name, attack, seconds, megabytes, outcome


HEAD = "sources:\n  - {name: a, kind: http, province: 省, prefecture: 市, county: 县,\n"
URLS = '     urls: ["http://a.cn/"]'
BOMB = "lol: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)
)
SOURCES_CASES = [
    ("sources_alias_bomb", "YAML alias bomb (10^10 nodes)", (HEAD + URLS + "}\n" + BOMB).encode()),
    ("sources_urls_123", "urls: 123", (HEAD + "     urls: 123}\n").encode()),
    ("sources_gbk", "sources file encoded in GBK", (HEAD + URLS + "}\n").encode("gbk")),
    ("sources_retries", "retries: -1", (HEAD + URLS + ", retries: -1}\n").encode()),
]


def sources_rows(names: set[str] | None, tmp: Path) -> Iterator[tuple]:
    yusuan = Path(sys.executable).with_name("yusuan")
    for name, attack, data in SOURCES_CASES:
        if names and name not in names:
            continue
        folder = tmp / name
        folder.mkdir()
        (folder / "sources.yaml").write_bytes(data)
        command = [str(yusuan), "run", "--sources", str(folder / "sources.yaml")]
        seconds, megabytes, code, _, err = measured([*command, "--home", str(folder / "home")])
        lines = err.strip().splitlines()
        outcome = f"exit {code}: " + " / ".join(lines).replace(str(folder), "…")
        if code != 2 or len(lines) != 1:
            outcome = "UNEXPECTED " + outcome
        yield name, attack, seconds, megabytes, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", help="only this case (repeatable)")
    parser.add_argument("--parse", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--crawl", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parse or args.crawl:  # in a child process
        result = child_parse(*args.parse) if args.parse else child_crawl(*args.crawl)
        print(json.dumps(result, ensure_ascii=False))
        return
    names = set(args.case) if args.case else None
    print("| case | attack | time (s) | peak memory (MB) | outcome |")
    print("|---|---|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (document_rows, http_rows, sources_rows):
            for name, attack, seconds, megabytes, outcome in rows(names, Path(tmp)):
                print(
                    f"| {name} | {clip(attack, 60)} | {seconds:.2f} | {megabytes:.0f} "
                    f"| {clip(outcome)} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
