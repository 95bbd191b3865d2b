"""`yusuan run` end to end on the bundled sample: the published warehouse holds its figures."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from decimal import Decimal

import duckdb
import pytest
from conftest import SAMPLE, yusuan
from portal import Portal


@pytest.fixture(scope="module")
def warehouse(sample_warehouse):
    return sample_warehouse


IN_A = "document_key in (select document_key from marts.dim_document where template = 'A')"


def one(con, sql):
    return con.execute(sql).fetchone()


def test_run_prints_a_summary(sample_run):
    _, process = sample_run
    out = process.stdout
    assert "documents fetched: 7 new, 0 changed, 0 unchanged, 0 failed" in out
    assert (
        "documents parsed: 7, unreadable: 0, unsupported: 0, failed: 0 (7 parsed in this run)"
    ) in out
    assert "marts.fct_indicator_target: 349" in out
    assert "marts.fct_functional_expenditure: 143" in out
    assert re.search(r"^checks: \d+ passed, \d+ warned, 0 failed$", out, re.M)
    assert "published: yes" in out


def test_project_tables_and_indicators(warehouse):
    assert one(warehouse, f"select count(*) from marts.fct_project_cost where {IN_A}") == (56,)
    assert one(warehouse, "select count(*) from marts.fct_indicator_target") == (349,)
    assert one(
        warehouse, f"select count(distinct project_key) from marts.fct_project_cost where {IN_A}"
    ) == (55,)
    assert one(
        warehouse,
        f"select count(cost_yuan), sum(cost_yuan) from marts.fct_project_cost where {IN_A}",
    ) == (46, Decimal("16619700.00"))
    assert one(warehouse, "select typeof(cost_yuan) from marts.fct_project_cost limit 1") == (
        "DECIMAL(18,2)",
    )


def test_department_budget(warehouse):
    row = one(
        warehouse,
        f"""select expenditure_total_yuan, basic_expenditure_yuan,
        project_expenditure_yuan, operating_funds_yuan, procurement_total_yuan, level, fiscal_year
        from marts.fct_department_budget where {IN_A}""",
    )
    assert row == (
        Decimal("40023800.00"),
        Decimal("18194200.00"),
        Decimal("21829600.00"),
        Decimal("18194200.00"),
        Decimal("0.00"),
        "department",
        2021,
    )


def test_three_public_expenses(warehouse):
    rows = dict(
        warehouse.execute(
            f"select category, amount_yuan from marts.fct_three_public_expenses where {IN_A}"
        ).fetchall()
    )
    assert rows == {
        "total": Decimal("1557000.00"),
        "outbound": Decimal("0.00"),
        "vehicle_total": Decimal("742000.00"),
        "vehicle_purchase": Decimal("0.00"),
        "vehicle_operation": Decimal("742000.00"),
        "reception": Decimal("815000.00"),
        "meeting": Decimal("100000.00"),
        "training": Decimal("200000.00"),
    }
    assert one(
        warehouse,
        f"""select reported_change_yuan from marts.fct_three_public_expenses
        where category = 'total' and {IN_A}""",
    ) == (Decimal("-349800.00"),)
    assert one(
        warehouse,
        f"""select joint_reported_change_yuan from marts.fct_three_public_expenses
        where category = 'meeting' and {IN_A}""",
    ) == (Decimal("-150000.00"),)


def test_dimensions(warehouse):
    assert one(
        warehouse,
        """select province, prefecture, county, department_name, department_code,
        level from marts.dim_department where county = '南宫市'""",
    ) == ("河北省", "邢台市", "南宫市", "市委部门", "103", "department")
    assert one(warehouse, "select count(*) from marts.dim_unit where fiscal_year = 2021") == (14,)
    assert one(
        warehouse,
        f"""select template, fiscal_year, kind, level, format, status
        from marts.dim_document where {IN_A}""",
    ) == ("A", 2021, "budget", "department", "txt", "parsed")
    assert one(warehouse, f"select count(*) from raw.duties where {IN_A}") == (51,)
    assert one(warehouse, f"select count(*) from raw.glossary where {IN_A}") == (10,)


def test_warnings_name_the_offending_rows(warehouse):
    rows = warehouse.execute("""select suite, description, failing_rows from audit.check_results
        where outcome = 'warned' order by suite, description""").fetchall()
    found = {(suite, description): json.loads(failing) for suite, description, failing in rows}
    duplicates = found[("fct_project_cost", "no project table is printed twice in a document")]
    assert [r["table_ordinal"] for r in duplicates] == [28, 30]
    money = found[("fct_indicator_target", "money appears only in the cost (成本指标) row")]
    assert [(r["table_ordinal"], r["target_text"]) for r in money] == [(47, "≤300 万元")]
    assert len(found[("fct_project_cost", "the cost row's value is money")]) == 10
    assert (
        len(
            found[
                (
                    "raw_indicators",
                    "target values follow the grammar (malformed ones are kept with a note)",
                )
            ]
        )
        == 5
    )


def test_fetch_log_and_provenance(warehouse):
    assert one(
        warehouse,
        """select status, bytes, source_name from raw.fetch_log
        where source_name = 'nangong_sample'""",
    ) == (
        "new",
        SAMPLE.stat().st_size,
        "nangong_sample",
    )
    assert one(
        warehouse,
        """select line_no, target_text from marts.fct_indicator_target
        where table_ordinal = 56 and row_ordinal = 8""",
    ) == (1251, "≥80 单位人员对单位运转保障工作的满意程度%")


def test_second_run_fetches_parses_and_builds_nothing(sample_run, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(sample_run[0], home, symlinks=True)
    before = (home / "warehouse.duckdb").stat().st_mtime_ns
    process = yusuan("run", "--home", str(home))
    assert process.returncode == 0, process.stderr
    assert "documents fetched: 0 new, 0 changed, 7 unchanged, 0 failed" in process.stdout
    assert (
        "documents parsed: 7, unreadable: 0, unsupported: 0, failed: 0 (0 parsed in this run)"
    ) in process.stdout
    release = json.loads((home / "current" / "release.json").read_text())["release_id"]
    assert (
        f"published: unchanged (nothing new since the last publish: release {release})"
    ) in process.stdout
    assert re.search(r"^checks: \d+ passed, \d+ warned, 0 failed$", process.stdout, re.M)
    assert "marts.fct_indicator_target: 349" in process.stdout
    assert (home / "warehouse.duckdb").stat().st_mtime_ns == before
    log = (home / "landing" / "fetch_log.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["status"] for line in log] == ["new"] * 7 + ["unchanged"] * 7


def test_job_over_a_portal_then_an_unchanged_rerun(tmp_path):
    with Portal() as portal:
        sources = portal.write_sources(tmp_path / "sources.yaml", retries=1)
        home = tmp_path / "home"
        first = yusuan("run", "--sources", str(sources), "--home", str(home))
        second = yusuan("run", "--sources", str(sources), "--home", str(home))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "documents fetched: 8 new, 0 changed, 0 unchanged, 6 failed" in first.stdout
    assert "pages visited: 7 (1 failed)" in first.stdout
    assert (
        "documents parsed: 1, unreadable: 6, unsupported: 0, failed: 0 (7 parsed in this run)"
    ) in first.stdout
    assert "marts.fct_indicator_target: 349" in first.stdout
    assert second.returncode == 0, second.stdout + second.stderr
    assert "documents fetched: 0 new, 0 changed, 8 unchanged, 6 failed" in second.stdout
    assert "(0 parsed in this run)" in second.stdout
    assert "published: unchanged" in second.stdout


def test_broken_documents_are_recorded_and_the_rest_goes_on(mixed_runs):
    home, process, _ = mixed_runs
    assert process.returncode == 0, process.stdout + process.stderr
    assert "documents fetched: 52 new, 0 changed, 0 unchanged, 0 failed" in process.stdout
    assert (
        "documents parsed: 15, unreadable: 34, unsupported: 2, failed: 0 "
        "(51 parsed in this run)"  # the hostile old.doc has the bytes of legacy.doc
    ) in process.stdout
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    reasons = con.execute("""select regexp_extract(url, '[^/]+$'), status, status_reason
        from marts.dim_document where status <> 'parsed' and source_name <> 'hostile'
        order by 1""").fetchall()
    assert reasons == [
        (
            "legacy.doc",
            "unreadable",
            "legacy .doc (Word 97-2003) is not supported: python-docx reads only .docx; "
            "convert it to .docx or PDF",
        ),
        (
            "notes.txt",
            "unsupported",
            "not a budget or final accounts disclosure: neither a title, a cover label nor a "
            "table title names a budget or final accounts",
        ),
        (
            "scan.pdf",
            "unreadable",
            "truncated PDF: no %%EOF marker at its end (a partial download?)",
        ),
    ]
    assert one(
        con,
        """select count(*) from marts.fct_indicator_target where document_key =
        (select document_key from marts.dim_document
        where url similar to '.*/(budget|page)\\.txt' and is_current)""",
    ) == (349,)
    con.close()


def test_a_blocking_failure_does_not_publish(tmp_path, sample_run):
    home, _ = sample_run
    before = (home / "warehouse.duckdb").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("不是预算文件", encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        textwrap.dedent(f"""
        sources:
          - {{name: other, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 南宫市, path: "{empty}"}}
        """),
        encoding="utf-8",
    )
    fresh = tmp_path / "home"
    shutil.copytree(home, fresh, symlinks=True)
    shutil.rmtree(fresh / "landing")  # a home whose only document is not a budget
    process = yusuan("run", "--sources", str(sources), "--home", str(fresh))
    assert process.returncode == 1
    assert "published: NO (blocking checks failed)" in process.stdout
    assert "[failed] document_coverage: at least one fetched document was parsed" in process.stdout
    assert (fresh / "warehouse.duckdb").read_bytes() == before
    alert = json.loads((fresh / "alerts.log").read_text(encoding="utf-8").splitlines()[-1])
    assert alert["kind"] == "publish_blocked"
    assert alert["summary"] == "blocking checks failed: the published warehouse was kept"
    assert (
        "[failed] document_coverage: at least one fetched document was parsed (observed 0)"
    ) in alert["failing"]
    status = yusuan("status", "--home", str(fresh))
    assert status.returncode == 1
    assert "\nlast run: blocked at " in status.stdout
    failing = sum(line.startswith("[failed]") for line in alert["failing"])
    assert f"failing checks (last run, not published): {failing}\n" in status.stdout
    assert "  [failed] document_coverage: at least one fetched document was parsed" in (
        status.stdout
    )


def test_bad_sources_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - name: x\n    kind: ftp\n", encoding="utf-8")
    process = yusuan("run", "--sources", str(bad), "--home", str(tmp_path / "home"))
    assert process.returncode == 2
    assert process.stderr.strip() == (
        f'yusuan: sources file {bad}, source 1 (x): kind must be one of directory, http, got "ftp"'
    )


def test_parse_command_prints_records(tmp_path):
    process = yusuan("parse", str(SAMPLE), "--compact")
    assert process.returncode == 0, process.stderr
    records = json.loads(process.stdout)
    assert len(records["indicators"]) == 349
    assert records["documents"][0]["department_code"] == "103"
    missing = yusuan("parse", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr and "nope.txt" in missing.stderr
