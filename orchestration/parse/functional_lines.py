"""Numbered functional lines of a budget narrative (预算编制说明): one paragraph per 功能分类
项, with its amount, purpose, prior-year figure, change and reason, e.g.

    1. “一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，主要用于…
    2、“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，比2025年预算
       减少35.2万元，下降2.84%，主要原因是…

The forms read (kept as patterns below, each tested with sentences written in that form):
- the path as （类）（款）（项） markers, codes printed in them or not (`公共安全支出（204类）`), or
  as a dash path (`A-B-C`, with -, －, – or —), quoted (“…”, "…", 「…」) or not, a code printed
  before a part (`2010301 行政运行`) or not;
- the amount right after the path or after a few words (科目, 预算数为, 安排), in 万元 or 元;
- a change 增加 / 增长 / 上升 / 减少 / 下降 / 持平, with or without a figure or a percentage;
- 主要用于…, …年(当年)预算执行数为…, …年预算安排…, 主要原因是….
Every part not found stays None; the paragraph's text is kept whole as `raw_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.statements import NUM, PERCENT_SIGNS, grammar, plain
from orchestration.parse.values import money_yuan, to_decimal

# Not from inside digits; possessive digit groups: a run like "1,,1,,1…" is scanned once.
MONEY = rf"(?P<num>{NUM})\s*+(?P<unit>万元|元)"

NUMBERED = re.compile(r"^(?P<no>\d{1,3})\s*+[、.．](?!\d)\s*+")
QUOTED = re.compile(r"^[“\"「『](?P<path>[^”\"」』]{1,120})[”\"」』]")
# an unquoted path runs to the first comma or full stop (the amount is cut off it below)
UNQUOTED = re.compile(r"^(?P<path>(?:[^，,。；;]|(?<=\d),(?=\d)){1,120})")
MARKERS = re.compile(
    r"^(?>(?P<cls>.+?)[（(]\s*+(?P<cc>\d{3})?\s*+类\s*+[)）])\s*+"
    r"(?>(?P<item>.+?)[（(]\s*+(?P<ic>\d{2})?\s*+款\s*+[)）])\s*+"
    r"(?>(?P<sub>.+?)[（(]\s*+(?P<sc>\d{2})?\s*+项\s*+[)）])$"
)
CLASS_MARKER = re.compile(r"[（(]\s*+\d{0,3}\s*+类\s*+[)）]")
DASH = re.compile(r"\s*+[-－–—]+\s*+")
LEADING_CODE = re.compile(r"^[\[【]?(?P<code>\d{2,7})[\]】]?\s*+(?P<name>\D.*)$")
NAMED = re.compile(r"[\u4e00-\u9fff]")  # a dash path's parts are names: Chinese characters
# what may stand between the path and its amount: 科目, 预算数为, 安排 …
AMOUNT = re.compile(rf"^[^，,。；;\d]{{0,12}}?{MONEY}")
FILLER = r"(?:\s|科目|预算数|预算|安排|金额|为|是)*+"  # words between a path and its amount
AMOUNT_AT_END = re.compile(rf"{FILLER}{MONEY}(?P<words>[^，,。；;\d]{{0,12}})$")

PURPOSE = re.compile(r"主要用于\s*+[：:]?\s*+((?:\s*+[^\s。；])*+)\s*+(?:[。；]|$)")
PRIOR = re.compile(rf"(?P<year>\d{{4}})\s*+年(?:当年)?预算执行数(?:为)?\s*+{MONEY}")
PLANNED = re.compile(rf"\d{{4}}\s*+年预算安排\s*+{MONEY}")
REASON = re.compile(r"主要原因(?:是|为)?\s*+[：:]?\s*+(.*)")
NEGATIVE = {"减少", "下降"}

FIELDS = [
    *("function_name", "class_name", "class_code", "item_name", "item_code", "subitem_name"),
    *("subitem_code", "function_code", "amount_text", "amount_yuan", "purpose", "prior_year"),
    *("prior_amount_text", "prior_amount_yuan", "planned_amount_text", "planned_amount_yuan"),
    *("change_text", "change_percent", "reason"),
]


def numbered_path(text: str) -> tuple[int, str, str] | None:
    """(printed number, path, what follows the path) of a line that starts a functional line:
    numbered, then a path of （类）… markers, or of two or three dash-separated names quoted or
    followed by an amount; else None."""
    numbered = NUMBERED.match(text)
    if not numbered:
        return None
    body = text[numbered.end() :]
    quoted = QUOTED.match(body)
    if quoted:
        path, after = quoted.group("path").strip(), body[quoted.end() :]
    else:
        unquoted = UNQUOTED.match(body)
        path = unquoted.group("path") if unquoted else ""
        after = body[len(path) :]
        money = AMOUNT_AT_END.search(path)
        if money:  # `1、X（类）Y（款）Z（项）938.99万元，…`: the amount is no part of the path
            after = path[money.start() :] + after
            path = path[: money.start()]
        path = path.strip()
    if CLASS_MARKER.search(path):
        return int(numbered.group("no")), path, after
    names = DASH.split(path)
    named = 2 <= len(names) <= 3 and all(len(NAMED.findall(name)) >= 2 for name in names)
    if named and (quoted or AMOUNT.match(after)):
        return int(numbered.group("no")), path, after
    return None


def path_parts(path: str) -> dict:
    """The names and printed codes of a path's 类, 款 and 项."""
    markers = MARKERS.match(path)
    if markers:
        names = list(markers.group("cls", "item", "sub"))
        codes = list(markers.group("cc", "ic", "sc"))
    else:
        names = DASH.split(path)
        names = [None] * (3 - len(names)) + names
        codes = [None, None, None]
        for index, name in enumerate(names):  # codes printed before the names
            code = LEADING_CODE.match(name or "")
            if code:
                names[index] = code.group("name")
                _place_code(codes, index, code.group("code"))
    parts = {}
    for level, name, code in zip(("class", "item", "subitem"), names, codes, strict=True):
        parts[f"{level}_name"] = name.strip() if name else None
        parts[f"{level}_code"] = code
    return parts


