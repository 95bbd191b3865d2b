"""The documentation sites of a build: dbt docs and Great Expectations Data Docs, generated
from the sample run's built and audited warehouse (real dbt, real GX, real DuckDB files)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import lxml.html
import pytest
import yaml

from orchestration.model import DBT_PROJECT_DIR, dbt_docs_anchor, generate_dbt_docs
from orchestration.validate.suites import load_suite_files, run_suites

FCT_PROJECT_COST = "model.yusuan.fct_project_cost"
SITE_FILES = {"catalog.json", "index.html", "manifest.json"}
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def build(sample_run, tmp_path_factory) -> Path:
    """A copy of the sample run's built warehouse (build/warehouse.duckdb) and dbt logs."""
    home, process = sample_run
    assert process.returncode == 0, process.stdout + process.stderr
    work = tmp_path_factory.mktemp("docs")
    (work / "build").mkdir()
    shutil.copyfile(home / "build" / "warehouse.duckdb", work / "build" / "warehouse.duckdb")
    shutil.copytree(home / "logs", work / "logs")
    return work


@pytest.fixture(scope="module")
def dbt_site(build) -> Path:
    """The dbt docs site, generated over a stale one."""
    site = build / "docs" / "dbt"
    site.mkdir(parents=True)
    (site / "stale.html").write_text("an earlier site")
    return generate_dbt_docs(build / "build" / "warehouse.duckdb", build / "logs", site)


def inline_data(index: Path) -> dict:
    """The manifest and catalog that the single-file site carries in its script
    (`{manifest:{...},catalog:{...}}`)."""
    html = index.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    manifest, end = decoder.raw_decode(html, html.index("{manifest:") + len("{manifest:"))
    assert html[end:].startswith(",catalog:")
    catalog, _ = decoder.raw_decode(html, end + len(",catalog:"))
    return {"manifest": manifest, "catalog": catalog}


def test_dbt_site_is_one_self_contained_page(build, dbt_site):
    site = dbt_site.parent
    assert dbt_site == build / "docs" / "dbt" / "index.html"
    assert {p.name for p in site.iterdir()} == SITE_FILES  # the stale site is gone
    assert [p.name for p in site.parent.iterdir()] == ["dbt"]  # no half-built leftovers

    inline = inline_data(dbt_site)
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert inline["manifest"]["metadata"] == manifest["metadata"]
    assert inline["catalog"] == json.loads((site / "catalog.json").read_text(encoding="utf-8"))

    node = inline["manifest"]["nodes"][FCT_PROJECT_COST]
    assert (node["schema"], node["name"]) == ("marts", "fct_project_cost")
    assert "select" in node["compiled_code"].lower()  # the build's compiled SQL
    documented = yaml.safe_load((DBT_PROJECT_DIR / "models/marts/_marts.yml").read_text())
    model = next(m for m in documented["models"] if m["name"] == "fct_project_cost")
    written = {c["name"]: c["description"] for c in model["columns"]}
    assert written["cost_yuan"].startswith("Cost in 元, DECIMAL(18,2)")
    assert {c: v["description"] for c, v in node["columns"].items()} == written


def test_dbt_catalog_lists_the_columns_and_types_of_the_warehouse(build, dbt_site):
    catalog = json.loads((dbt_site.parent / "catalog.json").read_text(encoding="utf-8"))
    table = catalog["nodes"][FCT_PROJECT_COST]
    assert table["metadata"]["schema"] == "marts"
    assert table["metadata"]["type"] == "BASE TABLE"
    types = {name: column["type"] for name, column in table["columns"].items()}
    assert types["cost_yuan"] == "DECIMAL(18,2)"
    assert types["document_key"] == "VARCHAR"
    assert types["table_ordinal"] == "INTEGER"
    assert types["is_money"] == "BOOLEAN"
    # dbt no longer holds the database: it opens for writing, and the catalog is what it holds
    con = duckdb.connect(str(build / "build" / "warehouse.duckdb"))
    try:
        in_db = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_project_cost'"
        ).fetchall()
    finally:
        con.close()
    assert types == dict(in_db)
    raw_documents = catalog["sources"]["source.yusuan.raw.documents"]["columns"]
    assert raw_documents["sha256"]["type"] == "VARCHAR"


