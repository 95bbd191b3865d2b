"""Readers: every format of the template A sample parses to the same records; spreadsheets and
web pages read as aligned rows; broken files are refused with the reason."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import datetime
from functools import partial

import docx
import openpyxl
import pymupdf
import pytest
from conftest import SAMPLE
from render import render_docx, render_html, render_pdf

from orchestration.formats import sniff_format
from orchestration.parse import template_a
from orchestration.parse.layout import Line, decode_text
from orchestration.read.dispatch import UnreadableDocument, read_document
from orchestration.read.docx import read_docx
from orchestration.read.html import read_html
from orchestration.read.pdf import read_pdf
from orchestration.read.sheet import number_text, read_xls, read_xlsx
from orchestration.read.text import read_text
from orchestration.synth.hostile import compound_file

KEY = "sample"
POSITIONS = {"line_no", "page", "goal_line_no"}  # where a record was printed: differs by format


def read(data: bytes) -> list:
    return read_document(data, sniff_format(data))


def texts(data: bytes) -> list[str]:
    return [line.text for line in read(data)]


def comparable(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {
        table: [{k: v for k, v in record.items() if k not in POSITIONS} for record in rows]
        for table, rows in records.items()
    }


@pytest.fixture(scope="module")
def sample_text() -> str:
    return decode_text(SAMPLE.read_bytes())


@pytest.fixture(scope="module")
def text_records() -> dict[str, list[dict]]:
    return template_a.parse(read(SAMPLE.read_bytes()), KEY)


# -- the template A sample in every format -------------------------------------------------------

RENDERINGS = {
    "pdf": (render_pdf, "pdf"),
    "docx": (render_docx, "zip"),
    "html-gb18030": (render_html, "html"),
    "html-gbk": (partial(render_html, encoding="gbk"), "html"),
    "html-utf-8": (partial(render_html, encoding="utf-8"), "html"),
}


@pytest.mark.parametrize("name", RENDERINGS)
def test_renderings_parse_to_the_text_records(name, sample_text, text_records):
    render, fmt = RENDERINGS[name]
    data = render(sample_text)
    assert sniff_format(data) == fmt
    lines = read(data)
    records = template_a.parse(lines, KEY)
    assert comparable(records) == comparable(text_records)
    assert len(records["indicators"]) == 349
    printed = {line.no: line for line in lines}  # positions point at this format's lines
    assert all(record["line_no"] in printed for rows in records.values() for record in rows)
    for table in records["performance_tables"]:
        assert printed[table["goal_line_no"]].cells[0].startswith("绩效目标")


def test_pdf_reads_ruled_tables_cell_by_cell_and_keeps_pages(sample_text):
    lines = read_pdf(render_pdf(sample_text))
    rows = [line for line in lines if line.is_row]
    assert rows and all(line.table is not None for line in rows)  # every table here is ruled
    assert any(line.text.startswith("\t") for line in rows)  # a blank 一级指标 reads blank
    assert all(len(line.boxes) == len(line.cells) for line in lines)
    widths = {}  # every row of a table has a cell under each of its columns
    for line in rows:
        assert widths.setdefault(line.table, len(line.cells)) == len(line.cells)
    indicators = template_a.parse(lines, KEY)["indicators"]
    assert {r["page"] for r in indicators} > {8, 9} and all(r["page"] for r in indicators)


# -- HTML -----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>标题栏</title>
<script>var x = "不是正文";</script><style>p {{color: red}}</style></head><body>
<div class="nav">首页 &gt; 预算公开<!-- 注释 --></div>
<div><h1>南宫市委部门 2021 年部门预算</h1>
<p>第一行<br>第二行，&nbsp;含  空格</p>正文尾</div>
<table>
<caption>表一</caption>
<thead><tr><th>一级指标</th><th>二级指标</th><th>指标值</th></tr></thead>
<tbody>
<tr><td rowspan="2">产出指标</td><td>数量指标</td><td>≥2 个</td></tr>
<tr><td>质量指标</td><td><p>100%</p></td></tr>
<tr><td>绩效目标</td><td colspan="2">完成<br>任务</td></tr>
<tr><td></td><td></td><td></td></tr>
</tbody></table>
</body></html>"""
PAGE_LINES = [
    "首页 > 预算公开",
    "南宫市委部门 2021 年部门预算",
    "第一行",
    "第二行， 含 空格",
    "正文尾",
    "表一",
    "一级指标\t二级指标\t指标值",
    "产出指标\t数量指标\t≥2 个",
    "\t质量指标\t100%",
    "绩效目标\t完成任务\t",
]


