"""Layouts: the template A sample and synthetic documents, printed in every layout of PDF, DOCX
and HTML (wrapped cells, merged 一级指标, tables split across pages, landscape, no rules, tight
and wide cells), parse to what they say. Each rendering is made and parsed once per module."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from decimal import Decimal

import pymupdf
import pytest
from conftest import SAMPLE, yusuan
from render import LAYOUTS, render_docx, render_html, render_pdf
from test_synth import mismatches

from orchestration.parse.document import parse_bytes
from orchestration.parse.layout import decode_text, join_wrapped
from orchestration.synth import synthesize
from orchestration.synth.render_layout import laid_out, text_layer, wrap

FORMATS = ("pdf", "docx", "html")
CASES = [f"{fmt}/{layout}" for layout in LAYOUTS for fmt in FORMATS]
RENDER = {
    "pdf": render_pdf,
    "docx": render_docx,
    "html": lambda text, layout: render_html(text, layout=layout),
}
FORMAT_BOUND = {"document_key", "line_no", "page", "goal_line_no", "sha256", "format", "parsed_at"}

# what the sample prints (tests/test_template_a.py reads each of these off the text layer)
SAMPLE_FIGURES = {
    "status": "parsed",
    "performance_tables": 56,
    "indicators": 349,
    "projects": 55,  # tables 28 and 30 print one project twice
    "money_costs": 46,
    "money_costs_yuan": Decimal("16619700"),
    "expenditure_total_yuan": Decimal("40023800"),
    "three_public_total_yuan": Decimal("1557000"),
    "units": 14,
    "level1": {"产出指标": 228, "效益指标": 65, "满意度指标": 56},
}


def figures(records: dict[str, list[dict]]) -> dict:
    """The sample's figures as parsed from one rendering."""
    indicators = records.get("indicators", [])
    money = [r for r in indicators if r["level2"] == "成本指标" and r["target_is_money"]]
    stated = {s["item"]: s["amount_yuan"] for s in records.get("stated_amounts", [])}
    return {
        "status": records["documents"][0]["status"],
        "performance_tables": len(records.get("performance_tables", [])),
        "indicators": len(indicators),
        "projects": len({t["project_name"] for t in records.get("performance_tables", [])}),
        "money_costs": len(money),
        "money_costs_yuan": sum((r["target_number"] for r in money), Decimal(0)),
        "expenditure_total_yuan": stated.get("expenditure_total"),
        "three_public_total_yuan": stated.get("three_public_total"),
        "units": len(records.get("units", [])),
        "level1": dict(Counter(r["level1"] for r in indicators)),  # every one filled
    }


