"""dbt test failures as rows of `marts.fct_check_findings`: the tests that warned or failed in
`run_results.json` (dbt 1.11's own field names, the entries trimmed from a real build) read
again on a small DuckDB warehouse; and on the session's sample run, whose build is clean."""

from __future__ import annotations

import copy
import json
import shutil

import duckdb
import pytest

from orchestration import definitions
from orchestration.validate import dbt_findings as dbtf
from orchestration.validate.suites import record_results, run_suites

FCT_X = '"warehouse"."marts"."fct_x"'  # the compiled SQL names the database by its file name

# One real test entry of `warehouse/logs/target/run_results.json` (a `dbt build`), trimmed.
RESULT = {
    "status": "pass",
    "timing": [
        {
            "name": "execute",
            "started_at": "2026-12-02T12:40:39.795607Z",
            "completed_at": "2026-12-02T12:40:39.810924Z",
        }
    ],
    "thread_id": "Thread-2 (worker)",
    "execution_time": 0.03206634521484375,
    "adapter_response": {"_message": "OK"},
    "message": None,
    "failures": 0,
    "unique_id": "test.yusuan.not_null_stg_documents_document_key.4f4d9fd63b",
    "compiled": True,
    "compiled_code": "\nselect document_key\nfrom "
    '"warehouse"."staging"."stg_documents"\nwhere document_key is null\n',
    "relation_name": None,
    "batch_results": None,
}
# The test's node in manifest.json, trimmed.
NODE = {
    "database": "warehouse",
    "schema": "dbt_test__audit",
    "name": "not_null_stg_documents_document_key",
    "resource_type": "test",
    "package_name": "yusuan",
    "original_file_path": "models/staging/_staging.yml",
    "unique_id": "test.yusuan.not_null_stg_documents_document_key.4f4d9fd63b",
    "config": {
        "enabled": True,
        "severity": "ERROR",
        "fail_calc": "count(*)",
        "warn_if": "!= 0",
        "error_if": "!= 0",
    },
    "description": "",
    "depends_on": {"macros": ["macro.dbt.test_not_null"], "nodes": ["model.yusuan.stg_documents"]},
    "column_name": "document_key",
    "attached_node": "model.yusuan.stg_documents",
    "test_metadata": {
        "name": "not_null",
        "kwargs": {
            "column_name": "document_key",
            "model": "{{ get_where_subquery(ref('stg_documents')) }}",
        },
        "namespace": None,
    },
}
MODEL = {"name": "fct_x", "resource_type": "model", "unique_id": "model.yusuan.fct_x"}


def _test(name, status, sql, *, failures=0, severity="ERROR", generic=None, column=None, **node):
    """A run_results entry and its manifest node, shaped like the real ones above."""
    kwargs = node.pop("kwargs", {})
    unique_id = f"test.yusuan.{name}" + (".0123456789" if generic else "")
    result = copy.deepcopy(RESULT) | {
        "status": status,
        "unique_id": unique_id,
        "compiled_code": sql,
        "failures": failures,
        "message": None
        if status == "pass"
        else f"Got {failures} results, configured to {status} if != 0",
    }
    manifest_node = copy.deepcopy(NODE) | {"name": name, "unique_id": unique_id, **node}
    manifest_node["config"]["severity"] = severity
    manifest_node["depends_on"]["nodes"] = [MODEL["unique_id"]]
    if generic:
        kwargs |= {"column_name": column, "model": "{{ get_where_subquery(ref('fct_x')) }}"}
        manifest_node |= {
            "column_name": column,
            "attached_node": MODEL["unique_id"],
            "test_metadata": {"name": generic, "kwargs": kwargs, "namespace": None},
        }
    else:  # a singular test: dbt writes no column, attached node nor test metadata
        for key in ("column_name", "attached_node", "test_metadata"):
            del manifest_node[key]
    return result, manifest_node


