"""Narrative statements: the figures a disclosure's narrative (情况说明) states in words.

The words are data: `statements.yaml` declares each statement item once (its meaning, the phases
it belongs to, its words, in the sections where they differ), the narrative's sections and the
grammar all items share (what may stand between words and amount, a change against a prior
year, a share, the budget spent, a stated zero, the date of a count). It is read once, on first
use. The template parsers read the items their template states: `amounts` (each item's first
amount, and what follows it), `changes_after`, `standalone_changes`, `counts`, `state_assets`;
`narrative.read_narrative` reads any province's narrative.

A section's lines are joined into one `Text`, whose offsets lead back to the line each statement
was printed on.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.values import MONEY_UNITS, money_yuan

STATEMENTS = Path(__file__).with_name("statements.yaml")
PHASES = ("budget", "final_accounts")

# Not from inside digits; comma-separated digit groups, possessive: a run like "1,,1,,1…" is
# scanned once, not once from each "1".
NUM = r"-?(?<!\d)(?<!\d,)\d++(?:,\d++)*+(?:\.\d+)?"
CJK = r"[\u4e00-\u9fff]"
PARA_START_RE = re.compile(r"^(?:\d{1,2}\s*[、.．](?!\d)|[（(][一二三四五六七八九十]+[）)])")
PERCENT_SIGNS = ("%", "％")


def plain(line: Line) -> str:
    return " ".join(cell for cell in line.cells if cell)


def join(texts: list[str]) -> str:
    """Wrapped lines joined; a new numbered paragraph starts on a new line."""
    out = ""
    for text in texts:
        if out and PARA_START_RE.match(text):
            out += "\n"
        out += text
    return out


class Text:
    """Lines joined into one string, with each offset traced back to its line and paragraph (a
    paragraph starts at a numbered line, or after a line ending in 。 or ：)."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.starts: list[int] = []
        self.paragraphs: list[int] = []
        parts, offset = [], 0
        for line in lines:
            text = plain(line)
            if not parts or PARA_START_RE.match(text) or parts[-1].rstrip().endswith(("。", "：")):
                self.paragraphs.append(offset)
            self.starts.append(offset)
            parts.append(text)
            offset += len(text)
        self.text = "".join(parts)

    def line_at(self, offset: int) -> Line | None:
        return self.lines[bisect_right(self.starts, offset) - 1] if self.lines else None

    def line_end(self, offset: int) -> int:
        """Where the line holding `offset` ends."""
        index = bisect_right(self.starts, offset)
        return self.starts[index] if index < len(self.starts) else len(self.text)

    def paragraph(self, offset: int) -> str:
        """The paragraph holding `offset`."""
        index = bisect_right(self.paragraphs, offset)
        start = self.paragraphs[index - 1] if index else 0
        end = self.paragraphs[index] if index < len(self.paragraphs) else len(self.text)
        return self.text[start:end]

    def sentence(self, offset: int) -> str:
        """The sentence holding `offset` (between full stops or semicolons)."""
        start = max(self.text.rfind(stop, 0, offset) for stop in "。；;") + 1
        ends = [i for stop in "。；;" if (i := self.text.find(stop, offset)) >= 0]
        return self.text[start : min(ends, default=len(self.text))]


# --- the file --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A statement item of statements.yaml (see its header)."""

    id: str
    meaning: str
    kind: str  # amount or count
    words: dict  # phase -> section (or "any") -> patterns
    changes: dict  # the same, for the words a change is stated after
    unit: str | None = None  # a count's measure, or an amount's that is not money (分)
    read: str | None = None  # "after": a change read after its words
    every: bool = False
    held_and_planned: bool = False
    listed: str | None = None  # what lists the things counted, by name

    def words_for(self, phase: str, section: str | None, changes: bool = False) -> tuple:
        """The item's words in `phase` and `section`: the section's own, else the phase's."""
        table = (self.changes if changes else self.words).get(phase, {})
        return tuple(table[section] if section in table else table.get("any", ()))

    def scoped(self, phase: str, section: str, changes: bool = False) -> bool:
        """Whether the item has words of its own in `section`."""
        return section in (self.changes if changes else self.words).get(phase, {})


