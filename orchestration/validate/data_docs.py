"""Great Expectations Data Docs of one run: GX renders the validation result of every suite
as a static site (each result's page shows every expectation, whether it passed and the
unexpected rows) and a page per suite (its expectations, description and query).

GX inserts the values of a result (unexpected rows and values, observed values) into its
pages as raw HTML, so the copy of each result given to it has every string HTML-escaped: a
failing cell's `<b>` shows as text. The check results themselves keep the data as it is.

GX's own index builds its table with scripts from public CDNs, which shows nothing offline,
and calls a suite failed when only warnings failed. `index.html` is therefore a plain page of
our own: every suite with its outcome by severity (passed / warned / failed) and links to its
GX pages; GX's index stays as `gx_index.html`.
"""

from __future__ import annotations

import copy
import html
from datetime import UTC, datetime
from pathlib import Path

from great_expectations.core import ExpectationSuite, ExpectationSuiteValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from orchestration.model import staged_directory

SITE_NAME = "yusuan"
RUN_NAME = "yusuan"


def build_data_docs(
    context: AbstractDataContext,
    validations: list[tuple[ExpectationSuite, str, ExpectationSuiteValidationResult]],
    docs_dir: Path,
) -> Path:
    """Store the (suite, batch id, validation result) of this run in the ephemeral `context`
    and render them as the Data Docs site that replaces `docs_dir` as a whole: its index.html."""
    run_id = RunIdentifier(run_name=RUN_NAME, run_time=datetime.now(UTC))
    for suite, batch_id, result in validations:
        context.suites.add(suite)
        result = copy.deepcopy(result)
        for outcome in result.results:
            outcome.result = _escaped(outcome.result)
        result.meta["run_id"] = run_id
        result.meta["validation_time"] = run_id.run_time
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
            run_id=run_id,
            batch_identifier=batch_id,
        )
        context.validation_results_store.set(key, result)
    with staged_directory(docs_dir) as site:
        context.add_data_docs_site(
            SITE_NAME,
            {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(site),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "show_how_to_buttons": False,
            },
        )
        context.build_data_docs(site_names=[SITE_NAME])
        (site / "index.html").rename(site / "gx_index.html")
        _write_index(site, validations, run_id.run_time)
    return docs_dir / "index.html"


def _escaped(value):
    """`value` with every string in it (nested in lists and dict values) HTML-escaped."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value


def _outcome(result: ExpectationSuiteValidationResult) -> str:
    failing = [r for r in result.results if not r.success]
    if not failing:
        return "passed"
    critical = any(
        str(getattr(r.expectation_config, "severity", "critical")).split(".")[-1].lower()
        == "critical"
        for r in failing
    )
    return "failed" if critical else "warned"


def _write_index(site: Path, validations: list, run_time: datetime) -> None:
    """A static index without scripts: one row per suite, its outcome and links."""
    colours = {"passed": "#1a7f37", "warned": "#9a6700", "failed": "#cf222e"}
    rows = []
    for suite, _, result in sorted(validations, key=lambda v: v[0].name):
        outcome = _outcome(result)
        page = next((site / "validations" / suite.name).rglob("*.html"))
        passed = sum(r.success for r in result.results)
        name = html.escape(suite.name)
        rows.append(
            f"<tr><td><a href='expectations/{name}.html'>{name}</a></td>"
            f"<td style='color:{colours[outcome]};font-weight:bold'>{outcome}</td>"
            f"<td>{passed} / {len(result.results)}</td>"
            f"<td><a href='{html.escape(page.relative_to(site).as_posix())}'>validation result</a>"
            "</td></tr>"
        )
    counts = {o: sum(_outcome(v[2]) == o for v in validations) for o in colours}
    summary = ", ".join(f"{n} {o}" for o, n in counts.items())
    (site / "index.html").write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Yusuan checks</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:.3em 1em;text-align:left}}
tr:nth-child(even){{background:#f4f4f4}}</style></head><body>
<h1>Great Expectations suites</h1>
<p>Validated {run_time:%Y-%m-%d %H:%M} UTC: {len(validations)} suites, {summary}.
A warning reports a real document's fault; a failure blocks publishing.
<a href="gx_index.html">GX's own index</a>.</p>
<table><tr><th>suite</th><th>outcome</th><th>expectations passed</th><th></th></tr>
{chr(10).join(rows)}
</table></body></html>
""",
        encoding="utf-8",
    )
