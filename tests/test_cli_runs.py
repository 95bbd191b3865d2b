"""`yusuan run` is a run of the Dagster jobs on the home's instance: what the CLI printed is
what the Dagster UI shows, and both skip a build when nothing changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import dagster as dg
import pytest
from conftest import ROOT, SAMPLE, yusuan
from dagster._core.utils import make_new_run_id

from orchestration.home import Home
from orchestration.instance import cli_tags, fail_abandoned_runs, open_instance
from orchestration.publish import list_releases
from orchestration.status import status
from orchestration.summary import RunSummary
from orchestration.validate.suites import CheckResult, write_report


@pytest.fixture(scope="module")
def two_runs(mixed_runs):
    return mixed_runs


def _runs(home: Path) -> list[dg.DagsterRun]:
    with open_instance(Home(home)) as instance:
        return list(reversed(instance.get_runs()))


def test_a_cli_run_is_in_the_dagster_run_history(two_runs):
    home, first, _ = two_runs
    assert first.returncode == 0, first.stdout + first.stderr
    runs = _runs(home)[:5]
    assert [(r.job_name, r.tags.get("dagster/partition"), r.status.value) for r in runs] == [
        ("fetch", "nangong", "SUCCESS"),
        ("fetch", "formats", "SUCCESS"),
        ("fetch", "hostile", "SUCCESS"),
        ("fetch", "offline", "FAILURE"),  # a source that fails fails its own fetch run
        ("build", None, "SUCCESS"),
    ]
    assert all(r.tags["yusuan/launched_by"] == "cli" for r in runs)
    listed = ", ".join(f"{r.job_name} {r.run_id[:8]}" for r in runs)
    assert f"dagster runs: {listed}" in first.stdout.splitlines()
    with open_instance(Home(home)) as instance:
        published = instance.get_latest_materialization_event(dg.AssetKey("published_warehouse"))
        assert published.run_id == runs[4].run_id
        release = list_releases(Home(home))[0].release_id
        assert published.asset_materialization.metadata["release"].value == release
        assert f"published: yes (release {release})" in first.stdout
        costs = instance.get_latest_materialization_event(
            dg.AssetKey(["marts", "fct_project_cost"])
        )
        assert costs.run_id == runs[4].run_id
        evaluations = {
            (e.asset_key.to_user_string(), e.check_name): e
            for e in (
                r.event_log_entry.dagster_event.asset_check_evaluation_data
                for r in instance.get_records_for_run(
                    runs[4].run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
                ).records
            )
        }
        evaluation = evaluations[("marts/fct_project_cost", "fct_project_cost")]
        assert evaluation.passed is False  # tables 28 and 30 print one project twice
        assert evaluation.severity == dg.AssetCheckSeverity.WARN
        assert evaluations[("warehouse_audit", "blocking_expectations")].passed
        dbt_test = evaluations[("marts/dim_document", "unique_dim_document_document_key")]
        assert dbt_test.passed


def test_the_summary_lists_each_failed_url_with_its_reason(two_runs):
    _, first, _ = two_runs
    lines = first.stdout.splitlines()
    assert "documents fetched: 52 new, 0 changed, 0 unchanged, 0 failed" in lines
    assert "pages visited: 1 (1 failed)" in lines
    failed = [line for line in lines if line.startswith("  [fetch failed] ")]
    assert failed == [
        "  [fetch failed] http://127.0.0.1:9/list.html: connection error: ConnectionError "
        "(after 1 tries)"
    ]
    assert (
        "  [no documents] offline: start page http://127.0.0.1:9/list.html failed: "
        "connection error: ConnectionError (after 1 tries)"
    ) in lines
    assert all(len(line) <= 1000 for line in lines)


def test_an_unchanged_rerun_builds_nothing_in_dagster_either(two_runs):
    home, first, second = two_runs
    assert second.returncode == 0, second.stdout + second.stderr
    release = list_releases(Home(home))[0].release_id
    assert len(list_releases(Home(home))) == 1
    assert (
        f"published: unchanged (nothing new since the last publish: release {release})"
    ) in second.stdout
    second_runs = _runs(home)[5:]  # fetch runs only: nothing to build, so no build run
    assert [(r.job_name, r.tags.get("dagster/partition")) for r in second_runs] == [
        ("fetch", "nangong"),
        ("fetch", "formats"),
        ("fetch", "hostile"),
        ("fetch", "offline"),
    ]
    listed = ", ".join(f"{r.job_name} {r.run_id[:8]}" for r in second_runs)
    assert f"dagster runs: {listed}" in second.stdout.splitlines()
    assert (
        "documents parsed: 15, unreadable: 34, unsupported: 2, failed: 0 "
        "(0 parsed in this run)" in (second.stdout)
    )
    with open_instance(Home(home)) as instance:
        observed = instance.fetch_observations(dg.AssetKey("published_warehouse"), limit=1)
        metadata = observed.records[0].asset_observation.metadata
        assert (metadata["unchanged"].value, metadata["release"].value) == (True, release)


def test_a_killed_cli_run_is_marked_failed_by_the_next(tmp_path):
    home = Home.at(tmp_path / "home")
    killed = dg.DagsterRun(
        job_name="build",
        run_id=make_new_run_id(),
        status=dg.DagsterRunStatus.STARTED,
        tags=cli_tags(home),
    )
    elsewhere = dg.DagsterRun(  # a run of another home on a shared instance is left alone
        job_name="build",
        run_id=make_new_run_id(),
        status=dg.DagsterRunStatus.STARTED,
        tags=cli_tags(Home.at(tmp_path / "other")),
    )
    with open_instance(home) as instance:
        instance.add_run(killed)
        instance.add_run(elsewhere)
        assert fail_abandoned_runs(instance, home) == [killed.run_id]
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(elsewhere.run_id).status == dg.DagsterRunStatus.STARTED


def test_summary_lines_stay_short():
    rows = [{"document_key": f"d{n}", "raw_text": "很长的文字" * 400} for n in range(40)]
    summary = RunSummary(
        checks=[
            CheckResult("suite", "marts/x", "e", "a rule", "warning", False, 40, failing_rows=rows)
        ],
        fetch_failures=[{"url": f"http://127.0.0.1/{n}", "error": "HTTP 404"} for n in range(9)],
    )
    lines = summary.lines()
    assert max(len(line) for line in lines) <= 300
    assert "  [warned] suite: a rule (40 rows)" in lines
    assert "      … and 35 more rows" in lines
    assert sum(line.startswith("  [fetch failed] ") for line in lines) == 5
    assert "  … and 4 more failed URLs" in lines


def test_status_after_a_blocked_first_run_names_the_blocking_checks(tmp_path):
    home = Home.at(tmp_path)
    failing = CheckResult(
        "document_coverage",
        "marts/dim_document",
        "e",
        "every parsed document reached the facts its template feeds",
        "critical",
        False,
        1,
        failing_rows=[{"document_key": "abc", "missing": "fct_project_cost"}],
    )
    write_report(home.reports / "checks.json", [failing])
    summary = RunSummary(checks=[failing])
    from orchestration.pipeline import _record_last_run

    _record_last_run(home, summary, "2026-12-02T00:00:00+00:00", None)
    lines = status(home).lines
    assert "last publish: nothing published yet" in lines
    assert "failing checks (last run, not published): 1" in lines
    assert any(
        line.startswith("  [failed] document_coverage: every parsed document reached")
        for line in lines
    )


def test_command_line_errors_say_what_is_wrong(tmp_path):
    usage = yusuan("run", "--bogus")
    assert usage.returncode == 2
    assert usage.stderr.startswith("usage: yusuan run ")
    assert "yusuan run: error: unrecognized arguments: --bogus" in usage.stderr
    top = yusuan("--help")
    for command in ("run", "status", "publish", "parse", "synth"):
        assert f"\n  {command} " in top.stdout
    notes = tmp_path / "notes.txt"
    notes.write_text("会议纪要：与预算无关。", encoding="utf-8")
    unsupported = yusuan("parse", str(notes))
    assert unsupported.returncode == 1
    assert unsupported.stderr.startswith(
        f"yusuan: {notes}: unsupported: not a budget or final accounts disclosure"
    )
    exe = Path(ROOT / ".venv" / "bin" / "yusuan")
    piped = subprocess.run(
        f"'{exe}' parse '{SAMPLE}' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.stdout == "{\n"
    assert piped.stderr == ""


def test_the_build_sensor_leaves_cli_fetch_runs_to_the_cli(two_runs):
    home, _, _ = two_runs
    from orchestration.definitions import build_definitions

    definitions = build_definitions(home=str(home), sources=str(home.parent / "sources.yaml"))
    sensor = definitions.resolve_sensor_def("build_after_fetch")
    with open_instance(Home(home)) as instance:
        skipped = sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(skipped, dg.SkipReason)
    assert skipped.skip_message == "waiting for every source's fetch"
