"""A document's text layer, laid out as the template A sample is (the Nangong 2021 budget).

Paragraphs are lines followed by a blank line; table rows are tab-separated cells. Layout quirks
(a page break repeating a header row, a goal row after the header, a cell wrapped onto the next
row, conversion debris) are drawn from the `rng` given, never from the model's own.
"""

from __future__ import annotations

import random
from decimal import Decimal

from orchestration.synth import catalog
from orchestration.synth.drift import change_words, prior_words
from orchestration.synth.model import Document, Table

INTRO = "按照《预算法》、《地方预决算公开操作规程》和《河北省省级预算公开办法》规定，"
P_PAGE_BREAK = 0.25  # a table's rows are split by a page break that repeats the header
P_GOAL_AFTER_HEADER = 0.05
P_WRAP = 0.06  # a long cell continues on the next row
P_DEBRIS = 0.05  # a markdown rule left over from conversion


def cn_numeral(n: int) -> str:
    """1..99 in Chinese numerals: 11 -> 十一, 52 -> 五十二."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


class Layout:
    """Lines of text: paragraphs with a blank line after, table rows without."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines = ["", ""]

    def p(self, text: str) -> None:
        if self.lines[-1]:
            self.lines.append("")
        self.lines += [text, ""]

    def row(self, *cells: str) -> None:
        self.lines.append("\t".join(cells))

    def page_break(self, header: list[str]) -> None:
        self.lines.append("")
        self.row(*header)

    def wrapped(self, cells: list[str], index: int) -> None:
        """A row whose cell `index` wraps: its end printed alone on the next row."""
        text = cells[index]
        wraps = len(text) >= 8 and self.rng.random() < P_WRAP
        cut = self.rng.randint(3, len(text) - 3) if wraps else 0
        if not cut or " " in text[cut - 1 : cut + 1]:  # readers strip a cell's outer spaces
            self.row(*cells)
            return
        self.row(*cells[:index], text[:cut], *cells[index + 1 :])
        self.row(*[""] * index, text[cut:], *[""] * (len(cells) - index - 1))

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def money(amount: Decimal, space: str = " ") -> str:
    return f"{amount:.2f}{space}万元"


def document_text(doc: Document, rng: random.Random) -> str:
    """The text layer of `doc`: title, sections 一…九."""
    d, year, f = doc.department, doc.year, doc.figures
    out = Layout(rng)
    out.p(f"{d.title_name} {year} 年部门预算信息公开情况说明")
    out.p(f"{INTRO}现将{d.name} {year} 年部门预算公开如下：")

    out.p("一、部门职责及机构设置情况")
    out.p("部门职责：")
    for n, duty in enumerate(doc.duties, start=1):
        line = f"（{cn_numeral(n)}）{duty}"
        if len(duty) > 30 and rng.random() < P_WRAP:  # a paragraph wrapped onto the next line
            cut = rng.randint(20, len(line) - 5)
            out.p(line[:cut])
            line = line[cut:]
        out.p(line)
    out.p("机构设置：")
    out.p("部门机构设置情况")
    out.row(*catalog.UNIT_HEADER)
    split = rng.randint(1, len(doc.units)) if rng.random() < P_PAGE_BREAK else None
    for n, unit in enumerate(doc.units):
        if n == split:
            out.page_break(catalog.UNIT_HEADER)
        out.row(unit.name, unit.nature, unit.rank, unit.funding)

    names = "、".join(dict.fromkeys(t.name for t in doc.tables))
    out.p("二、部门预算安排的总体情况")
    out.p(
        f"{d.name} {year} 年度单位预算经费为 {money(f['expenditure_total'])}，"
        f"其中基本支出预算安排 {money(f['basic_expenditure'])}，"
        f"项目支出预算安排 {money(f['project_expenditure'])}。"
        f"主要是：{d.name}人员工资福利支出、日常公用经费、{names}等有关经费。"
    )
    out.p("三、机关运行经费安排情况")
    out.p(
        f"{year} 年，{d.name}机关运行经费共计安排 {money(f['operating_funds'])}，"
        "主要用于机关的日常办公运转、公务用车运行维护费、工会费、福利费等运行支出。"
    )
    out.p("四、财政拨款“三公”经费预算情况及增减变化原因")
    out.p(three_public(doc, rng))

    out.p("五、预算绩效信息")
    performance(out, doc, rng)

    code_line = f"{d.code} {d.name}"
    out.p("六、政府采购预算情况")
    out.p(f"{year}年，{d.name}安排政府采购预算 {money(f['procurement_total'])}。")
    out.p("部门政府采购预算")
    out.p(code_line)
    out.p("单位：万元")
    for header in catalog.PROCUREMENT_HEADER:
        out.lines.append(header)
    out.p("注：无政府采购预算，空表列示。")

    out.p("七、国有资产信息")
    out.p(
        f"{d.name}（含所属单位）上年末固定资产金额为 {money(f['fixed_assets_total'])}（详见下表）。"
        f"本年度拟购置固定资产总额为 {money(f['fixed_assets_planned_purchase'])}，"
        "已按要求列入政府采购预算，详见政府采购预算表。"
    )
    out.p("部门固定资产占用情况表")
    for rows in (["资产总额\t\t"], catalog.ASSET_ROWS):
        out.p(code_line)
        out.p(f"截止时间：{year - 1}-12-31")
        out.lines += [catalog.ASSET_HEADER, *rows]
    out.p("注：无固定资产占用情况，空表列示。")

    out.p("八、名词解释")
    sample_style = rng.random() < 0.5  # markdown debris as in the sample: '- 1、…：**指…'
    for n, (term, definition) in enumerate(catalog.GLOSSARY, start=1):
        if not sample_style:
            out.p(f"{n}、{term}：{definition}")
        elif n <= 7:
            out.p(f"- {n}、{term}：**{definition}")
        else:
            out.p(f"{n}、**{term}：**{definition}")
    out.p("九、其他需要说明的事项")
    out.p(f"{d.pronoun}无其他需要说明的事项。")
    return out.text()


