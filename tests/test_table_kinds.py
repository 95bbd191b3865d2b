"""A template B document that lacks one of the nine tables of its kind is named, with the
tables it lacks, by the template_b_table_kinds check (real DuckDB, the real GX suite)."""

from __future__ import annotations

import duckdb

from orchestration.validate.suites import load_suite_files, run_suites


def test_a_document_missing_tables_is_named_with_them(tmp_path):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create schema raw")
    con.execute("""create table marts.dim_document as select * from (values
        ('a', 'https://x.cn/a.pdf', 'B', 'budget', 'parsed', true),
        ('b', 'https://x.cn/b.pdf', 'B', 'budget', 'parsed', true),
        ('c', 'https://x.cn/c.txt', 'A', 'budget', 'parsed', true),
        ('d', 'https://x.cn/d.pdf', 'B', 'final_accounts', 'parsed', true))
        v(document_key, url, template, kind, status, is_current)""")
    con.execute("""create table raw.budget_tables as
        select 'a' as document_key, n as table_number from range(1, 10) t(n)
        union all select 'b', n from range(1, 10) t(n) where n not in (6, 9)
        union all select 'd', n from range(1, 3) t(n)""")  # final accounts: checked elsewhere
    con.close()
    (suite,) = [s for s in load_suite_files() if s["name"] == "template_b_table_kinds"]
    (result,) = run_suites(db, [suite])
    assert (result.outcome, result.failing_count) == ("warned", 1)
    (row,) = result.failing_rows
    assert (row["document_key"], row["file_name"], row["missing_tables"]) == (
        "b",
        "b.pdf",
        "6 政府性基金预算支出功能分类预算表; 9 “三公”经费和机关运行经费预算表",
    )
