"""Versions, project identity across years, trend marts and the prior-year reconciliation check,
on a small multi-year corpus made from the bundled Hebei text (one `yusuan run`).

The corpus (department 市委部门 of 南宫市):
- 2021: the sample as published.
- 2022: renamed projects (选调生房补经费 -> 选调生房租补经费, 援南医疗队及专家食宿费 ->
  援南医疗队专家食宿费, 迎宾馆防疫资金 -> 迎宾馆防疫经费, 干部日常管理 -> 2022 年干部日常管理,
  涉军、扶贫专班工作经费 -> 涉军扶贫专班 工作经费), new costs,
  table 9 (国家安全工作经费) removed, a new table 村级活动场所补助经费 printed beside
  村级活动场所补助资金, 三公 150.00 万元 stated as 减少5.70万元 vs 2021 (right).
- 2022, re-published later: the same with the expenditure total corrected (4100.00 -> 4120.00).
- 2023: 2023年干部日常管理 (no space), 三公 140.00 万元 stated as 减少20.00万元 vs 2022 (wrong:
  the change is -10.00).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import textwrap
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE, yusuan


def _mtime(day: str) -> float:
    return datetime.fromisoformat(f"{day}T00:00:00+00:00").timestamp()


def year_text(year: int) -> str:
    """The sample with its fiscal year moved to `year` (2021 -> year, 2020 -> year - 1)."""
    text = SAMPLE.read_text(encoding="utf-8")
    shift = {"2021": str(year), "2020": str(year - 1)}
    return re.sub(r"202[01]", lambda m: shift[m.group(0)], text)


def must_replace(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced by `new`; `old` must be there."""
    assert old in text, old
    return text.replace(old, new)


def table_block(text: str, number: int, name: str, next_number: int, next_name: str) -> str:
    start = text.index(f"{number}、{name}绩效目标表")
    end = text.index(f"{next_number}、{next_name}绩效目标表")
    return text[start:end]


# the figures of the later years (万元 as printed); the stated changes vs the prior year are
# right for 2022 (150.00 - 155.70 = -5.70) and wrong for 2023 (140.00 - 150.00 = -10.00, not -20.00)
FIGURES = {
    2022: {
        "cost": "≤260 万元",
        "three_public": "150.00",
        "vehicles": "70.00",
        "change": "减少5.70万元",
        "meeting_training": "会议费5.00万元，培训费10.00万元",
    },
    2023: {
        "cost": "≤270 万元",
        "three_public": "140.00",
        "vehicles": "60.00",
        "change": "减少20.00万元",
        "meeting_training": "会议费0.00万元，培训费0.00万元",
    },
}


def edited_year(year: int) -> str:
    """A later year: renamed projects, new costs, one table removed, one table added."""
    figures = FIGURES[year]
    text = year_text(year)
    renames = {
        "5、选调生房补经费": "5、选调生房租补经费",  # 房补 / 房租补
        "6、援南医疗队及专家食宿费": "6、援南医疗队专家食宿费",  # one character less: fuzzy
        "8、迎宾馆防疫资金": "8、迎宾馆防疫经费",  # 资金 / 经费
        "12、干部日常管理": f"12、{year}{' ' if year == 2022 else ''}年干部日常管理",  # a year
        "2、涉军、扶贫专班工作经费": "2、涉军扶贫专班 工作经费",  # punctuation and a space
    }
    for old, new in renames.items():
        text = must_replace(text, f"{old}绩效目标表", f"{new}绩效目标表")
    text = must_replace(text, "≤247.7 万元", figures["cost"])
    # table 9 is not published this year
    text = text.replace(table_block(text, 9, "国家安全工作经费", 10, "工资管理信息服务费"), "")
    # a new project printed beside 村级活动场所补助资金, its name differing by 资金 / 经费 only
    village = table_block(text, 17, "村级活动场所补助资金", 18, "到村帮扶大学生工资")
    added = village.replace("17、村级活动场所补助资金", "57、村级活动场所补助经费")
    text = text.replace(village, village + added.replace("≤100 万元", "≤30 万元"))
    # the headline figures and 三公 (reception 80.00, vehicles all operation)
    text = must_replace(text, "预算经费为 4002.38 万元", "预算经费为 4100.00 万元")
    text = must_replace(text, "项目支出预算安排 2182.96 万元", "项目支出预算安排 2280.58 万元")
    text = must_replace(
        text, "“三公”经费预算安排155.70万元", f"“三公”经费预算安排{figures['three_public']}万元"
    )
    vehicles = figures["vehicles"]
    text = must_replace(text, "购置及运行经费74.20万元", f"购置及运行经费{vehicles}万元")
    text = must_replace(text, "公务用车运行费为74.20万元", f"公务用车运行费为{vehicles}万元")
    text = must_replace(text, "公务接待费81.50万元", "公务接待费80.00万元")
    text = must_replace(
        text, f"与{year - 1}年相比减少34.98万元", f"与{year - 1}年相比{figures['change']}"
    )
    return must_replace(text, "会议费10.00万元，培训费20.00万元", figures["meeting_training"])


