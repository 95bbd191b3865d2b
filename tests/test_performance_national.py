"""Every province's performance target tables (绩效目标表) read into performance_tables and
indicators: layouts built here (form rows, one row a project, tables split across pages with
their header repeated, merged 一级指标, extra columns, money in 元 and 万元, a missing 二级指标,
a title naming its project and wrapping onto two lines, a ruled PDF drawn with reportlab), and a
few figures read by hand from the real documents of each family (skipped where the national
corpus is not beside the project)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from national_corpus import corpus_folder

from orchestration.parse import national
from orchestration.parse.layout import Line


def document(*parts: list[tuple]) -> list[Line]:
    """Lines from parts, each a list of (page, table, text): `|` separates a row's cells."""
    lines = [Line(1, "某某局2026年部门预算")]
    for part in parts:
        for page, table, text in part:
            cells = "\t".join(cell.strip() for cell in text.split("|"))
            lines.append(Line(len(lines) + 1, cells, page, table=table))
    return lines


def parse(lines: list[Line]) -> tuple[list[dict], list[dict]]:
    records = national.parse(lines, "k")
    return records.get("performance_tables", []), records.get("indicators", [])


def rows_of(indicators: list[dict], ordinal: int) -> list[dict]:
    return [row for row in indicators if row["table_ordinal"] == ordinal]


# --- form rows: a label and its value, then the indicator header and rows ------------------------

FORM = [
    (1, None, "政策和项目预算绩效目标表"),
    (1, None, "(2026年度)"),
    (1, 1, "项目名称 | | | 民政业务工作经费 |"),
    (1, 1, "主管部门及代码 | | | 233_某市民政局 | 实施单位 | 某市民政局"),
    (1, 1, "项目资金（万元） | | | 年度预算资金总额： | 176.00"),
    (1, 1, " | | | 其中：财政拨款 | 174.00"),
    (1, 1, " | | | 其他资金 | 2.00"),
    (1, 1, "总体目标 | 保障民政业务正常开展。 | | |"),
    (1, 1, " | 一级指标 | 二级指标 | 三级指标 | 指标值"),
    (1, 1, "绩效指标 | 成本指标 | 经济成本 | 项目年度总支出控制数 | ≤176万元"),
    (1, 1, "绩效指标 | 产出指标 | 数量指标 | 购买第三方服务次数 | 7次"),
    (1, 1, " | | | 慈善组织评估数量 | 20个"),
    (1, 1, " | | 质量指标 | 经费支出合规率 | =100%"),
    (1, 1, "绩效指标 | 满意度指标 | 服务对象满意度指标 | 受益群体满意度 | %"),
    (2, None, "政策和项目预算绩效目标表"),
    (2, 2, "项目名称 | | | 实施公车统管费用 |"),
    (2, 2, "项目资金（万元） | | | 年度预算资金总额： | 20.00"),
    (2, 2, " | 一级指标 | 二级指标 | 三级指标 | 指标值"),
    (2, 2, "绩效指标 | 成本指标 | 经济成本 | 项目总支出 | ≤20万元"),
]


def test_a_form_table_gives_its_project_money_and_indicators():
    tables, indicators = parse(document(FORM))
    assert [t["project_name"] for t in tables] == ["民政业务工作经费", "实施公车统管费用"]
    first = tables[0]
    assert first["table_kind"] == "project_performance" and not first["is_department_wide"]
    assert first["department_text"] == "233_某市民政局"
    assert first["implementing_unit"] == "某市民政局"
    assert (first["money_text"], first["money_unit"]) == ("176.00", "万元")
    assert first["money_yuan"] == Decimal("1760000.00")
    assert first["money_parts"] == "其中：财政拨款 174.00；其他资金 2.00"
    assert first["goal_text"] == "保障民政业务正常开展。"
    assert first["indicator_rows"] == 5
    rows = rows_of(indicators, 1)
    assert [(r["level1"], r["level2"], r["level3"]) for r in rows] == [
        ("成本指标", "经济成本", "项目年度总支出控制数"),
        ("产出指标", "数量指标", "购买第三方服务次数"),
        ("产出指标", "数量指标", "慈善组织评估数量"),  # both levels merged over it: carried
        ("产出指标", "质量指标", "经费支出合规率"),
        ("满意度指标", "服务对象满意度指标", "受益群体满意度"),
    ]
    assert [r["level1_printed"] for r in rows] == [True, True, False, False, True]
    assert rows[0]["target_is_money"] and rows[0]["target_number"] == Decimal("1760000")
    assert (rows[2]["target_number"], rows[2]["target_unit"]) == (Decimal("20"), "个")
    # a document's mistake is kept, with a note, never fixed
    assert rows[4]["target_text"] == "%"
    status = (rows[4]["parse_status"], rows[4]["parse_note"])
    assert status == ("malformed", "unit without a number")
    assert rows_of(indicators, 2)[0]["target_number"] == Decimal("200000")


