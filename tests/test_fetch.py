"""Fetching from a real (fake) portal over HTTP, and from a directory."""

from __future__ import annotations

import hashlib
import re
import textwrap
from pathlib import Path

import pytest
from conftest import SAMPLE
from portal import OVERSIZED, PDF, Portal

from orchestration.fetch.http import page_links
from orchestration.fetch.landing import Landing
from orchestration.fetch.run import fetch_all, fetch_source, source_empty_reason
from orchestration.formats import decode_html
from orchestration.sources import load_sources


def portal_sources(tmp_path, portal: Portal, **options) -> list:
    return load_sources(portal.write_sources(tmp_path / "sources.yaml", **options))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def html_page(*links: str) -> tuple[str, bytes]:
    """A portal page linking each "href|text"."""
    body = "".join(f'<a href="{href}">{text}</a>' for href, text in (x.split("|") for x in links))
    return "text/html", f"<html><body>{body}</body></html>".encode()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two runs over the portal, with budget.txt re-published between them."""
    tmp_path = tmp_path_factory.mktemp("crawl")
    with Portal() as portal:
        sources = portal_sources(tmp_path, portal)
        landing = Landing(tmp_path / "home")
        first = fetch_all(sources, landing)
        first_log = list(portal.log)
        portal.replace("/files/budget.txt", SAMPLE.read_bytes() + "\n（更正）\n".encode())
        second = fetch_all(sources, landing)
        second_log = portal.log[len(first_log) :]
    strip = len(portal.url)
    return {
        "portal": portal,
        "landing": landing,
        "first": {a.url[strip:] if a.url.startswith(portal.url) else a.url: a for a in first},
        "second": {a.url[strip:] if a.url.startswith(portal.url) else a.url: a for a in second},
        "first_log": first_log,
        "second_log": second_log,
    }


def test_first_run_discovers_pages_and_stores_documents(crawled):
    first = crawled["first"]
    pages = sorted(u for u, a in first.items() if a.kind == "page" and a.status == "new")
    assert pages == [
        "/detail/1.html",
        "/detail/2.html",
        "/detail/3.html",
        "/list/index.html",
        "/list/index_1.html",
        "/list/index_2.html",
    ]
    stored = {u: a.status for u, a in first.items() if a.kind == "document" and a.sha256}
    assert stored == {
        "/files/budget.txt": "new",
        "/files/report.pdf": "new",
        "/files/table.xlsx": "new",
        "/files/old.doc": "new",
        "/files/copy-of-report.pdf": "new",
        "/files/flaky.pdf": "new",
        "/files/busy.pdf": "new",
        "/files/moved.pdf": "new",
    }
    assert [
        (first[u].sniffed_format)
        for u in ("/files/report.pdf", "/files/table.xlsx", "/files/old.doc", "/files/budget.txt")
    ] == ["pdf", "zip", "ole2", "txt"]


def test_titles_and_listing_pages_are_kept(crawled):
    first, url = crawled["first"], crawled["portal"].url
    assert first["/detail/1.html"].title == "南宫市委部门2021年部门预算信息公开"
    assert first["/detail/1.html"].found_on == f"{url}/list/index.html"
    assert first["/detail/2.html"].title == "南宫市财政局2021年部门预算"  # title="…" attribute
    assert first["/files/budget.txt"].title == "附件：部门预算.txt"
    assert first["/files/budget.txt"].found_on == f"{url}/detail/1.html"  # via <base href>


def test_same_bytes_at_two_urls_are_stored_once_and_known_under_both(crawled):
    first, landing = crawled["first"], crawled["landing"]
    report, copy = first["/files/report.pdf"], first["/files/copy-of-report.pdf"]
    assert report.sha256 == copy.sha256 == sha(PDF)
    assert [report.stored, copy.stored] == [True, False]
    assert landing.read(sha(PDF)) == PDF


def test_failures_are_recorded_with_their_reasons(crawled):
    failed = {u: a.error for u, a in crawled["first"].items() if a.status == "failed"}
    assert failed == {
        "/files/missing.pdf": "HTTP 404",
        "/files/slow.pdf": "timeout: no answer within 0.5 s",
        "/files/short.pdf": f"truncated body: got 20 of {len(PDF)} bytes",
        "http://127.0.0.2:9/files/elsewhere.pdf": "host not allowed: 127.0.0.2:9",
        "/files/huge.pdf": f"too large: {len(PDF) + OVERSIZED} bytes (limit 200000)",
        "/files/fake.pdf": "not a document: .pdf link returned html",
        "http://127.0.0.2:9/detail/9.html": "host not allowed: 127.0.0.2:9",
    }
    first_log = [path for path, _, _ in crawled["first_log"]]
    assert "/files/elsewhere.pdf" not in first_log and "/detail/9.html" not in first_log


def test_retries_on_500_and_429_honour_retry_after(crawled):
    first, portal = crawled["first"], crawled["portal"]
    assert (first["/files/flaky.pdf"].tries, first["/files/flaky.pdf"].status) == (2, "new")
    assert (first["/files/busy.pdf"].tries, first["/files/busy.pdf"].status) == (2, "new")
    busy = [t for p, _, t in crawled["first_log"] if p == "/files/busy.pdf"]
    assert busy[1] - busy[0] >= 1.0  # Retry-After: 1
    assert portal.requests_for("/files/missing.pdf") == [404, 404]  # not retried in a run


def test_redirect_is_followed_on_the_allowed_host(crawled):
    moved = crawled["first"]["/files/moved.pdf"]
    assert moved.final_url == crawled["portal"].url + "/files/final.pdf"
    assert moved.sha256 == sha(PDF + b"% final version\n")


def test_second_run_downloads_only_what_changed(crawled):
    second, landing = crawled["second"], crawled["landing"]
    statuses = {u: a.status for u, a in second.items() if a.status != "failed"}
    assert statuses["/files/budget.txt"] == "changed"
    assert all(s == "unchanged" for u, s in statuses.items() if u != "/files/budget.txt")
    failing = {"/files/short.pdf", "/files/huge.pdf", "/files/fake.pdf", "/files/slow.pdf"}
    bodies = [p for p, status, _ in crawled["second_log"] if status == 200 and p not in failing]
    assert bodies == ["/files/budget.txt"]  # everything else answered 304 Not Modified
    old, new = crawled["first"]["/files/budget.txt"].sha256, second["/files/budget.txt"].sha256
    assert old != new and landing.read(old) == SAMPLE.read_bytes()  # both versions kept


def test_failed_urls_are_retried_on_the_next_run(crawled):
    second = crawled["second"]
    retried = {u for u, a in second.items() if a.status == "failed"}
    assert retried == {
        "/files/missing.pdf",
        "/files/slow.pdf",
        "/files/short.pdf",
        "http://127.0.0.2:9/files/elsewhere.pdf",
        "/files/huge.pdf",
        "/files/fake.pdf",
        "http://127.0.0.2:9/detail/9.html",
    }
    assert crawled["portal"].requests_for("/files/short.pdf") == [200, 200]


def test_per_host_rate_limit(tmp_path):
    """The portal sees requests `delay` apart or more, however busy the machine: the crawler
    waits `delay` after each answer, and the portal times each request when it arrives."""
    with Portal() as portal:
        sources = portal_sources(tmp_path, portal, delay=0.2, max_depth=0)
        fetch_all(sources, Landing(tmp_path / "home"))
        assert [p for p, _, _ in portal.log] == ["/list/index.html"]
    with Portal() as portal:
        sources = portal_sources(tmp_path, portal, delay=0.2, max_depth=1, max_pages=3)
        fetch_all(sources, Landing(tmp_path / "home2"))
        requested = [p for p, _, _ in portal.log]
        times = [t for _, _, t in portal.log]
    assert requested == [
        "/list/index.html",
        "/detail/1.html",
        "/list/index_1.html",
        "/files/budget.txt",
    ]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.2


def test_source_that_fails_entirely_does_not_stop_the_others(tmp_path):
    with Portal() as portal:
        good = portal_sources(tmp_path, portal, max_depth=0)[0]
        dead = load_sources_text(tmp_path, "dead", "http://127.0.0.1:9/list.html")[0]
        attempts = fetch_all([dead, good], Landing(tmp_path / "home"))
    assert [(a.source_name, a.status) for a in attempts] == [("dead", "failed"), ("portal", "new")]
    assert attempts[0].error.startswith("connection error")


def load_sources_text(tmp_path, name: str, url: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        sources:
          - {{name: {name}, kind: http, province: 河北省, prefecture: 邢台市, county: 南宫市,
              urls: ["{url}"], retries: 1, backoff: 0.01, delay: 0}}
        """),
        encoding="utf-8",
    )
    return load_sources(path)