def build_corpus(folder: Path) -> Path:
    """Write the multi-year corpus and its sources.yaml; return the sources file."""
    folder.mkdir(parents=True, exist_ok=True)
    # the 2022 budget re-published two months later with its total corrected
    corrected = must_replace(
        edited_year(2022), "预算经费为 4100.00 万元", "预算经费为 4120.00 万元"
    )
    corrected = must_replace(
        corrected, "项目支出预算安排 2280.58 万元", "项目支出预算安排 2300.58 万元"
    )
    files = {
        "budget_2021.txt": (year_text(2021), "2021-02-20"),
        "budget_2022.txt": (edited_year(2022), "2022-02-20"),
        "budget_2022_corrected.txt": (corrected, "2022-04-20"),
        "budget_2023.txt": (edited_year(2023), "2023-02-20"),
    }
    for name, (text, day) in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        os.utime(path, (_mtime(day), _mtime(day)))  # when the publisher last changed the file
    sources = folder.parent / "trend_sources.yaml"
    sources.write_text(
        textwrap.dedent(f"""
        sources:
          - {{name: nangong_years, kind: directory, province: 河北省, prefecture: 邢台市,
              county: 南宫市, path: "{folder}"}}
        """),
        encoding="utf-8",
    )
    return sources


def document_key(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@pytest.fixture(scope="module")
def trend_run(tmp_path_factory):
    """One `yusuan run` over the multi-year corpus: (document keys by file stem, process, con)."""
    root = tmp_path_factory.mktemp("trends")
    sources = build_corpus(root / "corpus")
    process = yusuan("run", "--sources", str(sources), "--home", str(root / "home"))
    assert process.returncode == 0, process.stdout + process.stderr
    keys = {path.stem: document_key(path) for path in (root / "corpus").glob("*.txt")}
    con = duckdb.connect(str(root / "home" / "warehouse.duckdb"), read_only=True)
    yield keys, process, con
    con.close()


@pytest.fixture(scope="module")
def keys(trend_run):
    return trend_run[0]


@pytest.fixture(scope="module")
def con(trend_run):
    return trend_run[2]


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_the_run_publishes_every_version(trend_run):
    _, process, _ = trend_run
    assert "documents fetched: 4 new, 0 changed, 0 unchanged, 0 failed" in process.stdout
    assert "published: yes" in process.stdout


def test_a_republished_document_supersedes_the_earlier_one(con, keys):
    versions = rows(
        con,
        """select document_key, fiscal_year, version_number, is_current, valid_from, valid_to,
        supersedes_document_key from marts.dim_document order by fiscal_year, version_number""",
    )
    assert versions == [
        (keys["budget_2021"], 2021, 1, True, datetime(2021, 2, 20), None, None),
        (keys["budget_2022"], 2022, 1, False, datetime(2022, 2, 20), datetime(2022, 4, 20), None),
        (
            keys["budget_2022_corrected"],
            2022,
            2,
            True,
            datetime(2022, 4, 20),
            None,
            keys["budget_2022"],
        ),
        (keys["budget_2023"], 2023, 1, True, datetime(2023, 2, 20), None, None),
    ]
    # the facts show the current versions only, with the corrected figure
    assert rows(
        con,
        "select document_key, expenditure_total_yuan from marts.fct_department_budget "
        "where fiscal_year = 2022",
    ) == [(keys["budget_2022_corrected"], Decimal("41200000.00"))]
    assert rows(con, "select count(distinct document_key) from marts.fct_project_cost") == [(3,)]
    assert rows(
        con, "select count(distinct document_key) from marts.fct_three_public_expenses"
    ) == [(3,)]
    # every version is kept in the history tables
    assert rows(con, "select count(*) from marts.hist_department_budget") == [(4,)]
    assert rows(con, "select count(*) from marts.hist_three_public_expenses") == [(32,)]


def as_of(con, moment: str) -> dict[int, Decimal]:
    return dict(
        rows(
            con,
            """select fiscal_year, expenditure_total_yuan from marts.hist_department_budget
            where ?::timestamp >= valid_from and (valid_to is null or ?::timestamp < valid_to)""",
            [moment, moment],
        )
    )


def test_the_history_answers_for_a_date(con):
    assert as_of(con, "2022-03-15") == {2021: Decimal("40023800.00"), 2022: Decimal("41000000.00")}
    assert as_of(con, "2022-05-01") == {2021: Decimal("40023800.00"), 2022: Decimal("41200000.00")}
    assert as_of(con, "2024-01-01") == {
        2021: Decimal("40023800.00"),
        2022: Decimal("41200000.00"),
        2023: Decimal("41000000.00"),
    }
    assert as_of(con, "2021-01-01") == {}


def project(con, name: str) -> tuple:
    return con.execute(
        """select project_key, first_year, last_year, name_variants from marts.dim_project
        where project_name = ?""",
        [name],
    ).fetchone()


def test_renamed_projects_keep_their_key_across_years(con):
    assert rows(con, "select count(*) from marts.dim_project") == [(62,)]
    renamed = {
        "选调生房补经费": ["选调生房补经费", "选调生房租补经费"],
        "援南医疗队及专家食宿费": ["援南医疗队及专家食宿费", "援南医疗队专家食宿费"],
        "迎宾馆防疫资金": ["迎宾馆防疫资金", "迎宾馆防疫经费"],
        "干部日常管理": ["干部日常管理", "2022 年干部日常管理", "2023年干部日常管理"],
        "涉军、扶贫专班工作经费": ["涉军、扶贫专班工作经费", "涉军扶贫专班 工作经费"],
    }
    for name, variants in renamed.items():
        key, first, last, names = project(con, name)
        assert (first, last, names) == (2021, 2023, variants), name
        years = rows(
            con,
            "select distinct fiscal_year from marts.fct_project_cost where project_key = ? "
            "order by 1",
            [key],
        )
        assert years == [(2021,), (2022,), (2023,)], name
    # a project no longer published keeps its years
    assert project(con, "国家安全工作经费")[1:3] == (2021, 2021)
    # the name differs by one character (及) only: the fuzzy step linked it
    assert rows(
        con,
        """select match_name, linked_similarity from intermediate.int_project_clusters
        where linked_from_cluster_id is not null""",
    ) == [("援南医疗队专家食宿费", 0.9091)]


def test_each_years_carried_over_funds_are_a_project_of_their_own(con):
    # 上年结转 2020 年… (in 2021), 上年结转 2021 年… (in 2022): the year names the allocation
    carried = rows(
        con,
        """select project_name, first_year, last_year from marts.dim_project
        where project_name like '上年结转%' order by first_year""",
    )
    assert carried == [
        (
            f"上年结转 {year - 1} 年省级国家电影事业发展专项资金冀财教【{year - 1}】156 号",
            year,
            year,
        )
        for year in (2021, 2022, 2023)
    ]


def test_projects_printed_side_by_side_are_never_merged(con, keys):
    funds = project(con, "村级活动场所补助资金")
    added = project(con, "村级活动场所补助经费")  # normalises like 资金 but printed beside it
    assert funds[0] != added[0]
    assert funds[1:] == (2021, 2023, ["村级活动场所补助资金"])
    assert added[1:] == (2022, 2023, ["村级活动场所补助经费"])
    offices = rows(
        con,
        """select count(distinct project_key) from marts.dim_project
        where project_name in ('市委综合事务管理', '宣传综合事务管理', '编办综合事务管理')""",
    )
    assert offices == [(3,)]
    # 56 tables in each later year, tables 28 and 30 being one project printed twice
    per_document = rows(
        con,
        """select document_key, count(*), count(distinct project_key) from marts.fct_project_cost
        group by document_key order by 1""",
    )
    assert sorted(per_document) == sorted(
        [
            (keys["budget_2021"], 56, 55),
            (keys["budget_2022_corrected"], 56, 55),
            (keys["budget_2023"], 56, 55),
        ]
    )


def test_trend_marts(con, keys):
    costs = rows(
        con,
        """select m.fiscal_year, m.cost_yuan, m.prior_year_cost_yuan, m.change_yuan, m.change_pct,
        typeof(m.change_pct) from marts.mart_project_cost_by_year m
        join marts.dim_project p using (project_key)
        where p.project_name = '市委综合事务管理' order by 1""",
    )
    assert costs == [
        (2021, Decimal("2477000.00"), None, None, None, "DECIMAL(18,2)"),
        (
            2022,
            Decimal("2600000.00"),
            Decimal("2477000.00"),
            Decimal("123000.00"),
            Decimal("4.97"),
            "DECIMAL(18,2)",
        ),
        (
            2023,
            Decimal("2700000.00"),
            Decimal("2600000.00"),
            Decimal("100000.00"),
            Decimal("3.85"),
            "DECIMAL(18,2)",
        ),
    ]
    renamed = rows(
        con,
        """select m.fiscal_year, m.prior_year_cost_yuan, m.change_yuan from
        marts.mart_project_cost_by_year m join marts.dim_project p using (project_key)
        where p.project_name = '选调生房补经费' order by 1""",
    )
    assert renamed == [
        (2021, None, None),
        (2022, Decimal("12000.00"), Decimal("0.00")),
        (2023, Decimal("12000.00"), Decimal("0.00")),
    ]
    targets = rows(
        con,
        """select m.fiscal_year, m.target_text, m.target_number, m.prior_year,
        m.prior_target_text, m.prior_target_number, m.changed
        from marts.mart_indicator_target_changes m join marts.dim_project p using (project_key)
        join marts.dim_indicator i using (indicator_key)
        where p.project_name = '市委综合事务管理' and i.level2 = '成本指标' order by 1""",
    )
    assert targets == [
        (2021, "≤247.7 万元", Decimal("2477000.0000"), None, None, None, None),
        (
            2022,
            "≤260 万元",
            Decimal("2600000.0000"),
            2021,
            "≤247.7 万元",
            Decimal("2477000.0000"),
            True,
        ),
        (
            2023,
            "≤270 万元",
            Decimal("2700000.0000"),
            2022,
            "≤260 万元",
            Decimal("2600000.0000"),
            True,
        ),
    ]
    budget = rows(
        con,
        """select fiscal_year, level, expenditure_total_yuan, prior_year_expenditure_total_yuan,
        change_yuan from marts.mart_department_budget_by_year order by 1""",
    )
    assert budget == [
        (2021, "department", Decimal("40023800.00"), None, None),
        (2022, "department", Decimal("41200000.00"), Decimal("40023800.00"), Decimal("1176200.00")),
        (2023, "department", Decimal("41000000.00"), Decimal("41200000.00"), Decimal("-200000.00")),
    ]
    three_public = rows(
        con,
        """select fiscal_year, amount_yuan, prior_year_amount_yuan, change_yuan,
        reported_change_yuan, reconciles from marts.mart_three_public_by_year
        where category = 'total' order by 1""",
    )
    assert three_public == [
        (2021, Decimal("1557000.00"), None, None, Decimal("-349800.00"), None),
        (
            2022,
            Decimal("1500000.00"),
            Decimal("1557000.00"),
            Decimal("-57000.00"),
            Decimal("-57000.00"),
            True,
        ),
        (
            2023,
            Decimal("1400000.00"),
            Decimal("1500000.00"),
            Decimal("-100000.00"),
            Decimal("-200000.00"),
            False,
        ),
    ]


def test_a_wrong_stated_change_is_reported_with_both_figures(trend_run, keys, con):
    _, process, _ = trend_run
    outcome, failing = con.execute(
        """select outcome, failing_rows from audit.check_results
        where suite = 'trend_reconciliation'"""
    ).fetchone()
    assert outcome == "warned"
    assert json.loads(failing) == [
        {
            "reconciles": False,
            "document_key": keys["budget_2023"],
            "line_no": 147,
            "item": "three_public_change",
            "raw_text": "与2022年相比减少20.00万元",
            "stated_change": -200000.0,
            "this_year_figure": 1400000.0,
            "prior_year_figure": 1500000.0,
            "computed_change": -100000.0,
            "tolerance": 150.0,  # 50 元 for each figure printed to 0.01 万元
            "prior_document_key": keys["budget_2022_corrected"],
        }
    ]
    lines = process.stdout.splitlines()
    head = lines.index(
        "  [warned] trend_reconciliation: a change stated vs the prior year reconciles with the "
        "prior year's own disclosure (within the rounding of the printed figures) (1 row)"
    )
    assert lines[head + 1].startswith(
        f"      reconciles=False, document_key={keys['budget_2023']}, line_no=147, "
        "item=three_public_change, "
    )
