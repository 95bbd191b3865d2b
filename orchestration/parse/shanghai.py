"""What the Shanghai family's documents (template B: Putuo budgets and final accounts) share:
the numbered duties of 主要职能, and the contents' entries and headings with the year and the
table each names. Used by `template_b` and `final_accounts`.
"""

from __future__ import annotations

import re

from orchestration.parse.catalog import kind_of_title
from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.statements import plain
from orchestration.parse.values import cn_number

DUTY_RE = re.compile(r"^(?:(\d{1,2})\s*[、.．]|[（(]\s*([一二三四五六七八九十]+)\s*[）)])\s*(.*)$")

# a heading's or contents entry's number: 一、 / 1. / 4． / （一）
HEADING_NUMBER_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]+[）)])"
)
HEADING_LEADER_RE = re.compile(r"[…⋯．.·—-]{2,}\d*$")  # a contents entry's dots and page number
HEADING_YEAR_RE = re.compile(r"(\d{4})\s*年")


def duties(out: Records, body: list[Line], unnumbered: bool = False) -> None:
    """Numbered duties (`1.`, `（一）`), each continued by the lines wrapped after it. With
    `unnumbered`, text before the first number is a duty of its own (a paragraph of duties)."""
    duty = None
    for line in body:
        text = plain(line)
        match = DUTY_RE.match(text)
        if match:
            arabic, chinese, rest = match.groups()
            duty = out.add(
                "duties",
                line,
                ordinal=out.count("duties") + 1,
                printed_number=int(arabic) if arabic else cn_number(chinese),
                printed_label=text[: match.start(3)].strip(),
                duty_text=rest.strip(),
            )
        elif duty is not None:
            duty["duty_text"] += text  # a duty wrapped onto the next line
        elif unnumbered and text:
            duty = out.add(
                "duties",
                line,
                ordinal=out.count("duties") + 1,
                printed_number=None,
                printed_label=None,
                duty_text=text,
            )


def headings(out: Records, entries: list[tuple[str, Line]], phase: str) -> None:
    """The contents' entries and the document's headings (`entries`: (contents or heading,
    line)) as printed, in print order: the table an entry names and the year a heading prints,
    for the checks (every listed table is present, every heading's year is the fiscal year). A
    heading naming neither a table nor a year is left out."""
    for kind, line in sorted(entries, key=lambda entry: entry[1].no):
        text = re.sub(r"\s+", "", line.text)
        title = HEADING_LEADER_RE.sub("", HEADING_NUMBER_RE.sub("", text))
        table = kind_of_title(title, phase) if len(title) <= 60 else None
        year = HEADING_YEAR_RE.search(text)
        if table is None and year is None and kind == "heading":
            continue
        out.add(
            "headings",
            line,
            ordinal=out.count("headings") + 1,
            kind=kind,
            text=text,
            year=int(year.group(1)) if year else None,
            table_kind=table.id if table else None,
        )
