"""The analysts' wide tables (marts.v_*) on the sample warehouse and in its release; and the
real file format of DOCX, XLSX, DOC and XLS documents in dim_document."""

from __future__ import annotations

import io
from decimal import Decimal

import duckdb
import openpyxl
import pytest
from conftest import SAMPLE
from render import render_docx
from test_readers import biff_workbook, compound_file

from orchestration.formats import document_format, sniff_format
from orchestration.model import ANALYST_VIEWS, MARTS
from orchestration.parse.layout import decode_text

FACTS = {view: "fct_" + view.removeprefix("v_") for view in ANALYST_VIEWS}
THREE_PUBLIC_LABELS = {
    "total": "“三公”经费合计",
    "outbound": "因公出国（境）费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
    "meeting": "会议费",
    "training": "培训费",
}


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_every_view_has_its_facts_rows(sample_warehouse):
    assert set(ANALYST_VIEWS) <= set(MARTS)
    assert sorted(FACTS.values()) == [
        "fct_department_budget",
        "fct_economic_expenditure",
        "fct_functional_expenditure",
        "fct_indicator_target",
        "fct_project_cost",
        "fct_three_public_expenses",
    ]
    for view, fact in FACTS.items():
        (count,) = sample_warehouse.execute(f"select count(*) from marts.{fact}").fetchone()
        assert rows(sample_warehouse, f"select count(*) from marts.{view}") == [(count,)], view
        assert count > 0, fact
        names = rows(
            sample_warehouse,
            f"""select count(*) from marts.{view} where department_name is null
            or fiscal_year is null or kind is null or level is null""",
        )
        assert names == [(0,)], view


def test_sums_per_department_name_equal_the_facts(sample_warehouse):
    by_name = """select department_name, sum({figure}) from marts.{view}
        group by all order by all"""
    via_keys = """select d.department_name, sum(f.{figure}) from marts.{fact} f
        join marts.dim_document doc on f.document_key = doc.document_key
        join marts.dim_department d on doc.department_key = d.department_key
        group by all order by all"""
    figures = {
        "v_project_cost": "cost_yuan",
        "v_indicator_target": "target_number",
        "v_department_budget": "expenditure_total_yuan",
        "v_three_public_expenses": "amount_yuan",
        "v_functional_expenditure": "amount_yuan",
        "v_economic_expenditure": "amount_yuan",
    }
    for view, figure in figures.items():
        fact = FACTS[view]
        assert rows(sample_warehouse, by_name.format(figure=figure, view=view)) == rows(
            sample_warehouse, via_keys.format(figure=figure, fact=fact)
        ), view
    assert rows(sample_warehouse, by_name.format(figure="cost_yuan", view="v_project_cost")) == [
        ("上海市普陀区司法局", Decimal("7950000.00")),
        ("上海市普陀区商务委员会", Decimal("72210000.00")),
        ("市委部门", Decimal("16619700.00")),
    ]


def test_a_project_cost_reads_with_its_names_region_year_kind_and_level(sample_warehouse):
    assert rows(
        sample_warehouse,
        """select province, prefecture, county, department_name, unit_name, fiscal_year, kind,
        level, project_name, cost_text, cost_yuan from marts.v_project_cost
        where project_name = '涉军、扶贫专班工作经费'""",
    ) == [
        (
            "河北省",
            "邢台市",
            "南宫市",
            "市委部门",
            None,
            2021,
            "budget",
            "department",
            "涉军、扶贫专班工作经费",
            "≤14 万元",
            Decimal("140000.00"),
        )
    ]
    # a unit budget names its unit; the department budget covers them all
    assert rows(
        sample_warehouse,
        """select level, unit_name, expenditure_total_yuan from marts.v_department_budget
        where department_name = '上海市普陀区司法局' order by level""",
    ) == [
        ("department", None, Decimal("96282213.44")),
        ("unit", "上海市普陀区司法局", Decimal("86959408.34")),
    ]