@pytest.mark.parametrize("charset", ["gbk", "gb2312", "gb18030", "utf-8"])
def test_html_reads_blocks_and_aligned_rows(charset):
    data = PAGE.format(charset=charset).encode(charset)
    assert texts(data) == PAGE_LINES


def test_html_without_a_declared_charset_is_detected():
    page = PAGE.replace('<meta charset="{charset}">', "")
    assert texts(page.encode("utf-8")) == PAGE_LINES
    assert texts(page.encode("gb18030")) == PAGE_LINES


# -- DOCX -----------------------------------------------------------------------------------------


def test_docx_reads_paragraphs_and_tables_in_order_with_merged_cells_empty():
    document = docx.Document()
    document.add_paragraph("一、部门职责")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows, [["a", "b", "c"], ["d", "e", "f"], ["g", "", "i"]], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(0, 0).merge(table.cell(0, 1))  # across: 'a' spans two columns
    table.cell(1, 2).merge(table.cell(2, 2))  # down: 'f' spans two rows
    document.add_paragraph("")
    document.add_paragraph("说明：\t见上表\n（续）")
    out = io.BytesIO()
    document.save(out)
    assert texts(out.getvalue()) == [
        "一、部门职责",
        "a b\t\tc",  # python-docx keeps both texts in the merged cell
        "d\te\tf i",
        "g\t\t",
        "说明： 见上表 （续）",
    ]


# -- XLSX and XLS ---------------------------------------------------------------------------------


def test_xlsx_reads_rows_per_sheet_with_numbers_as_printed():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["部门预算表", None, None])
    sheet.append([])
    sheet.append(["项目", "金额（元）", "占比", None, None])
    sheet.append([None, 10000000.0, None])
    sheet.append(["基本支出", 1819.42, 0.25])
    sheet.append(["项目支出", 2182.9, 1 / 3, datetime(2021, 3, 1), True])
    sheet["B6"].number_format = "#,##0.00"
    sheet["C5"].number_format = "0%"
    sheet["C6"].number_format = "0.00_ "
    workbook.create_sheet("附表").append(["第二张表", 7])
    out = io.BytesIO()
    workbook.save(out)
    lines = read(out.getvalue())
    assert [(line.text, line.page) for line in lines] == [
        ("部门预算表", 1),
        ("项目\t金额（元）\t占比", 1),
        ("\t10000000", 1),
        ("基本支出\t1819.42\t25%", 1),
        ("项目支出\t2,182.90\t0.33\t2021-03-01\tTRUE", 1),
        ("第二张表\t7", 2),
    ]


@pytest.mark.parametrize(
    ("value", "number_format", "printed"),
    [
        (10000000.0, "General", "10000000"),
        (1e20, "General", "100000000000000000000"),
        (0.1 + 0.2, "General", "0.3"),
        (2.5e-7, None, "0.00000025"),
        (4002.38, "0.00", "4002.38"),
        (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
        (0.125, "0.0%", "12.5%"),
        (3, "0.00_ ", "3.00"),
    ],
)
def test_numbers_read_as_printed(value, number_format, printed):
    assert number_text(value, number_format) == printed


def biff_workbook(sheets: dict[str, list[list]]) -> bytes:
    """A minimal BIFF8 workbook stream: text cells as LABEL records, numbers as NUMBER records,
    plain (XF 0, General) or given as (value, 1) for XF 1 (the built-in format `#,##0.00`)."""

    def record(kind: int, data: bytes = b"") -> bytes:
        return struct.pack("<HH", kind, len(data)) + data

    def bof(kind: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0x0600))

    xfs = b"".join(record(0x00E0, struct.pack("<HHH14x", 0, fmt, 0)) for fmt in (0, 4))
    head = bof(0x0005) + xfs
    bodies = []
    for rows in sheets.values():
        cells = b""
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    text = struct.pack("<HB", len(value), 1) + value.encode("utf-16-le")
                    cells += record(0x0204, struct.pack("<HHH", r, c, 0) + text)
                elif value is not None:
                    number, xf = value if isinstance(value, tuple) else (value, 0)
                    cells += record(0x0203, struct.pack("<HHHd", r, c, xf, number))
        bodies.append(bof(0x0010) + cells + record(0x000A))
    names = [struct.pack("<BB", len(name), 1) + name.encode("utf-16-le") for name in sheets]
    offset = len(head) + sum(4 + 6 + len(name) for name in names) + 4  # sheets follow the EOF
    for name, body in zip(names, bodies, strict=True):
        head += record(0x0085, struct.pack("<IBB", offset, 0, 0) + name)
        offset += len(body)
    return head + record(0x000A) + b"".join(bodies)


