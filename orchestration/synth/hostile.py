"""A corpus of hostile documents, one per attack, each with the outcome the parser must give.

Every `Case` builds its file's bytes from nothing but the bundled sample budget and this code,
in well under a second (files are small except where size is the attack). The catalog is what
`tests/test_hostile_corpus.py` parses under the job's limits and `benchmarks/hostile.py` times.

    write_hostile_corpus(Path("hostile"))  # one file per case, named by `Case.file_name`
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import openpyxl
import pymupdf

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.home import PROJECT_ROOT
from orchestration.synth.render import render_docx, render_html

SAMPLE = PROJECT_ROOT / "sample" / "hebei" / "nangong_party_committee_2021_department_budget.txt"
MB = 1_000_000
DEPARTMENT = "市委部门"  # the sample's department, as its title and code lines print it


@dataclass(frozen=True)
class Case:
    """One hostile document and the outcome expected of parsing it."""

    name: str
    file_name: str
    attack: str  # what it attacks, in a few words
    build: Callable[[], bytes]
    status: str  # parsed, unreadable, unsupported or quarantined
    reason: str  # a part of the status reason ("" for a parsed document, which has none)
    department: str | None = None  # the department name a parsed document must store verbatim


# -- building blocks ---------------------------------------------------------------------------


@cache
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def sample_with(line: str, before: str) -> bytes:
    """The sample with `line` inserted above its first line containing `before`."""
    text = sample_text()
    at = text.index(before)
    at = text.rindex("\n", 0, at) + 1
    return (text[:at] + line + "\n" + text[at:]).encode()


def renamed(name: str) -> bytes:
    """The sample with its department called `name` (the title then starts with it)."""
    return sample_text().replace("南宫" + DEPARTMENT, name).replace(DEPARTMENT, name).encode()


@cache
def sample_docx() -> bytes:
    return render_docx(sample_text())


@cache
def sample_xlsx() -> bytes:
    """The sample as a workbook: a row per line, a cell per tab-separated field."""
    workbook = openpyxl.Workbook()
    for line in sample_text().splitlines():
        workbook.active.append(line.split("\t"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def replace_member(
    data: bytes,
    name: str,
    edit: Callable[[bytes], bytes],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The archive with member `name` replaced (or added) by `edit` of it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = edit(members.get(name, b""))
    return zip_with(members, compression)


def with_doctype(xml: bytes, root: str, entities: str, reference: str, after: bytes) -> bytes:
    """An XML part with an internal DTD of `entities` and `reference` inserted after the first
    occurrence of `after` (the start tag of an element holding text)."""
    declaration = re.match(rb"<\?xml[^>]*\?>", xml)
    head, body = (xml[: declaration.end()], xml[declaration.end() :]) if declaration else (b"", xml)
    doctype = f"<!DOCTYPE {root} [{entities}]>".encode()
    at = body.index(after) + len(after)
    return head + doctype + body[:at] + reference.encode() + body[at:]


XXE = '<!ENTITY xxe SYSTEM "file:///etc/passwd">'
LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)  # &lol9; is 10^9 lols


def docx_entities(entities: str, reference: str) -> bytes:
    def edit(xml: bytes) -> bytes:
        run = re.search(rb"<w:t(?: [^>]*)?>", xml).group()
        return with_doctype(xml, "w:document", entities, reference, run)

    return replace_member(sample_docx(), "word/document.xml", edit)


def xlsx_entities(entities: str, reference: str) -> bytes:
    def edit(xml: bytes) -> bytes:
        return with_doctype(xml, "worksheet", entities, reference, b"<t>")

    return replace_member(sample_xlsx(), "xl/worksheets/sheet1.xml", edit)


def html_entities(entities: str, reference: str) -> bytes:
    page = render_html(sample_text(), "utf-8").decode()
    page = page.replace("<!DOCTYPE html>", f"<!DOCTYPE html [{entities}]>", 1)
    return page.replace("</body>", f"<p>{reference}</p></body>", 1).encode()


DEEP = 100_000


def deep_docx() -> bytes:
    def edit(xml: bytes) -> bytes:
        nest = b"<w:sdt><w:sdtContent>" * DEEP + b"</w:sdtContent></w:sdt>" * DEEP
        return xml.replace(b"<w:body>", b"<w:body>" + nest, 1)

    return replace_member(sample_docx(), "word/document.xml", edit)


def deep_xlsx() -> bytes:
    def edit(xml: bytes) -> bytes:
        nest = b"<x>" * DEEP + b"</x>" * DEEP
        return xml.replace(b"<sheetData>", b"<sheetData>" + nest, 1)

    return replace_member(sample_xlsx(), "xl/worksheets/sheet1.xml", edit)


def declare_sizes(data: bytes, sizes: dict[str, int]) -> bytes:
    """The archive with each named member's uncompressed size, in its central directory entry
    and local header, replaced by the given one (nothing else changes)."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offsets = {info.filename: info.header_offset for info in archive.infolist()}
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:  # each central directory entry
        length = struct.unpack_from("<H", data, entry + 28)[0]
        name = data[entry + 46 : entry + 46 + length].decode()
        if name in sizes:
            struct.pack_into("<I", data, entry + 24, sizes[name])
            struct.pack_into("<I", data, offsets[name] + 22, sizes[name])
        entry = data.find(b"PK\x01\x02", entry + 46)
    return bytes(data)