def test_three_public_categories_carry_their_chinese_labels(sample_warehouse):
    labels = dict(
        rows(
            sample_warehouse,
            "select distinct category, category_label from marts.v_three_public_expenses",
        )
    )
    assert labels == THREE_PUBLIC_LABELS
    assert rows(
        sample_warehouse,
        """select category_label, parent_category, amount_yuan from marts.v_three_public_expenses
        where department_name = '市委部门' order by category_order""",
    ) == [
        ("“三公”经费合计", None, Decimal("1557000.00")),
        ("因公出国（境）费", "total", Decimal("0.00")),
        ("公务用车购置及运行费", "total", Decimal("742000.00")),
        ("公务用车购置费", "vehicle_total", Decimal("0.00")),
        ("公务用车运行费", "vehicle_total", Decimal("742000.00")),
        ("公务接待费", "total", Decimal("815000.00")),
        ("会议费", None, Decimal("100000.00")),
        ("培训费", None, Decimal("200000.00")),
    ]
    # the parts of the total add up to it
    assert rows(
        sample_warehouse,
        """select sum(amount_yuan) from marts.v_three_public_expenses
        where department_name = '市委部门' and parent_category = 'total'""",
    ) == [(Decimal("1557000.00"),)]


def test_the_views_are_in_the_release_parquet_csv_and_catalog(sample_run, sample_warehouse):
    home, _ = sample_run
    current = home / "current"
    reader = duckdb.connect()
    for view in ANALYST_VIEWS:
        (count,) = sample_warehouse.execute(f"select count(*) from marts.{view}").fetchone()
        parquet = current / "parquet" / f"{view}.parquet"
        csv = current / "csv" / f"{view}.csv"
        assert reader.execute(f"select count(*) from '{parquet}'").fetchone() == (count,), view
        assert reader.execute(f"select count(*) from read_csv('{csv}')").fetchone() == (count,)
    text = (current / "csv" / "v_three_public_expenses.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("province,prefecture,county,department_name,unit_name,fiscal_year,")
    for label in THREE_PUBLIC_LABELS.values():
        assert label in text
    parquet = current / "parquet" / "v_project_cost.parquet"
    assert reader.execute(
        f"select sum(cost_yuan), typeof(any_value(cost_yuan)) from '{parquet}'"
    ).fetchone() == (Decimal("96779700.00"), "DECIMAL(18,2)")
    catalog = duckdb.connect(str(current / "catalog.duckdb"), read_only=True)
    try:
        assert catalog.execute(
            "select count(*) from marts.v_indicator_target where project_name is not null"
        ).fetchone() == (349,)
    finally:
        catalog.close()
    (published,) = sample_warehouse.execute(
        "select count(*) from audit.mart_rows where starts_with(mart, 'v_')"
    ).fetchone()
    assert published == len(ANALYST_VIEWS)


# -- dim_document.format: the real format of Office files ---------------------------------------


def sample_docx() -> bytes:
    return render_docx(decode_text(SAMPLE.read_bytes()))


def sample_xlsx() -> bytes:
    """The sample's text as a workbook: a row per line, a cell per tab-separated field."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in decode_text(SAMPLE.read_bytes()).splitlines():
        sheet.append(line.split("\t"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def legacy_doc() -> bytes:
    return compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 510})


def legacy_xls() -> bytes:
    return compound_file({"Workbook": biff_workbook({"预算": [["项目", "金额"]]})})


@pytest.mark.parametrize(
    ("make", "container", "fmt"),
    [
        (sample_docx, "zip", "docx"),
        (sample_xlsx, "zip", "xlsx"),
        (legacy_doc, "ole2", "doc"),
        (legacy_xls, "ole2", "xls"),
        (lambda: SAMPLE.read_bytes(), "txt", "txt"),
        (lambda: b"%PDF-1.7\n%%EOF\n", "pdf", "pdf"),
        (lambda: "<html><body>预算</body></html>".encode(), "html", "html"),
        (lambda: b"PK\x03\x04 cut short", "zip", "zip"),
        (lambda: compound_file({"Other": b"x"}), "ole2", "ole2"),
    ],
)
def test_document_format_names_the_office_format(make, container, fmt):
    data = make()
    assert sniff_format(data) == container
    assert document_format(data) == fmt


def test_dim_document_says_docx_and_xlsx(mixed_runs):
    home, process, _ = mixed_runs
    assert process.returncode == 0, process.stdout + process.stderr
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        found = rows(
            con,
            """select regexp_extract(url, '[^/]+$'), format, status from marts.dim_document
            where url like '%/formats/%' or url like '%/budget.txt' order by 1""",
        )
    finally:
        con.close()
    assert found == [
        ("budget.docx", "docx", "parsed"),
        ("budget.txt", "txt", "parsed"),
        ("budget.xlsx", "xlsx", "parsed"),
        ("legacy.doc", "doc", "unreadable"),
    ]