def _by_section(words) -> dict:
    return {"any": list(words)} if isinstance(words, list) else dict(words)


def _item(item_id: str, kind: str, data: dict) -> Item:
    shared = data.get("words")  # the same words in every phase
    words = {
        phase: _by_section(data.get(phase, shared)) for phase in PHASES if phase in data or shared
    }
    changes = {phase: _by_section(v) for phase, v in data.get("changes", {}).items()}
    return Item(
        item_id,
        data["meaning"],
        kind,
        words,
        changes,
        data.get("unit"),
        data.get("read"),
        data.get("every", False),
        data.get("held_and_planned", False),
        data.get("listed"),
    )


@dataclass(frozen=True)
class Grammar:
    """The shared grammar of statements.yaml, compiled."""

    units: str  # the money units (values.MONEY_UNITS), longest first
    money: str  # an amount and its unit: groups num, unit
    between: str  # what may stand between an item's words and its amount
    change: re.Pattern  # a change against a prior year: groups year, dir, num, unit
    change_in_sentence: re.Pattern  # the same, not across a full stop
    # the same opening the next sentence with nothing between the year and the direction
    # (…万元。与上年相比增加…): a change of the figure just stated
    change_next_sentence: re.Pattern
    quantity: re.Pattern  # a number with its measure word (groups count, unit)
    clause: re.Pattern  # what bounds a clause
    bare_change: re.Pattern  # a direction and its amount, no prior year named
    change_percent: re.Pattern  # the percentage printed after a change in money
    share: re.Pattern  # ，占…的 N%
    execution: str  # 完成…预算的 N% (group pct)
    spent: re.Pattern  # ，完成…预算的 N% after an amount
    none: str  # the words that state an item to be nothing: group none
    defines: str  # what follows a glossary's term
    as_of: re.Pattern
    planned: re.Pattern
    negative: frozenset[str]
    same: frozenset[str]


@cache
def _data() -> dict:
    return yaml.safe_load(STATEMENTS.read_text(encoding="utf-8"))


@cache
def grammar() -> Grammar:
    g, c = _data()["grammar"], _data()["grammar"]["change"]
    units = "|".join(  # a unit not ending in 元 (万) only where no word follows: not 万人
        re.escape(unit) + ("" if unit.endswith("元") else f"(?!{CJK})")
        for unit in sorted(MONEY_UNITS, key=len, reverse=True)
    )
    aside = rf"(?:\s*+{c['aside']})?"
    moves = f"{c['up']}|{c['down']}"
    compared = rf"\s*+(?:{c['against']})\s*+(?:{c['prior']})(?:{c['compared']})?\s*+[，,]?"
    moved = (
        rf"(?P<dir>{moves}|{c['same']}){aside}\s*+(?:(?P<num>{NUM})\s*+(?P<unit>{units}|[%％]))?"
    )
    change = rf"{compared}{c['skip']}{moved}"
    execution = rf"{g['execution']}\s*+(?P<pct>{NUM})\s*+[%％]"
    return Grammar(
        units=units,
        money=rf"(?P<num>{NUM})\s*+(?P<unit>{units})",
        between="(?:" + "|".join(f"(?:{token})" for token in g["between"]) + ")*+",
        change=re.compile(rf"\s*+[，,。]?{change}"),
        change_in_sentence=re.compile(rf"\s*+[，,]?{change}"),
        change_next_sentence=re.compile(rf"\s*+。{compared}\s*+{moved}"),
        quantity=re.compile(g["quantity"]),
        clause=re.compile(g["clause"]),
        bare_change=re.compile(
            rf"(?P<dir>{moves}){aside}\s*+(?P<num>{NUM})\s*+(?P<unit>{units}|[%％])"
        ),
        change_percent=re.compile(
            rf"\s*+[，,]\s*+(?P<dir>{moves}){aside}\s*+(?P<pct>{NUM})\s*+[%％]?"
        ),
        share=re.compile(rf"\s*+[，,]?\s*+{g['share']}\s*+(?P<pct>{NUM})\s*+[%％]"),
        execution=execution,
        spent=re.compile(rf"\s*+[，,]?\s*+{execution}"),
        none=g["none"],
        defines=g["defines"],
        as_of=re.compile(g["as_of"]),
        planned=re.compile(g["planned"]),
        negative=frozenset(c["down"].split("|")),
        same=frozenset(c["same"].split("|")),
    )


