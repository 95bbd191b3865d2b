"""The catalog of table kinds (table_kinds.yaml): how each table a disclosure prints is
recognised by its title, its header labels, its row labels and its unit.

The parsers ask it which kind a title line names (`kind_of_title`), which column id a header
label is (`header_column`), which item a row's label is (`row_item`) and what unit a table
prints (`table_unit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOG = Path(__file__).with_name("table_kinds.yaml")
ROWS = {"classified", "two_sided", "items", "cells", "performance"}
# the raw tables a performance kind's columns and form labels fill (raw_tables.yaml)
PERFORMANCE_TABLES = ("performance_tables", "indicators")
# performance columns joined to the 指标值 they qualify: a comparator, a unit
JOINED_TO_TARGET = ("printed_comparator", "printed_unit")
ROLES = {"total", "subtotal", "line"}
SIDES = {"income", "expenditure", None}
CODE_COLUMNS = {"function_code", "economic_code"}
SCOPES = {"national", "hebei"}


_SPACES_RE = re.compile(r"\s+")
# what a row label prints before its words: an ordinal (一、 （一） 1. 1、), 其中：, quotes
_LABEL_NOISE_RE = re.compile(
    r"^(?:其中\s*[:：]\s*)?(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*、"
    r"|\d{1,2}\s*(?:[、.．](?!\d)))?\s*(?:其中\s*[:：])?"
)
_QUOTES_RE = re.compile(r"[“”\"‘’'「」]")


_HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":"})


def normal_label(text: str) -> str:
    """A header label as the catalog writes it: half-width parentheses and colons, no spaces or
    quotes."""
    return _QUOTES_RE.sub("", _SPACES_RE.sub("", text)).translate(_HALF_WIDTH)


def item_label(text: str) -> str:
    """A row's label as row items are matched: without its ordinal, 其中：, quotes and spaces,
    with half-width parentheses."""
    return normal_label(_LABEL_NOISE_RE.sub("", text.strip(), count=1))


@dataclass(frozen=True)
class RowItem:
    """A labelled row a table prints (收入总计, 一、一般公共服务支出, “三公”经费 …)."""

    id: str
    side: str | None
    role: str
    meaning: str
    labels: re.Pattern | None
    function_class: bool = False


@dataclass(frozen=True, eq=False)
class TableKind:
    """One kind of table; see table_kinds.yaml for the meaning of each field."""

    id: str
    name: str
    phase: str
    family: str  # the national table it is, whatever the phase
    scope: str
    required: bool
    titles: tuple[str, ...]
    title_re: re.Pattern
    columns: dict[str, str]
    amount_labels: tuple[str, ...]  # labels of the amount columns, longest first
    qualified: bool  # some columns are named by the heading over them too (三公经费/小计)
    spans: dict[str, tuple[str, ...]]
    code_column: str | None
    code_headers: tuple[str, ...]
    rows: str
    header_first: tuple[str, ...]
    unit: str
    unit_re: re.Pattern
    items: tuple[RowItem, ...] = ()
    printed_number: int | None = None  # the table's place in its own document's contents
    whole_codes: bool = False  # codes printed whole in one cell (2013901)
    sides: str = "label"  # two_sided rows: income/expenditure by label, or by order
    pairs: bool = False  # two items per line
    total_rows: dict[str, str] | None = None  # a total row's label -> its amount's column id
    levels: dict[str, str] | None = None  # bottom header label -> column id suffix
    note_words: tuple[str, ...] = ("注",)
    side_headings: tuple[str, ...] = ()  # two_sided: a row printing only these is a header
    fields: dict[str, str] | None = None  # performance: form label -> field
    department_wide: bool = False  # performance: the department's overall targets
    subject_parts: re.Pattern | None = None  # performance: splits a title's subject

    def match_title(self, text: str) -> re.Match | None:
        return self.title_re.match(text.strip())

    def names_in(self, text: str) -> bool:
        """Whether `text` names this table anywhere (a contents page, say)."""
        return any(re.search(title, text) for title in self.titles)


def _row_items(name: str, raw: list[dict]) -> tuple[RowItem, ...]:
    items = []
    for entry in raw:
        where = f"row item {entry.get('id')!r} of list {name!r}"
        if entry.get("role") not in ROLES:
            raise ValueError(f"{where}: role must be one of {sorted(ROLES)}")
        if entry.get("side") not in SIDES:
            raise ValueError(f"{where}: side must be income, expenditure or absent")
        if not entry.get("meaning") or not (entry.get("labels") or entry.get("function_class")):
            raise ValueError(f"{where} needs a meaning and labels")
        labels = entry.get("labels") or []
        for label in labels:
            re.compile(label)  # each pattern on its own, so an error names it
        items.append(
            RowItem(
                id=entry["id"],
                side=entry.get("side"),
                role=entry["role"],
                meaning=entry["meaning"],
                labels=re.compile("|".join(f"(?:{label})" for label in labels)) if labels else None,
                function_class=bool(entry.get("function_class")),
            )
        )
    return tuple(items)


def _kind(raw: dict, defaults: dict, columns: dict, item_lists: dict) -> TableKind:
    raw = {**defaults, **raw}
    for field in ("id", "name", "titles"):
        if not raw.get(field):
            raise ValueError(f"table kind {raw.get('id')!r} has no {field}")
    where = f"table kind {raw['id']!r}"
    if raw.get("sides", "label") not in ("label", "order"):
        raise ValueError(f"{where}: sides must be label or order")
    if raw["rows"] not in ROWS:
        raise ValueError(f"{where}: rows must be one of {sorted(ROWS)}")
    if raw["scope"] not in SCOPES:
        raise ValueError(f"{where}: scope must be one of {sorted(SCOPES)}")
    codes = raw.get("codes") or {}
    if codes and codes["column"] not in CODE_COLUMNS:
        raise ValueError(f"{where}: codes.column must be in {CODE_COLUMNS}")
    if raw["rows"] in ("two_sided", "items") and raw.get("items") not in item_lists:
        raise ValueError(f"{where}: rows {raw['rows']} need an items list of row_items")
    titles = tuple(raw["titles"])
    for title in titles:
        re.compile(title)  # each pattern on its own, so an error names it
    labels = {normal_label(k): v for k, v in (raw.get("columns") or {}).items()}
    if raw["rows"] == "performance":
        parts = list(re.compile(raw.get("subject_parts") or "").groupindex)
        _check_performance_fields(
            where, [*labels.values(), *(raw.get("fields") or {}).values(), *parts]
        )
    elif raw["scope"] == "national":  # Hebei's cells tables name their own fields
        unknown = sorted({v for v in labels.values() if v not in columns})
        unknown += sorted({v for v in (raw.get("total_rows") or {}).values() if v not in columns})
        if unknown:
            raise ValueError(f"{where}: columns {unknown} are not declared under columns")
    amounts = sorted(
        (label for label, key in labels.items() if key != "name" and "/" not in label), key=len
    )
    frame = raw["title_frame"].replace("{titles}", f"(?P<title>{'|'.join(titles)})")
    return TableKind(
        id=raw["id"],
        name=raw["name"],
        phase=raw["phase"],
        family=raw.get("family") or raw["id"],
        scope=raw["scope"],
        required=bool(raw["required"]),
        titles=titles,
        title_re=re.compile(frame),
        columns=labels,
        amount_labels=tuple(reversed(amounts)),
        qualified=any("/" in label for label in labels),
        spans={normal_label(k): tuple(v) for k, v in (raw.get("spans") or {}).items()},
        code_column=codes.get("column"),
        code_headers=tuple(codes.get("headers", ())),
        rows=raw["rows"],
        header_first=tuple(normal_label(word) for word in raw.get("header_first", ())),
        unit=raw["unit"],
        unit_re=re.compile(raw["unit_pattern"]),
        items=item_lists.get(raw.get("items"), ()),
        printed_number=raw.get("printed_number"),
        whole_codes=bool(raw.get("whole_codes")),
        sides=raw.get("sides", "label"),
        pairs=bool(raw.get("pairs")),
        total_rows={normal_label(k): v for k, v in (raw.get("total_rows") or {}).items()} or None,
        levels={normal_label(k): v for k, v in (raw.get("levels") or {}).items()} or None,
        note_words=tuple(raw.get("note_words", ("注",))),
        side_headings=tuple(
            raw.get("side_headings", ("收入", "支出") if raw["rows"] == "two_sided" else ())
        ),
        fields={normal_label(k): v for k, v in (raw.get("fields") or {}).items()} or None,
        department_wide=bool(raw.get("department_wide")),
        subject_parts=re.compile(raw["subject_parts"]) if raw.get("subject_parts") else None,
    )


def _check_performance_fields(where: str, fields: list[str]) -> None:
    """A performance kind's columns and form labels fill fields of the raw contract."""
    from orchestration.load.schema import raw_tables

    tables = raw_tables()
    known = {f.name for name in PERFORMANCE_TABLES for f in tables[name].fields}
    unknown = sorted(set(fields) - known - set(JOINED_TO_TARGET))
    if unknown:
        raise ValueError(f"{where}: fields {unknown} are not fields of {PERFORMANCE_TABLES}")


