"""Budget against actual: a department whose budget and final accounts are both in the
warehouse, through `marts.mart_budget_execution`.

The department is Putuo's commerce commission (its real 2025 budget, from the sample); its 2025
final accounts are the real social-work final accounts renamed and re-dated, printed anew as a
PDF (so the figures differ wildly from the budget's, as a test wants: every side is told apart;
see `final_accounts_corpus.py`).
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

COMMERCE = "上海市普陀区商务委员会"
D = Decimal


@pytest.fixture(scope="module")
def warehouse(final_accounts_run):
    con = duckdb.connect(str(final_accounts_run / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def rows(con, where: str) -> dict[str, tuple]:
    return {
        row[0]: row[1:]
        for row in con.execute(f"""select line_code, budget_yuan, printed_budget_yuan,
            actual_yuan, difference_yuan, execution_rate, printed_execution_rate
            from marts.mart_budget_execution join marts.dim_department using (department_key)
            where department_name = '{COMMERCE}' and {where}""").fetchall()
    }


def test_both_documents_are_one_departments_budget_and_final_accounts(warehouse):
    documents = warehouse.execute(f"""select d.kind, d.level, d.fiscal_year
        from marts.dim_document d join marts.dim_department p using (department_key)
        where p.department_name = '{COMMERCE}' order by d.kind""").fetchall()
    assert documents == [("budget", "department", 2025), ("final_accounts", "department", 2025)]


def test_totals_compare_the_budget_with_what_was_spent(warehouse):
    assert rows(warehouse, "line_kind = 'total'") == {
        "expenditure_total": (
            D("371514655.00"),
            None,
            D("3078200.00"),
            D("-368436455.00"),
            D("0.0083"),
            None,
        ),
        "basic_expenditure": (
            D("19830655.00"),
            None,
            D("1055800.00"),
            D("-18774855.00"),
            D("0.0532"),
            None,
        ),
        "project_expenditure": (
            D("351684000.00"),
            None,
            D("2022400.00"),
            D("-349661600.00"),
            D("0.0058"),
            None,
        ),
        # the one total final accounts print a budget for: 全年预算 321.02 万元, spent 307.82
        "general_budget_expenditure": (
            D("371514655.00"),
            D("3210200.00"),
            D("3078200.00"),
            D("-368436455.00"),
            D("0.0083"),
            D("0.9589"),
        ),
    }


def test_final_accounts_carry_the_budget_they_print(warehouse):
    figures = warehouse.execute(f"""select p.department_name, f.kind,
            f.general_budget_expenditure_yuan, f.budget_yuan, f.budget_basis, f.budget_initial_yuan
        from marts.fct_department_budget f join marts.dim_department p using (department_key)
        where p.department_name in ('{COMMERCE}', '上海市普陀区规划和自然资源局')
        order by 1, 2""").fetchall()
    assert figures == [
        # the budget: its 一般公共预算 table's 合计; a budget prints no other budget
        (COMMERCE, "budget", D("371514655.00"), None, None, None),
        # 年初预算 0 万元, 全年预算 321.02 万元, spent 307.82 万元
        (COMMERCE, "final_accounts", D("3078200.00"), D("3210200.00"), "全年预算", D("0.00")),
        # only a 年初预算 is printed: 10210.34 万元, spent 9746.50 万元
        (
            "上海市普陀区规划和自然资源局",
            "final_accounts",
            D("97465000.00"),
            D("102103400.00"),
            "年初预算",
            D("102103400.00"),
        ),
    ]


def test_a_function_line_carries_the_budget_the_printed_budget_and_the_actual(warehouse):
    functions = rows(warehouse, "line_kind = 'function'")
    # 住房公积金: budgeted 1,361,034.00 元; the final accounts print 全年预算 18.12 万元 and
    # 17.70 万元 spent
    assert functions["2210201"] == (
        D("1361034.00"),
        D("181200.00"),
        D("177000.00"),
        D("-1184034.00"),
        D("0.1300"),
        D("0.9768"),
    )
    both = {code for code, row in functions.items() if row[0] is not None and row[2] is not None}
    assert both == {
        "201",
        "208",
        "20805",
        "2080505",
        "2080506",
        "210",
        "21011",
        "2101101",
        "2101102",
        "221",
        "22102",
        "2210201",
        "2210203",
    }


def test_a_side_not_in_the_warehouse_is_null_never_zero(warehouse):
    functions = rows(warehouse, "line_kind = 'function'")
    # spent on 社会工作事务, never budgeted by this budget: no budget, no difference, no rate
    assert functions["2013901"][:1] == (None,)
    assert functions["2013901"][2:5] == (D("513200.00"), None, None)
    # budgeted for 商贸事务, absent from the final accounts: no actual
    assert functions["2011301"][0] == D("9389913.00")
    assert functions["2011301"][2:] == (None, None, None, None)
    # no 三公 was spent, and the final accounts state none: the budget's categories stand alone
    three_public = rows(warehouse, "line_kind = 'three_public'")
    assert three_public and all(row[2] is None for row in three_public.values())


def test_a_final_accounts_function_line_carries_its_printed_budget(warehouse):
    lines = warehouse.execute(f"""select f.function_code, f.amount_yuan, f.budget_yuan,
            f.budget_basis
        from marts.fct_functional_expenditure f join marts.dim_department p using (department_key)
        where p.department_name = '{COMMERCE}' and f.kind = 'final_accounts'
          and f.function_code in ('2210201', '2013901', '221')
        order by 1""").fetchall()
    assert lines == [
        ("2013901", D("513200.00"), D("520000.00"), "全年预算"),
        ("221", D("294200.00"), None, None),  # the narrative gives budgets per 项 only
        ("2210201", D("177000.00"), D("181200.00"), "全年预算"),
    ]