@cache
def items() -> dict[str, Item]:
    data = _data()
    out = {k: _item(k, "amount", v) for k, v in data["amounts"].items()}
    out.update({k: _item(k, "count", v) for k, v in data["counts"].items()})
    return out


def item(item_id: str) -> Item:
    return items()[item_id]


@cache
def _sections() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(s["id"], tuple(s["phases"]), tuple(s["headings"])) for s in _data()["sections"]]


def section_of(heading: str, phase: str) -> str | None:
    """The narrative section a heading opens: the first whose words it holds, or None."""
    compact = re.sub(r"\s+", "", heading)
    for section, phases, headings in _sections():
        if phase in phases and any(words in compact for words in headings):
            return section
    return None


def items_in(phase: str, section: str, kind: str = "amount", changes: bool = False) -> list[str]:
    """The items with words of their own in `section` (for their change, with `changes`)."""
    return [i.id for i in items().values() if i.kind == kind and i.scoped(phase, section, changes)]


@cache
def offices_listed() -> re.Pattern:
    """The internal offices' names listed after their count (groups parent, list)."""
    return re.compile(item("internal_offices").listed)


def _alternatives(words: tuple) -> str:
    return "|".join(f"(?:{w})" for w in words)


@cache
def pattern(
    item_id: str, phase: str, section: str | None, form: str = "amount"
) -> re.Pattern | None:
    """An item's statement in `phase` and `section`, or None where it has no words there: its
    words (group `words`), what may stand between, then by `form` its amount (`amount`), an
    amount whose unit may be left out (`bare`) or nothing more (`words`; `change`: also the
    words its change is stated after). A count's pattern is its words alone."""
    it = item(item_id)
    words = it.words_for(phase, section)
    if form == "change":
        words = it.words_for(phase, section, changes=True) + words
    if not words:
        return None
    if it.kind == "count":  # the count is the last group: no group around the words
        return re.compile(_alternatives(words))
    g = grammar()
    head = rf"(?P<words>{_alternatives(words)}){g.between}"
    if form in ("words", "change"):
        return re.compile(head)
    if it.unit:
        return re.compile(rf"{head}(?P<num>{NUM})\s*+(?P<unit>{re.escape(it.unit)})")
    if form == "bare":  # a number printed alone is followed by no digit, %, nor word
        alone = rf"(?![\d.,．、]|\s*+(?:[\d%％]|{CJK}))"
        return re.compile(rf"{head}(?P<num>{NUM})(?:\s*+(?P<unit>{g.units}))?(?(unit)|{alone})")
    return re.compile(head + g.money)


@cache
def stated_zero(item_id: str, phase: str, section: str | None) -> re.Pattern | None:
    """An item stated to be nothing (没有…, 无…): its words with no amount after them."""
    it = item(item_id)
    words = it.words_for(phase, section)
    if not words or it.unit or it.kind == "count":
        return None
    g = grammar()
    return re.compile(
        rf"{g.none}[^，,。；;\d]{{0,12}}?(?P<words>{_alternatives(words)})(?!{g.between}{NUM})"
    )


# --- records ---------------------------------------------------------------------------------


def signed(direction: str, number: str | None, unit: str | None) -> Decimal | None:
    """A stated change: up +, down −, the same 0; percentages are not money (None)."""
    if number is None:
        return Decimal("0.00") if direction in grammar().same else None
    if unit in PERCENT_SIGNS:
        return None
    amount = money_yuan(number, unit)
    return -amount if direction in grammar().negative else amount


