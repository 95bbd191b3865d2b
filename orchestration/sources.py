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
    delay: 1.0            # seconds between two requests to one host
    timeout: 30           # read timeout in seconds (connect: 10)
    retries: 3            # on connection errors, 429 and 5xx, with exponential backoff
    max_bytes: 104857600  # larger documents are refused while streaming
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".htm", ".html")
KINDS = ("directory", "http")
SAMPLE_SOURCES = Path(__file__).resolve().parent.parent / "sample" / "sources.yaml"


def _hosts(value) -> tuple[str, ...]:
    return tuple([value] if isinstance(value, str) else value)


HTTP_OPTIONS = {
    "follow": str,
    "documents": str,
    "max_depth": int,
    "max_pages": int,
    "allowed_hosts": _hosts,
    "delay": float,
    "timeout": float,
    "retries": int,
    "backoff": float,
    "max_bytes": int,
}


class SourcesError(ValueError):
    """The sources file is missing, unreadable or wrong; the message says where."""


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    province: str
    prefecture: str
    county: str
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
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def location(self) -> str:
        return str(self.path) if self.kind == "directory" else " ".join(self.urls)


def load_sources(path: Path | str | None = None) -> list[Source]:
    """Read and check a sources file; relative directory paths resolve against its folder."""
    path = Path(path or SAMPLE_SOURCES)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise SourcesError(f"sources file {path} is not valid YAML: {exc}") from exc
    entries = (document or {}).get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"sources file {path}: expected a non-empty list under 'sources:'")
    sources, names = [], set()
    for index, entry in enumerate(entries, start=1):
        where = f"sources file {path}, source {index}"
        if not isinstance(entry, dict):
            raise SourcesError(f"{where}: expected a mapping")
        missing = [
            k for k in ("name", "kind", "province", "prefecture", "county") if not entry.get(k)
        ]
        if missing:
            raise SourcesError(f"{where}: missing {', '.join(missing)}")
        name, kind = str(entry["name"]), entry["kind"]
        if name in names:
            raise SourcesError(f"{where}: duplicate name {name!r}")
        names.add(name)
        if kind not in KINDS:
            raise SourcesError(f"{where} ({name}): kind must be one of {', '.join(KINDS)}")
        known = {
            "name",
            "kind",
            "province",
            "prefecture",
            "county",
            "path",
            "urls",
            "follow",
            "max_depth",
        }
        common = dict(
            name=name,
            kind=kind,
            province=str(entry["province"]),
            prefecture=str(entry["prefecture"]),
            county=str(entry["county"]),
            extra={k: v for k, v in entry.items() if k not in known},
        )
        if kind == "directory":
            if not entry.get("path"):
                raise SourcesError(f"{where} ({name}): a directory source needs 'path'")
            sources.append(Source(**common, path=(path.parent / entry["path"]).resolve()))
        else:
            urls = entry.get("urls")
            if isinstance(urls, str):
                urls = [urls]
            if not urls:
                raise SourcesError(f"{where} ({name}): an http source needs 'urls'")
            for option in ("follow", "documents"):
                if entry.get(option):
                    try:
                        re.compile(entry[option])
                    except re.error as exc:
                        raise SourcesError(
                            f"{where} ({name}): {option!r} is not a regex: {exc}"
                        ) from exc
            options = {}
            for option, kind_of in HTTP_OPTIONS.items():
                if entry.get(option) is None:
                    continue
                try:
                    options[option] = kind_of(entry[option])
                except (TypeError, ValueError):
                    raise SourcesError(
                        f"{where} ({name}): {option!r} must be {kind_of.__name__}"
                    ) from None
            sources.append(Source(**common, urls=tuple(urls), **options))
    return sources
