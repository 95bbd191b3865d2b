"""Shanghai budgets and final accounts published as Word or web pages parse as their PDFs do.

Each real PDF's text layer (table rows as cells) is printed anew as DOCX and as HTML, whose
tables the readers return as grids: cells without positions, an empty cell keeping its column,
a merged cell's text in its first column. Every record must equal the PDF's, positions aside.
The planning bureau's final accounts are left out: their 支出决算表 prints its header outside
the table's grid, which a text layer cannot carry over. Last, a two-sided table cut across
pages: its side headings repeated on the new page are a header, not rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from final_accounts_corpus import SOCIAL_WORK, text_layer

from orchestration.parse.document import parse_bytes
from orchestration.synth.render import render_docx, render_html, render_pdf

SHANGHAI = Path(__file__).resolve().parent.parent / "sample" / "shanghai"
DOCUMENTS = sorted(p for p in SHANGHAI.glob("*.pdf") if "planning" not in p.name)
POSITIONS = {"document_key", "page", "line_no", "position"}
RENDER = {"docx": render_docx, "html": lambda text: render_html(text, "utf-8")}


def records(data: bytes) -> dict[str, list[dict]]:
    parsed = parse_bytes(data)
    return {
        table: [{k: v for k, v in row.items() if k not in POSITIONS} for row in rows]
        for table, rows in parsed.items()
        if table != "documents"
    }


@pytest.mark.parametrize("fmt", sorted(RENDER))
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_a_grid_document_parses_as_its_pdf(path, fmt):
    printed = records(RENDER[fmt](text_layer(path)))
    assert printed == records(path.read_bytes())


def test_an_empty_cell_keeps_its_column():
    """其他社会工作事务支出: 本年支出合计 202.24, 基本支出 blank, 项目支出 202.24 (万元). Read
    in order, the second 202.24 would land under 基本支出."""
    parsed = parse_bytes(render_docx(text_layer(SOCIAL_WORK)))
    row = next(
        r
        for r in parsed["budget_table_rows"]
        if r["table_kind"] == "fa_expenditure" and r["function_code"] == "2013999"
    )
    amounts = {
        a["column_id"]: a["amount_text"]
        for a in parsed["budget_table_amounts"]
        if (a["table_ordinal"], a["row_ordinal"]) == (row["table_ordinal"], row["row_ordinal"])
    }
    assert amounts == {"total": "202.24", "project": "202.24"}


def test_a_side_heading_repeated_on_a_new_page_is_no_row():
    """收入 | 支出 (财政拨款收入 | 财政拨款支出) over a two-sided table, repeated where the table
    is cut across pages: a header, not two rows without amounts."""
    budget = SHANGHAI / "putuo_commerce_2025_department_budget.pdf"
    parsed = parse_bytes(render_pdf(text_layer(budget), "split_repeat"))
    two_sided = {"revenue_expenditure_summary", "fiscal_summary"}
    names = {r["name"] for r in parsed["budget_table_rows"] if r["table_kind"] in two_sided}
    assert not names & {"收入", "支出", "财政拨款收入", "财政拨款支出"}
    real = parse_bytes(budget.read_bytes())
    assert len(parsed["budget_table_rows"]) == len(real["budget_table_rows"])
