"""The contract of the `raw` schema, declared in `raw_tables.yaml`: one table per kind of
record, each field with its DuckDB type and meaning. Read and checked on first use.

Every parsed record carries `document_key` and its position (`line_no`, `page`). Money is
DECIMAL in 元, never float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml

CONTRACT = Path(__file__).with_name("raw_tables.yaml")

NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
# the DuckDB types a field may have: a base type or DECIMAL(p, s), or a list of one (`x[]`)
BASE_TYPES = "VARCHAR|INTEGER|BIGINT|DOUBLE|BOOLEAN|DATE|TIMESTAMP"
DUCKDB_TYPE_RE = re.compile(rf"(?:{BASE_TYPES}|DECIMAL\(\d{{1,2}}, ?\d{{1,2}}\))(?:\[\])?")
FIELD_KEYS = {"name", "type", "meaning"}
TABLE_KEYS = {"name", "description", "fields"}
TOP_KEYS = {"description", "types", "groups", "tables"}


class ContractError(ValueError):
    """The contract file is malformed; the message names the table and field."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # the DuckDB type
    meaning: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)


@dataclass(frozen=True)
class Contract:
    description: str
    tables: dict[str, Table]


def _text(value, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContractError(f"{where}: no {what}")
    return " ".join(value.split())


def _part(document: dict, key: str, kind: type, where: str):
    """The contract's `types`, `groups` or `tables`, of the kind expected (absent: empty)."""
    value = document.get(key) or kind()
    if not isinstance(value, kind):
        raise ContractError(f"{where}: {key} must be a {'mapping' if kind is dict else 'list'}")
    return value


def _keys(entry, allowed: set[str], where: str) -> dict:
    if not isinstance(entry, dict):
        raise ContractError(f"{where}: expected a mapping, got {entry!r}")
    if unknown := sorted(set(entry) - allowed):
        raise ContractError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}")
    return entry


def _field(entry, types: dict[str, str], where: str) -> Field:
    name = entry.get("name") if isinstance(entry, dict) else None
    where = f"{where}, field {name or '?'}"
    entry = _keys(entry, FIELD_KEYS, where)
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise ContractError(f"{where}: a field name must be lower_snake_case")
    kind = entry.get("type")
    kind = types.get(kind, kind) if isinstance(kind, str) else kind
    if not isinstance(kind, str) or not DUCKDB_TYPE_RE.fullmatch(kind):
        raise ContractError(f"{where}: unknown type {entry.get('type')!r}")
    meaning = _text(entry.get("meaning"), where, "meaning")
    if "\n" in entry["meaning"].strip():
        raise ContractError(f"{where}: a meaning is one line")
    return Field(name, kind, meaning)


def _fields(entries, types: dict, groups: dict, where: str) -> tuple[Field, ...]:
    if not isinstance(entries, list) or not entries:
        raise ContractError(f"{where}: no fields")
    fields: list[Field] = []
    for entry in entries:
        if isinstance(entry, dict) and "group" in entry:
            _keys(entry, {"group"}, f"{where}, group {entry['group']!r}")
            if entry["group"] not in groups:
                raise ContractError(f"{where}: unknown group {entry['group']!r}")
            fields += groups[entry["group"]]
        else:
            fields.append(_field(entry, types, where))
    seen: set[str] = set()
    for field in fields:
        if field.name in seen:
            raise ContractError(f"{where}, field {field.name}: declared twice")
        seen.add(field.name)
    return tuple(fields)


def read_contract(path: Path = CONTRACT) -> Contract:
    """Read and check a contract file; a malformed entry is a ContractError naming it."""
    document = _keys(yaml.safe_load(path.read_text(encoding="utf-8")), TOP_KEYS, path.name)
    types = _part(document, "types", dict, path.name)
    for alias, kind in types.items():
        if not isinstance(kind, str) or not DUCKDB_TYPE_RE.fullmatch(kind):
            raise ContractError(f"{path.name}, type {alias}: unknown DuckDB type {kind!r}")
    groups: dict[str, tuple[Field, ...]] = {}
    for group, entries in _part(document, "groups", dict, path.name).items():
        groups[group] = _fields(entries, types, {}, f"{path.name}, group {group}")
    tables: dict[str, Table] = {}
    for entry in _part(document, "tables", list, path.name):
        name = entry.get("name") if isinstance(entry, dict) else None
        where = f"{path.name}, table {name or '?'}"
        entry = _keys(entry, TABLE_KEYS, where)
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            raise ContractError(f"{where}: a table name must be lower_snake_case")
        if name in tables:
            raise ContractError(f"{where}: declared twice")
        description = _text(entry.get("description"), where, "description")
        tables[name] = Table(name, description, _fields(entry.get("fields"), types, groups, where))
    if not tables:
        raise ContractError(f"{path.name}: no tables")
    return Contract(_text(document.get("description"), path.name, "description"), tables)


@cache
def contract() -> Contract:
    """The project's contract (`raw_tables.yaml`), read once."""
    return read_contract()


def raw_tables() -> dict[str, Table]:
    """The raw tables by name, in the contract's order."""
    return contract().tables