def test_a_missing_level2_is_left_empty_and_never_carried_into_a_new_level1():
    lines = document(
        [
            (1, None, "项目支出绩效目标表"),
            (1, 1, "项目名称 | 档案整理"),
            (1, 1, "一级指标 | 二级指标 | 三级指标 | 指标值"),
            (1, 1, "产出指标 | 数量指标 | 整理卷数 | ≥300卷"),
            (1, 1, "效益指标 | | 档案利用率 | 提高"),  # 二级指标 not printed
            (1, 1, " | | 查阅便利度 | 明显提高"),
        ]
    )
    _, indicators = parse(lines)
    assert [(r["level1"], r["level2"]) for r in indicators] == [
        ("产出指标", "数量指标"),
        ("效益指标", None),
        ("效益指标", None),
    ]


def test_a_level1_not_printed_is_read_from_the_hierarchy_or_left_empty():
    lines = document(
        [
            (1, None, "项目支出绩效目标表"),
            (1, 1, "项目名称 | 档案整理"),
            (1, 1, "二级指标 | 三级指标 | 指标值"),
            (1, 1, "社会效益指标 | 档案利用率 | 提高"),
            (1, 1, "自定义指标 | 查阅次数 | ≥10次"),
        ]
    )
    _, indicators = parse(lines)
    assert [(r["level1"], r["level1_printed"]) for r in indicators] == [
        ("效益指标", False),  # the hierarchy places 社会效益指标
        (None, False),  # a 二级指标 it does not know: never guessed
    ]


def test_money_printed_in_yuan_and_in_wan_yuan():
    def table(unit: str, money: str) -> list[tuple]:
        return [
            (1, None, "项目支出绩效目标表"),
            (1, None, f"单位：{unit}"),
            (1, 1, f"项目名称 | 设备购置 | 当年预算 | {money}"),
            (1, 1, "指标名称 | 指标值"),
            (1, 1, "购置台数 | ≥3台"),
        ]

    (in_yuan,), _ = parse(document(table("元", "1,250,000.00")))
    (in_wan,), _ = parse(document(table("万元", "125.00")))
    assert (in_yuan["money_unit"], in_wan["money_unit"]) == ("元", "万元")
    assert in_yuan["money_yuan"] == in_wan["money_yuan"] == Decimal("1250000.00")
    assert in_yuan["money_text"] == "1,250,000.00"


# --- one row a project: its own columns beside its first indicator row ---------------------------

HEADER = [
    "单位编码 | 单位（项目）名称 | 资金总额 | 绩效目标 | 绩效指标 | | | | | |",
    " | | | | 一级指标 | 二级指标 | 三级指标 | 指标值 | 度量单位 | 指标值类型 | 评（扣）分标准",
]
GOAL = "按时调拨经费，提升信访工作成效。"


def wide_page(page: int, table: int, rows: list[str]) -> list[tuple]:
    return [
        (page, None, "2026年项目支出绩效目标表"),
        (page, None, "部门名称：某市信访局 | 单位：万元"),
        *[(page, table, text) for text in [*HEADER, *rows]],
    ]


WIDE = [
    *wide_page(
        1,
        1,
        [
            "合计 | | 46.00 | | | | | | | |",
            "126001 | 某市信访局 | 46.00 | | | | | | | |",
            f"126001 | 信访业务专项 | 35.78 | {GOAL} | 成本指标 | 经济成本指标 | 总成本"
            " | 35.78 | 万元 | ≤ | 偏离目标不得分",
            " | | | | | 社会成本指标 | 无 | 无 | | 定性 |",
            " | | | | 产出指标 | 数量指标 | 调拨单位数 | 10 | 个 | ≥ | 每少1个减1分",
        ],
    ),
    *wide_page(
        2,
        2,
        [
            # the project printed again atop the page it continues on
            f"126001 | 信访业务专项 | 35.78 | {GOAL} | 产出指标 | 时效指标 | 调拨及时率"
            " | 95 | % | ≥ |",
            " | | | | | | 受理及时率 | 90 | % | ≥ |",
            " | | | | 满意度指标 | 服务对象满意度指标 | 群众满意度 | 90 | % | ≥ |",
            " | 接待中心运行专项 | 10.22 | 保障接待中心运转。 | 成本指标 | 经济成本指标 | 总成本"
            " | 10.22 | 万元 | ≤ |",
        ],
    ),
]


