"""Any province's narrative read for its statements: every statement of every item of
statements.yaml, for documents of no known family.

The narrative is cut at its headings (一、…, （一）…, 第一部分…) into the sections statements.yaml
names; in each, every item's statements are found (an amount, a change stated without its
amount, a stated zero, a count) and, where two overlap, the one starting first is kept, then
the one with the longer words (一般公共预算拨款支出 over 一般公共预算拨款). An amount printed
without its unit takes the one money unit its sentence, else its paragraph, prints; where these
print none or several, it is recorded without an amount in 元 (`unit_source` says which).
"""

from __future__ import annotations

import re
from decimal import Decimal

from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.statements import (
    NUM,
    Item,
    Text,
    add_amount,
    add_change,
    change_at,
    count,
    follow,
    grammar,
    items,
    pattern,
    plain,
    section_of,
    sole_amount,
    state_assets,
    stated_zero,
)

NARRATIVE = "narrative"  # the section of a statement under no heading statements.yaml knows
SUBJECTLESS_REACH = 80  # characters: how far after its amount a change naming none is read
# a heading: 一、… / （一）… / (一)… / 第三部分…; its words run to the first stop or colon
HEADING_RE = re.compile(
    r"^\s*(?:(?P<top>[一二三四五六七八九十]+\s*、|第[一二三四五六七八九十]+部分)"
    r"|(?P<sub>[（(][一二三四五六七八九十]+[）)]))\s*(?P<words>[^：:。，,；;]{0,40})"
)


def read_narrative(
    out: Records, lines: list[Line], phase: str, fiscal_year: int | None = None
) -> None:
    """Every statement in a narrative: `lines` are the document's lines outside tables, `phase`
    budget or final_accounts, `fiscal_year` (where known) the year whose prior year 上年 names.
    Amounts become `stated_amounts` (with their share, the budget spent and their change as
    `<item>_change`), changes stated without the amount `<item>_change`, a stated zero (没有…,
    无…) an amount of 0 with its words, counts `stated_counts`; each in the section its heading
    names (else `narrative`)."""
    prior = fiscal_year - 1 if fiscal_year else None
    for section, part in _parts(lines, phase):
        text = Text(part)
        held = _read_all(out, section, text, phase, prior)
        if section == "state_assets":
            held += state_assets(out, text, phase)
        _quantities(out, section, text, held)


def _quantities(out: Records, section: str, text: Text, held: list[tuple[int, int]]) -> None:
    """Every other quantity the text states with its measure word (召开2 次研讨会): a count
    of item `quantity`, with its clause as its raw text."""
    g = grammar()
    for match in g.quantity.finditer(text.text):
        start = match.start("count")
        if any(begin <= start < end for begin, end in held):
            continue
        before = [m.end() for m in g.clause.finditer(text.text, max(0, start - 40), start)]
        after = g.clause.search(text.text, match.end())
        clause = text.text[
            before[-1] if before else max(0, start - 40) : (
                after.start() if after and after.start() - match.end() <= 40 else match.end() + 40
            )
        ]
        out.add(
            "stated_counts",
            text.line_at(start),
            section=section,
            item="quantity",
            raw_text=clause.strip(),
            count_text=text.text[start : match.start("unit")].strip(),  # 900, 2-3, 200 多
            count=int(match.group("count")),
            unit=match.group("unit"),
            as_of=None,
        )


def line_sections(lines: list[Line], phase: str) -> dict[int, str]:
    """Each line's section (by its number), as `read_narrative` reads it."""
    return {line.no: section for section, part in _parts(lines, phase) for line in part}


def _parts(lines: list[Line], phase: str) -> list[tuple[str, list[Line]]]:
    """The narrative cut at its headings, each part with its section: a top heading (一、,
    第一部分) names one or none; a sub-heading （一） names its own, else its top heading's. A
    glossary's term (基本支出：指…) is no heading."""
    defines = re.compile(grammar().defines)
    parts: list[tuple[str, list[Line]]] = []
    top = current = NARRATIVE
    for line in lines:
        if line.table is not None:
            continue
        text = plain(line)
        heading = HEADING_RE.match(text)
        if heading and not defines.match(text, heading.end()):
            named = section_of(heading.group("words"), phase)
            if heading.group("top"):
                top = current = named or NARRATIVE
            else:
                current = named or top
        if not parts or parts[-1][0] != current:
            parts.append((current, []))
        parts[-1][1].append(line)
    return parts


