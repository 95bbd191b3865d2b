"""Template blanks left unfilled: `XX局`, 某某, ____, `（ ）`, `收入总计 万元`, `增长%`, `20XX年`.

Official templates leave blanks for the department to fill in; a careless department publishes
some of them as they are. Every parsed document (any template, any format) is scanned for them,
one record per printed blank in `raw.template_blanks`: its line and page, the blank's kind (the
pattern's name), the blank as printed and the text around it. The patterns are data
(`template_blanks.yaml`); they are compiled once into one alternation (one branch per
character a blank starts with, see `compiled`) and run over the document's lines joined by
line breaks, so a blank wrapped across a line is found and a document costs one pass of one
regular expression: 0.15-0.25 ms for a Shanghai PDF, about 0.6 ms for the 46,000-character
Hebei text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from orchestration.parse.layout import Line

PATTERNS = Path(__file__).with_name("template_blanks.yaml")
CONTEXT = 20  # characters either side of a blank, within the lines it is printed on
_DEFINED = re.compile(r"<([A-Z_]+)>")
_PLAIN = r"[^\\()\[\]|?*+{}.^$]+"  # a word without regex syntax
_WORDS = re.compile(rf"\(\?:((?:{_PLAIN}\|)*{_PLAIN})\)")


@dataclass(frozen=True)
class BlankPattern:
    name: str
    alternatives: tuple[str, ...]  # with the definitions inserted
    expected: str
    reason: str

    @property
    def pattern(self) -> str:
        return "|".join(self.alternatives)


def load_patterns(path: Path = PATTERNS) -> list[BlankPattern]:
    """The patterns of `path`, in order; each alternative is checked to compile, to capture
    nothing and to start as the scan needs (see `split_first`)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defines = data.get("defines") or {}

    def expand(text: str) -> str:
        return _DEFINED.sub(lambda m: defines[m.group(1)], text)

    patterns, names = [], set()
    for entry in data["patterns"]:
        given = entry["pattern"]
        alternatives = tuple(expand(a) for a in ([given] if isinstance(given, str) else given))
        pattern = BlankPattern(entry["name"], alternatives, entry["expected"], entry["reason"])
        if pattern.name in names:
            raise ValueError(f"{path.name}: the pattern name {pattern.name} is used twice")
        for alternative in alternatives:
            if re.compile(alternative).groups:
                raise ValueError(f"{path.name}: {pattern.name} captures a group; use (?:...)")
            for _, rest in split_first(alternative):  # raises if it cannot start the scan
                if rest[:1] in ("?", "*", "+", "{"):
                    raise ValueError(f"{path.name}: {pattern.name} repeats its first character")
        names.add(pattern.name)
        patterns.append(pattern)
    return patterns


def split_first(alternative: str) -> list[tuple[str, str]]:
    """The alternative as (first character, the rest matched after it) pairs, one per
    character it may start with. It must start with a character class of plain characters
    (no ranges), one character or a group of plain words (`(?:为|占|增长)`)."""
    words = _WORDS.match(alternative)
    if words:
        after = alternative[words.end() :]
        return [(w[0], re.escape(w[1:]) + after) for w in words.group(1).split("|")]
    if alternative.startswith("[") and not alternative.startswith("[^"):
        chars, at = [], 1
        while alternative[at] != "]":
            if alternative[at] == "\\" and not alternative[at + 1].isalnum():
                at += 1
            elif alternative[at] in "\\-":
                raise ValueError(f"a blank pattern's first class lists characters: {alternative}")
            chars.append(alternative[at])
            at += 1
        return [(c, alternative[at + 1 :]) for c in dict.fromkeys(chars)]
    if alternative[:1] == "\\" and len(alternative) > 1 and not alternative[1].isalnum():
        return [(alternative[1], alternative[2:])]
    if alternative and alternative[0] not in "\\()[]|?*+{}.^$":
        return [(alternative[0], alternative[1:])]
    raise ValueError(
        f"a blank pattern must start with a class, a character or words: {alternative}"
    )


@lru_cache(maxsize=4)
def compiled(path: Path = PATTERNS) -> tuple[re.Pattern, tuple[tuple[BlankPattern, re.Pattern]]]:
    """Every pattern as one regular expression, an alternation whose branches each start with
    one character: `c1(?:rest|rest)|c2(?:rest)|...` (a character's rests in the patterns'
    order). The engine then skips the text at C speed to the characters a blank may start
    with, and tries there only the rests of that character. Returns it and each pattern with
    its own expression (to name the pattern of a match: the first that matches there)."""
    patterns = load_patterns(path)
    rests: dict[str, list[str]] = {}
    for pattern in patterns:
        for alternative in pattern.alternatives:
            for first, rest in split_first(alternative):
                rests.setdefault(first, []).append(rest)
    regex = re.compile(
        "|".join(f"{re.escape(first)}(?:{'|'.join(r)})" for first, r in rests.items())
    )
    return regex, tuple((p, re.compile(p.pattern)) for p in patterns)


def find_blanks(lines: list[Line], path: Path = PATTERNS) -> list[dict]:
    """Every blank the lines print, in order: line_no, page, blank (the pattern's name), the
    blank as printed (`blank_text`), the text around it (`text`, tabs and line breaks as
    spaces) and what belongs there (`expected`)."""
    regex, patterns = compiled(path)
    text = "\n".join(line.text for line in lines)
    found = []
    starts: list[int] | None = None
    for match in regex.finditer(text):
        if starts is None:  # most documents have no blank: line offsets only when needed
            starts, at = [], 0
            for line in lines:
                starts.append(at)
                at += len(line.text) + 1
        pattern = next(p for p, own in patterns if own.match(text, match.start()))
        first = bisect_right(starts, match.start()) - 1
        last = bisect_right(starts, max(match.end() - 1, match.start())) - 1
        line = lines[first]
        begin = max(starts[first], match.start() - CONTEXT)
        end = min(starts[last] + len(lines[last].text), match.end() + CONTEXT)
        found.append(
            {
                "line_no": line.no,
                "page": line.page,
                "blank": pattern.name,
                "blank_text": _spaced(match.group()),
                "text": _spaced(text[begin:end]),
                "expected": pattern.expected,
            }
        )
    return found


def _spaced(text: str) -> str:
    return " ".join(text.replace("\t", " ").split("\n")).strip()


def template_blanks(lines: list[Line], document_key: str) -> list[dict]:
    """The document's `template_blanks` records, numbered in print order."""
    return [
        {"document_key": document_key, "ordinal": ordinal, **blank}
        for ordinal, blank in enumerate(find_blanks(lines), start=1)
    ]
