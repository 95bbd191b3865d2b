"""Template A, every section, on the real Nangong 2021 disclosure."""

from collections import Counter
from decimal import Decimal

import pytest

from orchestration.parse import statements
from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.statements import Text


def test_document_identity(sample_records):
    (doc,) = sample_records["documents"]
    assert doc["status"] == "parsed"
    assert (doc["template"], doc["fiscal_year"], doc["level"], doc["kind"]) == (
        "A",
        2021,
        "department",
        "budget",
    )
    assert (doc["department_name"], doc["department_code"], doc["region_text"]) == (
        "市委部门",
        "103",
        "南宫",
    )


def test_duties_are_51_and_keep_their_printed_numbers(sample_records):
    duties = sample_records["duties"]
    assert len(duties) == 51
    numbers = [d["printed_number"] for d in duties]
    assert numbers == list(range(1, 50)) + [51, 52]  # the document skips （五十）
    assert duties[38]["duty_text"].endswith("深入推进反腐败斗争。")  # wrapped line joined


def test_units(sample_records):
    units = sample_records["units"]
    assert len(units) == 14
    assert Counter(u["nature"] for u in units) == {"行政": 13, "事业": 1}
    assert units[-1]["unit_name"] == "南宫市信访局" and units[-1]["table_ordinal"] == 2
    archive = next(u for u in units if u["unit_name"] == "南宫市档案馆")
    assert (archive["rank"], archive["funding_form"]) == ("正科级", "财政性资金基本保证")


def test_stated_amounts(sample_records):
    stated = {s["item"]: s["amount_yuan"] for s in sample_records["stated_amounts"]}
    assert stated == {
        "expenditure_total": Decimal("40023800.00"),
        "basic_expenditure": Decimal("18194200.00"),
        "project_expenditure": Decimal("21829600.00"),
        "operating_funds": Decimal("18194200.00"),
        "three_public_total": Decimal("1557000.00"),
        "outbound": Decimal("0.00"),
        "vehicle_total": Decimal("742000.00"),
        "vehicle_purchase": Decimal("0.00"),
        "vehicle_operation": Decimal("742000.00"),
        "reception": Decimal("815000.00"),
        "meeting": Decimal("100000.00"),
        "training": Decimal("200000.00"),
        "three_public_change": Decimal("-349800.00"),
        "meeting_training_change": Decimal("-150000.00"),
        "procurement_total": Decimal("0.00"),
        "fixed_assets_total": Decimal("0.00"),
        "fixed_assets_planned_purchase": Decimal("0.00"),
    }
    change = next(s for s in sample_records["stated_amounts"] if s["item"] == "three_public_change")
    assert change["raw_text"] == "与2020年相比减少34.98万元" and change["reference_year"] == 2020


def test_goals(sample_records):
    assert len(sample_records["overall_goals"]) == 9
    assert sample_records["overall_goals"][4]["goal_text"].endswith("为全市积极社会发展贡献力量。")
    goals = sample_records["project_goals"]
    with_text = [g for g in goals if g["goal_text"]]
    assert len(with_text) == 56
    stray = [g for g in goals if not g["goal_text"]]  # '31、基层团组织规范化项目' printed twice
    assert [(g["printed_number"], g["project_name"], g["line_no"]) for g in stray] == [
        (31, "基层团组织规范化项目", 397)
    ]
    assert with_text[0]["indicator_text"].startswith("向邢台市委、河北省委上报信息数量")


def test_performance_tables(sample_records):
    tables = sample_records["performance_tables"]
    assert len(tables) == 56
    assert [t["table_ordinal"] for t in tables if t["goal_after_header"]] == [8, 38, 50]
    assert all(t["goal_text"] for t in tables)
    assert tables[42]["goal_text"].endswith("工作。")  # wrapped goal cell joined (line 1079)
    assert tables[27]["project_name"] == tables[29]["project_name"]  # printed twice


