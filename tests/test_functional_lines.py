"""The lines a narrative explains one by one, in the forms real narratives print them, each
written here as a sentence of that form (`orchestration.parse.functional_lines`): the path and
its code (printed, from the classification, or under the heading above the line), the amount,
the change, the purpose and the reason, and the whole text kept."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from orchestration.parse.functional_lines import (
    add_functional_lines,
    numbered_path,
    paragraphs,
    read_functional_line,
)
from orchestration.parse.layout import Line
from orchestration.parse.records import Records

OFFICE = ("一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行")


def lines_of(*texts: str, page: int = 1) -> list[Line]:
    return [Line(no, text, page) for no, text in enumerate(texts, start=1)]


def read_all(*texts: str, listed: bool = False, sections: dict | None = None) -> list[dict]:
    """The records of a narrative printed as `texts`, one text a line."""
    out = Records("doc")
    add_functional_lines(out, lines_of(*texts), read_functional_line, sections, listed)
    return out.get("functional_lines", [])


# --- one line read alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "codes", "amount", "code", "source"),
    [
        (  # quoted markers, the word 科目 before the amount
            "3.“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”科目"
            "43.83万元，主要用于机关运行。",
            OFFICE,
            (None, None, None),
            "438300.00",
            "2010301",
            "classification",
        ),
        (  # a quoted dash path and 科目
            "2、“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，"
            "主要用于机关运行。",
            OFFICE,
            (None, None, None),
            "12029500.00",
            "2010301",
            "classification",
        ),
        (  # unquoted, codes in the markers
            "5、公共安全支出（204类）司法（06款）行政运行（01项）1,690.69万元，主要用于司法行政。",
            ("公共安全支出", "司法", "行政运行"),
            ("204", "06", "01"),
            "16906900.00",
            "2040601",
            "printed",
        ),
        (  # an unquoted dash path with en dashes, the amount in 元 after 预算数为
            "7．教育支出–普通教育–小学教育 预算数为4,383,000元，主要用于教学。",
            ("教育支出", "普通教育", "小学教育"),
            (None, None, None),
            "4383000.00",
            "2050202",
            "classification",
        ),
        (  # each part's own code printed before it, 「」 quotes
            "8、「201一般公共服务支出—03政府办公厅（室）及相关机构事务—01行政运行」安排50万元。",
            OFFICE,
            ("201", "03", "01"),
            "500000.00",
            "2010301",
            "printed",
        ),
        (  # a full code before the 项, two parts
            '9. "商贸事务-2011301 行政运行"科目12.5万元。',
            (None, "商贸事务", "行政运行"),
            ("201", "13", "01"),
            "125000.00",
            "2011301",
            "printed",
        ),
        (  # an ordinal in brackets, a code, a dash and the 项's name: no space before 万元
            "（一）2010301-行政运行3452.35 万元。主要用于行政单位在编在职人员工资福利支出。",
            (None, None, "行政运行"),
            ("201", "03", "01"),
            "34523500.00",
            "2010301",
            "printed",
        ),
        (  # 款 and 项 markers, no 类: the 款 is the classification's one of that name
            "3.审计事务（款）事业运行（项）支出225.13 万元，与上年相比增加10.09 万元，增长4.69%。"
            "主要原因是人员经费增加。",
            (None, "审计事务", "事业运行"),
            (None, None, None),
            "2251300.00",
            "2010850",
            "classification",
        ),
        (  # the 项's name ends in 支出: the amount follows the marker directly
            "5.政协事务（款）其他政协事务支出（项）100 万元，与上年相比减少191 万元，下降65.64%。",
            (None, "政协事务", "其他政协事务支出"),
            (None, None, None),
            "1000000.00",
            "2010299",
            "classification",
        ),
        (  # a 类 alone, quoted, with 科目
            "1.“一般公共服务支出”科目1,744万元，主要用于人员经费、公用经费等基本支出。",
            ("一般公共服务支出", None, None),
            (None, None, None),
            "17440000.00",
            "201",
            "classification",
        ),
        (  # a 类 alone, unquoted, its 支出 after the marker; 1、 and no space
            "2、社会保障和就业（类）支出1509.72万元，主要用于发放离退休人员离退休金等。",
            ("社会保障和就业", None, None),
            (None, None, None),
            "15097200.00",
            "208",
            "classification",
        ),
        (  # a 类's name alone, bare, (1) in half-width brackets
            "(1)住房保障支出 2,247.04 万元，主要用于缴纳住房公积金。",
            ("住房保障支出", None, None),
            (None, None, None),
            "22470400.00",
            "221",
            "classification",
        ),
        (  # 一、 and a code printed in the marker of the 类 only
            "一、一般公共服务支出（201类）人大事务（款）行政运行（项）12 万元。",
            ("一般公共服务支出", "人大事务", "行政运行"),
            ("201", None, None),
            "120000.00",
            "2010101",
            "classification",
        ),
    ],
)
def test_path_forms(text, names, codes, amount, code, source):
    line = read_functional_line(text)
    assert (line["class_name"], line["item_name"], line["subitem_name"]) == names
    assert (line["class_code"], line["item_code"], line["subitem_code"]) == codes
    assert line["amount_yuan"] == D(amount)
    assert (line["function_code"], line["code_source"], line["classification"]) == (
        code,
        source,
        "function",
    )
    assert line["economic_code"] is None


@pytest.mark.parametrize(
    ("sentence", "change_text", "change_yuan", "percent"),
    [
        ("比2025年预算减少35.2万元，下降2.84%", "减少35.2万元，下降2.84%", "-352000.00", "-2.84"),
        ("比2025年预算增加12万元", "增加12万元", "120000.00", None),
        ("与2025年相比增长3.5%", "增长3.5%", None, "3.5"),
        ("较2025年下降0.4%", "下降0.4%", None, "-0.4"),
        ("比2025年预算持平", "持平", "0.00", "0"),
        ("比2025年上升10%", "上升10%", None, "10"),
        ("与上年相比增加27.86 万元，增长1.2%", "增加27.86万元，增长1.2%", "278600.00", "1.2"),
        ("与上年相比减少55 万元，减少13.95%", "减少55万元，减少13.95%", "-550000.00", "-13.95"),
        ("与上年数一致", "一致", "0.00", "0"),
        ("与上年预算数相同", "相同", "0.00", "0"),
        ("比上年增加9,800元", "增加9,800元", "9800.00", None),
    ],
)
def test_changes_with_or_without_an_amount_or_a_percentage(
    sentence, change_text, change_yuan, percent
):
    line = read_functional_line(
        f"1、“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，{sentence}，"
        "主要原因是人员调整。"
    )
    assert (line["change_text"], line["reason"]) == (change_text, "人员调整")
    assert line["change_yuan"] == (D(change_yuan) if change_yuan is not None else None)
    assert line["change_percent"] == (D(percent) if percent is not None else None)


def test_prior_year_planned_amount_and_purpose():
    line = read_functional_line(
        "4、“住房保障支出-住房改革支出-住房公积金”208.8万元，主要用于缴纳住房公积金；"
        "2025年当年预算执行数为196.3万元，2026年预算安排201.50万元，比2025年增加2.65%。"
    )
    assert (line["purpose"], line["prior_year"], line["prior_amount_yuan"]) == (
        "缴纳住房公积金",
        2025,
        D("1963000.00"),
    )
    assert (line["planned_amount_text"], line["change_percent"]) == ("201.50万元", D("2.65"))
    assert line["function_code"] == "2210201"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.审计事务（款）行政运行（项）支出10 万元。", 1),
        ("2、审计事务（款）行政运行（项）支出10 万元。", 2),
        ("3．审计事务（款）行政运行（项）支出10 万元。", 3),
        ("（4）审计事务（款）行政运行（项）支出10 万元。", 4),
        ("(5)审计事务（款）行政运行（项）支出10 万元。", 5),
        ("（十一）审计事务（款）行政运行（项）支出10 万元。", 11),
        ("六、审计事务（款）行政运行（项）支出10 万元。", 6),
    ],
)
def test_ordinals(text, number):
    line = read_all(text)[0]
    assert (line["printed_number"], line["function_code"], line["amount_yuan"]) == (
        number,
        "2010801",
        D("100000.00"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "1、部门职责：负责本区商务工作。",  # a numbered paragraph, no path
        "2、2025-2026年度重点工作安排如下。",  # a dash between years is no path
        "3、教育-培训，另行安排。",  # one Chinese character a side, no amount
        "4、政府采购-货物类 50万元。",  # names no classification knows
        "1.5万元用于培训",  # a number, not a numbered paragraph
        "3．公务接待费预算支出27万元，与上年预算数一致。",  # no classification's path
        "（一）人员经费5080.69 万元，主要包括：基本工资、津贴补贴。",  # no path either
        "3．教育支出 (类) 普通教育 (款) 职业教育 (项)：反映各部门举办的职业学校教育支出",  # a term
        "第三部分 一般公共服务支出",  # a part's heading
    ],
)
def test_other_paragraphs_start_no_line(text):
    assert numbered_path(text) is None


def test_a_line_whose_amount_is_not_understood_is_kept_with_its_name():
    line = read_functional_line(
        "6、“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”详见附表。"
    )
    assert line["subitem_name"] == "机关事业单位基本养老保险缴费支出"
    assert (line["amount_text"], line["amount_yuan"]) == (None, None)
    assert line["function_code"] == "2080505"


def test_a_printed_code_is_kept_as_printed_and_its_name_compared():
    # 2010350 is 事业运行: the document's pairing is kept, and said not to match
    line = read_functional_line("（三）2010350-行政运行493.91 万元。主要用于人员经费。")
    assert (line["function_code"], line["code_source"], line["code_matches_name"]) == (
        "2010350",
        "printed",
        False,
    )
    assert read_functional_line("（一）2010301-行政运行1 万元。")["code_matches_name"] is True


# --- lines under their heading ---------------------------------------------------------------


def test_lines_under_a_heading_take_its_class():
    records = read_all(
        "（一）一般公共服务支出（类）",
        "1.审计事务（款）行政运行（项）支出2,342 万元，与上年相比增加27.86 万元，增长1.2%。主要",
        "原因是人员经费增加。",
        "（二）住房保障支出（类）",
        "1.住房改革支出（款）住房公积金（项）支出345.48 万元，与上年相比减少11.97 万元，减少",
        "3.59%。主要原因是基数调整。",
    )
    assert [(r["class_name"], r["item_name"], r["subitem_name"]) for r in records] == [
        ("一般公共服务支出", "审计事务", "行政运行"),
        ("住房保障支出", "住房改革支出", "住房公积金"),
    ]
    assert [(r["function_code"], r["code_source"]) for r in records] == [
        ("2010801", "heading"),
        ("2210201", "heading"),
    ]
    first, second = records
    assert (first["change_yuan"], first["change_percent"], first["reason"]) == (
        D("278600.00"),
        D("1.2"),
        "人员经费增加",
    )
    assert (second["change_yuan"], second["change_percent"]) == (D("-119700.00"), D("-3.59"))
    assert first["raw_text"] == (
        "1.审计事务（款）行政运行（项）支出2,342 万元，与上年相比增加27.86 万元，增长1.2%。"
        "主要原因是人员经费增加。"
    )


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("（一）一般公共服务支出（类）人大事务（款）", "2010101"),
        ("（一）一般公共服务支出（类）政协事务（款）", "2010201"),
        ("（一）一般公共服务支出-政府办公厅（室）及相关机构事务", "2010301"),
        ("一、公共安全支出（类）公安（款）", "2040201"),
    ],
)
def test_a_name_shared_by_many_codes_is_told_by_its_heading(heading, code):
    text = "2.行政运行（项）支出1,000 元。"
    assert read_functional_line(text)["function_code"] is None  # alone: never guessed
    (line,) = read_all(heading, text)
    assert (line["function_code"], line["code_source"], line["subitem_name"]) == (
        code,
        "heading",
        "行政运行",
    )
    assert (line["amount_text"], line["amount_yuan"]) == ("1,000 元", D("1000.00"))


def test_a_heading_by_the_class_name_alone():
    (line,) = read_all("（一）一般公共服务支出", "1.审计事务（款）行政运行（项）100 万元。")
    assert (line["class_name"], line["function_code"]) == ("一般公共服务支出", "2010801")


def test_another_numbered_paragraph_ends_the_heading():
    records = read_all(
        "（一）一般公共服务支出（类）人大事务（款）",
        "（二）其他说明：以下按项列示。",
        "1.行政运行（项）10 万元。",
    )
    assert (records[0]["class_name"], records[0]["function_code"]) == (None, None)


def test_economic_lines_under_their_class():
    records = read_all(
        "（一）人员经费4,704.35 万元",
        "1、工资福利支出（类）2,097.51 万元",
        "（1）基本工资（款）支出737.94 万元。用于发放机关公务员的职务工资。",
        "（2）住房公积金（款）支出341.75 万元。用于缴纳住房公积金。",
        "2、对个人和家庭的补助支出（类）2,606.84 万元",
        "（1）住房公积金（款）支出12.50 万元。用于缴纳离休人员住房公积金。",
        "商品和服务支出（类）1,131.92 万元",
        "（1）办公费（款）支出110 万元。用于单位购买办公用品。",
        "（2）维修（护）费（款）支出100 万元。反映单位日常维修费用。",
    )
    got = [
        (r["classification"], r["economic_code"], r["code_source"], r["amount_yuan"])
        for r in records
    ]
    assert got == [
        ("economic", "301", "classification", D("20975100.00")),
        ("economic", "30101", "heading", D("7379400.00")),
        ("economic", "30113", "heading", D("3417500.00")),  # 住房公积金 under 工资福利支出
        ("economic", "303", "classification", D("26068400.00")),
        ("economic", "30311", "heading", D("125000.00")),  # the same name under 303
        ("economic", "302", "classification", D("11319200.00")),
        ("economic", "30201", "heading", D("1100000.00")),
        ("economic", "30213", "heading", D("1000000.00")),
    ]
    assert [r["printed_number"] for r in records] == [1, 1, 2, 2, 1, None, 1, 2]
    assert all(r["function_code"] is None for r in records)
    assert records[1]["purpose"] == "发放机关公务员的职务工资"
    assert records[7]["purpose"] == "单位日常维修费用"


def test_a_name_in_two_places_of_one_classification_is_no_code_alone():
    (line,) = read_all("（5）住房公积金（款）支出341.75 万元。")
    assert (line["classification"], line["economic_code"], line["code_source"]) == (
        "economic",
        None,
        None,
    )


# --- paragraphs ------------------------------------------------------------------------------


def test_page_furniture_inside_a_line_is_left_out():
    body = [
        Line(1, "苏州市某局2026 年度部门预算公开", 1),
        Line(2, "1.审计事务（款）行政运行（项）支出339.5 万元，", 1),
        Line(3, "- 25 -", 1),
        Line(4, "苏州市某局2026 年度部门预算公开", 2),
        Line(5, "与上年相比减少55.03 万元，减少13.95%。主要原因是项目支出减", 2),
        Line(6, "少。", 2),
        Line(7, "苏州市某局2026 年度部门预算公开", 3),
    ]
    ((_, text),) = [p for p in paragraphs(body) if p[1].startswith("1.")]
    assert text == (
        "1.审计事务（款）行政运行（项）支出339.5 万元，与上年相比减少55.03 万元，减少13.95%。"
        "主要原因是项目支出减少。"
    )


def test_a_line_ends_at_a_full_stop_unless_the_next_line_goes_on_with_its_words():
    records = read_all(
        "3.住房保障（类）支出1,093.52 万元，主要用于发放单位职工提租补贴。",
        "与上年相比增加466.32 万元，增长74.35%。",
        "主要原因是基数调整。",
        "此外，基本支出预算数为5,916.27 万元。与上年相比增加498.72 万元。",
    )
    (line,) = records
    assert (line["change_text"], line["reason"]) == ("增加466.32万元，增长74.35%", "基数调整")
    assert "此外" not in line["raw_text"]


def test_a_line_without_its_own_change_takes_none_from_the_next_paragraph():
    (line,) = read_all(
        "2.社会保障和就业（类）支出1,509.72 万元，主要用于发放离退休金。",
        "项目支出预算数为3,123.68 万元。与上年相比增加191 万元。",
    )
    assert (line["change_text"], line["change_yuan"]) == (None, None)


# --- lines listed in a sentence --------------------------------------------------------------


def test_classes_listed_in_a_sentence():
    records = read_all(
        "（二）支出预算：2026 年年初预算数174,900.64万元，其中：一般公共服务支出23,103.76万元，",
        "教育支出55,670.32万元，住房保障支出1,947.94 万元。支出比2025 年减少86,685.29万元。",
        listed=True,
        sections={1: "expenditure", 2: "expenditure"},
    )
    got = [(r["function_code"], r["amount_yuan"], r["form"], r["section"]) for r in records]
    assert got == [
        ("201", D("231037600.00"), "listed", "expenditure"),
        ("205", D("556703200.00"), "listed", "expenditure"),
        ("221", D("19479400.00"), "listed", "expenditure"),
    ]
    assert [r["raw_text"] for r in records] == [
        "一般公共服务支出23,103.76万元，",
        "教育支出55,670.32万元，",
        "住房保障支出1,947.94 万元。",
    ]
    assert all(r["printed_number"] is None and r["change_text"] is None for r in records)


def test_a_listed_class_with_its_purpose_and_share():
    (line,) = read_all(
        "（二）项目支出：2026 年本单位项目支出预算417.41 万元，其中：一般公共服务支出417.41",
        "万元，主要用于信访业务工作专项。",
        listed=True,
    )
    assert (line["class_name"], line["amount_yuan"], line["purpose"]) == (
        "一般公共服务支出",
        D("4174100.00"),
        "信访业务工作专项",
    )


@pytest.mark.parametrize(
    "text",
    [
        "其中：基本支出4,312.17 万元，项目支出339.5 万元。",  # no class of a classification
        "其中：工资福利支出2,097.51 万元。",  # an economic class: no functional line
        "包括一般公共服务支出",  # no amount
    ],
)
def test_lists_of_other_things_are_no_lines(text):
    assert read_all(text, listed=True) == []


def test_lists_are_read_only_when_asked():
    assert read_all("其中：一般公共服务支出23,103.76万元。") == []
