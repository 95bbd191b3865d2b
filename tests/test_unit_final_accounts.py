"""Final accounts of a unit (单位决算): the same template as a department's (部门决算), with
单位 where the department's says 部门, as the district's unit budgets differ from its
department budgets (`单位主要职能`, `单位预算编制说明`, `本单位`). No unit's final accounts is in
the sample: each here is a real department's printed anew (`text_layer` edited, `render_pdf`)
as one of its own units', its figures kept, and must parse to the department's figures under
the unit's name.

- the social-work department's as its 上海市普陀区社会工作发展服务中心 (a unit it lists), the
  name on one cover line or wrapped over two;
- the planning bureau's as its 执法大队 (a unit it lists, named after the bureau), with the
  template's cover or with the district's budget cover (`…区级单位决算` / `决算单位：…`).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from final_accounts_corpus import PLANNING, SOCIAL_WORK, replace_once, text_layer
from test_final_accounts import FAMILIES

from orchestration.parse import final_accounts, template_a, template_b
from orchestration.parse.catalog import kind_by_id
from orchestration.parse.document import parse_bytes
from orchestration.read.pdf import read_pdf
from orchestration.synth.render import render_pdf

SOCIAL_DEPARTMENT = "中共上海市普陀区委社会工作部"
SOCIAL_UNIT = "上海市普陀区社会工作发展服务中心"
PLANNING_DEPARTMENT = "上海市普陀区规划和自然资源局"
PLANNING_UNIT = "上海市普陀区规划和自然资源局执法大队"

# what a unit's document says where its department's says 部门 (部门 in running text, as in
# 新建部门开办费 or the glossary's 财政部门, stays)
UNIT_WORDING = [
    ("部门决算", "单位决算"),
    ("本部门", "本单位"),
    ("本表反映部门", "本表反映单位"),
]


# the 单位构成 table's rows (序号, 单位名称, 备注): a unit lists itself alone
UNIT_ROWS = re.compile(r"(?<=序号\t单位名称\t备注\n)(?:\d+\t[^\n]*\n)+")


def as_unit(
    text: str, edits: list[tuple[str | re.Pattern, str]], department: str, unit: str
) -> str:
    """A department's text layer as one of its units': the given edits (cover, wording: each
    the first occurrence left, printed as given), the unit alone in its 单位构成, then the
    department's name and the 部门 wording throughout."""
    edits = [*edits, (UNIT_ROWS, f"1\t{unit}（本级）\t\n")]
    for number, (old, _) in enumerate(edits):
        marker = f"\0{number}\0"
        if isinstance(old, re.Pattern):
            text, found = old.subn(marker, text, count=1)
            assert found, old
        else:
            text = replace_once(text, old, marker)
    text = text.replace(department, unit)
    for old, new in UNIT_WORDING:
        text = text.replace(old, new)
    for number, (_, new) in enumerate(edits):
        text = text.replace(f"\0{number}\0", new)
    return text


SOCIAL_COVER = f"{SOCIAL_DEPARTMENT[:9]}\n{SOCIAL_DEPARTMENT[9:]}2024 年度\n部门决算\n"
SOCIAL_UNITS = (  # 二、部门决算单位构成: the department's two units, then the unit's own
    f"从预算单位构成看，{SOCIAL_DEPARTMENT}决算包括：\n"
    f"{SOCIAL_DEPARTMENT}本级决算、下属行政事业单位决算。\n",
    f"从预算单位构成看，{SOCIAL_UNIT}决算包括：\n{SOCIAL_UNIT}本级决算。\n",
)
PLANNING_COVER = "上海市普陀区规划和自然\n资源局\n2024 年度部门决算\n"
PLANNING_SCOPE = (  # 从预算单位构成看，…部门决 / 算包括：…本级决算、下属行政事 / 业单位决算。
    f"部门决\n算包括：{PLANNING_DEPARTMENT}本级决算、下属行政事\n业单位决算。\n",
    f"单位决\n算包括：{PLANNING_UNIT}本级决算。\n",
)

