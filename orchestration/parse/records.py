"""The records a template parser produces: lists of dicts by raw table name."""

from __future__ import annotations

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