def test_a_project_split_across_pages_with_its_header_repeated_is_one_project():
    tables, indicators = parse(document(WIDE))
    assert [t["project_name"] for t in tables] == ["信访业务专项", "接待中心运行专项"]
    first = tables[0]
    assert (first["unit_code"], first["implementing_unit"]) == ("126001", "某市信访局")
    assert first["department_text"] == "某市信访局"
    assert first["money_yuan"] == Decimal("357800.00")
    assert first["goal_text"] == GOAL and not first["goal_after_header"]
    rows = rows_of(indicators, 1)
    assert first["indicator_rows"] == len(rows) == 6
    assert [(r["level1"], r["level2"], r["level3"]) for r in rows][3:6] == [
        ("产出指标", "时效指标", "调拨及时率"),
        ("产出指标", "时效指标", "受理及时率"),  # carried across the page's repeated row
        ("满意度指标", "服务对象满意度指标", "群众满意度"),
    ]
    assert rows[1]["level1"] == "成本指标" and not rows[1]["level1_printed"]


def test_comparator_and_unit_columns_are_joined_to_the_target():
    _, indicators = parse(document(WIDE))
    first = rows_of(indicators, 1)
    targets = ["≤35.78万元", "无", "≥10个", "≥95%", "≥90%", "≥90%"]
    assert [r["target_text"] for r in first] == targets
    assert first[0]["target_is_money"] and first[0]["target_number"] == Decimal("357800")
    assert (first[0]["comparator"], first[2]["target_unit"]) == ("<=", "个")
    assert first[2]["scoring"] == "每少1个减1分"  # an extra column kept in its field
    assert first[1]["parse_status"] == "text"


def test_a_department_wide_table_is_marked_and_names_no_project():
    lines = document(
        [
            (1, None, "部门整体支出绩效目标表"),
            (1, 1, "部门名称 | 某市人民政府办公室 | 部门预算编码 | 103"),
            (1, 1, "年度预算安排（万元） | 资金总额 | 8200.95"),
            (1, 1, " | 项目支出 | 2285.57"),
            (1, 1, " | 基本支出 | 5915.38"),
            (1, 1, "总体目标 | 保障政府高效运行。"),
            (1, 1, "绩效目标指标 | 一级指标 | 二级指标 | 三级指标 | 目标值"),
            (1, 1, " | 产出指标 | 数量指标 | 组织举办会议数 | ≥100 场"),
        ]
    )
    (table,), (row,) = parse(lines)
    assert table["is_department_wide"] and table["table_kind"] == "department_performance"
    assert table["project_name"] is None
    assert (table["department_text"], table["unit_code"]) == ("某市人民政府办公室", "103")
    assert table["money_yuan"] == Decimal("82009500.00")
    assert table["money_parts"] == "项目支出 2285.57；基本支出 5915.38"
    assert (row["level3"], row["target_number"], row["target_unit"]) == (
        "组织举办会议数",
        Decimal("100"),
        "场",
    )


def test_a_title_naming_its_project_wraps_onto_two_lines():
    def line(no, text, page, boxes, table=None):
        return Line(no, text, page, boxes=boxes, table=table)

    row = [(84, 155), (155, 226), (226, 295), (295, 459), (459, 530)]
    lines = [
        line(1, "某市公安局2026年部门预算", 1, ((200, 400),)),
        line(2, "301007_某市公安局机场分局_机场公安综", 2, ((92, 505),)),
        line(3, "合修缮改造项目绩效目标表", 2, ((190, 406),)),
        line(4, "专项资金情况（万元）\t资金总额：\t57.00\t\t", 2, tuple(row), 1),
        line(5, "项目实施期目标\t完成改造。\t\t\t", 2, tuple(row), 1),
        line(6, "绩效目标指标\t一级指标\t二级指标\t三级指标\t目标值", 2, tuple(row), 1),
        line(7, "\t成本指标\t经济成本指标\t预算执行率\t100%", 2, tuple(row), 1),
    ]
    (table,), (indicator,) = parse(lines)
    assert table["project_name"] == "机场公安综合修缮改造项目"
    assert (table["unit_code"], table["implementing_unit"]) == ("301007", "某市公安局机场分局")
    assert table["money_yuan"] == Decimal("570000.00") and table["goal_text"] == "完成改造。"
    assert (indicator["level1"], indicator["target_text"]) == ("成本指标", "100%")