def add_amount(
    out: Records, section: str, text: Text, item_id: str, match: re.Match, unit=None, **extra
) -> dict:
    """A stated amount (a match with `num` and `unit` groups; `unit` where printed elsewhere):
    in 元 where its unit is money."""
    unit = unit or match.group("unit")
    return out.add(
        "stated_amounts",
        text.line_at(match.start()),
        section=section,
        item=item_id,
        raw_text=match.group(0).strip(" ，,。"),
        amount_text=text.text[match.start("num") : match.end()],
        amount_yuan=money_yuan(match.group("num"), unit) if unit in MONEY_UNITS else None,
        reference_year=None,
        **extra,
    )


def _percent(out: Records, section: str, text: Text, item_id: str, match: re.Match, year=None):
    """A stated percentage (a share, the budget spent, a change): not money, kept as printed."""
    out.add(
        "stated_amounts",
        text.line_at(match.start("pct")),
        section=section,
        item=item_id,
        raw_text=match.group(0).strip(" ，,。"),
        amount_text=text.text[match.start() : match.end()].strip(" ，,。"),
        amount_yuan=None,
        reference_year=year,
    )


def _change_record(out: Records, section: str, line, name: str, change: re.Match, year) -> dict:
    number, unit = change.group("num"), change.group("unit")
    return out.add(
        "stated_amounts",
        line,
        section=section,
        item=name,
        raw_text=change.group(0).strip(" ，,。"),
        amount_text=f"{change.group('dir')}{number or ''}{unit or ''}",
        amount_yuan=signed(change.group("dir"), number, unit),
        reference_year=year,
    )


def add_change(out: Records, section: str, text: Text, item_id: str, change, prior) -> int:
    """A change (a match with `dir`, `num` and `unit` groups, and `year` where it names one) as
    `<item>_change`, on the line of its year (else of its direction), with the percentage
    printed after it as `<item>_change_percent`; `prior` is the year 上年 names. Returns where
    it ends."""
    named = change.groupdict().get("year")
    year = int(named) if named else prior
    line = text.line_at(change.start("year") if named else change.start("dir"))
    _change_record(out, section, line, f"{item_id}_change", change, year)
    end = change.end()
    percent = grammar().change_percent.match(text.text, end)
    if percent and change.group("unit") not in PERCENT_SIGNS:
        _percent(out, section, text, f"{item_id}_change_percent", percent, year)
        end = percent.end()
    return end


def change_at(text: Text, offset: int, in_sentence: bool = False) -> re.Match | None:
    """The change printed at `offset`: against a prior year, else a bare direction and amount."""
    g = grammar()
    change = g.change_in_sentence if in_sentence else g.change
    return change.match(text.text, offset) or g.bare_change.match(text.text, offset)


def follow(
    out: Records, section: str, text: Text, item_id: str, end: int, prior, in_sentence=False
) -> int:
    """What follows a stated amount: its share (占…%), the budget spent (完成…预算的…%), its change
    vs the prior year (与2023 年度相比…增加…万元，增长…%; with `in_sentence`, not after a full
    stop), in any order; returns where it ends."""
    g = grammar()
    changes = g.change_in_sentence if in_sentence else g.change
    while True:
        if share := g.share.match(text.text, end):
            _percent(out, section, text, f"{item_id}_share", share)
            end = share.end()
        elif spent := g.spent.match(text.text, end):
            _percent(out, section, text, f"{item_id}_execution_percent", spent)
            end = spent.end()
        elif change := changes.match(text.text, end) or (
            sole_amount(text, end) and g.change_next_sentence.match(text.text, end)
        ):
            end = add_change(out, section, text, item_id, change, prior)
        else:
            return end


def sole_amount(text: Text, end: int) -> bool:
    """Whether the sentence ending at `end` states one amount only: a change opening the next
    sentence is then of it (基本支出预算数为6,522.75 万元。与上年相比增加…), not of a list's
    last item (…其中：公务接待费81.50万元。与2020年相比减少… is the whole's)."""
    start = text.text.rfind("。", 0, end) + 1
    return len(re.findall(grammar().money, text.text[start:end])) == 1


def count(out: Records, section: str, text: Text, item_id: str, match, unit: str, as_of=None):
    """A stated count: the match's last group."""
    out.add(
        "stated_counts",
        text.line_at(match.start()),
        section=section,
        item=item_id,
        raw_text=match.group(0),
        count_text=match.group(match.lastindex or 0),
        count=int(match.group(match.lastindex or 0)),
        unit=unit,
        as_of=as_of,
    )


