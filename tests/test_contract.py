"""The raw tables' contract (orchestration/load/raw_tables.yaml): the warehouse's DDL, the
loader's refusal of undeclared keys and the dbt sources all come from it, and a malformed
entry is refused by name. Real DuckDB files, the real contract."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.load.raw import UndeclaredKey, create_raw_schema, load_raw
from orchestration.load.schema import CONTRACT, ContractError, raw_tables, read_contract
from orchestration.prepare import SOURCES, ensure_manifest, sources_yaml, write_sources


def document(key: str = "0123456789abcdef", **records: list[dict]) -> dict[str, list[dict]]:
    """One parsed document's records: its `documents` record and `records`."""
    doc = {"document_key": key, "line_no": 1, "page": 1, "status": "parsed", "fiscal_year": 2024}
    return {"documents": [doc], **records}


def duty(key: str = "0123456789abcdef", **fields) -> dict:
    return {"document_key": key, "line_no": 3, "page": 1, "ordinal": 1, **fields}


def test_ddl_has_exactly_the_contracts_columns_and_types(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    create_raw_schema(con)
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' order by table_name, ordinal_position"
    ).fetchall()
    con.close()
    created: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        created.setdefault(table, []).append((column, kind.replace(" ", "")))
    declared = {
        table.name: [(f.name, f.type.replace(" ", "")) for f in table.fields]
        for table in raw_tables().values()
    }
    assert created == declared
    assert ("amount_yuan", "DECIMAL(18,2)") in created["functional_lines"]  # money, in 元
    assert ("cells", "VARCHAR[]") in created["table_rows"]


def test_an_undeclared_key_is_refused_naming_table_key_and_document(tmp_path):
    records = document("feedc0ffee000001", duties=[duty("feedc0ffee000001", duty_txt="typo")])
    with pytest.raises(UndeclaredKey) as refused:
        load_raw(tmp_path / "warehouse.duckdb", [], [], [document(), records])
    message = str(refused.value)
    assert "raw.duties" in message and "'duty_txt'" in message
    assert "feedc0ffee000001" in message and "orchestration/load/raw_tables.yaml" in message


def test_several_undeclared_keys_are_named_together(tmp_path):
    records = document(duties=[duty(), duty(colour="red", size=2)])
    with pytest.raises(UndeclaredKey, match=r"raw\.duties: .* keys 'colour', 'size'"):
        load_raw(tmp_path / "warehouse.duckdb", [], [], [records])


def test_a_table_outside_the_contract_is_refused(tmp_path):
    with pytest.raises(UndeclaredKey, match="no raw table 'footnotes'.*0123456789abcdef"):
        load_raw(tmp_path / "warehouse.duckdb", [], [], [document(footnotes=[duty()])])


def test_a_missing_optional_key_loads_null(tmp_path):
    records = document(
        duties=[
            duty(printed_number=1, printed_label="（一）", duty_text="负责全县…"),
            duty(ordinal=2, duty_text="unnumbered"),  # no printed_number, no printed_label
        ],
        stated_amounts=[{"document_key": "0123456789abcdef", "amount_yuan": Decimal("1.50")}],
    )
    counts = load_raw(tmp_path / "warehouse.duckdb", [], [], [records])
    assert counts["duties"] == 2 and counts["documents"] == 1 and counts["fetch_log"] == 0
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    rows = con.execute(
        "select ordinal, printed_number, printed_label, duty_text from raw.duties order by ordinal"
    ).fetchall()
    stated = con.execute("select line_no, item, amount_yuan from raw.stated_amounts").fetchall()
    con.close()
    assert rows == [(1, 1, "（一）", "负责全县…"), (2, None, None, "unnumbered")]
    assert stated == [(None, None, Decimal("1.50"))]


def test_the_dbt_sources_list_every_table_and_column_with_its_meaning():
    written = write_sources()
    assert written == SOURCES and SOURCES.read_text(encoding="utf-8") == sources_yaml()
    (source,) = yaml.safe_load(sources_yaml())["sources"]
    assert (source["name"], source["schema"]) == ("raw", "raw") and source["description"]
    tables = {table["name"]: table for table in source["tables"]}
    assert list(tables) == list(raw_tables())
    for name, table in raw_tables().items():
        assert tables[name]["description"] == table.description
        assert tables[name]["columns"] == [
            {"name": f.name, "data_type": f.type, "description": f.meaning} for f in table.fields
        ]
    columns = {c["name"]: c for c in tables["functional_lines"]["columns"]}
    assert columns["amount_yuan"]["data_type"] == "DECIMAL(18, 2)"
    assert columns["document_key"]["description"]  # a group's fields, placed in each table


def test_dbts_manifest_has_the_contracts_columns():
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    for name, table in raw_tables().items():
        columns = manifest["sources"][f"source.yusuan.raw.{name}"]["columns"]
        assert [(c["name"], c["data_type"]) for c in columns.values()] == [
            (f.name, f.type) for f in table.fields
        ]


# --- a malformed contract is refused, naming the entry ------------------------------------------


def _table(contract: dict, name: str) -> dict:
    return next(table for table in contract["tables"] if table["name"] == name)


def _field(contract: dict, table: str, name: str) -> dict:
    return next(f for f in _table(contract, table)["fields"] if f.get("name") == name)


MALFORMED = [
    (
        lambda c: _field(c, "functional_lines", "amount_yuan").update(type="MONEY"),
        "table functional_lines, field amount_yuan: unknown type 'MONEY'",
    ),
    (
        lambda c: _field(c, "duties", "duty_text").pop("meaning"),
        "table duties, field duty_text: no meaning",
    ),
    (
        lambda c: _field(c, "duties", "duty_text").update(meaning="one\nline\n"),
        "table duties, field duty_text: a meaning is one line",
    ),
    (
        lambda c: _table(c, "units")["fields"].append(_field(c, "units", "rank")),
        "table units, field rank: declared twice",
    ),
    (
        lambda c: _field(c, "units", "rank").update(name="page"),  # a field of the position group
        "table units, field page: declared twice",
    ),
    (
        lambda c: _field(c, "indicators", "basis").update(meanings="typo"),
        "table indicators, field basis: unknown key(s) 'meanings'",
    ),
    (
        lambda c: _field(c, "glossary", "term").update(name="Term"),
        "table glossary, field Term: a field name must be lower_snake_case",
    ),
    (lambda c: _table(c, "glossary").pop("description"), "table glossary: no description"),
    (lambda c: c["tables"].append(_table(c, "glossary")), "table glossary: declared twice"),
    (
        lambda c: _table(c, "duties")["fields"].insert(0, {"group": "place"}),
        "table duties: unknown group 'place'",
    ),
    (
        lambda c: c["groups"]["position"][2].update(type="INT4"),
        "group position, field page: unknown type 'INT4'",
    ),
    (lambda c: c["types"].update(money="NUMERIC"), "type money: unknown DuckDB type 'NUMERIC'"),
]


@pytest.mark.parametrize(("change", "message"), MALFORMED)
def test_a_malformed_contract_entry_is_refused_naming_it(tmp_path: Path, change, message):
    contract = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    change(contract)
    path = tmp_path / "raw_tables.yaml"
    path.write_text(yaml.safe_dump(contract, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContractError) as refused:
        read_contract(path)
    assert str(refused.value) == f"raw_tables.yaml, {message}"


def test_the_contract_reads_as_declared():
    contract = read_contract(CONTRACT)
    assert contract.tables == raw_tables()
    for table in contract.tables.values():
        assert [f.name for f in table.fields[:3]] == ["document_key", "line_no", "page"] or (
            table.name in ("sources", "fetch_log")
        )
