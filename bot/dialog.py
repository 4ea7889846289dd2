"""Conversation decisions that are rules, not Rasa plumbing: audience, year, clarification."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from bot import extract
from bot.knowledge import Knowledge, normalize
from bot.render import BURGER, MEDEWERKER

# Channels used by gemeente staff; everything else (web widget, REST) is a citizen.
STAFF_CHANNELS = ("slack", "botframework")
OUT_OF_SCOPE = "buiten_bereik"
FALLBACK = "nlu_fallback"


def doelgroep(channel: str | None, metadata: dict[str, Any] | None = None) -> str:
    """Citizen or staff: explicit metadata wins (a desk deployment), else the channel decides."""
    asked = (metadata or {}).get("doelgroep")
    if asked in (BURGER, MEDEWERKER):
        return str(asked)
    return MEDEWERKER if channel in STAFF_CHANNELS else BURGER


def jaar(text: str | None, remembered: float | int | None) -> int:
    """An explicit year in the message wins; a button click keeps the year asked before; else this year."""
    text = text or ""
    found = extract.year(text)
    if found:
        return found
    if text.startswith("/") and remembered:
        return int(remembered)
    return extract.today().year


def gemeente(k: Knowledge, text: str | None, remembered: str | None, page: str | None = None) -> str | None:
    """Gemeente named in the message, else the one from earlier, else the web page's (widget
    config), else the deployment's (BW_GEMEENTE)."""
    if page and normalize(page) not in k.gemeentelijst:
        page = None  # a page can only pin a real gemeente
    elif page:
        page = k.gemeentelijst[normalize(page)]
    return extract.gemeente(k, text or "") or remembered or page or os.environ.get("BW_GEMEENTE") or None


@dataclass
class Verduidelijking:
    tekst: str
    knoppen: list[dict[str, str]] = field(default_factory=list)


def verduidelijking(k: Knowledge, ranking: list[dict[str, Any]]) -> Verduidelijking:
    """Ask which of the two best guesses was meant; never answer a guess as fact."""
    guesses = []
    for item in ranking:
        name = item.get("name") or ""
        t = k.onderwerp_by_intent(name)
        if t is not None:
            guesses.append((name, t.titel))
        if len(guesses) == 2:
            break
    if not guesses:
        return niet_gevonden(k)
    knoppen = [{"title": titel, "payload": f"/{intent}"} for intent, titel in guesses]
    knoppen.append({"title": "Iets anders", "payload": "/buiten_bereik"})
    return Verduidelijking("Ik weet niet zeker wat u bedoelt. Bedoelt u een van deze vragen?", knoppen)


def niet_gevonden(k: Knowledge) -> Verduidelijking:
    """Honest 'I don't know', with where to go."""
    cak = k.contact["cak_klanten"]
    return Verduidelijking(
        "Dat weet ik niet. Ik beantwoord alleen vragen over de eigen bijdrage voor de Wmo, beschermd wonen "
        f"en de Wlz, in het Nederlands. Voor andere vragen kunt u terecht bij het CAK ({cak.telefoon}, gratis) "
        "of bij uw gemeente. Wilt u een medewerker spreken?",
        [{"title": "Praat met een medewerker", "payload": "/vraag_medewerker"}],
    )
