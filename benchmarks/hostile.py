"""Benchmark: every hostile input, each in a fresh child process, timed and weighed.

    uv run --frozen --no-sync python benchmarks/hostile.py [--case NAME]

Documents (the catalog of `orchestration.synth.hostile`): each is landed alone in a temporary
home and parsed by `parse_all` under the job's limits, so the worker pool and its limits are
the ones a run uses. Directory entries: each is put in a folder beside a budget and the folder
fetched by `fetch_source` as a `kind: directory` source; the outcome says what landed, what
was skipped and that no bytes from outside the folder landed. Portal answers (the test suite's
fake portal on 127.0.0.1, with the test suite's fast crawl settings): each is crawled by
`fetch_source`, from a page linking to it or from the hostile page itself.
Sources files: each is given to `yusuan run`, which must refuse it with exit status 2 and one
line. Prints a markdown table: the time of the parse or crawl in the child (for `yusuan run`,
of the whole process), the peak memory (max RSS) of the child and all its descendants, and
the outcome.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from portal import PDF, SAMPLE, Portal  # noqa: E402

from orchestration.safe_text import printable  # noqa: E402
from orchestration.synth.hostile import CASES, MB, land  # noqa: E402

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
        "attempts": [(a.url, a.kind, a.status, a.error, a.title) for a in attempts],
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


def clip(text: str, width: int = 120) -> str:
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


def directory_source(folder: Path, corpus: Path) -> Path:
    """A sources file of one `kind: directory` source reading `corpus`."""
    path = folder / "sources.yaml"
    place = "province: 河北省, prefecture: 邢台市, county: 南宫市"
    line = f'  - {{name: local, kind: directory, {place}, path: "{corpus}"}}\n'
    path.write_text("sources:\n" + line, encoding="utf-8")
    return path


def hard_link(corpus: Path, outside: Path) -> None:
    os.link(outside, corpus / "copy.txt")


def gbk_name(corpus: Path, outside: Path) -> None:
    name = os.fsencode(corpus) + b"/" + "预算".encode("gbk") + b".txt"
    Path(os.fsdecode(name)).write_text("预算（GBK 文件名）", encoding="utf-8")


def sparse(corpus: Path, outside: Path) -> None:
    with open(corpus / "huge.txt", "wb") as handle:
        handle.truncate(100 * 1024 * 1024 + 1)  # max_bytes' default + 1; costs no disk


# name, attack, what to put beside the budget (given the folder and a file outside it), the
# outcome expected (a part of it)
DIRECTORY_CASES: list[tuple[str, str, Callable[[Path, Path], None], str]] = [
    ("dir_symlink_passwd", "symbolic link to /etc/passwd",
     lambda corpus, _: (corpus / "passwd.txt").symlink_to("/etc/passwd"),
     "passwd skipped: symbolic link (not followed)"),
    ("dir_symlink_environ", "symbolic link to /proc/self/environ",
     lambda corpus, _: (corpus / "environ.txt").symlink_to("/proc/self/environ"),
     "environ skipped: symbolic link (not followed)"),
    ("dir_hard_link", "hard link to a file outside the folder", hard_link,
     "copy skipped: hard link (may be a file from outside the source)"),
    ("dir_fifo", "a FIFO (opening it would block for ever)",
     lambda corpus, _: os.mkfifo(corpus / "pipe.txt"), "pipe skipped: FIFO (named pipe)"),
    ("dir_gbk_name", "a file name of GBK bytes", gbk_name, "landed budget, 预算; nothing skipped"),
    ("dir_sparse", "sparse file of max_bytes + 1 (100 MiB)", sparse,
     "huge cannot read: too large: over 104857600 bytes"),
]  # fmt: skip


def directory_outcome(attempts: list, corpus: Path, landing: Path) -> str:
    """What landed, what was skipped, and whether every byte landed is a file of `corpus`."""
    landed = [a[4] for a in attempts if a[2] != "failed"]
    skipped = [f"{a[4]} {a[3]}" for a in attempts if a[2] == "failed"] or ["nothing skipped"]
    own = {  # the bytes of the folder's own files: regular, not hard-linked, small
        path.read_bytes()
        for path, info in ((path, path.lstat()) for path in corpus.iterdir())
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_size < MB
    }
    objects = {path.read_bytes() for path in landing.rglob("*") if path.is_file()}
    where = "nothing from outside landed" if objects <= own else "BYTES FROM OUTSIDE LANDED"
    return f"landed {', '.join(landed)}; {'; '.join(skipped)}; {where}"


def directory_rows(names: set[str] | None, tmp: Path) -> Iterator[tuple]:
    for name, attack, make, expected in DIRECTORY_CASES:
        if names and name not in names:
            continue
        folder = tmp / name
        (folder / "corpus").mkdir(parents=True)
        (folder / "corpus" / "budget.txt").write_bytes(SAMPLE.read_bytes())
        (folder / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
        make(folder / "corpus", folder / "passwd.txt")
        sources = directory_source(folder, folder / "corpus")
        seconds, megabytes, result = in_child("crawl", sources, folder / "home")
        outcome = result.get("error") or directory_outcome(
            result["attempts"], folder / "corpus", folder / "home" / "landing" / "objects"
        )
        expected = expected in outcome and outcome.endswith("nothing from outside landed")
        yield name, attack, seconds, megabytes, outcome if expected else "UNEXPECTED " + outcome


@cache
def gzip_bomb() -> bytes:
    """1 GB of zeros as a gzip body of 100 members (about 1 MB)."""
    return gzip.compress(bytes(10 * MB), 9) * 100


class BenchPortal(Portal):
    """The test portal, with more hostile answers and hostile pages of its own."""

    LINKS = 5000

    def __init__(self):
        super().__init__()
        links = "".join(f'<a href="/many/{n}.pdf">{n}</a>' for n in range(self.LINKS))
        self.pages["/bench/many.html"] = ("text/html", links.encode())
        for n in range(self.LINKS):
            self.files[f"/many/{n}.pdf"] = ("application/pdf", PDF + f"% {n}\n".encode())
        report = b'<a href="/files/report.pdf">report</a>'
        self.pages["/bench/big.html"] = ("text/html", report + b" " * (11 * MB))
        attributes = report + b"<a " + b"x=1 " * 2_000_000 + b">"
        self.pages["/bench/attributes.html"] = ("text/html", attributes)

    def hostile(self, handler, path: str) -> None:
        here = f"127.0.0.1:{self.server.server_address[1]}"
        redirects = {
            "/hostile/loop.pdf": "/hostile/loop.pdf",
            "/hostile/off-host.pdf": "http://127.0.0.2:9/files/report.pdf",
            "/hostile/userinfo.pdf": f"http://user:secret@{here}/files/report.pdf",
        }
        if path in redirects:
            return self._send(handler, 302, "text/plain", b"", {"Location": redirects[path]})
        if path == "/hostile/retry-299.pdf":
            return self._send(handler, 503, "text/plain", b"busy", {"Retry-After": "299"})
        if path == "/hostile/gzip-bomb.pdf":
            headers = {"Content-Encoding": "gzip"}
            return self._send(handler, 200, "application/pdf", gzip_bomb(), headers)
        if path == "/hostile/endless.pdf":  # no Content-Length: bytes until the client hangs up
            handler.send_response(200)
            handler.send_header("Content-Type", "application/pdf")
            handler.end_headers()
            handler.close_connection = True
            with contextlib.suppress(OSError):
                while True:
                    handler.wfile.write(PDF * 1000)
        return super().hostile(handler, path)


# name, attack, start page (None: a page linking to `link`), the link whose attempt is the
# outcome (None: every attempt, counted), crawl options, the outcome expected (a part of it)
HTTP_CASES = [
    ("trickle_body", "body trickles a byte per 0.05 s (deadline 5 s)", None,
     "/hostile/trickle.pdf", {"deadline": 5, "timeout": 1}, "deadline exceeded after 5 s"),
    ("trickle_headers", "headers trickle a byte per 0.05 s (deadline 5 s)", None,
     "/hostile/trickle-headers.pdf", {"deadline": 5, "timeout": 1},
     "deadline exceeded after 5 s"),
    ("retry_after_299", "503 with Retry-After: 299", None, "/hostile/retry-299.pdf", {},
     "Retry-After 299 s is over max_retry_after"),
    ("bad_gzip", "Content-Encoding gzip, body not gzip", None, "/hostile/gzip.pdf", {},
     "corrupt body: cannot decode Content-Encoding gzip"),
    ("gzip_bomb", "gzip body of 1 MB decoding to 1 GB (max_bytes 20 MB)", None,
     "/hostile/gzip-bomb.pdf", {"max_bytes": 20 * MB}, "too large: over 20000000 bytes"),
    ("endless_body", "body without Content-Length that never ends", None,
     "/hostile/endless.pdf", {}, "too large: over 200000 bytes"),
    ("redirect_file", "redirect to file:///etc/passwd", None, "/hostile/to-file.pdf", {},
     "not an http(s) URL: file://"),
    ("redirect_loop", "redirect to itself", None, "/hostile/loop.pdf", {},
     "too many redirects (more than 5)"),
    ("redirect_off_host", "redirect to another host", None, "/hostile/off-host.pdf", {},
     "host not allowed: 127.0.0.2:9"),
    ("redirect_userinfo", "redirect to http://user:secret@(same host)/", None,
     "/hostile/userinfo.pdf", {}, "credentials in the URL are not allowed"),
    ("bad_ipv6_link", "link to 'http://[::1/broken.pdf'", None, "http://[::1/broken.pdf", {},
     "Invalid IPv6 URL"),
    ("short_body", "body shorter than its Content-Length", None, "/files/short.pdf", {},
     "truncated body"),
    ("many_links", "a page of 5,000 document links", "/bench/many.html", None, {},
     "deferred: max_documents"),
    ("page_too_large", "a page of 11 MB (page limit 10 MB)", "/bench/big.html", None,
     {"max_bytes": 20 * MB}, "page failed: page too large: 11 MB (limit 10 MB) ×1"),
    ("many_attributes", "a tag of 2,000,000 attributes (an 8 MB page)",
     "/bench/attributes.html", None, {"max_bytes": 20 * MB}, "document new ×1"),
    ("max_pages", "a listing of 3 pages, max_pages 1", "/list/index.html", None,
     {"max_pages": 1}, "page failed: not visited: max_pages (1) reached"),
]  # fmt: skip


def crawl_outcome(link: str | None, attempts: list) -> str:
    if link is None:  # a hostile page: every attempt, counted
        counts = Counter(f"{a[1]} {a[2]}" + (f": {a[3]}" if a[3] else "") for a in attempts)
        return "; ".join(f"{what} ×{n}" for what, n in counts.items())
    for url, _, status, error, _ in attempts:
        if url.endswith(link.lstrip("/")) or url == link:
            return f"{status}: {error}" if error else status
    return "not requested"


def http_rows(names: set[str] | None, tmp: Path) -> Iterator[tuple]:
    with BenchPortal() as portal:
        for name, attack, start, link, options, expected in HTTP_CASES:
            if names and name not in names:
                continue
            if start is None:
                start = f"/bench/{name}.html"
                portal.pages[start] = ("text/html", f'<a href="{link}">{name}</a>'.encode())
            folder = tmp / name
            folder.mkdir()
            sources = portal.write_sources(folder / "sources.yaml", start, **options)
            seconds, megabytes, result = in_child("crawl", sources, folder / "home")
            outcome = result.get("error") or crawl_outcome(link, result["attempts"])
            outcome = outcome if expected in outcome else "UNEXPECTED " + outcome
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
        for rows in (document_rows, directory_rows, http_rows, sources_rows):
            for name, attack, seconds, megabytes, outcome in rows(names, Path(tmp)):
                print(
                    f"| {name} | {clip(attack, 60)} | {seconds:.2f} | {megabytes:.0f} "
                    f"| {clip(outcome)} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
