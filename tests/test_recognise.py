"""Recognising a disclosure from its own text (`orchestration.parse.recognise`): the kind,
level, scope, entity, fiscal year and region of every text document of the national corpus and
of the sample, read by hand from each file; variants of titles, covers and labels built here;
documents that are no disclosure, and fields that cannot be settled, with their reasons."""

from __future__ import annotations

import re
import timeit
from pathlib import Path

import pytest
import yaml
from national_corpus import corpus_folder, fixture_lines, read_lines

from orchestration.parse import recognise as module
from orchestration.parse.layout import Line
from orchestration.parse.recognise import DATA, Recognition, Region, recognise
from orchestration.read.dispatch import UnreadableDocument

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"

# --- golden: the national corpus and the sample, read by hand ---------------------------------

GUANGZHOU = ("广东省", "广州市", None, "prefecture")
YANTAI = ("山东省", "烟台市", None, "prefecture")
SUZHOU = ("江苏省", "苏州市", None, "prefecture")
QUANZHOU = ("福建省", "泉州市", None, "prefecture")
CHANGSHA = ("湖南省", "长沙市", None, "prefecture")
JIANGSU = ("江苏省", None, None, "province")
CHONGQING = ("重庆市", None, None, "province")
SHANGHAI = ("上海市", None, None, "province")
PUTUO = ("上海市", None, "普陀区", "county")
CENTRAL = (None, None, None, "central")

