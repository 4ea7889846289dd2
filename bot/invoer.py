"""Messages the assistant cannot read as a question: empty, huge, no words at all."""

from __future__ import annotations

import re

MAX_TEKENS = 1500
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_TAG = re.compile(r"<[^>]{0,200}>")

LEEG = "leeg"
TE_LANG = "te_lang"
GEEN_WOORDEN = "geen_woorden"

ANTWOORDEN = {
    LEEG: (
        "Ik heb geen tekst ontvangen. Typ uw vraag over de eigen bijdrage, bijvoorbeeld: "
        '"Hoe hoog is de eigen bijdrage Wmo?"'
    ),
    TE_LANG: (
        "Uw bericht is erg lang ({tekens} tekens). Ik heb het bewaard, maar ik kan het beste helpen "
        "met één korte vraag tegelijk. Wat wilt u als eerste weten?"
    ),
    GEEN_WOORDEN: (
        "Ik zie geen vraag in uw bericht. Typ uw vraag in gewone woorden, bijvoorbeeld: "
        '"Wanneer krijg ik de eerste factuur?"'
    ),
}


def probleem(text: str | None) -> str | None:
    """Why a message cannot be read as a question, or None when it can."""
    if text is None or not text.strip():
        return LEEG
    if len(text) > MAX_TEKENS:
        return TE_LANG
    without_tags = _TAG.sub(" ", text)
    if len(_LETTER.findall(without_tags)) < 2:
        return GEEN_WOORDEN
    return None


def antwoord(text: str | None) -> str:
    reason = probleem(text) or GEEN_WOORDEN
    return ANTWOORDEN[reason].format(tekens=len(text or ""))
