"""How printed names and figures vary: name variants of one project, money and target texts."""

from __future__ import annotations

import random
from decimal import Decimal

from orchestration.synth.catalog import ABBREVIATIONS, COST_TEXTS

CENT = Decimal("0.01")
WAN = Decimal(10000)


def wan(value: float, places: int = 2) -> Decimal:
    """An amount in 万元, rounded to `places` decimals, kept with two."""
    return Decimal(f"{value:.{places}f}").quantize(CENT)


def yuan(amount_wan: Decimal) -> str:
    """An amount in 万元 as exact 元 text, as the parser reports it: '140000.00'."""
    return str((amount_wan * WAN).quantize(CENT))


def plain(amount: Decimal) -> str:
    """A number as people print it: '14', '4.7', '247.73' (no trailing zeros)."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def name_variants(base: str, suffix: str, year: int) -> list[str]:
    """The ways a project named `base + suffix` is also printed: 经费/资金 swapped, the year
    inserted, punctuation or a space changed, an abbreviation, 项目 added or dropped."""
    name = base + suffix
    if "经费" in suffix:
        swapped = base + suffix.replace("经费", "资金")
    elif "资金" in suffix:
        swapped = base + suffix.replace("资金", "经费")
    else:
        swapped = name + "经费"
    if "、" in base:
        punctuated = name.replace("、", "")
    else:
        punctuated = f"{base} {suffix}" if suffix else name + "项目"
    variants = [swapped, f"{year}年{name}", punctuated, name[:-2] if name.endswith("项目") else ""]
    variants += [name.replace(long, short) for long, short in ABBREVIATIONS if long in name]
    if not name.endswith("项目"):
        variants.append(name + "项目")
    return [v for v in dict.fromkeys(variants) if v and v != name]


def cost_text(style: str, budget: Decimal, space: str, rng: random.Random) -> str:
    """A cost row's target value for a project budget in 万元, in a department's style."""
    number = plain(budget)
    if style == "le_wan":
        return f"≤{number}{space}万元"
    if style == "wan":
        return f"{number}{space}万元"
    if style == "le_yuan":
        return f"≤{int(budget * WAN)}{space}元"
    if style == "bare_wan":
        return f"{number}{space}万"
    return rng.choice(COST_TEXTS)


def cost_yuan(style: str, budget: Decimal) -> str | None:
    return None if style == "text" else yuan(budget)


PRIOR_YEAR_WORDS = ("与{prior}年相比", "比上年", "较{prior}年", "与上年相比")


def prior_words(year: int, key: str) -> str:
    """How a document names the prior year it compares with, fixed per document (`key`) and
    year without drawing from the document's random stream."""
    index = (year + sum(map(ord, key))) % len(PRIOR_YEAR_WORDS)
    return PRIOR_YEAR_WORDS[index].format(prior=year - 1)


def change_words(change: Decimal, rng: random.Random) -> str:
    """A stated change vs the prior year: '减少34.98万元', '增加1.20万元' or '持平'."""
    if change == 0:
        return "持平"
    word = rng.choice(["减少", "下降"] if change < 0 else ["增加", "增长"])
    return f"{word}{abs(change):.2f}万元"