def test_several_projects_in_one_table_and_an_empty_form_that_names_none():
    lines = document(
        [
            (1, None, "2026年市级重点专项资金绩效目标表（一级项目）"),
            (1, 1, "项目名称 | 商务发展专项 | 主管部门 | 某市商务委员会"),
            (1, 1, "当年预算 | 46,794.00 | 市级支出 | 40,624.00"),
            (1, 1, " | | 补助区县 | 6,170.00"),
            (1, 1, "项目概况 | 推动商务经济发展。"),
            (1, 1, "当年绩效目标 | 商品储备7500吨及以上。"),
            (1, 1, "绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%)"),
            (1, 1, " | 重要商品储备数量 | ≥ | 7500 | 吨 | 10"),
            (1, 1, "项目名称 | 外贸专项 | 主管部门 | 某市商务委员会"),
            (1, 1, "当年绩效目标 | 进出口稳定。"),
            (1, 1, "绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%)"),
            (1, 1, " | 进出口总值 | ≥ | 8000 | 亿元 | 12"),
            (2, None, "2026年市级重点专项资金绩效目标表（一级项目）"),
            (2, 2, "项目名称 | | 主管部门 |"),
            (2, 2, "当年预算 | | 市级支出 |"),
            (2, 2, "绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%)"),
        ]
    )
    tables, indicators = parse(lines)
    assert [t["project_name"] for t in tables] == ["商务发展专项", "外贸专项"]
    first = tables[0]
    assert first["money_parts"] == "市级支出 40,624.00；补助区县 6,170.00"
    assert first["overview"] == "推动商务经济发展。"
    assert first["money_unit"] == "万元"  # the kind's unit where the table prints none
    assert [(r["table_ordinal"], r["level1"], r["level2"], r["weight"]) for r in indicators] == [
        (1, None, None, "10"),  # no levels printed: none guessed
        (2, None, None, "12"),
    ]
    assert indicators[0]["target_text"] == "≥7500吨"


def test_budget_tables_stop_at_a_performance_table():
    """A performance table's rows are its own, not the rows of the budget table before it."""
    lines = document(
        [
            (1, None, "政府性基金预算支出表"),
            (1, 1, "功能科目 | 合计 | 基本支出 | 项目支出"),
            (1, 1, "合计 | 0.00 | 0.00 | 0.00"),
        ],
        WIDE,
    )
    records = national.parse(lines, "k")
    assert {r["line_no"] for r in records["budget_table_rows"]} == {4}
    assert records["performance_tables"][0]["project_name"] == "信访业务专项"


# --- a ruled PDF: merged 一级指标, the table split across pages, its header repeated --------------


def test_a_ruled_pdf_table_split_across_pages_with_merged_level1():
    pytest.importorskip("reportlab")
    from test_pdf_tables import Page, grid, pdf_of

    from orchestration.read.pdf import read_pdf

    xs = [40, 110, 200, 330, 420]
    header = ["一级指标", "二级指标", "三级指标", "指标值"]

    def table(page: Page, top: float, rows: list[list[str]], merged: list[tuple[int, int]]):
        ys = [top + 18 * i for i in range(len(rows) + 2)]
        skip = {("h", r, 0) for first, last in merged for r in range(first + 2, last + 2)}
        grid(page, xs, ys, skip=skip)
        for r, cells in enumerate([header, *rows]):
            for c, text in enumerate(cells):
                if text:
                    page.text(xs[c] + 3, ys[r] + 12, text)

    def first(page: Page):
        page.text(200, 60, "项目支出绩效目标表")
        page.text(40, 80, "项目名称：档案数字化")
        rows = [
            ["产出指标", "数量指标", "数字化卷数", "≥3000卷"],
            ["", "质量指标", "差错率", "≤1%"],
        ]
        table(page, 100, rows, [(0, 3)])  # 产出指标 merged down, on over the page break

    def second(page: Page):
        page.text(200, 60, "项目支出绩效目标表")
        rows = [
            ["", "时效指标", "完成时间", "12月底前"],
            ["满意度指标", "服务对象满意度指标", "满意度", "≥90%"],
        ]
        table(page, 100, rows, [])

    lines = read_pdf(pdf_of(first, second))
    tables, indicators = parse([Line(1, "某某局2026年部门预算"), *lines])
    assert [t["project_name"] for t in tables] == ["档案数字化"]
    assert [(r["level1"], r["level2"], r["level3"], r["target_text"]) for r in indicators] == [
        ("产出指标", "数量指标", "数字化卷数", "≥3000卷"),
        ("产出指标", "质量指标", "差错率", "≤1%"),
        ("产出指标", "时效指标", "完成时间", "12月底前"),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    ]
    assert indicators[2]["parse_status"] == "deadline"