# file -> (kind, level, entity, fiscal year, region); every one is a disclosure; scope is
# printed by none of them
B, F, D, U = "budget", "final_accounts", "department", "unit"
NATIONAL = {
    "chongqing/chongqing_commerce_2026_department_budget.pdf": (
        B, D, "重庆市商务委员会", 2026, CHONGQING),
    "chongqing/chongqing_government_office_2026_department_budget.pdf": (
        B, D, "重庆市人民政府办公厅", 2026, CHONGQING),
    "chongqing/chongqing_water_resources_2026_department_budget.pdf": (
        B, D, "重庆市水利局", 2026, CHONGQING),
    "fujian/quanzhou_government_office_2026_department_budget.pdf": (
        B, D, "泉州市人民政府办公室", 2026, QUANZHOU),
    "fujian/quanzhou_public_security_2026_department_budget.pdf": (
        B, D, "泉州市公安局", 2026, QUANZHOU),
    "guangdong/guangzhou_development_reform_2026_department_budget.pdf": (
        B, D, "广州市发展和改革委员会", 2026, GUANGZHOU),
    "guangdong/guangzhou_petitions_2026_department_budget.pdf": (
        B, D, "广州市信访局", 2026, GUANGZHOU),
    "guangdong/guangzhou_science_2026_department_budget.pdf": (
        B, D, "广州市科学技术局", 2026, GUANGZHOU),
    "guangdong/guangzhou_statistics_2026_department_budget.pdf": (
        B, D, "广州市统计局", 2026, GUANGZHOU),
    "hunan/changsha_petitions_2026_department_budget.pdf": (
        B, D, "长沙市信访局", 2026, CHANGSHA),
    # the name starts with 长沙, not 长沙市: no region; the caller falls back to the source's
    "hunan/changsha_vocational_education_base_office_2026_department_budget.pdf": (
        B, D, "长沙职业教育基地综合协调办公室", 2026, None),
    # the narratives print the party office as 江苏省委办公厅, its tables as the label
    # 部门：中国共产党江苏省委员会办公厅 (2017) or 部门：中共江苏省委办公厅 (2018, 2019)
    "jiangsu/jiangsu_cppcc_office_2017_department_budget_narrative.pdf": (
        B, D, "江苏省政协办公厅", 2017, JIANGSU),
    "jiangsu/jiangsu_cppcc_office_2017_department_budget_tables.pdf": (
        B, D, "江苏省政协办公厅", 2017, JIANGSU),
    "jiangsu/jiangsu_cppcc_office_2018_department_budget_narrative.pdf": (
        B, D, "江苏省政协办公厅", 2018, JIANGSU),
    "jiangsu/jiangsu_cppcc_office_2018_department_budget_tables.pdf": (
        B, D, "江苏省政协办公厅", 2018, JIANGSU),
    # no cover in the text layer: the name from 附件：江苏省政协办公厅2019 年度部门预算公开表
    "jiangsu/jiangsu_cppcc_office_2019_department_budget_narrative.pdf": (
        B, D, "江苏省政协办公厅", 2019, JIANGSU),
    "jiangsu/jiangsu_cppcc_office_2019_department_budget_tables.pdf": (
        B, D, "江苏省政协办公厅", 2019, JIANGSU),
    "jiangsu/jiangsu_party_committee_office_2017_department_budget_narrative.pdf": (
        B, D, "江苏省委办公厅", 2017, JIANGSU),
    "jiangsu/jiangsu_party_committee_office_2017_department_budget_tables.pdf": (
        B, D, "中国共产党江苏省委员会办公厅", 2017, JIANGSU),
    "jiangsu/jiangsu_party_committee_office_2018_department_budget_narrative.pdf": (
        B, D, "江苏省委办公厅", 2018, JIANGSU),
    "jiangsu/jiangsu_party_committee_office_2018_department_budget_tables.pdf": (
        B, D, "中共江苏省委办公厅", 2018, JIANGSU),
    "jiangsu/jiangsu_party_committee_office_2019_department_budget_narrative.pdf": (
        B, D, "江苏省委办公厅", 2019, JIANGSU),
    "jiangsu/jiangsu_party_committee_office_2019_department_budget_tables.pdf": (
        B, D, "中共江苏省委办公厅", 2019, JIANGSU),
    "jiangsu/suzhou_audit_2026_department_budget.pdf": (B, D, "苏州市审计局", 2026, SUZHOU),
    "jiangsu/suzhou_emergency_2026_department_budget.pdf": (
        B, D, "苏州市应急管理局", 2026, SUZHOU),
    "jiangsu/suzhou_water_2026_unit_budget.pdf": (B, U, "苏州市水务局", 2026, SUZHOU),
    "shandong/yantai_audit_2026_department_budget.pdf": (B, D, "烟台市审计局", 2026, YANTAI),
    "shandong/yantai_civil_affairs_2026_department_budget.pdf": (
        B, D, "烟台市民政局", 2026, YANTAI),
    "shandong/yantai_statistics_2026_department_budget.pdf": (
        B, D, "烟台市统计局", 2026, YANTAI),
    "shanghai/shanghai_finance_accounting_center_2026_unit_budget.pdf": (
        B, U, "上海市财务会计综合管理事务中心(上海市财政科学研究所)", 2026, SHANGHAI),
    # 上海科技大学附属学校 starts with no listed region: the title's 上海市 places it
    "shanghai/shanghai_tech_university_affiliated_school_2026_unit_budget.pdf": (
        B, U, "上海科技大学附属学校", 2026, SHANGHAI),
    "shanghai/shanghai_welfare_lottery_center_2026_unit_budget.pdf": (
        B, U, "上海市福利彩票发行中心", 2026, SHANGHAI),
}  # fmt: skip
SAMPLES = {
    # 南宫市 is a county-level city the gazetteer does not list: no region from the text
    "hebei/nangong_party_committee_2021_department_budget.txt": (
        B, D, "南宫市委部门", 2021, None),
    "shanghai/putuo_commerce_2025_department_budget.pdf": (
        B, D, "上海市普陀区商务委员会", 2025, PUTUO),
    "shanghai/putuo_commerce_2025_unit_budget.pdf": (B, U, "上海市普陀区商务委员会", 2025, PUTUO),
    "shanghai/putuo_justice_2026_department_budget.pdf": (
        B, D, "上海市普陀区司法局", 2026, PUTUO),
    "shanghai/putuo_justice_2026_unit_budget.pdf": (B, U, "上海市普陀区司法局", 2026, PUTUO),
    "shanghai/putuo_planning_resources_2024_department_final_accounts.pdf": (
        F, D, "上海市普陀区规划和自然资源局", 2024, PUTUO),
    "shanghai/putuo_social_work_2024_department_final_accounts.pdf": (
        F, D, "中共上海市普陀区委社会工作部", 2024, PUTUO),
}  # fmt: skip
NOT_DISCLOSURES = {
    "central/national_bureau_of_statistics_2026_budget_portal_page.html": (
        "a portal page: it names '国家统计局部门预算（2026）'",
        "only a link to '国家统计局部门预算(2026).pdf'",
    ),
    "hunan/changsha_project_performance_evaluation_report.pdf": (
        "a performance-evaluation report: '长沙市财政项目支出绩效评价报告' (line 1, page 1)",
    ),
}
SCANNED = [
    "fujian/quanzhou_commerce_2026_department_budget_scanned.pdf",
    "hunan/changsha_market_regulation_2026_department_budget_scanned.pdf",
]


