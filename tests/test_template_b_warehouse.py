"""Template B in the warehouse: the four Putuo PDFs of the bundled sample, through every mart,
and the real documents' inconsistencies reported by the checks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

COMMERCE_DEPT, COMMERCE_UNIT = "b067184912969b73", "e678e969088c075c"
JUSTICE_DEPT, JUSTICE_UNIT = "c8821d984a541c12", "ad92f2d01b2ae866"
PLANNING_FINAL, SOCIAL_FINAL = "f2546b5778018165", "44874c062a89c26e"  # final accounts 2024


@pytest.fixture(scope="module")
def warehouse(sample_warehouse):
    return sample_warehouse


def test_documents_and_departments(warehouse):
    rows = warehouse.execute("""select d.document_key, d.template, d.fiscal_year, d.level,
            d.kind, d.format, p.department_name, p.county
        from marts.dim_document d join marts.dim_department p using (department_key)
        where d.template = 'B' order by d.fiscal_year, p.department_name, d.level""").fetchall()
    budget, final = "budget", "final_accounts"
    assert rows == [
        (
            PLANNING_FINAL,
            "B",
            2024,
            "department",
            final,
            "pdf",
            "上海市普陀区规划和自然资源局",
            "普陀区",
        ),
        (
            SOCIAL_FINAL,
            "B",
            2024,
            "department",
            final,
            "pdf",
            "中共上海市普陀区委社会工作部",
            "普陀区",
        ),
        (COMMERCE_DEPT, "B", 2025, "department", budget, "pdf", "上海市普陀区商务委员会", "普陀区"),
        (COMMERCE_UNIT, "B", 2025, "unit", budget, "pdf", "上海市普陀区商务委员会", "普陀区"),
        (JUSTICE_DEPT, "B", 2026, "department", budget, "pdf", "上海市普陀区司法局", "普陀区"),
        (JUSTICE_UNIT, "B", 2026, "unit", budget, "pdf", "上海市普陀区司法局", "普陀区"),
    ]


def test_department_budget_figures_come_from_the_tables(warehouse):
    rows = {
        r[0]: r[1:]
        for r in warehouse.execute("""select document_key, revenue_total_yuan,
        expenditure_total_yuan, basic_expenditure_yuan, project_expenditure_yuan,
        operating_funds_yuan, procurement_total_yuan from marts.fct_department_budget""").fetchall()
    }
    d = Decimal
    assert rows[COMMERCE_DEPT] == (
        d("371514655.00"),
        d("371514655.00"),
        d("19830655.00"),
        d("351684000.00"),
        d("1710100.00"),
        d("382000.00"),
    )
    assert rows[JUSTICE_DEPT] == (
        d("96282213.44"),
        d("96282213.44"),
        d("25741666.44"),
        d("70540547.00"),
        d("2178300.00"),
        d("14864200.00"),
    )
    assert rows[JUSTICE_UNIT] == (
        d("86959408.34"),
        d("86959408.34"),
        d("22118861.00"),
        d("64840547.00"),
        d("1845900.00"),
        d("14842000.00"),
    )


def test_three_public_expenses(warehouse):
    rows = dict(
        warehouse.execute(f"""select category, amount_yuan
        from marts.fct_three_public_expenses where document_key = '{JUSTICE_DEPT}'""").fetchall()
    )
    assert rows == {
        "total": Decimal("108100.00"),
        "outbound": Decimal("0.00"),
        "vehicle_total": Decimal("99800.00"),
        "vehicle_purchase": Decimal("0.00"),
        "vehicle_operation": Decimal("99800.00"),
        "reception": Decimal("8300.00"),
    }


def test_functional_and_economic_expenditure(warehouse):
    functional = dict(
        warehouse.execute("""select document_key, sum(amount_yuan)
        from marts.fct_functional_expenditure where code_level = 'class' group by all""").fetchall()
    )
    assert functional == {
        COMMERCE_DEPT: Decimal("371514655.00"),
        COMMERCE_UNIT: Decimal("371514655.00"),
        JUSTICE_DEPT: Decimal("96282213.44"),
        JUSTICE_UNIT: Decimal("86959408.34"),
        PLANNING_FINAL: Decimal("97593800.00"),  # 支出决算表: what was spent, all funds
        SOCIAL_FINAL: Decimal("3078200.00"),
    }
    assert warehouse.execute(f"""select function_code, function_name, amount_yuan, basic_yuan,
        project_yuan from marts.fct_functional_expenditure
        where document_key = '{COMMERCE_DEPT}' and function_code = '2011301'""").fetchone() == (
        "2011301",
        "行政运行",
        Decimal("9389913.00"),
        Decimal("9389913.00"),
        None,
    )
    economic = warehouse.execute(f"""select sum(amount_yuan), sum(personnel_yuan),
        sum(public_yuan) from marts.fct_economic_expenditure
        where document_key = '{JUSTICE_DEPT}' and code_level = 'class'""").fetchone()
    assert economic == (Decimal("25741666.44"), Decimal("23563342.00"), Decimal("2178324.44"))


def test_project_pages_feed_projects_and_costs(warehouse):
    costs = warehouse.execute(f"""select p.project_name, c.cost_yuan
        from marts.fct_project_cost c join marts.dim_project p using (project_key)
        where c.document_key = '{JUSTICE_DEPT}'""").fetchall()
    assert costs == [("人民调解项目", Decimal("7950000.00"))]
    assert warehouse.execute(f"""select count(*), sum(cost_yuan) from marts.fct_project_cost
        where document_key = '{COMMERCE_DEPT}'""").fetchone() == (4, Decimal("72210000.00"))


def warned(warehouse, suite: str, description_start: str) -> list[dict]:
    row = warehouse.execute(
        """select failing_rows from audit.check_results
        where suite = ? and outcome = 'warned' and description like ? || '%'""",
        [suite, description_start],
    ).fetchone()
    return json.loads(row[0]) if row else []


def test_real_inconsistencies_are_reported(warehouse):
    wrong_year = warned(warehouse, "template_b_narrative", "a stated change compares")
    assert {(r["document_key"], r["raw_text"]) for r in wrong_year} >= {
        (JUSTICE_DEPT, "比2026年预算增加793.14万元")
    }
    rows = warned(warehouse, "template_b_tables", "合计 = 基本支出 + 项目支出")
    assert {(r["document_key"], r["row_label"]) for r in rows} >= {(JUSTICE_UNIT, "2040601")}
    sums = warned(warehouse, "template_b_totals", "a 类 row equals the sum")
    assert {(r["document_key"], r["row_label"]) for r in sums} == {(JUSTICE_UNIT, "20406 司法")}
    changes = warned(warehouse, "template_b_functional_lines", "a line's stated % change")
    ten_times = [
        r
        for r in changes
        if r["document_key"] == JUSTICE_DEPT
        and r["function_name"].startswith("公共安全支出")
        and r["prior"] == 432693000.0
    ]
    assert len(ten_times) == 1  # 其他司法支出: the prior year printed ten times too large
    assert not warned(warehouse, "template_b_totals", "收入总计 = 支出总计")
    assert not warned(warehouse, "template_b_narrative", "政府采购 = 货物 + 工程 + 服务")


def test_every_stated_functional_line_has_its_code_name_and_amount(warehouse):
    rows = warehouse.execute("""select document_key, count(*), count(function_code),
            count(subitem_name), count(amount_yuan), sum(amount_yuan),
            count(*) filter (where code_source = 'classification'),
            count(*) filter (where in_expenditure_table)
        from marts.fct_stated_functional_lines group by 1 order by 1""").fetchall()
    d = Decimal
    assert {r[0]: r[1:] for r in rows} == {
        JUSTICE_UNIT: (13, 13, 13, 13, d("86959500.00"), 0, 13),
        COMMERCE_DEPT: (16, 16, 16, 16, d("371514600.00"), 16, 16),
        JUSTICE_DEPT: (13, 13, 13, 13, d("96282100.00"), 0, 13),
        COMMERCE_UNIT: (16, 16, 16, 16, d("371514600.00"), 16, 16),
        SOCIAL_FINAL: (9, 9, 9, 9, d("3078200.00"), 9, 9),
        # three lines name a 款 or 项 neither the classification nor the planning bureau's
        # tables know (住房保障支出（款） for their 住房改革支出, …): no code, and
        # template_b_functional_lines reports each
        PLANNING_FINAL: (13, 10, 13, 13, d("97465000.00"), 10, 10),
    }
    # a code the line does not print comes from the classification, by the names it prints,
    # and is a row of the document's own 支出预算总表
    assert warehouse.execute(
        """select function_code, code_source, in_expenditure_table, function_name, amount_yuan
        from marts.fct_stated_functional_lines
        where document_key = ? and printed_number = 1""",
        [COMMERCE_DEPT],
    ).fetchone() == (
        "2011301",
        "classification",
        True,
        "一般公共服务支出（类）商贸事务（款）行政运行（项）",
        d("9389900.00"),
    )
