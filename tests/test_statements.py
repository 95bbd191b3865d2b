"""Narrative statements (statements.yaml): every province's phrasings of each item, read by the
narrative reader and by the helpers the template parsers use; and no statement words left in the
template parsers."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.parse import final_accounts, statements, template_a, template_b
from orchestration.parse.layout import Line
from orchestration.parse.narrative import read_narrative
from orchestration.parse.records import Records
from orchestration.parse.statements import Text

D = Decimal


def read(text: str, phase: str = "budget", year: int | None = 2026) -> dict[str, list[dict]]:
    """The records the narrative reader makes of `text` (one line per line)."""
    out = Records("k")
    lines = [Line(no, line) for no, line in enumerate(text.split("\n"), start=1)]
    read_narrative(out, lines, phase, year)
    return dict(out)


def amounts(text: str, **kwargs) -> dict[str, dict]:
    """The stated amounts of `text` by item (the first of each)."""
    found: dict[str, dict] = {}
    for record in read(text, **kwargs).get("stated_amounts", []):
        found.setdefault(record["item"], record)
    return found


def yuan(records: dict[str, dict]) -> dict[str, Decimal | None]:
    return {item: record["amount_yuan"] for item, record in records.items()}


# --- the phrasings of the national corpus ------------------------------------------------------


def test_revenue_with_its_parts_and_change():
    text = (
        "(一)收入预算:2026年年初预算数174,900.64万元,其中:一般公共预算拨款101,833.84万元,"
        "政府性基金预算拨款41,534.73万元,财政专户管理资金22,070.82万元,事业收入资金2,461.25万元,"
        "事业单位经营收入资金6,282.98万元,其他收入资金717.01万元。收入比2025年减少86,685.29万元,"
        "主要是一般公共预算拨款减少7,885.67万元。"
    )
    found = amounts(text)
    assert yuan(found) == {
        "revenue_total": D("1749006400.00"),
        "general_budget_revenue": D("1018338400.00"),
        "fund_revenue": D("415347300.00"),
        "special_account_revenue": D("220708200.00"),
        "business_revenue": D("24612500.00"),
        "operating_revenue": D("62829800.00"),
        "other_revenue": D("7170100.00"),
        "revenue_total_change": D("-866852900.00"),
        "general_budget_revenue_change": D("-78856700.00"),
    }
    total = found["revenue_total"]
    assert total["raw_text"] == "收入预算:2026年年初预算数174,900.64万元"
    assert (total["section"], total["amount_text"], total["unit_source"]) == (
        "revenue",
        "174,900.64万元",
        None,
    )
    assert found["revenue_total_change"]["reference_year"] == 2025


def test_revenue_budget_with_a_space_before_its_unit():
    found = amounts("2026年本部门收入预算 51036.22 万元。")
    assert found["revenue_total"]["amount_yuan"] == D("510362200.00")
    assert found["revenue_total"]["amount_text"] == "51036.22 万元"


def test_an_amount_without_its_unit_takes_the_one_its_sentence_prints():
    found = amounts("2026年基本支出预算 32780.46，项目支出预算 18255.76 万元。")
    basic = found["basic_expenditure"]
    assert (basic["amount_yuan"], basic["amount_text"], basic["unit_source"]) == (
        D("327804600.00"),
        "32780.46",
        "sentence",
    )
    assert found["project_expenditure"]["unit_source"] is None  # printed beside it


def test_an_amount_without_its_unit_takes_the_one_its_paragraph_prints():
    found = amounts("基本支出预算 32780.46。项目支出预算 18255.76 万元。")
    assert found["basic_expenditure"]["amount_yuan"] == D("327804600.00")
    assert found["basic_expenditure"]["unit_source"] == "paragraph"


@pytest.mark.parametrize(
    "text",
    [
        "2026年基本支出预算 32780.46。",  # no unit anywhere
        "基本支出预算 32780.46，其中工资 1200 元，公用经费 30.5 万元。",  # two units: which?
    ],
)
def test_an_amount_whose_unit_is_nowhere_or_ambiguous_is_marked_missing(text):
    basic = amounts(text)["basic_expenditure"]
    assert (basic["amount_yuan"], basic["amount_text"], basic["unit_source"]) == (
        None,
        "32780.46",
        "missing",
    )


def test_a_count_or_a_list_number_is_no_amount_without_its_unit():
    assert "class_expenditure" not in amounts(
        "（一）一般公共服务（类）1．政协事务（款）行政运行（项）"
    )
    assert "basic_expenditure" not in amounts("基本支出 2 项，项目支出 3 个。")


def test_a_heading_sentence_then_the_year_and_its_figure():
    found = amounts("1.因公出国（境）费用。2026 年预算数 45.19，比2025年减少1.20万元。")
    outbound = found["outbound"]
    assert outbound["raw_text"] == "因公出国（境）费用。2026 年预算数 45.19"
    assert (outbound["amount_yuan"], outbound["unit_source"]) == (D("451900.00"), "sentence")
    change = found["outbound_change"]
    assert (change["amount_yuan"], change["reference_year"]) == (D("-12000.00"), 2025)


def test_three_public_with_its_change_then_its_parts():
    text = (
        "四、“三公”经费情况说明\n"
        "2026 年“三公”经费预算394.49 万元，较2025 年减少2.48 万元，其中：因公出国（境）费用184.49 "
        "万元，与2025 持平；公务接待费10 万元，与2025 持平；公务用车运行维护费200.00 万元，较2025 "
        "年减少2.48 万元；公务用车购置费0 万元，与2025 年持平。"
    )
    found = amounts(text)
    assert yuan(found) == {
        "three_public_total": D("3944900.00"),
        "three_public_total_change": D("-24800.00"),
        "outbound": D("1844900.00"),
        "outbound_change": D("0.00"),
        "reception": D("100000.00"),
        "reception_change": D("0.00"),
        "vehicle_operation": D("2000000.00"),
        "vehicle_operation_change": D("-24800.00"),
        "vehicle_purchase": D("0.00"),
        "vehicle_purchase_change": D("0.00"),
    }
    assert {record["section"] for record in found.values()} == {"three_public"}
    assert found["outbound_change"]["raw_text"] == "与2025 持平"
    assert found["three_public_total"]["raw_text"] == "“三公”经费预算394.49 万元"


def test_three_public_arranged_by_appropriation_and_compared_with_last_year():
    text = (
        "2026年本部门财政拨款安排“三公”经费88.23万元，比上年减少27.12万元，下降23.5%，主要原因是"
        "公务接待费安排比上年下降；其中：因公出国（境）费64万元，比上年增加0万元，增长0%。"
    )
    found = amounts(text)
    assert found["three_public_total"]["amount_yuan"] == D("882300.00")
    change = found["three_public_total_change"]
    assert (change["amount_yuan"], change["reference_year"], change["raw_text"]) == (
        D("-271200.00"),
        2025,  # 上年: the year before the fiscal year
        "比上年减少27.12万元",
    )
    percent = found["three_public_total_change_percent"]
    assert (percent["amount_yuan"], percent["amount_text"]) == (None, "下降23.5%")
    assert "reception_change" not in found  # 比上年下降 with no figure is a reason, not a change
    assert found["outbound_change"]["amount_yuan"] == D("0.00")


def test_three_public_under_its_heading_with_the_department_named():
    text = (
        "六、其他重要事项的情况说明\n"
        "（二）“三公”经费预算：2026 年长沙市信访局“三公”经费预算数为0.50 万元，其中，公务接待费"
        "0.50 万元，公务用车购置及运行费0.00 万元（其中，公务用车购置费0.00 万元，公务用车运行费"
        "0.00 万元），因公出国（境）费0.00 万元。2026 年“三公”经费预算与2025 年持平。\n"
        "（三）一般性支出情况：2026 年本单位会议费预算5.6 万元。"
    )
    found = amounts(text)
    total = found["three_public_total"]
    assert (total["section"], total["amount_yuan"], total["raw_text"]) == (
        "three_public",
        D("5000.00"),
        "“三公”经费预算数为0.50 万元",
    )
    assert yuan(found) | {} == {
        "three_public_total": D("5000.00"),
        "reception": D("5000.00"),
        "vehicle_total": D("0.00"),
        "vehicle_purchase": D("0.00"),
        "vehicle_operation": D("0.00"),
        "outbound": D("0.00"),
        "three_public_total_change": D("0.00"),  # stated without the amount: 预算与2025 年持平
        "meeting": D("56000.00"),
    }
    assert found["meeting"]["section"] == "other"  # （三） names no section: its top heading's
    flat = found["three_public_total_change"]
    assert (flat["raw_text"], flat["amount_text"], flat["reference_year"]) == (
        "与2025 年持平",
        "持平",
        2025,
    )


def test_general_budget_appropriation_revenue_expenditure_and_basic_expenditure():
    text = (
        "三、财政拨款情况说明\n2026年一般公共预算财政拨款收入18,417.70万元，一般公共预算财政拨款"
        "支出18,417.70万元，比2025年减少2,781.90万元。其中：基本支出9,018.47万元，主要用于保障"
        "在职人员工资福利。"
    )
    found = amounts(text)
    assert yuan(found) == {
        "general_budget_revenue": D("184177000.00"),
        "general_budget_expenditure": D("184177000.00"),
        "general_budget_expenditure_change": D("-27819000.00"),
        "basic_expenditure": D("90184700.00"),
    }
    assert {record["section"] for record in found.values()} == {"fiscal"}


@pytest.mark.parametrize(
    ("text", "phase", "item", "words"),
    [
        (
            "本年度没有财政拨款“三公”经费支出，故本表无数据。",
            "final_accounts",
            "three_public_total",
            "没有",
        ),
        ("2024 年度无“三公”经费财政拨款支出。", "final_accounts", "three_public_total", "无"),
        ("本年度没有财政拨款“三公”经费支出。", "budget", "three_public_total", "没有"),
        (
            "本部门2026 年度没有使用政府性基金预算拨款安排的支出。",
            "budget",
            "fund_budget_expenditure",
            "没有",
        ),
    ],
)
def test_a_stated_zero_is_recorded_with_its_words(text, phase, item, words):
    zero = amounts(text, phase=phase)[item]
    assert (zero["amount_yuan"], zero["amount_text"]) == (D("0.00"), words)
    assert zero["raw_text"] in text and zero["raw_text"].startswith(words)


def test_vehicles_are_purchase_plus_operation_and_procurement_its_three_kinds():
    text = (
        "公务用车购置及运行维护费6.54万元（公务用车购置费0万元，比上年增加0万元；公务用车运行维护费"
        "6.54万元，比上年减少14.85万元。）\n"
        "四、政府采购情况\n2026 年本单位政府采购预算总额43.9 万元，其中，货物类采购预算25.4 万元；"
        "工程类采购预算0 万元；服务类采购预算18.5 万元。"
    )
    found = yuan(amounts(text))
    assert found["vehicle_total"] == found["vehicle_purchase"] + found["vehicle_operation"]
    assert found["vehicle_operation_change"] == D("-148500.00")
    assert [found[f"procurement_{k}"] for k in ("total", "goods", "works", "services")] == [
        D("439000.00"),
        D("254000.00"),
        D("0.00"),
        D("185000.00"),
    ]


def test_state_assets_held_as_of_a_date_and_planned():
    text = (
        "（五）国有资产占用使用及新增资产配置情况：截至2025年12 月底，本单位共有公务用车2 辆，"
        "其中，机要通信用车1 辆，应急保障用车1 辆；单位价值50 万元以上设备0 台，其中，单位价值100 "
        "万元以上设备0 台。2026年拟新增配置公务用车0 辆；新增配备单位价值100 万元以上设备1 台。"
    )
    counts = {c["item"]: (c["count"], c["as_of"]) for c in read(text)["stated_counts"]}
    assert counts == {
        "held_vehicles": (2, "2025-12-31"),  # 12 月底: the month's end
        "held_vehicles_confidential_comms": (1, "2025-12-31"),
        "held_vehicles_emergency": (1, "2025-12-31"),
        "held_equipment_over_500k": (0, "2025-12-31"),
        "held_equipment_over_1m": (0, "2025-12-31"),
        "planned_vehicles": (0, None),
        "planned_equipment_over_1m": (1, None),
    }


@pytest.mark.parametrize(
    ("printed", "as_of"),
    [
        ("截至2025年8月31日", "2025-08-31"),
        ("截止2025 年2 月底", "2025-02-28"),
        ("截至2025 年12 月", "2025-12"),
    ],
)
def test_the_date_a_count_is_stated_as_of(printed, as_of):
    text = Text([Line(1, f"{printed}，本部门共有车辆3辆。")])
    out = Records("k")
    statements.state_assets(out, text, "budget")
    assert [(c["item"], c["count"], c["as_of"]) for c in out["stated_counts"]] == [
        ("held_vehicles", 3, as_of)
    ]


def test_projects_with_performance_targets_counted_and_their_money():
    read_back = read(
        "十五、预算绩效目标设置情况说明\n"
        "本部门共7 个项目纳入绩效目标管理，涉及财政性资金合计339.5 万元。"
    )
    (projects,) = read_back["stated_counts"]
    assert (projects["item"], projects["count"], projects["section"]) == (
        "performance_project_count",
        7,
        "performance",
    )
    (money,) = read_back["stated_amounts"]
    assert (money["item"], money["amount_yuan"]) == ("performance_projects_amount", D("3395000.00"))


def test_a_glossary_term_opens_no_section():
    text = "三、名词解释\n（八）机关运行经费：指行政单位的公用经费。\n2026年，收入预算2,144万元。"
    assert amounts(text)["revenue_total"]["section"] == "narrative"


def test_a_page_number_printed_into_a_sentence():
    found = amounts("2019年一般公共预算机关运行经费预算- 16 -支出1,130.74 万元。")
    assert found["operating_funds"]["amount_yuan"] == D("11307400.00")


# --- phrasings generated: years, units, punctuation, spacing, word orders, changes ------------

THREE_PUBLIC_WORDS = [
    "“三公”经费",
    "三公经费",
    '"三公"经费',
    "‘三公’经费",
    "「三公」经费",
    "“三公”经费预算",
]
BETWEEN = ["", "为", "：", ":", "预算数为", "安排", " "]
UNITS = [("万元", D(10000)), ("元", D(1))]


@pytest.mark.parametrize("year", [2019, 2026])
@pytest.mark.parametrize("words", THREE_PUBLIC_WORDS)
@pytest.mark.parametrize("between", BETWEEN)
@pytest.mark.parametrize(("unit", "factor"), UNITS)
@pytest.mark.parametrize("space", ["", " "])
def test_three_public_total_in_every_phrasing(year, words, between, unit, factor, space):
    statement = f"{words}{between}1,394.49{space}{unit}"
    found = amounts(f"{year}年本部门{statement}，其中：公务接待费10{unit}。", year=year)
    total = found["three_public_total"]
    assert total["raw_text"] == statement
    assert total["amount_yuan"] == (D("1394.49") * factor).quantize(D("0.01"))
    assert found["reception"]["amount_yuan"] == 10 * factor


CHANGES = [  # (printed, reference year, amount in 元 (None: a percentage), amount_text)
    ("比上年增加1.20万元", 2025, "12000.00", "增加1.20万元"),
    ("较2024年减少5,000元", 2024, "-5000.00", "减少5,000元"),
    ("与2025年相比下降2.48 万元", 2025, "-24800.00", "下降2.48万元"),
    ("与上年相比增长3.00万元", 2025, "30000.00", "增长3.00万元"),
    ("较2025年预算持平", 2025, "0.00", "持平"),
    ("与上年度基本持平", 2025, "0.00", "基本持平"),
    ("与上年预算数一致", 2025, "0.00", "一致"),
    ("比2025年预算减少2.5%", 2025, None, "减少2.5%"),
    ("比上年增长12％", 2025, None, "增长12％"),
    ("较去年增加54.13 万元", 2025, "541300.00", "增加54.13万元"),
]


@pytest.mark.parametrize(("change", "year", "amount", "amount_text"), CHANGES)
@pytest.mark.parametrize("comma", ["，", ",", ""])
def test_a_change_after_an_amount_in_every_phrasing(change, year, amount, amount_text, comma):
    found = amounts(f"2026年机关运行经费安排444.39万元{comma}{change}，主要原因是人员增加。")
    record = found["operating_funds_change"]
    assert record["raw_text"] == change
    assert record["amount_text"] == amount_text
    assert record["amount_yuan"] == (D(amount) if amount else None)
    assert record["reference_year"] == year


@pytest.mark.parametrize(("change", "year", "amount", "amount_text"), CHANGES)
def test_a_change_stated_without_its_amount(change, year, amount, amount_text):
    found = amounts(f"2026年“三公”经费预算{change}。")
    assert "three_public_total" not in found
    record = found["three_public_total_change"]
    assert (record["amount_text"], record["reference_year"]) == (amount_text, year)
    assert record["amount_yuan"] == (D(amount) if amount else None)


def test_a_change_names_no_year_where_the_fiscal_year_is_unknown():
    found = amounts("收入预算1,000万元，比上年增加10万元。", year=None)
    assert found["revenue_total_change"]["reference_year"] is None


def test_a_change_opening_the_next_sentence_is_of_a_sole_amount_not_of_a_lists_last_item():
    # a sentence stating one amount: the change after its full stop is that amount's
    sole = amounts("此外，基本支出预算数为6,522.75 万元。与上年相比增加844.58 万元，增长14.87%。")
    assert sole["basic_expenditure_change"]["amount_yuan"] == Decimal("8445800.00")
    explained = amounts(
        "单位预留机动经费预算数为2938.21万元，主要是用于弥补人员经费不足。与上年相比增加964.35万元。"
    )
    assert explained["contingency_reserve_change"]["amount_yuan"] == Decimal("9643500.00")
    # a list's last item: the change is the whole's (here read as no amount's)
    listed = amounts(
        "“三公”经费预算155.70万元，其中：因公出国（境）费0万元，公务接待费81.50万元。"
        "与2020年相比减少34.98万元，原因是：压减开支。"
    )
    assert "reception_change" not in listed


# --- the helpers the template parsers use --------------------------------------------------------


def text_of(*lines: str) -> Text:
    return Text([Line(no, line) for no, line in enumerate(lines, start=1)])


def test_each_items_first_amount_and_what_follows_it():
    out = Records("k")
    text = text_of(
        "支出预算9628.22万元，比2025年预算增加793.14万元，增长8.98%；", "收入预算9628.22万元。"
    )
    statements.amounts(out, "totals", text, "budget", ["revenue_total", "expenditure_total"])
    assert [(r["item"], r["amount_text"], r["line_no"]) for r in out["stated_amounts"]] == [
        ("revenue_total", "9628.22万元", 2),
        ("expenditure_total", "9628.22万元", 1),
        ("expenditure_total_change", "增加793.14万元", 1),
        ("expenditure_total_change_percent", "增长8.98%", 1),
    ]


def test_a_change_read_after_its_words_with_other_statements_between():
    out = Records("k")
    text = text_of(
        "“三公”经费预算安排155.70万元，其中：公务接待费81.50万元。与2020年相比减少34.98万元。"
        "会议费10.00万元，培训费20.00万元，比上年减少15.00万元。"
    )
    changed = ["three_public_change", "meeting_training_change"]
    statements.changes_after(out, "three_public", text, "budget", changed, 2020)
    assert [(r["item"], r["amount_yuan"], r["reference_year"]) for r in out["stated_amounts"]] == [
        ("three_public_change", D("-349800.00"), 2020),
        ("meeting_training_change", D("-150000.00"), 2020),
    ]


def test_final_accounts_changes_stated_after_their_words():
    out = Records("k")
    text = text_of(
        "2024 年度“三公”经费财政拨款支出决算数比2023 年度减少0.15 万元，下降（增长）27.78%，其中："
        "因公出国（境）费支出与上一年度持平；公务接待费支出决算减少0.15 万元，下降27.78%。"
    )
    changed = statements.items_in("final_accounts", "three_public", changes=True)
    statements.standalone_changes(out, "three_public", text, "final_accounts", changed, 2023)
    assert [(r["item"], r["amount_text"], r["reference_year"]) for r in out["stated_amounts"]] == [
        ("three_public_total_change", "减少0.15万元", 2023),
        ("three_public_total_change_percent", "下降（增长）27.78%", 2023),
        ("outbound_change", "持平", 2023),
        ("reception_change", "减少0.15万元", 2023),
        ("reception_change_percent", "下降27.78%", 2023),
    ]


def test_items_with_words_of_their_own_in_a_final_accounts_section():
    assert statements.items_in("final_accounts", "revenue") == [
        *("revenue_total", "fiscal_revenue", "superior_subsidy", "business_revenue"),
        *("operating_revenue", "affiliated_revenue", "other_revenue"),
    ]
    assert statements.items_in("final_accounts", "performance", "count")[0] == (
        "performance_project_count"
    )


@pytest.mark.parametrize(
    ("heading", "phase", "section"),
    [
        ("四、财政拨款“三公”经费预算情况及增减变化原因", "budget", "three_public"),
        ("九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明", "budget", "three_public"),
        ("十一、一般公共预算机关运行经费支出预算情况说明", "budget", "operating_funds"),
        ("十三、政府采购支出预算情况说明", "budget", "procurement"),
        ("八、一般公共预算基本支出预算情况说明", "budget", "basic"),
        ("三、部门收支总体情况", "budget", "totals"),
        ("一、收入支出决算总体情况说明", "final_accounts", "overall"),
        ("四、财政拨款收入支出决算总体情况说明", "final_accounts", "fiscal"),
        ("二、收入决算情况说明", "final_accounts", "revenue"),
        ("一、部门职责及机构设置", "budget", None),
    ],
)
def test_sections_by_the_words_of_their_headings(heading, phase, section):
    assert statements.section_of(heading, phase) == section


# --- the file ----------------------------------------------------------------------------------


def test_every_item_has_a_meaning_and_words_that_compile_in_every_section():
    for item in statements.items().values():
        assert item.meaning and item.words, item.id
        for phase, sections in item.words.items():
            for section in [*sections, None]:
                for form in ("amount", "bare", "words", "change"):
                    statements.pattern(item.id, phase, section, form)
                statements.stated_zero(item.id, phase, section)


def test_the_templates_read_items_the_file_declares():
    named = [*template_b.TOTALS, *sum(template_b.OTHER.values(), [])]
    named += sum(template_b.COUNTS.values(), []) + sum(template_a.ITEMS.values(), [])
    named += sum(template_a.CHANGES.values(), [])
    assert set(named) <= set(statements.items())
    assert all(statements.item(i).read == "after" for i in template_a.CHANGES["three_public"])


def test_the_file_is_read_once():
    statements.items(), statements.grammar(), statements.items()
    assert statements._data.cache_info().currsize == 1


PARSERS = [Path(module.__file__) for module in (template_a, template_b, final_accounts)]
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def statement_words() -> set[str]:
    """The file's words: its sections' headings, and each run of three Chinese characters or
    more of its items' words and grammar (shorter ones are any document's: 预算, 决算, 单位)."""
    data = statements._data()
    texts = [str(data["grammar"])]
    for group in ("amounts", "counts"):
        for item in data[group].values():
            texts += [str(v) for k, v in item.items() if k != "meaning"]
    words = {run for text in texts for run in CJK_RUN.findall(text) if len(run) >= 3}
    return words | {words for section in data["sections"] for words in section["headings"]}


def literals(path: Path) -> list[str]:
    """The string literals of a module's code (its docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", PARSERS, ids=lambda p: p.stem)
def test_no_statement_words_in_the_template_parsers(path):
    words = statement_words()
    left = {run for text in literals(path) for run in CJK_RUN.findall(text) if run in words}
    assert not left, f"{path.name} holds statement words: {sorted(left)}"
