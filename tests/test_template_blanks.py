"""Template blanks left unfilled (orchestration/parse/blanks.py, template_blanks.yaml): found in
lines of many phrasings, counted on the district's official template, never on real documents.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from orchestration.load.schema import raw_tables
from orchestration.parse.blanks import compiled, find_blanks, load_patterns, split_first
from orchestration.parse.document import parse_bytes
from orchestration.parse.layout import Line

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "tests" / "fixtures" / "putuo_2024_department_final_accounts_template.pdf"
# the real documents with a text layer, the sample's and the national corpus' disclosures
REAL = sorted(
    p
    for p in (ROOT / "sample").rglob("*")
    if p.suffix in (".pdf", ".txt")
    and p.is_file()
    and "scanned" not in p.name
    and "report" not in p.name
)


def lines_of(*texts: str) -> list[Line]:
    return [Line(no, text, page=1) for no, text in enumerate(texts, start=1)]


def kinds(*texts: str) -> list[str]:
    return [blank["blank"] for blank in find_blanks(lines_of(*texts))]


X_RUNS = ["XX", "XXX", "XXXXXXXX", "××", "ＸＸ", "xx", "ｘｘ"]
AMOUNT_WORDS = ["收入总计", "合计", "增加", "减少", "支出", "为", "支出决算为", "共", "约", "达到"]
PERCENT_WORDS = ["增长", "下降", "占", "完成年初预算的", "为", "提高"]
SPACES = ["", " ", "\u3000", "  "]
MONEY = ["万元", "元", "亿元"]

BLANK = [
    *[(f"上海市{x}局2024年度部门决算", "name_blank") for x in X_RUNS],
    *[(f"纳入{x}单位编制范围", "name_blank") for x in X_RUNS],
    *[(f"全年安排因公出国（境）团组{x} 个", "name_blank") for x in ("XX", "××")],
    *[(f"收入支出总计{x}{s}万元。", "amount_blank") for x in X_RUNS for s in SPACES[:2]],
    *[(f"公务接待支出{x} 万（含外宾）", "amount_blank") for x in ("XX", "ＸＸ")],
    *[(f"采购金额{u}元", "amount_blank") for u in ("____", "＿＿＿")],
    *[(f"增长（下降）{x}%。", "percent_blank") for x in X_RUNS],
    ("占X％；", "percent_blank"),
    ("占____%", "percent_blank"),
    *[(f"截至20{x}年12月31日", "year_blank") for x in ("XX", "××", "ＸＸ")],
    *[(f"{x}年度部门决算", "year_blank") for x in ("XX", "XXXX", "____")],
    *[
        (f"{w}{s}{u}，主要原因是", "amount_missing")
        for w in AMOUNT_WORDS
        for s in SPACES
        for u in MONEY
    ],  # fmt: skip
    *[(f"与上年相比{w}{s}%。", "percent_missing") for w in PERCENT_WORDS for s in SPACES],
    ("增长％，", "percent_missing"),
    ("某某单位2024年部门预算", "mou_blank"),
    ("填报人：________", "underscore_blank"),
    ("负责人：＿＿＿＿", "underscore_blank"),
    *[
        (f"详见附件{b}。", "empty_brackets")
        for b in ("（ ）", "（）", "( )", "()", "【 】", "〔〕")
    ],
    ("[ ]项目", "empty_brackets"),
    ("主要原因：人员调整。（如持平作持平表述）", "template_note"),
    ("其他对个人和家庭的补助（不涉及的不列）；", "template_note"),
    ("主要职能（由主管部门根据三定方案填写）", "template_note"),
]

NOT_BLANK = [
    "单位：万元",
    "单位: 元",
    "金额单位：万元",
    "（金额单位：万元）",
    "单位为万元",
    "本表以万元为单位",
    "预算数（万元）\t决算数（万元）",
    "项目\t本年支出\t万元",
    "（一）一般公共预算财政拨款支出决算总体情况",
    "（二）\t（三）\t（五十二）",
    "一般公共服务支出（类）财政事务（款）行政运行（项）",
    "支出决算为0 万元，完成年初预算的0.00%。",
    "增加0.00 万元，增长0.00%",
    "收入支出总计9746.50 万元",
    "公务接待费支出4.18 万\n元。",
    "占100%",
    "≥95%",
    "满意程度%",
    "满意度\t%\t调查问卷",
    "任务完成率(%)\t≥90",
    "政府采购率（%）",
    "单价100 万元（含）以上设备",
    "元旦慰问",
    "商务单元更新",
    "多元化发展",
    "XXL号服装",
    "Xbox",
    "xxe.docx",
    "print()",
    "file__name",
    "某项目",
    "共计3个项目",
    "2024年12月31日",
]


@pytest.mark.parametrize(("text", "kind"), BLANK)
def test_a_blank_is_found_once_with_its_kind(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize("text", NOT_BLANK)
def test_printed_text_is_no_blank(text):
    assert kinds(*text.split("\n")) == []


def test_a_blank_wrapped_across_lines_is_found_on_its_first_line():
    lines = lines_of("上海市普陀区规划和自然资源局2024 年度收入支出总计", "万元，与2023 年度相比")
    (blank,) = find_blanks(lines)
    assert (blank["line_no"], blank["blank"]) == (1, "amount_missing")
    assert blank["text"] == "区规划和自然资源局2024 年度收入支出总计 万元，与2023 年度相比"
    (blank,) = find_blanks(lines_of("教育支出（类）XXX", "万元，占XX%"))[:1]
    assert (blank["line_no"], blank["blank"], blank["blank_text"]) == (
        1,
        "amount_blank",
        "XXX 万元",
    )
    # a unit on a line of its own after a table's header is the table's unit, no blank
    assert find_blanks(lines_of("项目\t本年支出合计", "万元")) == []


def test_a_blank_names_its_page_line_and_the_text_around_it():
    lines = [Line(7, "第一部分"), Line(9, "上海市XX 局概况\t说明", page=3)]
    (blank,) = find_blanks(lines)
    assert blank == {
        "line_no": 9,
        "page": 3,
        "blank": "name_blank",
        "blank_text": "XX",
        "text": "上海市XX 局概况 说明",
        "expected": "a name, figure or text",
    }


def test_one_pass_finds_what_the_patterns_find_one_by_one():
    """The fast alternation (one branch per first character) finds the matches the patterns'
    plain alternation finds, in the same order."""
    regex, _ = compiled()
    plain = re.compile("|".join(f"(?:{p.pattern})" for p in load_patterns()))
    texts = [t for t, _ in BLANK] + NOT_BLANK + ["\n".join(line.text for line in template())]
    for text in texts:
        found = [(m.span(), m.group()) for m in regex.finditer(text)]
        assert found == [(m.span(), m.group()) for m in plain.finditer(text)], text


def test_a_pattern_must_start_where_the_scan_looks(tmp_path):
    assert split_first("(?:为|增长)万元") == [("为", "万元"), ("增", "长万元")]
    assert split_first("[（(]）") == [("（", "）"), ("(", "）")]
    bad = tmp_path / "blanks.yaml"
    for pattern in ("\\s+万元", "[^0-9]万元", "(?:为|增长)?万元", "[XY]+", "(X)X"):
        bad.write_text(
            f"patterns:\n  - name: x\n    pattern: '{pattern}'\n    expected: e\n    reason: r\n",
            encoding="utf-8",
        )
        with pytest.raises(ValueError):
            load_patterns(bad)


def template() -> list[Line]:
    from orchestration.read.pdf import read_pdf

    return read_pdf(TEMPLATE.read_bytes())


@pytest.fixture(scope="module")
def template_records():
    return parse_bytes(TEMPLATE.read_bytes(), {"source_name": "test"})


def test_the_official_template_blanks_are_all_found(template_records):
    blanks = template_records["template_blanks"]
    assert Counter(b["blank"] for b in blanks) == {
        "name_blank": 82,  # 上海市XX局 on every page that names it, XX个, XXXXXXXX (reasons)
        "amount_blank": 67,  # XXX 万元
        "percent_blank": 25,  # XX%
        "template_note": 11,  # （如持平作持平表述）, （不涉及的不列）
    }
    first = blanks[0]
    assert (first["page"], first["line_no"], first["text"]) == (1, 1, "上海市XX 局")
    pages = {
        kind: sorted({b["page"] for b in blanks if b["blank"] == kind}) for kind in kinds_of(blanks)
    }
    assert pages["amount_blank"] == list(range(15, 22))  # 部门决算情况说明, pages 15-21
    assert pages["percent_blank"] == [15, 16, 17, 18, 20]
    assert 1 in pages["name_blank"] and 22 in pages["name_blank"]  # the cover, 名词解释
    assert [b["ordinal"] for b in blanks] == list(range(1, len(blanks) + 1))
    for blank in blanks:  # records of the raw table, placed
        assert blank.keys() <= raw_tables()["template_blanks"].names
        assert blank["page"] and blank["line_no"] and blank["text"]


def kinds_of(blanks: list[dict]) -> list[str]:
    return list(dict.fromkeys(b["blank"] for b in blanks))


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_documents_print_no_blank(path):
    records = parse_bytes(path.read_bytes(), {"source_name": "test"})
    assert records["documents"][0]["status"] == "parsed"
    assert records["template_blanks"] == []


def test_the_sample_records_hold_the_table(sample_records):
    assert sample_records["template_blanks"] == []
