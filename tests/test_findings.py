"""`marts.fct_check_findings`: every failing row of every check, one row each, with the page to
open. Read from the sample run's published warehouse (the session's `yusuan run`), and from
small suites run on a throwaway database."""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections import Counter

import duckdb
import pytest
from conftest import ROOT

from orchestration.model import MARTS
from orchestration.validate import findings as fnd
from orchestration.validate.suites import (
    MAX_ROWS_SHOWN,
    load_suite_files,
    record_results,
    run_suites,
    write_report,
)

JUSTICE_UNIT = "ad92f2d01b2ae866"  # putuo_justice_2026_unit_budget.pdf
README_QUERY = f"""select rule_id, page, subject, printed_value, expected_value
from marts.fct_check_findings
where document_key = '{JUSTICE_UNIT}'
order by page, line_no;"""


@pytest.fixture(scope="module")
def con(sample_warehouse):
    return sample_warehouse


def findings(con, where: str = "true") -> list[dict]:
    frame = con.execute(f"select * from marts.fct_check_findings where {where}").df()
    return [{k: fnd._plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def expectations():
    """(suite, expectation) of every suite file."""
    return [(s, e) for s in load_suite_files() for e in s["expectations"]]


def test_the_table_is_a_mart_with_its_documented_columns(con):
    assert "fct_check_findings" in MARTS
    columns = con.execute(
        """select column_name, data_type from information_schema.columns
        where table_schema = 'marts' and table_name = 'fct_check_findings'
        order by ordinal_position"""
    ).fetchall()
    assert columns == [
        ("document_key", "VARCHAR"),
        ("rule_id", "VARCHAR"),
        ("severity", "VARCHAR"),
        ("page", "INTEGER"),
        ("line_no", "INTEGER"),
        ("subject", "VARCHAR"),
        ("printed_value", "VARCHAR"),
        ("expected_value", "VARCHAR"),
        ("message", "VARCHAR"),
    ]
    assert columns == fnd.columns()


def test_every_suite_says_how_its_rows_map_to_findings(con):
    rules = [fnd.rule_id(s["name"], e) for s, e in expectations()]
    assert len(rules) == len(set(rules)), "rule ids are unique"
    for suite in load_suite_files():
        assert "document" in (suite["meta"].get("finding") or {}), suite["name"]
        query_columns = {
            d[0]
            for d in con.execute(f"select * from ({suite['meta']['query']}) limit 0").description
        }
        for expectation in [None, *suite["expectations"]]:
            mapping = fnd.mapping(suite, expectation)
            assert set(mapping) <= set(fnd.KEYS)
            for key in ("document", "page", "line"):  # these name columns, never templates
                assert mapping.get(key, "document_key") in query_columns, (suite["name"], key)
            for key, value in mapping.items():  # a template names columns of the query
                named = {n for _, n, _, _ in string.Formatter().parse(value) if n}
                assert named <= query_columns, (suite["name"], key, value)


def check_counts(con) -> Counter:
    """Failing rows per rule, as `audit.check_results` reports them (a failing check with no
    rows to name counts one)."""
    rule = {
        (s["name"], e["meta"]["description"]): fnd.rule_id(s["name"], e) for s, e in expectations()
    }
    counts = Counter()
    for suite, description, count in con.execute(
        "select suite, description, failing_count from audit.check_results "
        "where outcome <> 'passed'"
    ).fetchall():
        counts[rule[suite, description]] += max(count, 1)
    return counts


def test_one_finding_per_failing_row_of_every_check(con, sample_run):
    home, _ = sample_run
    found = Counter(
        dict(
            con.execute(
                "select rule_id, count(*) from marts.fct_check_findings group by 1"
            ).fetchall()
        )
    )
    assert found == check_counts(con)
    assert (
        sum(found.values())
        == con.execute(
            "select sum(greatest(failing_count, 1)) from audit.check_results "
            "where outcome <> 'passed'"
        ).fetchone()[0]
    )
    assert found["fct_project_cost.is_money"] == 10
    # the published release's checks.json says the same, and holds no findings of its own
    report = json.loads((home / "current" / "checks.json").read_text(encoding="utf-8"))
    failing = [r for r in report["results"] if r["outcome"] != "passed"]
    assert sum(max(r["failing_count"], 1) for r in failing) == sum(found.values())
    assert all("findings" not in r for r in report["results"])
    severities = dict(
        con.execute("select distinct rule_id, severity from marts.fct_check_findings").fetchall()
    )
    for suite, expectation in expectations():
        rule = fnd.rule_id(suite["name"], expectation)
        if rule in severities:
            assert severities[rule] == expectation.get("severity", "critical")


def test_each_finding_has_the_page_and_line_its_query_gives(con):
    """The findings' document, page and line are those of the query's failing rows."""
    for suite in load_suite_files():
        frame = con.execute(suite["meta"]["query"]).df()
        for expectation in suite["expectations"]:
            rule = fnd.rule_id(suite["name"], expectation)
            mask = fnd.failing_mask(frame, expectation)
            if mask is None or not mask.any():
                continue
            mapping = fnd.mapping(suite, expectation)
            expected = Counter(
                (
                    row[mapping["document"]],
                    fnd._integer(row.get(mapping.get("page"))),
                    fnd._integer(row.get(mapping.get("line"))),
                )
                for row in fnd.frame_rows(frame, mask)
            )
            got = Counter(
                (f["document_key"], f["page"], f["line_no"])
                for f in findings(con, f"rule_id = '{rule}'")
            )
            assert got == expected, rule
    # a PDF's table, narrative and functional-line findings name their page
    paged = findings(
        con,
        """document_key in (select document_key from marts.dim_document where format = 'pdf')
        and split_part(rule_id, '.', 1) in
          ('template_b_tables', 'template_b_totals', 'template_b_narrative',
           'template_b_functional_lines', 'template_b_project_pages')""",
    )
    assert paged and all(f["page"] is not None for f in paged)


def test_the_justice_unit_budget_rows_that_do_not_add_up(con):
    rows = con.execute(
        f"""select page, subject, printed_value, expected_value, severity, message
        from marts.fct_check_findings
        where document_key = '{JUSTICE_UNIT}'
          and rule_id = 'template_b_tables.total_is_basic_plus_project'
        order by page"""
    ).fetchall()
    assert [r[:4] for r in rows] == [
        (11, "expenditure_summary 2040601", "14348853.34", "基本 14348853.34 + 项目 64840547"),
        (12, "expenditure_summary 合计", "86959408.34", "基本 22118861 + 项目 64840547"),
        (
            14,
            "general_budget_functional 2040601",
            "14348853.34",
            "基本 14348853.34 + 项目 64840547",
        ),
        (15, "general_budget_functional 合计", "86959408.34", "基本 22118861 + 项目 64840547"),
    ]
    assert {r[4] for r in rows} == {"warning"}
    rule = "合计 = 基本支出 + 项目支出 on every row of the functional expenditure tables"
    assert {r[5] for r in rows} == {rule}


def display(rows: list[tuple]) -> str:
    """Rows as the README shows them: columns aligned by display width, NULL for NULL."""

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    cells = [["NULL" if v is None else str(v) for v in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for row in cells:
        padded = [c + " " * (w - width(c)) for c, w in zip(row[:-1], widths, strict=False)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return "\n".join(lines)


def test_a_documents_problems_by_page_as_the_readme_shows_them(con):
    rows = con.execute(README_QUERY).fetchall()
    pages = [r[1] for r in rows]
    assert pages == sorted(pages, key=lambda p: (p is None, p))
    assert {11, 12, 14, 15} <= set(pages)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    checks = readme.split("## Checks", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sql)?\n(.*?)```", checks, re.S)
    assert README_QUERY + "\n" in blocks, "README: the findings query"
    assert display(rows) + "\n" in blocks, "README: the findings query's output on the sample"


def test_findings_are_not_capped_and_a_whole_table_check_names_no_document(tmp_path):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        """create table t as select 'd' || (i % 3) as document_key, i as line_no,
        i % 7 as page, 'row ' || i as label, i as amount, i > 0 as positive
        from range(0, 120) r(i)"""
    )
    con.close()
    suite = {
        "name": "tiny",
        "meta": {
            "asset": "t",
            "query": "select * from t",
            "index_columns": ["document_key", "line_no"],
            "finding": {
                "document": "document_key",
                "page": "page",
                "line": "line_no",
                "subject": "label",
                "printed": "amount",
                "expected": "less than 10 (not {amount})",
            },
        },
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "amount", "max_value": 9},
                "meta": {"description": "amounts are small"},
                "severity": "warning",
            },
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "positive", "value_set": [True]},
                "meta": {"description": "amounts are positive", "finding": {"expected": None}},
                "severity": "critical",
            },
            {
                "type": "expect_table_row_count_to_be_between",
                "kwargs": {"max_value": 100},
                "meta": {"description": "at most 100 rows"},
                "severity": "warning",
            },
        ],
    }
    results = run_suites(db, [suite])
    record_results(db, results)
    small, positive, count = results
    assert small.failing_count == 110 and len(small.failing_rows) == MAX_ROWS_SHOWN
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """select rule_id, count(*), count(document_key), min(severity), min(page),
            max(page), count(expected_value) from marts.fct_check_findings group by 1 order by 1"""
        ).fetchall()
        one = con.execute(
            "select * from marts.fct_check_findings where rule_id = 'tiny.amount' and line_no = 57"
        ).fetchone()
    finally:
        con.close()
    assert rows == [
        ("tiny.amount", 110, 110, "warning", 0, 6, 110),
        ("tiny.positive", 1, 1, "critical", 0, 0, 0),
        ("tiny.table_row_count_to_be_between", 1, 0, "warning", None, None, 0),
    ]
    assert one == (
        "d0",
        "tiny.amount",
        "warning",
        1,
        57,
        "row 57",
        "57",
        "less than 10 (not 57)",
        "amounts are small",
    )
    assert positive.outcome == "failed" and count.observed == "120"
    report = tmp_path / "checks.json"
    write_report(report, results)
    assert "findings" not in json.loads(report.read_text(encoding="utf-8"))["results"][0]