def test_dbt_docs_anchor_is_the_static_site_route(dbt_site):
    assert dbt_docs_anchor(FCT_PROJECT_COST) == "#!/model/model.yusuan.fct_project_cost"
    assert dbt_docs_anchor("source.yusuan.raw.documents") == (
        "#!/source/source.yusuan.raw.documents"
    )
    html = dbt_site.read_text(encoding="utf-8")
    assert 'state("dbt.model",{url:"model/:unique_id' in html  # #!/model/<unique_id>
    assert 'state("dbt.source",{url:"source/:unique_id' in html


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium")
def test_dbt_model_page_opens_from_the_file_system(dbt_site):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    flags = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")
    for flag in (*flags, "--window-size=1600,1000"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        browser.get(dbt_site.as_uri() + dbt_docs_anchor(FCT_PROJECT_COST))
        body = browser.find_element(By.TAG_NAME, "body")
        WebDriverWait(browser, 60).until(lambda _: "cost_yuan" in body.text)
        page = body.text
    finally:
        browser.quit()
    assert "fct_project_cost table" in page  # the model's page, its name and materialisation
    assert "RELATION\nwarehouse.marts.fct_project_cost" in page
    assert "cost_yuan\nDECIMAL(18,2)\nCost in 元, DECIMAL(18,2), the cost row's money" in page


def test_dbt_site_without_build_artifacts_replaces_the_previous_site(build, dbt_site, tmp_path):
    site = tmp_path / "dbt"
    shutil.copytree(dbt_site.parent, site)
    (site / "stale.html").write_text("an earlier site")
    before = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["metadata"]

    index = generate_dbt_docs(build / "build" / "warehouse.duckdb", tmp_path / "logs", site)

    assert {p.name for p in site.iterdir()} == SITE_FILES
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["invocation_id"] != before["invocation_id"]
    assert inline_data(index)["manifest"]["metadata"] == manifest["metadata"]
    assert FCT_PROJECT_COST in inline_data(index)["catalog"]["nodes"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_dbt_failure_names_the_reason_and_keeps_the_previous_site(build, dbt_site, tmp_path):
    site = tmp_path / "dbt"
    shutil.copytree(dbt_site.parent, site)
    broken = tmp_path / "warehouse.duckdb"
    broken.write_text("not a database")

    with pytest.raises(RuntimeError, match="not a valid DuckDB database file"):
        generate_dbt_docs(broken, build / "logs", site)

    assert (site / "index.html").read_bytes() == dbt_site.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dbt", "warehouse.duckdb"]
    with pytest.raises(FileNotFoundError):
        generate_dbt_docs(tmp_path / "missing.duckdb", build / "logs", site)


@pytest.fixture(scope="module")
def gx_run(build):
    """The checks of the warehouse without and with Data Docs (written over a stale site)."""
    db = build / "build" / "warehouse.duckdb"
    site = build / "docs" / "gx"
    (site / "validations" / "old").mkdir(parents=True)
    plain = run_suites(db)
    with_docs = run_suites(db, docs_dir=site)
    return plain, with_docs, site


def page_text(path: Path) -> str:
    root = lxml.html.parse(str(path)).getroot()
    for script in root.xpath("//script|//style"):
        script.drop_tree()
    return " ".join(root.text_content().split())


def expectation_rows(path: Path) -> dict[str, bool]:
    """Each expectation of a validation result page: its text and whether it passed."""
    root = lxml.html.parse(str(path)).getroot()
    rows = {}
    for table in root.xpath("//table[.//th[normalize-space()='Status']]"):
        for row in table.xpath("./tbody/tr | ./tr[td]"):
            status, expectation = row.xpath("./td")[:2]
            passed = bool(status.xpath(".//i[contains(@class, 'fa-check-circle')]"))
            failed = bool(status.xpath(".//i[contains(@class, 'fa-times')]"))
            assert passed != failed
            rows[" ".join(expectation.text_content().split())] = passed
    return rows


def index_rows(index: Path) -> dict[str, tuple[str, str]]:
    """The validation results listed by the index: suite -> (page, status)."""
    html = index.read_text(encoding="utf-8")
    found = re.findall(
        r"'_expectation_suite_name_sort': '(\w+)', '_table_row_link_path': "
        r"'(validations/[^']+\.html)', '_validation_success_text': '(\w+)'",
        html,
    )
    return {suite: (page, status) for suite, page, status in found}


def findings(results) -> list[tuple]:
    """Each check's outcome and failing rows; the rows in no particular order, as a suite's
    query has no ORDER BY (DuckDB returns them in any order)."""
    return [
        (r.suite, r.description, r.outcome, r.failing_count, r.observed)
        + tuple(sorted(json.dumps(row, ensure_ascii=False) for row in r.failing_rows))
        for r in results
    ]


def test_gx_docs_leave_the_check_results_unchanged(gx_run):
    plain, with_docs, _ = gx_run
    assert findings(with_docs) == findings(plain)
    assert {r.outcome for r in plain} == {"passed", "warned"}
    assert sum(r.outcome == "warned" for r in plain) == 14


def test_the_index_lists_every_suite_by_severity_without_scripts(gx_run):
    plain, _, site = gx_run
    root = lxml.html.parse(str(site / "index.html")).getroot()
    assert root.xpath("//script") == []  # readable offline
    rows = {
        tr.xpath("./td[1]")[0].text_content(): [td.text_content() for td in tr.xpath("./td")]
        for tr in root.xpath("//tr[td]")
    }
    suites = {spec["name"] for spec in load_suite_files()}
    assert set(rows) == suites
    assert rows["fct_project_cost"][1:3] == ["warned", "3 / 5"]
    assert rows["document_coverage"][1] == "passed"
    for suite in suites:
        outcomes = {r.outcome for r in plain if r.suite == suite}
        expected = next(o for o in ("failed", "warned", "passed") if o in outcomes)
        assert rows[suite][1] == expected, suite
    for href in root.xpath("//a/@href"):
        assert (site / href).is_file(), href
    by_suite = {suite: rows[suite][1] for suite in suites}
    counts = {o: sum(v == o for v in by_suite.values()) for o in ("passed", "warned", "failed")}
    summary = (
        f"{len(suites)} suites, {counts['passed']} passed, {counts['warned']} warned, 0 failed."
    )
    assert summary in root.text_content()


def test_gx_index_lists_every_suite_with_its_result(gx_run):
    plain, _, site = gx_run
    index = site / "gx_index.html"
    assert not (site / "validations" / "old").exists()  # the stale site is gone
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".")] == []

    listed = index_rows(index)
    suites = [spec["name"] for spec in load_suite_files()]
    assert sorted(listed) == sorted(suites)
    for suite in suites:
        page, status = listed[suite]
        assert (site / page).is_file()
        assert (site / "expectations" / f"{suite}.html").is_file()
        all_passed = all(r.success for r in plain if r.suite == suite)
        assert status == ("Success" if all_passed else "Failed"), suite
    assert listed["fct_project_cost"][1] == "Failed"
    assert listed["document_coverage"][1] == "Success"