def region_tuple(region: Region | None) -> tuple | None:
    if region is None:
        return None
    return (region.province, region.prefecture, region.county, region.admin_level)


def assert_recognised(found: Recognition, expected: tuple) -> None:
    kind, level, entity, year, region = expected
    assert (found.kind, found.level, found.entity, found.fiscal_year) == (
        kind,
        level,
        entity,
        year,
    )
    assert region_tuple(found.region) == region
    assert found.scope is None
    assert found.is_disclosure, found.reason
    assert found.reason is None
    # only what could not be settled is unresolved: here, the region of a name no region starts
    assert set(found.unresolved) == ({"region"} if region is None else set())
    for field in ("kind", "level", "entity", "fiscal_year"):
        assert found.evidence[field], field
    if region is None:
        assert f"{entity!r} starts with no province or prefecture" in found.unresolved["region"]


def test_the_fixture_holds_every_text_document_of_the_national_corpus():
    assert sorted(fixture_lines()) == sorted([*NATIONAL, *NOT_DISCLOSURES])


@pytest.mark.parametrize("path", sorted(NATIONAL))
def test_national_corpus(path):
    assert_recognised(recognise(fixture_lines()[path]), NATIONAL[path])


@pytest.mark.parametrize("path", sorted(SAMPLES))
def test_sample(path):
    assert_recognised(recognise(read_lines(SAMPLE / path)), SAMPLES[path])


def test_the_portal_page_is_no_disclosure_but_names_its_budget():
    found = recognise(fixture_lines()[sorted(NOT_DISCLOSURES)[0]])
    assert not found.is_disclosure
    for words in NOT_DISCLOSURES[sorted(NOT_DISCLOSURES)[0]]:
        assert words in found.reason
    assert "holds neither tables nor narrative" in found.reason
    # what it names is still read: a central department's 2026 department budget
    assert (found.kind, found.level, found.entity, found.fiscal_year) == (
        B,
        D,
        "国家统计局",
        2026,
    )
    assert region_tuple(found.region) == CENTRAL


def test_the_evaluation_report_is_no_disclosure():
    path = "hunan/changsha_project_performance_evaluation_report.pdf"
    found = recognise(fixture_lines()[path])
    assert not found.is_disclosure
    assert found.reason == NOT_DISCLOSURES[path][0]
    assert (found.kind, found.level, found.entity, found.fiscal_year, found.region) == (None,) * 5
    assert found.unresolved["fiscal_year"] == "no title, cover or table title prints a year"


def test_the_template_of_the_final_accounts_reads_as_its_placeholder():
    found = recognise(
        read_lines(ROOT / "tests/fixtures/putuo_2024_department_final_accounts_template.pdf")
    )
    assert (found.kind, found.level, found.entity, found.fiscal_year) == (F, D, "上海市XX局", 2024)


def test_evidence_names_the_lines_and_patterns():
    found = recognise(fixture_lines()["chongqing/chongqing_commerce_2026_department_budget.pdf"])
    # its year is set in another font, on a lower baseline: one line as the reader reads it
    assert found.evidence["fiscal_year"] == (
        "line 1, page 1: title '重庆市商务委员会2026年部门预算情况说明'",
    )
    assert found.title == "重庆市商务委员会2026年部门预算情况说明"
    assert (
        "line 144, page 8: label 单位名称 '单位名称:重庆市商务委员会'" in found.evidence["entity"]
    )
    assert found.evidence["region"] == ("the entity '重庆市商务委员会' starts with it (gazetteer)",)
    lottery = recognise(
        fixture_lines()["shanghai/shanghai_tech_university_affiliated_school_2026_unit_budget.pdf"]
    )
    assert lottery.evidence["region"] == (
        "line 1, page 1: title '上海市2026年市级单位预算' prints the region before its year",
    )
    assert lottery.evidence["level"][0] == "line 1, page 1: title '上海市2026年市级单位预算'"


