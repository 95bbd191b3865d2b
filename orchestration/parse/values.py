"""Reading printed figures: money amounts, indicator target values and Chinese numerals.

Every function returns the parsed value beside the text it came from; nothing is guessed.
A value that does not fit the grammar keeps its text and a status saying why.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

WAN = Decimal(10000)

# Units as printed -> canonical unit. Money units are normalised to 元 separately.
UNIT_ALIASES = {
    "百分比": "%",
    "％": "%",
    "份数": "份",
    "人数": "人",
    "个数": "个",
    "次数": "次",
}
MONEY_UNITS = {"元": Decimal(1), "万元": WAN, "万": WAN}
CENT = Decimal("0.01")
COMPARATORS = {
    "≥": ">=",
    ">=": ">=",
    "＞=": ">=",
    "大于等于": ">=",
    "不低于": ">=",
    "≤": "<=",
    "<=": "<=",
    "＜=": "<=",
    "小于等于": "<=",
    "不超过": "<=",
    ">": ">",
    "＞": ">",
    "大于": ">",
    "<": "<",
    "＜": "<",
    "小于": "<",
    "=": "=",
    "＝": "=",
    "等于": "=",
}
_COMPARATOR_RE = "|".join(sorted((re.escape(c) for c in COMPARATORS), key=len, reverse=True))
_NUMBER_RE = r"\d+(?:,\d{3})*(?:\.\d+)?"
_TARGET_RE = re.compile(
    rf"^(?P<cmp>{_COMPARATOR_RE})?\s*(?P<num>{_NUMBER_RE})\s*(?P<unit>[^\d\s≥≤<>=]*)$"
)
# Searched patterns start a number only where it starts (not inside digits) and never give
# back digits or spaces, so a long run of either is scanned once, not once per position.
_NUMBER_START = r"(?<!\d)(?<!\d,)"
_DEADLINE_RE = re.compile(
    rf"{_NUMBER_START}\d++\s*+(?:月|日|年)\s*+(?:\d++\s*+日)?\s*+(?:底|前|份|末|内)|年底前|月底"
)
_MONEY_RE = re.compile(rf"(?P<num>-?{_NUMBER_START}{_NUMBER_RE})\s*+(?P<unit>万元|元)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def cn_number(text: str) -> int:
    """A Chinese numeral up to 99 ('五十二' -> 52, '十一' -> 11)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def to_decimal(text: str) -> Decimal | None:
    """A printed number ('1,234.50', '4002.38') as a Decimal, or None."""
    try:
        return Decimal(text.replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        return None


def money_yuan(number: str, unit: str) -> Decimal:
    """A printed amount in 元 or 万元, in 元 (exact, two decimals)."""
    value = to_decimal(number)
    if value is None:
        raise ValueError(f"not a number: {number!r}")
    return (value * MONEY_UNITS[unit]).quantize(CENT)


def find_money(text: str) -> tuple[str, Decimal] | None:
    """The first amount of money in `text`: (raw text, amount in 元)."""
    match = _MONEY_RE.search(text)
    if not match:
        return None
    return match.group(0), money_yuan(match.group("num"), match.group("unit"))


@dataclass(frozen=True)
class Target:
    """An indicator's target value (指标值) as printed and as parsed."""

    text: str
    comparator: str | None = None
    number: Decimal | None = None
    unit: str | None = None
    is_money: bool = False
    status: str = "parsed"
    note: str | None = None

    def as_record(self) -> dict:
        return asdict(self)


def parse_target(text: str, expects_number: bool = False) -> Target:
    """Parse an indicator target such as '≥3500 份数', '≤14 万元', '100%' or '有效建立'.

    Statuses: `parsed` (comparator? number unit), `text` (qualitative, no number),
    `deadline` (a date phrase such as '12 月 31 日前'), `malformed` (with a note: a unit
    without a number, a number mixed with free text, or text where `expects_number`).
    """
    raw = text
    text = " ".join(text.split())
    if not text:
        return Target(raw, status="malformed", note="empty target value")
    if _DEADLINE_RE.search(text):
        return Target(raw, status="deadline")
    match = _TARGET_RE.match(text)
    if match:
        unit = match.group("unit").strip()
        number = to_decimal(match.group("num"))
        comparator = COMPARATORS.get(match.group("cmp") or "")
        if unit in MONEY_UNITS:
            return Target(
                raw,
                comparator,
                number * MONEY_UNITS[unit],
                "元",
                is_money=True,
                note="bare 万 read as 万元" if unit == "万" else None,
            )
        remark = re.fullmatch(r"(.{0,3}?)\s*[（(](.+)[)）]", unit)
        if remark:  # '≥12 期（均不低于）': a unit with a printed remark
            unit = remark.group(1)
        if unit.startswith("万") and len(unit) > 1:  # '30万条': 万 multiplies a count
            unit = unit[1:]
            number = number * WAN
        if not re.fullmatch(r"[%％]|[^\W\d_]{1,3}", unit or "x"):
            return Target(raw, status="malformed", note="number followed by free text")
        return Target(
            raw,
            comparator,
            number,
            UNIT_ALIASES.get(unit, unit) or None,
            note=remark.group(2) if remark else None,
        )
    if not re.search(r"\d", text):
        if re.fullmatch(r"[%％]", text):
            return Target(raw, unit="%", status="malformed", note="unit without a number")
        if expects_number:
            return Target(raw, status="malformed", note="text where a number is expected")
        return Target(raw, status="text")
    return Target(raw, status="malformed", note="number mixed with free text")