TESTS = [
    _test(
        "unique_fct_x_document_key",
        "warn",
        f"select document_key as unique_field, count(*) as n_records from {FCT_X}\n"
        "where document_key is not null group by document_key having count(*) > 1",
        failures=1,
        severity="warn",
        generic="unique",
        column="document_key",
    ),
    _test(
        "accepted_values_fct_x_kind__budget__final_accounts",
        "warn",
        f"with all_values as (select kind as value_field, count(*) as n_records from {FCT_X}\n"
        "group by kind) select * from all_values\n"
        "where value_field not in ('budget','final_accounts')",
        failures=1,
        severity="warn",
        generic="accepted_values",
        column="kind",
        kwargs={"values": ["budget", "final_accounts"]},
    ),
    _test(
        "assert_pages_are_small",
        "fail",
        f"-- pages stay small\nselect document_key, page, line_no, label from {FCT_X}"
        " where page > 3",
        failures=2,
        original_file_path="tests/assert_pages_are_small.sql",
    ),
    _test(
        "not_null_fct_x_label",
        "fail",
        f"select label from {FCT_X} where label is null",
        failures=1,
        generic="not_null",
        column="label",
        description="every row has a label",
    ),
    _test(
        "not_null_fct_x_document_key",
        "pass",
        f"select document_key from {FCT_X} where document_key is null",
        generic="not_null",
        column="document_key",
    ),
    _test(
        "relationships_fct_x_document_key__document_key__ref_dim_missing_",
        "warn",
        'select document_key as from_field from "warehouse"."marts"."dim_missing"',
        failures=3,
        severity="warn",
        generic="relationships",
        column="document_key",
        kwargs={"to": "ref('dim_missing')", "field": "document_key"},
    ),
]


def write_build(target, tests=TESTS, which="build"):
    """The artifacts a `dbt build` leaves in `target`: run_results.json and manifest.json."""
    target.mkdir(parents=True, exist_ok=True)
    metadata = {"dbt_version": "1.11.16", "invocation_id": "332f49f1"}
    results = {
        "metadata": metadata | {"generated_at": "2026-12-02T12:40:46.742283Z"},
        "results": [result for result, _ in tests],
        "elapsed_time": 10.5,
        "args": {"which": which, "target_path": str(target)},
    }
    manifest = {
        "metadata": metadata,
        "nodes": {MODEL["unique_id"]: MODEL} | {n["unique_id"]: n for _, n in tests},
        "sources": {},
    }
    (target / "run_results.json").write_text(json.dumps(results), encoding="utf-8")
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


@pytest.fixture
def build(tmp_path):
    """(warehouse, target): a tiny build warehouse and its dbt artifacts."""
    db = tmp_path / "build" / "warehouse.duckdb"
    db.parent.mkdir()
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("""create table marts.fct_x as select * from (values
        ('d1', 3, 10, 'x', 'budget'), ('d1', 4, 11, 'y', 'budget'),
        ('d2', 5, 12, null, 'draft'), ('d3', 1, 1, 'z', 'final_accounts'))
        t(document_key, page, line_no, label, kind)""")
    con.close()
    return db, write_build(tmp_path / "logs" / "target")


def found(db, target) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db))
    try:
        rows = dbtf.dbt_findings(con, target)
    finally:
        con.close()
    by_rule: dict[str, list[tuple]] = {}
    for row in rows:
        by_rule.setdefault(row[1], []).append(row)
    return by_rule


def test_each_failing_row_of_a_test_that_warned_or_failed_is_a_finding(build):
    by_rule = found(*build)
    assert by_rule["dbt.unique_fct_x_document_key"] == [
        (
            "d1",  # the tested column is the document key
            "dbt.unique_fct_x_document_key",
            "warning",
            None,
            None,
            "fct_x.document_key",
            "d1",
            None,
            "document_key is unique (warns, does not block) (n_records=2)",
        )
    ]
    assert by_rule["dbt.accepted_values_fct_x_kind__budget__final_accounts"] == [
        (
            None,
            "dbt.accepted_values_fct_x_kind__budget__final_accounts",
            "warning",
            None,
            None,
            "fct_x.kind",
            "draft",
            "budget, final_accounts",
            "kind is one of budget, final_accounts (warns, does not block) (n_records=1)",
        )
    ]
    singular = sorted(by_rule["dbt.assert_pages_are_small"], key=lambda f: f[3])
    assert [(f[0], f[2], f[3], f[4], f[5], f[6]) for f in singular] == [
        ("d1", "critical", 4, 11, "fct_x", None),
        ("d2", "critical", 5, 12, "fct_x", None),
    ]
    assert [f[8] for f in singular] == [
        "returns no rows: tests/assert_pages_are_small.sql (label=y)",
        "returns no rows: tests/assert_pages_are_small.sql",
    ]
    assert by_rule["dbt.not_null_fct_x_label"] == [
        (None, "dbt.not_null_fct_x_label", "critical", None, None, "fct_x.label", None, None,
         "every row has a label"),
    ]  # fmt: skip
    assert "dbt.not_null_fct_x_document_key" not in by_rule  # passed


