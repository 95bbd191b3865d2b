"""What a file really is, from its bytes; and how to decode portal HTML."""

from __future__ import annotations

import io
import re
import zipfile

from xlrd.compdoc import CompDoc

# Extensions a link may carry -> the formats its bytes may sniff as.
EXTENSION_FORMATS = {
    ".pdf": {"pdf"},
    ".doc": {"ole2"},
    ".xls": {"ole2"},
    ".docx": {"zip"},
    ".xlsx": {"zip"},
    ".txt": {"txt"},
    ".htm": {"html", "txt"},
    ".html": {"html", "txt"},
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "utf8": "utf-8"}


def sniff_format(data: bytes) -> str:
    """pdf, ole2 (DOC/XLS), zip (DOCX/XLSX), html, txt or binary, from the first bytes."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    lowered = head[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered:
        return "html"
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary"
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return "txt"
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut by the sample's end
                return "txt"
    return "binary"


def zip_infos(data: bytes) -> list[zipfile.ZipInfo]:
    """A ZIP archive's members as its central directory declares them (nothing decompressed);
    raises ValueError when it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValueError(str(exc)) from None


def zip_members(data: bytes) -> list[str]:
    """The member names of a ZIP archive; raises ValueError when it cannot be read."""
    return [info.filename for info in zip_infos(data)]


MB = 1_000_000
ZIP_MEMBER_LIMIT = 200 * MB  # declared uncompressed size of one member
ZIP_TOTAL_LIMIT = 500 * MB  # of all members
ZIP_RATIO_LIMIT = 100  # uncompressed : compressed, for a member over 1 MB
ZIP_MEMBERS_LIMIT = 10_000


def size_text(size: int) -> str:
    """A byte count for a reason: 2.1 GB, 200 MB, 0.5 MB."""
    unit, scale = ("GB", 1000 * MB) if size >= 1000 * MB else ("MB", MB)
    return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"


def over_limit(what: str, size: int, limit: int) -> str:
    """`what too large: 60 MB (limit 50 MB)`, in bytes when the two would read the same."""
    shown, most = size_text(size), size_text(limit)
    if shown == most:
        shown, most = f"{size:,} bytes", f"{limit:,} bytes"
    return f"{what} too large: {shown} (limit {most})"


def zip_bomb(infos: list[zipfile.ZipInfo]) -> str | None:
    """Why an archive's declared sizes are too large to decompress, or None. Reading a member
    cannot exceed its declared size: zipfile stops there (and fails the CRC check)."""
    if len(infos) > ZIP_MEMBERS_LIMIT:
        return f"zip bomb: {len(infos):,} members (limit {ZIP_MEMBERS_LIMIT:,})"
    for info in infos:
        if info.file_size > ZIP_MEMBER_LIMIT:
            return (
                f"zip bomb: member {info.filename} declares {size_text(info.file_size)} "
                f"uncompressed (limit {size_text(ZIP_MEMBER_LIMIT)})"
            )
    total = sum(info.file_size for info in infos)
    if total > ZIP_TOTAL_LIMIT:
        return (
            f"zip bomb: members declare {size_text(total)} uncompressed in total "
            f"(limit {size_text(ZIP_TOTAL_LIMIT)})"
        )
    for info in infos:
        if info.file_size > MB and info.file_size > ZIP_RATIO_LIMIT * info.compress_size:
            return (
                f"zip bomb: member {info.filename} compresses {size_text(info.file_size)} "
                f"into {info.compress_size:,} bytes (ratio limit {ZIP_RATIO_LIMIT}:1)"
            )
    return None


XML_ELEMENTS_LIMIT = 2_000_000  # elements of an Office document's XML parts (python-docx: ~0.6 GB)
START_TAG = re.compile(rb"<[^/?!]")


def xml_count(data: bytes, pattern: re.Pattern[bytes], limit: int) -> int:
    """Matches of `pattern` (a tag: starting with "<", at most 15 bytes long) in the .xml
    members of a ZIP archive, decompressed a chunk at a time, counted no further than past
    `limit`. A chunk's last "<" and what follows it are carried on to the next."""
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            with archive.open(name) as member:
                tail = b""
                while count <= limit and (chunk := member.read(MB)):
                    text = tail + chunk
                    cut = text.rfind(b"<", len(text) - 15)
                    cut = len(text) if cut < 0 else cut
                    count += len(pattern.findall(text, 0, cut))
                    tail = text[cut:]
                count += len(pattern.findall(tail))
            if count > limit:
                break
    return count


def ole2_streams(data: bytes) -> set[str]:
    """The stream names of an OLE2 compound file; raises ValueError when it cannot be read."""
    try:
        return {entry.name for entry in CompDoc(data, logfile=io.StringIO()).dirlist}
    except Exception as exc:  # CompDocError, or struct/index errors on a damaged file
        raise ValueError(str(exc)) from None


def office_format(container: str, names: list[str] | set[str]) -> str | None:
    """docx or xlsx for a ZIP by its members, xls or doc for an OLE2 file by its streams;
    None when the container holds neither."""
    if container == "zip":
        for prefix, fmt in (("word/", "docx"), ("xl/", "xlsx")):
            if any(name.startswith(prefix) for name in names):
                return fmt
    elif container == "ole2":
        if {"Workbook", "Book"} & set(names):
            return "xls"
        if "WordDocument" in names:
            return "doc"
    return None


def document_format(data: bytes) -> str:
    """What a document is: pdf, docx, xlsx, doc, xls, html or txt. A ZIP or OLE2 file that is
    no Office document (or too damaged to tell) stays zip / ole2; anything else is binary."""
    container = sniff_format(data)
    if container not in ("zip", "ole2"):
        return container
    try:
        names = zip_members(data) if container == "zip" else ole2_streams(data)
    except ValueError:
        return container
    return office_format(container, names) or container


def normalise_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    return _ALIASES.get(name, name)


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page: charset from the HTTP header, else from a <meta> tag, else detected
    (UTF-8 if it decodes, else GB18030, a superset of GBK and GB2312). Returns (text, charset)."""
    header = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    meta = _META_CHARSET.search(data[:4096])
    for candidate in (header and header.group(1), meta and meta.group(1).decode("ascii")):
        charset = normalise_charset(candidate)
        if charset:
            try:
                return data.decode(charset), charset
            except (LookupError, UnicodeDecodeError):
                continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace"), "gb18030"
