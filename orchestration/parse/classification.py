"""The national classifications and the region gazetteer, as lookups.

The data live only in `classifications/` beside this module, each file read once on first use:
- `functional.csv`: 政府收支分类科目, 支出功能分类 (类 3 digits, 款 5, 项 7: 2011301 行政运行);
- `economic.csv`: 部门预算支出经济分类 (类 3 digits, 款 5: 30101 基本工资);
- `regions.csv`: the 34 provincial-level divisions and the 333 prefecture-level ones.

Each classification row has `code,name,level,parent_code,aliases`; `aliases` (`|`-separated)
are the other names the same code is printed under (a former year's name, a document's
variant). Codes no longer in the current classification but printed in earlier years' documents
are kept under the name they were printed with.

Names are compared after `normalise`: what documents do to a name (spaces, full- or half-width
brackets, quotes, a trailing （项）/（款）/（类） or 科目, a leading ordinal, code or 其中：) is
undone. A name shared by several codes (行政运行, 其他X支出, a former name reused) gets a code
only when `parent_code` (the 类 or 款 printed above it) leaves one: never a guess.

Regions: `region` reads the region a text starts with. Convention for the four 直辖市 (北京市,
天津市, 上海市, 重庆市): the municipality is province level and has no prefecture; its 区 and 县
are county level (上海市普陀区 → province 上海市, prefecture None, county 普陀区), and a 市级
department (上海市商务委员会) is province level.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("classifications")
FILES = {"function": "functional.csv", "economic": "economic.csv"}

QUOTES = str.maketrans("", "", "“”‘’\"'「」『』")
BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]"})
MARKER = re.compile(r"\(\s*\d{0,3}\s*[类款项]\s*\)")  # （类） （204类） （06款） （01项）
LEADING = re.compile(
    r"^(?:其中:?"
    r"|[一二三四五六七八九十百]+[、.]"  # 一、
    r"|\([一二三四五六七八九十百]+\)[、.]?"  # （一）
    r"|\(\d{1,3}\)[、.]?"  # （1）
    r"|\[\d{1,7}\]"  # [2010501]
    r"|\d{1,7}(?:[、.:](?!\d))?"  # 1. 1、 2010501
    r")"
)
TRAILING = re.compile(r"(?:科目|:)$")


@dataclass(frozen=True)
class Entry:
    """One code of a classification."""

    code: str
    name: str
    level: str
    parent_code: str | None
    aliases: tuple[str, ...]


def normalise(name: str) -> str:
    """A printed name as compared: width-folded, without spaces, quotes, （类）/（款）/（项）
    markers, a trailing 科目, or a leading ordinal, code or 其中：."""
    text = unicodedata.normalize("NFKC", name).translate(BRACKETS).translate(QUOTES)
    text = MARKER.sub("", re.sub(r"\s+", "", text))
    previous = None
    while text != previous:
        previous = text
        text = TRAILING.sub("", LEADING.sub("", text))
    return text


@cache
def _table(kind: str) -> tuple[dict[str, Entry], dict[str, tuple[str, ...]]]:
    """(code → entry, normalised name or alias → codes) of one classification."""
    if kind not in FILES:
        raise ValueError(f"unknown classification {kind!r}: one of {sorted(FILES)}")
    entries: dict[str, Entry] = {}
    names: dict[str, list[str]] = defaultdict(list)
    with (DATA / FILES[kind]).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            aliases = tuple(a for a in row["aliases"].split("|") if a)
            parent = row["parent_code"] or None
            entry = Entry(row["code"], row["name"], row["level"], parent, aliases)
            entries[entry.code] = entry
            for printed in {normalise(n) for n in (entry.name, *aliases)}:
                names[printed].append(entry.code)
    return entries, {name: tuple(codes) for name, codes in names.items()}


def _name(kind: str, code: str) -> str | None:
    entry = _table(kind)[0].get(str(code).strip())
    return entry.name if entry else None


def _code(kind: str, name: str, parent_code: str | None) -> str | None:
    """The one code printed as `name` (under `parent_code` when given), else None."""
    entries, names = _table(kind)
    codes = names.get(normalise(name), ())
    parent = str(parent_code).strip() if parent_code is not None else ""
    if not parent:
        return codes[0] if len(codes) == 1 else None
    children = [c for c in codes if entries[c].parent_code == parent]
    if not children:  # a 项 printed under its 类 (the 款 row left out)
        children = [c for c in codes if c.startswith(parent) and c != parent]
    return children[0] if len(children) == 1 else None


def function_name(code: str) -> str | None:
    """The 支出功能分类 name of a 3-, 5- or 7-digit code, None when unknown."""
    return _name("function", code)


def economic_name(code: str) -> str | None:
    """The 部门预算支出经济分类 name of a 3- or 5-digit code, None when unknown."""
    return _name("economic", code)


def function_code(name: str, parent_code: str | None = None) -> str | None:
    """The 支出功能分类 code of a printed name; a name several codes share (行政运行) is
    resolved only by `parent_code`, the 类 or 款 printed above it: else None."""
    return _code("function", name, parent_code)


def economic_code(name: str, parent_code: str | None = None) -> str | None:
    """The 部门预算支出经济分类 code of a printed name, as `function_code`."""
    return _code("economic", name, parent_code)


def codes(kind: str, name: str) -> tuple[str, ...]:
    """Every code of classification `kind` ('function' or 'economic') printed as `name`."""
    return _table(kind)[1].get(normalise(name), ())


def name_matches(kind: str, code: str, name: str) -> bool:
    """Whether a printed `name` fits its printed `code` ('function' or 'economic'): the
    code's name or one of its aliases, compared normalised. An unknown code fits no name."""
    entry = _table(kind)[0].get(str(code).strip())
    if entry is None:
        return False
    return normalise(name) in {normalise(n) for n in (entry.name, *entry.aliases)}


