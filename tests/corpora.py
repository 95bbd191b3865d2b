"""Small corpora written for the tests that run the whole job."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from conftest import SAMPLE


def write_mixed_corpus(root: Path) -> Path:
    """A template A corpus as it comes from a county: the sample as text beside a truncated
    PDF, a note that is no budget and a portal page quoting the budget under a breadcrumb
    (南宫市); the same budget as DOCX and XLSX beside a legacy
    .doc (威县); the hostile corpus, one document per attack (临西县); and a portal that is
    down (广宗县). Returns its sources file."""
    from test_analyst_views import legacy_doc, sample_docx, sample_xlsx

    from orchestration.synth.hostile import write_hostile_corpus

    nangong = root / "nangong"
    nangong.mkdir()
    shutil.copy(SAMPLE, nangong / "budget.txt")
    (nangong / "scan.pdf").write_bytes(b"%PDF-1.4\n%broken")
    (nangong / "notes.txt").write_text("会议纪要：与预算无关。", encoding="utf-8")
    page = "首页 > 政务公开 > 财政预决算\n" + SAMPLE.read_text(encoding="utf-8")  # a portal page
    (nangong / "page.txt").write_text(page, encoding="utf-8")
    formats = root / "formats"
    formats.mkdir()
    (formats / "budget.docx").write_bytes(sample_docx())
    (formats / "budget.xlsx").write_bytes(sample_xlsx())
    (formats / "legacy.doc").write_bytes(legacy_doc())
    write_hostile_corpus(root / "hostile")
    sources = root / "sources.yaml"
    sources.write_text(
        textwrap.dedent(f"""\
        sources:
          - {{name: nangong, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 南宫市, path: "{nangong}"}}
          - {{name: formats, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 威县, path: "{formats}"}}
          - {{name: hostile, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 临西县, path: "{root / "hostile"}"}}
          - {{name: offline, kind: http, province: 河北省, prefecture: 邢台市, county: 广宗县,
              urls: ["http://127.0.0.1:9/list.html"], retries: 0, delay: 0}}
        """),
        encoding="utf-8",
    )
    return sources
