"""Any province's disclosure of the national scheme: its tables through the catalog, wherever
they stand, and its narrative's statements in any province's words.

A disclosure of the Ministry of Finance's scheme prints the same tables (收支总表, 收入总表,
支出总表, 财政拨款收支总表, 一般公共预算支出表 …) under its province's titles, and says the same
things in its narrative in its province's words. A table is found by its title (a line the
catalog names, `table_kinds.yaml`) and runs to the next title or to the first paragraph after
its rows; a contents entry, a title with no row under it, is no table. Its performance target
tables (绩效目标表, the catalog's `rows: performance` kinds) are read in order by
`performance_targets.py`, a project running on from one table to the next. Every other line is
narrative, read for the statements of `statements.yaml` and the lines it explains one by one
(`functional_lines.py`). Who the document is of (kind, level, entity, year, region) is
recognised by the caller (`recognise.py`), not here.
"""

from __future__ import annotations

import re

from orchestration.parse.budget_tables import read_table
from orchestration.parse.catalog import TableKind, kind_of_title, performance_kinds
from orchestration.parse.functional_lines import (
    add_functional_lines,
    read_final_accounts_line,
    read_functional_line,
)
from orchestration.parse.layout import Line, furniture
from orchestration.parse.narrative import line_sections, read_narrative
from orchestration.parse.performance_targets import PerformanceReader
from orchestration.parse.records import Records

TEMPLATE = "national"
TITLE_CHARS = 60  # a title line is no longer
# what may end a title line: its name's 表, and a qualifier in brackets (（按功能分类科目）)
_TITLE_END_RE = re.compile(r"表\s*(?:[（(][^（）()]{1,12}[)）])?\s*$")
_NOTE_RE = re.compile(r"^\s*(?:注|说明|备注)\s*\d*\s*[:：]")
# a heading of the narrative (第三部分…, 一、…, （一）…): where a table ends
_HEADING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])"
)
_PART_RE = re.compile(r"^\s*第[一二三四五六七八九十]+部分")
_SENTENCE_RE = re.compile(r"[，。；：:,;]")
PARAGRAPH = 30  # characters: a line this long without cells after a table's rows is narrative
NATIONAL_TABLES = 3  # kinds of the national tables that make a document one of the scheme's


def title_kind(line: Line, phase: str) -> TableKind | None:
    """The national kind a line titles, if it is a title line."""
    if line.is_row or line.table is not None:
        return None
    text = line.text.strip()
    if len(text) > TITLE_CHARS or not _TITLE_END_RE.search(text):
        return None
    return kind_of_title(text, phase)


def titled_kinds(lines: list[Line], phase: str = "budget") -> set[str]:
    """The national kinds a document names in title lines (its tables, or its contents)."""
    return {kind.id for line in lines if (kind := title_kind(line, phase)) is not None}


def _is_row(line: Line) -> bool:
    return line.is_row or line.table is not None


def tables(lines: list[Line], phase: str) -> list[tuple[Line, TableKind, list[Line]]]:
    """Each table a document prints: its title line, its kind and its body. A title followed
    by no row before the next title is a contents entry (or a title repeated above its table),
    not a table. A title naming its subject (a project's name) may wrap onto a second line:
    the title is then both lines joined, at the first, and its body starts at the second."""
    titles = [(i, *title) for i in range(len(lines)) if (title := _title_at(lines, i, phase))]
    found = []
    for n, (at, title, kind) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(lines)
        body = _body(lines[at + (title.no == lines[at].no) : stop])
        if any(_is_row(line) for line in body):
            found.append((title, kind, body))
    return found


def _title_at(lines: list[Line], at: int, phase: str) -> tuple[Line, TableKind] | None:
    """The title ending at line `at`, with its kind: the line, or the line above and it where a
    title naming its subject wraps."""
    above = _wrapped_from(lines, at)
    if above is not None:
        joined = Line(above.no, above.text.strip() + lines[at].text.strip(), above.page)
        kind = title_kind(joined, phase)
        if kind is not None and "subject" in kind.title_re.groupindex:
            return joined, kind
    kind = title_kind(lines[at], phase)
    return (lines[at], kind) if kind else None


