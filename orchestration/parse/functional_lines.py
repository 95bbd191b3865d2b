"""The lines a narrative explains one by one: a paragraph per line of the expenditure by its
functional classification (功能分类 类 / 款 / 项), or by its economic one (经济分类 类 / 款), with
its amount, purpose, prior-year figure, change and reason, e.g.

    1. “一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，主要用于…
    （一）2010301-行政运行3452.35 万元。主要用于…
    3.审计事务（款）事业运行（项）支出225.13 万元，与上年相比增加10.09 万元，增长4.69%。…
    1.“一般公共服务支出”科目1,744万元，主要用于…
    （2）津贴补贴（款）支出1,263.76 万元。用于发放…

The forms read (their words in `functional_lines.yaml`):
- numbered 1. 1、 （1） (1) （一） 一、, or not numbered where the line opens with a marked 类;
- the path as （类）（款）（项） markers, any of them in order, codes printed in them or not
  (`公共安全支出（204类）`); as a dash path (`A-B-C`, with -, －, – or —, a code printed before a
  part or not); as a code and a name (`2010301-行政运行`, `2010301 行政运行`); or as a 类's name
  alone; quoted (“…”, "…", 「…」) or not;
- the amount right after the path or after a few words (科目, 预算数为, 安排, （项）支出), 万元 or
  元;
- a change against the prior year (statements.yaml's grammar), with or without an amount or a
  percentage; 主要用于…, …年(当年)预算执行数为…, …年预算安排…, 主要原因是….
A path with nothing after it is a heading: the 类 (or 类 and 款) of the lines under it
(`（一）一般公共服务支出（类）` above `1.审计事务（款）行政运行（项）支出…`). With `listed`, the 类
named with their amounts in one sentence are lines too (`其中：一般公共服务支出15,958.96 万元，
教育支出15.26 万元…`).

A line's code is the one printed, else the classification's by its names, under the 类 (and 款)
of the heading above it where it prints none; never where the names leave several codes.
`code_source` says which (printed, classification, heading). A line under an economic 类 (工资福利
支出, 商品和服务支出 …) is economic: `economic_code`. A printed code is kept as printed, and
`code_matches_name` says whether the classification names it so. Every part not found stays
None; the line's text is kept whole as `raw_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from orchestration.parse import classification
from orchestration.parse.layout import Line, furniture
from orchestration.parse.records import Records
from orchestration.parse.statements import PERCENT_SIGNS, grammar, plain, signed
from orchestration.parse.values import cn_number, money_yuan, to_decimal

WORDS = Path(__file__).with_name("functional_lines.yaml")

FIELDS = [
    *("function_name", "class_name", "class_code", "item_name", "item_code", "subitem_name"),
    *("subitem_code", "function_code", "amount_text", "amount_yuan", "purpose", "prior_year"),
    *("prior_amount_text", "prior_amount_yuan", "planned_amount_text", "planned_amount_yuan"),
    *("change_text", "change_yuan", "change_percent", "reason"),
    *("classification", "economic_code", "code_source", "code_matches_name"),
]
FINAL_FIELDS = [
    *("budget_basis", "budget_text", "budget_yuan", "comparison", "comparison_text"),
    "execution_percent",
]
LEVELS = ("class", "item", "subitem")
CODE_LENGTHS = (3, 5, 7)  # a 类's code, a 款's, a 项's
FAMILIES = ("function", "economic")

OPEN_QUOTES, CLOSE_QUOTES = '“"「『', '”"」』'
PATH_CHARS = 120  # a path is no longer
DASH = re.compile(r"\s*+[-－–—]+\s*+")
LEADING_CODE = re.compile(r"^[\[【]?(?P<code>\d{2,7})[\]】]?\s*+(?P<name>\D.*)$")
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
NAMED = re.compile(r"[\u4e00-\u9fff]")  # a part of a path is a name: Chinese characters
COLON = re.compile(r"\s*+[：:]")
LIST_SEPARATOR = re.compile(r"\s*+[，,、；;]\s*+")
SENTENCE_END = re.compile(r"[。；;]")


@dataclass(frozen=True)
class Patterns:
    """functional_lines.yaml compiled, with statements.yaml's grammar of amounts."""

    ordinal: re.Pattern  # groups number, paren, numeral; top (and top_numeral) for 一、, 第…部分
    marker: re.Pattern  # one part of a marked path: groups name, code, level
    levels: dict  # a marker's word -> its level
    quoted: re.Pattern  # a quoted path: group path
    unquoted: re.Pattern  # an unquoted path, to the first comma, stop or colon: group path
    amount: re.Pattern  # the amount after a path and a few words: groups num, unit
    amount_at_end: re.Pattern  # the same, ending what was taken for a path
    purpose: re.Pattern  # group text
    prior: re.Pattern  # groups year, num, unit
    planned: re.Pattern  # groups num, unit
    reason: re.Pattern  # group text
    listed: re.Pattern  # what opens a list of lines in a sentence
    list_entry: re.Pattern  # a name and its amount in such a list: groups name, num, unit
    fa_budget: re.Pattern  # groups basis, num, unit
    fa_actual: re.Pattern  # groups num, unit
    fa_comparison: re.Pattern  # groups text, word, flat, flat2
    fa_comparisons: dict  # a comparison's word -> greater, less or equal