VARIANTS = {
    # the template's cover, the unit's name on a line of its own
    "social_unit": (
        SOCIAL_WORK,
        SOCIAL_DEPARTMENT,
        SOCIAL_UNIT,
        [(SOCIAL_COVER, f"{SOCIAL_UNIT}\n2024 年度\n单位决算\n"), SOCIAL_UNITS],
    ),
    # the name wrapped over two cover lines, the year after it; 单位主要职能 as unit budgets say
    "social_unit_wrapped": (
        SOCIAL_WORK,
        SOCIAL_DEPARTMENT,
        SOCIAL_UNIT,
        [
            (SOCIAL_COVER, "上海市普陀区社会工作\n发展服务中心2024 年度\n单位决算\n"),
            SOCIAL_UNITS,
            ("一、主要职能\n", "一、单位主要职能\n"),
            ("一、主要职能\n", "一、单位主要职能\n"),
        ],
    ),
    # a unit named after its department (as the department's 单位构成 lists it)
    "planning_unit": (
        PLANNING,
        PLANNING_DEPARTMENT,
        PLANNING_UNIT,
        [
            (PLANNING_COVER, "上海市普陀区规划和自然资源\n局执法大队\n2024 年度单位决算\n"),
            PLANNING_SCOPE,
        ],
    ),
    # the district's budget cover: region, year and level, then the unit on a labelled line
    "planning_unit_labelled": (
        PLANNING,
        PLANNING_DEPARTMENT,
        PLANNING_UNIT,
        [
            (PLANNING_COVER, f"上海市普陀区2024 年度区级单位决算\n决算单位：{PLANNING_UNIT}\n"),
            PLANNING_SCOPE,
        ],
    ),
}
ORIGINAL = {"social_unit": "social", "social_unit_wrapped": "social"}  # else planning


@pytest.fixture(scope="module")
def departments() -> dict[str, dict[str, list[dict]]]:
    """The two real department final accounts, parsed as they are, and planning's printed anew
    (the renderer prints no merged header cells: its 三公 table's 决算数 stand under no
    category, as in the units printed from it)."""
    return {
        "social": final_accounts.parse(read_pdf(SOCIAL_WORK.read_bytes()), "social"),
        "planning": final_accounts.parse(read_pdf(PLANNING.read_bytes()), "planning"),
        "planning_printed": final_accounts.parse(
            read_pdf(render_pdf(text_layer(PLANNING))), "planning_printed"
        ),
    }


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    out = {}
    for name, (path, department, unit, edits) in VARIANTS.items():
        out[name] = render_pdf(as_unit(text_layer(path), edits, department, unit))
    return out


@pytest.fixture(scope="module")
def units(pdfs) -> dict[str, dict[str, list[dict]]]:
    return {name: final_accounts.parse(read_pdf(pdf), name) for name, pdf in pdfs.items()}


def original(departments, name: str) -> dict[str, list[dict]]:
    return departments[ORIGINAL.get(name, "planning")]


def W(text: str) -> Decimal:
    """万元 as printed, in 元."""
    return (Decimal(text) * 10000).quantize(Decimal("0.01"))


def table_rows(records: dict, family: str) -> list[tuple]:
    """A table's rows as a user reads them: label, side, code, role, amounts by column: the
    table of the final accounts that is the national table `family`."""
    (meta,) = [t for t in records["budget_tables"] if kind_by_id(t["table_kind"]).family == family]
    amounts: dict[int, dict[str, Decimal]] = {}
    for a in records.get("budget_table_amounts", []):
        if a["table_ordinal"] == meta["table_ordinal"]:
            amounts.setdefault(a["row_ordinal"], {})[a["column_id"]] = a["amount_yuan"]
    return [
        (
            r["name"],
            r["side"],
            r.get("function_code") or r.get("economic_code"),
            r["row_role"],
            amounts.get(r["row_ordinal"], {}),
        )
        for r in records.get("budget_table_rows", [])
        if r["table_ordinal"] == meta["table_ordinal"]
    ]