def test_a_test_whose_sql_does_not_run_is_one_finding_naming_the_error(build):
    (error,) = found(*build)["dbt.relationships_fct_x_document_key__document_key__ref_dim_missing_"]
    assert error[:8] == (
        None,
        "dbt.relationships_fct_x_document_key__document_key__ref_dim_missing_",
        "warning",
        None,
        None,
        "fct_x.document_key",
        None,
        None,
    )
    assert error[8].startswith(
        "every document_key is a document_key of dim_missing (warns, does not block) "
        "(could not be read again: Catalog Error"
    )
    assert "dim_missing" in error[8].split("could not be read again", 1)[1]


def test_a_test_with_no_failing_row_any_more_is_one_finding(tmp_path, build):
    db, _ = build
    test = _test(
        "assert_nothing",
        "warn",
        f"select * from {FCT_X} where page > 99",
        failures=4,
        severity="warn",
    )
    (finding,) = found(db, write_build(tmp_path / "other", [test]))["dbt.assert_nothing"]
    assert finding[0] is None and finding[2] == "warning" and finding[5] == "fct_x"
    assert finding[8].endswith(
        "(dbt: Got 4 results, configured to warn if != 0; no failing row when read again)"
    )


def test_no_build_results_no_findings(build):
    db, target = build
    write_build(target, which="generate")  # left by another dbt command
    assert found(db, target) == {}
    dbtf.forget_build(target)  # what the load step does to the previous build's results
    assert not (target / "run_results.json").exists()
    assert found(db, target) == {}
    dbtf.forget_build(target)  # nothing to forget: no error


def test_the_audit_writes_them_into_the_findings_mart_beside_the_suites_findings(build):
    db, target = build
    suite = {
        "name": "tiny",
        "meta": {"asset": "marts/fct_x", "query": "select * from marts.fct_x",
                 "finding": {"document": "document_key", "page": "page"}},
        "expectations": [
            {"type": "expect_column_values_to_be_between",
             "kwargs": {"column": "page", "max_value": 4},
             "meta": {"description": "pages are small"}, "severity": "warning"},
        ],
    }  # fmt: skip
    record_results(db, run_suites(db, [suite]), dbt_target=target)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """select rule_id, severity, count(*), count(document_key) from marts.fct_check_findings
            group by all order by 1"""
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        ("dbt.accepted_values_fct_x_kind__budget__final_accounts", "warning", 1, 0),
        ("dbt.assert_pages_are_small", "critical", 2, 2),
        ("dbt.not_null_fct_x_label", "critical", 1, 0),
        ("dbt.relationships_fct_x_document_key__document_key__ref_dim_missing_", "warning", 1, 0),
        ("dbt.unique_fct_x_document_key", "warning", 1, 1),
        ("tiny.page", "warning", 1, 1),
    ]


def test_the_asset_checks_describe_dbt_tests_as_the_findings_do():
    assert definitions.describe_dbt_test is dbtf.describe_dbt_test


def test_a_clean_sample_build_has_no_dbt_findings_and_a_warning_has_its_rows(
    sample_run, sample_warehouse, tmp_path
):
    """The sample run's own build: every test passed, so no `dbt.` finding was published. Its
    real artifacts, one test made to have warned, read again on a copy of its warehouse with a
    duplicated row: that row is the finding."""
    home, _ = sample_run
    published = sample_warehouse.execute(
        "select count(*) from marts.fct_check_findings where rule_id like 'dbt.%'"
    ).fetchone()
    assert published == (0,)
    target = home / "logs" / "target"
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    tests = [r for r in results["results"] if r["unique_id"].startswith("test.")]
    assert tests and {r["status"] for r in tests} == {"pass"}
    copied = tmp_path / "target"
    copied.mkdir()
    shutil.copyfile(target / "manifest.json", copied / "manifest.json")
    name = "unique_fct_department_budget_document_key"
    (unique,) = [r for r in tests if r["unique_id"].split(".")[2] == name]
    unique["status"], unique["failures"] = "warn", 1
    unique["message"] = "Got 1 result, configured to warn if != 0"
    (copied / "run_results.json").write_text(json.dumps(results), encoding="utf-8")
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(home / "warehouse.duckdb", db)
    con = duckdb.connect(str(db))
    try:
        assert dbtf.dbt_findings(con, target) == []
        key = con.execute("select min(document_key) from marts.fct_department_budget").fetchone()[0]
        con.execute(
            "insert into marts.fct_department_budget "
            "select * from marts.fct_department_budget where document_key = ?",
            [key],
        )
        found = dbtf.dbt_findings(con, copied)
    finally:
        con.close()
    assert found == [
        (key, f"dbt.{name}", "warning", None, None, "fct_department_budget.document_key", key,
         None, "document_key is unique (n_records=2)"),
    ]  # fmt: skip
