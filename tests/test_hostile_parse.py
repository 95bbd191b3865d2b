"""Hostile documents: each is refused (or parsed) quickly, naming the limit it hit, and never
stops the other documents of a run."""

from __future__ import annotations

import json
import time

import pytest
from conftest import SAMPLE

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.home import Home
from orchestration.parse import template_b
from orchestration.parse.document import parse_bytes
from orchestration.parse.run import cache_dir, parse_all
from orchestration.parse.values import find_money, parse_target

TITLE = "南宫市委部门2021年部门预算信息公开情况说明\n一、部门职责\n（一）负责。\n"


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
        (template_b._FUNCTION_START_RE.match, f"1、x（{SPACES}x"),
        (template_b._FUNCTION_RE.match, f"1、“x（类）y（款）z（项）{SPACES}1元"),
        (template_b._PURPOSE_RE.search, f"主要用于x{SPACES}x"),
        (template_b._REASON_RE.search, f"主要原因x{SPACES}x"),
        (template_b._CHANGE_RE.match, f"{SPACES}比2020年增加x"),
        (template_b._PROJECT_MONEY_RE.search, f"{DIGITS}x"),
        (template_b._OFFICES_RE.search, f"设{SPACES}x" + "x" * 100_000),
        (find_money, f"{DIGITS}x"),
        (parse_target, f"≥1 {DIGITS}月x"),
    ],
)
def test_template_b_and_value_patterns_are_linear(pattern, text):
    start = time.perf_counter()
    pattern(text)
    assert time.perf_counter() - start < 2


def land(root, documents: dict[str, bytes]) -> Landing:
    landing = Landing(root)
    attempts = []
    for name, data in documents.items():
        sha256, _ = landing.store(data)
        attempts.append(FetchAttempt(f"https://example.cn/{name}", "test", "new", sha256=sha256))
    landing.log(attempts)
    return landing


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
    home = Home.at(tmp_path)
    landing = land(tmp_path, {"heavy.txt": HEAVY, "sample.txt": SAMPLE.read_bytes()})
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