def three_public(doc: Document, rng: random.Random) -> str:
    """The 三公 paragraph: parts, the change vs the prior year, meeting and training fees."""
    f, year, space = doc.figures, doc.year, rng.choice(["", " "])

    def m(item: str) -> str:
        return money(f[item], space)

    outbound = m("outbound") if f["outbound"] else "0元"
    prior = prior_words(year, doc.department.id)
    return (
        f"{year}年，{doc.department.pronoun}财政拨款“三公”经费预算安排{m('three_public_total')}，"
        f"其中：因公出国(境)费{outbound}；公务用车购置及运行经费{m('vehicle_total')}"
        f"(其中：公务用车购置费为{m('vehicle_purchase')}，"
        f"公务用车运行费为{m('vehicle_operation')})；公务接待费{m('reception')}。"
        f"{prior}{change_words(f['three_public_change'], rng)}，"
        f"原因是：{rng.choice(catalog.THREE_PUBLIC_REASONS)}。"
        f"{year}年预算安排会议费{m('meeting')}，培训费{m('training')}，"
        f"{prior}{change_words(f['meeting_training_change'], rng)}，"
        f"原因是：{rng.choice(catalog.MEETING_REASONS)}。"
    )


def performance(out: Layout, doc: Document, rng: random.Random) -> None:
    """Section 五: the goals (part one), special funds (two), the project tables (three)."""
    out.p("第一部分 部门整体绩效目标")
    out.p(rng.choice(["(一) 总体绩效目标", "（一）总体绩效目标"]))
    for n, goal in enumerate(doc.goals, start=1):
        out.p(f"{n}、{goal}")
    out.p("（二）分项绩效目标")
    out.p(f"{doc.year}年在收支预算内，确保完成以下整体目标：")
    distinct = list({t.project_id: t for t in doc.tables}.values())
    for n, table in enumerate(distinct, start=1):
        out.p(f"{n}、{table.name}")
        out.p("绩效目标：" + table.goal.replace("1. ", "").replace(" 2. ", ""))
        measures = [f"{i.level3}{i.target}" for i in table.indicators if i.level1 == "产出指标"]
        out.p("绩效指标：" + "，".join(measures) + "。")
    out.p("（三）工作保障措施")
    for line in catalog.MEASURES:
        out.p(line)
    out.p("第二部分 专项资金绩效目标")
    out.p("无专项资金")
    out.p("第三部分 预算项目绩效目标")
    for n, table in enumerate(doc.tables, start=1):
        project_table(out, n, table, rng)


def project_table(out: Layout, number: int, table: Table, rng: random.Random) -> None:
    """`N、<name>绩效目标表`, the goal row, the header and the indicator rows."""
    out.p(f"{number}、{table.name}绩效目标表")
    goal = ["绩效目标", table.goal, "", "", "", ""]
    after_header = rng.random() < P_GOAL_AFTER_HEADER
    if not after_header:
        out.wrapped(goal, 1)
        if rng.random() < P_DEBRIS:
            out.lines.append("-------------\t--")
    out.row(*catalog.HEADER)
    if after_header:
        out.wrapped(goal, 1)
    rows = len(table.indicators)
    split = rng.randint(1, rows - 1) if rng.random() < P_PAGE_BREAK else None
    level1 = None
    for n, i in enumerate(table.indicators):
        if n == split:
            out.page_break(catalog.HEADER)
        printed = i.level1 if i.level1 != level1 else ""  # level 1 only on its group's first row
        level1 = i.level1
        out.wrapped([printed, i.level2, i.level3, i.description, i.target, i.basis], 3)
    out.lines.append("")
