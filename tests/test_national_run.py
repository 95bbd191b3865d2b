"""One run over the bundled sample and the national corpus (seven provinces and a central
department, `sample/national/`) publishes: every document has its status and reason, every
disclosure's figures reach the marts as its PDF prints them (read by hand), its totals
balance, two files of one disclosure are one, and one office links across three years."""

from __future__ import annotations

from decimal import Decimal

import pytest


def W(text: str) -> Decimal:
    """万元 as printed, in 元."""
    return (Decimal(text.replace(",", "")) * 10000).quantize(Decimal("0.01"))


def Y(text: str) -> Decimal:
    """元 as printed."""
    return Decimal(text.replace(",", "")).quantize(Decimal("0.01"))


# Read by hand from each PDF: (file, entity, admin level, 收支总表 收入, 支出总表 合计 / 基本 /
# 项目, 一般公共预算支出 合计, “三公”经费) — one document of each family
GOLDEN = [
    (
        "chongqing_government_office_2026_department_budget.pdf",
        "重庆市人民政府办公厅",
        "province",
        W("19,230.18"),
        (W("19,230.18"), W("9,018.47"), W("10,211.71")),
        W("18,417.70"),
        W("394.49"),
    ),
    (
        "guangzhou_statistics_2026_department_budget.pdf",
        "广州市统计局",
        "prefecture",
        W("9,483.72"),
        (W("9,483.72"), W("8,401.67"), W("1,082.05")),
        W("9,433.72"),
        W("19.86"),
    ),
    (
        "changsha_petitions_2026_department_budget.pdf",
        "长沙市信访局",
        "prefecture",
        W("1,935.36"),
        (W("1,935.36"), W("1,517.95"), W("417.41")),
        W("1,935.36"),
        W("8.00"),
    ),
    (
        "quanzhou_government_office_2026_department_budget.pdf",
        "泉州市人民政府办公室",
        "prefecture",
        W("15184.81"),
        (W("15184.81"), W("5915.38"), W("9269.43")),
        W("10984.81"),
        W("312.75"),
    ),
    (
        "suzhou_audit_2026_department_budget.pdf",
        "苏州市审计局",
        "prefecture",
        W("4,651.67"),
        (W("4,651.67"), W("4,312.17"), W("339.50")),
        W("4,651.67"),
        W("10.00"),
    ),
    (
        "yantai_statistics_2026_department_budget.pdf",
        "烟台市统计局",
        "prefecture",
        W("2,123.11"),
        (W("2,123.11"), W("1,704.11"), W("419.00")),
        W("2,123.11"),
        W("14.30"),
    ),
    # the tables file of a disclosure published as two files: its 三公 is the 小计 under
    # “三公”经费, not the 合计 that adds 会议费 and 培训费
    (
        "jiangsu_party_committee_office_2019_department_budget_tables.pdf",
        "中共江苏省委办公厅",
        "province",
        W("27,664.22"),
        (W("27,664.22"), W("11,700.63"), W("13,025.38")),
        W("27,664.22"),
        W("508.20"),
    ),
    # a unit funded by the government fund: its general budget tables are printed empty
    (
        "shanghai_welfare_lottery_center_2026_unit_budget.pdf",
        "上海市福利彩票发行中心",
        "province",
        Y("216,801,570"),
        (Y("216,801,570"), Y("20,862,863"), Y("195,938,707")),
        None,
        Y("0"),
    ),
]


