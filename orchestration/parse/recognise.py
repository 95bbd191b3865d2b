"""Recognise a disclosure from its own text, whatever its province's template.

`recognise(lines)` reads what a document says it is: its kind (budget or final accounts), its
level (a department's or a unit's), its scope (own or consolidated, where printed), the entity
it is of, its fiscal year and its region, and whether it is a disclosure at all. Each is decided
by scoring the document's titles, cover labels, running headers, table titles and the sentence
announcing it against the patterns of `recognition.yaml`, never by where a line stands: a title
may be printed on the first line or the third, over several lines, with its year before or after
the name, or with its year displaced onto a line of its own. Evidence comes in tiers (a title or
cover label outweighs a bare heading or the announcing sentence, which outweigh table titles and
table-header labels); a lower tier breaks a tie of a higher one. Running text is never read but
for that sentence: a final accounts quotes budget figures everywhere, and narrative quotes other
years.

Only a bounded set of lines is looked at closely: those whose raw text ends like a title or a
table title or holds a label; every other line costs one short search and a few substring tests.

A field that cannot be settled is None and `unresolved` says why in words; `evidence` names,
for each settled field, the lines and patterns it was read from. Every word of the documents'
language lives in `recognition.yaml`; the gazetteer is `classification.region`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

from orchestration.parse.classification import region as gazetteer_region
from orchestration.parse.layout import Line

DATA = Path(__file__).with_name("recognition.yaml")
_SPACE = re.compile(r"\s+")
_LATIN_GAP = re.compile(r"(?<=[A-Za-z])\s+(?=[A-Za-z])")  # DROP TABLE keeps its space
# how many supporting lines each settled field quotes in `evidence`
_EVIDENCE_LINES = 4

# Tiers of evidence, strongest first: a title naming the entity or year, or a cover label;
# a bare heading (a title with neither); a table title or a label that names no level itself.
TITLE, HEADING, TABLE = 1, 2, 3
_TIER_NAMES = {TITLE: "the titles and cover labels", HEADING: "the headings", TABLE: "the tables"}


@dataclass(frozen=True)
class Region:
    """Where an entity sits: `admin_level` is central, province, prefecture or county."""

    province: str | None
    prefecture: str | None
    county: str | None
    admin_level: str


@dataclass(frozen=True)
class Recognition:
    """What a document is, as its own text says. Fields not settled are None (see
    `unresolved`); `reason` says why a document is not a disclosure."""

    kind: str | None  # budget, final_accounts
    level: str | None  # department, unit
    scope: str | None  # own, consolidated; None where not printed
    entity: str | None
    fiscal_year: int | None
    region: Region | None
    is_disclosure: bool
    reason: str | None = None
    title: str | None = None
    unresolved: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    evidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)


# --- patterns --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Patterns:
    canonical: tuple[tuple[re.Pattern, str], ...]
    candidate: re.Pattern
    candidate_tail: int
    label_marks: tuple[str, ...]
    max_title_length: int
    not_in_title: re.Pattern
    kinds: dict[str, str]
    levels: dict[str, str]
    scopes: dict[str, str]
    scope_mark: re.Pattern
    titles: tuple[re.Pattern, ...]
    prefix: re.Pattern
    fragment: re.Pattern
    name_ending: re.Pattern
    max_fragments: int
    year: re.Pattern
    lone_year: re.Pattern
    year_gap_start: re.Pattern
    year_gap_end: re.Pattern
    document_number: re.Pattern
    cited: re.Pattern
    government_levels: re.Pattern
    announcement_mark: str
    announcement: re.Pattern
    pronoun: re.Pattern
    label: re.Pattern
    labels: dict[str, dict]
    stop_labels: re.Pattern
    name_shape: re.Pattern
    table_title: re.Pattern
    table_kind: re.Pattern
    table_level: re.Pattern
    strip: tuple[re.Pattern, ...]
    central: tuple[re.Pattern, ...]
    not_disclosure: tuple[tuple[re.Pattern, str], ...]
    attachment: re.Pattern
    sentence: re.Pattern
    min_sentence_length: int
    min_body: dict[str, int]


@cache
def _patterns(path: Path = DATA) -> _Patterns:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    labels = {name: dict(spec or {}) for name, spec in data["labels"].items()}
    label_words = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    return _Patterns(
        candidate=re.compile(data["candidate"]),
        candidate_tail=int(data["candidate_tail"]),
        label_marks=tuple(str(data["label_marks"])),
        max_title_length=int(data["max_title_length"]),
        not_in_title=re.compile(data["not_in_title"]),
        kinds=dict(data["kind_words"]),
        levels=dict(data["level_words"]),
        scopes=dict(data["scope_words"]),
        scope_mark=re.compile(data["scope_mark"]),
        titles=tuple(re.compile(p) for p in data["titles"]),
        prefix=re.compile(data["prefix"]),
        fragment=re.compile(data["fragment"]),
        name_ending=re.compile(data["name_ending"]),
        max_fragments=int(data["max_fragments"]),
        year=re.compile(data["year"]),
        lone_year=re.compile(data["lone_year"]),
        year_gap_start=re.compile(data["year_gap_start"]),
        year_gap_end=re.compile(data["year_gap_end"]),
        document_number=re.compile(data["document_number"]),
        cited=re.compile(data["cited"]),
        government_levels=re.compile(data["government_levels"]),
        announcement_mark=str(data["announcement_mark"]),
        announcement=re.compile(data["announcement"]),
        pronoun=re.compile(data["pronoun"]),
        label=re.compile(rf"^(?P<label>{label_words}):(?P<value>.*)$"),
        labels=labels,
        stop_labels=re.compile(data["stop_labels"]),
        name_shape=re.compile(data["name_shape"]),
        table_title=re.compile(data["table_title"]),
        table_kind=re.compile(data["table_kind"]),
        table_level=re.compile(data["table_level"]),
        strip=tuple(re.compile(p) for p in data["strip"]),
        canonical=tuple((re.compile(p), r) for p, r in data["canonical"]),
        central=tuple(re.compile(p) for p in data["central"]),
        not_disclosure=tuple(
            (re.compile(item["pattern"]), item["reason"]) for item in data["not_disclosure"]
        ),
        attachment=re.compile(data["attachment"]),
        sentence=re.compile(data["sentence"]),
        min_sentence_length=int(data["min_sentence_length"]),
        min_body={k: int(v) for k, v in data["min_body"].items()},
    )


def normalise(text: str) -> str:
    """A line's text as the patterns see it: NFKC-folded, without whitespace but for one
    space between two Latin letters."""
    text = unicodedata.normalize("NFKC", text)
    if _LATIN_GAP.search(text):
        return " ".join(_SPACE.sub("", word) for word in _LATIN_GAP.split(text))
    return _SPACE.sub("", text)


def canonical_name(name: str) -> str:
    """The form an entity is keyed by, however it prints its name (a party committee's office
    printed with the party's full name, its short name or none is one office): the rewrites of
    `recognition.yaml`."""
    text = normalise(name)
    for pattern, replacement in _patterns().canonical:
        text = pattern.sub(replacement, text)
    return text


# --- what a scan of the lines collects -------------------------------------------------------


@dataclass(frozen=True)
class _Vote:
    value: object
    tier: int
    line: Line
    what: str  # the pattern that read it: title, heading, label <word>, table title
    text: str  # the text it was read from

    def where(self) -> str:
        page = f", page {self.line.page}" if self.line.page is not None else ""
        return f"line {self.line.no}{page}"

    def describe(self) -> str:
        return f"{self.where()}: {self.what} {self.text!r}"


@dataclass
class _Scan:
    votes: dict[str, list[_Vote]] = field(default_factory=lambda: defaultdict(list))
    title_regions: list[tuple[dict, _Vote]] = field(default_factory=list)
    titles: list[_Vote] = field(default_factory=list)  # title blocks, in document order
    not_disclosure: list[tuple[str, _Vote]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    table_rows: int = 0
    table_titles: int = 0
    sentences: int = 0
    cover_labels: int = 0
    announcements: int = 0

    def vote(self, name: str, vote: _Vote) -> None:
        self.votes[name].append(vote)


def _lone_year(p: _Patterns, lines: Sequence[Line], i: int) -> int | None:
    """A year printed alone on the line before or after line `i`, on its page."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines) and lines[j].page == lines[i].page:
            match = p.lone_year.match(normalise(lines[j].text))
            if match:
                return int(match.group("year"))
    return None


def _strip_name(p: _Patterns, name: str) -> str:
    previous = None
    while name != previous:
        previous = name
        for pattern in p.strip:
            name = pattern.sub("", name)
    return name


@lru_cache(maxsize=4096)
def _region_of(name: str) -> dict | None:
    """The gazetteer's region of a name (cached: running headers repeat a title on every
    page)."""
    return gazetteer_region(name)


@lru_cache(maxsize=4096)
def _pure_region(name: str) -> dict | None:
    """The region `name` is, when it is a region's name and nothing more (a municipality, a
    province, a prefecture and its county), as a title prints it before its year."""
    found = _region_of(name)
    if found is None:
        return None
    rest = name
    for part in (found["province"], found["prefecture"], found["county"]):
        if part and rest.startswith(part):
            rest = rest[len(part) :]
    return found if not rest else None


def _segments(p: _Patterns, text: str) -> tuple[list[int], list[str]]:
    """The years a title prints and the pieces of text between them."""
    years, pieces, start = [], [], 0
    for match in p.year.finditer(text):
        years.append(int(match.group("year")))
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    return years, pieces


def _title(
    p: _Patterns, scan: _Scan, lines: Sequence[Line], i: int, text: str, match: re.Match
) -> None:
    """A title: its kind, level and scope words, and the entity, year and region printed
    before them, on its line or on the fragments of it printed on the lines above."""
    line = lines[i]
    tail = text[match.start() :]
    pre = text[: match.start()]
    prefixed = p.prefix.match(pre)
    pre = p.prefix.sub("", pre)
    tail_year = match.groupdict().get("year")
    displaced, gap = None, None
    if not tail_year and not p.year.search(pre):
        gap = p.year_gap_end.search(pre) or p.year_gap_start.match(tail)
        displaced = _lone_year(p, lines, i) if gap else None
        if displaced is not None and gap.re is p.year_gap_end:
            pre = f"{pre[: gap.start()]}{displaced}{pre[gap.start() :]}"
        elif displaced is not None:
            tail = f"{displaced}{tail}"
    parts, raws = [pre], [line.text.strip()]
    has_name = bool(_names(p, pre)[1])
    has_year = bool(tail_year or displaced or p.year.search(pre))
    taken_name = False  # a name's fragment was taken from a line above
    if not prefixed and not (has_name and has_year):
        for j in range(i - 1, max(i - 1 - p.max_fragments, -1), -1):
            before = lines[j]
            if before.page != line.page or before.table is not None:
                break
            fragment = normalise(before.text)
            if not p.fragment.match(fragment) or any(t.search(fragment) for t in p.titles):
                break
            year_only = p.lone_year.match(fragment)
            if year_only and has_year:
                break
            if not year_only:
                # a name's fragment: wanted where the title lacks its name, or where the
                # fragment taken below starts with a name broken over the lines
                continuing = taken_name and not p.year.match(parts[0])
                if has_name and (not continuing or p.year.search(fragment)):
                    break
                has_name = taken_name = True
            parts.insert(0, fragment)
            raws.insert(0, before.text.strip())
            has_year = has_year or bool(p.year.search(fragment) or year_only)
    if taken_name and not all(map(p.name_ending.search, _names(p, "".join(parts))[1])):
        parts, raws = [pre], raws[-1:]  # what stood above is no name (a web page's menu)
    fragment_years = [int(y.group("year")) for y in map(p.lone_year.match, parts[:-1]) if y]
    named = [part for part in parts[:-1] if not p.lone_year.match(part)] + parts[-1:]
    block = p.document_number.sub("", p.prefix.sub("", "".join(named)))
    title = p.prefix.sub("", "".join(parts)) + tail
    shown = " / ".join(raws)
    scope_word = match.groupdict().get("scope")
    mark = p.scope_mark.search(block)
    if mark:
        scope_word = mark.group("scope")
    years, names = _names(p, block)
    years += fragment_years
    if tail_year:
        years.append(int(tail_year))
    if displaced is not None:
        years.append(displaced)
    years = list(dict.fromkeys(years))
    entities, regions = [], []
    for name in names:
        pure = _pure_region(name)
        if pure is not None:
            regions.append(pure)
        else:
            entities.append(name)
    tier = TITLE if (entities or years) else HEADING
    what = "title" if tier == TITLE else "heading"
    scan.titles.append(_Vote(title, tier, line, what, shown))
    scan.vote("kind", _Vote(p.kinds[match.group("kind")], tier, line, what, shown))
    level = match.groupdict().get("level")
    if level:
        scan.vote("level", _Vote(p.levels[level], tier, line, what, shown))
    if scope_word:
        scan.vote("scope", _Vote(p.scopes[scope_word], tier, line, what, shown))
    for year in years:
        how = f"{what} (its year printed alone beside it)" if year == displaced else what
        scan.vote("fiscal_year", _Vote(year, TITLE, line, how, shown))
    for name in entities:
        scan.vote("entity", _Vote(name, tier, line, what, shown))
    for found in regions:
        scan.title_regions.append((found, _Vote(None, tier, line, what, shown)))


def _names(p: _Patterns, text: str) -> tuple[list[int], list[str]]:
    """The years a title's text prints, and the names between them (region or entity),
    without the words of a level of government and the title's own words."""
    years, names = _names_of(p, text)
    return list(years), list(names)


@lru_cache(maxsize=4096)
def _names_of(p: _Patterns, text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    years, pieces = _segments(p, p.document_number.sub("", text))
    names = []
    for piece in pieces:
        previous = None
        while piece != previous:
            previous = piece
            piece = _strip_name(p, p.government_levels.sub("", p.scope_mark.sub("", piece)))
        if piece:
            names.append(piece)
    return tuple(years), tuple(names)


def _labels(p: _Patterns, scan: _Scan, line: Line, cells: list[str]) -> int | None:
    """Labelled names in a line's raw cells; the index of the first labelled cell, if any."""
    first = None
    for k, raw_cell in enumerate(cells):
        if len(raw_cell) > p.max_title_length or not any(m in raw_cell for m in p.label_marks):
            continue
        match = p.label.match(normalise(raw_cell))
        if not match:
            continue
        first = k if first is None else first
        value = match.group("value")
        if not value:  # the name in the next cell
            value = next((c for c in map(normalise, cells[k + 1 : k + 3]) if c), "")
        stop = p.stop_labels.search(value)
        if stop:
            value = value[: stop.start()]
        word = match.group("label")
        spec = p.labels[word]
        shown = f"{word}:{value}"
        mark = p.scope_mark.search(value)
        value = _strip_name(p, p.scope_mark.sub("", value))
        if not value or not p.name_shape.match(value):
            continue
        cover = bool(spec.get("cover"))
        tier = TITLE if cover else TABLE
        what = f"label {word}"
        scan.cover_labels += cover
        scan.vote("entity", _Vote(value, tier, line, what, shown))
        if spec.get("level"):
            scan.vote("level", _Vote(spec["level"], tier, line, what, shown))
        if spec.get("kind"):
            scan.vote("kind", _Vote(spec["kind"], tier, line, what, shown))
        if mark:
            scan.vote("scope", _Vote(p.scopes[mark.group("scope")], tier, line, what, shown))
    return first


def _announcement(p: _Patterns, scan: _Scan, line: Line) -> None:
    """The sentence announcing the disclosure: its kind, level, year and any entity it names."""
    match = p.announcement.search(normalise(line.text))
    if not match:
        return
    scan.announcements += 1
    shown, what = line.text.strip(), "announcement"
    scan.vote("kind", _Vote(p.kinds[match.group("kind")], HEADING, line, what, shown))
    if match.group("level"):
        scan.vote("level", _Vote(p.levels[match.group("level")], HEADING, line, what, shown))
    if match.group("scope"):
        scan.vote("scope", _Vote(p.scopes[match.group("scope")], HEADING, line, what, shown))
    years, names = _names(p, match.group("pre"))
    for year in dict.fromkeys(years):
        scan.vote("fiscal_year", _Vote(year, HEADING, line, what, shown))
    for name in names:
        if not p.pronoun.match(name) and _pure_region(name) is None:
            scan.vote("entity", _Vote(name, TABLE, line, what, shown))


def _table_title(p: _Patterns, scan: _Scan, lines: Sequence[Line], i: int, text: str) -> bool:
    match = p.table_title.match(p.prefix.sub("", text))
    if not match:
        return False
    line = lines[i]
    name = match.group("name")
    year = match.group("year")
    how = "table title"
    if year is None and p.year_gap_start.match(name):
        found = _lone_year(p, lines, i)
        if found is not None:
            year, how = found, "table title (its year printed alone beside it)"
        name = p.year_gap_start.sub("", name)
    scan.table_titles += 1
    if year is not None:
        scan.vote("fiscal_year", _Vote(int(year), TABLE, line, how, text))
    kind = p.table_kind.search(name)
    if kind:
        scan.vote("kind", _Vote(p.kinds[kind.group("kind")], TABLE, line, how, text))
    level = p.table_level.match(name)
    if level:
        scan.vote("level", _Vote(p.levels[level.group("level")], TABLE, line, how, text))
    return True


def _scan(p: _Patterns, lines: Sequence[Line]) -> _Scan:
    scan = _Scan()
    min_sentence = p.min_sentence_length
    enough_rows, enough_sentences = p.min_body["table_rows"], p.min_body["sentences"]
    candidate, tail, marks = p.candidate.search, p.candidate_tail, p.label_marks
    for i, line in enumerate(lines):
        raw = line.text
        if scan.table_rows < enough_rows and (line.table is not None or raw.count("\t") >= 2):
            scan.table_rows += 1
        elif (
            scan.sentences < enough_sentences
            and len(raw) >= min_sentence
            and p.sentence.search(raw)
        ):
            scan.sentences += 1
        start = len(raw) - tail
        start = start if start > 0 else 0
        ending = candidate(raw, start) is not None or "." in raw[start:]
        marked = False
        for mark in marks:
            if mark in raw:
                marked = True
                break
        if not (ending or marked):
            continue
        if marked and p.announcement_mark in raw:
            _announcement(p, scan, line)
        cells = raw.split("\t")
        first_label = _labels(p, scan, line, cells) if marked else None
        if line.table is not None or not (ending or first_label):
            continue  # a ruled table's row holds labels, never a title
        head = cells[:first_label]
        if sum(map(len, head)) > 2 * p.max_title_length:
            continue
        text = "".join(map(normalise, head))
        if not text or len(text) > p.max_title_length:
            continue
        text = p.cited.sub("", text)
        title = next((m for t in p.titles if (m := t.search(text))), None)
        if title and not p.not_in_title.search(p.prefix.sub("", _SPACE.sub("", "".join(head)))):
            _title(p, scan, lines, i, text, title)
            continue
        if _table_title(p, scan, lines, i, text):
            continue
        attachment = p.attachment.match(text)
        if attachment:
            scan.attachments.append(attachment.group("name"))
            continue
        if len(cells) == 1 and not p.sentence.search(raw) and not p.prefix.match(text):
            # a heading of its own: no row of a table, no numbered section
            for pattern, reason in p.not_disclosure:
                if pattern.search(text):
                    scan.not_disclosure.append((reason, _Vote(None, TITLE, line, "title", raw)))
                    break
    return scan


# --- deciding ---------------------------------------------------------------------------------


def _counted(votes: list[_Vote]) -> str:
    counts = Counter(v.value for v in votes)
    return " and ".join(f"{value} ({n})" if n > 1 else f"{value}" for value, n in counts.items())


def _settle(votes: list[_Vote]) -> tuple[object | None, list[_Vote], str | None]:
    """(value, its votes, None) from the strongest tier that speaks, a lower tier breaking a
    tie; else (None, [], why)."""
    tiers = sorted({v.tier for v in votes})
    for n, tier in enumerate(tiers):
        these = [v for v in votes if v.tier == tier]
        counts = Counter(v.value for v in these).most_common()
        if len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]:
            value = counts[0][0]
            return value, [v for v in these if v.value == value], None
        contenders = {value for value, _ in counts}
        for lower in tiers[n + 1 :]:
            below = Counter(v.value for v in votes if v.tier == lower and v.value in contenders)
            ranked = below.most_common()
            if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                value = ranked[0][0]
                return value, [v for v in these if v.value == value], None
        return None, [], f"{_TIER_NAMES[tier]} disagree: {_counted(these)}"
    return None, [], None


def _entity(votes: list[_Vote]) -> tuple[str | None, list[_Vote], str | None]:
    """The most consistent name. A name printed as the end of a longer one (the office's name
    without its province before it) counts for the longer one; of names printed as often, one
    that the gazetteer places wins over one it does not (a sentence's words before a name)."""
    counts = Counter(v.value for v in votes)
    support = {
        name: sum(n for other, n in counts.items() if name.endswith(other)) for name in counts
    }
    placed = {name: _region_of(name) is not None for name in counts}  # a region starts it

    def rank(name: str) -> tuple:
        return support[name], placed[name], counts[name], len(name)

    ranked = sorted(counts, key=rank, reverse=True)
    best = ranked[0]
    rivals = [
        name for name in ranked[1:] if rank(name)[:2] == rank(best)[:2] and not best.endswith(name)
    ]
    if rivals:
        named = " and ".join(f"{name} ({support[name]})" for name in [best, *rivals])
        return None, [], f"the titles and labels name {named} as often"
    return best, [v for v in votes if best.endswith(v.value)], None


def _region(
    p: _Patterns, entity: str | None, scan: _Scan
) -> tuple[Region | None, str | None, str | None]:
    """(region, evidence, why not)."""
    found = _region_of(entity) if entity else None
    titled = scan.title_regions[0] if scan.title_regions else None
    depth = {"province": 1, "prefecture": 2, "county": 3}
    if found and titled:
        printed, vote = titled
        if (
            printed["province"] == found["province"]
            and depth[printed["level"]] > depth[found["level"]]
        ):
            found = None  # the title's region says more than the name
    if found:
        region = Region(found["province"], found["prefecture"], found["county"], found["level"])
        return region, f"the entity {entity!r} starts with it (gazetteer)", None
    if titled:
        printed, vote = titled
        region = Region(
            printed["province"], printed["prefecture"], printed["county"], printed["level"]
        )
        return region, f"{vote.describe()} prints the region before its year", None
    if entity and any(pattern.search(entity) for pattern in p.central):
        return (
            Region(None, None, None, "central"),
            f"the entity {entity!r} is a central organ",
            None,
        )
    if entity:
        why = (
            f"{entity!r} starts with no province or prefecture the gazetteer lists and is no"
            " central organ, and no title prints a region before its year"
        )
    else:
        why = "no entity was settled and no title prints a region before its year"
    return None, None, why


def _disclosure(p: _Patterns, scan: _Scan, kind: str | None) -> tuple[bool, str | None]:
    body = (
        scan.table_rows >= p.min_body["table_rows"]
        or scan.table_titles >= p.min_body["table_titles"]
        or scan.sentences >= p.min_body["sentences"]
    )
    if scan.titles or scan.cover_labels or scan.announcements:
        if body:
            return True, None
        named = scan.titles[0] if scan.titles else None
        what = f"{named.text!r} ({named.where()})" if named else "a budget"
        links = (
            f", only a link to {', '.join(repr(a) for a in scan.attachments[:3])}"
            if scan.attachments
            else ""
        )
        return False, (
            f"a portal page: it names {what} but holds neither tables nor narrative{links}"
        )
    if scan.not_disclosure:
        reason, vote = scan.not_disclosure[0]
        return False, f"{reason}: {vote.text.strip()!r} ({vote.where()})"
    if kind and body:
        return True, None
    return (
        False,
        "neither a title, a cover label nor a table title names a budget or final accounts",
    )


def recognise(lines: Sequence[Line]) -> Recognition:
    """What `lines` (a read document) say they are. See the module's docstring."""
    p = _patterns()
    if not lines:
        why = "the document holds no text"
        fields = ("kind", "level", "entity", "fiscal_year", "region")
        return Recognition(
            kind=None,
            level=None,
            scope=None,
            entity=None,
            fiscal_year=None,
            region=None,
            is_disclosure=False,
            reason=why,
            unresolved=MappingProxyType(dict.fromkeys(fields, why)),
        )
    scan = _scan(p, lines)
    unresolved: dict[str, str] = {}
    evidence: dict[str, tuple[str, ...]] = {}

    def settled(name: str, value, votes: list[_Vote], why: str | None, missing: str):
        if value is None:
            if why or missing:
                unresolved[name] = why or missing
            return None
        evidence[name] = tuple(v.describe() for v in votes[:_EVIDENCE_LINES])
        return value

    kind = settled(
        "kind",
        *_settle(scan.votes["kind"]),
        "no title, cover label or table title names a budget or final accounts",
    )
    level = settled(
        "level",
        *_settle(scan.votes["level"]),
        "no title, cover label or table title says department or unit",
    )
    scope = settled("scope", *_settle(scan.votes["scope"]), "")
    entity = None
    if scan.votes["entity"]:
        entity = settled("entity", *_entity(scan.votes["entity"]), "")
    else:
        unresolved["entity"] = "no title, cover or table header names the department or unit"
    year_votes = scan.votes["fiscal_year"]
    fiscal_year, year_support, year_why = _settle(year_votes)
    if fiscal_year is None:
        titled = {v.value for v in year_votes if v.tier == TITLE}
        tables = sorted({v.value for v in year_votes if v.tier == TABLE})
        if not year_votes:
            year_why = "no title, cover or table title prints a year"
        elif not titled:
            printed = " and ".join(map(str, tables))
            year_why = f"the title prints no year and the tables print {printed}"
        else:
            year_why = f"the titles print {' and '.join(map(str, sorted(titled)))}"
    fiscal_year = settled("fiscal_year", fiscal_year, year_support, year_why, "")
    region, region_evidence, region_why = _region(p, entity, scan)
    if region is None:
        unresolved["region"] = region_why
    else:
        evidence["region"] = (region_evidence,)
    is_disclosure, reason = _disclosure(p, scan, kind)
    title = _best_title(scan, entity, fiscal_year)
    return Recognition(
        kind=kind,
        level=level,
        scope=scope,
        entity=entity,
        fiscal_year=fiscal_year,
        region=region,
        is_disclosure=is_disclosure,
        reason=reason,
        title=title,
        unresolved=MappingProxyType(unresolved),
        evidence=MappingProxyType(evidence),
    )


def _best_title(scan: _Scan, entity: str | None, year: int | None) -> str | None:
    """The title that names the settled entity and year (the first such), else the first title
    naming either."""
    titles = [v for v in scan.titles if v.tier == TITLE]
    for vote in titles:
        if entity and entity in vote.value and (year is None or str(year) in vote.value):
            return vote.value
    return titles[0].value if titles else None