# --- what a template states ------------------------------------------------------------------


def amounts(
    out: Records,
    section: str,
    text: Text,
    phase: str,
    item_ids: list[str],
    with_follow: bool = True,
    prior: int | None = None,
) -> None:
    """Each item's first amount in `text` (every one, for an item marked `every`) and, with
    `with_follow`, what is printed after it (see `follow`); `prior` is the year 上年 names."""
    for item_id in item_ids:
        found = pattern(item_id, phase, section)
        if found is None:
            continue
        matches = found.finditer(text.text) if item(item_id).every else [found.search(text.text)]
        for match in filter(None, matches):
            add_amount(out, section, text, item_id, match)
            if with_follow:
                follow(out, section, text, item_id, match.end(), prior)


def changes_after(
    out: Records, section: str, text: Text, phase: str, item_ids: list[str], prior: int | None
) -> None:
    """Items read `after` their words: on each line, the first change printed after the first of
    the item's words, other statements between (…81.50万元。与2020年相比减少34.98万元); the
    record is the item itself."""
    for start in text.starts:
        end = text.line_end(start)
        for item_id in item_ids:
            words = pattern(item_id, phase, section, "words").search(text.text, start, end)
            change = words and grammar().change.search(text.text, words.end(), end)
            if change:
                year = int(change.group("year")) if change.group("year") else prior
                _change_record(out, section, text.line_at(start), item_id, change, year)


def standalone_changes(
    out: Records, section: str, text: Text, phase: str, item_ids: list[str], prior: int | None
) -> None:
    """Changes stated after an item's words without its amount (“三公”经费财政拨款支出决算数比
    2023 年度减少…, 公务接待费支出决算减少0.15 万元), each searched after the one before."""
    start = 0
    for item_id in item_ids:
        found = pattern(item_id, phase, section, "change")
        for words in found.finditer(text.text, start) if found else []:
            if change := change_at(text, words.end()):
                start = add_change(out, section, text, item_id, change, prior)
                break


def counts(out: Records, section: str, text: Text, phase: str, item_ids: list[str]) -> None:
    """Each count item's first statement in `text`."""
    for item_id in item_ids:
        found = pattern(item_id, phase, section)
        if match := found.search(text.text) if found else None:
            count(out, section, text, item_id, match, item(item_id).unit)


def as_of(match: re.Match | None) -> str | None:
    """The date a count is stated as of: 截至2025年8月31日 2025-08-31, 截至2025年12月底
    2025-12-31 (the month's end), 截至2025年12月 2025-12 (no day printed)."""
    if not match:
        return None
    year, month, day = int(match.group("year")), int(match.group("month")), match.group("day")
    if day is None and match.group("end"):
        day = calendar.monthrange(year, month)[1]
    return f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")


def state_assets(
    out: Records, text: Text, phase: str, section: str = "state_assets"
) -> list[tuple[int, int]]:
    """Vehicles and equipment held (as of a date) and planned for purchase, in print order: the
    counts stated for both, recorded as held_<item> and planned_<item>; returns their spans."""
    spans = []
    g = grammar()
    planned = g.planned.search(text.text)
    split = text.text.rfind("。", 0, planned.start()) + 1 if planned else len(text.text)
    date = as_of(g.as_of.search(text.text, 0, split))
    kinds = [i for i in items().values() if i.held_and_planned]
    for prefix, start, end in (("held", 0, split), ("planned", split, len(text.text))):
        found = []
        for kind in kinds:
            regex = pattern(kind.id, phase, section)
            matches = list(regex.finditer(text.text, start, end)) if regex else []
            found += [(m.start(), kind, m) for m in matches[: None if kind.every else 1]]
        for _, kind, match in sorted(found, key=lambda f: f[0]):
            stamp = date if prefix == "held" else None
            count(out, section, text, f"{prefix}_{kind.id}", match, kind.unit, stamp)
            spans.append(match.span())
    return spans
