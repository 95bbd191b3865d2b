"""Numbered functional lines in the forms real narratives print them, each written here as a
sentence of that form (`orchestration.parse.functional_lines`)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from orchestration.parse.functional_lines import numbered_path, read_functional_line

OFFICE = ("一般公共服务支出", "政府办公厅（室）及相关机构事务", "行政运行")


@pytest.mark.parametrize(
    ("text", "names", "codes", "amount"),
    [
        (  # quoted markers, the word 科目 before the amount
            "3.“一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）”科目"
            "43.83万元，主要用于机关运行。",
            OFFICE,
            (None, None, None),
            "438300.00",
        ),
        (  # a quoted dash path and 科目
            "2、“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，"
            "主要用于机关运行。",
            OFFICE,
            (None, None, None),
            "12029500.00",
        ),
        (  # unquoted, codes in the markers
            "5、公共安全支出（204类）司法（06款）行政运行（01项）1,690.69万元，主要用于司法行政。",
            ("公共安全支出", "司法", "行政运行"),
            ("204", "06", "01"),
            "16906900.00",
        ),
        (  # an unquoted dash path with en dashes, the amount in 元 after 预算数为
            "7．教育支出–普通教育–小学教育 预算数为4,383,000元，主要用于教学。",
            ("教育支出", "普通教育", "小学教育"),
            (None, None, None),
            "4383000.00",
        ),
        (  # each part's own code printed before it, 「」 quotes
            "8、「201一般公共服务支出—03政府办公厅（室）及相关机构事务—01行政运行」安排50万元。",
            OFFICE,
            ("201", "03", "01"),
            "500000.00",
        ),
        (  # a full code before the 项, two parts
            '9. "商贸事务-2011301 行政运行"科目12.5万元。',
            (None, "商贸事务", "行政运行"),
            ("201", "13", "01"),
            "125000.00",
        ),
    ],
)
def test_path_forms(text, names, codes, amount):
    line = read_functional_line(text)
    assert (line["class_name"], line["item_name"], line["subitem_name"]) == names
    assert (line["class_code"], line["item_code"], line["subitem_code"]) == codes
    assert line["amount_yuan"] == D(amount)
    assert line["function_code"] == ("".join(codes) if all(codes) else None)


@pytest.mark.parametrize(
    ("sentence", "change_text", "percent"),
    [
        ("比2025年预算减少35.2万元，下降2.84%", "减少35.2万元，下降2.84%", "-2.84"),
        ("比2025年预算增加12万元", "增加12万元", None),
        ("与2025年相比增长3.5%", "增长3.5%", "3.5"),
        ("较2025年下降0.4%", "下降0.4%", "-0.4"),
        ("比2025年预算持平", "持平", "0"),
        ("比2025年上升10%", "上升10%", "10"),
    ],
)
def test_changes_with_or_without_a_percentage(sentence, change_text, percent):
    line = read_functional_line(
        f"1、“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，{sentence}，"
        "主要原因是人员调整。"
    )
    assert (line["change_text"], line["reason"]) == (change_text, "人员调整")
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


@pytest.mark.parametrize(
    "text",
    [
        "1、部门职责：负责本区商务工作。",  # a numbered paragraph, no path
        "2、2025-2026年度重点工作安排如下。",  # a dash between years is no path
        "3、教育-培训，另行安排。",  # one Chinese character a side, no amount
        "1.5万元用于培训",  # a number, not a numbered paragraph
    ],
)
def test_other_numbered_paragraphs_start_no_functional_line(text):
    assert numbered_path(text) is None


def test_a_line_whose_amount_is_not_understood_is_kept_with_its_name():
    line = read_functional_line(
        "6、“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”详见附表。"
    )
    assert line["subitem_name"] == "机关事业单位基本养老保险缴费支出"
    assert (line["amount_text"], line["amount_yuan"]) == (None, None)
