"""Run the Great Expectations suites stored as files under `expectations/`.

GX 1.x has no working DuckDB data source, so each suite names, in its `meta`, the SQL `query`
whose result it validates, the `asset` it checks (for Dagster) and the `index_columns` that
name an offending row. The query runs on a read-only DuckDB connection; GX validates the
resulting dataframe. An expectation's GX `severity` decides its weight: `critical` blocks
publishing, `warning` reports a real document's fault without blocking. Every failing row of
every expectation is also a row of `marts.fct_check_findings` (see `findings.py`).
"""

from __future__ import annotations

import html
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from orchestration.home import PROJECT_ROOT
from orchestration.validate import findings as fnd
from orchestration.validate.dbt_findings import dbt_findings

SUITES_DIR = PROJECT_ROOT / "expectations"
MAX_ROWS_SHOWN = 50


@dataclass
class CheckResult:
    """The outcome of one expectation of one suite."""

    suite: str
    asset: str
    expectation: str
    description: str
    severity: str  # critical | warning
    success: bool
    failing_count: int = 0
    failing_rows: list[dict] = field(default_factory=list)
    observed: str | None = None
    # its rows of marts.fct_check_findings: every failing row, not stored in the report
    findings: list[tuple] = field(default_factory=list, repr=False, compare=False)

    @property
    def outcome(self) -> str:
        if self.success:
            return "passed"
        return "failed" if self.severity == "critical" else "warned"

    def message(self) -> str:
        rows = "; ".join(
            ", ".join(f"{k}={v}" for k, v in row.items()) for row in self.failing_rows[:10]
        )
        more = f" (+{self.failing_count - 10} more)" if self.failing_count > 10 else ""
        detail = (
            f": {rows}{more}"
            if rows
            else (f" (observed {self.observed})" if self.observed is not None else "")
        )
        return f"[{self.outcome}] {self.suite}: {self.description}{detail}"


def load_suite_files(directory: Path = SUITES_DIR) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def _plain(value):
    if isinstance(value, float) and value != value:  # NaN stands for NULL in pandas
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and value != value else value
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


def _gx_suite(gx, spec: dict):
    """The suite as GX sees it. Each expectation's `meta.description` is also its GX
    `description` (HTML-escaped: Data Docs insert it as is), and the suite's description and
    query are its notes (Markdown, which GX escapes): Data Docs show them."""
    expectations = []
    for e in spec["expectations"]:
        description = (e.get("meta") or {}).get("description")
        expectations.append({"description": description and html.escape(description), **e})
    meta = spec["meta"]
    notes = [meta.get("description", ""), f"```sql\n{meta['query']}\n```"]
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations, notes=notes)


def _own_expectation(unmatched: list[dict], config) -> dict:
    """The suite file's expectation that GX validated as `config` (taken off `unmatched`)."""
    column = (config.kwargs or {}).get("column")
    for i, expectation in enumerate(unmatched):
        same_column = (expectation.get("kwargs") or {}).get("column") == column
        if expectation["type"] == config.type and same_column:
            return unmatched.pop(i)
    return {"type": config.type, "kwargs": dict(config.kwargs or {})}


def _findings(spec: dict, expectation: dict, result: CheckResult, frame, index_rows) -> list:
    """The findings of a failing expectation: its failing rows found in the whole `frame`;
    failing that, GX's (uncapped) unexpected index rows; a whole-table expectation, one."""
    mask = fnd.failing_mask(frame, expectation)
    if mask is not None and int(mask.sum()) == result.failing_count:
        return fnd.findings_of(spec, expectation, result, fnd.frame_rows(frame, mask))
    if index_rows and len(index_rows) == result.failing_count:
        return fnd.findings_of(spec, expectation, result, index_rows)
    return fnd.findings_of(spec, expectation, result, None)