@pytest.mark.parametrize("path", sorted(SCANNED))
def test_the_scanned_files_never_reach_recognition(path):
    """The scanned PDFs have no text layer."""
    with pytest.raises(UnreadableDocument, match="no text layer"):
        read_lines(corpus_folder() / path)


# --- variants built here ----------------------------------------------------------------------

# the body of a disclosure: narrative quoting other years, and a table
NARRATIVE = [
    "一、部门主要职责",
    "负责全市统计工作，组织实施统计调查，2025年完成各项调查任务。",
    "收入预算比2025年增加120.00万元，主要是人员经费增加，2024年决算数为860.00万元。",
    "根据《中华人民共和国预算法》和《地方预决算公开操作规程》的规定，现予公开。",
    "支出预算1,200.00万元，其中：基本支出800.00万元，项目支出400.00万元。",
    "三公经费与2025年持平，会议费、培训费按规定压减，截至2025年12月31日。",
    "政府采购预算100.00万元，其中：货物50.00万元，服务50.00万元。",
]
TABLE = [
    "收入\t金额\t支出\t金额",
    "一般公共预算拨款\t1,200.00\t一般公共服务支出\t1,000.00",
    "事业收入\t0.00\t社会保障和就业支出\t200.00",
    "收入总计\t1,200.00\t支出总计\t1,200.00",
    "合计\t1,200.00\t合计\t1,200.00",
]


def doc(*head: str, body: list[str] | None = None, page_break_after: int | None = None):
    """Lines as a reader gives them: `head` (a cover, titles), then a body of narrative
    and a table; all on page 1 unless `page_break_after` starts page 2 after that many lines."""
    texts = [*head, *(NARRATIVE + TABLE if body is None else body)]
    return [
        Line(
            no,
            text,
            page=1 if page_break_after is None or no <= page_break_after else 2,
        )
        for no, text in enumerate(texts, start=1)
    ]


def fields(found: Recognition) -> tuple:
    return (found.kind, found.level, found.scope, found.entity, found.fiscal_year)


STATS = ("广东省", "广州市", None, "prefecture")


@pytest.mark.parametrize(
    "head",
    [
        ["广州市统计局2026年部门预算"],  # the year after the name
        ["2026年广州市统计局部门预算"],  # before it
        ["2026 年度广州市统计局部门预算"],  # 年度, a space
        ["广州市统计局 2026 年度部门预算公开"],
        ["2026年", "广州市统计局部门预算"],  # the year on the line above
        ["广州市统计局", "2026 年部门预算情况说明"],  # the name on the line above
        ["2026 年度", "广州市统计局", "部门预算"],  # over three lines
        ["- 1 -", "广州市统计局2026年部门预算"],  # on the second line
        ["公开时间：2026年2月10日", "- 1 -", "2026年广州市统计局部门预算"],  # on the third
        ["广州市统计局\t年部门预算情况说明", "2026"],  # the year displaced onto the next line
        ["2026", "广州市统计局年部门预算情况说明"],  # or the line before
        ["广州市统计局部门预算（2026）"],  # in brackets after it
        ["第一部分 广州市统计局2026年部门预算"],
        ["广州市统计局关于2026年部门预算的说明"],
        ["关于广州市统计局2026年部门预算公开的情况说明"],
    ],
)
def test_titles_in_any_order_and_over_lines(head):
    found = recognise(doc(*head))
    assert fields(found) == (B, D, None, "广州市统计局", 2026), found.unresolved
    assert region_tuple(found.region) == STATS
    assert found.is_disclosure
    assert not found.unresolved


def test_a_web_pages_menu_above_a_title_is_no_name():
    menu = ["首页", "政务公开", "专题"]
    found = recognise(doc(*menu, "2026年部门预算", "单位名称：广州市统计局"))
    assert (found.entity, found.fiscal_year, found.title) == (
        "广州市统计局",
        2026,
        "2026年部门预算",
    )
    alone = recognise(doc(*menu, "2026年部门预算"))
    assert alone.entity is None
    assert alone.unresolved["entity"] == (
        "no title, cover or table header names the department or unit"
    )