@dataclass(frozen=True)
class Catalog:
    kinds: tuple[TableKind, ...]
    columns: dict[str, str]  # column id -> meaning
    item_lists: dict[str, tuple[RowItem, ...]]


@cache
def load_catalog(path: Path = CATALOG) -> Catalog:
    """The catalog, validated: kind ids unique, every column id and items list declared."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    columns = dict(data.get("columns") or {})
    item_lists = {
        name: _row_items(name, entries) for name, entries in (data.get("row_items") or {}).items()
    }
    loaded = tuple(
        _kind(raw, data.get("defaults") or {}, columns, item_lists) for raw in data["kinds"]
    )
    ids = [kind.id for kind in loaded]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"table kinds {repeated} are declared twice")
    return Catalog(loaded, columns, item_lists)


@cache
def kinds(phase: str = "budget", scope: str = "national") -> tuple[TableKind, ...]:
    """The kinds of one phase (budget, final_accounts) and scope (national, hebei)."""
    return tuple(k for k in load_catalog().kinds if k.phase == phase and k.scope == scope)


@cache
def performance_kinds() -> tuple[TableKind, ...]:
    """The kinds of performance target table (`rows: performance`)."""
    return tuple(k for k in load_catalog().kinds if k.rows == "performance")


def kind_by_id(kind_id: str) -> TableKind:
    return {k.id: k for k in load_catalog().kinds}[kind_id]


def kind_of_title(text: str, phase: str = "budget", scope: str = "national") -> TableKind | None:
    """The kind (of `scope`) whose title `text` is. Where several match, the longest name wins
    (its match starts earliest): 财政拨款收支预算总表 is not a …收支预算总表."""
    best, start = None, None
    for kind in kinds(phase, scope):
        match = kind.match_title(text)
        if match and (start is None or match.start("title") < start):
            best, start = kind, match.start("title")
    return best


def header_column(kind: TableKind, label: str) -> str | None:
    """The column id of a header label (`name` for the row labels, class_code, item_code or
    subitem_code for the code headers), or None."""
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


def row_item(kind: TableKind, label: str) -> tuple[RowItem, str | None] | None:
    """The item a row's label is, with the functional class code where the item is a class of
    the national classification (一、一般公共服务支出 -> 201); None for an unknown label."""
    text = item_label(label)
    if not text:
        return None
    for item in kind.items:
        if item.labels is not None and item.labels.fullmatch(text):
            return item, None
        if item.function_class:
            code = _class_code(text)
            if code:
                return item, code
    return None


def _class_code(name: str) -> str | None:
    from orchestration.parse.classification import function_code

    code = function_code(name)
    return code if code and len(code) == 3 else None
