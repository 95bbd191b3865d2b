"""The random corpus model: regions, departments, and what each department discloses each year.

A department keeps its projects, units and figures from year to year and lets them drift:
projects start, end, come back and change their printed names; budgets, costs and targets move;
the 三公 figures change and each document states its change against the prior year's own total.
Each document is a snapshot (`Document`) of what is printed, with the errors put in on purpose.
Everything is drawn from one `random.Random`, so a seed gives one corpus.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from orchestration.synth import catalog
from orchestration.synth.catalog import Region
from orchestration.synth.drift import cost_text, cost_yuan, name_variants, wan

ZERO = Decimal("0.00")
COST_STYLES = ["le_wan"] * 11 + ["wan"] * 3 + ["le_yuan", "le_yuan", "bare_wan", "text", "text"]
P_END = 0.12  # a project ends after a year
P_REVIVE = 0.05  # an ended project comes back
P_RENAME = 0.3  # a persisting project is printed under another of its names
P_ONE_OFF = 0.35  # a year brings a one-year project
P_WRONG_CHANGE = 0.03  # the stated 三公 change is wrong
P_WRONG_MEETING = 0.02  # the stated meeting/training change is wrong
P_DUPLICATE = 0.03  # a project table is printed twice


@dataclass
class Department:
    id: str
    region: Region
    code: str
    name: str
    short: str
    topics: list[str]
    size: int  # how many projects it usually runs
    space: str  # printed between a target's number and its unit: " " or ""
    pronoun: str  # 我单位 / 我部门
    operating_share: Decimal | None  # 机关运行经费 / 基本支出; None: all of it
    names: dict[str, str] = field(default_factory=dict)  # every printed project name -> id

    @property
    def title_name(self) -> str:
        """The name as a title prints it after the county: 南宫 + 市委部门, 南宫市 + 财政局."""
        county = self.region.county
        prefix = county[:-1] if self.name.startswith(county[-1] + "委") else county
        return prefix + self.name

    def claim(self, name: str, project_id: str) -> bool:
        """Reserve a printed name for a project; False if another project has printed it."""
        owner = self.names.setdefault(name, project_id)
        return owner == project_id


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    description: str
    target: str
    basis: str


@dataclass(frozen=True)
class Table:
    """One printed project performance table."""

    project_id: str
    name: str
    goal: str
    indicators: tuple[Indicator, ...]
    cost_text: str
    cost_yuan: str | None
    duplicate_of: int | None = None  # the ordinal of the table this one repeats


@dataclass(frozen=True)
class Unit:
    name: str
    nature: str
    rank: str
    funding: str


@dataclass
class Document:
    """What one published file prints. Figures are in 万元; changes are as stated."""

    department: Department
    year: int
    version: int
    published_on: date
    units: list[Unit]
    duties: list[str]
    goals: list[str]
    tables: list[Table]
    figures: dict[str, Decimal]
    errors: list[dict] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)
    supersedes: Document | None = None
    path: str = ""


@dataclass
class Project:
    id: str
    topic: str
    base: str
    suffix: str
    core: bool
    one_off: bool
    budget: Decimal
    places: int
    style: str  # how the cost row prints, see drift.cost_text
    indicators: list[Indicator]
    goal: str
    name: str = ""

    @property
    def canonical(self) -> str:
        return self.base + self.suffix


@dataclass
class Corpus:
    regions: list[Region]
    departments: list[Department]
    documents: list[Document]
    projects: list[Project]


def build_corpus(
    rng: random.Random, departments: int, years: list[int], republish: float
) -> Corpus:
    """`departments` departments spread over 3 or more counties, each disclosing every year."""
    per_county = len(catalog.DEPARTMENTS)
    counties = min(len(catalog.REGIONS), max(3, math.ceil(departments / 40)), departments)
    if not 0 < departments <= len(catalog.REGIONS) * per_county:
        raise ValueError(f"departments must be 1 to {len(catalog.REGIONS) * per_county}")
    if not years:
        raise ValueError("no fiscal years")
    regions = catalog.REGIONS[:counties]
    menus = {region.slug: rng.sample(catalog.DEPARTMENTS, per_county) for region in regions}
    chosen = [
        _department(rng, regions[i % counties], menus[regions[i % counties].slug][i // counties])
        for i in range(departments)
    ]
    chosen.sort(key=lambda d: (regions.index(d.region), d.code))
    documents, projects = [], []
    for department in chosen:
        history = History(department, rng)
        for year in years:
            documents += history.disclose(year, republish)
        projects += history.projects
    return Corpus(regions, chosen, documents, projects)


def _department(rng: random.Random, region: Region, entry: tuple) -> Department:
    code, name, short, topics = entry
    s = region.county[-1]
    return Department(
        id=f"{region.slug}-{code}",
        region=region,
        code=code,
        name=name.format(s=s),
        short=short.format(s=s),
        topics=topics,
        size=rng.choice([3, 4, 5, 6, 6, 7, 8, 8, 9, 10, 11, 12, 14, 16, 18, 22]),
        space=rng.choice([" ", " ", ""]),
        pronoun=rng.choice(["我单位", "我部门"]),
        operating_share=None if rng.random() < 0.15 else wan(rng.uniform(0.08, 0.35)),
    )


def _drift(rng: random.Random, value: Decimal, low: float, high: float, places: int = 2):
    return wan(float(value) * rng.uniform(low, high), places)


class History:
    """One department's state, carried from year to year."""

    def __init__(self, department: Department, rng: random.Random) -> None:
        """The department as it stood the year before the first disclosed."""
        self.department, self.rng = department, rng
        self.projects: list[Project] = []
        self.active: list[Project] = []
        self.dormant: list[Project] = []
        generic = rng.sample(catalog.GENERIC_TOPICS, rng.randint(6, 12))
        pool = department.topics[1:] + generic
        rng.shuffle(pool)
        self.pool = [f"{department.short}综合事务管理", department.topics[0], *pool]
        self.basic = wan(math.exp(rng.uniform(math.log(80), math.log(2500))))
        self.outbound = wan(rng.uniform(1, 8)) if rng.random() < 0.1 else ZERO
        self.operation = wan(rng.uniform(1, 60))
        self.reception = wan(rng.uniform(0.5, 60))
        self.meeting = ZERO if rng.random() < 0.2 else wan(rng.uniform(0.5, 15))
        self.training = ZERO if rng.random() < 0.2 else wan(rng.uniform(0.5, 25))
        self.purchase = ZERO
        county = department.region.county
        self.units = [Unit(f"{department.title_name}本级", "行政", "正科级", "财政拨款")]
        subs = rng.sample(catalog.SUB_UNITS, len(catalog.SUB_UNITS))
        self.spare_units = [f"{county}{department.short}{sub}" for sub in subs]
        for _ in range(rng.randint(0, 6)):
            self._add_unit()
        self.duties = self._duties()

    # -- yearly drift ---------------------------------------------------------------------------

    def disclose(self, year: int, republish: float) -> list[Document]:
        """The year's document, or an earlier version and its correction."""
        prior_total, prior_meeting = self.three_public_total, self.meeting + self.training
        self._advance(year)
        doc = self._document(year, prior_total, prior_meeting)
        if self.rng.random() < republish:
            return [self._earlier_version(doc), doc]
        self._inject_errors(doc)
        return [doc]

    @property
    def three_public_total(self) -> Decimal:
        return self.outbound + self.purchase + self.operation + self.reception

    def _advance(self, year: int) -> None:
        rng = self.rng
        self.basic = _drift(rng, self.basic, 0.97, 1.10)
        if rng.random() > 0.04:  # else the 三公 figures stay as they were: 持平
            if self.outbound:
                self.outbound = _drift(rng, self.outbound, 0.6, 1.2)
            self.purchase = wan(rng.uniform(10, 30)) if rng.random() < 0.08 else ZERO
            self.operation = _drift(rng, self.operation, 0.8, 1.1)
            self.reception = _drift(rng, self.reception, 0.75, 1.1)
        if rng.random() > 0.06:
            self.meeting = _drift(rng, self.meeting, 0.7, 1.15)
            self.training = _drift(rng, self.training, 0.7, 1.15)
        for unit in self.units[1:]:
            if rng.random() < 0.06:
                self.units.remove(unit)
        if rng.random() < 0.15:
            self._add_unit()
        self._advance_projects(year)

    def _advance_projects(self, year: int) -> None:
        rng = self.rng
        active = []
        for project in self.active:
            if project.core or not project.one_off and rng.random() > P_END:
                self._drift_project(project, year)
                active.append(project)
            elif not project.one_off:
                self.dormant.append(project)
        for project in list(self.dormant):
            if rng.random() < P_REVIVE:
                self.dormant.remove(project)
                self._drift_project(project, year)
                active.insert(rng.randint(0, len(active)), project)
        target = max(2, self.department.size + rng.randint(-2, 2))
        while len(active) < target and self.pool:
            project = self._new_project(self.pool.pop(0), year)
            if project:
                active.append(project)
        if rng.random() < P_ONE_OFF:
            for _ in range(rng.choice([1, 1, 2])):
                project = self._new_project(rng.choice(self.department.topics), year, True)
                if project:
                    active.append(project)
        self.active = active

    def _new_project(self, topic: str, year: int, one_off: bool = False) -> Project | None:
        rng, department = self.rng, self.department
        project_id = f"{department.id}-P{len(self.projects) + 1:03d}"
        if one_off:
            template = rng.choice(catalog.ONE_OFF)
            candidates = [(template.format(y=year, p=year - 1, t=topic), "")]
        else:
            suffixes = [rng.choice(catalog.SUFFIXES), *catalog.SUFFIXES]
            candidates = [(topic, suffix) for suffix in dict.fromkeys(suffixes)]
        for base, suffix in candidates:
            if not department.claim(base + suffix, project_id):
                continue
            places = rng.choice([0, 0, 1, 2, 2])
            budget = wan(math.exp(rng.uniform(math.log(0.8), math.log(400))), places)
            project = Project(
                id=project_id,
                topic=topic,
                base=base,
                suffix=suffix,
                core=not self.projects or topic == department.topics[0],
                one_off=one_off,
                budget=max(budget, Decimal("0.50")),
                places=places,
                style=rng.choice(COST_STYLES),
                indicators=self._indicators(topic, year),
                goal=self._project_goal(topic),
                name=base + suffix,
            )
            self.projects.append(project)
            return project
        return None

    def _drift_project(self, project: Project, year: int) -> None:
        rng = self.rng
        project.budget = max(_drift(rng, project.budget, 0.8, 1.25, project.places), wan(0.5))
        if rng.random() < 0.1:
            project.style = rng.choice(COST_STYLES)
        for indicator in project.indicators:
            if indicator.level2 == "成本指标":
                continue
            indicator.target = self._retarget(indicator.target)
            if "号" in indicator.basis and rng.random() < 0.5:
                indicator.basis = self._basis(year)
        if rng.random() < P_RENAME:
            names = [project.canonical, *name_variants(project.base, project.suffix, year)]
            name = rng.choice(names)
            if name != project.name and self.department.claim(name, project.id):
                project.name = name
        elif project.name.startswith(str(year - 1)):  # an inserted year is that year's only
            project.name = project.canonical

    def _add_unit(self) -> None:
        if self.spare_units:
            nature, rank, funding = self.rng.choice(catalog.UNIT_NATURES)
            self.units.append(Unit(self.spare_units.pop(), nature, rank, funding))

    # -- wordings -------------------------------------------------------------------------------

    def _duties(self) -> list[str]:
        d, rng = self.department, self.rng
        s = d.region.county[-1]
        duties = []
        for topic in d.topics:
            for template in rng.sample(catalog.DUTIES[:5], rng.randint(1, 3)):
                duties.append(template.format(t=topic, s=s))
        return [*duties, catalog.DUTIES[5], catalog.DUTIES[6].format(s=s)]

    def _goals(self) -> list[str]:
        d = self.department
        goals = catalog.OVERALL_GOALS[: self.rng.randint(1, len(catalog.OVERALL_GOALS))]
        return [g.format(s=d.region.county[-1], t=d.topics[0]) for g in goals]

    def _project_goal(self, topic: str) -> str:
        first, second = self.rng.sample(catalog.PROJECT_GOALS, 2)
        return f"1. {first.format(t=topic)} 2. {second.format(t=topic)}"

    def _basis(self, year: int) -> str:
        return f"{self.department.short}字〔{year - 1}〕{self.rng.randint(1, 99)}号"

    def _target(self, kind: str) -> str:
        rng = self.rng
        if kind.startswith("count:"):
            number = rng.choice([1, 2, 3, 5, 10, 12, 20, 50, 100, 200, 500, 1000, 3500])
            unit = rng.choice(kind[6:].split(","))
            return f"{rng.choice(['≥', '≥', ''])}{number}{self.department.space}{unit}"
        return rng.choice(catalog.TARGETS[kind])

    def _retarget(self, target: str) -> str:
        """Next year's target: numbers move, words are sometimes replaced."""
        rng = self.rng
        for values in catalog.TARGETS.values():
            if target in values:
                return rng.choice(values) if rng.random() < 0.2 else target
        head = target.lstrip("≥")
        digits = head[: len(head) - len(head.lstrip("0123456789"))]
        if not digits:
            return target
        number = max(1, round(int(digits) * rng.uniform(0.85, 1.25)))
        return target[: len(target) - len(head)] + str(number) + head[len(digits) :]

    def _indicators(self, topic: str, year: int) -> list[Indicator]:
        rng = self.rng
        rows = []

        def add(level1: str, level2: str, level3: str, kind: str) -> None:
            level3 = level3.format(t=topic)
            basis = self._basis(year) if rng.random() < 0.3 else rng.choice(catalog.BASES)
            target = "" if kind == "cost" else self._target(kind)
            rows.append(Indicator(level1, level2, level3, f"反映{level3}情况", target, basis))

        for level3, kind in rng.sample(catalog.OUTPUT_QUANTITY, rng.choice([1, 1, 2])):
            add("产出指标", "数量指标", level3, kind)
        add("产出指标", "质量指标", *rng.choice(catalog.OUTPUT_QUALITY))
        add("产出指标", "时效指标", *rng.choice(catalog.OUTPUT_TIME))
        add("产出指标", "成本指标", rng.choice(catalog.OUTPUT_COST), "cost")
        outcomes = rng.sample(catalog.OUTCOMES, rng.choice([1, 1, 2]))
        for level2, level3, kind in sorted(outcomes, key=catalog.OUTCOMES.index):
            add("效益指标", level2, level3, kind)
        add("满意度指标", "服务对象满意度指标", rng.choice(catalog.SATISFACTION), "satisfaction")
        return rows

    # -- documents ------------------------------------------------------------------------------

    def _table(self, project: Project) -> Table:
        text = cost_text(project.style, project.budget, self.department.space, self.rng)
        indicators = tuple(
            replace(i, target=text) if i.level2 == "成本指标" else replace(i)
            for i in project.indicators
        )
        return Table(
            project.id,
            project.name,
            project.goal,
            indicators,
            text,
            cost_yuan(project.style, project.budget),
        )

    def _document(self, year: int, prior_total: Decimal, prior_meeting: Decimal) -> Document:
        rng = self.rng
        active = self.active
        if rng.random() < 0.1:
            active = rng.sample(active, len(active))
        tables = [self._table(p) for p in active]
        errors = []
        if len(tables) > 2 and rng.random() < P_DUPLICATE:
            first = rng.randrange(len(tables))
            at = rng.randint(first + 1, len(tables))
            tables.insert(at, replace(tables[first], duplicate_of=first + 1))
            errors.append(
                {
                    "kind": "duplicate_table",
                    "table_ordinals": [first + 1, at + 1],
                    "project_id": tables[first].project_id,
                }
            )
        errors += [
            {"kind": "cost_not_money", "table_ordinal": n, "cost_text": t.cost_text}
            for n, t in enumerate(tables, start=1)
            if t.cost_yuan is None
        ]
        project_total = sum((p.budget for p in active), ZERO)
        operating = self.department.operating_share
        figures = {
            "expenditure_total": self.basic + project_total,
            "basic_expenditure": self.basic,
            "project_expenditure": project_total,
            "operating_funds": self.basic if operating is None else wan(self.basic * operating),
            "three_public_total": self.three_public_total,
            "outbound": self.outbound,
            "vehicle_total": self.purchase + self.operation,
            "vehicle_purchase": self.purchase,
            "vehicle_operation": self.operation,
            "reception": self.reception,
            "meeting": self.meeting,
            "training": self.training,
            "three_public_change": self.three_public_total - prior_total,
            "meeting_training_change": self.meeting + self.training - prior_meeting,
            "procurement_total": ZERO,
            "fixed_assets_total": ZERO,
            "fixed_assets_planned_purchase": ZERO,
        }
        return Document(
            department=self.department,
            year=year,
            version=1,
            published_on=date(year, 1, 20) + timedelta(days=rng.randint(0, 80)),
            units=list(self.units),
            duties=self.duties,
            goals=self._goals(),
            tables=tables,
            figures=figures,
            errors=errors,
        )

    # -- errors and corrections -----------------------------------------------------------------

    def _wrong(self, doc: Document, item: str, kind: str) -> None:
        """Make a stated change wrong, and say so."""
        rng = self.rng
        expected = doc.figures[item]
        if expected and rng.random() < 0.4:
            stated = -expected  # the sign flipped
        else:
            stated = expected + wan(rng.uniform(0.5, 30)) * rng.choice([-1, 1])
        doc.figures[item] = stated
        doc.errors.append(
            {
                "kind": kind,
                "item": item,
                "reference_year": doc.year - 1,
                "stated_wan": stated,
                "expected_wan": expected,
            }
        )

    def _inject_errors(self, doc: Document) -> None:
        if self.rng.random() < P_WRONG_CHANGE:
            self._wrong(doc, "three_public_change", "wrong_three_public_change")
        if self.rng.random() < P_WRONG_MEETING:
            self._wrong(doc, "meeting_training_change", "wrong_meeting_training_change")

    def _earlier_version(self, doc: Document) -> Document:
        """The first publication of `doc`, which `doc` (now version 2, published weeks later)
        corrects in one figure."""
        rng = self.rng
        first = replace(doc, figures=dict(doc.figures), tables=list(doc.tables))
        first.errors = list(doc.errors)
        doc.version, doc.supersedes = 2, first
        doc.published_on += timedelta(days=rng.randint(10, 60))
        costed = [p for p in self.active if p.style != "text"]
        kind = rng.choice(["reception", "three_public_change"] + ["project_cost"] * bool(costed))
        if kind == "three_public_change":
            self._wrong(first, "three_public_change", "wrong_three_public_change")
        elif kind == "reception":
            delta = wan(rng.uniform(1, 10)) * rng.choice([-1, 1])
            if doc.figures["reception"] + delta <= 0:
                delta = -delta
            for item in ("reception", "three_public_total", "three_public_change"):
                first.figures[item] += delta
        else:
            project = rng.choice(costed)
            self._misprint_cost(first, project)
        items = ["reception", "three_public_total", "three_public_change"]
        items += ["project_expenditure", "expenditure_total"]
        doc.corrections = [
            {"item": item, "was_wan": first.figures[item], "now_wan": doc.figures[item]}
            for item in items
            if first.figures[item] != doc.figures[item]
        ]
        doc.corrections += [
            {
                "item": "cost",
                "table_ordinal": n,
                "project_id": now.project_id,
                "was": was.cost_text,
                "now": now.cost_text,
            }
            for n, (was, now) in enumerate(zip(first.tables, doc.tables, strict=True), start=1)
            if was.cost_text != now.cost_text
        ]
        return first

    def _misprint_cost(self, doc: Document, project: Project) -> None:
        """Print another budget for `project` in `doc`: its cost rows and the totals change."""
        rng = self.rng
        size = max(1.0, float(project.budget) * rng.uniform(0.05, 0.3))
        delta = wan(size, project.places) * rng.choice([-1, 1])
        if project.budget + delta <= 0:
            delta = -delta
        budget = project.budget + delta
        text = cost_text(project.style, budget, self.department.space, rng)
        for n, table in enumerate(doc.tables):
            if table.project_id == project.id:
                indicators = tuple(
                    replace(i, target=text) if i.level2 == "成本指标" else i
                    for i in table.indicators
                )
                doc.tables[n] = replace(
                    table,
                    cost_text=text,
                    cost_yuan=cost_yuan(project.style, budget),
                    indicators=indicators,
                )
        for item in ("project_expenditure", "expenditure_total"):
            doc.figures[item] += delta
