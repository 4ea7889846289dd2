"""Dutch text for money, dates, percentages and ages (Babel does the locale work)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "nl_NL"
CENT = Decimal("0.01")

UNIT_TEXT = {
    "per_maand": "per maand",
    "per_4_weken": "per 4 weken",
    "per_jaar": "per jaar",
    "per_uur": "per uur",
    "per_persoon": "per persoon",
}


def round_cents(amount: Decimal) -> Decimal:
    """Round to whole cents, halves away from zero, as the CAK shows amounts."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal | int | float, unit: str | None = None) -> str:
    """`€ 1.234,56` (plus `per maand` when a unit is given)."""
    text = format_currency(round_cents(Decimal(str(amount))), "EUR", locale=LOCALE)
    # Babel separates sign and number with a no-break space: fine in HTML and Slack.
    return f"{text} {UNIT_TEXT[unit]}" if unit else text


def percentage(value: Decimal | float) -> str:
    """`4%`, `12,5%`."""
    return f"{format_decimal(Decimal(str(value)).normalize(), locale=LOCALE)}%"


def age(years: int, months: int = 0) -> str:
    """`67 jaar` or `66 jaar en 4 maanden`."""
    if not months:
        return f"{years} jaar"
    return f"{years} jaar en {months} {'maand' if months == 1 else 'maanden'}"


def months_text(count: int) -> str:
    return f"{count} {'maand' if count == 1 else 'maanden'}"


def date_long(day: dt.date) -> str:
    """`1 maart 2026`."""
    return format_date(day, format="long", locale=LOCALE)


def month_year(day: dt.date) -> str:
    """`maart 2026`."""
    return format_date(day, format="MMMM y", locale=LOCALE)