@cache
def patterns() -> Patterns:
    words = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    money = grammar().money
    markers = {word: level for level, word in words["markers"].items()}
    fa = words["final_accounts"]

    def verbose(pattern: str) -> re.Pattern:
        return re.compile(pattern, re.VERBOSE)

    return Patterns(
        ordinal=verbose(words["ordinal"]),
        marker=re.compile(
            rf"\s*+(?P<name>.+?)[（(]\s*+(?P<code>\d{{2,3}})?\s*+(?P<level>{'|'.join(markers)})"
            r"\s*+[)）]"
        ),
        levels=markers,
        quoted=re.compile(
            rf"^[{OPEN_QUOTES}](?P<path>[^{CLOSE_QUOTES}]{{1,{PATH_CHARS}}})[{CLOSE_QUOTES}]"
        ),
        unquoted=re.compile(rf"^(?P<path>(?:[^，,。；;：:]|(?<=\d),(?=\d)){{1,{PATH_CHARS}}})"),
        amount=re.compile(rf"^[^，,。；;\d]{{0,12}}?{money}"),
        amount_at_end=verbose(rf"(?:{words['between']})*+{money}[^，,。；;\d]{{0,12}}$"),
        purpose=verbose(
            rf"(?:^|(?<=[，,。；;]))\s*+(?:{words['purpose']})\s*+[：:]?\s*+"
            r"(?P<text>(?:\s*+[^\s。；])*+)"
        ),
        prior=verbose(rf"{words['prior']}\s*+{money}"),
        planned=verbose(rf"{words['planned']}\s*+{money}"),
        reason=verbose(rf"{words['reason']}\s*+(?P<text>[^。]*)"),
        listed=verbose(words["listed"]),
        list_entry=re.compile(rf"(?P<name>[^，,。；;：:、\d\s]{{2,20}}?)\s*+{money}"),
        fa_budget=verbose(rf"{fa['budget']}\s*+{money}"),
        fa_actual=verbose(rf"{fa['actual']}\s*+{money}"),
        fa_comparison=verbose(fa["comparison"]),
        fa_comparisons=fa["comparisons"],
    )


# --- the path: its names and printed codes --------------------------------------------------


def ordinal(text: str) -> re.Match | None:
    """The ordinal a paragraph starts with (1. 1、 （1） （一） 一、 第三部分), or None."""
    return patterns().ordinal.match(text)


def printed_number(match: re.Match) -> int | None:
    """The number an ordinal prints (（十一） -> 11, 一、 -> 1; 第三部分: None)."""
    number = match.group("number") or match.group("paren")
    numeral = match.group("numeral") or match.group("top_numeral")
    return int(number) if number else cn_number(numeral) if numeral else None


def numbered_path(text: str) -> tuple[int | None, str, str] | None:
    """(printed number, path, what follows the path) of a paragraph that opens a line or a
    heading: numbered, then a path in one of the module's forms; not numbered, a path of
    markers opening with a classification's 类. None for any other paragraph, and for a
    glossary's term (教育支出（类）…：反映…)."""
    numbered = ordinal(text)
    if numbered and printed_number(numbered) is None:
        return None  # 第三部分…
    found = _path(text[numbered.end() :] if numbered else text.lstrip())
    if found is None:
        return None
    path, after, marked = found
    if not numbered and not (marked and _class_family(path_parts(path)["class_name"] or "")):
        return None
    if COLON.match(after) and not patterns().amount.match(after):
        return None
    return (printed_number(numbered) if numbered else None), path, after


