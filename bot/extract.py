"""Facts from free Dutch text: year, dates, money amounts, ages, gemeente.

These are the shared primitives; the calculation and the guidance build their own
fact extraction on them. Dates go through dateparser (Dutch month names, "1-3-2026",
"per 1 maart"); numbers through Babel's Dutch number parsing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal, InvalidOperation

import dateparser
from babel.numbers import NumberFormatError, parse_decimal

from bot.knowledge import Knowledge, normalize

YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20\d\d)(?!\d|[.,]\d)")
RELATIVE_YEAR = {
    "vorig jaar": -1,
    "afgelopen jaar": -1,
    "vorige jaar": -1,
    "dit jaar": 0,
    "huidige jaar": 0,
    "volgend jaar": 1,
    "komend jaar": 1,
    "volgende jaar": 1,
}
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
_MONTH_ALT = "|".join(MONTHS + [m[:3] for m in MONTHS])
# "1 maart 2026", "1 mrt", "01-03-2026", "1/3/2026", "2026-03-01"
DATE = re.compile(
    rf"\b(\d{{1,2}}\s+(?:{_MONTH_ALT})\.?(?:\s+\d{{4}})?|\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.IGNORECASE,
)
MONEY = re.compile(r"(?:€|eur(?:o)?)\s*(-?\d[\d.,]*)|(-?\d[\d.,]*)\s*(?:euro|eur|€)", re.IGNORECASE)


def today() -> dt.date:
    """The date 'now'. `BW_TODAY=2024-05-01` pins it (tests, demos)."""
    pinned = os.environ.get("BW_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def years(text: str) -> list[int]:
    """Years named in the text, in order ("in 2019", "vorig jaar")."""
    found = [int(y) for y in YEAR.findall(text)]
    low = normalize(text)
    for phrase, delta in RELATIVE_YEAR.items():
        if phrase in low:
            found.append(today().year + delta)
    return found


def year(text: str) -> int | None:
    """The first year named in the text, or None."""
    found = years(text)
    return found[0] if found else None


class BadDate(ValueError):
    """A date that does not exist (31 februari) or cannot be read."""


def dates(text: str, reference: dt.date | None = None) -> list[dt.date]:
    """Dates in the text. A date without a year takes the year of `reference` (today).

    Raises BadDate for a date-shaped phrase that is not a real date ("31 februari").
    """
    ref = reference or today()
    out = []
    for m in DATE.finditer(text):
        raw = m.group(1)
        settings = {
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": dt.datetime(ref.year, ref.month, ref.day),
            "PREFER_DATES_FROM": "current_period",
        }
        parsed = dateparser.parse(raw, languages=["nl"], settings=settings)  # type: ignore[arg-type]
        if parsed is None:
            raise BadDate(raw)
        out.append(parsed.date())
    return out


def amounts(text: str) -> list[Decimal]:
    """Money amounts written in Dutch ("€ 1.234,56", "25000 euro")."""
    out = []
    for m in MONEY.finditer(text):
        raw = (m.group(1) or m.group(2)).rstrip(".,")
        try:
            out.append(parse_decimal(raw, locale="nl_NL", strict=False))
        except (NumberFormatError, InvalidOperation):
            continue
    return out


def number(text: str) -> Decimal | None:
    """A plain Dutch number in an answer ("25.000", "1200,50", "€ 300"); None if none."""
    m = re.search(r"-?\d[\d.,]*", text)
    if not m:
        return None
    try:
        return parse_decimal(m.group(0).rstrip(".,"), locale="nl_NL", strict=False)
    except (NumberFormatError, InvalidOperation):
        return None


def gemeente(k: Knowledge, text: str) -> str | None:
    """The first known gemeente named in the text (by its official name)."""
    low = f" {normalize(text)} "
    best: tuple[int, str] | None = None
    for norm, naam in k.gemeentelijst.items():
        pos = low.find(f" {norm} ")
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, naam)
    return best[1] if best else None
