"""Narrative statements in running text: amounts stated after their words (with the change
against a prior year printed after them) and stated counts.

A section's lines are joined into one `Text`, whose offsets lead back to the line each
statement was printed on; the wording that introduces each figure is the region's (see
`template_b.TOTALS`, `template_b.OTHER`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal

from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.values import money_yuan

# Not from inside digits; comma-separated digit groups, possessive: a run like "1,,1,,1…" is
# scanned once, not once from each "1".
NUM = r"-?(?<!\d)(?<!\d,)\d++(?:,\d++)*+(?:\.\d+)?"
MONEY = rf"(?P<num>{NUM})\s*(?P<unit>万元|元)"
PARA_START_RE = re.compile(r"^(?:\d{1,2}\s*[、.．](?!\d)|[（(][一二三四五六七八九十]+[）)])")
CHANGE_RE = re.compile(
    rf"\s*+[，,。]?\s*+(?:比|与|较)\s*(?P<year>\d{{4}})\s*年[^，。；,;\d]{{0,10}}?"
    rf"(?P<dir>增加|减少|持平|下降|增长|上升)\s*(?:(?P<num>{NUM})\s*(?P<unit>万元|元|%))?"
)
NEGATIVE = {"减少", "下降"}


def stated_re(words: str) -> re.Pattern:
    return re.compile(rf"(?:{words})\s*+(?:为|是)?\s*+{MONEY}")


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
    """Lines joined into one string, with each offset traced back to its line."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.starts: list[int] = []
        parts, offset = [], 0
        for line in lines:
            self.starts.append(offset)
            parts.append(plain(line))
            offset += len(parts[-1])
        self.text = "".join(parts)

    def line_at(self, offset: int) -> Line | None:
        return self.lines[bisect_right(self.starts, offset) - 1] if self.lines else None


def signed(direction: str, number: str | None, unit: str | None) -> Decimal | None:
    """A stated change: 增加 +, 减少 −, 持平 0; percentages are not money (None)."""
    if number is None:
        return Decimal("0.00") if direction == "持平" else None
    if unit == "%":
        return None
    amount = money_yuan(number, unit)
    return -amount if direction in NEGATIVE else amount


def stated(out: Records, section: str, text: Text, items: list) -> None:
    """Each item's first amount in `text`, and the change vs a prior year printed after it."""
    for item, pattern in items:
        match = pattern.search(text.text)
        if not match:
            continue
        out.add(
            "stated_amounts",
            text.line_at(match.start()),
            section=section,
            item=item,
            raw_text=match.group(0),
            amount_text=text.text[match.start("num") : match.end("unit")],
            amount_yuan=money_yuan(match.group("num"), match.group("unit")),
            reference_year=None,
        )
        change = CHANGE_RE.match(text.text, match.end())
        if change:
            line = text.line_at(change.start("year"))
            add_change(out, section, line, item, change, int(change.group("year")))


def add_change(out: Records, section: str, line: Line | None, item: str, change, year) -> dict:
    """A stated change vs a prior `year` (a match with `dir`, `num` and `unit` groups) as the
    `stated_amounts` record `<item>_change`."""
    number, unit = change.group("num"), change.group("unit")
    return out.add(
        "stated_amounts",
        line,
        section=section,
        item=f"{item}_change",
        raw_text=change.group(0).strip(" ，,。"),
        amount_text=f"{change.group('dir')}{number or ''}{unit or ''}",
        amount_yuan=signed(change.group("dir"), number, unit),
        reference_year=year,
    )


def count(out: Records, section: str, text: Text, item: str, match, unit: str, as_of=None):
    """A stated count: the match's last group."""
    out.add(
        "stated_counts",
        text.line_at(match.start()),
        section=section,
        item=item,
        raw_text=match.group(0),
        count_text=match.group(match.lastindex or 0),
        count=int(match.group(match.lastindex or 0)),
        unit=unit,
        as_of=as_of,
    )
