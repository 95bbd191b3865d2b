"""The hostile corpus (`orchestration.synth.hostile`), parsed once as a run parses: on two
workers under the job's time and memory limits. Every document ends with its expected status
and a one-line reason, and none stops, slows or leaks into the others; in a whole run beside
good documents, the rest of the corpus is published."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from orchestration.fetch.landing import Landing
from orchestration.home import Home
from orchestration.parse.run import cache_dir, parse_all
from orchestration.safe_text import printable
from orchestration.synth.hostile import CASES, land, write_hostile_corpus


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> dict:
    """Each case's `documents` record, and the whole parse's wall time."""
    root = tmp_path_factory.mktemp("hostile")
    cases = write_hostile_corpus(root / "corpus")
    shas = land(root, [root / "corpus" / case.file_name for case in cases])
    home = Home.at(root)
    started = time.monotonic()
    summary = parse_all(home, Landing(root), workers=2)
    seconds = time.monotonic() - started
    records = {
        case.name: json.loads((cache_dir(home) / f"{sha}.json").read_text(encoding="utf-8"))
        for case, sha in zip(cases, shas.values(), strict=True)
    }
    return {"records": records, "seconds": seconds, "summary": summary}


def test_every_case_is_in_the_catalog_once():
    for field in ("name", "file_name"):
        counts = Counter(getattr(case, field) for case in CASES)
        assert [value for value, count in counts.items() if count > 1] == [], field


def test_the_whole_corpus_parses_in_bounded_time(parsed):
    assert parsed["seconds"] < 120
    assert parsed["summary"].parsed == len(CASES)  # every document ended, none twice
    assert sum(parsed["summary"].by_status.values()) == len(CASES)


def test_no_document_reads_a_local_file(parsed):
    """XXE entities name /etc/passwd: nothing of it reaches any record."""
    secret = Path("/etc/passwd").read_text().splitlines()[0]
    for name, records in parsed["records"].items():
        assert secret not in json.dumps(records, ensure_ascii=False), name


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_ends_as_expected(parsed, case):
    document = parsed["records"][case.name]["documents"][0]
    reason = document["status_reason"] or ""
    assert (document["status"], case.reason in reason) == (case.status, True), reason
    assert not reason.startswith(("over the parse", "the parse worker died"))  # within limits
    if case.department is not None:
        assert document["department_name"] == case.department  # stored verbatim


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_reason_is_one_printable_line(parsed, case):
    reason = parsed["records"][case.name]["documents"][0]["status_reason"] or ""
    assert reason == printable(reason)  # a reason quoting the document is stored escaped


def test_a_run_over_the_hostile_corpus_publishes_the_rest(mixed_runs):
    """The mixed corpus holds the hostile one as a source of its own (`tests/corpora.py`)."""
    home, first, _ = mixed_runs
    assert first.returncode == 0, first.stdout + first.stderr
    assert "published: yes" in first.stdout
    unsafe = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    assert not unsafe.search(first.stdout + first.stderr)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        # by content: a case with the bytes of another source's document is that document
        outcomes = dict(con.execute("select sha256, status from marts.dim_document").fetchall())
        corpus = home.parent / "hostile"
        expected = {
            hashlib.sha256((corpus / case.file_name).read_bytes()).hexdigest(): case.status
            for case in CASES
        }
        assert {sha: outcomes.get(sha) for sha in expected} == expected
        names = {
            name
            for (name,) in con.sql("select department_name from marts.dim_department").fetchall()
        }
        assert {case.department for case in CASES if case.department} <= names  # verbatim
        budget = (
            "(select document_key from marts.dim_document"
            " where url similar to '.*/(budget|page)\\.txt' and is_current)"
        )
        assert con.execute(
            f"select count(*) from marts.fct_indicator_target where document_key = {budget}"
        ).fetchone() == (349,)
    exported = home / "current" / "csv" / "dim_department.csv"
    with open(exported, encoding="utf-8-sig", newline="") as handle:
        cells = {row["department_name"] for row in csv.DictReader(handle)}
    assert '\'=HYPERLINK("http://x")' in cells and "<b onmouseover=alert(2)>" in cells