def _path(body: str) -> tuple[str, str, bool] | None:
    """(path, what follows it, whether it is a path of markers) at the start of `body`: a path
    of markers, or one of the other forms quoted or followed by its amount or by nothing (a
    heading); else None."""
    p = patterns()
    quoted = p.quoted.match(body)
    if quoted:
        path, after = quoted.group("path").strip(), body[quoted.end() :]
    else:
        unquoted = p.unquoted.match(body)
        path = unquoted.group("path") if unquoted else ""
        after = body[len(path) :]
        money = p.amount_at_end.search(path)
        if money:  # `1、X（类）Y（款）Z（项）938.99万元，…`: the amount is no part of the path
            path, after = path[: money.start()], path[money.start() :] + after
        path = path.strip()
    if _marked_parts(path):
        return path, after, True
    if _dash_parts(path) and (quoted or p.amount.match(after) or not after.strip(" ，,。")):
        return path, after, False
    return None


def path_parts(path: str) -> dict:
    """The names and printed codes of a path's 类, 款 and 项 (None where not printed; a 款's or
    项's code is its own two digits)."""
    parts = _marked_parts(path) or _dash_parts(path) or [(None, None)] * 3
    out = {}
    for level, (name, code) in zip(LEVELS, parts, strict=True):
        out[f"{level}_name"] = name.strip() if name else None
        out[f"{level}_code"] = code
    return out


def _marked_parts(path: str) -> list | None:
    """一般公共服务支出（201类）商贸事务（款）行政运行（项）: (name, code) by level, the markers
    in order and making the whole path; else None."""
    p = patterns()
    parts: list = [(None, None)] * 3
    position, last = 0, -1
    while position < len(path):
        marker = p.marker.match(path, position)
        if marker is None:
            return None
        level = LEVELS.index(p.levels[marker.group("level")])
        if level <= last:
            return None
        parts[level] = (marker.group("name"), marker.group("code"))
        position, last = marker.end(), level
    return parts if last >= 0 else None


def _dash_parts(path: str) -> list | None:
    """A dash path (A-B-C, codes printed before its names or not; a classification knows one
    of them), a code and a name (2010301-行政运行), or a 类's name alone: (name, code) by level;
    else None."""
    names = DASH.split(path)
    if len(names) == 2 and CODE.match(names[0]):  # 2010301-行政运行
        names = [f"{names[0]} {names[1]}"]
    if not 1 <= len(names) <= 3:
        return None
    digits = []
    for index, name in enumerate(names):
        code = LEADING_CODE.match(name)
        if code:
            names[index] = code.group("name")
        digits.append(code.group("code") if code else None)
    if any(len(NAMED.findall(name)) < 2 for name in names):
        return None
    known = any(classification.codes(family, name) for family in FAMILIES for name in names)
    if not (known or any(digits)):  # 政府采购-货物类: names no classification knows
        return None
    depth = _depth(names, digits)
    first = depth - len(names) + 1 if depth is not None else -1
    if first < 0:
        return None
    codes: list[str | None] = [None, None, None]
    for offset, printed in enumerate(digits):
        if printed:
            _place_code(codes, first + offset, printed)
    return list(zip([None] * first + names + [None] * (2 - depth), codes, strict=True))


def _depth(names: list[str], digits: list[str | None]) -> int | None:
    """The level of a dash path's last part: by the whole code printed before it, else three
    parts end at the 项, two at the 款 when the first is a 类 (else at the 项), and one is a 类;
    None for a single name that is no classification's 类 and prints no code."""
    last = digits[-1]
    if last and len(last) in CODE_LENGTHS and _family_of_code(last):
        return CODE_LENGTHS.index(len(last))
    if len(names) == 3:
        return 2
    if len(names) == 2:
        return 1 if _class_family(names[0]) else 2
    return 0 if _class_family(names[0]) else None


def _place_code(codes: list, index: int, digits: str) -> None:
    """A code printed before the name at `index` (0 类, 1 款, 2 项): a full code of 3, 5 or 7
    digits (`2010301`) or, for a 款 or 项, only its own two (`03`)."""
    if len(digits) == 2 and index > 0:
        codes[index] = digits
    elif len(digits) in CODE_LENGTHS:
        for level, (begin, end) in enumerate(((0, 3), (3, 5), (5, 7))):
            if digits[begin:end]:
                codes[level] = digits[begin:end]


