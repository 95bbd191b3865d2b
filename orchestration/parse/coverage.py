"""No silent losses: every number a document prints is captured by a record, or listed.

A printed number is captured when a record of the document holds it: in a field of its own
(an amount as printed, a code, a target) or inside a text the record keeps (a goal, a reason).
Each number is matched by its printed text, occurrence for occurrence, across the document:
a number printed three times and held by two records leaves one uncaptured occurrence, listed
at its line (`raw.uncaptured_numbers`, with the text around it). Years (`2025年`), list
numbers at the start of a line (`1、`), page numbers (a line that is only a number) and the
numbers of `not_figures.yaml` (a document's number, a telephone number, a contents entry's
page, a table's label) are no figures and are not counted.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

import yaml

from orchestration.parse.layout import PAGE_NUMBER, Line

# a printed number: digits, thousands separators, decimals (possessive: linear on any text)
NUMBER = re.compile(r"(?<![\d.,])\d++(?:,\d{3})*+(?:\.\d++)?")
NOT_FIGURES = Path(__file__).with_name("not_figures.yaml")
ORDINAL = re.compile(r"^\s*+[（(]?\s*+\d{1,3}\s*+(?:[、．）)]|\.(?!\d))")
# fields that place a record (not what was printed) or repeat the whole line
NOT_CAPTURE = {"raw_text", "document_key", "line_no", "page", "sha256", "parser_version"}
CONTEXT = 40  # characters either side of an uncaptured number


@cache
def not_figures() -> re.Pattern:
    """The numbers that are no figures (not_figures.yaml), as one pattern."""
    patterns = yaml.safe_load(NOT_FIGURES.read_text(encoding="utf-8"))["patterns"]
    return re.compile("|".join(f"(?:{p})" for p in patterns.values()))


def printed_numbers(lines: list[Line]) -> list[tuple[Line, re.Match]]:
    """Every figure a document prints, with its line (years, list numbers, page numbers and
    the other numbers that are no figures not)."""
    found = []
    skipping = not_figures()
    for line in lines:
        text = line.text
        matches = list(NUMBER.finditer(text))
        if not matches or PAGE_NUMBER.match(text):
            continue
        spans = [m.span() for m in skipping.finditer(text)]
        ordinal = ORDINAL.match(text)
        for match in matches:
            if ordinal and match.end() <= ordinal.end():
                continue
            if any(start <= match.start() < end for start, end in spans):
                continue
            found.append((line, match))
    return found


@lru_cache(maxsize=256)
def _counted(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The fields of a record that can hold a printed number."""
    return tuple(
        key
        for key in keys
        if key not in NOT_CAPTURE and not key.endswith("_ordinal") and key != "ordinal"
    )


def held_numbers(records: dict[str, list[dict]]) -> Counter:
    """How many times each printed number is held by the records' fields."""
    texts: list[str] = []
    numbers: list[str] = []
    for table, rows in records.items():
        if table == "uncaptured_numbers":
            continue
        for row in rows:
            for key in _counted(tuple(row)):
                value = row[key]
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    numbers.append(str(value))
    return Counter(numbers + NUMBER.findall("\n".join(texts)))


def number_coverage(lines: list[Line], records: dict[str, list[dict]]) -> tuple[int, list[dict]]:
    """(how many figures the document prints, the uncaptured ones as `uncaptured_numbers`
    records: line, page, number as printed, the text around it)."""
    printed = printed_numbers(lines)
    left = held_numbers(records)
    uncaptured = []
    for line, match in printed:
        if left[match.group()] > 0:
            left[match.group()] -= 1
            continue
        text = line.text.replace("\t", " ")
        start, end = max(0, match.start() - CONTEXT), match.end() + CONTEXT
        uncaptured.append(
            {
                "line_no": line.no,
                "page": line.page,
                "number_text": match.group(),
                "context": text[start:end].strip(),
            }
        )
    return len(printed), uncaptured
