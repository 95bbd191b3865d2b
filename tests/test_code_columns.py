"""A 款 or 项 column that prints only its own digits, unpadded (`301  2  津贴补贴`), is read as
the full code (30102), not taken for an amount under the class (a real Putuo budget, its
economic table's 款 codes printed as a layout without leading zeros would print them)."""

from __future__ import annotations

import re
from dataclasses import replace

from conftest import ROOT

from orchestration.parse import template_b
from orchestration.read.pdf import read_pdf

PDF = ROOT / "sample" / "shanghai" / "putuo_commerce_2025_department_budget.pdf"
OWN_DIGITS = re.compile(r"^(30[1-9])\t0(\d)\t")  # 301\t02\t… -> 301\t2\t…


def economic_rows(lines) -> list[tuple]:
    records = template_b.parse(lines, "k")
    return [
        (r["economic_code"], r["name"], r["level"])
        for r in records["budget_table_rows"]
        if r["table_kind"] == "general_budget_basic_economic" and r["economic_code"]
    ]


def test_unpadded_item_codes_read_as_the_padded_ones():
    lines = read_pdf(PDF.read_bytes())
    unpadded = [replace(line, text=OWN_DIGITS.sub(r"\1\t\2\t", line.text)) for line in lines]
    assert sum(a.text != b.text for a, b in zip(lines, unpadded, strict=True)) >= 5
    printed = economic_rows(lines)
    assert economic_rows(unpadded) == printed
    assert ("30102", "津贴补贴", 2) in printed
    codes = [code for code, _, _ in printed]
    assert len(codes) == len(set(codes))  # no class code repeated for its items
