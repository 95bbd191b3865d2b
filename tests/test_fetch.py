"""Fetching: directory and HTTP sources into the immutable landing area."""

from __future__ import annotations

import hashlib
import textwrap

from conftest import SAMPLE
from portal import Portal

from orchestration.fetch.landing import Landing
from orchestration.fetch.run import fetch_all
from orchestration.sources import load_sources


def write_sources(tmp_path, body: str):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return load_sources(path)


def portal_routes() -> dict:
    listing = (
        '<html><head><meta charset="gbk"><base href="/zwgk/"></head><body>'
        '<a href="detail-1.html">南宫市委部门2021年部门预算</a>'
        '<a href="/files/missing.pdf">缺失的附件</a>'
        '<a href="http://example.invalid/elsewhere.pdf">外站</a>'
        "</body></html>"
    ).encode("gbk")
    detail = b'<html><body><a href="/files/budget.txt">attachment</a></body></html>'
    return {
        "/zwgk/list.html": (200, "text/html", listing),
        "/zwgk/detail-1.html": (200, "text/html; charset=utf-8", detail),
        "/files/budget.txt": (200, "text/plain", SAMPLE.read_bytes()),
    }


def test_http_source_follows_links_stores_documents_and_records_failures(tmp_path):
    with Portal(portal_routes()) as portal:
        sources = write_sources(
            tmp_path,
            f"""
            sources:
              - name: portal
                kind: http
                province: 河北省
                prefecture: 邢台市
                county: 南宫市
                urls: ["{portal.url}/zwgk/list.html"]
                follow: "127\\\\.0\\\\.0\\\\.1:\\\\d+/zwgk/detail"
            """,
        )
        landing = Landing(tmp_path / "home")
        attempts = fetch_all(sources, landing)
        assert sorted(portal.requests) == [
            "/files/budget.txt",
            "/files/missing.pdf",
            "/zwgk/detail-1.html",
            "/zwgk/list.html",
        ]

    by_url = {a.url.replace(portal.url, ""): a for a in attempts}
    sha = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert by_url["/files/budget.txt"].status == "new"
    assert by_url["/files/budget.txt"].sha256 == sha
    assert by_url["/files/missing.pdf"].status == "failed"
    assert by_url["/files/missing.pdf"].error == "HTTP 404"
    assert landing.read(sha) == SAMPLE.read_bytes()
    logged = landing.attempts()
    assert [(row["status"], row["error"]) for row in logged if row["status"] == "failed"] == [
        ("failed", "host not allowed: example.invalid"),
        ("failed", "HTTP 404"),
    ]


def test_directory_source_stores_unchanged_documents_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(SAMPLE.read_bytes())
    (corpus / "copy-of-a.txt").write_bytes(SAMPLE.read_bytes())
    (corpus / "notes.md").write_text("not a document extension")
    sources = write_sources(
        tmp_path,
        f"""
        sources:
          - {{name: local, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 南宫市, path: "{corpus}"}}
        """,
    )
    landing = Landing(tmp_path / "home")
    first = fetch_all(sources, landing)
    second = fetch_all(sources, landing)
    assert [a.status for a in first] == ["new", "unchanged"]
    assert [a.status for a in second] == ["unchanged", "unchanged"]
    objects = [p for p in (tmp_path / "home" / "landing" / "objects").rglob("*") if p.is_file()]
    assert len(objects) == 1
    assert len(landing.attempts()) == 4  # one log row per attempt
