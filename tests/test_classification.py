"""The national classifications and the region gazetteer (`orchestration.parse.classification`):
real codes and names, the ambiguity rule, and every code/name pair the bundled sample prints."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from orchestration.formats import sniff_format
from orchestration.parse.classification import (
    DATA,
    economic_code,
    economic_name,
    function_code,
    function_name,
    name_matches,
    normalise,
    region,
)
from orchestration.read.dispatch import read_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"


def rows(file: str) -> list[dict]:
    with (DATA / file).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the files -------------------------------------------------------------------------


@pytest.mark.parametrize("file", ["functional.csv", "economic.csv"])
def test_classification_files_are_one_tree(file):
    table = rows(file)
    assert list(table[0]) == ["code", "name", "level", "parent_code", "aliases"]
    codes = [row["code"] for row in table]
    assert len(codes) == len(set(codes))
    levels = {3: "class", 5: "item", 7: "subitem"}
    for row in table:
        assert row["level"] == levels[len(row["code"])], row
        if row["level"] == "class":
            assert row["parent_code"] == ""
        else:
            assert row["parent_code"] == row["code"][:-2] and row["parent_code"] in codes, row
        assert row["name"] and "|" not in row["name"]
        assert row["name"] not in row["aliases"].split("|")


def test_every_functional_class_is_listed():
    table = rows("functional.csv")
    classes = {row["code"]: row["name"] for row in table if row["level"] == "class"}
    assert set(classes) == {
        *(str(c) for c in range(201, 218)),
        *("219", "220", "221", "222", "223", "224", "227", "229"),
        *("230", "231", "232", "233", "234"),
    }
    assert classes["227"] == "预备费"
    assert classes["229"] == "其他支出"
    assert classes["234"] == "抗疫特别国债安排的支出"


def test_economic_classes():
    classes = {row["code"]: row["name"] for row in rows("economic.csv") if row["level"] == "class"}
    assert classes["301"] == "工资福利支出"
    assert classes["302"] == "商品和服务支出"
    assert classes["303"] == "对个人和家庭的补助"
    assert classes["310"] == "资本性支出"
    assert classes["399"] == "其他支出"


def test_gazetteer_counts():
    table = rows("regions.csv")
    assert list(table[0]) == ["name", "short_name", "level", "province"]
    provinces = [row for row in table if row["level"] == "province"]
    prefectures = [row for row in table if row["level"] == "prefecture"]
    assert len(provinces) == 34
    assert len(prefectures) == 333
    kinds = {"市": 0, "地区": 0, "自治州": 0, "盟": 0}
    for row in prefectures:
        kinds[next(k for k in kinds if row["name"].endswith(k))] += 1
        assert row["province"] in {p["name"] for p in provinces}
    assert kinds == {"市": 293, "地区": 7, "自治州": 30, "盟": 3}
    short = {row["name"]: row["short_name"] for row in table}
    assert short["广东省"] == "广东"
    assert short["广州市"] == "广州"
    assert short["内蒙古自治区"] == "内蒙古"
    assert short["延边朝鲜族自治州"] == "延边"
    assert short["克孜勒苏柯尔克孜自治州"] == "克孜勒苏"
    assert short["锡林郭勒盟"] == "锡林郭勒"


# --- names and codes -------------------------------------------------------------------


def test_names_of_codes():
    assert function_name("201") == "一般公共服务支出"
    assert function_name("20113") == "商贸事务"
    assert function_name("2011301") == "行政运行"
    assert function_name("2080505") == "机关事业单位基本养老保险缴费支出"
    assert function_name("2240199") == "其他应急管理支出"
    assert function_name("2999999") is None
    assert economic_name("30101") == "基本工资"
    assert economic_name("30213") == "维修（护）费"
    assert economic_name("31099") == "其他资本性支出"
    assert economic_name("30100") is None


@pytest.mark.parametrize(
    ("printed", "parent", "code"),
    [
        ("行政运行", "20105", "2010501"),
        ("一般公共服务支出", None, "201"),
        ("统计信息事务", None, "20105"),
        ("统计信息事务", "201", "20105"),
        ("一、一般公共服务支出", None, "201"),
        ("（一）一般公共服务支出（类）", None, "201"),
        ("一般公共服务（类）", None, "201"),  # Jiangsu: 一般公共服务（类）支出…
        ("“一般公共服务支出”科目", None, "201"),
        ("行政运行（项）", "20105", "2010501"),
        ("1.行政运行", "20105", "2010501"),
        ("其中：行政运行", "20105", "2010501"),
        ("[2010501]行政运行", "20105", "2010501"),
        ("行政运行（01项）", "20406", "2040601"),
        ("公共安全支出（204类）", None, "204"),
        ("政府办公厅(室)及相关机构事务", None, "20103"),
        ("其他政府办公厅（室）及相关机构事务支出", None, "2010399"),
        ("“两房”建设", None, "2040404"),
        ("机关事业单位基本养老保险缴费支出", None, "2080505"),
        ("行政单位离退休", "208", "2080501"),  # a 项 under its 类, the 款 row left out
        ("其他科学技术支出", "206", "20699"),
        ("其他科学技术支出", "20699", "2069999"),
        ("职业教育", "205", "20503"),
        ("职业教育", "20598", "2059803"),
        ("医疗卫生与计划生育支出", None, "210"),  # the name before 2019
        ("行政事业单位离退休", None, "20805"),
    ],
)
def test_a_printed_name_gets_its_code(printed, parent, code):
    assert function_code(printed, parent) == code


@pytest.mark.parametrize(
    ("printed", "parent"),
    [
        ("行政运行", None),
        ("行政运行", "201"),  # every 款 of 201 has one
        ("事业运行", None),
        ("一般行政管理事务", None),
        ("其他科学技术支出", None),
        ("其他支出", None),
        ("职业教育", None),
        ("行政运行", "20805"),  # not under that 款
        ("没有这个科目", None),
    ],
)
def test_an_ambiguous_or_unknown_name_gets_no_code(printed, parent):
    assert function_code(printed, parent) is None


def test_economic_codes():
    assert economic_code("基本工资") == "30101"
    assert economic_code("（1）基本工资（款）") == "30101"
    assert economic_code("因公出国 (境)费用") == "30212"
    assert economic_code("维修(护)费", "302") == "30213"
    assert economic_code("对个人和家庭补助") == "303"
    # 住房公积金 is 30113 now and was 30311 before 2018: only its 类 tells them apart
    assert economic_code("住房公积金") is None
    assert economic_code("住房公积金", "301") == "30113"
    assert economic_code("住房公积金", "303") == "30311"
    assert economic_code("办公设备购置") is None
    assert economic_code("办公设备购置", "310") == "31002"
    assert economic_code("其他资本性支出", "310") == "31099"


def test_name_matches():
    assert name_matches("function", "2010501", "行政运行")
    assert name_matches("function", "2010501", " 行政运行（项） ")
    assert name_matches("function", "20805", "行政事业单位离退休")  # the 款's name until 2018
    assert name_matches("function", "2200199", "其他国土资源事务支出")
    assert name_matches("function", "210", "医疗卫生与计划生育支出")
    assert name_matches("function", "20103", "政府办公厅(室)及相关机构事务")
    assert name_matches("economic", "30212", "因公出国 (境)费用")
    assert name_matches("economic", "30311", "代缴社会保险费")
    assert name_matches("economic", "30311", "住房公积金")  # its name until 2018
    assert not name_matches("function", "2010501", "事业运行")
    assert not name_matches("function", "20805", "住房改革支出")
    assert not name_matches("economic", "30101", "津贴补贴")
    assert not name_matches("function", "2999999", "其他支出")
    with pytest.raises(ValueError):
        name_matches("revenue", "101", "税收收入")


def test_normalise():
    assert normalise("  （一）一般公共服务支出（类） ") == "一般公共服务支出"
    assert normalise("2.行政运行（项）：") == "行政运行"
    assert normalise("【2010501】 行政运行") == "行政运行"
    assert normalise("维修（护）费") == normalise("维修 (护)费")


# --- regions ---------------------------------------------------------------------------


def place(province, prefecture, county, level):
    return {"province": province, "prefecture": prefecture, "county": county, "level": level}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("广州市统计局", place("广东省", "广州市", None, "prefecture")),
        ("江苏省委办公厅", place("江苏省", None, None, "province")),
        ("中共江苏省委办公厅", place("江苏省", None, None, "province")),
        ("中国共产党江苏省委员会办公厅", place("江苏省", None, None, "province")),
        ("重庆市商务委员会", place("重庆市", None, None, "province")),
        ("上海市普陀区司法局", place("上海市", None, "普陀区", "county")),
        ("中共上海市普陀区委", place("上海市", None, "普陀区", "county")),
        ("泉州市公安局", place("福建省", "泉州市", None, "prefecture")),
        ("长沙市信访局", place("湖南省", "长沙市", None, "prefecture")),
        ("苏州市审计局", place("江苏省", "苏州市", None, "prefecture")),
        ("江苏省苏州市吴中区财政局", place("江苏省", "苏州市", "吴中区", "county")),
        ("邢台市南宫市", place("河北省", "邢台市", "南宫市", "county")),
        ("中共南宫市委", None),  # a county alone: not listed, so not placed
        ("延边朝鲜族自治州财政局", place("吉林省", "延边朝鲜族自治州", None, "prefecture")),
        ("锡林郭勒盟行政公署", place("内蒙古自治区", "锡林郭勒盟", None, "prefecture")),
        ("阿克苏地区审计局", place("新疆维吾尔自治区", "阿克苏地区", None, "prefecture")),
        ("吉林市财政局", place("吉林省", "吉林市", None, "prefecture")),
        ("海南藏族自治州", place("青海省", "海南藏族自治州", None, "prefecture")),
        ("广西区委办公厅", place("广西壮族自治区", None, None, "province")),
        ("湖北省仙桃市", place("湖北省", None, "仙桃市", "county")),
        ("济南市市中区教育局", place("山东省", "济南市", "市中区", "county")),
        ("重庆市酉阳土家族苗族自治县", place("重庆市", None, "酉阳土家族苗族自治县", "county")),
        ("广州市市场监督管理局", place("广东省", "广州市", None, "prefecture")),
        ("上海市城市管理行政执法局", place("上海市", None, None, "province")),
        ("北京市市政市容管理委员会", place("北京市", None, None, "province")),
        ("江苏省泉州市", None),  # a prefecture under the wrong province
        ("国家统计局", None),
    ],
)
def test_region(text, expected):
    assert region(text) == expected


# --- the bundled sample: every code/name pair it prints is listed ----------------------

CLASS_CODE = re.compile(r"[23]\d{2}")
WHOLE_CODE = re.compile(r"2\d{2}(?:\d{2}){0,2}|3\d{2}(?:\d{2})?")
BRACKETED = re.compile(r"^[\[【](?P<code>\d{3,7})[\]】]\s*(?P<name>\D.*)$")
NAMED = re.compile(r"[\u4e00-\u9fff]")
MONEY = re.compile(r"^[-\d,.]+$")
PATH = re.compile(
    r"(?P<cls>[\u4e00-\u9fff]+)[（(](?P<cc>\d{3})类[)）]"
    r"(?P<item>.+?)[（(](?P<ic>\d{2})款[)）]"
    r"(?P<sub>.+?)[（(](?P<sc>\d{2})项[)）]"
)


def is_name(cell: str) -> bool:
    return bool(NAMED.search(cell)) and not MONEY.match(cell)


def row_pair(cells: list[str]) -> tuple[str, str] | None:
    """(code, name) of a table row that starts with a code: whole (`2010501 行政运行`), in
    brackets (`[2010501]行政运行`) or split into 类/款/项 cells (`204 06 01 行政运行`)."""
    bracketed = BRACKETED.match(cells[0]) if cells else None
    if bracketed:
        return bracketed.group("code"), bracketed.group("name")
    digits = []
    for cell in cells[:3]:
        if cell and not cell.isdigit():
            break
        digits.append(cell)
    if not digits or len(digits) == len(cells) or not is_name(cells[len(digits)]):
        return None
    head, parts = digits[0], [d for d in digits[1:] if d]
    if len(digits) > 1 and CLASS_CODE.fullmatch(head) and all(len(d) == 2 for d in parts):
        code = head + "".join(parts)
    elif len(digits) == 1:
        code = head
    else:
        return None
    return (code, cells[len(digits)]) if WHOLE_CODE.fullmatch(code) else None


def printed_pairs(lines) -> set[tuple[str, str]]:
    pairs = set()
    for line in lines:
        pair = row_pair(line.cells)
        if pair:
            pairs.add(pair)
        for path in PATH.finditer(line.text.replace("\t", "")):
            cc, ic, sc = path.group("cc", "ic", "sc")
            pairs |= {(cc, path["cls"]), (cc + ic, path["item"]), (cc + ic + sc, path["sub"])}
    return pairs


# the sample's documents (the national corpus beside it is read by tests/test_national.py)
SAMPLE_FILES = sorted(
    p
    for folder in ("hebei", "shanghai")
    for p in (SAMPLE / folder).rglob("*")
    if p.suffix in (".pdf", ".txt")
)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_pair_the_sample_prints_is_listed(path):
    data = path.read_bytes()
    pairs = printed_pairs(read_document(data, sniff_format(data)))
    if path.suffix == ".txt":  # the Hebei county budget prints no classification codes
        assert pairs == set()
        return
    assert len(pairs) >= 20
    kinds = {"2": "function", "3": "economic"}
    missing = sorted((c, n) for c, n in pairs if not name_matches(kinds[c[0]], c, n))
    assert missing == []
