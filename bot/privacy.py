"""Mask BSNs and IBANs before a message is stored, logged or put in a ticket.

A nine-digit number counts as a BSN only when it passes the 11-proef (python-stdnum),
so amounts and dates are left alone; IBANs are checked with their own checksum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stdnum import iban
from stdnum.nl import bsn

# 9 digits, optionally grouped with dots or spaces: 123456782, 1234.56.782, 123 456 782
_BSN_SHAPE = re.compile(r"(?<![\d.,])(\d{4}[.\s]?\d{2}[.\s]?\d{3}|\d{3}[.\s]\d{3}[.\s]\d{3})(?!\d|[.,]\d)")
# 2 letters, 2 check digits, then 10-30 letters/digits, optionally in groups of 4
_IBAN_SHAPE = re.compile(r"\b[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]{4}){2,7}(?:\s?[A-Za-z0-9]{1,4})?\b")

BSN_MASK = "[BSN verwijderd]"
IBAN_MASK = "[IBAN verwijderd]"


@dataclass
class Gemaskeerd:
    tekst: str
    soorten: list[str] = field(default_factory=list)  # "bsn", "iban"

    @property
    def iets_gemaskeerd(self) -> bool:
        return bool(self.soorten)


def mask(text: str | None) -> Gemaskeerd:
    """The text with every valid BSN and IBAN replaced by a placeholder."""
    if not text:
        return Gemaskeerd(text or "")
    found: list[str] = []

    def _iban(m: re.Match[str]) -> str:
        if iban.is_valid(m.group(0)):
            found.append("iban")
            return IBAN_MASK
        return m.group(0)

    def _bsn(m: re.Match[str]) -> str:
        if bsn.is_valid(re.sub(r"[.\s]", "", m.group(1))):
            found.append("bsn")
            return BSN_MASK
        return m.group(0)

    masked = _BSN_SHAPE.sub(_bsn, _IBAN_SHAPE.sub(_iban, text))
    return Gemaskeerd(masked, sorted(set(found)))


def waarschuwing(soorten: list[str]) -> str:
    """The Dutch notice for the user after masking."""
    wat = " en ".join({"bsn": "burgerservicenummer", "iban": "IBAN"}[s] for s in soorten)
    return (
        f"Ik heb uw {wat} uit het gesprek verwijderd en niet bewaard. "
        "Deel zulke nummers hier liever niet: ik heb ze niet nodig om uw vraag te beantwoorden."
    )