@pytest.mark.parametrize(
    ("data", "content_type", "charset"),
    [
        ('<meta charset="gbk"><p>预算公开</p>'.encode("gbk"), "text/html", "gb18030"),
        ("<p>预算公开</p>".encode("gbk"), "text/html; charset=GB2312", "gb18030"),
        ("<p>预算公开</p>".encode("gb18030"), None, "gb18030"),
        ("<p>预算公开</p>".encode(), None, "utf-8"),
        ('<meta charset="utf-8"><p>预算公开</p>'.encode(), "text/html", "utf-8"),
    ],
)
def test_html_decodes_from_header_meta_or_detection(data, content_type, charset):
    text, used = decode_html(data, content_type)
    assert "预算公开" in text and used == charset


def test_page_links_resolve_relative_links_and_base_href():
    html = (
        '<base href="http://a.cn/x/"><a href="1.pdf">一</a><a href="/2.pdf#p">二</a>'
        '<a href="javascript:void(0)">三</a>'
    )
    assert page_links(html, "http://a.cn/list.html") == [
        ("http://a.cn/x/1.pdf", "一"),
        ("http://a.cn/2.pdf", "二"),
    ]


def test_directory_source_stores_identical_files_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(SAMPLE.read_bytes())
    (corpus / "copy-of-a.txt").write_bytes(SAMPLE.read_bytes())
    (corpus / "notes.md").write_text("not a document extension")
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"sources:\n  - {{name: local, kind: directory, province: 河北省, "
        f'prefecture: 邢台市, county: 南宫市, path: "{corpus}"}}\n',
        encoding="utf-8",
    )
    sources = load_sources(path)
    landing = Landing(tmp_path / "home")
    first = fetch_all(sources, landing)
    (corpus / "a.txt").write_bytes(SAMPLE.read_bytes() + b"\n")
    second = fetch_all(sources, landing)
    assert [(a.status, a.stored) for a in first] == [("new", True), ("new", False)]
    assert [(a.status, a.stored) for a in second] == [("changed", True), ("unchanged", False)]
    objects = [p for p in (tmp_path / "home" / "landing" / "objects").rglob("*") if p.is_file()]
    assert len(objects) == 2
    assert len(landing.attempts()) == 4  # one log row per attempt


