"""Spreadsheets: XLSX through openpyxl (read-only, cached values), XLS through xlrd.

Each non-empty row is a `Line` of tab-joined cells (leading empty cells kept so columns stay
aligned, trailing ones trimmed); `page` is the sheet's position in the workbook, so rows of
different sheets never read as one table. Numbers read as printed: a cell's number format is
applied where it is a plain one (`0.00`, `#,##0`, `0.0%`), otherwise as Excel's General format
shows it (`10000000`, not `1.0E7`).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
import xlrd

from orchestration.formats import xml_count
from orchestration.parse.layout import Line
from orchestration.read.pdf import UnreadableDocument

CELLS_LIMIT = 500_000  # cells of a workbook (about 0.7 GB for openpyxl to read in one row)
ROWS_LIMIT = 2 * 1_048_576  # rows of a workbook: two sheets of Excel's largest
_CELL_TAG = re.compile(rb"<(?:\w{1,10}:)?c[\s/>]")  # a cell element (openpyxl reads a row at once)
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')  # quoted text, padding, colours
_PLAIN_FORMAT = re.compile(r"[#,0]*0(?:\.(0+))?(%?)")


def number_text(value: float, number_format: str | None = "General") -> str:
    """A number as a cell with `number_format` prints it."""
    section = _FORMAT_LITERALS.sub("", (number_format or "General").split(";")[0]).strip()
    plain = _PLAIN_FORMAT.fullmatch(section)
    if plain:
        decimals, percent = len(plain.group(1) or ""), plain.group(2)
        grouping = "," if "," in section else ""
        return f"{value * 100 if percent else value:{grouping}.{decimals}f}{percent}"
    return format(Decimal(f"{value:.15g}"), "f")  # General: 15 significant digits, no exponent


def cell_text(value: object, number_format: str | None = "General") -> str:
    """A cell's value as printed, on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value, number_format)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return " ".join(str(value).split())


def sheet_lines(sheets: Iterable[Iterable[list[str]]], kind: str = "XLSX") -> list[Line]:
    """Lines from each sheet's rows of cell texts, numbered from 1 across the workbook; refused
    as rows are read once there are more than `CELLS_LIMIT` cells or `ROWS_LIMIT` rows (empty
    ones included: those a reader pads rows with, and the rows skipped before a row)."""
    lines: list[Line] = []
    counts = {"cells": 0, "rows": 0}
    limits = {"cells": CELLS_LIMIT, "rows": ROWS_LIMIT}
    for page, rows in enumerate(sheets, start=1):
        for row, cells in enumerate(rows, start=1):
            counts["cells"] += len(cells)
            counts["rows"] += 1
            for what, limit in limits.items():
                if counts[what] > limit:
                    raise UnreadableDocument(
                        f"{kind} workbook too large: over the limit of {limit:,} {what} "
                        f"(empty ones included) at sheet {page}, row {row:,}"
                    )
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                lines.append(Line(len(lines) + 1, "\t".join(cells), page))
    if not lines:
        raise UnreadableDocument("no text: every sheet is empty")
    return lines


def read_xlsx(data: bytes) -> list[Line]:
    """Every worksheet's non-empty rows."""
    try:
        if xml_count(data, _CELL_TAG, CELLS_LIMIT) > CELLS_LIMIT:
            raise UnreadableDocument(
                f"XLSX workbook too large: over the limit of {CELLS_LIMIT:,} cells"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return sheet_lines(_xlsx_rows(sheet) for sheet in workbook.worksheets)
        finally:
            workbook.close()
    except UnreadableDocument:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken package
        raise UnreadableDocument(f"corrupt XLSX: {type(exc).__name__}: {exc}") from None


def _xlsx_rows(sheet) -> Iterator[list[str]]:
    sheet.reset_dimensions()  # the stored used range may be wrong: read every row there is
    for row in sheet.iter_rows():
        yield [cell_text(cell.value, getattr(cell, "number_format", None)) for cell in row]


def read_xls(data: bytes) -> list[Line]:
    """Every worksheet's non-empty rows of a BIFF (Excel 97-2003) workbook."""
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise UnreadableDocument("encrypted XLS: a password is needed to read it") from None
        raise UnreadableDocument(f"corrupt XLS: {exc}") from None
    except Exception as exc:  # xlrd raises many types for a broken file
        raise UnreadableDocument(f"corrupt XLS: {type(exc).__name__}: {exc}") from None
    try:
        sheets = (
            ([_xls_cell(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows))
            for sheet in book.sheets()
        )  # rows unpadded (ragged): a cell far out pads its own row only
        return sheet_lines(sheets, "XLS")
    finally:
        book.release_resources()


def _xls_cell(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except xlrd.xldate.XLDateError:
            pass  # not a representable date: print the serial number
    if cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
        xf = book.xf_list[cell.xf_index] if cell.xf_index < len(book.xf_list) else None
        number_format = book.format_map.get(xf.format_key) if xf else None
        return number_text(cell.value, number_format.format_str if number_format else None)
    return cell_text(cell.value)
