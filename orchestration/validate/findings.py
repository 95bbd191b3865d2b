"""`marts.fct_check_findings`: every failing row of every check, one row each.

Each suite says, in its `meta.finding`, which columns of its query name a finding's document,
page, line, subject, printed value and expected value; an expectation's own `meta.finding`
overrides the suite's, key by key (a key set to null there drops the suite's column). A value
is either a column of the query or a template naming columns in braces (`基本 {basic} + 项目
{project}`; without braces, a fixed text), NULL when every column it names is NULL. Any key may
be absent: the column is then NULL.

The failing rows are found in the query's whole dataframe (never the capped list the run
summary shows); a failing check with no rows to name (a whole-warehouse expectation, or a
query that did not run) is one finding with `document_key` NULL. The validation step writes
the table into the build warehouse beside `audit.check_results`, so every release carries it.
Its columns are documented in `findings.yml` (read by `orchestration/mart_docs.py`). The dbt
tests that warned or failed in the build add theirs (`dbt_findings.py`).
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml

FINDINGS_DOC = Path(__file__).with_name("findings.yml")
TABLE = "fct_check_findings"
KEYS = ("document", "page", "line", "subject", "printed", "expected")


def table_doc() -> dict:
    """The table's dbt-style documentation: name, description and columns (with types)."""
    (model,) = yaml.safe_load(FINDINGS_DOC.read_text(encoding="utf-8"))["models"]
    return model


def columns() -> list[tuple[str, str]]:
    return [(c["name"], c["data_type"]) for c in table_doc()["columns"]]


def rule_id(suite: str, expectation: dict) -> str:
    """`<suite>.<column checked>` (the expectation type for a whole-table expectation)."""
    kwargs = expectation.get("kwargs") or {}
    return f"{suite}.{kwargs.get('column') or expectation['type'].removeprefix('expect_')}"


def mapping(spec: dict, expectation: dict | None = None) -> dict[str, str]:
    """Finding key -> column or template, for an expectation of the suite `spec`."""
    merged = dict(spec["meta"].get("finding") or {})
    merged.update(((expectation or {}).get("meta") or {}).get("finding") or {})
    return {k: v for k, v in merged.items() if k in KEYS and v is not None}


def _plain(value):
    if value is None or (isinstance(value, float) and value != value):  # NaN: NULL in pandas
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def _text(value) -> str | None:
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _integer(value) -> int | None:
    value = _plain(value)
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _value(row: dict, source: str | None) -> str | None:
    """A column's value, or a template filled from the row (NULL when all it names are)."""
    if source is None:
        return None
    if source in row:
        return _text(row[source])
    names = _fields(source)
    values = {n: _text(row.get(n)) for n in names}
    if names and all(v is None for v in values.values()):
        return None
    return source.format_map({n: "NULL" if v is None else v for n, v in values.items()})


def failing_mask(frame, expectation: dict):
    """The rows of `frame` that the column expectation fails (a boolean Series), computed as
    GX does for pandas (NULLs are skipped but by the null expectations); None for an
    expectation of another kind."""
    kind = expectation["type"]
    kwargs = expectation.get("kwargs") or {}
    column = kwargs.get("column")
    if column is None or column not in frame.columns or kwargs.get("mostly") is not None:
        return None
    values = frame[column]
    present = values.notna()
    if kind == "expect_column_values_to_not_be_null":
        return ~present
    if kind == "expect_column_values_to_be_null":
        return present
    if kind == "expect_column_values_to_be_in_set":
        return present & ~values.isin(kwargs["value_set"])
    if kind == "expect_column_values_to_not_be_in_set":
        return present & values.isin(kwargs["value_set"])
    if kind == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        ok = present.copy()
        if low is not None:
            ok &= values > low if kwargs.get("strict_min") else values >= low
        if high is not None:
            ok &= values < high if kwargs.get("strict_max") else values <= high
        return present & ~ok
    return None


def _message(description: str, row: dict, used: set[str], shown: list[str]) -> str:
    """The description, with the row's other identifying values (not its booleans)."""
    specifics = [
        f"{c}={_text(row[c])}"
        for c in shown
        if c in row and c not in used and _text(row[c]) and not isinstance(_plain(row[c]), bool)
    ]
    return description + (f" ({', '.join(specifics)})" if specifics else "")


def findings_of(spec: dict, expectation: dict, result, rows: list[dict] | None) -> list[tuple]:
    """The findings of one failing expectation: one per failing row in `rows` (the rows of the
    query's dataframe that fail it), or one naming no row when `rows` is None."""
    keys = mapping(spec, expectation)
    rule = rule_id(spec["name"], expectation)
    if rows is None:
        observed = f" (observed {result.observed})" if result.observed is not None else ""
        return [(None, rule, result.severity, None, None, None, None, None,
                 result.description + observed)]  # fmt: skip
    column = (expectation.get("kwargs") or {}).get("column")
    shown = list(spec["meta"].get("index_columns") or [])
    if column and column not in shown:
        shown.append(column)
    used = {keys[k] for k in ("document", "page", "line", "subject", "printed", "expected")
            if k in keys}  # fmt: skip
    used |= {n for k in ("subject", "printed", "expected") if k in keys for n in _fields(keys[k])}
    found = []
    for row in rows:
        found.append(
            (
                _text(row.get(keys["document"])) if "document" in keys else None,
                rule,
                result.severity,
                _integer(row.get(keys["page"])) if "page" in keys else None,
                _integer(row.get(keys["line"])) if "line" in keys else None,
                _value(row, keys.get("subject")),
                _value(row, keys.get("printed")),
                _value(row, keys.get("expected")),
                _message(result.description, row, used, shown),
            )
        )
    return found


def frame_rows(frame, mask) -> list[dict]:
    return frame[mask.fillna(False).astype(bool)].to_dict("records")


def write_findings(con, findings: list[tuple]) -> None:
    """Replace `marts.fct_check_findings` with `findings` on the open connection `con`."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    typed = ", ".join(f"{name} {data_type}" for name, data_type in columns())
    con.execute(f"CREATE OR REPLACE TABLE marts.{TABLE} ({typed})")
    if findings:  # through a dataframe: a large corpus may have thousands of findings
        import pandas as pd

        rows = pd.DataFrame(findings, columns=[name for name, _ in columns()], dtype=object)
        con.register("new_findings", rows)
        try:
            typed = ", ".join(f"{name}::{data_type}" for name, data_type in columns())
            con.execute(f"INSERT INTO marts.{TABLE} SELECT {typed} FROM new_findings")
        finally:
            con.unregister("new_findings")