def test_gx_page_of_fct_project_cost_shows_each_expectation_and_the_unexpected_rows(gx_run):
    plain, _, site = gx_run
    page = site / index_rows(site / "gx_index.html")["fct_project_cost"][0]
    text = page_text(page)
    assert "Expectation Suite: fct_project_cost" in text
    assert "Status: Failed" in text
    assert re.search(r"Evaluated Expectations\s*5 Successful Expectations\s*3", text)

    rows = expectation_rows(page)
    checks = [r for r in plain if r.suite == "fct_project_cost"]
    assert len(rows) == len(checks) == 5
    for check in checks:
        (shown,) = [t for t in rows if t.startswith(check.description)]
        assert rows[shown] == check.success, check.description

    (twice,) = [t for t in rows if t.startswith("no project table is printed twice")]
    assert not rows[twice]
    assert "2 unexpected values found" in twice
    root = lxml.html.parse(str(page)).getroot()
    unexpected = root.xpath("//table[.//th[normalize-space()='Unexpected Value']]")[-1]
    header = [" ".join(th.text_content().split()) for th in unexpected.xpath(".//th")]
    assert header == [
        "Unexpected Value",
        "Count",
        "document_key",
        "table_ordinal",
        "line_no",
        "cost_text",
    ]
    (cells,) = [
        [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        for tr in unexpected.xpath(".//tr[td]")
    ]
    assert cells[:2] == ["2", "2"]  # printed twice: 2 rows
    shown = set(zip(*(cell.split(", ") for cell in cells[2:]), strict=True))
    assert shown == {
        ("14438a5b4742a5cc", "28", "898", "1 万元"),
        ("14438a5b4742a5cc", "30", "922", "1 万元"),
    }
    (check,) = [c for c in checks if c.description.startswith("no project table")]
    assert sorted(row["table_ordinal"] for row in check.failing_rows) == [28, 30]


def test_gx_suite_page_shows_descriptions_and_query(gx_run):
    _, _, site = gx_run
    text = page_text(site / "expectations" / "fct_project_cost.html")
    spec = next(s for s in load_suite_files() if s["name"] == "fct_project_cost")
    assert spec["meta"]["description"] in text
    assert "count(*) over (partition by document_key, project_key) as times_printed" in text
    for expectation in spec["expectations"]:
        assert expectation["meta"]["description"] in text


def test_readme_lists_every_mart_column_with_its_type_and_description(sample_run):
    from orchestration.mart_docs import README, columns_markdown, readme_section

    home, _ = sample_run
    expected = columns_markdown(home / "warehouse.duckdb")
    assert readme_section(README.read_text(encoding="utf-8")) == expected, (
        "README's mart columns are out of date: uv run python -m orchestration.mart_docs"
    )
    assert "| `cost_yuan` | DECIMAL(18,2) | " in expected
    assert expected.count("#### `marts.") == 26
    assert "|  |" not in expected  # every column has a description
