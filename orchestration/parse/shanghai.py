"""What the Shanghai family's documents (template B: Putuo budgets and final accounts) share:
the numbered duties of 主要职能, the 国有资产 paragraph (vehicles and equipment held as of a
date, and planned for purchase), and the contents' entries and headings with the year and the
table each names. Used by `template_b` and `final_accounts`.
"""

from __future__ import annotations

import re

from orchestration.parse.catalog import kind_of_title
from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.statements import Text, count, plain
from orchestration.parse.values import cn_number

DUTY_RE = re.compile(r"^(?:(\d{1,2})\s*[、.．]|[（(]\s*([一二三四五六七八九十]+)\s*[）)])\s*(.*)$")

VEHICLE_KINDS = {
    "部级领导干部用车": "ministerial",
    "主要领导干部用车": "principal_leader",
    "机要通信用车": "confidential_comms",
    "应急保障用车": "emergency",
    "执法执勤用车": "law_enforcement",
    "特种专业技术用车": "special_technical",
    "离退休干部用车": "retired_cadre",
    "其他用车": "other",
}
VEHICLE_RE = re.compile(rf"({'|'.join(VEHICLE_KINDS)})\s*(\d+)\s*辆")
VEHICLES_HELD_RE = re.compile(r"共有车辆\s*(\d+)\s*辆")
VEHICLES_PLANNED_RE = re.compile(r"安排购置车辆\s*(\d+)\s*辆")
EQUIPMENT_RE = re.compile(
    r"单价\s*100\s*万元\s*[（(]含[)）]\s*以上设备\s*[（(]不含车辆[)）]\s*(\d+)\s*(?:台\s*[（(]套[)）])?"
)
# a heading's or contents entry's number: 一、 / 1. / 4． / （一）
HEADING_NUMBER_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]+[）)])"
)
HEADING_LEADER_RE = re.compile(r"[…⋯．.·—-]{2,}\d*$")  # a contents entry's dots and page number
HEADING_YEAR_RE = re.compile(r"(\d{4})\s*年")
AS_OF_RE = re.compile(r"截[至止]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def duties(out: Records, body: list[Line], unnumbered: bool = False) -> None:
    """Numbered duties (`1.`, `（一）`), each continued by the lines wrapped after it. With
    `unnumbered`, text before the first number is a duty of its own (a paragraph of duties)."""
    duty = None
    for line in body:
        text = plain(line)
        match = DUTY_RE.match(text)
        if match:
            arabic, chinese, rest = match.groups()
            duty = out.add(
                "duties",
                line,
                ordinal=out.count("duties") + 1,
                printed_number=int(arabic) if arabic else cn_number(chinese),
                printed_label=text[: match.start(3)].strip(),
                duty_text=rest.strip(),
            )
        elif duty is not None:
            duty["duty_text"] += text  # a duty wrapped onto the next line
        elif unnumbered and text:
            duty = out.add(
                "duties",
                line,
                ordinal=out.count("duties") + 1,
                printed_number=None,
                printed_label=None,
                duty_text=text,
            )


def state_assets(out: Records, text: Text) -> None:
    """Vehicles and equipment held (as of a date) and planned for purchase."""
    split = text.text.find("预算安排购置车辆")
    split = text.text.rfind("。", 0, split) + 1 if split >= 0 else len(text.text)
    as_of = AS_OF_RE.search(text.text, 0, split)
    date = "{}-{:0>2}-{:0>2}".format(*as_of.groups()) if as_of else None
    for prefix, start, end, total_re in (
        ("held", 0, split, VEHICLES_HELD_RE),
        ("planned", split, len(text.text), VEHICLES_PLANNED_RE),
    ):
        stamp = date if prefix == "held" else None
        match = total_re.search(text.text, start, end)
        if match:
            count(out, "state_assets", text, f"{prefix}_vehicles", match, "辆", as_of=stamp)
        for match in VEHICLE_RE.finditer(text.text, start, end):
            item = f"{prefix}_vehicles_{VEHICLE_KINDS[match.group(1)]}"
            count(out, "state_assets", text, item, match, "辆", as_of=stamp)
        match = EQUIPMENT_RE.search(text.text, start, end)
        if match:
            item = f"{prefix}_equipment_over_1m"
            count(out, "state_assets", text, item, match, "台（套）", as_of=stamp)


def headings(out: Records, entries: list[tuple[str, Line]], phase: str) -> None:
    """The contents' entries and the document's headings (`entries`: (contents or heading,
    line)) as printed, in print order: the table an entry names and the year a heading prints,
    for the checks (every listed table is present, every heading's year is the fiscal year). A
    heading naming neither a table nor a year is left out."""
    for kind, line in sorted(entries, key=lambda entry: entry[1].no):
        text = re.sub(r"\s+", "", line.text)
        title = HEADING_LEADER_RE.sub("", HEADING_NUMBER_RE.sub("", text))
        table = kind_of_title(title, phase) if len(title) <= 60 else None
        year = HEADING_YEAR_RE.search(text)
        if table is None and year is None and kind == "heading":
            continue
        out.add(
            "headings",
            line,
            ordinal=out.count("headings") + 1,
            kind=kind,
            text=text,
            year=int(year.group(1)) if year else None,
            table_kind=table.id if table else None,
        )
