"""BSNs (11-proef) and IBANs are masked; other numbers are left alone."""

from __future__ import annotations

import pytest
from stdnum.nl import bsn

from bot import invoer, privacy

VALID_BSN = "111222333"  # passes the 11-proef; a well-known test number
assert bsn.is_valid(VALID_BSN)


@pytest.mark.parametrize(
    "text",
    [
        f"mijn bsn is {VALID_BSN}",
        "bsn 1112.22.333 graag",
        "BSN: 111 222 333.",
        "mijn bsn is 111222333, klopt de factuur?",
        "rekening NL91ABNA0417164300",
        "iban NL91 ABNA 0417 1643 00 klopt dat?",
    ],
)
def test_numbers_are_masked(text: str):
    result = privacy.mask(text)
    assert result.iets_gemaskeerd
    digits = "".join(c for c in result.tekst if c.isdigit())
    assert VALID_BSN not in digits and "0417164300" not in digits


@pytest.mark.parametrize(
    "text",
    [
        "ik betaal 123456789 euro",  # fails the 11-proef
        "in 2024 betaal ik € 20,60",
        "factuurnummer 2024-000123",
        "bel 0800 1925",
    ],
)
def test_other_numbers_stay(text: str):
    assert privacy.mask(text).tekst == text


def test_warning_names_what_was_removed():
    assert "burgerservicenummer" in privacy.waarschuwing(["bsn"])
    assert "IBAN" in privacy.waarschuwing(["iban"])


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", invoer.LEEG),
        ("   ", invoer.LEEG),
        ("x" * 10_000, invoer.TE_LANG),
        ("😀😀😀", invoer.GEEN_WOORDEN),
        ("???", invoer.GEEN_WOORDEN),
        ("<b></b>", invoer.GEEN_WOORDEN),
        ("wat kost de wmo", None),
    ],
)
def test_unreadable_input(text: str, reason: str | None):
    assert invoer.probleem(text) == reason
    if reason:
        assert invoer.antwoord(text)
