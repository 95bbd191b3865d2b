"""The catalog of table kinds (table_kinds.yaml): how each table a disclosure prints is
recognised by its title, its header labels, its row labels and its unit.

The template parsers ask it which kind a title line names (`kind_of_title`), which canonical
column a header label is (`header_column`), and what unit a table prints (`table_unit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOG = Path(__file__).with_name("table_kinds.yaml")
ROWS = {"classified", "two_sided", "cells"}
CODE_COLUMNS = {"function_code", "economic_code"}


_SPACES_RE = re.compile(r"\s+")


def normal_label(text: str) -> str:
    """A header label as the catalog writes it: half-width parentheses, no spaces."""
    return _SPACES_RE.sub("", text).replace("（", "(").replace("）", ")")


@dataclass(frozen=True, eq=False)
class TableKind:
    """One kind of table; see table_kinds.yaml for the meaning of each field."""

    id: str
    name: str
    template: str
    phase: str
    number: int | None
    titles: tuple[str, ...]
    title_re: re.Pattern
    columns: dict[str, str]
    amount_labels: tuple[str, ...]  # labels of the amount columns, longest first
    spans: dict[str, tuple[str, ...]]
    code_column: str | None
    code_headers: tuple[str, ...]
    rows: str
    header_first: tuple[str, ...]
    unit: str
    unit_re: re.Pattern
    printed_number: int | None = None  # the table's place in its own document's contents
    whole_codes: bool = False  # codes printed whole in one cell (2013901)
    sides: str = "label"  # two_sided rows: income/expenditure by label, or by order
    total_re: re.Pattern | None = None  # labels of total rows, matched whole
    pairs: bool = False  # two items per line
    total_rows: dict[str, str] | None = None  # a total row's label -> its amount's column key
    levels: dict[str, str] | None = None  # bottom header label -> column key suffix
    note_words: tuple[str, ...] = ("注",)
    side_headings: tuple[str, ...] = ()  # two_sided: a row printing only these is a header

    def match_title(self, text: str) -> re.Match | None:
        return self.title_re.match(text.strip())

    def names_in(self, text: str) -> bool:
        """Whether `text` names this table anywhere (a contents page, say)."""
        return any(re.search(title, text) for title in self.titles)


def _kind(raw: dict, defaults: dict) -> TableKind:
    raw = {**defaults, **raw}
    for field in ("id", "name", "template", "titles"):
        if not raw.get(field):
            raise ValueError(f"table kind {raw.get('id')!r} has no {field}")
    if raw.get("sides", "label") not in ("label", "order"):
        raise ValueError(f"table kind {raw['id']!r}: sides must be label or order")
    if raw["rows"] not in ROWS:
        raise ValueError(f"table kind {raw['id']!r}: rows must be one of {sorted(ROWS)}")
    codes = raw.get("codes") or {}
    if codes and codes["column"] not in CODE_COLUMNS:
        raise ValueError(f"table kind {raw['id']!r}: codes.column must be in {CODE_COLUMNS}")
    titles = tuple(raw["titles"])
    for title in titles:
        re.compile(title)  # each pattern on its own, so an error names it
    columns = {normal_label(k): v for k, v in (raw.get("columns") or {}).items()}
    amounts = sorted((label for label, key in columns.items() if key != "name"), key=len)
    frame = raw["title_frame"].replace("{titles}", f"(?P<title>{'|'.join(titles)})")
    return TableKind(
        id=raw["id"],
        name=raw["name"],
        template=raw["template"],
        phase=raw["phase"],
        number=raw.get("number"),
        titles=titles,
        title_re=re.compile(frame),
        columns=columns,
        amount_labels=tuple(reversed(amounts)),
        spans={normal_label(k): tuple(v) for k, v in (raw.get("spans") or {}).items()},
        code_column=codes.get("column"),
        code_headers=tuple(codes.get("headers", ())),
        rows=raw["rows"],
        header_first=tuple(normal_label(word) for word in raw.get("header_first", ())),
        unit=raw["unit"],
        unit_re=re.compile(raw["unit_pattern"]),
        printed_number=raw.get("printed_number"),
        whole_codes=bool(raw.get("whole_codes")),
        sides=raw.get("sides", "label"),
        total_re=re.compile(raw["total_labels"]) if raw.get("total_labels") else None,
        pairs=bool(raw.get("pairs")),
        total_rows={normal_label(k): v for k, v in (raw.get("total_rows") or {}).items()} or None,
        levels={normal_label(k): v for k, v in (raw.get("levels") or {}).items()} or None,
        note_words=tuple(raw.get("note_words", ("注",))),
        side_headings=tuple(
            raw.get("side_headings", ("收入", "支出") if raw["rows"] == "two_sided" else ())
        ),
    )


@cache
def load_catalog(path: Path = CATALOG) -> tuple[TableKind, ...]:
    """Every table kind of the catalog, validated: ids unique, and numbers unique within a
    template and phase."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    loaded = tuple(_kind(raw, data.get("defaults") or {}) for raw in data["kinds"])
    seen: set = set()
    for kind in loaded:
        keys = [kind.id] + ([(kind.template, kind.phase, kind.number)] if kind.number else [])
        if seen & set(keys):
            raise ValueError(f"table kind {kind.id!r} repeats an id or a number")
        seen |= set(keys)
    return loaded


@cache
def kinds(template: str, phase: str = "budget") -> tuple[TableKind, ...]:
    """The kinds one template family prints in one phase (budget, final_accounts)."""
    return tuple(k for k in load_catalog() if k.template == template and k.phase == phase)


def kind_by_id(kind_id: str) -> TableKind:
    return {k.id: k for k in load_catalog()}[kind_id]


def kind_of_title(text: str, template: str = "B", phase: str = "budget") -> TableKind | None:
    """The kind whose title `text` is. Where several match, the longest name wins (its match
    starts earliest): 财政拨款收支预算总表 is table 4, not a …收支预算总表."""
    best, start = None, None
    for kind in kinds(template, phase):
        match = kind.match_title(text)
        if match and (start is None or match.start("title") < start):
            best, start = kind, match.start("title")
    return best


def header_column(kind: TableKind, label: str) -> str | None:
    """The canonical column of a header label (`name` for the row labels, class_code,
    item_code or subitem_code for the code headers), or None."""
    label = normal_label(label)
    if label in kind.code_headers:
        return ("class_code", "item_code", "subitem_code")[kind.code_headers.index(label)]
    return kind.columns.get(label)


def is_header_row(kind: TableKind, cells: list[str]) -> bool:
    """Whether a row is the kind's header row, by its first cell."""
    if not cells or not kind.header_first:
        return False
    return normal_label(cells[0]).startswith(kind.header_first)


def table_unit(kind: TableKind, text: str) -> str | None:
    """The unit a line prints for its table (元 or 万元), if it prints one."""
    match = kind.unit_re.search(text)
    return match.group(1) if match else None