def test_the_sentence_announcing_a_disclosure_without_a_title():
    opening = (
        "按照《预算法》和《地方预决算公开操作规程》规定，现将市委部门 2021 年部门预算公开如下："
    )
    found = recognise(doc(opening))
    assert fields(found) == (B, D, None, "市委部门", 2021)
    assert found.is_disclosure
    assert found.evidence["fiscal_year"] == (f"line 1, page 1: announcement {opening!r}",)
    # a title outweighs it; 我局 names no one
    titled = recognise(doc("烟台市统计局2026年部门预算", "现将我局2025年度部门决算情况说明如下："))
    assert fields(titled) == (B, D, None, "烟台市统计局", 2026)
    assert len(titled.evidence["entity"]) == 1


def test_a_cover_with_a_label_line_only():
    found = recognise(
        doc("预算主管部门：上海市普陀区司法局", "目 录", "2026年部门财务收支预算总表")
    )
    assert fields(found) == (B, D, None, "上海市普陀区司法局", 2026)
    assert region_tuple(found.region) == PUTUO
    assert found.evidence["entity"] == (
        "line 1, page 1: label 预算主管部门 '预算主管部门:上海市普陀区司法局'",
    )
    # a label that names neither kind nor level, over tables that name no kind either
    bare = recognise(doc("单位名称：广州市统计局", "2026年部门收支总体情况表"))
    assert (bare.entity, bare.fiscal_year, bare.level) == ("广州市统计局", 2026, D)
    assert bare.kind is None
    assert bare.unresolved["kind"] == (
        "no title, cover label or table title names a budget or final accounts"
    )


def test_labels_on_table_headers_outvote_a_stray_name():
    found = recognise(
        doc(
            "2026年部门预算",
            *["编制部门：烟台市统计局\t单位：万元"] * 3,
            "部门名称\t烟台市统计局\t部门预算编码\t315",
        )
    )
    assert found.entity == "烟台市统计局"
    assert region_tuple(found.region) == ("山东省", "烟台市", None, "prefecture")


@pytest.mark.parametrize(
    ("head", "scope", "entity"),
    [
        (["2026年深圳市统计局（本级）部门预算"], "own", "深圳市统计局"),
        (["深圳市统计局（汇总）2026年部门预算"], "consolidated", "深圳市统计局"),
        (["深圳市统计局2026年部门汇总预算"], "consolidated", "深圳市统计局"),
        (["2026年部门预算", "部门名称：深圳市统计局(本级)"], "own", "深圳市统计局"),
    ],
)
def test_scope(head, scope, entity):
    found = recognise(doc(*head))
    assert fields(found) == (B, D, scope, entity, 2026)
    assert region_tuple(found.region) == ("广东省", "深圳市", None, "prefecture")


def test_a_unit_budget_with_its_label():
    found = recognise(doc("上海市2026年市级单位预算", "预算单位：上海市福利彩票发行中心", "目 录"))
    assert fields(found) == (B, U, None, "上海市福利彩票发行中心", 2026)
    assert region_tuple(found.region) == SHANGHAI
    assert found.evidence["level"][0] == "line 1, page 1: title '上海市2026年市级单位预算'"


def test_a_unit_final_accounts_with_its_label_and_a_region_before_the_year():
    found = recognise(
        doc(
            "上海市普陀区2024年度区级单位决算",
            "决算单位：上海市普陀区图书馆",
            "一、收入支出决算总表",
            "2024年度收入支出决算总表",
            "项目\t预算数\t决算数\t备注",
        )
    )
    assert fields(found) == (F, U, None, "上海市普陀区图书馆", 2024)
    assert region_tuple(found.region) == PUTUO


def test_a_final_accounts_quoting_budget_figures_everywhere_is_final_accounts():
    body = [
        "年初预算为100.00万元，支出决算为98.00万元，决算数小于预算数的主要原因：节约。",
        "一般公共预算财政拨款支出决算表",
        "财政拨款“三公”经费支出决算表",
        "项目\t预算数\t决算数",
        *NARRATIVE,
    ]
    found = recognise(doc("烟台市审计局", "2024年度部门决算", body=body))
    assert fields(found) == (F, D, None, "烟台市审计局", 2024)