def _wrapped_from(lines: list[Line], at: int) -> Line | None:
    """The line a long title wraps from: just above it on its page, wider than it on both
    sides (the title's last line is centred), not a sentence, a heading or a title."""
    title = lines[at]
    above = lines[at - 1] if at else None
    if above is None or not above.boxes or not title.boxes or above.page != title.page:
        return None
    if _is_row(above) or _is_row(title) or _SENTENCE_RE.search(above.text):
        return None
    wider = above.boxes[0][0] < title.boxes[0][0] and above.boxes[-1][1] > title.boxes[-1][1]
    if not wider or _HEADING_RE.match(above.text) or title_kind(above, "budget"):
        return None
    return above


def _body(lines: list[Line]) -> list[Line]:
    """A table's lines: up to the first heading or paragraph printed after its rows, or, before
    any row, up to a part's heading (第三部分…) or a sentence: the last entry of a contents list
    runs into the narrative, where a sentence opening with a year is no row of it."""
    seen_row = False
    for n, line in enumerate(lines):
        if _is_row(line):
            seen_row = True
            continue
        text = line.text.strip()
        if _NOTE_RE.match(text):
            continue
        if not seen_row:
            if _PART_RE.match(text) or (len(text) >= PARAGRAPH and "。" in text):
                return lines[:n]
            continue
        if _HEADING_RE.match(text) or len(text) >= PARAGRAPH:
            return lines[:n]
    return lines


def parse(
    lines: list[Line], document_key: str, phase: str = "budget", fiscal_year: int | None = None
) -> dict[str, list[dict]]:
    """Parse a disclosure of the national scheme (of `phase`, budget or final_accounts, and
    `fiscal_year` where known: the year whose prior year 上年 names) into raw records by table
    name. Its identity (department, year, level, kind, region) is the caller's to fill in."""
    out = Records(document_key)
    out.add("documents", lines[0], template=TEMPLATE, title=lines[0].text.strip())
    in_tables: set[int] = set()
    performance = PerformanceReader(out)
    skip = furniture(lines)  # a page's number or running header inside a table is none of it
    for title, kind, body in tables(lines, phase):
        body = [line for line in body if line.no not in skip]
        if kind.rows == "performance":
            performance.read(title, kind, body)
        else:
            read_table(out, title, body, kind)
        in_tables.add(title.no)
        in_tables.update(line.no for line in body)
    performance.finish()
    narrative = [line for line in lines if line.no not in in_tables]
    read_narrative(out, narrative, phase, fiscal_year)
    read = read_final_accounts_line if phase == "final_accounts" else read_functional_line
    sections = line_sections(narrative, phase)
    add_functional_lines(out, narrative, read, sections, listed=phase == "budget")
    out["documents"][0]["part"] = _part(out)
    return dict(out)


def _part(out: Records) -> str:
    """What of a disclosure a document holds: its tables (at least three of the national
    ones), its narrative (stated figures), or the whole; a province may publish its tables and
    its narrative as two files of one disclosure."""
    tables = {t["table_kind"] for t in out.get("budget_tables", [])}
    narrative = bool(out.get("stated_amounts"))
    if len(tables) >= NATIONAL_TABLES:
        return "whole" if narrative else "tables"
    return "narrative"


def is_national(lines: list[Line]) -> bool:
    """Whether a document names at least three of the national tables in its title lines (its
    tables, or the contents that list them); performance target tables, which Hebei's own
    template prints too, do not count."""
    named = titled_kinds(lines) | titled_kinds(lines, "final_accounts")
    return len(named - {kind.id for kind in performance_kinds()}) >= NATIONAL_TABLES