def _place_code(codes: list, index: int, digits: str) -> None:
    """A code printed before the name at `index` (0 类, 1 款, 2 项): a full code of 3, 5 or 7
    digits (`2010301`) or, for a 款 or 项, only its own two (`03`)."""
    if len(digits) == 2 and index > 0:
        codes[index] = digits
    elif len(digits) in (3, 5, 7):
        for level, (begin, end) in enumerate(((0, 3), (3, 5), (5, 7))):
            if digits[begin:end]:
                codes[level] = digits[begin:end]


def read_functional_line(text: str) -> dict:
    """The fields of one numbered functional line (its wrapped lines joined); None where a part
    is not printed or not understood."""
    fields = dict.fromkeys(FIELDS)
    start = numbered_path(text)
    if start is None:
        return fields
    _, path, after = start
    parts = path_parts(path)
    codes = (parts["class_code"], parts["item_code"], parts["subitem_code"])
    fields.update(
        parts,
        function_name=path,
        function_code="".join(codes) if all(codes) else None,
    )
    amount = AMOUNT.match(after)
    if not amount:
        return fields
    fields.update(
        amount_text=after[amount.start("num") : amount.end("unit")],
        amount_yuan=money_yuan(amount.group("num"), amount.group("unit")),
    )
    rest = after[amount.end() :]
    if purpose := PURPOSE.search(rest):
        fields["purpose"] = purpose.group(1)
    if prior := PRIOR.search(rest):
        fields.update(
            prior_year=int(prior.group("year")),
            prior_amount_text=rest[prior.start("num") : prior.end("unit")],
            prior_amount_yuan=money_yuan(prior.group("num"), prior.group("unit")),
        )
    if planned := PLANNED.search(rest):
        fields.update(
            planned_amount_text=rest[planned.start("num") : planned.end("unit")],
            planned_amount_yuan=money_yuan(planned.group("num"), planned.group("unit")),
        )
    if change := grammar().change.search(rest):
        fields.update(change_fields(change, rest[change.end() :]))
    if reason := REASON.search(rest):
        fields["reason"] = reason.group(1).removesuffix("。").rstrip()
    return fields


def change_fields(change: re.Match, after: str) -> dict:
    """The stated change as printed, and as a signed percentage where one is printed (or 持平)."""
    direction, value, unit = change.group("dir", "num", "unit")
    text = f"{direction}{value or ''}{unit or ''}"
    g = grammar()
    percent = g.change_percent.match(after) if unit not in PERCENT_SIGNS else None
    if percent:  # "减少35.2万元，下降2.84%"
        text += f"，{percent.group('dir')}{percent.group('pct')}%"
        direction, value, unit = percent.group("dir"), percent.group("pct"), "%"
    if unit in PERCENT_SIGNS:
        signed = to_decimal(value)
        return {
            "change_text": text,
            "change_percent": -signed if direction in g.negative else signed,
        }
    return {"change_text": text, "change_percent": Decimal(0) if direction in g.same else None}