def test_the_sample_and_the_national_corpus_publish(national_warehouse):
    con, process = national_warehouse
    assert process.returncode == 0, process.stdout + process.stderr
    assert "[failed]" not in process.stdout
    statuses = dict(
        con.execute("""select regexp_extract(url, '[^/]+$'), status || ': ' || coalesce(
            status_reason, '') from marts.dim_document""").fetchall()
    )
    assert statuses["changsha_project_performance_evaluation_report.pdf"].startswith(
        "unsupported: not a budget or final accounts disclosure: a performance-evaluation report"
    )
    assert statuses["national_bureau_of_statistics_2026_budget_portal_page.html"].startswith(
        "unsupported: not a budget or final accounts disclosure: a portal page"
    )
    for scanned in (
        "quanzhou_commerce_2026_department_budget_scanned.pdf",
        "changsha_market_regulation_2026_department_budget_scanned.pdf",
    ):
        assert statuses[scanned] == "unreadable: no text layer (a scanned PDF?)"
    others = {f for f in statuses if "scanned" not in f and "report" not in f and "portal" not in f}
    assert {statuses[f] for f in others} == {"parsed: "}


@pytest.mark.parametrize(
    ("file", "entity", "admin_level", "income", "expenditure", "general_budget", "three_public"),
    GOLDEN,
)
def test_each_family_reaches_the_marts_as_printed(
    national_warehouse,
    file,
    entity,
    admin_level,
    income,
    expenditure,
    general_budget,
    three_public,
):
    con, _ = national_warehouse
    row = con.execute(
        """select d.document_key, p.department_name, p.admin_level, b.revenue_total_yuan,
            b.expenditure_total_yuan, b.basic_expenditure_yuan, b.project_expenditure_yuan,
            b.general_budget_expenditure_yuan
        from marts.dim_document d
        join marts.dim_department p using (department_key)
        join marts.fct_department_budget b using (document_key)
        where d.url like '%/' || ?""",
        [file],
    ).fetchone()
    assert row is not None, file
    key, *figures = row
    assert figures[1:] == [admin_level, income, *expenditure, general_budget]
    assert entity in (figures[0], entity)  # the department's latest printed name
    assert con.execute(
        """select amount_yuan from marts.fct_three_public_expenses
        where document_key = ? and category = 'total'""",
        [key],
    ).fetchone() == (three_public,)


def test_every_parsed_document_balances(national_warehouse):
    """收入总计 = 支出总计 and 合计 = 基本 + 项目 for every disclosure of the national scheme (a
    支出总表 may also print 单位预留机动经费 or 结转下年 beside them)."""
    con, _ = national_warehouse
    rows = con.execute("""select regexp_extract(d.url, '[^/]+$'), b.revenue_total_yuan,
        b.expenditure_total_yuan from marts.fct_department_budget b
        join marts.dim_document d using (document_key)
        where d.template = 'national'""").fetchall()
    assert len(rows) >= 20
    assert [(f, r, e) for f, r, e in rows if r != e] == []


def test_two_files_of_one_disclosure_are_one_and_an_office_links_across_years(
    national_warehouse,
):
    con, _ = national_warehouse
    rows = con.execute("""select p.department_name, d.fiscal_year, count(distinct d.document_key),
        count(distinct d.disclosure_key), string_agg(distinct d.part, ',' order by d.part)
        from marts.dim_document d join marts.dim_department p using (department_key)
        where d.url like '%jiangsu_party_committee_office_%'
        group by all order by all""").fetchall()
    # printed 中国共产党江苏省委员会办公厅, 中共江苏省委办公厅 and 江苏省委办公厅: one department
    assert [(year, files, disclosures, parts) for _, year, files, disclosures, parts in rows] == [
        (2017, 2, 1, "narrative,tables"),
        (2018, 2, 1, "narrative,tables"),
        (2019, 2, 1, "narrative,tables"),
    ]
    budgets = con.execute("""select b.fiscal_year, count(*)
        from marts.fct_department_budget b join marts.dim_document d using (document_key)
        where d.url like '%jiangsu_party_committee_office_%'
        group by all order by all""").fetchall()
    assert budgets == [(2017, 1), (2018, 1), (2019, 1)]  # each figure once a year
    trend = con.execute("""select fiscal_year, count(*) from marts.fct_functional_expenditure f
        join marts.dim_department p using (department_key)
        where p.department_name like '%江苏省委办公厅' group by all order by all""").fetchall()
    assert [year for year, lines in trend if lines > 0] == [2017, 2018, 2019]
