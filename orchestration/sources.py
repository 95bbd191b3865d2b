"""The sources file (YAML): where disclosures are fetched from and which region they cover.

```yaml
sources:
  - name: nangong
    kind: directory          # or: http
    province: 河北省
    prefecture: 邢台市
    county: 南宫市
    path: hebei              # directory: relative to this file
  - name: putuo
    kind: http
    province: 上海市
    prefecture: 上海市
    county: 普陀区
    urls: [https://www.shpt.gov.cn/…/list.html]
    follow: "https://www\\.shpt\\.gov\\.cn/.*"   # pages to visit (listings, details)
    documents: "\\.(pdf|docx?|xlsx?)$"             # document links (default: by extension)
    max_depth: 2          # link hops from a start URL
    max_pages: 200        # pages visited per run
    allowed_hosts: [www.shpt.gov.cn]   # default: the hosts of urls
    delay: 1.0            # seconds from one answer of a host to the next request to it
    timeout: 30           # read timeout in seconds (connect: 10)
    retries: 3            # on connection errors, 429 and 5xx, with exponential backoff
    backoff: 1.0          # seconds before the first retry, doubled for each next one
    max_bytes: 104857600  # larger documents are refused while streaming
    deadline: 60          # seconds for one URL, first request to last byte, however it trickles
    max_retry_after: 60   # a longer Retry-After fails the URL now, to be tried next run
    max_documents: 2000   # documents requested per run; the rest are deferred to the next
```

`province`, `prefecture` and `county` are optional defaults: a document's own region (the 省 / 市 /
区县 its title or entity names) is read from the document, and where it names none, the source's
fills in. A source may mix provinces, and a municipal or provincial department needs no county.

The whole file is checked before anything is fetched: an unknown or misplaced key, a missing
folder, a URL without http:// or https://, or a value of the wrong type is a `SourcesError`
naming the file, the source and the key. The file must be UTF-8 text of at most 1 MB, without
YAML anchors, aliases or tags.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".htm", ".html")
KINDS = ("directory", "http")
SAMPLE_SOURCES = Path(__file__).resolve().parent.parent / "sample" / "sources.yaml"

REGION_KEYS = ("province", "prefecture", "county")  # optional: defaults for its documents
COMMON_KEYS = ("name", "kind", *REGION_KEYS)
KIND_KEYS = {
    "directory": ("path",),
    "http": (
        "urls",
        "follow",
        "documents",
        "max_depth",
        "max_pages",
        "allowed_hosts",
        "delay",
        "timeout",
        "retries",
        "backoff",
        "max_bytes",
        "deadline",
        "max_retry_after",
        "max_documents",
    ),
}
ALL_KEYS = COMMON_KEYS + KIND_KEYS["directory"] + KIND_KEYS["http"]
NUMBERS = {  # option: (whole numbers only, must be above zero, unit)
    "max_depth": (True, False, ""),
    "max_pages": (True, True, ""),
    "retries": (True, False, ""),
    "max_bytes": (True, True, "bytes"),
    "delay": (False, False, "seconds"),
    "timeout": (False, True, "seconds"),
    "backoff": (False, False, "seconds"),
    "deadline": (False, True, "seconds"),
    "max_retry_after": (False, False, "seconds"),
    "max_documents": (True, True, ""),
}
MAX_FILE_BYTES = 1024 * 1024
MAX_NESTING = 20  # lists and mappings inside each other (a sources file needs 4)


class SourcesError(ValueError):
    """The sources file is missing, unreadable or wrong; the message says where."""


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    path: Path | None = None
    urls: tuple[str, ...] = ()
    follow: str | None = None
    documents: str | None = None
    max_depth: int = 2
    max_pages: int = 200
    allowed_hosts: tuple[str, ...] = ()
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_bytes: int = 100 * 1024 * 1024
    deadline: float = 60.0
    max_retry_after: float = 60.0
    max_documents: int = 2000

    @property
    def location(self) -> str:
        return str(self.path) if self.kind == "directory" else " ".join(self.urls)


def load_sources(path: Path | str | None = None) -> list[Source]:
    """Read and check a sources file; relative directory paths resolve against its folder."""
    path = Path(path or SAMPLE_SOURCES)
    document = _read_yaml(path)
    if isinstance(document, dict):
        for key in document:
            if key != "sources":
                raise SourcesError(
                    f"sources file {path}: unknown top-level key {str(key)!r}"
                    + _suggest(key, ("sources",))
                )
    entries = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"sources file {path}: expected a non-empty list under 'sources:'")
    sources: list[Source] = []
    for index, entry in enumerate(entries, start=1):
        source = _source(entry, f"sources file {path}, source {index}", path.parent)
        if any(s.name == source.name for s in sources):
            raise SourcesError(
                f"sources file {path}, source {index}: duplicate name {source.name!r}"
            )
        sources.append(source)
    return sources


def _read_yaml(path: Path):
    """The file's YAML document: UTF-8 text of at most MAX_FILE_BYTES, plain YAML (anchors,
    aliases, tags and deep nesting are refused before anything is built, so no alias bomb
    can grow and no "[[[[…" can keep the parser busy for hours)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise SourcesError(f"sources file {path} is too large (over {MAX_FILE_BYTES} bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourcesError(f"sources file {path} is not UTF-8 text (save it as UTF-8)") from None
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            depth += isinstance(event, yaml.CollectionStartEvent)
            depth -= isinstance(event, yaml.CollectionEndEvent)
            what = _refused(event)
            if depth > MAX_NESTING:
                what = f"lists and mappings nested more than {MAX_NESTING} deep"
            if what:
                line = event.start_mark.line + 1
                raise SourcesError(f"sources file {path}, line {line}: {what} are not allowed")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourcesError(f"sources file {path} is not valid YAML: {exc}") from None


def _refused(event) -> str | None:
    """What in a YAML event is refused: anchors and aliases (&a, *a), and tags (!!str)."""
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        return "YAML anchors and aliases (&name, *name)"
    if getattr(event, "tag", None):
        return "YAML tags (!name, !!type)"
    return None


def _source(entry, where: str, folder: Path) -> Source:
    """One entry of the list, checked; `where` names the file and the entry's position."""
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: expected a mapping")
    name, kind = entry.get("name"), entry.get("kind")
    label = f"{where} ({name})" if _is_text(name) and name != "" else where
    kind_keys = KIND_KEYS.get(kind) if isinstance(kind, str) else None
    expected = COMMON_KEYS + (kind_keys or ALL_KEYS[len(COMMON_KEYS) :])
    for key in entry:
        if key not in ALL_KEYS:
            raise SourcesError(f"{label}: unknown key {str(key)!r}" + _suggest(key, expected))
    missing = [k for k in ("name", "kind") if entry.get(k) is None or entry.get(k) == ""]
    if missing:
        raise SourcesError(f"{where}: missing {', '.join(missing)}")
    for key in ("name", *REGION_KEYS):
        if entry.get(key) is not None and not _is_text(entry[key]):
            raise SourcesError(f"{label}: {key}: expected text, got {_show(entry[key])}")
    if kind not in KINDS:
        raise SourcesError(f"{label}: kind must be one of {', '.join(KINDS)}, got {_show(kind)}")
    for other in KINDS:
        for key in KIND_KEYS[other]:
            if other != kind and key in entry:
                kind_source = "an http source" if kind == "http" else "a directory source"
                raise SourcesError(
                    f"{label}: key {key!r} belongs to {other} sources, not to {kind_source}"
                )
    common = {key: str(entry[key]) for key in COMMON_KEYS if entry.get(key) not in (None, "")}
    if kind == "directory":
        return Source(**common, path=_directory(entry.get("path"), label, folder))
    return Source(**common, **_http_options(entry, label))


def _directory(value, label: str, folder: Path) -> Path:
    if value is None or value == "":
        raise SourcesError(f"{label}: a directory source needs 'path'")
    if not isinstance(value, str):
        raise SourcesError(f"{label}: path: expected a folder (text), got {_show(value)}")
    directory = (folder / Path(value).expanduser()).resolve()
    if not directory.exists():
        raise SourcesError(f"{label}: path: directory not found: {directory}")
    if not directory.is_dir():
        raise SourcesError(f"{label}: path: not a directory: {directory}")
    return directory


def _http_options(entry: dict, label: str) -> dict:
    urls = _text_list(entry, "urls", label, "a URL or a list of URLs")
    if not urls:
        raise SourcesError(f"{label}: an http source needs 'urls'")
    for url in urls:
        parts = urlparse(url)
        if parts.scheme not in ("http", "https"):
            raise SourcesError(f"{label}: urls: {url!r} needs to start with http:// or https://")
        if not parts.hostname:
            raise SourcesError(f"{label}: urls: {url!r} has no host")
    options: dict = {"urls": tuple(urls)}
    for option in ("follow", "documents"):
        value = entry.get(option)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise SourcesError(
                f"{label}: {option}: expected a regular expression (text), got {_show(value)}"
            )
        try:
            re.compile(value)
        except re.error as exc:
            raise SourcesError(
                f"{label}: {option}: not a valid regular expression: {exc}"
            ) from None
        options[option] = value
    hosts = _text_list(entry, "allowed_hosts", label, "a host or a list of hosts")
    for host in hosts:
        if "/" in host:
            bare = urlparse(host if "//" in host else "//" + host).netloc
            raise SourcesError(
                f"{label}: allowed_hosts: {host!r} is not a host name (write {bare!r})"
            )
    if hosts:
        options["allowed_hosts"] = tuple(hosts)
    for option, (whole, positive, unit) in NUMBERS.items():
        value = entry.get(option)
        if value is None:
            continue
        number = isinstance(value, int if whole else (int, float)) and not isinstance(value, bool)
        infinite = isinstance(value, float) and not math.isfinite(value)
        if not number or infinite or value < 0 or (positive and value == 0):
            what = ("a whole number" if whole else "a number") + (f" of {unit}" if unit else "")
            bound = "> 0" if positive else ">= 0"
            raise SourcesError(f"{label}: {option}: expected {what} {bound}, got {_show(value)}")
        options[option] = value if whole else float(value)
    return options


def _text_list(entry: dict, key: str, label: str, what: str) -> list[str]:
    """A key that takes one text or a list of texts, as a list (empty when absent)."""
    value = entry.get(key)
    values = [value] if isinstance(value, str) else value
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise SourcesError(f"{label}: {key}: expected {what}, got {_show(value)}")
    return values


def _is_text(value) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _show(value) -> str:
    """A YAML value about as it was written: true, -1, "text", [1, 2]."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _suggest(key, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (expected one of: {', '.join(known)})"