def test_indicators(sample_records):
    rows = sample_records["indicators"]
    assert len(rows) == 349
    assert Counter(r["level1"] for r in rows) == {"产出指标": 228, "效益指标": 65, "满意度指标": 56}
    carried = [r for r in rows if not r["level1_printed"]]
    assert carried and all(r["level1"] for r in carried)
    assert not any(r["level1"] == "一级指标" for r in rows)  # page-break headers skipped
    cost = [r for r in rows if r["level2"] == "成本指标"]
    assert len(cost) == 56
    money = [r for r in cost if r["target_is_money"]]
    assert len(money) == 46
    assert sum(r["target_number"] for r in money) == Decimal("16619700")


def test_table_47_swap_is_kept_as_printed(sample_records):
    rows = [r for r in sample_records["indicators"] if r["table_ordinal"] == 47]
    by_level2 = {r["level2"]: r["target_text"] for r in rows}
    assert by_level2["时效指标"] == "≤300 万元"
    assert by_level2["成本指标"] == "及时拨付"


def test_malformed_values_are_kept_with_reasons(sample_records):
    malformed = [
        (r["table_ordinal"], r["target_text"], r["parse_note"])
        for r in sample_records["indicators"]
        if r["parse_status"] == "malformed"
    ]
    assert malformed == [
        (11, "≤12 保障 12 人享受工资", "number mixed with free text"),
        (18, "≤12 保障 12 人享受待遇", "number mixed with free text"),
        (27, "%", "unit without a number"),
        (50, "调查情况", "text where a number is expected"),
        (56, "≥80 单位人员对单位运转保障工作的满意程度%", "number followed by free text"),
    ]


def test_procurement_fixed_assets_and_glossary(sample_records):
    rows = sample_records["table_rows"]
    assert not [r for r in rows if r["section"] == "procurement" and not r["is_header"]]
    assets = [r["cells"][0] for r in rows if r["section"] == "fixed_assets" and not r["is_header"]]
    assert assets[0] == "资产总额" and "2、车辆（台、辆）" in assets
    terms = [g["term"] for g in sample_records["glossary"]]
    assert len(terms) == 10
    assert terms[0] == "一般公共预算拨款收入" and terms[7] == "机关运行费"
    assert sample_records["glossary"][6]["definition"].endswith("公务接待（含外宾接待）支出。")


def test_every_record_points_back_at_its_line(sample_records):
    for table, records in sample_records.items():
        for record in records:
            assert record["document_key"] == sample_records["documents"][0]["document_key"]
            assert record.get("line_no"), table


def test_kind_is_final_accounts_for_a_final_accounts_title_only():
    from orchestration.parse.template_a import FINAL_ACCOUNTS

    assert FINAL_ACCOUNTS.search("南宫市委部门2021年部门决算信息公开情况说明")
    # a law's name in the opening sentence is no final accounts
    assert not FINAL_ACCOUNTS.search(
        "按照《地方预决算公开操作规程》规定，现将2021年部门预算公开如下"
    )


@pytest.mark.parametrize(
    ("sentence", "year", "amount", "amount_text"),
    [
        (
            "“三公”经费预算安排155.70万元。与2020年相比减少34.98万元，原因是",
            2020,
            "-349800",
            "减少34.98万元",
        ),
        ("“三公”经费预算安排155.70万元，比上年减少34.98万元。", 2020, "-349800", "减少34.98万元"),
        ("“三公”经费预算安排155.70万元，较2020年预算下降5,000元。", 2020, "-5000", "下降5,000元"),
        ("“三公”经费预算安排155.70万元，与上年度相比增加1.20万元。", 2020, "12000", "增加1.20万元"),
        ("“三公”经费预算安排155.70万元，与2020年比较持平。", 2020, "0", "持平"),
        ("“三公”经费预算安排155.70万元，比2019年增长3.00万元。", 2019, "30000", "增长3.00万元"),
    ],
)
def test_three_public_change_read_in_every_phrasing(sentence, year, amount, amount_text):
    records = Records("k")  # a 2021 budget: 上年 is 2020
    text = Text([Line(1, sentence)])
    statements.changes_after(records, "three_public", text, "budget", ["three_public_change"], 2020)
    (change,) = records["stated_amounts"]
    assert change["reference_year"] == year
    assert change["amount_yuan"] == Decimal(amount)
    assert change["amount_text"] == amount_text
