"""Final accounts with errors injected by hand: each error yields one finding, with its page.

The real planning-bureau final accounts are printed anew twice from their text layer: as they
are, and with seven errors a publisher makes (a template blank left for the name, a table left
out, a figure blanked, a wrong comparison word, a wrong year, a narrative total that disagrees
with its table, a narrative amount left blank before its unit;
`final_accounts_corpus.injected`). Both run in one corpus (the blank makes the copy another
department); the copy's findings are the original's plus exactly one per injected error.
"""

from __future__ import annotations

import duckdb
import pytest
from final_accounts_corpus import (
    JUSTICE_STALE,
    PLANNING,
    PLANNING_COPY,
    PLANNING_INJECTED,
    SOCIAL_SPLIT,
)

INJECTED = [  # (rule, the subject it names)
    # the cover's name: one finding for the one printed blank (the name the document takes from
    # its cover is the same blank, not named twice)
    ("template_blanks.no_placeholder", "name_blank"),
    ("final_accounts.tables_present", "九、国有资本经营预算财政拨款收入支出决算表"),
    ("template_b_tables.row_has_total", None),
    ("template_b_functional_lines.comparison_agrees", None),
    ("template_b_narrative.change_refers_to_prior_year", None),
    ("template_b_narrative.stated_equals_table", None),
    ("template_blanks.no_placeholder", "amount_missing"),  # 财政拨款支出 万元，主要用于
]


@pytest.fixture(scope="module")
def findings(final_accounts_run):
    con = duckdb.connect(str(final_accounts_run / "warehouse.duckdb"), read_only=True)
    keys = dict(
        con.execute("""select regexp_extract(url, '[^/]+$'), document_key
        from marts.dim_document""").fetchall()
    )
    rows = con.execute("""select document_key, rule_id, page, subject, printed_value,
        expected_value, message from marts.fct_check_findings""").fetchall()
    con.close()
    by_document = {name: [r[1:] for r in rows if r[0] == key] for name, key in keys.items()}
    names = (PLANNING_COPY, PLANNING_INJECTED, JUSTICE_STALE, SOCIAL_SPLIT)
    return tuple(by_document[name] for name in names)


def test_each_injected_error_yields_one_finding_with_its_page(findings):
    original, copy, *_ = findings
    new = [row for row in copy if row[:1] + row[2:3] not in {r[:1] + r[2:3] for r in original}]
    assert sorted(row[0] for row in new) == sorted(rule for rule, _ in INJECTED)
    for rule, page, subject, *_ in new:
        assert page is not None, rule
        named = [s for r, s in INJECTED if r == rule]
        if all(named):
            assert subject in named, (rule, subject)


def test_the_findings_say_what_was_printed_and_what_was_expected(findings):
    _, copy, *_ = findings
    by_rule = {row[0]: row for row in copy}
    _, page, subject, printed, expected, _ = by_rule["final_accounts.tables_present"]
    assert (page, printed, expected) == (1, "missing", "printed (listed in the contents)")
    _, _, subject, printed, expected, _ = by_rule["template_b_narrative.stated_equals_table"]
    assert (subject, printed, expected) == ("revenue_total", "97565000", "97465000")
    blanks = sorted(row[1:5] for row in copy if row[0] == "template_blanks.no_placeholder")
    cover, narrative = blanks
    assert cover == (1, "name_blank", "上海市XX局", "a name, figure or text")
    page, subject, printed, expected = narrative
    assert (subject, expected) == ("amount_missing", "an amount")
    assert "财政拨款支出 万元" in printed


def test_a_title_left_at_last_years_is_found_in_a_budget(findings):
    _, _, stale, _ = findings
    years = [row for row in stale if row[0] == "heading_years.heading_year_in_year"]
    assert [row[2:5] for row in years] == [("2025年部门收入预算总表", "2025", "2026")]
    assert years[0][1] == 11  # the page of the table


def test_an_amount_under_no_recognised_column_is_reported(findings):
    *_, split = findings
    unplaced = [row for row in split if row[0] == "table_amounts.has_column"]
    # the 收支总表's and 财政拨款收支总表's amounts after a repeated header: read, not placed
    assert len(unplaced) == 15
    two_sided = {"fa_revenue_expenditure_summary", "fa_fiscal_summary"}
    assert {subject.split()[0] for _, _, subject, *_ in unplaced} == two_sided
    assert all(page is not None and printed for _, page, _, printed, *_ in unplaced)


def test_the_real_final_accounts_findings(sample_warehouse):
    """What the two real final accounts of the sample are reported for: the social-work
    department's nothing; the planning bureau's narrative 人员经费 (4896.98 万元 against the
    table's 4884.09) and three functional lines naming a 款 or 项 its tables do not print (a
    fourth, 其他国土资源事务支出, is the former name of the 项 its table prints as
    其他自然资源事务支出: the classification knows both)."""
    rows = sample_warehouse.execute("""select regexp_extract(d.url, '[^/]+$'), f.rule_id, f.page,
        count(*) from marts.fct_check_findings f join marts.dim_document d using (document_key)
        where d.kind = 'final_accounts' group by all order by all""").fetchall()
    assert rows == [
        (PLANNING.name, "final_accounts.narrative_equals_table", 24, 1),
        (PLANNING.name, "template_b_functional_lines.fully_read", 22, 1),
        (PLANNING.name, "template_b_functional_lines.fully_read", 24, 2),
        (PLANNING.name, "template_b_functional_lines.line_equals_table", 22, 1),
        (PLANNING.name, "template_b_functional_lines.line_equals_table", 24, 2),
    ]