# --- regions ---------------------------------------------------------------------------

MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
PARTY_PREFIXES = ("中国共产党", "中共")
# after an autonomous region's short name: 广西区委, 新疆区人民政府
REGION_ORGANS = ("委", "党委", "人民政府", "政府", "人大", "政协", "纪委")
COUNTY = re.compile(r"[\u4e00-\u9fff]{1,14}?[县区市旗]")
# county names with 县/区/市 before their end, which the shortest match would cut
INNER_SUFFIX = ("市中区", "市南区", "市北区", "新市区")
NOT_COUNTY = {
    *("城市", "市区", "区县", "县区", "县市", "市县", "新区", "社区", "园区", "地区", "辖区"),
    *("景区", "校区", "片区", "街区", "小区", "山区", "林区", "都市", "各区", "各县"),
}
NOT_COUNTY_END = ("景区", "保护区", "名胜区", "社区", "校区")
ORGAN_WORDS = ("委", "局", "厅", "办", "院", "部", "机关", "人民", "政府", "管理", "公司", "中心")


@dataclass(frozen=True)
class _Gazetteer:
    provinces: dict[str, dict]  # name → row
    prefectures: dict[str, dict]  # name → row (names are unique nationwide)


@cache
def _gazetteer() -> _Gazetteer:
    provinces, prefectures = {}, {}
    with (DATA / "regions.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            (provinces if row["level"] == "province" else prefectures)[row["name"]] = row
    return _Gazetteer(provinces, prefectures)


def _province_at(text: str) -> tuple[str, int] | None:
    """The province `text` starts with and how many characters name it: the full name, or an
    autonomous region's short name before 自治区 or 区委 / 区政府 …"""
    gazetteer = _gazetteer()
    for name in gazetteer.provinces:
        if text.startswith(name):
            return name, len(name)
    for name, row in gazetteer.provinces.items():
        short = row["short_name"]
        if name.endswith("自治区"):
            if text.startswith(short + "自治区"):
                return name, len(short) + 3
            after = text[len(short) + 1 :]
            if text.startswith(short + "区") and after.startswith(REGION_ORGANS):
                return name, len(short) + 1
    return None


def _prefecture_at(text: str) -> str | None:
    names = [name for name in _gazetteer().prefectures if text.startswith(name)]
    return max(names, key=len) if names else None


def _county_at(text: str) -> str | None:
    """A county-level name (ending 县, 区, 市 or 旗) at the start of `text`, else None."""
    inner = next((name for name in INNER_SUFFIX if text.startswith(name)), None)
    if inner:
        return inner
    match = COUNTY.match(text)
    if not match:
        return None
    name = match.group()
    if (
        name in NOT_COUNTY
        or name.endswith(NOT_COUNTY_END)
        or name[0] in "县区市旗"
        or any(word in name for word in ORGAN_WORDS)
    ):
        return None
    return name


def region(name: str) -> dict | None:
    """The region a text starts with (`广州市统计局`, `中共江苏省委办公厅`, `上海市普陀区司法局`,
    `邢台市南宫市…`): {'province', 'prefecture', 'county', 'level'}, `level` the administrative
    level of the entity (province, prefecture, county); None when no listed region starts it.

    A 中共 / 中国共产党 prefix is skipped; `江苏省委` is 江苏省. Counties are not listed: a name
    ending 县/区/市/旗 right after a province or prefecture is taken as the county. A 直辖市's
    district is county level with no prefecture (see the module's docstring)."""
    text = re.sub(r"\s+", "", name)
    for prefix in PARTY_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    gazetteer = _gazetteer()
    province = prefecture = None
    found = _province_at(text)
    if found:
        province, length = found
        rest = text[length:]
        prefecture = _prefecture_at(rest)
        if prefecture and gazetteer.prefectures[prefecture]["province"] != province:
            return None  # a prefecture printed under another province
    else:
        prefecture = _prefecture_at(text)
        if prefecture is None:
            return None
        province, rest = gazetteer.prefectures[prefecture]["province"], text
    if prefecture:
        rest = rest[len(prefecture) :]
    county = _county_at(rest)
    level = "county" if county else "prefecture" if prefecture else "province"
    return {"province": province, "prefecture": prefecture, "county": county, "level": level}
