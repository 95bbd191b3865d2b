"""Template B's project pages (项目经费情况说明): one page per project after 其他相关情况说明,
its title, then 一、项目概述 … 七、绩效目标, and the amount of its 年度预算安排."""

from __future__ import annotations

import re

from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.statements import NUM, join, plain
from orchestration.parse.values import money_yuan

_PROJECT_FIELDS = {
    "项目概述": "overview",
    "立项依据": "basis",
    "实施主体": "implementer",
    "实施方案": "plan",
    "实施周期": "period",
    "年度预算安排": "annual_budget_text",
    "绩效目标": "performance_goal",
}
_FIELD_RE = re.compile(
    rf"^[一二三四五六七八九十]+\s*、\s*({'|'.join(_PROJECT_FIELDS)})\s*[：:]?\s*(.*)$"
)
# A page titled only 项目经费情况说明 names its project in its body: the forms tried, in order,
# on 项目概述, then 年度预算安排, then 绩效目标 (quoted, or a name ending in 项目/专项/工程…
# followed by what is said of it).
_PROJECT_NAME_RES = [
    re.compile(r"[“「《](?P<name>[^”」》，。；]{2,40}?(?:项目|专项|工程|资金|经费|计划))[”」》]"),
    re.compile(
        r"^(?:本项目|该项目)?[为是即：:]?\s*+(?P<name>[^，。；、\s]{2,40}?(?:项目|专项|工程))"
        r"(?:是|为|系|于|由|主要|旨在|用于|总预算|[，。：:（(])"
    ),
]
_PROJECT_MONEY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>万元|万|元)")
_PROJECT_TOTAL_RE = re.compile(rf"总预算\s*+(?:为)?\s*+(?P<num>{NUM})\s*(?P<unit>万元|万|元)")


def split_projects(body: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """The 其他相关情况说明 lines, and each project page (title lines first)."""
    starts: list[int] = []
    for index, line in enumerate(body):
        match = _FIELD_RE.match(line.text.strip())
        if match and match.group(1) == "项目概述":
            start = index
            floor = starts[-1] + 1 if starts else 0
            # the title printed above 一、项目概述 on the same page; a document without pages
            # (DOCX, HTML) prints it as the one paragraph above
            while start - 1 >= floor and body[start - 1].page == line.page:
                start -= 1
                if line.page is None:
                    break
            starts.append(start)
    if not starts:
        return body, []
    bounds = [*starts, len(body)]
    return body[: starts[0]], [body[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def read_project(out: Records, page: list[Line]) -> None:
    """A 项目经费情况说明 page: its title, then 一、项目概述 … 七、绩效目标."""
    titles: list[Line] = []
    fields: dict[str, list[str]] = {}
    current = None
    for line in page:
        text = plain(line)
        match = _FIELD_RE.match(text)
        if match:
            current = _PROJECT_FIELDS[match.group(1)]
            fields[current] = [match.group(2)] if match.group(2) else []
        elif current is None:
            titles.append(line)
        else:
            fields[current].append(text)
    title = "".join(plain(line) for line in titles)
    values = {key: join(fields[key]) if key in fields else None for key in _PROJECT_FIELDS.values()}
    budget = values["annual_budget_text"] or ""
    amount = _PROJECT_TOTAL_RE.search(budget) or _PROJECT_MONEY_RE.search(budget)
    if amount:  # 项目总预算1720.00万 (a bare 万 is 万元), else the first amount
        values["annual_budget_amount_text"] = budget[amount.start("num") : amount.end("unit")]
        values["annual_budget_yuan"] = money_yuan(amount.group("num"), amount.group("unit"))
    name = re.sub(r"经费情况说明$", "", title).strip()
    if name in ("", "项目"):  # a title of 项目经费情况说明 alone: the body names the project
        name = _project_name(values)
    out.add(
        "project_pages",
        titles[0] if titles else page[0],
        ordinal=out.count("project_pages") + 1,
        title=title,
        project_name=name,
        **{"annual_budget_amount_text": None, "annual_budget_yuan": None, **values},
    )


def _project_name(values: dict) -> str | None:
    """The project's name as its page's body states it, for a page whose title has none."""
    for key in ("overview", "annual_budget_text", "performance_goal"):
        for pattern in _PROJECT_NAME_RES:
            match = pattern.search(values[key] or "")
            if match:
                return match.group("name").strip()
    return None
