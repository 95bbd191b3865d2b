"""The records a template parser produces: lists of dicts by raw table name."""

from __future__ import annotations

import re

from orchestration.parse.layout import Line


class Records(dict):
    """Parsed records by raw table name; every record gets the document key and, when it
    comes from a line, that line's number and page."""

    def __init__(self, document_key: str):
        super().__init__()
        self.document_key = document_key

    def add(self, table: str, line: Line | None, **fields) -> dict:
        record = {"document_key": self.document_key}
        if line is not None:
            record.update(line_no=line.no, page=line.page)
        record.update(fields)
        self.setdefault(table, []).append(record)
        return record

    def count(self, table: str) -> int:
        return len(self.get(table, ()))


def add_glossary(out: Records, entries) -> None:
    """Glossary terms from (line, printed number or None, text after the number, whole text)
    entries: a numbered `term：definition` starts a term; any other line continues the last
    definition."""
    term = None
    for line, number, rest, text in entries:
        if number is not None and re.search(r"[：:]", rest):
            name, _, definition = re.split(r"([：:])", rest, maxsplit=1)
            term = out.add(
                "glossary",
                line,
                ordinal=out.count("glossary") + 1,
                printed_number=number,
                term=name.strip(),
                definition=definition.strip(),
            )
        elif term is not None:
            term["definition"] += text
