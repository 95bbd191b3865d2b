"""Indicator target grammar and money amounts."""

from decimal import Decimal

import pytest

from orchestration.parse.values import find_money, parse_target


@pytest.mark.parametrize(
    ("text", "comparator", "number", "unit"),
    [
        ("≥3500 份数", ">=", Decimal("3500"), "份"),
        ("≤14 万元", "<=", Decimal("140000"), "元"),
        ("100%", None, Decimal("100"), "%"),
        ("365 天", None, Decimal("365"), "天"),
        ("≥95 百分比", ">=", Decimal("95"), "%"),
        ("≤12 月", "<=", Decimal("12"), "月"),
        ("<20 件", "<", Decimal("20"), "件"),
        ("≥10 人数", ">=", Decimal("10"), "人"),
        ("≤97100 元", "<=", Decimal("97100"), "元"),
        ("130 万", None, Decimal("1300000"), "元"),
        ("≥30万条", ">=", Decimal("300000"), "条"),
        ("24.65万元", None, Decimal("246500"), "元"),
        ("≥84 个数", ">=", Decimal("84"), "个"),
        ("≥12 期（均不低于）", ">=", Decimal("12"), "期"),
    ],
)
def test_quantities_parse_with_normalised_units(text, comparator, number, unit):
    target = parse_target(text)
    assert (target.status, target.comparator, target.number, target.unit) == (
        "parsed",
        comparator,
        number,
        unit,
    )
    assert target.text == text


def test_money_is_flagged_and_bare_wan_is_noted():
    assert parse_target("≤14 万元").is_money
    assert not parse_target("≥30万条").is_money
    assert parse_target("130 万").note == "bare 万 read as 万元"


@pytest.mark.parametrize(
    "text", ["12 月 31 日前", "6 月底全部发放完成", "4月底完成", "总体 2021 年底前", "7 月份"]
)
def test_deadlines(text):
    target = parse_target(text)
    assert target.status == "deadline" and target.number is None


@pytest.mark.parametrize("text", ["有效建立", "无差错", "按时完成", "明显提高"])
def test_qualitative_text(text):
    assert parse_target(text).status == "text"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("%", "unit without a number"),
        ("≥80 单位人员对单位运转保障工作的满意程度%", "number followed by free text"),
        ("≤12 保障 12 人享受工资", "number mixed with free text"),
        ("", "empty target value"),
    ],
)
def test_malformed_values_keep_their_text_and_say_why(text, note):
    target = parse_target(text)
    assert (target.status, target.note, target.text, target.number) == (
        "malformed",
        note,
        text,
        None,
    )


def test_text_where_a_number_is_expected_is_malformed():
    assert parse_target("调查情况", expects_number=True).note == "text where a number is expected"
    assert parse_target("调查情况").status == "text"


def test_find_money_in_narrative():
    assert find_money("预算经费为 4002.38 万元，其中") == ("4002.38 万元", Decimal("40023800.00"))
    assert find_money("因公出国(境)费0元；") == ("0元", Decimal("0.00"))
    assert find_money("no money here") is None
