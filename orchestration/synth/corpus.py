"""Write a synthetic corpus: the documents, a sources file the pipeline reads, and the truth.

```
DIR/documents/<county>/<department>/<year>.<ext>      the first publication
DIR/documents/<county>/<department>/<year>-v2.<ext>   a corrected re-publication
DIR/sources.yaml                                      one directory source per county
DIR/truth.json                                        what every document prints, and why
```
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

import yaml

from orchestration.synth.drift import yuan
from orchestration.synth.model import Corpus, Document, build_corpus
from orchestration.synth.render import render_docx, render_html, render_pdf, style
from orchestration.synth.write import document_text

FORMATS = ("txt", "html", "docx", "pdf")  # each also the file extension


def render(text: str, fmt: str, index: int, layout: str = "plain") -> bytes:
    """A document's bytes in `fmt`, its tables printed in `layout` (see `style`; a text layer
    has none); web pages alternate between GB18030 and UTF-8."""
    if fmt == "txt":
        return text.encode("utf-8")
    if fmt == "html":
        return render_html(text, "utf-8" if index % 2 else "gb18030", layout)
    if fmt == "docx":
        return render_docx(text, layout)
    return render_pdf(text, layout)


@dataclass
class Written:
    documents: int
    sources: Path
    truth: Path


def synthesize(
    out: Path | str,
    departments: int = 40,
    years: list[int] | range = range(2019, 2025),
    formats: list[str] | tuple[str, ...] = ("txt",),
    seed: int = 7,
    republish: float = 0.02,
    layout: str = "plain",
) -> Written:
    """Generate a corpus into `out` (whose documents/ folder must not exist yet), its PDF, DOCX
    and HTML tables printed in `layout` (which changes no document's truth)."""
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be among {','.join(FORMATS)}, got {','.join(formats)}")
    style(layout)  # an unknown layout, or one combining layouts that clash, stops here
    if not 0 <= republish <= 1:
        raise ValueError(f"republish is a fraction from 0 to 1, got {republish}")
    out = Path(out)
    if (out / "documents").exists():
        raise FileExistsError(f"{out / 'documents'} already exists: choose a new --out")
    corpus = build_corpus(random.Random(seed), departments, list(years), republish)
    for i, doc in enumerate(corpus.documents):
        fmt = formats[i % len(formats)]
        version = f"-v{doc.version}" if doc.version > 1 else ""
        d = doc.department
        doc.path = f"documents/{d.region.county}/{d.name}/{doc.year}{version}.{fmt}"
    for i, doc in enumerate(corpus.documents):
        d = doc.department
        quirks = random.Random(f"{seed}:{d.id}:{doc.year}:{doc.version}")  # format-independent
        path = out / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(document_text(doc, quirks), path.suffix[1:], i, layout))
        published = datetime.combine(doc.published_on, time()).timestamp()
        os.utime(path, (published, published))  # a re-publication is a later file
    sources = out / "sources.yaml"
    sources.write_text(sources_yaml(corpus), encoding="utf-8")
    truth = out / "truth.json"
    with truth.open("w", encoding="utf-8") as file:
        json.dump(truth_of(corpus, seed, formats, republish), file, ensure_ascii=False, indent=1)
    return Written(len(corpus.documents), sources, truth)


def sources_yaml(corpus: Corpus) -> str:
    sources = [
        {
            "name": region.slug,
            "kind": "directory",
            "province": region.province,
            "prefecture": region.prefecture,
            "county": region.county,
            "path": f"documents/{region.county}",
        }
        for region in corpus.regions
    ]
    head = "# A synthetic corpus of template A disclosures (yusuan synth); see truth.json.\n"
    return head + yaml.safe_dump({"sources": sources}, allow_unicode=True, sort_keys=False)


def _money(value):
    """Figures in 万元 as exact 元 text, recursively."""
    if isinstance(value, Decimal):
        return yuan(value)
    if isinstance(value, dict):
        return {k.replace("_wan", "_yuan"): _money(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_money(v) for v in value]
    return value


def document_truth(doc: Document) -> dict:
    d = doc.department
    return {
        "path": doc.path,
        "format": doc.path.rsplit(".", 1)[1],
        "department": {
            "id": d.id,
            "province": d.region.province,
            "prefecture": d.region.prefecture,
            "county": d.region.county,
            "name": d.name,
            "code": d.code,
        },
        "title_region": d.title_name[: -len(d.name)],
        "fiscal_year": doc.year,
        "level": "department",
        "kind": "budget",
        "version": doc.version,
        "supersedes": doc.supersedes.path if doc.supersedes else None,
        "published_on": doc.published_on.isoformat(),
        "figures": _money(doc.figures),
        "reference_year": doc.year - 1,
        "units": [
            {"name": u.name, "nature": u.nature, "rank": u.rank, "funding": u.funding}
            for u in doc.units
        ],
        "tables": [
            {
                "ordinal": n,
                "printed_number": n,
                "printed_name": t.name,
                "project_id": t.project_id,
                "duplicate_of": t.duplicate_of,
                "goal_text": t.goal,
                "cost_text": t.cost_text,
                "cost_yuan": t.cost_yuan,
                "indicators": [
                    {
                        "level1": i.level1,
                        "level2": i.level2,
                        "level3": i.level3,
                        "target_text": i.target,
                    }
                    for i in t.indicators
                ],
            }
            for n, t in enumerate(doc.tables, start=1)
        ],
        "corrections": _money(doc.corrections),
    }


def truth_of(corpus: Corpus, seed: int, formats, republish: float) -> dict:
    documents = [document_truth(doc) for doc in corpus.documents]
    first_year = min(doc.year for doc in corpus.documents)

    def prior(error: dict) -> dict:
        """Whether a wrong stated change can be found: the prior year is in the corpus."""
        year = error.get("reference_year")
        return {} if year is None else {"prior_in_corpus": year >= first_year}

    names: dict[str, dict[str, list[str]]] = {}
    for doc in documents:
        for table in doc["tables"]:
            printed = names.setdefault(table["project_id"], {}).setdefault(
                str(doc["fiscal_year"]), []
            )
            if table["printed_name"] not in printed:
                printed.append(table["printed_name"])
    return {
        "generator": {
            "seed": seed,
            "departments": len(corpus.departments),
            "years": sorted({doc.year for doc in corpus.documents}),
            "formats": list(formats),
            "republish": republish,
        },
        "sources": "sources.yaml",
        "departments": [
            {
                "id": d.id,
                "province": d.region.province,
                "prefecture": d.region.prefecture,
                "county": d.region.county,
                "name": d.name,
                "code": d.code,
            }
            for d in corpus.departments
        ],
        "projects": [
            {
                "id": p.id,
                "department_id": p.id.rsplit("-", 1)[0],
                "canonical_name": p.canonical,
                "printed_names": names[p.id],
            }
            for p in corpus.projects
            if p.id in names
        ],
        "documents": documents,
        "errors": [
            {"path": doc.path, **_money(error), **prior(error)}
            for doc in corpus.documents
            for error in doc.errors
        ],
        "republications": [
            {"path": doc.path, "supersedes": doc.supersedes.path, "corrections": _money(c)}
            for doc in corpus.documents
            if doc.supersedes
            for c in [doc.corrections]
        ],
    }