def declared_bomb() -> bytes:
    """A 1 MB DOCX (an incompressible picture) whose document part declares 2.1 GB."""
    picture = random.Random(1).randbytes(MB)
    data = replace_member(sample_docx(), "word/media/image1.png", lambda _: picture)
    return declare_sizes(data, {"word/document.xml": 2_100_000_000})


def ratio_bomb() -> bytes:
    """A DOCX whose document part really inflates to 190 MB of spaces (from about 190 KB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(19):
                member.write(b" " * (10 * MB))
    return out.getvalue()


def declared_total() -> bytes:
    """Three tiny members, each declaring 190 MB: under the member limit, over the total."""
    names = ("word/document.xml", "word/styles.xml", "[Content_Types].xml")
    return declare_sizes(zip_with(dict.fromkeys(names, b"<w/>")), dict.fromkeys(names, 190 * MB))


def many_members() -> bytes:
    return zip_with(
        {"word/document.xml": b"<w:document/>"} | {f"x/{n}": b"" for n in range(10_001)}
    )


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def stored(base: bytes, name: str, xml: str) -> bytes:
    """`base` with member `name` replaced by `xml`, every member stored (not compressed), so
    that no compression ratio gives a large part away as a bomb."""
    return replace_member(base, name, lambda _: xml.encode(), zipfile.ZIP_STORED)


def docx_body(xml: str) -> bytes:
    """The sample DOCX with `xml` for its body."""
    document = f"<w:document {W}><w:body>{xml}</w:body></w:document>"
    return stored(sample_docx(), "word/document.xml", document)


def xlsx_sheet(xml: str) -> bytes:
    """The sample XLSX with `xml` for its sheet's data."""
    sheet = f"<worksheet {S}><sheetData>{xml}</sheetData></worksheet>"
    return stored(sample_xlsx(), "xl/worksheets/sheet1.xml", sheet)


CELL = "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
SPAN = f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr>{CELL}</w:tc></w:tr>'
BEFORE = f'<w:tr><w:trPr><w:gridBefore w:val="2000000000"/></w:trPr><w:tc>{CELL}</w:tc></w:tr>'
INLINE = '<c r="ZZZ{}" t="inlineStr"><is><t>x</t></is></c>'


def padded_rows() -> bytes:
    """98 rows, each of one cell in column ZZZ (18,278): each row pads to 18,278 cells."""
    return xlsx_sheet("".join(f'<row r="{r}">{INLINE.format(r)}</row>' for r in range(1, 99)))


