"""A 项目经费情况说明 page titled without its project's name: the name is read from the page's
body, in the forms written here; a page that names none keeps project_name NULL and is warned
about (template_b_project_pages)."""

from __future__ import annotations

import pytest

from orchestration.parse.layout import Line
from orchestration.parse.project_pages import read_project
from orchestration.parse.records import Records


def project_page(*texts: str) -> dict:
    out = Records("k")
    read_project(out, [Line(no, text, page=30) for no, text in enumerate(texts, start=1)])
    return out["project_pages"][0]


@pytest.mark.parametrize(
    ("overview", "name"),
    [
        ("一、项目概述：“科技创新专项”是本部门落实创新驱动发展战略的重点项目。", "科技创新专项"),
        ("一、项目概述：人民调解项目主要用于支持街镇人民调解委员会开展工作。", "人民调解项目"),
        ("一、项目概述：本项目为社区矫正信息化建设工程，建设周期一年。", "社区矫正信息化建设工程"),
        ("一、项目概述：《普陀区法治宣传教育计划》经区委批准实施。", "普陀区法治宣传教育计划"),
    ],
)
def test_the_project_name_is_read_from_the_body(overview, name):
    page = project_page(
        "项目经费情况说明",
        overview,
        "六、年度预算安排：项目总预算1720.00万元。",
    )
    assert (page["title"], page["project_name"]) == ("项目经费情况说明", name)
    assert page["annual_budget_yuan"] == 17200000


def test_a_titled_page_keeps_its_title_name():
    page = project_page("人民调解项目经费情况说明", "一、项目概述：“基层调解”是重点工作。")
    assert page["project_name"] == "人民调解项目"


def test_a_page_naming_no_project_keeps_none():
    page = project_page("项目经费情况说明", "一、项目概述：用于日常工作。")
    assert page["project_name"] is None