# --- figures read by hand from the real documents ------------------------------------------------

CORPUS = corpus_folder()


def parsed(path: str) -> dict:
    from orchestration.parse.document import parse_bytes

    return parse_bytes((CORPUS / path).read_bytes())


def project(records: dict, name: str) -> tuple[dict, list[dict]]:
    (table,) = [t for t in records["performance_tables"] if t["project_name"] == name]
    return table, rows_of(records["indicators"], table["table_ordinal"])


def test_changsha_project_and_department_tables():
    records = parsed("hunan/changsha_petitions_2026_department_budget.pdf")
    tables = records["performance_tables"]
    assert [t["is_department_wide"] for t in tables] == [False] * 4 + [True]
    table, rows = project(records, "基层及其他信访业务工作经费专项")
    assert table["money_yuan"] == Decimal("357800.00")
    assert table["implementing_unit"] == "长沙市信访局"
    levels = (rows[0]["level1"], rows[0]["level2"], rows[0]["level3"])
    assert levels == ("成本指标", "经济成本指标", "总成本")
    assert rows[0]["target_text"] == "≤35.78万元"
    # its rows on the next page, under the project's row printed again
    assert [r["level3"] for r in rows].count("区县（市）信访事项及时受理率") == 1
    assert tables[-1]["money_yuan"] == Decimal("19353600.00")


def test_quanzhou_tables_titled_by_their_project():
    records = parsed("fujian/quanzhou_public_security_2026_department_budget.pdf")
    tables = records["performance_tables"]
    assert len(tables) == 26 and tables[-1]["is_department_wide"]
    table, rows = project(records, "机场公安综合修缮改造项目")  # its title wraps onto two lines
    assert table["unit_code"] == "301007"
    assert table["implementing_unit"] == "泉州市公安局晋江国际机场分局"
    assert table["money_yuan"] == Decimal("570000.00")
    assert (rows[2]["level1"], rows[2]["level2"], rows[2]["level3"]) == (
        "产出指标",
        "数量指标",
        "完成违章车辆停车场建设面积",
    )


def test_yantai_policy_and_project_tables():
    records = parsed("shandong/yantai_civil_affairs_2026_department_budget.pdf")
    assert len(records["performance_tables"]) == 21
    table, rows = project(records, "民政业务工作经费")
    assert (table["money_text"], table["implementing_unit"]) == ("176.00", "烟台市民政局")
    assert table["money_parts"] == "其中：财政拨款 174.00；其他资金 2.00"
    assert (rows[2]["level1"], rows[2]["level2"], rows[2]["level3"], rows[2]["target_text"]) == (
        "产出指标",
        "数量指标",
        "慈善组织评估数量",
        "20个",
    )


def test_chongqing_key_and_general_project_tables():
    records = parsed("chongqing/chongqing_commerce_2026_department_budget.pdf")
    tables = records["performance_tables"]
    assert [t["project_name"] for t in tables] == [None, "市商务发展专项", "市商务发展一般性项目"]
    table, rows = project(records, "市商务发展专项")
    assert table["money_yuan"] == Decimal("467940000.00")
    assert (rows[0]["level1"], rows[0]["level3"], rows[0]["target_text"]) == (
        None,
        "重要商品储备数量",
        "≥7500吨",
    )
    assert len(rows) == 12  # nine on its page, three on the next under the header repeated


def test_the_layouts_parse_fast_enough():
    """A document of many projects parses in linear time (no rescans per row)."""
    import time

    many = [row for n in range(200) for row in [(n + 1, *r[1:]) for r in FORM[:14]]]
    started = time.perf_counter()
    tables, _ = parse(document(many))
    assert len(tables) == 200
    assert time.perf_counter() - started < 2.0
