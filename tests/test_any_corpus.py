"""A corpus of one template family publishes on its own; a document that does not reach the
facts its template feeds is published partial, and the warning names it."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import yaml
from conftest import ROOT, SAMPLE, SAMPLE_SOURCES, yusuan

SHANGHAI = ROOT / "sample" / "shanghai"
HEBEI = ROOT / "sample" / "hebei"
COVERAGE = "document_coverage: every parsed document reached the facts its template feeds"


def sample_source(folder: str) -> dict:
    """The bundled sources file's entry for `folder` (its region), pointing at the folder."""
    sources = yaml.safe_load(SAMPLE_SOURCES.read_text(encoding="utf-8"))["sources"]
    (source,) = [s for s in sources if s["path"] == folder]
    return source | {"path": str(SAMPLE_SOURCES.parent / folder)}


def write_sources(path: Path, *sources: dict) -> Path:
    path.write_text(
        yaml.safe_dump({"sources": list(sources)}, allow_unicode=True), encoding="utf-8"
    )
    return path


def run(tmp_path: Path, *sources: dict):
    sources_file = write_sources(tmp_path / "sources.yaml", *sources)
    home = tmp_path / "home"
    return home, yusuan("run", "--sources", str(sources_file), "--home", str(home))


def coverage_outcome(con) -> list[tuple]:
    return con.execute(
        """select description, outcome from audit.check_results
        where suite = 'document_coverage' order by description"""
    ).fetchall()


def test_a_shanghai_only_corpus_publishes(tmp_path):
    home, process = run(tmp_path, sample_source("shanghai"))
    assert process.returncode == 0, process.stdout + process.stderr
    assert "documents parsed: 6, unreadable: 0, unsupported: 0, failed: 0" in process.stdout
    assert "published: yes" in process.stdout
    assert "[failed]" not in process.stdout
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute(
            "select template, count(*) from marts.dim_document group by template"
        ).fetchall() == [("B", 6)]
        assert con.execute(
            "select distinct province, prefecture, county from marts.dim_department"
        ).fetchall() == [("上海市", "上海市", "普陀区")]
        totals = dict(
            con.execute("""select regexp_extract(d.url, '[^/]+$'), b.expenditure_total_yuan
            from marts.fct_department_budget b join marts.dim_document d using (document_key)
            """).fetchall()
        )
        assert totals == {
            "putuo_commerce_2025_department_budget.pdf": Decimal("371514655.00"),
            "putuo_commerce_2025_unit_budget.pdf": Decimal("371514655.00"),
            "putuo_justice_2026_department_budget.pdf": Decimal("96282213.44"),
            "putuo_justice_2026_unit_budget.pdf": Decimal("86959408.34"),
            "putuo_planning_resources_2024_department_final_accounts.pdf": Decimal("97593800.00"),
            "putuo_social_work_2024_department_final_accounts.pdf": Decimal("3078200.00"),
        }
        assert con.execute("select count(*) from marts.fct_functional_expenditure").fetchone() == (
            143,
        )
        # template B prints no project performance tables: nothing demands their indicators
        assert con.execute("select count(*) from marts.fct_indicator_target").fetchone() == (0,)
        assert coverage_outcome(con) == [
            ("at least one fetched document was parsed", "passed"),
            ("every parsed document reached the facts its template feeds", "passed"),
        ]
    finally:
        con.close()


def test_a_hebei_only_corpus_publishes(mixed_runs):
    home, process, _ = mixed_runs  # template A only: text, DOCX, XLSX, broken and hostile files
    assert process.returncode == 0, process.stdout + process.stderr
    assert "documents parsed: 15, unreadable: 34, unsupported: 2, failed: 0" in process.stdout
    assert "published: yes" in process.stdout
    assert "[failed]" not in process.stdout
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute(
            """select template, count(*) from marts.dim_document where status = 'parsed'
            group by template"""
        ).fetchall() == [("A", 15)]
        text = (
            "(select document_key from marts.dim_document"
            " where url similar to '.*/(budget|page)\\.txt' and is_current)"
        )
        assert con.execute(
            f"""select expenditure_total_yuan, project_expenditure_yuan
            from marts.fct_department_budget where document_key = {text}"""
        ).fetchone() == (Decimal("40023800.00"), Decimal("21829600.00"))
        assert con.execute(
            f"""select amount_yuan from marts.fct_three_public_expenses
            where category = 'total' and document_key = {text}"""
        ).fetchone() == (Decimal("1557000.00"),)
        assert con.execute(
            f"select count(*) from marts.fct_indicator_target where document_key = {text}"
        ).fetchone() == (349,)
        # template A prints no functional or economic classification tables
        assert con.execute("select count(*) from marts.fct_functional_expenditure").fetchone() == (
            0,
        )
        assert coverage_outcome(con) == [
            ("at least one fetched document was parsed", "passed"),
            ("every parsed document reached the facts its template feeds", "passed"),
        ]
    finally:
        con.close()


