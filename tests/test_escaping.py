"""Text that documents and portals control reaches terminals, logs, HTML pages and CSV files
as text: control characters escaped, HTML escaped, formulas neutralised (real parts)."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import yusuan

from orchestration.alerts import WEBHOOK_ENV, send_alert
from orchestration.export import export_marts
from orchestration.home import Home
from orchestration.pipeline import _record_last_run
from orchestration.safe_text import printable, safe_json
from orchestration.status import status
from orchestration.summary import RunSummary
from orchestration.validate.suites import CheckResult, run_suites, write_report

FORGED = "\x1b[2J\npublished: yes (release X)"
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
HOSTILE = "<b onmouseover=alert(2)>x</b>"
SHOWN = "&lt;b onmouseover=alert(2)&gt;x&lt;/b&gt;"


def test_printable_escapes_control_characters_and_keeps_text():
    text = "河北省 南宫市 2021年预算 (¥1,000) «ok» a\\x1b"
    assert printable(text) == text
    assert printable("a\x1b[2J\r\n\tb\x00\x7f\x9b") == r"a\x1b[2J\r\n\tb\x00\x7f\x9b"
    assert printable("名\u202etxt.exe\u2066\u2069\u2028") == r"名\u202etxt.exe\u2066\u2069\u2028"
    value = {"名": ["\x1b\n\u202e\x9b\x7f", 1]}
    text = safe_json(json.dumps(value, ensure_ascii=False, indent=1))
    assert json.loads(text) == value
    assert "名" in text and not UNSAFE.search(text.replace("\n", ""))


def test_run_summary_prints_a_forged_reason_escaped_on_its_line():
    failing = CheckResult(
        "suite",
        "marts/x",
        "e",
        "rule\r\nchecks: 99 passed",
        "critical",
        False,
        1,
        failing_rows=[{"document_key": "k", "name": "\x1b]0;title\x07"}],
    )
    summary = RunSummary(
        fetch_failures=[{"url": "http://127.0.0.1/a\x1b[1A", "error": "HTTP 404"}],
        empty_sources={"src": "no links\nfound"},
        problems=[
            {
                "status": "unreadable",
                "url": "http://127.0.0.1/b.docx",
                "document_key": "k",
                "reason": FORGED,
            }
        ],
        checks=[failing],
        errors=["step\x1b[31m failed"],
    )
    lines = summary.lines()
    assert not any(UNSAFE.search(line) for line in lines)
    assert [line for line in lines if line.startswith("published:")] == [
        "published: NO (the run failed)"
    ]
    assert (
        r"  unreadable: http://127.0.0.1/b.docx (k): \x1b[2J\npublished: yes (release X)" in lines
    )
    assert r"  [failed] suite: rule\r\nchecks: 99 passed (1 row)" in lines
    assert r"      document_key=k, name=\x1b]0;title\x07" in lines


def test_status_lines_are_printable(tmp_path):
    home = Home.at(tmp_path)
    failing = CheckResult("suite", "marts/x", "e", "rule" + FORGED, "critical", False, 1)
    write_report(home.reports / "checks.json", [failing])
    _record_last_run(home, RunSummary(checks=[failing]), "2026-12-02T00:00:00+00:00", None)
    lines = status(home).lines
    assert not any(UNSAFE.search(line) for line in lines)
    assert r"  [failed] suite: rule\x1b[2J\npublished: yes (release X) (1 row)" in lines


def test_alert_summary_is_printable_and_the_log_line_safe(tmp_path, monkeypatch):
    monkeypatch.delenv(WEBHOOK_ENV, raising=False)
    home = Home.at(tmp_path)
    send_alert(home, "publish_blocked", "blocked: " + FORGED, failing=["行\u202e\x9b\x1b"])
    text = home.alerts.read_text(encoding="utf-8")
    assert text.count("\n") == 1 and not UNSAFE.search(text[:-1]) and "行" in text
    alert = json.loads(text)
    assert alert["summary"] == r"blocked: \x1b[2J\npublished: yes (release X)"
    assert alert["failing"] == ["行\u202e\x9b\x1b"]  # the data itself, JSON-escaped in the log


def test_yusuan_parse_prints_a_hostile_member_name_escaped(tmp_path):
    document = tmp_path / "预算.docx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr(FORGED + "\u202e.xml", "x")
    parse = yusuan("parse", str(document))
    assert parse.returncode == 1
    assert parse.stderr == (
        f"yusuan: {document}: unreadable: unsupported ZIP archive: neither DOCX nor XLSX "
        r"(members: \x1b[2J\npublished: yes (release X)\u202e.xml)" + "\n"
    )
    assert not UNSAFE.search(parse.stdout.replace("\n", ""))
    reason = json.loads(parse.stdout)["documents"][0]["status_reason"]
    assert r"\x1b[2J\npublished: yes (release X)\u202e.xml)" in reason  # stored escaped too


def _hostile_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute(
        """CREATE TABLE marts.fct_hostile AS SELECT * FROM (VALUES
        (?, -150000.00::DECIMAL(18,2), 'a-b'),
        ('=HYPERLINK("http://evil/?x=1","点我")', 2.50, '@SUM(1)'),
        ('+1', 0, chr(9) || 'tab'),
        ('-x', 1, chr(13) || 'cr'),
        ('南宫市', 3, NULL)) v(name, cost_yuan, note)""",
        [HOSTILE],
    )
    con.close()
    return path


@pytest.mark.parametrize("index", [["name"], []], ids=["indexed", "unindexed"])
def test_data_docs_show_failing_rows_and_descriptions_as_text(tmp_path, index):
    db = _hostile_warehouse(tmp_path / "w.duckdb")
    suite = {
        "name": "hostile",
        "meta": {
            "description": "rows <i onmouseover=alert(3)>",
            "asset": "marts/fct_hostile",
            "query": "select * from marts.fct_hostile",
            "index_columns": index,
        },
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "cost_yuan", "min_value": 0},
                "meta": {"description": "cost <u onmouseover=alert(4)>"},
                "severity": "warning",
            },
            {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": "name", "regex": "^[^<]*$"},
                "meta": {"description": "plain names"},
                "severity": "critical",
            },
        ],
    }
    results = run_suites(db, [suite], docs_dir=tmp_path / "docs")
    assert [r.outcome for r in results] == ["warned", "failed"]
    assert results[1].failing_rows == ([{"name": HOSTILE}] if index else [])  # data as it is
    pages = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "docs").rglob("*.html")}
    assert {"index.html", "gx_index.html", "hostile.html"} <= set(pages)
    for name, page in pages.items():
        assert not re.search(r"<[a-z]+ onmouseover", page), name  # no live element
    validation = "".join(page for name, page in pages.items() if name.startswith("warehouse"))
    assert SHOWN in validation
    assert "cost &lt;u onmouseover=alert(4)&gt;" in validation
    assert "cost &lt;u onmouseover=alert(4)&gt;" in pages["hostile.html"]


def test_csv_exports_neutralise_formulas_and_keep_numbers(tmp_path):
    db = _hostile_warehouse(tmp_path / "w.duckdb")
    assert export_marts(db, tmp_path / "out") == ["fct_hostile"]
    with open(tmp_path / "out/csv/fct_hostile.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["name", "cost_yuan", "note"],
        [HOSTILE, "-150000.00", "a-b"],
        ['\'=HYPERLINK("http://evil/?x=1","点我")', "2.50", "'@SUM(1)"],
        ["'+1", "0.00", "'\ttab"],
        ["'-x", "1.00", "'\rcr"],
        ["南宫市", "3.00", ""],
    ]
    parquet = duckdb.sql(f"SELECT * FROM '{tmp_path}/out/parquet/fct_hostile.parquet'")
    assert [row[0] for row in parquet.fetchall()] == [
        HOSTILE,
        '=HYPERLINK("http://evil/?x=1","点我")',
        "+1",
        "-x",
        "南宫市",
    ]


def test_dagster_check_metadata_shows_failing_rows_as_literal_markdown():
    from orchestration.definitions import _failing_md

    check = CheckResult(
        suite="hostile",
        asset="marts/fct_hostile",
        expectation="expect_column_values_to_match_regex",
        description="every name is plain",
        severity="critical",
        success=False,
        failing_count=1,
        failing_rows=[{"name": f"{HOSTILE} [点我](javascript:alert(1)) ![x](http://evil/t.png)"}],
    )
    shown = _failing_md([check]).value
    assert shown == (
        "- \\[failed\\] hostile: every name is plain: name=&lt;b onmouseover=alert\\(2\\)&gt;x"
        "&lt;/b&gt; \\[点我\\]\\(javascript:alert\\(1\\)\\) \\!\\[x\\]\\(http://evil/t\\.png\\)"
    )
    assert not UNSAFE.search(shown) and "<" not in shown