def test_a_region_printed_before_the_year_places_a_name_without_one():
    found = recognise(doc("上海市2026年市级单位预算", "预算单位：上海科技大学附属学校"))
    assert found.entity == "上海科技大学附属学校"
    assert region_tuple(found.region) == SHANGHAI
    district = recognise(doc("上海市普陀区2024年度区级单位决算", "决算单位：普陀区图书馆"))
    assert region_tuple(district.region) == PUTUO


def test_a_central_department():
    found = recognise(doc("财政部2026年部门预算"))
    assert found.entity == "财政部"
    assert region_tuple(found.region) == CENTRAL
    assert found.evidence["region"] == ("the entity '财政部' is a central organ",)
    # a county's 组织部 is never taken for a ministry: its region stays unresolved
    county = recognise(doc("威县委组织部2026年部门预算"))
    assert county.region is None
    assert "'威县委组织部' starts with no province or prefecture" in county.unresolved["region"]


def test_a_year_printed_nowhere():
    found = recognise(doc("烟台市统计局部门预算", "收支总体情况表", "收入总体情况表"))
    assert found.fiscal_year is None
    assert found.unresolved == {
        "fiscal_year": "no title, cover or table title prints a year",
    }
    assert "fiscal_year" not in found.evidence
    assert (found.kind, found.level, found.entity) == (B, D, "烟台市统计局")


def test_a_year_the_tables_disagree_on():
    found = recognise(
        doc("烟台市统计局部门预算", "2025年部门收支总体情况表", "2026年部门收入总体情况表")
    )
    assert found.fiscal_year is None
    assert found.unresolved["fiscal_year"] == (
        "the title prints no year and the tables print 2025 and 2026"
    )


def test_titles_that_disagree_on_the_year():
    found = recognise(doc("2025年烟台市统计局部门预算", "烟台市统计局2026年部门预算"))
    assert found.fiscal_year is None
    assert found.unresolved["fiscal_year"] == "the titles print 2025 and 2026"
    # the tables break the tie
    settled = recognise(
        doc(
            "2025年烟台市统计局部门预算",
            "烟台市统计局2026年部门预算",
            "2026年部门收支总体情况表",
        )
    )
    assert settled.fiscal_year == 2026


def test_the_tables_decide_where_the_title_prints_no_year():
    found = recognise(doc("烟台市统计局部门预算", "2026年部门收支总体情况表"))
    assert found.fiscal_year == 2026
    assert found.evidence["fiscal_year"] == (
        "line 2, page 1: table title '2026年部门收支总体情况表'",
    )


def test_a_table_title_whose_year_stands_alone_on_the_line_before():
    # the reader's split: a year alone just before its title, and after the fix, one line
    for head in (["2026", "年部门收支总体情况表"], ["年部门收支总体情况表", "2026"]):
        found = recognise(doc("单位名称：重庆市商务委员会", *head, "年部门收入总体情况表"))
        assert found.fiscal_year == 2026, head
        assert "its year printed alone beside it" in found.evidence["fiscal_year"][0]
    assert (
        recognise(doc("单位名称：重庆市商务委员会", "2026年部门收支总体情况表")).fiscal_year == 2026
    )


def test_years_in_running_text_and_document_numbers_are_not_the_fiscal_year():
    body = [
        "根据《财政部关于印发〈地方预决算公开操作规程〉的通知》（财预〔2016〕143号），",
        "现将2026年部门预算公开如下，比2025年增加10.00万元，2027年预计持平。",
        "28、上年结转2020年省级专项资金冀财教【2020】156号绩效目标表",
        *NARRATIVE,
        *TABLE,
    ]
    found = recognise(doc("南宫市委部门2021年部门预算信息公开情况说明", body=body))
    assert found.fiscal_year == 2021
    assert len(found.evidence["fiscal_year"]) == 1