def amounts_of(records: dict, family: str, name: str, side: str | None = None) -> dict:
    (amounts,) = [a for n, s, _, _, a in table_rows(records, family) if (n, s) == (name, side)]
    return amounts


# --- recognition and identity ----------------------------------------------------------------

IDENTITY = {
    "social_unit": f"{SOCIAL_UNIT}2024年度单位决算",
    "social_unit_wrapped": f"{SOCIAL_UNIT}2024年度单位决算",
    "planning_unit": f"{PLANNING_UNIT}2024年度单位决算",
    "planning_unit_labelled": "上海市普陀区2024年度区级单位决算",
}
UNIT_NAMES = {
    "social_unit": SOCIAL_UNIT,
    "social_unit_wrapped": SOCIAL_UNIT,
    "planning_unit": PLANNING_UNIT,
    "planning_unit_labelled": PLANNING_UNIT,
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_unit_is_recognised_and_named(pdfs, units, name):
    lines = read_pdf(pdfs[name])
    assert final_accounts.is_final_accounts(lines)
    assert not template_b.is_template_b(lines) and not template_a.is_template_a(lines)
    (doc,) = units[name]["documents"]
    assert (doc["template"], doc["kind"], doc["level"], doc["fiscal_year"]) == (
        "B",
        "final_accounts",
        "unit",
        2024,
    )
    assert (doc["title"], doc["department_name"], doc["region_text"]) == (
        IDENTITY[name],
        UNIT_NAMES[name],
        "上海市普陀区",
    )
    assert doc["department_code"] is None


def test_parse_bytes_places_a_unit(pdfs):
    records = parse_bytes(pdfs["social_unit"], {"source_name": "x"})
    (doc,) = records["documents"]
    assert (doc["status"], doc["kind"], doc["level"], doc["department_name"]) == (
        "parsed",
        "final_accounts",
        "unit",
        SOCIAL_UNIT,
    )


def test_departments_stay_departments(departments):
    for records in departments.values():
        (doc,) = records["documents"]
        assert doc["level"] == "department"


# --- 概况, 名词解释 ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VARIANTS))
def test_duties_units_glossary(departments, units, name):
    records, department = units[name], original(departments, name)
    assert [d["printed_number"] for d in records["duties"]] == [
        d["printed_number"] for d in department["duties"]
    ]
    assert [u["unit_name"] for u in records["units"]] == [f"{UNIT_NAMES[name]}（本级）"]
    assert [g["term"] for g in records["glossary"]] == [g["term"] for g in department["glossary"]]


# --- the nine tables: the department's figures under the unit's name --------------------------


@pytest.mark.parametrize("name", list(VARIANTS))
def test_nine_tables_as_the_department_prints_them(departments, units, name):
    records, department = units[name], original(departments, name)
    tables = sorted(records["budget_tables"], key=lambda t: t["printed_number"])
    assert [kind_by_id(t["table_kind"]).family for t in tables] == list(FAMILIES)
    assert {t["unit_text"] for t in records["budget_tables"]} == {"万元"}
    for family in FAMILIES:
        if family == "three_public" and name.startswith("planning"):  # no merged headers
            department = departments["planning_printed"]
        assert table_rows(records, family) == table_rows(department, family), family


@pytest.mark.parametrize(
    ("name", "income", "expenditure", "total", "basic", "project"),
    [
        ("social_unit", "307.82", "307.82", "307.82", "105.58", "202.24"),
        ("social_unit_wrapped", "307.82", "307.82", "307.82", "105.58", "202.24"),
        ("planning_unit", "9746.50", "9759.38", "9859.38", "5377.64", "4381.74"),
        ("planning_unit_labelled", "9746.50", "9759.38", "9859.38", "5377.64", "4381.74"),
    ],
)
def test_totals_as_printed(units, name, income, expenditure, total, basic, project):
    records = units[name]
    assert amounts_of(records, "revenue_expenditure_summary", "本年收入合计", "income") == {
        "amount": W(income)
    }
    assert amounts_of(records, "revenue_expenditure_summary", "本年支出合计", "expenditure") == {
        "amount": W(expenditure)
    }
    assert amounts_of(records, "revenue_expenditure_summary", "总计", "income") == {
        "amount": W(total)
    }
    assert amounts_of(records, "revenue_expenditure_summary", "总计", "expenditure") == {
        "amount": W(total)
    }
    assert amounts_of(records, "revenue_summary", "合计") == {
        "total": W(income),
        "fiscal_revenue": W(income),
    }
    assert amounts_of(records, "expenditure_summary", "合计") == {
        "total": W(expenditure),
        "basic": W(basic),
        "project": W(project),
    }


def test_three_public_budget_and_actual(departments, units):
    """预算数 from the table, 决算数 from 七、财政拨款“三公”经费支出决算情况说明 (the table's 决算数
    stand under merged headers the renderer does not print); the department's table agrees."""
    ((*_, printed),) = table_rows(departments["planning"], "three_public")
    for name in ("planning_unit", "planning_unit_labelled"):
        ((*_, amounts),) = table_rows(units[name], "three_public")
        budget = {key: value for key, value in amounts.items() if key and key.endswith("_budget")}
        assert budget == {key: value for key, value in printed.items() if key.endswith("_budget")}
        assert (budget["three_public_total_budget"], budget["reception_budget"]) == (
            W("2.85"),
            W("2.85"),
        )
        three = {
            s["item"]: s["amount_yuan"]
            for s in units[name]["stated_amounts"]
            if s["section"] == "three_public"
        }
        assert (three["three_public_total_budget"], three["three_public_total"]) == (
            W("2.85"),
            W("0.39"),
        )
        assert (three["outbound"], three["vehicle_total"], three["reception"]) == (
            printed["outbound"],
            printed["vehicle_total"],
            printed["reception"],
        )
        assert three["reception"] == W("0.39")
    # the social-work unit spent none: the table is printed empty, with its note
    for name in ("social_unit", "social_unit_wrapped"):
        (meta,) = [t for t in units[name]["budget_tables"] if t["table_kind"] == "fa_three_public"]
        assert meta["row_count"] == 0
        assert "本年度没有财政拨款“三公”经费支出，故本表无数据" in meta["note"]
        assert not [s for s in units[name]["stated_amounts"] if s["section"] == "three_public"]


# --- narrative -------------------------------------------------------------------------------


def figures(records: dict) -> list[tuple]:
    return [
        (s["section"], s["item"], s["amount_yuan"], s["amount_text"], s["reference_year"])
        for s in records.get("stated_amounts", [])
    ] + [(c["section"], c["item"], c["count"], c["as_of"]) for c in records["stated_counts"]]


LINE_FIELDS = (
    "printed_number",
    "class_name",
    "item_name",
    "subitem_name",
    "budget_basis",
    "budget_yuan",
    "amount_yuan",
    "comparison",
    "comparison_text",
    "execution_percent",
    "reason",
)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_narrative_and_functional_lines_as_the_department_states_them(departments, units, name):
    records, department = units[name], original(departments, name)
    assert figures(records) == figures(department)
    got = [tuple(f[k] for k in LINE_FIELDS) for f in records["functional_lines"]]
    assert got == [tuple(f[k] for k in LINE_FIELDS) for f in department["functional_lines"]]
    assert len(got) == (9 if name.startswith("social") else 13)


def test_social_unit_lines_budget_actual_comparison(units):
    lines = {f["subitem_name"]: f for f in units["social_unit"]["functional_lines"]}
    row = lines["行政运行"]
    assert (row["budget_yuan"], row["amount_yuan"], row["comparison"]) == (
        W("52.00"),
        W("51.32"),
        "less",
    )
    assert row["comparison_text"] == "决算数小于全年预算数"
    row = lines["其他社会工作事务支出"]
    assert (row["budget_yuan"], row["amount_yuan"], row["comparison"]) == (
        W("202.24"),
        W("202.24"),
        "equal",
    )
