"""A document's bytes, whatever their format, as `Line`s: the one entry point to the readers.

`fmt` is what `orchestration.formats.sniff_format` says the bytes are. A ZIP is told apart
(DOCX or XLSX) by its members, an OLE2 compound file (XLS, or legacy DOC) by its streams
(`orchestration.formats.office_format`, which also names the format `dim_document` shows).
Anything that cannot be read raises `UnreadableDocument` with the reason.
"""

from __future__ import annotations

from orchestration.formats import (
    START_TAG,
    XML_ELEMENTS_LIMIT,
    office_format,
    ole2_streams,
    xml_count,
    zip_bomb,
    zip_infos,
)
from orchestration.parse.layout import Line
from orchestration.read.docx import read_docx
from orchestration.read.html import read_html
from orchestration.read.pdf import UnreadableDocument, read_pdf
from orchestration.read.sheet import read_xls, read_xlsx
from orchestration.read.text import read_text

__all__ = ["UnreadableDocument", "read_document"]


def read_complete_pdf(data: bytes) -> list[Line]:
    """A PDF, refused when cut short: PyMuPDF repairs a truncated file and reads only part."""
    if b"%%EOF" not in data[-1024:]:
        raise UnreadableDocument("truncated PDF: no %%EOF marker at its end (a partial download?)")
    return read_pdf(data)


def read_zip(data: bytes) -> list[Line]:
    """DOCX or XLSX, by the archive's members; refused before any is decompressed when their
    declared sizes are too large (`orchestration.formats.zip_bomb`), and before any is parsed
    when its XML parts hold more than `XML_ELEMENTS_LIMIT` elements."""
    try:
        infos = zip_infos(data)
    except ValueError as exc:
        raise UnreadableDocument(f"corrupt ZIP (not a readable DOCX/XLSX): {exc}") from None
    bomb = zip_bomb(infos)
    if bomb:
        raise UnreadableDocument(bomb)
    names = [info.filename for info in infos]
    fmt = office_format("zip", names)
    if fmt not in ("docx", "xlsx"):
        listed = ", ".join(sorted(names)[:5]) or "none"
        raise UnreadableDocument(
            f"unsupported ZIP archive: neither DOCX nor XLSX (members: {listed})"
        )
    try:
        elements = xml_count(data, START_TAG, XML_ELEMENTS_LIMIT)
    except Exception as exc:  # a damaged member: zipfile and zlib raise several types
        raise UnreadableDocument(f"corrupt {fmt.upper()}: {type(exc).__name__}: {exc}") from None
    if elements > XML_ELEMENTS_LIMIT:
        raise UnreadableDocument(
            f"{fmt.upper()} too large: over the limit of {XML_ELEMENTS_LIMIT:,} XML elements"
        )
    return read_docx(data) if fmt == "docx" else read_xlsx(data)


def read_ole2(data: bytes) -> list[Line]:
    """XLS, by the compound file's streams; a legacy DOC or an encrypted Office file is refused."""
    try:
        streams = ole2_streams(data)
    except ValueError as exc:
        raise UnreadableDocument(f"corrupt OLE2 file (DOC/XLS): {exc}") from None
    fmt = office_format("ole2", streams)
    if fmt == "xls":
        return read_xls(data)
    if fmt == "doc":
        raise UnreadableDocument(
            "legacy .doc (Word 97-2003) is not supported: python-docx reads only .docx; "
            "convert it to .docx or PDF"
        )
    if "EncryptedPackage" in streams:
        raise UnreadableDocument("encrypted Office document: a password is needed to read it")
    raise UnreadableDocument("unsupported OLE2 file: neither an XLS workbook nor a Word document")


READERS = {
    "pdf": read_complete_pdf,
    "zip": read_zip,
    "ole2": read_ole2,
    "html": read_html,
    "txt": read_text,
}


def read_document(data: bytes, fmt: str) -> list[Line]:
    """The document's lines, for `fmt` as sniffed from its bytes."""
    if not data or data.isspace():
        raise UnreadableDocument("empty file")
    reader = READERS.get(fmt)
    if reader is None:
        raise UnreadableDocument(f"unsupported format {fmt!r}: not PDF, Office, HTML or text")
    return reader(data)