def test_xls_reads_rows_per_sheet_with_numbers_as_printed():
    data = compound_file(
        {
            "Workbook": biff_workbook(
                {
                    "预算": [["项目", "金额"], [None, 10000000.0], ["基本支出", (1819.42, 1)]],
                    "附表": [["第二张表"]],
                }
            )
        }
    )
    assert sniff_format(data) == "ole2"
    assert [(line.text, line.page) for line in read(data)] == [
        ("项目\t金额", 1),
        ("\t10000000", 1),
        ("基本支出\t1,819.42", 1),
        ("第二张表", 2),
    ]


# -- broken, encrypted, empty and unsupported files ----------------------------------------------


def pdf_with(draw) -> pymupdf.Document:
    document = pymupdf.open()
    draw(document.new_page())
    return document


def encrypted_pdf() -> bytes:
    document = pdf_with(lambda page: page.insert_text((72, 72), "budget 2021"))
    return document.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user"
    )


def empty_xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


BROKEN = {
    "truncated PDF": (lambda: render_pdf("标题\n正文")[:-200], "truncated PDF"),
    "corrupt PDF": (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 64 + b"\n%%EOF\n", "corrupt PDF"),
    "encrypted PDF": (encrypted_pdf, "encrypted PDF"),
    "PDF without text": (
        lambda: pdf_with(lambda page: page.draw_rect((72, 72, 300, 200))).tobytes(),
        "no text layer",
    ),
    "corrupt ZIP named .docx": (lambda: b"PK\x03\x04" + b"\x00not a zip" * 50, "corrupt ZIP"),
    "DOCX with a broken document part": (
        lambda: zip_of({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"}),
        "corrupt DOCX",
    ),
    "PPTX": (lambda: zip_of({"ppt/presentation.xml": b"<p/>"}), "neither DOCX nor XLSX"),
    "empty XLSX": (empty_xlsx, "every sheet is empty"),
    "legacy DOC": (
        lambda: compound_file({"WordDocument": b"\xec\xa5\xc1\x00"}),
        "legacy .doc (Word 97-2003) is not supported: ",
    ),
    "password-protected DOCX": (
        lambda: compound_file({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x00"}),
        "encrypted Office document",
    ),
    "broken OLE2 header": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "corrupt OLE2",
    ),
    "XLS without its records": (lambda: compound_file({"Workbook": b"\x00" * 16}), "corrupt XLS"),
    "HTML without text": (lambda: b"<html><body><script>x()</script></body></html>", "no text"),
    "empty file": (lambda: b"", "empty file"),
    "blank text": (lambda: b" \r\n\t\n", "empty file"),
    "binary": (lambda: b"\x00\x01\x02\x03" * 100, "unsupported format 'binary'"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_unreadable_files_are_refused_with_the_reason(name):
    make, reason = BROKEN[name]
    with pytest.raises(UnreadableDocument, match=re.escape(reason)):
        read(make())


@pytest.mark.parametrize("reader", [read_docx, read_xlsx, read_xls, read_html, read_text, read_pdf])
@pytest.mark.parametrize("data", [b"", b"\x00" * 64, b"PK\x03\x04\x14\x00", b"\xd0\xcf\x11\xe0"])
def test_readers_raise_only_unreadable_document(reader, data):
    try:
        lines = reader(data)
    except UnreadableDocument:
        return
    assert lines and all(isinstance(line, Line) for line in lines)  # text a reader can take