def test_a_document_that_misses_its_templates_facts_is_published_partial(tmp_path):
    # the Hebei disclosure without its project performance tables (第三部分 keeps its heading):
    # still a template A budget stating 2182.96 万元 of project expenditure
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("1、电子政务内网整改后剩余尾款绩效目标表")
    end = text.index("六、政府采购预算情况")
    corpus = tmp_path / "hebei"
    corpus.mkdir()
    cut = corpus / "nangong_party_committee_2021_department_budget.txt"
    cut.write_bytes((text[:start] + text[end:]).encode("utf-8"))
    key = hashlib.sha256(cut.read_bytes()).hexdigest()[:16]

    hebei = sample_source("hebei") | {"path": str(corpus)}
    home, process = run(tmp_path, hebei, sample_source("shanghai"))
    # no document blocks the others: the corpus publishes, the document with what it has
    assert process.returncode == 0, process.stdout + process.stderr
    assert "documents parsed: 7, unreadable: 0, unsupported: 0, failed: 0" in process.stdout
    assert "published: yes" in process.stdout
    assert "[failed]" not in process.stdout
    named = (
        f"missing_facts=fct_indicator_target fct_project_cost, document_key={key}, template=A, "
        f"file_name={cut.name}"
    )
    assert f"  [warned] {COVERAGE} (1 row)" in process.stdout
    assert named in process.stdout  # the one document, with the facts it missed

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        # recognised as template A and parsed, published partial with its department budget
        assert con.execute(
            """select template, status, completeness, missing_facts
            from marts.dim_document where document_key = ?""",
            [key],
        ).fetchone() == ("A", "parsed", "partial", "fct_indicator_target fct_project_cost")
        assert con.execute(
            "select distinct completeness from marts.dim_document where document_key != ?", [key]
        ).fetchall() == [("complete",)]
        assert con.execute(
            """select expenditure_total_yuan, project_expenditure_yuan
            from marts.fct_department_budget where document_key = ?""",
            [key],
        ).fetchone() == (Decimal("40023800.00"), Decimal("21829600.00"))
        (rows,) = con.execute(
            """select failing_rows from audit.check_results
            where suite = 'document_coverage' and outcome = 'warned'"""
        ).fetchone()
        assert json.loads(rows) == [
            {
                "missing_facts": "fct_indicator_target fct_project_cost",
                "document_key": key,
                "template": "A",
                "file_name": cut.name,
                "url": cut.as_uri(),
            }
        ]
        assert con.execute(
            """select rule_id, subject from marts.fct_check_findings
            where document_key = ? and rule_id like 'document_coverage.%'""",
            [key],
        ).fetchall() == [("document_coverage.missing_facts", cut.name)]

    # the operator may still set the document aside: it then reaches no fact
    reason = "项目绩效目标表缺失，已联系南宫市财政局"
    assert yusuan("exclude", key, "--reason", reason, "--home", str(home)).returncode == 0
    _, again = run(tmp_path, hebei, sample_source("shanghai"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "documents parsed: 6, excluded: 1, unreadable: 0" in again.stdout
    assert "published: yes" in again.stdout
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        status, why, completeness = con.execute(
            """select status, status_reason, completeness from marts.dim_document
            where document_key = ?""",
            [key],
        ).fetchone()
        assert (status, why.endswith(f"): {reason}"), completeness) == ("excluded", True, None)
        assert con.execute(
            """select count(*), count(*) filter (where document_key = ?)
            from marts.fct_department_budget""",
            [key],
        ).fetchone() == (6, 0)