def comparable(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {
        table: [{k: v for k, v in r.items() if k not in FORMAT_BOUND} for r in rows]
        for table, rows in records.items()
    }


@pytest.fixture(scope="module")
def sample_text() -> str:
    return decode_text(SAMPLE.read_bytes())


@pytest.fixture(scope="module")
def rendered(sample_text):
    """`rendered(case)`: the sample in `fmt/layout`, bytes and parsed records (made once)."""
    done: dict[str, tuple[bytes, dict]] = {}

    def get(case: str) -> tuple[bytes, dict]:
        if case not in done:
            fmt, layout = case.split("/")
            data = RENDER[fmt](sample_text, layout=layout)
            done[case] = data, parse_bytes(data, {"source_name": "test", "url": SAMPLE.as_uri()})
        return done[case]

    return get


@pytest.mark.parametrize("case", CASES)
def test_the_sample_parses_to_its_figures_in_every_layout(case, rendered):
    _, records = rendered(case)
    assert figures(records) == SAMPLE_FIGURES, records["documents"][0]["status_reason"]


@pytest.fixture(scope="module")
def printed(sample_text):
    """`printed(layout)`: the records of the text a layout prints (split_repeat: its repeated
    header rows too), parsed from a text layer once."""
    done: dict[str, dict] = {}

    def get(layout: str) -> dict:
        if layout not in done:
            data = text_layer(sample_text, layout).encode("utf-8")
            done[layout] = parse_bytes(data, {"source_name": "test", "url": SAMPLE.as_uri()})
        return done[layout]

    return get


@pytest.mark.parametrize("case", CASES)
def test_the_sample_reads_as_the_text_it_prints_in_every_layout(case, rendered, printed):
    _, records = rendered(case)
    assert comparable(records) == comparable(printed(case.split("/")[1]))


def test_the_plain_text_layer_is_the_sample_text(printed, sample_records):
    assert comparable(printed("plain")) == comparable(sample_records)


# -- synthetic documents -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_truth(tmp_path_factory):
    """`plain_truth(fmt)`: the truth of the plain corpus in `fmt` (made once)."""
    done: dict[str, dict] = {}

    def get(fmt: str) -> dict:
        if fmt not in done:
            out = tmp_path_factory.mktemp(f"plain-{fmt}")
            done[fmt] = corpus(out, fmt, "plain")
        return done[fmt]

    return get


def corpus(out, fmt: str, layout: str) -> dict:
    synthesize(out, departments=2, years=[2021], formats=[fmt], seed=3, layout=layout)
    return json.loads((out / "truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_synthetic_documents_parse_to_their_truth_in_every_layout(case, tmp_path, plain_truth):
    fmt, layout = case.split("/")
    truth = corpus(tmp_path, fmt, layout)
    assert truth == plain_truth(fmt)  # a layout never changes what a document says
    assert len(truth["documents"]) >= 2
    for doc in truth["documents"]:
        assert mismatches(parse_bytes((tmp_path / doc["path"]).read_bytes()), doc) == []


def test_cli_writes_a_corpus_in_a_layout(tmp_path):
    out = tmp_path / "corpus"
    args = ["--departments", "2", "--years", "2021", "--formats", "pdf,docx", "--out", str(out)]
    done = yusuan("synth", "--layout", "wrapped", *args)
    assert done.returncode == 0, done.stderr
    documents = json.loads((out / "truth.json").read_text(encoding="utf-8"))["documents"]
    assert {doc["format"] for doc in documents} == {"pdf", "docx"}
    assert all((out / doc["path"]).is_file() for doc in documents)
    wrong = yusuan("synth", "--layout", "folded", "--out", str(tmp_path / "other"))
    assert wrong.returncode == 2 and "invalid choice: 'folded'" in wrong.stderr


# -- what each layout prints ---------------------------------------------------------------------


def test_wrapping_breaks_cjk_between_characters_and_keeps_numbers_and_words_whole():
    text = "维护我市电子政务内网安全稳定运行无差错，金额 1,234.56 万元 and ASCII words"
    lines = wrap(text, 8)
    assert len(lines) > 2 and all(len(line) <= 16 for line in lines)
    assert join_wrapped(lines) == text
    words = set(text.split())
    assert all(set(re.findall(r"[\x21-\x7e]+", line)) <= words for line in lines)
    assert join_wrapped(["完成", "任务"]) == "完成任务" and join_wrapped(["a", "b"]) == "a b"


def docx_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_layouts_print_as_described(rendered, sample_text):
    docx = {layout: docx_xml(rendered(f"docx/{layout}")[0]) for layout in LAYOUTS}
    html = {layout: rendered(f"html/{layout}")[0].decode("gb18030") for layout in LAYOUTS}
    pdf = {layout: pymupdf.open(stream=rendered(f"pdf/{layout}")[0]) for layout in LAYOUTS}
    assert "<w:br/>" in docx["wrapped"] and "<br>" in html["wrapped"]
    assert "<w:br/>" not in docx["plain"] and "<br>" not in html["plain"]
    assert "<w:vMerge" in docx["merged"] and 'rowspan="' in html["merged"]
    for layout in ("split_repeat", "split_bare"):
        cuts = sum(len(t.starts) - 1 for k, t in laid_out(sample_text, layout) if k == "table")
        assert docx[layout].count('w:type="page"') == html[layout].count("page-break") == cuts > 5

    def first_cells(layout: str) -> set[str]:  # of each table part after a page break
        parts = html[layout].split("page-break-before:always")[1:]
        return {re.search(r"<td>([^<]*)</td>", part).group(1) for part in parts}

    assert first_cells("split_repeat") == {"一级指标", "单位名称", "项 目"}
    assert not first_cells("split_bare") & {"一级指标", "单位名称", "项 目"}
    assert 'w:orient="landscape"' in docx["landscape"]
    assert all(page.rect.height == 595 and page.rect.width >= 842 for page in pdf["landscape"])
    assert "w:tblStyle" not in docx["unruled"] and '<table border="0">' in html["unruled"]
    assert not any(page.get_drawings() for page in pdf["unruled"])
    assert any(page.get_drawings() for page in pdf["plain"])
    assert 'w:w="20" w:type="dxa"' in docx["narrow"] and 'cellpadding="1"' in html["narrow"]
    assert 'w:w="400" w:type="dxa"' in docx["wide"] and 'cellpadding="20"' in html["wide"]

    def heights(layout: str) -> set[float]:
        page = next(p for p in pdf[layout] if "一级指标" in p.get_text())
        return {round(d["rect"].height) for d in page.get_drawings() if d["rect"].height > 1}

    assert heights("plain") == {14} and max(heights("wrapped")) >= 28
    assert max(heights("merged")) >= 28 and heights("wide") >= {36}