def test_readme_portal_example_works(tmp_path):
    """The README's worked example, pointed at a local copy of the portal's URL layout."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(sources:\n  - name: putuo\n.*?)```", readme, re.S).group(1)
    base = "/zhengwu/sfjbb-sfj"
    with Portal() as portal:

        def page(*links: str) -> tuple[str, bytes]:
            body = "".join(
                f'<a href="{href}">{text}</a>' for href, text in (link.split("|") for link in links)
            )
            return "text/html", f"<html><body>{body}</body></html>".encode("gbk")

        portal.pages.update(
            {
                f"{base}/index.html": page(
                    "2026/69/202297/7001.html|区商务委2025年部门预算", "index_1.html|下一页"
                ),
                f"{base}/index_1.html": page(
                    "2026/69/202297/7002.html|区司法局2026年部门预算",
                    "/other/unrelated.html|无关栏目",
                ),
                f"{base}/2026/69/202297/7001.html": page("7001-1.pdf|部门预算"),
                f"{base}/2026/69/202297/7002.html": page("7002-1.pdf|部门预算", "7002-2.docx|附表"),
            }
        )
        portal.files.update(
            {
                f"{base}/2026/69/202297/7001-1.pdf": ("application/pdf", PDF + b"%commerce\n"),
                f"{base}/2026/69/202297/7002-1.pdf": ("application/pdf", PDF + b"%justice\n"),
                f"{base}/2026/69/202297/7002-2.docx": (
                    "application/octet-stream",
                    b"PK\x03\x04" + b"\x00" * 40,
                ),
            }
        )
        path = tmp_path / "sources.yaml"
        path.write_text(
            example.replace("https://www.shpt.gov.cn", portal.url).replace(
                "delay: 1.0", "delay: 0"
            ),
            encoding="utf-8",
        )
        attempts = fetch_all(load_sources(path), Landing(tmp_path / "home"))
        requested = sorted(p for p, _, _ in portal.log)
    got = sorted((a.kind, a.status, a.url[len(portal.url) :], a.title) for a in attempts)
    assert got == [
        ("document", "new", f"{base}/2026/69/202297/7001-1.pdf", "部门预算"),
        ("document", "new", f"{base}/2026/69/202297/7002-1.pdf", "部门预算"),
        ("document", "new", f"{base}/2026/69/202297/7002-2.docx", "附表"),
        ("page", "new", f"{base}/2026/69/202297/7001.html", "区商务委2025年部门预算"),
        ("page", "new", f"{base}/2026/69/202297/7002.html", "区司法局2026年部门预算"),
        ("page", "new", f"{base}/index.html", None),
        ("page", "new", f"{base}/index_1.html", "下一页"),
    ]
    assert "/other/unrelated.html" not in requested


ATTACHMENTS = {
    "/site/files/report.pdf": ("application/pdf", PDF + b"%report\n"),
    "/site/files/notes.docx": ("application/octet-stream", b"PK\x03\x04" + b"\x00" * 40),
    "/site/files/table.xlsx": ("application/octet-stream", b"PK\x03\x04" + b"\x01" * 40),
    "/site/files/old.doc": ("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"1" * 9),
    "/site/files/budget.txt": ("text/plain; charset=utf-8", SAMPLE.read_bytes()),
    "/site/download?id=7": ("application/octet-stream", PDF + b"%download\n"),
}


def clean_site(portal: Portal) -> None:
    """A listing, a detail page and attachments, one served at a URL without an extension."""
    portal.pages.update(
        {
            "/site/index.html": html_page("detail.html|部门预算", "download?id=7|附件下载"),
            "/site/detail.html": html_page(
                *(f"{path.removeprefix('/site/')}|附件" for path in ATTACHMENTS if "files" in path)
            ),
        }
    )
    portal.files.update(ATTACHMENTS)


def test_broad_follow_pattern_lands_every_attachment(tmp_path):
    """A `follow` that also matches the attachments still lands them as documents, by their
    name or, for a URL without one, by their bytes; a second run finds them unchanged."""
    with Portal() as portal:
        clean_site(portal)
        path = portal.write_sources(
            tmp_path / "sources.yaml", "/site/index.html", follow=f'"{portal.url}/.*"', max_depth=1
        )
        landing = Landing(tmp_path / "home")
        first = fetch_all(load_sources(path), landing)
        second = fetch_all(load_sources(path), landing)
        strip = len(portal.url)
    documents = sorted((a.url[strip:], a.status) for a in first if a.kind == "document")
    assert documents == sorted((url, "new") for url in ATTACHMENTS)
    assert [a.sha256 for a in first if a.url.endswith("?id=7")] == [sha(PDF + b"%download\n")]
    assert sorted(a.url[strip:] for a in first if a.kind == "page") == [
        "/site/detail.html",
        "/site/index.html",
    ]
    assert [row for row in landing.attempts() if row["status"] == "failed"] == []
    assert {(a.kind, a.status) for a in second} == {
        ("document", "unchanged"),
        ("page", "unchanged"),
    }
    assert sum(a.kind == "document" for a in second) == len(ATTACHMENTS)


def test_html_start_page_without_follow_is_read_for_its_links(tmp_path):
    with Portal() as portal:
        path = portal.write_sources(tmp_path / "sources.yaml", "/detail/2.html", follow=None)
        attempts = fetch_all(load_sources(path), Landing(tmp_path / "home"))
        strip = len(portal.url)
    assert [(a.kind, a.status, a.url[strip:]) for a in attempts] == [
        ("page", "new", "/detail/2.html"),
        ("document", "new", "/files/report.pdf"),
        ("document", "new", "/files/table.xlsx"),
        ("document", "new", "/files/old.doc"),
        ("document", "new", "/files/copy-of-report.pdf"),
    ]


def directory_source(tmp_path, folder: Path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"sources:\n  - {{name: local, kind: directory, province: 河北省, "
        f'prefecture: 邢台市, county: 南宫市, path: "{folder}"}}\n',
        encoding="utf-8",
    )
    return load_sources(path)[0]


def test_directory_without_documents_says_what_it_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "scans").mkdir(parents=True)
    (corpus / "notes.md").write_text("笔记")
    (corpus / "scans" / "page1.png").write_bytes(b"\x89PNG")
    (corpus / "scans" / "page2.png").write_bytes(b"\x89PNG")
    source = directory_source(tmp_path, corpus)
    landing = Landing(tmp_path / "home")
    attempts = fetch_source(source, landing)
    reason = f"no documents found in {corpus} (3 files skipped: not a document type: .md, .png)"
    assert [(a.status, a.error) for a in attempts] == [("failed", reason)]
    assert source_empty_reason(source, attempts) == reason
    assert [row["error"] for row in landing.attempts()] == [reason]  # in the fetch log
    for file in (corpus / "notes.md", *(corpus / "scans").iterdir()):
        file.unlink()
    empty = fetch_source(source, landing)
    assert source_empty_reason(source, empty) == f"no documents found in {corpus} (no files)"
    corpus.joinpath("scans").rmdir()
    corpus.rmdir()  # gone after the sources file was checked
    gone = fetch_source(source, landing)
    assert source_empty_reason(source, gone) == f"directory not found: {corpus}"


def test_directory_with_documents_has_no_empty_reason(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "budget.txt").write_bytes(SAMPLE.read_bytes())
    (corpus / "readme.md").write_text("not a document")
    source = directory_source(tmp_path, corpus)
    landing = Landing(tmp_path / "home")
    assert source_empty_reason(source, fetch_source(source, landing)) is None
    assert source_empty_reason(source, fetch_source(source, landing)) is None  # unchanged


def test_http_source_empty_reasons(tmp_path):
    with Portal() as portal:
        portal.pages["/broken/list.html"] = html_page(
            "../files/missing.pdf|缺失", "../files/lost.pdf|丢失", "fake.pdf|假"
        )
        portal.files["/broken/fake.pdf"] = portal.files["/files/fake.pdf"]
        portal.pages["/thin/list.html"] = html_page("/list/gone.html|已删除")

        def reason(name: str, start: str, home: str | None = None, **options) -> str | None:
            path = portal.write_sources(tmp_path / f"{name}.yaml", start, **options)
            source = load_sources(path)[0]
            attempts = fetch_source(source, Landing(tmp_path / (home or name)))
            return source_empty_reason(source, attempts)

        url = portal.url
        assert reason("dead", "/nowhere.html") == f"start page {url}/nowhere.html failed: HTTP 404"
        assert reason("no_links", "/list/index.html", max_depth=1, documents="'[.]zip$'") == (
            "no document links matched on 3 pages"
        )
        assert reason("all_failed", "/broken/list.html") == (
            "3 documents found, none fetched: 2× HTTP 404; not a document: .pdf link returned html"
        )
        assert reason("thin", "/thin/list.html") == (
            "no document links matched on 1 page (1 page failed: HTTP 404)"
        )
        # the documents that failed last run are tried again, but the start page is the news
        assert reason("moved", "/list/moved.html", home="all_failed") == (
            f"start page {url}/list/moved.html failed: HTTP 404"
        )
        assert reason("fine", "/detail/2.html") is None
