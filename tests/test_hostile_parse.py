"""Hostile documents: each is refused (or parsed) quickly, naming the limit it hit, and never
stops the other documents of a run."""

from __future__ import annotations

import io
import json
import re
import struct
import time
import zipfile

import docx
import openpyxl
import pymupdf
import pytest
from conftest import SAMPLE
from test_readers import biff_workbook, compound_file

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.home import Home
from orchestration.parse import template_a, template_b
from orchestration.parse.document import parse_bytes
from orchestration.parse.run import cache_dir, parse_all
from orchestration.parse.values import find_money, parse_target

TITLE = "南宫市委部门2021年部门预算信息公开情况说明\n一、部门职责\n（一）负责。\n"


def timed_parse(data: bytes) -> tuple[dict, float]:
    start = time.perf_counter()
    document = parse_bytes(data)["documents"][0]
    return document, time.perf_counter() - start


@pytest.mark.parametrize("spaces", [20_000, 200_000])
def test_a_long_run_of_spaces_does_not_backtrack(spaces):
    text = TITLE + "八、绩效目标\n第三部分\n1、" + " " * spaces + "x\n绩效目标表\n"
    document, seconds = timed_parse(text.encode())
    assert document["status"] == "parsed" and seconds < 2


SPACES, DIGITS = " " * 100_000, "1" * 100_000


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (template_b._FUNCTION_START_RE.match, f"1、x（{SPACES}x"),
        (template_b._FUNCTION_RE.match, f"1、“x（类）y（款）z（项）{SPACES}1元"),
        (template_b._PURPOSE_RE.search, f"主要用于x{SPACES}x"),
        (template_b._REASON_RE.search, f"主要原因x{SPACES}x"),
        (template_b._CHANGE_RE.match, f"{SPACES}比2020年增加x"),
        (template_b._PROJECT_MONEY_RE.search, f"{DIGITS}x"),
        (template_b._OFFICES_RE.search, f"设{SPACES}x" + "x" * 100_000),
        (find_money, f"{DIGITS}x"),
        (parse_target, f"≥1 {DIGITS}月x"),
    ],
)
def test_template_b_and_value_patterns_are_linear(pattern, text):
    start = time.perf_counter()
    pattern(text)
    assert time.perf_counter() - start < 2


