"""No silent losses: a figure no record holds is listed with its line and the text around it,
and a document's share of captured figures is kept (`orchestration.parse.coverage`)."""

from __future__ import annotations

from conftest import SAMPLE

from orchestration.parse.coverage import number_coverage
from orchestration.parse.document import parse_bytes
from orchestration.parse.layout import Line


def test_years_list_numbers_and_page_numbers_are_no_figures():
    lines = [
        Line(1, "1、2025年预算安排38.5万元，比2024年增加1,202.95万元。", page=1),
        Line(2, "（2）共有编制12人。", page=1),
        Line(3, "- 3 -", page=1),
        Line(4, "12", page=2),
    ]
    printed, uncaptured = number_coverage(lines, {})
    assert printed == 3  # 38.5, 1,202.95 and 12
    assert [(u["line_no"], u["number_text"]) for u in uncaptured] == [
        (1, "38.5"),
        (1, "1,202.95"),
        (2, "12"),
    ]
    assert uncaptured[0]["context"] == "1、2025年预算安排38.5万元，比2024年增加1,202.95万元。"


def test_a_figure_is_held_once_per_record_field_that_holds_it():
    lines = [Line(1, "合计\t938.99\t938.99", page=3), Line(2, "备注：938.99", page=3)]
    records = {"table_rows": [{"line_no": 1, "amount_text": "938.99", "raw_text": "938.99"}]}
    printed, uncaptured = number_coverage(lines, records)
    assert printed == 3
    assert [(u["line_no"], u["number_text"]) for u in uncaptured] == [(1, "938.99"), (2, "938.99")]


def test_a_figure_the_parser_did_not_place_is_reported_not_dropped():
    text = SAMPLE.read_text(encoding="utf-8")
    marker = "六、政府采购预算情况"
    added = text.replace(marker, "另：追加专项资金88.88万元（待批复）。\n" + marker, 1)
    records = parse_bytes(added.encode("utf-8"))
    document = records["documents"][0]
    assert document["status"] == "parsed"
    missed = [u for u in records["uncaptured_numbers"] if u["number_text"] == "88.88"]
    assert len(missed) == 1
    assert missed[0]["context"] == "另：追加专项资金88.88万元（待批复）。"
    assert document["numbers_printed"] - document["numbers_captured"] == len(
        records["uncaptured_numbers"]
    )
    assert document["numbers_captured"] / document["numbers_printed"] > 0.99


def test_the_sample_keeps_each_documents_share_and_its_missed_figures(sample_warehouse):
    shares = sample_warehouse.execute("""select numbers_printed, numbers_captured, captured_share
        from marts.dim_document order by document_key""").fetchall()
    assert all(share >= 0.99 for _, _, share in shares)
    assert all(captured <= printed for printed, captured, _ in shares)
    (missed,) = sample_warehouse.execute("select count(*) from raw.uncaptured_numbers").fetchone()
    assert missed == sum(printed - captured for printed, captured, _ in shares)
    # e.g. the Putuo budgets' threshold "单价100万元（含）以上设备", which no record holds
    assert sample_warehouse.execute("""select count(*) from raw.uncaptured_numbers
        where number_text = '100' and context like '%单价100万元（含）以上设备%'""").fetchone() == (
        8,
    )


def test_numbers_that_are_no_figures_are_not_counted():
    """A document's number, a telephone number, a contents entry's page, a table's label and a
    list's number inside a text (not_figures.yaml)."""
    lines = [
        Line(1, "根据《通知》（苏财预﹝2016﹞53 号）和（2024）87号，编制预算100.00万元。"),
        Line(2, "联系电话：023-62661253，0595 22500001"),
        Line(3, "第二部分 2026年度部门预算表 ............... 6"),
        Line(4, "公开01表\t公开表4\t附表2"),
        Line(5, "表1"),
        Line(6, "1.落实中央部署。2.认真做好接待，费用5.00万元。"),
    ]
    printed, uncaptured = number_coverage(lines, {})
    assert [u["number_text"] for u in uncaptured] == ["100.00", "5.00"]
    assert printed == 2


def test_a_quantity_a_narrative_states_is_held_with_its_measure_word():
    text = (
        "2026年部门预算\n本部门2026年收入预算500.00万元，支出预算500.00万元。\n"
        "计划组织委员视察2-3 次，办理提案约900 件，接待来访群众200 多人。\n"
        "机关运行经费预算50.00万元，比上年增加5.00万元。\n" * 2
    )
    records = parse_bytes(("临江市政协办公室" + text).encode("utf-8"))
    counts = [(c["count"], c["unit"]) for c in records["stated_counts"] if c["item"] == "quantity"]
    assert counts[:3] == [(2, "次"), (900, "件"), (200, "人")]
    assert records["documents"][0]["numbers_captured"] == records["documents"][0]["numbers_printed"]