# --- the code: printed, or the classification's -----------------------------------------------


def _lookup(family: str, name: str, parent: str | None) -> str | None:
    """The one code of `family` printed as `name` under `parent`; a 类 by its name alone."""
    if parent is None:
        classes = [c for c in classification.codes(family, name) if len(c) == CODE_LENGTHS[0]]
        if classes:
            return classes[0]  # no two 类 share a name
    find = classification.function_code if family == "function" else classification.economic_code
    return find(name, parent)


def _family_of_code(code: str) -> str | None:
    if classification.function_name(code):
        return "function"
    return "economic" if classification.economic_name(code) else None


def _class_family(name: str) -> str | None:
    """The classification one of whose 类 `name` names (their 类 names differ)."""
    return next((family for family in FAMILIES if _at_level(family, name, 0)), None)


@dataclass(frozen=True)
class LinePath:
    """A path as read: names and codes by level (None where not known), its classification and
    its deepest level; the heading above a run of lines is one."""

    names: tuple
    codes: tuple
    family: str | None
    depth: int

    def above(self) -> LinePath:
        """What a line leaves for the lines after it: its levels above its own (a 类's line,
        its 类)."""
        keep = max(self.depth, 1)
        blank = (None,) * (3 - keep)
        return LinePath(self.names[:keep] + blank, self.codes[:keep] + blank, self.family, keep - 1)


def classify(fields: dict, heading: LinePath | None = None) -> tuple[dict, LinePath | None]:
    """A line's classification, code and how it was found (printed; classification, by the
    names it prints; heading, by its names under the 类 or 款 of `heading` where it prints
    none), and its path as read; ({}, None) for a line that names nothing."""
    names = [fields[f"{level}_name"] for level in LEVELS]
    printed = [fields[f"{level}_code"] for level in LEVELS]
    named = [level for level in range(3) if names[level] or printed[level]]
    if not named:
        return {}, None
    first, depth = named[0], named[-1]
    codes: list[str | None] = [None, None, None]
    inherited = heading is not None and first > 0 and any(heading.codes[:first])
    if inherited:
        names[:first], codes[:first] = heading.names[:first], heading.codes[:first]
    family = _family(names, printed, depth, heading.family if inherited else None)
    code, source = _code(family, names, printed, codes, depth)
    if source == "classification" and inherited:
        source = "heading"
    matches = None
    if source == "printed" and names[depth]:
        matches = classification.name_matches(family, code, names[depth])
    update = {f"{level}_name": names[index] for index, level in enumerate(LEVELS)}
    update.update(
        classification=family,
        function_code=code if family == "function" else None,
        economic_code=code if family == "economic" else None,
        code_source=source,
        code_matches_name=matches,
    )
    return update, LinePath(tuple(names), tuple(codes), family, depth)


def _family(names: list, printed: list, depth: int, above: str | None) -> str | None:
    """function or economic: by a printed code, the 类's name, a 项 (only functional lines
    have one), the heading's classification, or the one classification naming a code of the
    line's level so."""
    if printed[0]:
        whole = "".join(code for code in printed[: depth + 1] if code)
        if family := _family_of_code(whole) or _family_of_code(printed[0]):
            return family
    if names[0] and (family := _class_family(names[0])):
        return family
    if names[2]:
        return "function"
    if above:
        return above
    known = [family for family in FAMILIES if _at_level(family, names[depth], depth)]
    return known[0] if len(known) == 1 else None


def _at_level(family: str, name: str | None, level: int) -> bool:
    """Whether classification `family` names a code of `level` (0 类, 1 款, 2 项) `name`."""
    codes = classification.codes(family, name or "")
    return any(len(code) == CODE_LENGTHS[level] for code in codes)


def _code(family, names, printed, codes, depth) -> tuple[str | None, str | None]:
    """(the line's code, printed or classification), `codes` filled level by level: each
    level's code as the heading gives it or as printed, else the classification's by its name
    under the level above; (None, None) where a level cannot be told."""
    if family is None:
        return None, None
    if all(printed[: depth + 1]):
        whole = "".join(printed[: depth + 1])
        codes[: depth + 1] = [whole[:length] for length in CODE_LENGTHS[: depth + 1]]
        return whole, "printed"
    code = None
    for level in range(depth + 1):
        if codes[level]:
            code = codes[level]
        elif printed[level]:
            code = printed[level] if level == 0 else (code + printed[level] if code else None)
        elif names[level]:
            code = _lookup(family, names[level], code)
        else:
            continue  # a level not printed: the next is looked up under the one above
        if code is None or len(code) != CODE_LENGTHS[level]:
            return None, None
        codes[level] = code
    return code, "classification"