def best_time(pattern, text: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        pattern(text)
        times.append(time.perf_counter() - start)
    return min(times)


_STATED_A = re.compile(  # as template_a._stated builds it
    r"(?:预算经费)[^。；;\d]{0,12}?(-?\d++(?:,\d++)*+(?:\.\d+)?\s*(?:万元|元))"
)
MONEY_PATTERNS = {
    "find_money": (find_money, ""),
    "parse_target": (parse_target, "≥"),
    "project money": (template_b._PROJECT_MONEY_RE.search, ""),
    "project total": (template_b._PROJECT_TOTAL_RE.search, "总预算"),
    "prior": (template_b._PRIOR_RE.search, "2020年预算执行数"),
    "planned": (template_b._PLANNED_RE.search, "2021年预算安排"),
    "stated B": (template_b._stated_re("收入预算").search, "收入预算"),
    "change B": (template_b._CHANGE_RE.search, "比2020年增加"),
    "line change B": (template_b._LINE_CHANGE_RE.search, "比2020年增加"),
    "money token": (template_b._MONEY_TOKEN_RE.match, ""),
    "function": (template_b._FUNCTION_RE.match, "1、“x（类）y（款）z（项）"),
    "change A": (template_a._CHANGE_RE.search, "与2020年增加"),
    "stated A": (_STATED_A.search, "预算经费"),
}


@pytest.mark.parametrize("unit", ["1,,", "1,", "1.", "-1, ", "1,1.1"])
@pytest.mark.parametrize("name", MONEY_PATTERNS)
def test_money_patterns_are_linear(name, unit):
    """Ten times the repetitions take about ten times as long, not a hundred (each repetition
    scanned once, not once from every digit); measured in the text's own patterns."""
    pattern, prefix = MONEY_PATTERNS[name]
    short, long = (best_time(pattern, prefix + unit * n + "x") for n in (2_000, 20_000))
    assert long < 20 * short + 0.02


def land(root, documents: dict[str, bytes]) -> Landing:
    landing = Landing(root)
    attempts = []
    for name, data in documents.items():
        sha256, _ = landing.store(data)
        attempts.append(FetchAttempt(f"https://example.cn/{name}", "test", "new", sha256=sha256))
    landing.log(attempts)
    return landing


# A document of 600,000 duty lines: about 3 s and 600 MB to parse.
HEAVY = (TITLE + "（一）负责。\n" * 600_000 + "八、绩效目标\n").encode()


@pytest.mark.parametrize(
    ("seconds", "megabytes", "reason"),
    [
        (1, 4000, "over the parse time limit of 1 s"),
        (60, 200, "over the parse memory limit of 200 MB"),
    ],
)
def test_a_document_over_a_limit_is_unreadable_and_the_others_parse(
    tmp_path, seconds, megabytes, reason
):
    home = Home.at(tmp_path)
    landing = land(tmp_path, {"heavy.txt": HEAVY, "sample.txt": SAMPLE.read_bytes()})
    start = time.perf_counter()
    summary = parse_all(home, landing, workers=2, seconds=seconds, megabytes=megabytes)
    assert time.perf_counter() - start < 20
    assert summary.by_status == {"parsed": 1, "unreadable": 1}
    (problem,) = summary.problems
    assert (problem["url"], problem["status"], problem["reason"]) == (
        "https://example.cn/heavy.txt",
        "unreadable",
        reason,
    )
    cached = [json.loads(p.read_text()) for p in cache_dir(home).glob("*.json")]
    assert len(cached) == 2  # refused once per parser version, not every night
    again = parse_all(home, landing, workers=2, seconds=seconds, megabytes=megabytes)
    assert (again.parsed, again.cached, again.problems) == (0, 2, summary.problems)


def docx_bytes(paragraphs: int = 1) -> bytes:
    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph(TITLE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def declare_sizes(data: bytes, sizes: dict[str, int]) -> bytes:
    """The archive with each named member's uncompressed size, in its central directory and
    local header, replaced by the given one."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    start = 0
    while (start := data.find(b"PK\x01\x02", start) + 1) > 0:  # central directory entries
        entry = start - 1
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        name = data[entry + 46 : entry + 46 + name_length].decode()
        if name in sizes:
            struct.pack_into("<I", data, entry + 24, sizes[name])
            struct.pack_into("<I", data, infos[name].header_offset + 22, sizes[name])
    return bytes(data)


def zip_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


THREE = ("word/document.xml", "word/styles.xml", "[Content_Types].xml")
ZEROS = zip_with({"xl/worksheets/sheet1.xml": b"\x00" * 5_000_000})


def many_members() -> bytes:
    return zip_with(
        {"word/document.xml": b"<w:document/>"} | {f"x/{n}": b"" for n in range(10_001)}
    )


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (
            lambda: declare_sizes(docx_bytes(), {"word/document.xml": 2_100_000_000}),
            "zip bomb: member word/document.xml declares 2.1 GB uncompressed (limit 200 MB)",
        ),
        (
            lambda: declare_sizes(
                zip_with({name: b"<w/>" for name in THREE}), dict.fromkeys(THREE, 190_000_000)
            ),
            "zip bomb: members declare 570 MB uncompressed in total (limit 500 MB)",
        ),
        (
            lambda: ZEROS,
            "zip bomb: member xl/worksheets/sheet1.xml compresses 5 MB into "
            f"{zipfile.ZipFile(io.BytesIO(ZEROS)).infolist()[0].compress_size:,} bytes "
            "(ratio limit 100:1)",
        ),
        (many_members, "zip bomb: 10,002 members (limit 10,000)"),
        (
            lambda: declare_sizes(docx_bytes(), {"word/document.xml": 100}),
            "corrupt DOCX: BadZipFile: Bad CRC-32 for file 'word/document.xml'",
        ),
    ],
    ids=["member", "total", "ratio", "members", "beyond declared"],
)
def test_a_zip_bomb_is_refused_before_decompressing(build, reason):
    document, seconds = timed_parse(build())
    assert (document["status"], document["status_reason"]) == ("unreadable", reason)
    assert seconds < 20


def span_table(rows: int, cells: int = 10, colspan: int = 100_000) -> bytes:
    """Every cell spans the rest of the table down: each row starts past the row above."""
    cell = f'<td rowspan="100000" colspan="{colspan}">1</td>'
    body = "".join(f"<tr>{cell * cells}</tr>" for _ in range(rows))
    return f"<html><body><p>{TITLE}</p><table>{body}</table></body></html>".encode()


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (
            lambda: span_table(3000),
            "HTML table too large: 30,000,000 cells (limit 1,000,000)",
        ),
        (
            lambda: span_table(3000, cells=3, colspan=1),
            "HTML table too large: 1,001,673 cells (limit 1,000,000)",
        ),
        (
            lambda: b"<html><body><p>" + b"x" * 60_000_000 + b"</p></body></html>",
            "HTML page too large: 60 MB (limit 50 MB)",
        ),
    ],
    ids=["huge spans", "staircase", "huge page"],
)
def test_an_html_page_over_a_limit_is_refused(build, reason):
    document, seconds = timed_parse(build())
    assert (document["status"], document["status_reason"]) == ("unreadable", reason)
    assert seconds < 20


def test_a_pdf_page_with_a_huge_content_stream_is_refused():
    pdf = pymupdf.open()
    pdf.new_page().insert_text((50, 50), "x")
    page = pdf.new_page()
    page.insert_text((50, 50), "x")
    (xref,) = page.get_contents()
    pdf.update_stream(xref, b"BT /helv 1 Tf 50 50 Td " + b"(x) Tj\n" * 3_000_000 + b"ET")
    data = pdf.tobytes()
    assert len(data) < 1_000_000  # stored compressed, 21 MB decoded
    document, seconds = timed_parse(data)
    assert (document["status"], document["status_reason"]) == (
        "unreadable",
        "PDF page 2 content stream too large: over the 20 MB limit",
    )
    assert seconds < 20


def test_a_text_file_over_the_limit_is_refused():
    document, seconds = timed_parse(b"x\n" * 12_500_000)
    assert (document["status"], document["status_reason"]) == (
        "unreadable",
        "text file too large: 25 MB (limit 20 MB)",
    )
    assert seconds < 5


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def with_part(data: bytes, name: str, body: str) -> bytes:
    """The archive with member `name` replaced by `body`, stored (so no compression ratio
    gives it away as a bomb)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            if info.filename == name:
                archive.writestr(name, body.encode(), zipfile.ZIP_STORED)
            else:
                archive.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_body(xml: str) -> bytes:
    """A DOCX whose body is `xml`."""
    document = f"<w:document {W}><w:body>{xml}</w:body></w:document>"
    return with_part(docx_bytes(), "word/document.xml", document)


def with_sheet(xml: str) -> bytes:
    """An XLSX whose first sheet's data is `xml`."""
    out = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "部门预算"
    workbook.save(out)
    sheet = f"<worksheet {S}><sheetData>{xml}</sheetData></worksheet>"
    return with_part(out.getvalue(), "xl/worksheets/sheet1.xml", sheet)


def blank_rows(rows: int) -> bytes:
    """An XLS whose rows each have a blank (formatted, empty) cell in its last column, 256."""
    stream = biff_workbook({"预算": [["部门预算"]]})
    blanks = b"".join(struct.pack("<HHHHH", 0x0201, 6, r, 255, 0) for r in range(rows))
    return compound_file({"Workbook": stream[:-4] + blanks + stream[-4:]})  # before its EOF


CELL = "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
SPANNED = f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr>{CELL}</w:tc></w:tr>'
INLINE = '<c r="ZZZ{}" t="inlineStr"><is><t>x</t></is></c>'


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (
            lambda: with_body("<w:sdt><w:sdtContent>" * 100_000 + CELL),
            "corrupt DOCX: XML nested more than 256 levels deep",
        ),
        (
            lambda: with_body("<w:bookmarkEnd/>" * 2_000_000),
            "DOCX too large: over the limit of 2,000,000 XML elements",
        ),
        (
            lambda: with_body("<w:p/>" * 1_000_001),
            "DOCX too large: over the limit of 1,000,000 paragraphs, runs and table cells",
        ),
        (
            lambda: with_body(f"<w:tbl>{SPANNED * 1001}</w:tbl>"),
            "DOCX tables too large: over the limit of 1,000,000 cells (spans expanded)",
        ),
        (
            lambda: with_sheet('<row r="1">' + "<c/>" * 1_000_000 + "</row>"),
            "XLSX workbook too large: over the limit of 500,000 cells",
        ),
        (
            lambda: with_sheet(
                "".join(f'<row r="{r}">{INLINE.format(r)}</row>' for r in range(1, 99))
            ),
            "XLSX workbook too large: over the limit of 500,000 cells (empty ones included) "
            "at sheet 1, row 28",
        ),
        (
            lambda: with_sheet(f'<row r="2000000000">{INLINE.format(2000000000)}</row>'),
            "XLSX workbook too large: over the limit of 2,097,152 rows (empty ones included) "
            "at sheet 1, row 2,097,153",
        ),
        (
            lambda: blank_rows(2000),
            "XLS workbook too large: over the limit of 500,000 cells (empty ones included) "
            "at sheet 1, row 1,954",
        ),
    ],
    ids=["deep", "elements", "paragraphs", "spans", "wide row", "padded rows", "far row", "xls"],
)
def test_an_office_document_over_a_limit_is_refused(build, reason):
    document, seconds = timed_parse(build())
    assert (document["status"], document["status_reason"]) == ("unreadable", reason)
    assert seconds < 5