def run_suites(
    db_path: Path, suites: list[dict] | None = None, docs_dir: Path | None = None
) -> list[CheckResult]:
    """Validate every suite against the database at `db_path` (opened read-only). With
    `docs_dir`, also render this run's validation results there as a GX Data Docs site."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx  # heavy: imported only when validating

    suites = load_suite_files() if suites is None else suites
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas("warehouse")
        .add_dataframe_asset("query")
        .add_batch_definition_whole_dataframe("all")
    )
    results: list[CheckResult] = []
    validations = []  # (suite, batch id, GX validation result) for Data Docs
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for spec in suites:
            meta = spec["meta"]
            try:
                frame = con.sql(meta["query"]).df()
            except duckdb.Error as exc:  # a broken query is a failed check, not a crash
                failed = CheckResult(
                    suite=spec["name"],
                    asset=meta["asset"],
                    expectation="query",
                    description=f"the suite's query runs ({exc})",
                    severity="critical",
                    success=False,
                )
                failed.findings = fnd.findings_of(spec, {"type": "expect_query"}, failed, None)
                results.append(failed)
                continue
            suite = _gx_suite(gx, spec)
            index = meta.get("index_columns") or []
            if index and set(index) <= set(frame.columns):  # failing rows in document order
                frame = frame.sort_values(index, kind="stable", ignore_index=True)
            result_format = {"result_format": "COMPLETE"}
            if index and len(frame):
                result_format["unexpected_index_column_names"] = index
            batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
            validation = batch.validate(suite, result_format=result_format)
            if docs_dir is not None:
                validations.append((suite, batch.id, validation))
            unmatched = list(spec["expectations"])
            for outcome in validation.results:
                config = outcome.expectation_config
                detail = outcome.result or {}
                rows = [
                    {k: _plain(v) for k, v in row.items()}
                    for row in (detail.get("unexpected_index_list") or [])
                    if isinstance(row, dict)
                ]
                result = CheckResult(
                    suite=spec["name"],
                    asset=meta["asset"],
                    expectation=config.type,
                    description=(config.meta or {}).get("description", config.type),
                    severity=str(getattr(config, "severity", "critical")).split(".")[-1].lower(),
                    success=bool(outcome.success),
                    failing_count=int(detail.get("unexpected_count") or 0),
                    failing_rows=rows[:MAX_ROWS_SHOWN],
                    observed=None
                    if detail.get("observed_value") is None
                    else str(detail.get("observed_value")),
                )
                expectation = _own_expectation(unmatched, config)
                if not result.success:
                    result.findings = _findings(spec, expectation, result, frame, rows)
                results.append(result)
    finally:
        con.close()
    if docs_dir is not None:
        from orchestration.validate.data_docs import build_data_docs

        build_data_docs(context, validations, docs_dir)
    return results


def summarise(results: list[CheckResult]) -> dict[str, int]:
    counts = {"passed": 0, "warned": 0, "failed": 0}
    for result in results:
        counts[result.outcome] += 1
    return counts


def record_results(
    db_path: Path, results: list[CheckResult], dbt_target: Path | None = None
) -> None:
    """Store the results in the warehouse itself (`audit.check_results`) for readers to see,
    and every failing row of every check in `marts.fct_check_findings`: the suites' and, with
    `dbt_target` (where `dbt build` wrote its artifacts), those of the dbt tests."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute("""CREATE OR REPLACE TABLE audit.check_results (
            suite VARCHAR, asset VARCHAR, expectation VARCHAR, description VARCHAR,
            severity VARCHAR, outcome VARCHAR, failing_count INTEGER, failing_rows JSON,
            observed VARCHAR)""")
        con.executemany(
            "INSERT INTO audit.check_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.suite,
                    r.asset,
                    r.expectation,
                    r.description,
                    r.severity,
                    r.outcome,
                    r.failing_count,
                    json.dumps(r.failing_rows, ensure_ascii=False),
                    r.observed,
                )
                for r in results
            ],
        )
        found = [f for r in results for f in r.findings]
        fnd.write_findings(con, found + (dbt_findings(con, dbt_target) if dbt_target else []))
    finally:
        con.close()


def write_report(path: Path, results: list[CheckResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "summary": summarise(results),
        "results": [_reported(r) for r in results],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def _reported(result: CheckResult) -> dict:
    """A result as the report holds it (its findings are in the warehouse only)."""
    reported = asdict(result) | {"outcome": result.outcome}
    del reported["findings"]
    return reported


def read_report(path: Path) -> list[CheckResult]:
    """The results written by `write_report` (none when there is no report)."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    fields = set(CheckResult.__dataclass_fields__)
    return [CheckResult(**{k: v for k, v in r.items() if k in fields}) for r in report["results"]]
