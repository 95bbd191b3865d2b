"""A corpus of final accounts for the warehouse tests, printed anew from the sample's real ones
(their text layer through `render_pdf`), run once for the session (`final_accounts_run` in
conftest.py):

- budgets/: the commerce commission's real 2025 department budget;
- budgets/ also: the justice bureau's real 2026 department budget with one table's title
  left at the year before (2025年部门收入预算总表);
- final_accounts/ also: the social-work final accounts printed with their tables cut across
  pages and their headers repeated;
- final_accounts/: its 2025 final accounts (the real social-work final accounts renamed and
  re-dated), the planning bureau's 2024 final accounts as they are, and a copy of them with seven
  errors injected by hand (its cover keeps the template's `XX` blank, so it is another
  department).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from orchestration.read.pdf import read_pdf
from orchestration.synth.render import render_pdf

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ROOT / "sample" / "shanghai"
BUDGET = SHANGHAI / "putuo_commerce_2025_department_budget.pdf"
JUSTICE = SHANGHAI / "putuo_justice_2026_department_budget.pdf"
JUSTICE_STALE = "putuo_justice_2026_stale_title.pdf"
SOCIAL_SPLIT = "social_work_2024_split.pdf"
SOCIAL_WORK = SHANGHAI / "putuo_social_work_2024_department_final_accounts.pdf"
PLANNING = SHANGHAI / "putuo_planning_resources_2024_department_final_accounts.pdf"
COMMERCE_FINAL = "putuo_commerce_2025_department_final_accounts.pdf"
PLANNING_COPY, PLANNING_INJECTED = "planning_2024.pdf", "planning_2024_injected.pdf"


def text_layer(path: Path) -> str:
    """A PDF's text: table rows as tab-separated cells, other lines as their text."""
    return "\n".join(
        line.text if line.table is not None else " ".join(c for c in line.cells if c)
        for line in read_pdf(path.read_bytes())
    )


def replace_once(text: str, old: str, new: str, occurrence: int = 1) -> str:
    at = -1
    for _ in range(occurrence):
        at = text.index(old, at + 1)
    return text[:at] + new + text[at + len(old) :]


def commerce_final_accounts() -> bytes:
    """The social-work final accounts as the commerce commission's of 2025."""
    text = text_layer(SOCIAL_WORK)
    for old, new in [
        ("中共上海市普陀区委\n社会工作部", "上海市普陀区商务委员会\n"),
        ("中共上海市普陀区委社会工作部", "上海市普陀区商务委员会"),
        ("2024", "2025"),
        ("2023", "2024"),
    ]:
        text = text.replace(old, new)
    return render_pdf(text)


def injected(text: str) -> str:
    # 1. the cover keeps the template's blank for the department's name
    text = replace_once(text, "上海市普陀区规划和自然\n资源局\n", "上海市XX局\n")
    # 2. the 国有资本经营 table is left out (its title, rows and notes; the contents keep it)
    title = "\n国有资本经营预算财政拨款收入支出决算表\n"
    start = text.index(title)
    text = text[:start] + text[text.index("\n第三部分", start) :]
    # 3. 住房公积金's 合计 is blanked in the 一般公共预算财政拨款支出决算表 (the third table
    #    printing the row)
    row = "2210201\t住房公积金\t289.59\t289.59\t0.00"
    text = replace_once(text, row, "2210201\t住房公积金\t\t289.59\t0.00", occurrence=2)
    # 4. a line spent less than its budget and says 大于
    text = replace_once(text, "决算数小于预算数", "决算数大于预算数")
    # 5. a change compared with the wrong year
    text = replace_once(text, "与2023 年度相比，收入支出总计", "与2022 年度相比，收入支出总计")
    # 6. the narrative's 本年收入合计 disagrees with the 收支总表 (9746.50 万元)
    text = replace_once(text, "本年收入合计9746.50", "本年收入合计9756.50")
    # 7. an amount of the narrative is left blank before its unit (the template's blank)
    return replace_once(text, "财政拨款支出9746.50 万元，主要用于", "财政拨款支出 万元，主要用于")


def stale_title(path: Path) -> bytes:
    """The budget with its 收入预算总表's title (not its contents entry) left at last year's:
    the real PDF, that one title's text redacted and printed anew (all else as it was)."""
    import pymupdf

    old, new = "2026年部门收入预算总表", "2025年部门收入预算总表"
    document = pymupdf.open(path)
    (page, rect), *_ = [(p, r) for p in document for r in p.search_for(old) if p.number > 1]
    page.add_redact_annot(rect)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=0)
    page.insert_text((rect.x0, rect.y1 - 2), new, fontname="china-s", fontsize=rect.height * 0.8)
    return document.tobytes()


def write_corpus(root: Path) -> Path:
    """The corpus under `root`; returns its sources file."""
    (root / "budgets").mkdir()
    (root / "final_accounts").mkdir()
    shutil.copy(BUDGET, root / "budgets" / BUDGET.name)
    (root / "budgets" / JUSTICE_STALE).write_bytes(stale_title(JUSTICE))
    finals = root / "final_accounts"
    (finals / COMMERCE_FINAL).write_bytes(commerce_final_accounts())
    planning = text_layer(PLANNING)
    (finals / PLANNING_COPY).write_bytes(render_pdf(planning))
    (finals / PLANNING_INJECTED).write_bytes(render_pdf(injected(planning)))
    # the social-work final accounts with their tables cut across pages, headers repeated
    (finals / SOCIAL_SPLIT).write_bytes(render_pdf(text_layer(SOCIAL_WORK), "split_repeat"))
    sources = root / "sources.yaml"
    region = "    province: 上海市\n    prefecture: 上海市\n    county: 普陀区\n"
    sources.write_text(
        "sources:\n"
        f"  - name: putuo_budgets\n    kind: directory\n{region}    path: budgets\n"
        f"  - name: putuo_final_accounts\n    kind: directory\n{region}    path: final_accounts\n",
        encoding="utf-8",
    )
    return sources