# --- what follows the path ----------------------------------------------------------------------


def read_functional_line(text: str) -> dict:
    """The fields of one line (its wrapped lines joined), read alone (`classify`); None where a
    part is not printed or not understood."""
    fields = dict.fromkeys(FIELDS)
    start = numbered_path(text)
    if start is None:
        return fields
    _, path, after = start
    fields.update(path_parts(path), function_name=path)
    _read_after(fields, after)
    fields.update(classify(fields)[0])
    return fields


def _read_after(fields: dict, after: str) -> None:
    """The amount printed after a path, and what follows it."""
    p = patterns()
    amount = p.amount.match(after)
    if not amount:
        return
    fields.update(
        amount_text=after[amount.start("num") : amount.end("unit")],
        amount_yuan=money_yuan(amount.group("num"), amount.group("unit")),
    )
    rest = after[amount.end() :]
    if purpose := p.purpose.search(rest):
        fields["purpose"] = purpose.group("text")
    if prior := p.prior.search(rest):
        fields.update(
            prior_year=int(prior.group("year")),
            prior_amount_text=rest[prior.start("num") : prior.end("unit")],
            prior_amount_yuan=money_yuan(prior.group("num"), prior.group("unit")),
        )
    if planned := p.planned.search(rest):
        fields.update(
            planned_amount_text=rest[planned.start("num") : planned.end("unit")],
            planned_amount_yuan=money_yuan(planned.group("num"), planned.group("unit")),
        )
    if change := grammar().change.search(rest):
        fields.update(change_fields(change, rest[change.end() :]))
    if reason := p.reason.search(rest):
        fields["reason"] = reason.group("text").rstrip() or None


def change_fields(change: re.Match, after: str) -> dict:
    """The stated change as printed, in 元 where an amount is printed, and as a signed
    percentage where one is printed (持平: 0 both)."""
    direction, value, unit = change.group("dir", "num", "unit")
    g = grammar()
    fields = {
        "change_text": f"{direction}{value or ''}{unit or ''}",
        "change_yuan": signed(direction, value, unit),
    }
    percent = g.change_percent.match(after) if unit not in PERCENT_SIGNS else None
    if percent:  # "减少35.2万元，下降2.84%"
        fields["change_text"] += f"，{percent.group('dir')}{percent.group('pct')}%"
        direction, value, unit = percent.group("dir"), percent.group("pct"), "%"
    if unit in PERCENT_SIGNS:
        number = to_decimal(value)
        fields["change_percent"] = -number if direction in g.negative else number
    else:
        fields["change_percent"] = Decimal(0) if direction in g.same else None
    return fields


def read_final_accounts_line(text: str) -> dict:
    """The fields of one line of a final accounts' narrative: the path (as
    `read_functional_line` reads it), the budget and the actual (`amount_*`), how they compare,
    the share of the budget spent, the purpose and the reason; None where not printed."""
    fields = {**read_functional_line(text), **dict.fromkeys(FINAL_FIELDS)}
    start = numbered_path(text)
    if start is None:
        return fields
    p, rest = patterns(), start[2]
    for key in ("amount_text", "amount_yuan", "reason", "purpose", "change_text", "change_yuan"):
        fields[key] = None  # read below, against this form
    if purpose := p.purpose.search(rest):
        fields["purpose"] = purpose.group("text")
    budget = p.fa_budget.search(rest)
    if budget:
        fields.update(
            budget_basis=budget.group("basis"),
            budget_text=rest[budget.start("num") : budget.end("unit")],
            budget_yuan=money_yuan(budget.group("num"), budget.group("unit")),
        )
    actual = p.fa_actual.search(rest, budget.end() if budget else 0)
    if actual:
        fields.update(
            amount_text=rest[actual.start("num") : actual.end("unit")],
            amount_yuan=money_yuan(actual.group("num"), actual.group("unit")),
        )
    if execution := re.search(grammar().execution, rest):
        fields["execution_percent"] = to_decimal(execution.group("pct"))
    if comparison := p.fa_comparison.search(rest):
        word = comparison.group("word")
        flat = comparison.group("flat") or comparison.group("flat2")
        if word or flat:
            fields["comparison"] = p.fa_comparisons[word] if word else "equal"
            fields["comparison_text"] = comparison.group("text").strip()
    if reason := p.reason.search(rest):
        fields["reason"] = reason.group("text").rstrip() or None
    return fields


