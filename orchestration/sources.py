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
    follow: "https://www\\.shpt\\.gov\\.cn/.*"
    max_depth: 2
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
    max_depth: int = 2
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
            follow = entry.get("follow")
            if follow:
                try:
                    re.compile(follow)
                except re.error as exc:
                    raise SourcesError(f"{where} ({name}): 'follow' is not a regex: {exc}") from exc
            sources.append(
                Source(
                    **common,
                    urls=tuple(urls),
                    follow=follow,
                    max_depth=int(entry.get("max_depth", 2)),
                )
            )
    return sources