# --- final accounts (决算): budget against actual ------------------------------------------------
#
#   1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。主要用于：…。全年预算为52.00 万元，
#      支出决算为51.32 万元，完成全年预算数的98.69%。决算数小于全年预算数的主要原因：…
#
# The forms read: the budget as 年初预算 / 全年预算 / 调整预算 / 预算数 / 预算, with 为 or 是 or
# nothing before the amount; the actual as (支出)决算(数)(为); amounts in 万元 or 元 (a wrapped
# line may leave spaces inside); 完成(年初|全年)预算(数)的 N% (absent: None); the comparison
# 决算数大于 / 小于 / 等于 / 高于 / 低于 (年初|全年)预算数, 决算数同 / 与 … 预算数(基本)持平,
# or a bare 预决算持平; 主要原因(是|为)：….

FINAL_FIELDS = [
    *("budget_basis", "budget_text", "budget_yuan", "comparison", "comparison_text"),
    "execution_percent",
]
FA_BUDGET = re.compile(
    rf"(?P<basis>年初预算|全年预算|调整预算|预算数|预算)\s*+(?:数\s*+)?(?:为|是)?\s*+{MONEY}"
)
FA_ACTUAL = re.compile(rf"决算\s*+(?:数\s*+)?(?:为|是)?\s*+{MONEY}")
# 完成年初预算的95.45%: the execution rate a final account states
FA_COMPARISON = re.compile(
    r"(?P<text>(?:决算数?\s*+(?:(?P<word>大于|小于|等于|高于|低于|超过)|同|与|和|较)\s*+"
    r"(?:年初|全年|调整)?\s*+预算数?\s*+(?P<flat>基本持平|持平|一致|相同|相等)?)"
    r"|预决算\s*+(?P<flat2>基本持平|持平))"
)
COMPARISONS = {
    "大于": "greater",
    "高于": "greater",
    "超过": "greater",
    "小于": "less",
    "低于": "less",
    "等于": "equal",
}
BASES = {"年初预算": "年初预算", "全年预算": "全年预算", "调整预算": "调整预算"}


def read_final_accounts_line(text: str) -> dict:
    """The fields of one numbered functional line of a final accounts' narrative: the path (as
    `read_functional_line` reads it), the budget and the actual (`amount_*`), how they compare,
    the share of the budget spent, the purpose and the reason; None where not printed."""
    fields = {**read_functional_line(text), **dict.fromkeys(FINAL_FIELDS)}
    start = numbered_path(text)
    if start is None:
        return fields
    rest = start[2]
    for key in ("amount_text", "amount_yuan", "reason", "purpose", "change_text"):
        fields[key] = None  # read below, against this form
    if purpose := PURPOSE.search(rest):
        fields["purpose"] = purpose.group(1)
    budget = FA_BUDGET.search(rest)
    if budget:
        fields.update(
            budget_basis=BASES.get(budget.group("basis"), budget.group("basis")),
            budget_text=rest[budget.start("num") : budget.end("unit")],
            budget_yuan=money_yuan(budget.group("num"), budget.group("unit")),
        )
    actual = FA_ACTUAL.search(rest, budget.end() if budget else 0)
    if actual:
        fields.update(
            amount_text=rest[actual.start("num") : actual.end("unit")],
            amount_yuan=money_yuan(actual.group("num"), actual.group("unit")),
        )
    if execution := re.search(grammar().execution, rest):
        fields["execution_percent"] = to_decimal(execution.group("pct"))
    if comparison := FA_COMPARISON.search(rest):
        word = comparison.group("word")
        flat = comparison.group("flat") or comparison.group("flat2")
        if word or flat:
            fields["comparison"] = COMPARISONS[word] if word else "equal"
            fields["comparison_text"] = comparison.group("text").strip()
    if reason := REASON.search(rest):
        fields["reason"] = reason.group(1).removesuffix("。").rstrip()
    return fields


def add_functional_lines(out: Records, body: list[Line], read: Callable[[str], dict]) -> list[Line]:
    """A `functional_lines` record for each numbered line of `body` (its wrapped lines joined),
    its fields read by `read`; returns the lines before the first."""
    first = next((i for i, line in enumerate(body) if numbered_path(plain(line))), len(body))
    items: list[list] = []
    for line in body[first:]:
        text = plain(line)
        if numbered_path(text):
            items.append([line, text])
        elif items:
            items[-1][1] += text
    for line, text in items:
        out.add(
            "functional_lines",
            line,
            ordinal=out.count("functional_lines") + 1,
            printed_number=int(NUMBERED.match(text).group("no")),
            **read(text),
            raw_text=text,
        )
    return body[:first]
