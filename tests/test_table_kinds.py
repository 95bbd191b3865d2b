"""A budget that lacks one of the tables the national scheme requires is named, with the
tables it lacks, by the template_b_table_kinds check (real DuckDB, the real GX suite)."""

from __future__ import annotations

import duckdb
from conftest import ROOT

from orchestration.parse.catalog import kinds
from orchestration.prepare import write_sources
from orchestration.validate.suites import load_suite_files, run_suites


def test_a_document_missing_tables_is_named_with_them(tmp_path):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create schema raw")
    # e and f: a disclosure published as two files, its narrative (e) and its tables (f)
    con.execute("""create table marts.dim_document as select * from (values
        ('a', 'https://x.cn/a.pdf', 'B', 'budget', 'parsed', true, 'A'),
        ('b', 'https://x.cn/b.pdf', 'B', 'budget', 'parsed', true, 'B'),
        ('c', 'https://x.cn/c.txt', 'A', 'budget', 'parsed', true, 'C'),
        ('d', 'https://x.cn/d.pdf', 'B', 'final_accounts', 'parsed', true, 'D'),
        ('e', 'https://x.cn/e.pdf', 'national', 'budget', 'parsed', true, 'E'),
        ('f', 'https://x.cn/f.pdf', 'national', 'budget', 'parsed', true, 'E'))
        v(document_key, url, template, kind, status, is_current, disclosure_key)""")
    # the catalog's seed of kinds, as the build loads it
    write_sources()
    con.execute("create schema seeds")
    seed = ROOT / "dbt_project" / "seeds" / "catalog" / "table_kinds.csv"
    con.execute(f"create table seeds.table_kinds as select * from read_csv('{seed}')")
    required = [k.id for k in kinds("budget") if k.required]
    con.execute("create table raw.budget_tables (document_key varchar, table_kind varchar)")
    for key, printed in (
        ("a", required),
        ("b", [k for k in required if k not in ("government_fund", "three_public")]),
        ("d", ["fa_revenue_expenditure_summary"]),  # final accounts: checked elsewhere
        ("f", required),
    ):
        con.executemany("insert into raw.budget_tables values (?, ?)", [(key, k) for k in printed])
    con.close()
    (suite,) = [s for s in load_suite_files() if s["name"] == "template_b_table_kinds"]
    (result,) = run_suites(db, [suite])
    assert (result.outcome, result.failing_count) == ("warned", 1)
    (row,) = result.failing_rows
    assert (row["document_key"], row["file_name"], row["missing_tables"]) == (
        "b",
        "b.pdf",
        "政府性基金预算支出表; “三公”经费预算表",
    )
