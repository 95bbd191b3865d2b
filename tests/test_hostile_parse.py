"""Hostile documents beyond the catalog (`orchestration.synth.hostile`, checked by
test_hostile_corpus.py): patterns that must stay linear, and a document over the parse time or
memory limit, which is refused alone while the others parse."""

from __future__ import annotations

import json
import time
from functools import partial

import pytest
from conftest import SAMPLE

from orchestration.fetch.landing import Landing
from orchestration.home import Home
from orchestration.parse import (
    budget_tables,
    functional_lines,
    project_pages,
    statements,
)
from orchestration.parse.document import parse_bytes
from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.run import cache_dir, parse_all
from orchestration.parse.values import find_money, parse_target
from orchestration.synth.hostile import land

# a disclosure's title and a narrative of its own (a title alone is a portal page's)
TITLE = (
    "南宫市委部门2021年部门预算信息公开情况说明\n"
    + "本部门2021年部门预算支出总额为4002.38万元，全部为财政拨款。\n" * 5
    + "一、部门职责\n（一）负责。\n"
)


def timed_parse(data: bytes) -> tuple[dict, float]:
    start = time.perf_counter()
    document = parse_bytes(data)["documents"][0]
    return document, time.perf_counter() - start


@pytest.mark.parametrize("spaces", [20_000, 200_000])
def test_a_long_run_of_spaces_does_not_backtrack(spaces):
    text = TITLE + "八、绩效目标\n第三部分\n1、" + " " * spaces + "x\n绩效目标表\n"
    document, seconds = timed_parse(text.encode())
    assert document["status"] == "parsed" and seconds < 2


SPACES, DIGITS = " " * 100_000, "1" * 100_000


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (functional_lines.numbered_path, f"1、x（{SPACES}x"),
        (functional_lines.read_functional_line, f"1、“x（类）y（款）z（项）{SPACES}1元"),
        (functional_lines.read_functional_line, f"1、x（类）y（款）z（项）{SPACES}1元"),
        (functional_lines.read_functional_line, f"1、“x-{SPACES}-z”{SPACES}1元"),
        (functional_lines.patterns().purpose.search, f"主要用于x{SPACES}x"),
        (functional_lines.patterns().reason.search, f"主要原因x{SPACES}x"),
        (functional_lines.patterns().reason.search, "主要原因" * 50_000),
        (functional_lines.numbered_path, "1、" + "x（x）" * 50_000),
        (functional_lines.read_functional_line, f"1、审计事务（款）行政运行（项）{SPACES}1元"),
        (functional_lines.read_functional_line, "（一）2010301-" + "行" * 100_000),
        (statements.grammar().change.match, f"{SPACES}比2020年增加x"),
        (statements.pattern("revenue_total", "budget", None).search, f"收入预算{SPACES}x"),
        (statements.pattern("revenue_total", "budget", None).search, "收入预算" + "预算" * 50_000),
        (project_pages._PROJECT_MONEY_RE.search, f"{DIGITS}x"),
        (statements.offices_listed().search, f"设{SPACES}x" + "x" * 100_000),
        (find_money, f"{DIGITS}x"),
        (parse_target, f"≥1 {DIGITS}月x"),
    ],
)
def test_template_b_and_value_patterns_are_linear(pattern, text):
    start = time.perf_counter()
    pattern(text)
    assert time.perf_counter() - start < 2


def best_time(pattern, text) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        pattern(text)
        times.append(time.perf_counter() - start)
    return min(times)


MONEY_PATTERNS = {
    "find_money": (find_money, ""),
    "parse_target": (parse_target, "≥"),
    "project money": (project_pages._PROJECT_MONEY_RE.search, ""),
    "project total": (project_pages._PROJECT_TOTAL_RE.search, "总预算"),
    "prior": (functional_lines.patterns().prior.search, "2020年预算执行数"),
    "planned": (functional_lines.patterns().planned.search, "2021年预算安排"),
    "listed": (functional_lines.patterns().list_entry.search, "其中：教育支出"),
    "stated": (statements.pattern("revenue_total", "budget", None).search, "收入预算"),
    "stated alone": (
        statements.pattern("basic_expenditure", "budget", None, "bare").search,
        "基本支出",
    ),
    "change": (statements.grammar().change.search, "比2020年增加"),
    "money token": (budget_tables._MONEY_TOKEN_RE.match, ""),
    "function": (functional_lines.read_functional_line, "1、“x（类）y（款）z（项）"),
    "stated A": (statements.pattern("expenditure_total", "budget", None).search, "预算经费"),
}


@pytest.mark.parametrize("unit", ["1,,", "1,", "1.", "-1, ", "1,1.1"])
@pytest.mark.parametrize("name", MONEY_PATTERNS)
def test_money_patterns_are_linear(name, unit):
    """Ten times the repetitions take about ten times as long, not a hundred (each repetition
    scanned once, not once from every digit); measured in the text's own patterns."""
    pattern, prefix = MONEY_PATTERNS[name]
    short, long = (best_time(pattern, prefix + unit * n + "x") for n in (2_000, 20_000))
    assert long < 20 * short + 0.02


def narrative_lines(text: str, count: int) -> None:
    """The functional lines (listed ones too) of a narrative of `count` lines of `text`."""
    body = [Line(no, text, no // 40) for no in range(1, count + 1)]
    functional_lines.add_functional_lines(
        Records("x"), body, functional_lines.read_functional_line, None, listed=True
    )


@pytest.mark.parametrize(
    "text",
    [
        "其中：一般公共服务支出1万元，",  # one unending sentence of lists
        "1.审计事务（款）行政运行（项）支出1万元，与上年相比增加1万元。",
        "主要原因是",  # one paragraph of many lines
    ],
)
def test_a_narrative_of_many_lines_is_read_in_linear_time(text):
    short, long = (best_time(partial(narrative_lines, text), n) for n in (1_000, 10_000))
    assert long < 20 * short + 0.05


# A document of 600,000 duty lines: about 3 s and 600 MB to parse.
HEAVY = (TITLE + "（一）负责。\n" * 600_000 + "八、绩效目标\n").encode()


@pytest.mark.parametrize(
    ("seconds", "megabytes", "reason"),
    [
        (1, 4000, "over the parse time limit of 1 s"),
        (60, 200, "over the parse memory limit of 200 MB"),
    ],
)
def test_a_document_over_a_limit_is_unreadable_and_the_others_parse(
    tmp_path, seconds, megabytes, reason
):
    home, landing = Home.at(tmp_path), Landing(tmp_path)
    (tmp_path / "heavy.txt").write_bytes(HEAVY)
    land(tmp_path, [tmp_path / "heavy.txt", SAMPLE])
    start = time.perf_counter()
    summary = parse_all(home, landing, workers=2, seconds=seconds, megabytes=megabytes)
    assert time.perf_counter() - start < 20
    assert summary.by_status == {"parsed": 1, "unreadable": 1}
    (problem,) = summary.problems
    assert (problem["url"], problem["status"], problem["reason"]) == (
        "https://example.cn/heavy.txt",
        "unreadable",
        reason,
    )
    cached = [json.loads(p.read_text()) for p in cache_dir(home).glob("*.json")]
    assert len(cached) == 2  # refused once per parser version, not every night
    again = parse_all(home, landing, workers=2, seconds=seconds, megabytes=megabytes)
    assert (again.parsed, again.cached, again.problems) == (0, 2, summary.problems)
