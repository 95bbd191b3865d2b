"""Template B table titles are recognised with or without their year, and never in a sentence
that merely names a table."""

from __future__ import annotations

import pytest

from orchestration.parse.layout import Line
from orchestration.parse.template_b import _section_kind


@pytest.mark.parametrize(
    "title",
    [
        "2025年部门“三公”经费和机关运行经费预算表",
        "部门“三公”经费和机关运行经费预算表",  # no year
        "上海市普陀区司法局一般公共预算支出功能分类预算表",
        "2026 年单位支出预算总表",
    ],
)
def test_a_title_with_or_without_its_year_starts_a_table(title):
    assert _section_kind(Line(1, title, page=20)) == "table"


@pytest.mark.parametrize(
    "text",
    [
        "详见部门支出预算总表",
        "具体情况见附表：一般公共预算支出功能分类预算表",
        "9．2025年部门“三公”经费和机关运行经费预算表",  # a contents entry
    ],
)
def test_a_sentence_naming_a_table_starts_none(text):
    assert _section_kind(Line(1, text, page=2)) != "table"