def _found(text: Text, section: str, phase: str) -> list[tuple]:
    """Every item's statements in the text: (start, minus the words' length, form, item, match)."""
    found = []
    for it in items().values():
        if it.read or it.held_and_planned or phase not in it.words:
            continue
        if it.kind == "count":
            regex = pattern(it.id, phase, section)
            found += [(m.start(), m.start() - m.end(), "count", it, m) for m in _all(regex, text)]
            continue
        for form, regex in (
            ("amount", pattern(it.id, phase, section, "bare")),
            ("change", pattern(it.id, phase, section, "change")),
            ("zero", stated_zero(it.id, phase, section)),
        ):
            for match in _all(regex, text):
                if form == "amount" and not _amount_like(match):
                    continue
                if form == "change" and not _figured(change_at(text, match.end(), True)):
                    continue
                found.append((match.start(), match.start() - match.end("words"), form, it, match))
    return sorted(found, key=lambda f: f[:2])


def _all(regex: re.Pattern | None, text: Text):
    return regex.finditer(text.text) if regex else ()


def _read_all(
    out: Records, section: str, text: Text, phase: str, prior: int | None
) -> list[tuple[int, int]]:
    """The statements of one section's text, counts and amounts apart (共7 个项目…涉及…资金);
    returns the spans of the text they were read from."""
    ends = {"count": 0, "amount": 0}
    held: list[tuple[int, int]] = []
    stated: list[tuple[int, str]] = []  # where each amount stated ends, and its item
    for start, _, form, it, match in _found(text, section, phase):
        kind = "count" if form == "count" else "amount"
        if start < ends[kind]:
            continue
        if form == "count":
            count(out, section, text, it.id, match, it.unit)
            end = match.end()
        elif form == "change":
            end = add_change(out, section, text, it.id, change_at(text, match.end(), True), prior)
        elif form == "zero":
            out.add(
                "stated_amounts",
                text.line_at(start),
                section=section,
                item=it.id,
                raw_text=match.group(0),
                amount_text=match.group("none"),
                amount_yuan=Decimal("0.00"),
                reference_year=None,
            )
            end = match.end()
        else:
            _amount(out, section, text, it, match)
            end = follow(out, section, text, it.id, match.end(), prior, in_sentence=True)
            stated.append((end, it.id))
        ends[kind] = end
        held.append((start, end))
    held += _subjectless_changes(out, section, text, prior, held, stated)
    return held


def _subjectless_changes(out, section, text, prior, held, stated) -> list[tuple[int, int]]:
    """A change whose sentence names no figure of its own (…万元，主要用于…。与上年相比增加…)
    is of the amount stated last before it, in the same paragraph: its spans."""
    spans = []
    g = grammar()
    for match in g.change.finditer(text.text):
        start = match.start("dir")
        if any(begin <= start < end for begin, end in held) or match.group("num") is None:
            continue
        before = [(end, item) for end, item in stated if end <= match.start()]
        if not before or "\n" in text.text[before[-1][0] : match.start()]:
            continue
        if match.start() - before[-1][0] > SUBJECTLESS_REACH:
            continue
        if not sole_amount(text, before[-1][0]):  # of a list's whole, not of its last item
            continue
        end = add_change(out, section, text, before[-1][1], match, prior)
        spans.append((match.start(), end))
    return spans


def _amount_like(match: re.Match) -> bool:
    """An amount with its unit, or a number printed alone that reads as one: with decimals
    (32780.46) or nothing (0), not a count or a list's number (教育支出4, （类）1．)."""
    number = match.group("num")
    return bool(match.group("unit")) or "." in number or number.lstrip("-") == "0"


def _figured(change: re.Match | None) -> bool:
    """A change with its figure, or stated as none (持平): not a bare direction (…比上年下降)."""
    return bool(change) and bool(change.group("num") or change.group("dir") in grammar().same)


def _amount(out: Records, section: str, text: Text, it: Item, match: re.Match) -> None:
    """An amount, its unit printed beside it or taken from its sentence or paragraph."""
    unit, source = match.group("unit"), None
    if unit is None and not it.unit:
        unit, source = _unit_near(text, match.start("num"))
    add_amount(out, section, text, it.id, match, unit, unit_source=source)


def _unit_near(text: Text, offset: int) -> tuple[str | None, str]:
    """The one money unit the amounts of the sentence, else of the paragraph, holding `offset`
    print: (unit, "sentence" or "paragraph"); (None, "missing") where neither prints exactly
    one."""
    amount = re.compile(rf"{NUM}\s*+({grammar().units})")
    for where, span in (("sentence", text.sentence(offset)), ("paragraph", text.paragraph(offset))):
        units = set(amount.findall(span))
        if len(units) == 1:
            return units.pop(), where
        if units:
            break
    return None, "missing"