# --- the lines of a narrative -------------------------------------------------------------------


def paragraphs(body: list[Line]) -> list[tuple[Line, str]]:
    """The paragraphs of `body` (first line, text joined): each starts at a numbered line, at a
    line opening with a marked 类, or after a full stop unless the next line goes on with a
    line's words (…主要用于…。 / 与上年相比增加…); page furniture (numbers, running headers) is
    left out."""
    skip = furniture(body)
    parts: list[tuple[Line, list[str]]] = []
    for line in body:
        if line.no in skip:
            continue
        text = plain(line)
        stopped = parts and parts[-1][1][-1].rstrip().endswith("。") and not _goes_on(text)
        if not parts or stopped or ordinal(text) or numbered_path(text):
            parts.append((line, [text]))
        else:
            parts[-1][1].append(text)
    return [(line, "".join(texts)) for line, texts in parts]


def _goes_on(text: str) -> bool:
    """Whether a line opens with the words of a line's purpose, change, reason, prior-year or
    planned figure, or of a final account's budget, actual, execution or comparison."""
    p, g = patterns(), grammar()
    opening = (p.purpose, p.reason, p.prior, p.planned, p.fa_budget, p.fa_actual, g.change)
    return any(pattern.match(text) for pattern in opening) or bool(
        re.match(g.execution, text) or p.fa_comparison.match(text.lstrip())
    )


def add_functional_lines(
    out: Records,
    body: list[Line],
    read: Callable[[str], dict],
    sections: dict[int, str] | None = None,
    listed: bool = False,
) -> list[Line]:
    """A `functional_lines` record for each line of `body` (a paragraph, its wrapped lines
    joined), its fields read by `read` and classified under the heading above it; with
    `listed`, also each 类 named with its amount in a list of another paragraph. `sections`
    gives a line's narrative section by its number. Returns the lines before the first line."""
    heading: LinePath | None = None
    first = None
    for line, text in paragraphs(body):
        start = numbered_path(text)
        if start is None:
            if ordinal(text):
                heading = None  # another numbered paragraph: the heading above is done
            if listed:
                _add_listed(out, line, text, sections)
            continue
        fields = read(text)
        update, path = classify(fields, heading)
        if not start[2].strip(" ，,。：:"):  # a heading: the 类 (and 款) of the lines under it
            heading = path
            continue
        heading = path.above() if path else None
        _add(out, line, {**fields, **update}, text, start[0], "paragraph", sections)
        first = first or line
    return body[: body.index(first)] if first else body


def _add_listed(out: Records, line: Line, text: str, sections: dict | None) -> None:
    """The 类 named with their amounts in a list (其中：一般公共服务支出15,958.96 万元，教育支出…),
    each a line read to the next; a list ends at the first entry naming no functional 类, and
    its last line at the end of its sentence (or at the next list)."""
    p = patterns()
    openers = list(p.listed.finditer(text))
    bounds = [opener.start() for opener in openers[1:]] + [len(text)] if openers else []
    for opener, bound in zip(openers, bounds, strict=True):
        entries, position = [], opener.end()
        while entry := p.list_entry.match(text, position, bound):
            if _class_family(entry.group("name")) != "function":
                break
            entries.append(entry)
            separator = LIST_SEPARATOR.match(text, entry.end(), bound)
            if not separator:
                break
            position = separator.end()
        if not entries:
            continue
        stop = SENTENCE_END.search(text, entries[-1].end(), bound)
        ends = [entry.start() for entry in entries[1:]] + [stop.end() if stop else bound]
        for entry, end in zip(entries, ends, strict=True):
            name = entry.group("name")
            fields = {**dict.fromkeys(FIELDS), **path_parts(name), "function_name": name}
            _read_after(fields, text[entry.start("num") : end])
            fields.update(classify(fields)[0])
            _add(out, line, fields, text[entry.start() : end], None, "listed", sections)


def _add(out: Records, line: Line, fields: dict, text: str, number, form, sections) -> None:
    out.add(
        "functional_lines",
        line,
        ordinal=out.count("functional_lines") + 1,
        printed_number=number,
        form=form,
        section=sections.get(line.no) if sections else None,
        **fields,
        raw_text=text,
    )
