"""dbt test failures as rows of `marts.fct_check_findings`, beside the Great Expectations ones.

`dbt build` leaves its results in `<home>/logs/target/run_results.json`, with its manifest
beside it. Every test that warned or failed there is read again on the audited warehouse: its
compiled SQL returns the failing rows (all of them), one finding each. The rule is
`dbt.<test name>`, the node's name, stable across builds
(`dbt.unique_fct_department_budget_document_key`); the severity `warning` for a test that
warned, `critical` for one that failed. A row gives the document (its `document_key` column,
or the tested value when the test is on `document_key`), the page and line (`page`,
`line_no`) and the tested column's value (named `unique_field`, `value_field` or `from_field`
by dbt's generic tests); the subject is the tested model and column. A test whose SQL cannot
be read again, or that returns no row any more, is one finding with `document_key` NULL.

Which build: the load step removes the previous build's `run_results.json` when it recreates
the staging warehouse (`forget_build`), and the audit runs after this warehouse's `dbt build`,
which writes a new one. So the file found is this warehouse's build, or there is none (nothing
is found). File times cannot tell: DuckDB writes the database file after dbt has written its
results. A file left by another dbt command than `build` is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from orchestration.validate.findings import _integer, _message, _text

RESULTS = "run_results.json"
SEVERITY = {"warn": "warning", "fail": "critical"}  # the run_results statuses that are findings
VALUE_COLUMNS = ("unique_field", "value_field", "from_field")  # the tested column, in dbt's tests


def describe_dbt_test(test: Mapping[str, Any]) -> str:
    """What a dbt test asserts, in words: its own description when it has one, else one
    made from the generic test and its arguments (`not_null` on `document_key` ->
    "document_key is never null")."""
    severity = (test.get("config") or {}).get("severity", "error").lower()
    suffix = " (warns, does not block)" if severity == "warn" else ""
    own = test.get("description") or (test.get("meta") or {}).get("description")
    if own:
        return own.strip() + suffix
    generic = test.get("test_metadata") or {}
    kwargs = dict(generic.get("kwargs") or {})
    column = kwargs.pop("column_name", None) or test.get("column_name")
    kwargs.pop("model", None)
    name = generic.get("name")
    if name == "not_null":
        text = f"{column} is never null"
    elif name == "unique":
        text = f"{column} is unique"
    elif name == "accepted_values":
        text = f"{column} is one of {', '.join(map(str, kwargs.get('values', [])))}"
    elif name == "relationships":
        target = str(kwargs.get("to", "")).replace("ref('", "").replace("')", "")
        text = f"every {column} is a {kwargs.get('field')} of {target}"
    elif name:
        arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        text = f"{name}({column or ''}{', ' if column and arguments else ''}{arguments})"
    else:
        text = f"returns no rows: {test.get('original_file_path', test['name'])}"
    return text + suffix


def forget_build(target: Path) -> None:
    """Remove the results of the previous `dbt build` into `target`: the staging warehouse
    they describe is being replaced."""
    (target / RESULTS).unlink(missing_ok=True)


def read_build(target: Path) -> tuple[list[dict], dict[str, dict]]:
    """The test results of the `dbt build` whose artifacts are in `target`, and the nodes of
    its manifest by unique_id; nothing when there is no such build."""
    try:
        results = json.loads((target / RESULTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], {}
    if (results.get("args") or {}).get("which") != "build":
        return [], {}
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    nodes = {**(manifest.get("sources") or {}), **(manifest.get("nodes") or {})}
    tests = [r for r in results.get("results") or [] if r["unique_id"].startswith("test.")]
    return tests, nodes


def dbt_findings(con: duckdb.DuckDBPyConnection, target: Path) -> list[tuple]:
    """The findings of every test that warned or failed in the build whose artifacts are in
    `target`, its failing rows read on `con` (the build warehouse)."""
    tests, nodes = read_build(target)
    found = []
    for result in tests:
        if result.get("status") in SEVERITY:
            found += findings_of_test(con, result, nodes.get(result["unique_id"]) or {}, nodes)
    return found


def _subject(test: Mapping[str, Any], nodes: Mapping[str, dict]) -> str | None:
    """The tested model and column (`fct_x.document_key`); a singular test's models."""
    attached = test.get("attached_node")
    tested = [attached] if attached else (test.get("depends_on") or {}).get("nodes") or []
    models = ", ".join((nodes.get(n) or {}).get("name") or n.split(".")[-1] for n in tested)
    column = test.get("column_name")
    return ".".join(p for p in (models, column) if p) or None


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.cursor()  # a failing query leaves the audit's connection as it was
    try:
        cursor.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        cursor.close()


def findings_of_test(
    con: duckdb.DuckDBPyConnection, result: dict, test: Mapping[str, Any], nodes: Mapping
) -> list[tuple]:
    """The findings of one test that warned or failed (`result`, its run_results entry; `test`,
    its manifest node): one per row its SQL returns on `con`."""
    rule = f"dbt.{test.get('name') or result['unique_id'].split('.')[2]}"
    severity = SEVERITY[result["status"]]
    description = describe_dbt_test(test) if test else result["unique_id"]
    subject = _subject(test, nodes)
    generic = test.get("test_metadata") or {}
    expected = None
    if generic.get("name") == "accepted_values":
        expected = ", ".join(map(str, (generic.get("kwargs") or {}).get("values") or []))
    sql = result.get("compiled_code") or test.get("compiled_code")
    try:
        rows = _rows(con, sql) if sql else None
        problem = None if sql else "no compiled SQL"
    except duckdb.Error as exc:
        rows, problem = None, f"could not be read again: {exc}"
    if not rows:
        reported = result.get("message") or f"{result.get('failures')} failing rows"
        problem = problem or f"dbt: {reported}; no failing row when read again"
        return [(None, rule, severity, None, None, subject, None, expected,
                 f"{description} ({problem})")]  # fmt: skip
    column = test.get("column_name")
    found = []
    for row in rows:
        value = column if column in row else next((c for c in VALUE_COLUMNS if c in row), None)
        value = value if column else None  # a singular test names no tested column
        document = "document_key" if "document_key" in row else None
        document = document or (value if column == "document_key" else None)
        found.append(
            (
                _text(row.get(document)) if document else None,
                rule,
                severity,
                _integer(row.get("page")),
                _integer(row.get("line_no")),
                subject,
                _text(row.get(value)) if value else None,
                expected,
                _message(description, row, {document, "page", "line_no", value}, list(row)),
            )
        )
    return found
