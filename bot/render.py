"""Render FAQ answers for a year, an audience and a gemeente, with their sources.

Templates name figures (`{abonnementstarief}`); the value comes from the yearly
table. A figure that is unknown for the year is never replaced by another year's
value: the answer says honestly that we do not know and where to go instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import formatting
from bot.extract import today
from bot.knowledge import PLACEHOLDER, Bron, CijferWaarde, Knowledge, Leeftijd

BURGER = "burger"
MEDEWERKER = "medewerker"
DOELGROEPEN = (BURGER, MEDEWERKER)
MAX_BRONNEN = 3


@dataclass
class Antwoord:
    onderwerp: str
    jaar: int
    tekst: str
    bronnen: list[Bron] = field(default_factory=list)
    notities: list[str] = field(default_factory=list)
    onbekend: bool = False  # a figure the answer needs is not known for this year

    def markdown(self) -> str:
        """The chat text: answer, notes, then a short source line (Markdown links)."""
        parts = [self.tekst.strip()]
        parts += [f"_{n}_" for n in self.notities]
        if self.bronnen:
            shown = self.bronnen[:MAX_BRONNEN]
            links = "; ".join(f"[{b.titel}]({b.url})" if b.url else b.titel for b in shown)
            parts.append(f"Bron: {links}")
        return "\n\n".join(parts)


def format_value(cv: CijferWaarde) -> str:
    """A known figure as Dutch text: `€ 21,80 per maand`, `4%`, `67 jaar`, `4 maanden`."""
    if cv.soort == "bedrag":
        return formatting.money(cv.waarde, cv.eenheid)  # type: ignore[arg-type]
    if cv.soort == "percentage":
        return formatting.percentage(cv.waarde)  # type: ignore[arg-type]
    if cv.soort == "leeftijd":
        assert isinstance(cv.waarde, Leeftijd)
        return formatting.age(cv.waarde.jaren, cv.waarde.maanden)
    return formatting.months_text(int(cv.waarde))  # type: ignore[arg-type]


def _table(k: Knowledge, key: str) -> str:
    lines = []
    for y in k.cijfers[key].jaren():
        cv = k.cijfer(key, y)
        if cv.bekend:
            extra = " (gepland, nog geen wet)" if cv.status == "gepland" else ""
            extra += " (afgeleid, niet officieel bevestigd)" if cv.status == "afgeleid" else ""
            lines.append(f"- {y}: {format_value(cv)}{extra}")
        elif cv.status == "niet_van_toepassing":
            lines.append(f"- {y}: bestond nog niet")
        else:
            lines.append(f"- {y}: niet bekend")
    return "\n" + "\n".join(lines) + "\n"


class _Renderer:
    def __init__(self, k: Knowledge, jaar: int, gemeente_naam: str | None):
        self.k = k
        self.jaar = jaar
        self.gemeente = k.gemeente(gemeente_naam)
        self.gemeente_naam = self.gemeente.naam if self.gemeente else gemeente_naam
        self.used: list[CijferWaarde] = []
        self.missing: list[CijferWaarde] = []
        self.table_keys: list[str] = []

    def year_for(self, mod: str | None) -> int:
        if mod is None:
            return self.jaar
        if mod == "vorig_jaar":
            return self.jaar - 1
        if mod == "volgend_jaar":
            return self.jaar + 1
        return int(mod)

    def fill(self, text: str) -> str:
        return PLACEHOLDER.sub(self._at_sentence_start, text)

    def _at_sentence_start(self, m) -> str:  # type: ignore[no-untyped-def]
        """A value that opens a sentence starts with a capital ("Uw gemeente geeft ...")."""
        value = self._one(m)
        before = m.string[: m.start()].rstrip(" ")
        return value[:1].upper() + value[1:] if not before or before[-1] in ".?!\n" else value

    def _one(self, m) -> str:  # type: ignore[no-untyped-def]
        name, mod = m.group(1), m.group(2)
        if name == "jaar":
            return str(self.jaar)
        if name == "gemeente":
            return self.gemeente_naam or "uw gemeente"
        if name == "gemeente.telefoon":
            if self.gemeente and self.gemeente.telefoon:
                return self.gemeente.telefoon
            return "het telefoonnummer op de website van uw gemeente"
        if name.startswith(("telefoon.", "email.")):
            kind, _, cid = name.partition(".")
            return str(getattr(self.k.contact[cid], kind))
        if mod == "tabel":
            self.table_keys.append(name)
            return _table(self.k, name)
        cv = self.k.cijfer(name, self.year_for(mod))
        if not cv.bekend:
            self.missing.append(cv)
            return "(niet bekend)"
        self.used.append(cv)
        text = format_value(cv)
        return f"{text} (gepland, nog geen wet)" if cv.status == "gepland" else text


def render(
    k: Knowledge,
    onderwerp_id: str,
    jaar: int | None = None,
    doelgroep: str = BURGER,
    gemeente: str | None = None,
) -> Antwoord:
    """The answer to a FAQ topic for a year (default: this year), audience and gemeente."""
    t = k.onderwerpen[onderwerp_id]
    year = jaar or today().year
    r = _Renderer(k, year, gemeente)
    template = t.antwoord_medewerker if doelgroep == MEDEWERKER and t.antwoord_medewerker else t.antwoord
    bron_ids: list[str] = list(t.bronnen)

    lokaal = r.gemeente.antwoorden.get(onderwerp_id) if r.gemeente else None
    if lokaal and lokaal.vervangt:
        template, bron_ids = lokaal.antwoord, list(lokaal.bronnen)
    tekst = r.fill(template)
    if lokaal and not lokaal.vervangt:
        tekst = f"{tekst}\n\n{r.fill(lokaal.antwoord)}"
        bron_ids = list(lokaal.bronnen) + bron_ids

    antwoord = Antwoord(onderwerp_id, year, tekst)
    figure_ids: list[str] = []
    if r.missing:
        antwoord = _unknown_answer(k, t.titel, year, r.missing, r.used)
        antwoord.onderwerp = onderwerp_id
        bron_ids = [b for cv in r.used for b in cv.bronnen]
        bron_ids += [b for cv in r.missing for b in cv.bronnen if b in k.bronnen] + ["cak-rekenhulp"]
    else:
        for cv in r.used:
            if cv.status == "afgeleid":
                antwoord.notities.append(
                    f"Let op: de {k.cijfers[cv.sleutel].omschrijving} voor {cv.jaar} is afgeleid, "
                    "niet officieel bevestigd."
                )
            elif cv.toelichting and t.jaargebonden and cv.toelichting not in antwoord.notities:
                antwoord.notities.append(cv.toelichting)
            figure_ids += list(cv.bronnen)
    # A year-bound answer shows first where that year's figure comes from.
    bron_ids = figure_ids + bron_ids if t.jaargebonden else bron_ids + figure_ids
    antwoord.bronnen = _unique_bronnen(k, bron_ids)
    return antwoord


def _unknown_answer(
    k: Knowledge, titel: str, jaar: int, missing: list[CijferWaarde], known: list[CijferWaarde]
) -> Antwoord:
    """Honest answer when a figure is not known for the year: say so, and where to go."""
    seen: set[str] = set()
    reasons = []
    for cv in missing:
        if cv.sleutel in seen:
            continue
        seen.add(cv.sleutel)
        omschrijving = k.cijfers[cv.sleutel].omschrijving
        if cv.status == "niet_van_toepassing" and cv.toelichting:
            reasons.append(cv.toelichting)
        elif cv.toelichting:
            reasons.append(f"De {omschrijving} voor {cv.jaar} is bij ons niet bekend. {cv.toelichting}")
        else:
            reasons.append(f"De {omschrijving} voor {cv.jaar} is bij ons niet bekend.")
    # What is known for that year is still worth saying, each figure named with its year.
    for cv in known:
        if cv.sleutel not in seen:
            seen.add(cv.sleutel)
            reasons.append(f"Wel bekend voor {cv.jaar}: {k.cijfers[cv.sleutel].omschrijving}: {format_value(cv)}.")
    rekenhulp = k.bronnen["cak-rekenhulp"]
    tekst = (
        f"{titel.rstrip('?')} in {jaar}: dat kan ik niet met zekerheid zeggen.\n\n"
        + "\n".join(reasons)
        + f"\n\nBereken uw eigen bijdrage met de [rekenhulp van het CAK]({rekenhulp.url}) "
        f"of bel het CAK gratis: {k.contact['cak_klanten'].telefoon}."
    )
    return Antwoord("", jaar, tekst, onbekend=True)


def _unique_bronnen(k: Knowledge, ids: list[str]) -> list[Bron]:
    out: list[Bron] = []
    for i in ids:
        b = k.bronnen.get(i)
        if b and b not in out:
            out.append(b)
    return out
