"""Hostile inputs: every one fails alone, quickly, with a reason, and nothing escapes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import yusuan
from portal import PDF, Portal
from test_fetch import directory_source

from orchestration.fetch.http import page_links
from orchestration.fetch.landing import Landing
from orchestration.fetch.run import fetch_source, source_empty_reason
from orchestration.sources import SourcesError, load_sources


def landed(home: Path) -> set[bytes]:
    return {p.read_bytes() for p in (home / "landing" / "objects").rglob("*") if p.is_file()}


def timed(function, *args):
    started = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - started


# -- directory sources ---------------------------------------------------------------------


def test_directory_reads_only_regular_files_inside_its_tree(tmp_path):
    outside = tmp_path / "outside"
    (outside / "secrets").mkdir(parents=True)
    (outside / "passwd.txt").write_text("root:x:0:0")
    (outside / "secrets" / "key.txt").write_text("secret")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "budget.txt").write_text("部门预算", encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside / "passwd.txt")
    (corpus / "linked-folder").symlink_to(outside / "secrets", target_is_directory=True)
    os.mkfifo(corpus / "pipe.txt")  # opening it would block for ever
    source, landing = directory_source(tmp_path, corpus), Landing(tmp_path / "home")
    attempts, seconds = timed(fetch_source, source, landing)
    assert seconds < 5
    assert sorted((Path(a.url[7:]).name, a.status, a.error) for a in attempts) == [
        ("budget.txt", "new", None),
        ("link.txt", "failed", "skipped: symbolic link (not followed)"),
        ("linked-folder", "failed", "skipped: symbolic link (not followed)"),
        ("pipe.txt", "failed", "skipped: FIFO (named pipe)"),
    ]
    assert landed(tmp_path / "home") == {"部门预算".encode()}
    assert len(landing.attempts()) == 4  # every skip is in the fetch log
    assert source_empty_reason(source, attempts) is None


def test_directory_skips_a_hard_link_to_a_file_outside_it(tmp_path):
    (tmp_path / "passwd.txt").write_text("root:x:0:0")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "budget.txt").write_text("部门预算", encoding="utf-8")
    os.link(tmp_path / "passwd.txt", corpus / "copy.txt")
    source, landing = directory_source(tmp_path, corpus), Landing(tmp_path / "home")
    attempts, seconds = timed(fetch_source, source, landing)
    assert seconds < 5
    assert sorted((Path(a.url[7:]).name, a.status, a.error) for a in attempts) == [
        ("budget.txt", "new", None),
        ("copy.txt", "failed", "skipped: hard link (may be a file from outside the source)"),
    ]
    assert landed(tmp_path / "home") == {"部门预算".encode()}
    assert len(landing.attempts()) == 2  # the skip is in the fetch log
    (corpus / "budget.txt").unlink()
    assert source_empty_reason(source, fetch_source(source, landing)) == (
        f"no documents found in {corpus} "
        "(1 entry skipped: hard link (may be a file from outside the source))"
    )


def test_directory_of_only_links_says_so(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.txt").symlink_to("/etc/passwd")
    (corpus / "notes.md").write_text("笔记")
    source = directory_source(tmp_path, corpus)
    attempts = fetch_source(source, Landing(tmp_path / "home"))
    assert source_empty_reason(source, attempts) == (
        f"no documents found in {corpus} (1 file skipped: not a document type: .md; "
        "1 entry skipped: symbolic link (not followed))"
    )
    assert landed(tmp_path / "home") == set()


def test_file_name_in_gbk_bytes_is_fetched_and_logged(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    gbk = os.fsdecode(str(corpus).encode() + b"/" + "预算".encode("gbk") + b".txt")
    Path(gbk).write_text("预算（GBK 文件名）", encoding="utf-8")
    (corpus / "normal.txt").write_text("普通文件", encoding="utf-8")
    source, landing = directory_source(tmp_path, corpus), Landing(tmp_path / "home")
    attempts, seconds = timed(fetch_source, source, landing)
    assert seconds < 5
    assert sorted((a.title, a.status) for a in attempts) == [("normal", "new"), ("预算", "new")]
    strange = next(a for a in attempts if a.title == "预算")
    assert strange.url.endswith("/%D4%A4%CB%E3.txt")  # the raw bytes, percent-encoded
    assert [row["title"] for row in landing.attempts()] == ["normal", "预算"]
    assert landed(tmp_path / "home") == {"预算（GBK 文件名）".encode(), "普通文件".encode()}


def test_directory_refuses_a_file_over_max_bytes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = directory_source(tmp_path, corpus)
    with open(corpus / "huge.txt", "wb") as handle:
        handle.truncate(source.max_bytes + 1)  # sparse: costs no disk
    attempts = fetch_source(source, Landing(tmp_path / "home"))
    assert [(a.status, a.error) for a in attempts][0] == (
        "failed",
        f"cannot read: too large: over {source.max_bytes} bytes",
    )
    assert landed(tmp_path / "home") == set()


# -- http sources --------------------------------------------------------------------------


def crawl(tmp_path: Path, portal: Portal, start: str, **options):
    path = portal.write_sources(tmp_path / "sources.yaml", start, **options)
    source, landing = load_sources(path)[0], Landing(tmp_path / "home")
    attempts, seconds = timed(fetch_source, source, landing)
    strip = len(portal.url)
    errors = {
        a.url[strip:] if a.url.startswith(portal.url) else a.url: a.error
        for a in attempts
        if a.status == "failed"
    }
    return attempts, errors, landing, seconds


def test_each_bad_url_fails_alone_and_the_good_document_lands(tmp_path):
    with Portal() as portal:
        attempts, errors, landing, seconds = crawl(tmp_path, portal, "/hostile/index.html")
        port = portal.server.server_address[1]
    assert seconds < 5
    assert errors == {
        "/hostile/gzip.pdf": "corrupt body: cannot decode Content-Encoding gzip",
        "http://[::1/broken.pdf": "ValueError: Invalid IPv6 URL",
        "/hostile/to-file.pdf": f"not an http(s) URL: file://127.0.0.1:{port}/etc/passwd",
        "/files/short.pdf": f"truncated body: got 20 of {len(PDF)} bytes",
        "/hostile/userinfo.pdf": "credentials in the URL are not allowed",
    }
    assert [a.status for a in attempts if a.url.endswith("/files/report.pdf")] == ["new"]
    assert landed(tmp_path / "home") == {PDF, portal.pages["/hostile/index.html"][1]}
    assert len(landing.attempts()) == len(attempts) == 7
    assert "secret" not in landing.log_path.read_text(encoding="utf-8")


def test_fetch_log_is_written_as_the_crawl_goes(tmp_path):
    """When the crawler asks for the second document, the first is already in the log."""
    seen: list[list[str]] = []
    with Portal() as portal:
        landing = Landing(tmp_path / "home")
        portal.hooks["/files/table.xlsx"] = lambda: seen.append(
            [row["url"][len(portal.url) :] for row in landing.attempts()]
        )
        path = portal.write_sources(tmp_path / "sources.yaml", "/detail/2.html")
        fetch_source(load_sources(path)[0], landing)
    assert seen == [["/detail/2.html", "/files/report.pdf"]]


@pytest.mark.parametrize("path", ["/hostile/trickle.pdf", "/hostile/trickle-headers.pdf"])
def test_trickling_answer_fails_at_the_deadline(tmp_path, path):
    """A byte every 0.05 s never trips the 1 s read timeout; the 0.5 s deadline ends it."""
    with Portal() as portal:
        portal.pages["/slow/index.html"] = ("text/html", f'<a href="{path}">slow</a>'.encode())
        _, errors, _, seconds = crawl(tmp_path, portal, "/slow/index.html", deadline=0.5, timeout=1)
    assert errors == {path: "deadline exceeded after 0.5 s"}
    assert seconds < 3  # the server would go on for 20 s


def test_gzip_body_is_decoded_and_not_taken_for_truncated(tmp_path):
    with Portal() as portal:
        portal.pages["/gz/index.html"] = ("text/html", b'<a href="/hostile/gzipped.pdf">gz</a>')
        attempts, errors, _, _ = crawl(tmp_path, portal, "/gz/index.html")
    assert errors == {}
    assert [a.bytes for a in attempts if a.url.endswith("gzipped.pdf")] == [len(PDF)]


def test_long_retry_after_fails_now(tmp_path):
    with Portal() as portal:
        portal.pages["/busy/index.html"] = (
            "text/html",
            b'<a href="/hostile/retry-later.pdf">later</a>',
        )
        _, errors, _, seconds = crawl(tmp_path, portal, "/busy/index.html", max_retry_after=2)
        asked = portal.requests_for("/hostile/retry-later.pdf")
    assert errors == {
        "/hostile/retry-later.pdf": (
            "HTTP 503: Retry-After 3600 s is over max_retry_after (2 s); tried again next run"
        )
    }
    assert asked == [503] and seconds < 3


def test_documents_over_max_documents_are_deferred_to_the_next_run(tmp_path):
    with Portal() as portal:
        first, errors, landing, _ = crawl(tmp_path, portal, "/detail/2.html", max_documents=2)
        second, errors2, _, _ = crawl(tmp_path, portal, "/detail/2.html", max_documents=2)
    deferred = "deferred: max_documents (2) reached; fetched next run"
    assert errors == {"/files/old.doc": deferred, "/files/copy-of-report.pdf": deferred}
    assert errors2 == {"/files/report.pdf": deferred, "/files/table.xlsx": deferred}
    done = {a.url.rsplit("/", 1)[1] for a in first + second if a.sha256}
    assert done == {"2.html", "report.pdf", "table.xlsx", "old.doc", "copy-of-report.pdf"}
    # the run summary counts them apart from failures, and lists none as failed
    from orchestration.definitions import fetch_metadata
    from orchestration.summary import RunSummary

    metadata = fetch_metadata(first)
    assert (metadata["failed"], metadata["deferred"], metadata["failures"].value) == (0, 2, [])
    summary = RunSummary()
    summary.fetched.update({k: metadata[k] for k in ("new", "failed", "deferred")})
    assert summary.lines()[0] == (
        "documents fetched: 2 new, 0 changed, 0 unchanged, 0 failed, "
        "2 deferred to the next run (over max_documents)"
    )


def test_pages_over_max_pages_are_reported_not_dropped(tmp_path):
    with Portal() as portal:
        attempts, errors, landing, seconds = crawl(
            tmp_path, portal, "/list/index.html", max_pages=1
        )
        asked = [path for path, _, _ in portal.log]
    assert seconds < 5
    not_visited = "not visited: max_pages (1) reached; raise max_pages to visit it"
    assert errors == {"/detail/1.html": not_visited, "/list/index_1.html": not_visited}
    assert asked == ["/list/index.html"]
    assert [(a.kind, a.status) for a in attempts] == [("page", "new")] + [("page", "failed")] * 2
    assert len(landing.attempts()) == 3  # in the fetch log, and so in the run summary


def test_a_page_over_the_page_limit_is_refused_and_its_links_not_read(tmp_path):
    with Portal() as portal:
        body = b'<a href="/files/report.pdf">r</a>' + b" " * 11_000_000
        portal.pages["/big/index.html"] = ("text/html", body)
        attempts, errors, _, seconds = crawl(
            tmp_path, portal, "/big/index.html", max_bytes=20_000_000
        )
    assert errors == {"/big/index.html": "page too large: 11 MB (limit 10 MB)"}
    assert len(attempts) == 1 and seconds < 5


def test_a_tag_of_millions_of_attributes_is_read_in_linear_time():
    """html.parser took 10 s and 3 GB for this 8 MB page; lxml takes a fraction of a second."""
    html = '<a href="/1.pdf">一</a><a ' + "x=1 " * 2_000_000 + ">"
    links, seconds = timed(page_links, html, "http://a.cn/list.html")
    assert links == [("http://a.cn/1.pdf", "一")]
    assert seconds < 2


# -- the sources file ----------------------------------------------------------------------

HEAD = "sources:\n  - {name: a, kind: http, province: 省, prefecture: 市, county: 县,\n"
BOMB = "lol: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            (HEAD + '     urls: ["http://a.cn/"]}\n' + BOMB).encode(),
            ", line 4: YAML anchors and aliases (&name, *name) are not allowed",
        ),
        (
            (HEAD + '     urls: !!python/name:os.system "x"}\n').encode(),
            ", line 3: YAML tags (!name, !!type) are not allowed",
        ),
        (
            (HEAD + '     urls: ["http://a.cn/"]}\n').encode("gbk"),
            " is not UTF-8 text (save it as UTF-8)",
        ),
        (
            (HEAD + '     urls: ["http://a.cn/"]}\n' + "#" * 1024 * 1024).encode(),
            " is too large (over 1048576 bytes)",
        ),
        (
            (HEAD + "     urls: " + "[" * 1_000_000).encode(),  # hours for the YAML scanner
            ", line 3: lists and mappings nested more than 20 deep are not allowed",
        ),
    ],
    ids=["alias_bomb", "tag", "gbk", "oversize", "deep"],
)
def test_hostile_sources_files_are_refused(tmp_path, data, message):
    path = tmp_path / "sources.yaml"
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert time.monotonic() - started < 1
    assert str(caught.value) == f"sources file {path}{message}"


def test_yusuan_run_refuses_an_alias_bomb_with_status_2(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(HEAD + '     urls: ["http://a.cn/"]}\n' + BOMB, encoding="utf-8")
    process = yusuan("run", "--sources", str(path), "--home", str(tmp_path / "home"))
    assert process.returncode == 2
    assert process.stderr.strip() == (
        f"yusuan: sources file {path}, line 4: YAML anchors and aliases (&name, *name) "
        "are not allowed"
    )
