"""Facts from Dutch text: years, dates, amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot import extract


@pytest.mark.parametrize(
    "text,years",
    [
        ("wat betaal ik in 2024?", [2024]),
        ("in 2024, wat betaal ik", [2024]),
        ("hoeveel was het in 2019.", [2019]),
        ("ik verdien 20.000 per jaar", []),
        ("bedrag 2019,50", []),
    ],
)
def test_years(text: str, years: list[int]):
    assert extract.years(text) == years


def test_relative_year(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BW_TODAY", "2026-11-23")
    assert extract.year("hoeveel was het vorig jaar") == 2025


def test_dates_in_dutch():
    ref = dt.date(2026, 1, 10)
    assert extract.dates("per 1 maart", ref) == [dt.date(2026, 3, 1)]
    assert extract.dates("stop op 28-02-2024", ref) == [dt.date(2024, 2, 28)]
    assert extract.dates("op 29 februari 2024", ref) == [dt.date(2024, 2, 29)]


@pytest.mark.parametrize("text", ["31 februari 2026", "30-02-2025", "29 februari 2025"])
def test_impossible_dates_are_refused(text: str):
    with pytest.raises(extract.BadDate):
        extract.dates(text)


def test_amounts():
    assert extract.amounts("inkomen € 24.000,50 en 300 euro spaargeld") == [Decimal("24000.50"), Decimal("300")]