def test_a_law_naming_both_budgets_and_final_accounts_in_a_notice():
    found = recognise(
        doc(
            "财政部关于印发《地方预决算公开操作规程》的通知",
            "财预〔2016〕143号",
            "各省、自治区、直辖市财政厅（局）：",
            body=NARRATIVE,
        )
    )
    assert not found.is_disclosure
    assert found.reason == (
        "a notice: '财政部关于印发《地方预决算公开操作规程》的通知' (line 1, page 1)"
    )
    assert found.kind is None  # 预决算 is neither kind
    assert found.fiscal_year is None  # 〔2016〕 is a document number


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("长沙市财政项目支出绩效评价报告", "a performance-evaluation report"),
        ("2024年度部门整体支出绩效自评报告", "a performance self-evaluation"),
        ("关于2025年市级预算执行和其他财政收支的审计工作报告", "an audit report"),
        ("关于2025年预算执行情况与2026年预算草案的报告", "a report to the people's congress"),
        ("烟台市财政局关于做好2026年部门预算公开工作的通知", "a notice"),
    ],
)
def test_documents_that_are_no_disclosure(title, reason):
    found = recognise(doc(title, body=NARRATIVE))
    assert not found.is_disclosure
    assert found.reason.startswith(f"{reason}")
    assert title in found.reason


def test_a_page_with_a_title_and_no_body():
    found = recognise(
        doc(
            "首页",
            "政务公开",
            "广州市统计局2026年部门预算",
            "2026/02/10 16:00",
            "请见附件。",
            "· 广州市统计局2026年部门预算.pdf",
            body=[],
        )
    )
    assert not found.is_disclosure
    assert found.reason == (
        "a portal page: it names '广州市统计局2026年部门预算' (line 3, page 1) but holds "
        "neither tables nor narrative, only a link to '广州市统计局2026年部门预算.pdf'"
    )
    assert fields(found) == (B, D, None, "广州市统计局", 2026)


def test_running_text_ending_like_a_title_is_no_title():
    found = recognise(
        doc(
            "泉州市公安局2026年部门预算",
            "从预算单位构成看，本部门包括12个下属单位，其中：列入2026年部门预算",
            "编制范围的单位共12个。",
        )
    )
    assert found.entity == "泉州市公安局"
    assert len(found.evidence["entity"]) == 1


def test_nothing_to_recognise():
    found = recognise(doc("会议纪要", body=["今天开会，讨论了工作安排。"]))
    assert not found.is_disclosure
    assert found.reason == (
        "neither a title, a cover label nor a table title names a budget or final accounts"
    )
    assert set(found.unresolved) == {"kind", "level", "entity", "fiscal_year", "region"}
    empty = recognise([])
    assert not empty.is_disclosure and empty.reason == "the document holds no text"


def test_kinds_that_disagree_are_unresolved():
    found = recognise(doc("烟台市统计局2026年部门预算", "烟台市统计局2026年部门决算"))
    assert found.kind is None
    assert found.unresolved["kind"] == (
        "the titles and cover labels disagree: budget and final_accounts"
    )


def test_names_that_disagree_are_unresolved():
    found = recognise(doc("烟台市统计局2026年部门预算", "烟台市审计局2026年部门预算"))
    assert found.entity is None
    assert found.unresolved["entity"] == (
        "the titles and labels name 烟台市统计局 (1) and 烟台市审计局 (1) as often"
    )
    assert found.region is None


def test_a_short_name_counts_for_the_long_one():
    found = recognise(
        doc(
            "江苏省委办公厅2017年度部门预算",
            "第二部分 省委办公厅2017年度部门预算表",
            "第三部分 省委办公厅2017年度部门预算情况说明",
        )
    )
    assert found.entity == "江苏省委办公厅"
    assert len(found.evidence["entity"]) == 3


# --- the data and the module ------------------------------------------------------------------


def test_the_module_holds_no_words_of_the_documents_language():
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", source)


def test_every_group_of_the_data_file_is_commented():
    text = DATA.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for key in data:
        before = text[: text.index(f"\n{key}:")]
        assert before.rstrip().splitlines()[-1].startswith("#"), key


def test_recognising_a_fifty_page_document_is_fast():
    lines = fixture_lines()["shandong/yantai_civil_affairs_2026_department_budget.pdf"]
    assert max(line.page for line in lines) >= 50
    recognise(lines)  # the patterns are read once
    best = min(timeit.repeat(lambda: recognise(lines), number=10, repeat=5)) / 10
    assert best < 0.005, f"{best * 1000:.2f} ms"