def padded_xls(rows: int = 2000) -> bytes:
    """An XLS sheet of 部门预算 in A1, then `rows` rows each of a blank (formatted, empty) cell in
    its last column, 256, which pads the row."""

    def record(kind: int, data: bytes = b"") -> bytes:
        return struct.pack("<HH", kind, len(data)) + data

    def begin(kind: int) -> bytes:  # BOF of BIFF8: 5 the workbook, 16 a sheet
        return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0x0600))

    head = begin(5) + record(0x00E0, struct.pack("<HHH14x", 0, 0, 0))  # one cell format
    name = struct.pack("<BB", 2, 1) + "预算".encode("utf-16-le")
    sheet_at = len(head) + 4 + 6 + len(name) + 4  # after the sheet's record and the EOF
    label = struct.pack("<HHHHB", 0, 0, 0, 4, 1) + "部门预算".encode("utf-16-le")
    blanks = b"".join(record(0x0201, struct.pack("<HHH", r, 255, 0)) for r in range(rows))
    sheet = begin(16) + record(0x0204, label) + blanks + record(0x000A)
    workbook = head + record(0x0085, struct.pack("<IBB", sheet_at, 0, 0) + name) + record(0x000A)
    return compound_file({"Workbook": workbook + sheet})


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (what DOC, XLS and encrypted Office files are): a header,
    one FAT sector, one directory sector (up to three streams), then each stream padded to
    4096 bytes so that none is kept in the mini stream."""
    end, free, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF

    def entry(name="", kind=0, start=0, size=0, child=none, right=none) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, none, right, child, b"", 0, 0,
            0, start, size,
        )  # fmt: skip

    fat, body, directory = [0xFFFFFFFD, end], b"", entry("Root Entry", 5, end, child=1)
    for i, (name, data) in enumerate(streams.items(), start=1):
        data = data.ljust(4096, b"\0").ljust(-(-len(data) // 512) * 512, b"\0")
        first = 2 + len(body) // 512
        fat += [*range(first + 1, first + len(data) // 512), end]
        directory += entry(name, 2, first, len(data), right=i + 1 if i < len(streams) else none)
        body += data
    directory += entry() * (4 - len(streams) - 1)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE, 9,
        6, b"", 0, 1, 1, 0, 4096, end, 0, end, 0,
    )  # fmt: skip
    header += struct.pack("<109I", 0, *[free] * 108)
    return header + struct.pack("<128I", *fat, *[free] * (128 - len(fat))) + directory + body


def small_pdf(encrypt: bool = False) -> bytes:
    pdf = pymupdf.open()
    pdf.new_page().insert_text((50, 50), "Budget 2021")
    if encrypt:
        return pdf.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="x", owner_pw="y")
    return pdf.tobytes()


def huge_content_pdf() -> bytes:
    """A second page whose Flate content stream decodes to 21 MB (stored in about 20 KB)."""
    pdf = pymupdf.open()
    pdf.new_page().insert_text((50, 50), "x")
    page = pdf.new_page()
    page.insert_text((50, 50), "x")
    (xref,) = page.get_contents()
    pdf.update_stream(xref, b"BT /helv 1 Tf 50 50 Td (x) Tj ET" + b" " * (21 * MB))
    return pdf.tobytes()


def span_table(rows: int = 3000, cells: int = 10, colspan: int = 100_000) -> bytes:
    """Every cell spans the rest of the table down (and `colspan` columns across): each row
    starts past the row above."""
    cell = f'<td rowspan="100000" colspan="{colspan}">1</td>'
    body = f"<tr>{cell * cells}</tr>" * rows
    return f"<html><body><p>部门预算</p><table>{body}</table></body></html>".encode()


def huge_text() -> bytes:
    """The sample, then filler lines to just over 20 MB."""
    filler = "（一）负责。\n".encode()
    return sample_text().encode() + filler * (21 * MB // len(filler))


def nul_text() -> bytes:
    """The sample with a NUL byte after every line past the first 4 KB (text by its head)."""
    data = sample_text().encode()
    return data[:5000] + data[5000:].replace(b"\n", b"\x00\n")


FORGED_NAME = "\x1b[2J\npublished: yes (release X)\u202e.xml"

# -- the catalog -------------------------------------------------------------------------------

CASES: list[Case] = [
    Case("spaces_in_budget", "spaces-in-budget.txt", "regex backtracking: 1、+20,000 spaces",
         lambda: sample_with("1、" + " " * 20_000 + "x", "绩效目标表"), "parsed", ""),
    Case("spaces_alone", "spaces-alone.txt", "regex backtracking: 1、+20,000 spaces, alone",
         lambda: ("1、" + " " * 20_000 + "x\n").encode(), "unsupported",
         "not a budget or final accounts disclosure"),
    Case("money_commas", "money-commas.txt", "regex backtracking: 1,,1,,1 money lines",
         lambda: sample_with(("安排 " + "1,," * 30_000 + "x\n") * 20, "机关运行经费共计安排"),
         "parsed", ""),
    Case("html_spans", "spans.html", "3,000 rows of huge rowspan/colspan",
         span_table, "unreadable", "HTML table too large: 30,000,000 cells (limit 1,000,000)"),
    Case("html_staircase", "staircase.html", "3,000 rows of 3 cells spanning the rest down",
         lambda: span_table(cells=3, colspan=1),
         "unreadable", "HTML table too large: 1,001,673 cells (limit 1,000,000)"),
    Case("html_huge", "huge.html", "HTML page just over 50 MB",
         lambda: b"<html><body><p>" + b"a" * (50 * MB) + b"</p></body></html>",
         "unreadable", "HTML page too large: 50,000,033 bytes (limit 50,000,000 bytes)"),
    Case("pdf_content", "content.pdf", "page 2: 21 MB decoded content stream, 20 KB",
         huge_content_pdf, "unreadable",
         "PDF page 2 content stream too large: over the 20 MB limit"),
    Case("docx_declared_bomb", "declared-bomb.docx", "1 MB DOCX declaring 2.1 GB",
         declared_bomb, "unreadable",
         "zip bomb: member word/document.xml declares 2.1 GB uncompressed (limit 200 MB)"),
    Case("docx_ratio_bomb", "ratio-bomb.docx", "DOCX really inflating to 190 MB",
         ratio_bomb, "unreadable", "zip bomb: member word/document.xml compresses 190 MB"),
    Case("zip_declared_total", "declared-total.docx", "3 tiny members declaring 190 MB each",
         declared_total, "unreadable",
         "zip bomb: members declare 570 MB uncompressed in total (limit 500 MB)"),
    Case("zip_many_members", "many-members.docx", "a ZIP of 10,002 members",
         many_members, "unreadable", "zip bomb: 10,002 members (limit 10,000)"),
    Case("docx_beyond_declared", "beyond-declared.docx", "DOCX part over its declared 100 bytes",
         lambda: declare_sizes(sample_docx(), {"word/document.xml": 100}), "unreadable",
         "corrupt DOCX: BadZipFile: Bad CRC-32 for file 'word/document.xml'"),
    Case("docx_elements", "elements.docx", "DOCX of 2,000,001 XML elements (stored, 14 MB)",
         lambda: docx_body("<w:br/>" * 2_000_001), "unreadable",
         "DOCX too large: over the limit of 2,000,000 XML elements"),
    Case("xlsx_elements", "elements.xlsx", "XLSX of 2,000,001 XML elements (stored, 12 MB)",
         lambda: xlsx_sheet("<row/>" * 2_000_001), "unreadable",
         "XLSX too large: over the limit of 2,000,000 XML elements"),
    Case("docx_paragraphs", "paragraphs.docx", "DOCX of 1,000,001 empty paragraphs",
         lambda: docx_body("<w:p/>" * 1_000_001), "unreadable",
         "DOCX too large: over the limit of 1,000,000 paragraphs, runs and table cells"),
    Case("docx_grid_span", "grid-span.docx", "DOCX table: 1,001 cells of gridSpan 2,000,000,000",
         lambda: docx_body(f"<w:tbl>{SPAN * 1001}</w:tbl>"), "unreadable",
         "DOCX tables too large: over the limit of 1,000,000 cells (spans expanded)"),
    Case("docx_grid_before", "grid-before.docx", "DOCX table: 1,001 gridBefore 2,000,000,000",
         lambda: docx_body(f"<w:tbl>{BEFORE * 1001}</w:tbl>"), "unreadable",
         "DOCX tables too large: over the limit of 1,000,000 cells (spans expanded)"),
    Case("xlsx_wide_row", "wide-row.xlsx", "XLSX row of 1,000,000 empty cells",
         lambda: xlsx_sheet('<row r="1">' + "<c/>" * 1_000_000 + "</row>"), "unreadable",
         "XLSX workbook too large: over the limit of 500,000 cells"),
    Case("xlsx_padded_rows", "padded-rows.xlsx", "XLSX rows of one cell in column ZZZ",
         padded_rows, "unreadable",
         "XLSX workbook too large: over the limit of 500,000 cells (empty ones included) "
         "at sheet 1, row 28"),
    Case("xlsx_far_row", "far-row.xlsx", "XLSX cell at row 2,000,000,000",
         lambda: xlsx_sheet(f'<row r="2000000000">{INLINE.format(2000000000)}</row>'),
         "unreadable",
         "XLSX workbook too large: over the limit of 2,097,152 rows (empty ones included) "
         "at sheet 1, row 2,097,153"),
    Case("xls_padded_rows", "padded-rows.xls", "XLS rows of a blank cell in column 256",
         padded_xls, "unreadable",
         "XLS workbook too large: over the limit of 500,000 cells (empty ones included) "
         "at sheet 1, row 1,954"),
    Case("xxe_docx", "xxe.docx", "XXE: entity for /etc/passwd in DOCX",
         lambda: docx_entities(XXE, "&xxe;"), "parsed", ""),
    Case("xxe_xlsx", "xxe.xlsx", "XXE: entity for /etc/passwd in XLSX",
         lambda: xlsx_entities(XXE, "&xxe;"), "unreadable", "undefined entity &xxe;"),
    Case("xxe_html", "xxe.html", "XXE: /etc/passwd entity in HTML (DTD shows as text)",
         lambda: html_entities(XXE, "&xxe;"), "parsed", ""),
    Case("laughs_docx", "laughs.docx", "billion laughs entities in DOCX",
         lambda: docx_entities(LAUGHS, "&lol9;"), "unreadable", "amplification factor"),
    Case("laughs_xlsx", "laughs.xlsx", "billion laughs entities in XLSX",
         lambda: xlsx_entities(LAUGHS, "&lol9;"), "unreadable", "amplification factor"),
    Case("laughs_html", "laughs.html", "billion laughs in HTML (DTD shows as text)",
         lambda: html_entities(LAUGHS, "&lol9;"), "parsed", ""),
    Case("deep_docx", "deep.docx", "XML nested 100,000 deep in DOCX",
         deep_docx, "unreadable", "corrupt DOCX: XML nested more than 256 levels deep"),
    Case("deep_xlsx", "deep.xlsx", "XML nested 100,000 deep in XLSX",
         deep_xlsx, "parsed", ""),
    Case("encrypted_office", "encrypted.docx", "password-protected Office file (OLE2)",
         lambda: compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"x"}),
         "unreadable", "encrypted Office document"),
    Case("encrypted_pdf", "encrypted.pdf", "password-protected PDF",
         lambda: small_pdf(encrypt=True), "unreadable", "encrypted PDF"),
    Case("truncated_pdf", "truncated.pdf", "PDF cut short (partial download)",
         lambda: small_pdf()[:-200], "unreadable", "truncated PDF"),
    Case("empty", "empty.txt", "empty file", lambda: b"", "unreadable", "empty file"),
    Case("whitespace", "whitespace.txt", "only whitespace",
         lambda: b" \r\n\t\n" * 1000, "unreadable", "empty file"),
    Case("random_bytes", "random.pdf", "1 MB of random bytes",
         lambda: random.Random(0).randbytes(MB), "unreadable", "unsupported format 'binary'"),
    Case("nul_text", "nul.txt", "text with NUL bytes past its head",
         nul_text, "unreadable", "binary data, not text"),
    Case("legacy_doc", "old.doc", "legacy Word 97-2003 .doc",
         lambda: compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 510}),
         "unreadable", "legacy .doc"),
    Case("zip_escape_name", "escape.docx", "ANSI escape + newline in a ZIP member name",
         lambda: zip_with({FORGED_NAME: b"x"}), "unreadable", "unsupported ZIP archive"),
    Case("zip_other", "other.docx", "a ZIP that is neither DOCX nor XLSX",
         lambda: zip_with({"readme.txt": b"hello", "data/table.csv": b"a,b"}),
         "unreadable", "neither DOCX nor XLSX"),
    Case("portal_breadcrumb", "breadcrumb.txt", "portal breadcrumb above a real budget",
         lambda: ("首页 > 信息公开 > 预决算公开\n" + sample_text()).encode(), "parsed", ""),
    Case("text_huge", "huge.txt", "text file over 20 MB",
         huge_text, "unreadable", "text file too large: 21.1 MB (limit 20 MB)"),
    Case("name_html", "name-html.txt", "HTML in the department name",
         lambda: renamed("<b onmouseover=alert(2)>"), "parsed", "",
         "<b onmouseover=alert(2)>"),
    Case("name_formula", "name-formula.txt", "spreadsheet formula as department name",
         lambda: renamed('=HYPERLINK("http://x")'), "parsed", "", '=HYPERLINK("http://x")'),
    Case("name_sql", "name-sql.txt", "SQL injection in the department name",
         lambda: renamed("'; DROP TABLE raw.documents; --"), "parsed", "",
         "'; DROP TABLE raw.documents; --"),
    Case("name_jinja", "name-jinja.txt", "Jinja template in the department name",
         lambda: renamed("{{ 7*7 }}"), "parsed", "", "{{ 7*7 }}"),
]  # fmt: skip


def land(home: Path, files: list[Path]) -> dict[Path, str]:
    """Store `files` in the landing area under `home` and log them as fetched, as a crawl would;
    returns each file's sha256."""
    landing = Landing(home)
    stored = {path: landing.store(path.read_bytes())[0] for path in files}
    landing.log(
        [
            FetchAttempt(f"https://example.cn/{p.name}", "hostile", "new", sha256=sha)
            for p, sha in stored.items()
        ]
    )
    return stored


def write_hostile_corpus(root: Path) -> list[Case]:
    """Write each case's file into `root` (created if need be); returns the catalog."""
    root.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (root / case.file_name).write_bytes(case.build())
    return CASES
