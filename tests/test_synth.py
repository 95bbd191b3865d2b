"""`yusuan synth`: a synthetic template A corpus parses back to its truth in every format, is
reproducible from its seed, and drifts across years the way real disclosures do."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import yusuan

from orchestration.parse.document import parse_bytes
from orchestration.sources import load_sources
from orchestration.synth import synthesize

FORMATS = ["txt", "html", "docx", "pdf"]


def generate(out: Path, **options) -> dict:
    synthesize(out, **options)
    return json.loads((out / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict]:
    """3 departments x 3 years in every format, many of them re-published."""
    out = tmp_path_factory.mktemp("small")
    options = dict(departments=3, years=range(2020, 2023), formats=FORMATS, republish=0.4)
    return out, generate(out, seed=5, **options)


@pytest.fixture(scope="module")
def larger(tmp_path_factory) -> tuple[Path, dict]:
    """20 departments x 10 years, text only: enough for drift and errors to show."""
    out = tmp_path_factory.mktemp("larger")
    return out, generate(out, departments=20, years=range(2015, 2025), seed=7, republish=0.05)


def mismatches(records: dict, truth: dict) -> list:
    """Where the parsed records differ from what the document is known to print."""
    document = records["documents"][0]
    found = []
    if (document["status"], document["template"]) != ("parsed", "A"):
        return [("status", document["status"], document.get("status_reason"))]
    department = truth["department"]
    expected = (truth["fiscal_year"], department["name"], department["code"], "department")
    got = (
        document["fiscal_year"],
        document["department_name"],
        document["department_code"],
        document["level"],
    )
    if got != expected:
        found.append(("document", got, expected))
    stated = {s["item"]: s["amount_yuan"] for s in records["stated_amounts"]}
    found += [
        (item, stated.get(item), value)
        for item, value in truth["figures"].items()
        if stated.get(item) != Decimal(value)
    ]
    tables = records["performance_tables"]
    if len(tables) != len(truth["tables"]):
        return [*found, ("tables", len(tables), len(truth["tables"]))]
    rows = defaultdict(list)
    for row in records["indicators"]:
        rows[row["table_ordinal"]].append(row)
    for parsed, table in zip(tables, truth["tables"], strict=True):
        indicators = rows[parsed["table_ordinal"]]
        printed = [
            {k: row[k] for k in ("level1", "level2", "level3", "target_text")} for row in indicators
        ]
        if (parsed["project_name"], parsed["goal_text"], printed) != (
            table["printed_name"],
            table["goal_text"],
            table["indicators"],
        ):
            found.append(("table", table["ordinal"], parsed["project_name"]))
        cost = [row for row in indicators if row["level2"] == "成本指标"]
        money = table["cost_yuan"] and Decimal(table["cost_yuan"])
        if len(cost) != 1 or (
            cost[0]["target_text"],
            cost[0]["target_is_money"],
            cost[0]["target_number"] if money else None,
        ) != (table["cost_text"], bool(money), money or None):
            found.append(("cost", table["ordinal"], [row["target_text"] for row in cost]))
    units = [(u["unit_name"], u["nature"], u["rank"], u["funding_form"]) for u in records["units"]]
    if units != [(u["name"], u["nature"], u["rank"], u["funding"]) for u in truth["units"]]:
        found.append(("units", units))
    return found


def test_every_document_parses_to_its_truth_in_every_format(small):
    out, truth = small
    assert {doc["format"] for doc in truth["documents"]} == set(FORMATS)
    for doc in truth["documents"]:
        records = parse_bytes((out / doc["path"]).read_bytes())
        assert mismatches(records, doc) == [], doc["path"]


def test_documents_cycle_the_formats_and_sit_under_county_and_department(small):
    out, truth = small
    for i, doc in enumerate(truth["documents"]):
        department = doc["department"]
        suffix = f"-v{doc['version']}" if doc["version"] > 1 else ""
        expected = f"{department['county']}/{department['name']}/{doc['fiscal_year']}{suffix}"
        assert doc["path"] == f"documents/{expected}.{FORMATS[i % len(FORMATS)]}"
    files = {p.relative_to(out).as_posix() for p in (out / "documents").rglob("*") if p.is_file()}
    assert files == {doc["path"] for doc in truth["documents"]}


def test_the_same_seed_gives_the_same_bytes(tmp_path, larger):
    out, truth = larger
    options = dict(departments=20, years=range(2015, 2025))
    again = generate(tmp_path / "again", seed=7, republish=0.05, **options)
    assert again == truth
    for doc in truth["documents"]:
        assert (tmp_path / "again" / doc["path"]).read_bytes() == (out / doc["path"]).read_bytes()
    other = generate(tmp_path / "other", seed=8, **options)
    assert other["documents"] != truth["documents"]


def test_sources_file_has_one_directory_source_per_county(small):
    out, truth = small
    sources = load_sources(out / "sources.yaml")
    counties = {doc["department"]["county"] for doc in truth["documents"]}
    assert len(sources) == len(counties) >= 3
    for source in sources:
        assert source.kind == "directory" and source.province == "河北省"
        assert source.path == (out / "documents" / source.county).resolve()
        assert source.path.is_dir()


def test_republications_correct_a_figure_in_a_later_file(small):
    out, truth = small
    documents = {doc["path"]: doc for doc in truth["documents"]}
    republished = [doc for doc in truth["documents"] if doc["version"] == 2]
    assert republished and len(truth["republications"]) == len(republished)
    for doc in republished:
        first = documents[doc["supersedes"]]
        same = ("department", "fiscal_year", "level", "kind")
        assert first["version"] == 1 and all(first[k] == doc[k] for k in same)
        assert doc["corrections"]
        changed = first["figures"] != doc["figures"] or first["tables"] != doc["tables"]
        assert changed
        assert first["published_on"] < doc["published_on"]
        assert (out / first["path"]).stat().st_mtime < (out / doc["path"]).stat().st_mtime


def test_figures_add_up_and_stated_changes_match_the_prior_year(larger):
    _, truth = larger
    errors = {(e["path"], e["item"]) for e in truth["errors"] if e["kind"].startswith("wrong")}
    latest = {}  # (department, year) -> the figures of its latest version
    for doc in truth["documents"]:
        latest[doc["department"]["id"], doc["fiscal_year"]] = doc["figures"]
    checked = 0
    for doc in truth["documents"]:
        f = {k: Decimal(v) for k, v in doc["figures"].items()}
        assert f["expenditure_total"] == f["basic_expenditure"] + f["project_expenditure"]
        assert f["vehicle_total"] == f["vehicle_purchase"] + f["vehicle_operation"]
        assert f["three_public_total"] == f["outbound"] + f["vehicle_total"] + f["reception"]
        prior = latest.get((doc["department"]["id"], doc["fiscal_year"] - 1))
        if prior is None:
            continue
        for item, totals in [
            ("three_public_change", ["three_public_total"]),
            ("meeting_training_change", ["meeting", "training"]),
        ]:
            expected = sum(f[t] - Decimal(prior[t]) for t in totals)
            assert (f[item] == expected) != ((doc["path"], item) in errors), doc["path"]
            checked += 1
    assert checked > 300 and len(errors) >= 3


def test_errors_say_what_was_stated_and_what_was_expected(larger):
    _, truth = larger
    documents = {doc["path"]: doc for doc in truth["documents"]}
    kinds = {error["kind"] for error in truth["errors"]}
    assert {"wrong_three_public_change", "duplicate_table", "cost_not_money"} <= kinds
    for error in truth["errors"]:
        doc = documents[error["path"]]
        if error["kind"].startswith("wrong"):
            assert error["stated_yuan"] == doc["figures"][error["item"]] != error["expected_yuan"]
            assert error["prior_in_corpus"] == (error["reference_year"] >= 2015)
        elif error["kind"] == "duplicate_table":
            first, again = (doc["tables"][n - 1] for n in error["table_ordinals"])
            assert first["project_id"] == again["project_id"] == error["project_id"]
        else:
            assert doc["tables"][error["table_ordinal"] - 1]["cost_yuan"] is None


def test_projects_keep_their_identity_across_name_drift(larger):
    _, truth = larger
    for doc in truth["documents"]:  # one table per project, unless printed twice on purpose
        ids = [t["project_id"] for t in doc["tables"] if t["duplicate_of"] is None]
        assert len(ids) == len(set(ids))
        for table in doc["tables"]:
            if table["duplicate_of"]:
                original = doc["tables"][table["duplicate_of"] - 1]
                assert original["project_id"] == table["project_id"]
    owners = {}  # (department, printed name) -> project: a name never names two projects
    names = defaultdict(set)
    for doc in truth["documents"]:
        for table in doc["tables"]:
            key = (doc["department"]["id"], table["printed_name"])
            assert owners.setdefault(key, table["project_id"]) == table["project_id"]
            names[table["project_id"]].add(table["printed_name"])
    renamed = [sorted(n) for n in names.values() if len(n) > 1]
    assert len(renamed) > 20
    drift = " ".join(" ".join(n) for n in renamed)
    assert "资金" in drift and "经费" in drift and "年" in drift and " " in drift
    years = defaultdict(set)
    for doc in truth["documents"]:
        for table in doc["tables"]:
            years[table["project_id"]].add(doc["fiscal_year"])
    spans = [len(y) for y in years.values()]
    assert 1 in spans and 10 in spans and any(1 < n < 10 for n in spans)  # start and end


def test_cli_writes_a_corpus_and_says_where(tmp_path):
    out = tmp_path / "corpus"
    done = yusuan("synth", "--departments", "4", "--years", "2021", "--out", str(out))
    assert done.returncode == 0, done.stderr
    documents = json.loads((out / "truth.json").read_text(encoding="utf-8"))["documents"]
    assert len(documents) >= 4 and f"wrote {len(documents)} documents" in done.stdout
    assert str(out / "sources.yaml") in done.stdout and str(out / "truth.json") in done.stdout
    again = yusuan("synth", "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
