"""The sources file is checked whole before anything is fetched: every mistake is one line
naming the file, the source and the key, and `yusuan run` stops at once with status 2."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_SOURCES, yusuan

from orchestration.sources import SourcesError, load_sources

HTTP = """\
sources:
  - name: putuo
    kind: http
    province: 上海市
    prefecture: 上海市
    county: 普陀区
    urls: ["https://www.shpt.gov.cn/zhengwu/index.html"]
"""
DIRECTORY = """\
sources:
  - name: nangong
    kind: directory
    province: 河北省
    prefecture: 邢台市
    county: 南宫市
    path: hebei
"""


def write(tmp_path: Path, text: str) -> Path:
    """A sources file beside a folder `hebei/` (holding one file, `budget.txt`)."""
    (tmp_path / "hebei").mkdir(exist_ok=True)
    (tmp_path / "hebei" / "budget.txt").write_text("预算", encoding="utf-8")
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    return str(caught.value)


CASES = [
    # (name, sources file, what the message says after "sources file F, source 1 (name): ")
    ("typo", HTTP + "    dealy: 1.0\n", "unknown key 'dealy' (did you mean 'delay'?)"),
    (
        "typo_depth",
        HTTP + "    max_dept: 3\n",
        "unknown key 'max_dept' (did you mean 'max_depth'?)",
    ),
    (
        "unknown",
        HTTP + "    colour: red\n",
        "unknown key 'colour' (expected one of: name, kind, province, prefecture, county, urls, "
        "follow, documents, max_depth, max_pages, allowed_hosts, delay, timeout, retries, "
        "backoff, max_bytes, deadline, max_retry_after, max_documents)",
    ),
    (
        "no_scheme",
        HTTP.replace("https://", ""),
        "urls: 'www.shpt.gov.cn/zhengwu/index.html' needs to start with http:// or https://",
    ),
    (
        "ftp",
        HTTP.replace("https://", "ftp://"),
        "urls: 'ftp://www.shpt.gov.cn/zhengwu/index.html' needs to start with http:// or https://",
    ),
    (
        "no_host",
        HTTP.replace("https://www.shpt.gov.cn", "https://"),
        "urls: 'https:///zhengwu/index.html' has no host",
    ),
    (
        "urls_number",
        HTTP.replace('["https://www.shpt.gov.cn/zhengwu/index.html"]', "123"),
        "urls: expected a URL or a list of URLs, got 123",
    ),
    (
        "follow_number",
        HTTP + "    follow: 123\n",
        "follow: expected a regular expression (text), got 123",
    ),
    (
        "follow_regex",
        HTTP + '    follow: "(index"\n',
        "follow: not a valid regular expression: missing ), unterminated subpattern at position 0",
    ),
    ("retries", HTTP + "    retries: -1\n", "retries: expected a whole number >= 0, got -1"),
    ("delay", HTTP + "    delay: -0.5\n", "delay: expected a number of seconds >= 0, got -0.5"),
    ("timeout", HTTP + "    timeout: 0\n", "timeout: expected a number of seconds > 0, got 0"),
    (
        "max_bytes",
        HTTP + "    max_bytes: -1\n",
        "max_bytes: expected a whole number of bytes > 0, got -1",
    ),
    (
        "bool_depth",
        HTTP + "    max_depth: true\n",
        "max_depth: expected a whole number >= 0, got true",
    ),
    ("bool_delay", HTTP + "    delay: yes\n", "delay: expected a number of seconds >= 0, got true"),
    ("fraction", HTTP + "    max_pages: 2.5\n", "max_pages: expected a whole number > 0, got 2.5"),
    ("deadline", HTTP + "    deadline: 0\n", "deadline: expected a number of seconds > 0, got 0"),
    (
        "max_retry_after",
        HTTP + "    max_retry_after: -1\n",
        "max_retry_after: expected a number of seconds >= 0, got -1",
    ),
    (
        "max_documents",
        HTTP + "    max_documents: 0\n",
        "max_documents: expected a whole number > 0, got 0",
    ),
    (
        "text_number",
        HTTP + '    timeout: "30"\n',
        'timeout: expected a number of seconds > 0, got "30"',
    ),
    (
        "host_url",
        HTTP + "    allowed_hosts: [https://www.shpt.gov.cn/]\n",
        "allowed_hosts: 'https://www.shpt.gov.cn/' is not a host name (write 'www.shpt.gov.cn')",
    ),
    (
        "path_on_http",
        HTTP + "    path: hebei\n",
        "key 'path' belongs to directory sources, not to an http source",
    ),
    (
        "urls_on_directory",
        DIRECTORY + "    urls: [https://a.gov.cn/]\n",
        "key 'urls' belongs to http sources, not to a directory source",
    ),
    (
        "delay_on_directory",
        DIRECTORY + "    delay: 1\n",
        "key 'delay' belongs to http sources, not to a directory source",
    ),
    (
        "path_number",
        DIRECTORY.replace("path: hebei", "path: 123"),
        "path: expected a folder (text), got 123",
    ),
    (
        "kind",
        HTTP.replace("kind: http", "kind: ftp"),
        'kind must be one of directory, http, got "ftp"',
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_mistakes_name_the_file_the_source_and_the_key(tmp_path, text, expected):
    path = write(tmp_path, text)
    name = "nangong" if "kind: directory" in text else "putuo"
    assert error_of(path) == f"sources file {path}, source 1 ({name}): {expected}"


def test_missing_directory_is_named_with_its_absolute_path(tmp_path):
    path = write(tmp_path, DIRECTORY.replace("path: hebei", "path: hebeii"))
    assert error_of(path) == (
        f"sources file {path}, source 1 (nangong): path: directory not found: {tmp_path / 'hebeii'}"
    )
    path = write(tmp_path, DIRECTORY.replace("path: hebei", "path: hebei/budget.txt"))
    assert error_of(path) == (
        f"sources file {path}, source 1 (nangong): path: not a directory: "
        f"{tmp_path / 'hebei' / 'budget.txt'}"
    )


def test_unknown_top_level_key(tmp_path):
    path = write(tmp_path, HTTP.replace("sources:", "source:"))
    assert error_of(path) == (
        f"sources file {path}: unknown top-level key 'source' (did you mean 'sources'?)"
    )
    path = write(tmp_path, HTTP + "schedule: nightly\n")
    assert error_of(path) == (
        f"sources file {path}: unknown top-level key 'schedule' (expected one of: sources)"
    )


def test_the_second_source_is_named_too(tmp_path):
    second = DIRECTORY.removeprefix("sources:\n") + "    max_pages: 3\n"
    path = write(tmp_path, HTTP + second)
    assert error_of(path) == (
        f"sources file {path}, source 2 (nangong): "
        "key 'max_pages' belongs to http sources, not to a directory source"
    )


def test_a_complete_file_loads_with_its_values(tmp_path):
    options = textwrap.indent(
        textwrap.dedent("""\
            follow: "/zhengwu/.+\\\\.html$"
            documents: "\\\\.(pdf|docx?)$"
            max_depth: 3
            max_pages: 300
            allowed_hosts: www.shpt.gov.cn
            delay: 1
            timeout: 30
            retries: 0
            backoff: 0.5
            max_bytes: 104857600
            deadline: 120
            max_retry_after: 30
            max_documents: 500
        """),
        "    ",
    )
    both = HTTP + options + DIRECTORY.removeprefix("sources:\n")
    http, directory = load_sources(write(tmp_path, both))
    assert (http.urls, http.follow, http.documents) == (
        ("https://www.shpt.gov.cn/zhengwu/index.html",),
        "/zhengwu/.+\\.html$",
        "\\.(pdf|docx?)$",
    )
    assert (http.max_depth, http.max_pages, http.allowed_hosts, http.retries) == (
        3,
        300,
        ("www.shpt.gov.cn",),
        0,
    )
    assert (http.delay, http.timeout, http.backoff, http.max_bytes) == (1.0, 30.0, 0.5, 104857600)
    assert (http.deadline, http.max_retry_after, http.max_documents) == (120.0, 30.0, 500)
    assert isinstance(http.delay, float) and isinstance(http.deadline, float)
    assert directory.path == tmp_path / "hebei"
    assert [s.name for s in load_sources(SAMPLE_SOURCES)] == ["nangong_sample", "putuo_sample"]


CLI_CASES = [
    (
        "typo",
        HTTP + "    dealy: 1.0\n",
        "source 1 (putuo): unknown key 'dealy' (did you mean 'delay'?)",
    ),
    (
        "directory",
        DIRECTORY.replace("path: hebei", "path: hebeii"),
        "source 1 (nangong): path: directory not found: {tmp}/hebeii",
    ),
    (
        "scheme",
        HTTP.replace("https://", ""),
        "source 1 (putuo): urls: 'www.shpt.gov.cn/zhengwu/index.html' needs to start with "
        "http:// or https://",
    ),
    (
        "type",
        HTTP + "    retries: -1\n",
        "source 1 (putuo): retries: expected a whole number >= 0, got -1",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES]
)
def test_yusuan_run_stops_at_once_on_a_mistyped_file(tmp_path, text, expected):
    path = write(tmp_path, text)
    home = tmp_path / "home"
    started = time.monotonic()
    process = yusuan("run", "--sources", str(path), "--home", str(home))
    elapsed = time.monotonic() - started
    assert process.returncode == 2
    message = expected.format(tmp=tmp_path)
    assert process.stderr.strip() == f"yusuan: sources file {path}, {message}"
    assert process.stdout == ""
    assert elapsed < 60  # stops before any fetching or building
    assert list(home.rglob("*.duckdb")) == []  # no warehouse, not even a staging one
    assert not (home / "landing").exists()  # nothing fetched


def test_a_source_needs_no_region(tmp_path):
    # a municipal or provincial department has no county; a source mixing provinces names none
    path = write(
        tmp_path,
        textwrap.dedent("""\
        sources:
          - name: guangzhou
            kind: directory
            province: 广东省
            prefecture: 广州市
            path: hebei
          - name: national
            kind: directory
            path: hebei
        """),
    )
    guangzhou, national = load_sources(path)
    region = (guangzhou.province, guangzhou.prefecture, guangzhou.county)
    assert region == ("广东省", "广州市", None)
    assert (national.province, national.prefecture, national.county) == (None, None, None)
    wrong = write(tmp_path, DIRECTORY.replace("county: 南宫市", "county: [南宫市]"))
    assert error_of(wrong) == (
        f'sources file {wrong}, source 1 (nangong): county: expected text, got ["南宫市"]'
    )
