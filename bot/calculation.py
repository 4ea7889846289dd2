"""Eigen bijdrage berekenen: Wmo abonnementstarief, lage en hoge eigen bijdrage, LEB/HEB-tijdlijn.

Pure Python, zonder Rasa. Elk bedrag, percentage, aantal maanden en elke AOW-leeftijd komt uit
`knowledge/cijfers.yml` (via `Knowledge.cijfer`); deze module bevat alleen de regels. Elke functie
geeft een `Resultaat`: bedrag (of None als het niet bekend is), eenheid, status, uitlegstappen in
gewoon Nederlands, de gebruikte cijfers (met bronnen en status) en wat er ontbreekt.
Bronnen van de regels: `/work/shared/domain/reference.md` §1 (abonnementstarief) en §3 (LEB/HEB).

Publieke functies
-----------------
- `abonnementstarief(k, jaar, huishouden=None, *, peildatum, kosten, gemeentelijk_tarief,
  minimabeleid_vrijgesteld, voorziening)`
- `kostprijs_schema(k, kostprijs, start, *, gemeentelijk_tarief)`
- `bijdrageplichtig_inkomen(k, verzamelinkomen_t2, grondslag_sparen_beleggen_t2, jaar, *, ...)`
- `lage_eigen_bijdrage(k, verzamelinkomen_t2, grondslag_sparen_beleggen_t2, jaar, *, ...)`
- `hoge_eigen_bijdrage(k, jaar)`
- `verblijf_tijdlijn(k, start, eind=None, *, partner_thuis, kind_onder_27, terugkeer_zelfstandig_wonen,
  partner_ook_opgenomen)`
- `extract_feiten(text, today=None) -> dict`
- `bereken_json(data) -> dict` (het contract van `python -m bot bereken`)

Foute invoer geeft `InvoerFout` (een ValueError) met een Nederlandse melding.

Keuzes waar de bronnen zwijgen (in de uitleg gemarkeerd als *afgeleid*)
-------------------------------------------------------------------
- AOW-wissel binnen een jaar: een maand (2019: een periode van 4 weken) telt voor het
  abonnementstarief als beide partners op de eerste dag ervan de AOW-leeftijd hebben.
- Geboren op 29 februari: in een gewoon jaar jarig op 28 februari. Bij maanden maakt dat voor de
  uitkomst geen verschil (28 februari en 1 maart liggen in dezelfde telling).
- Perioden 2019: 13 perioden van 4 weken vanaf de maandag van ISO-week 1 (31 december 2018, zoals
  het CAK schrijft).
- 18 jaar worden binnen het jaar: dezelfde maandregel als bij de AOW-leeftijd.
- Huishouden van meer personen zonder partner: de ruimere lezing van Rijksoverheid (jonger dan de
  AOW-leeftijd en met minstens één ander een huishouden → € 0).
- Kostprijsgrens: de eerste betaalde maand is de opgegeven startmaand.
- LEB-periode: het aantal maanden hangt af van het jaar waarin het verblijf begint; de maanden
  tellen vanaf de begindatum op de dag af (15 maart + 4 maanden → lage bijdrage t/m 14 juli).
  Terugkeer naar zelfstandig wonen: het aantal maanden van het jaar waarin het verblijf eindigt.
- Vermogen in plaats van grondslag: grondslag = vermogen min heffingsvrij vermogen van het peiljaar.
- Korting niet-pensioengerechtigde leeftijd: per persoon (cliënt, partner) jonger dan de AOW-leeftijd,
  afgetrokken van het bijdrageplichtig inkomen (zoals het oude CAK-portaal schrijft); een leeftijd in
  hele jaren wordt getoetst op 1 januari van het jaar. Een bijdrageplichtig inkomen onder nul telt als 0.
- LEB met één onbekende grens: ligt de formule boven het bekende maximum (of onder het bekende minimum),
  dan beslist die grens alleen; anders is het bedrag onbekend.
- Partners die allebei in een instelling wonen: het inkomen van beiden hoort in `verzamelinkomen`.
- Zonder opgegeven huishouden: het maximum, met de uitleg dat een partner onder de AOW-leeftijd € 0 geeft.

JSON-contract (`bereken_json`, `python -m bot bereken`)
-------------------------------------------------------
Invoer: een object met `soort` en de velden van die soort. Bedragen als getal of als Nederlandse
tekst ("24.000", "1.234,56"); datums als "2025-03-15" of "15 maart 2025"; ja/nee als true/false.
Een onbekend veld geeft een fout (zo valt een tikfout op).

soort "abonnementstarief":
    jaar (verplicht, of af te leiden uit peildatum), huishouden ("alleen" | "partner" | "anders"),
    leeftijd | geboortedatum | geboortejaar (cliënt), partner_leeftijd | partner_geboortedatum |
    partner_geboortejaar, peildatum (één maand beoordelen), kosten (getal of lijst: kosten van de
    ondersteuning per maand/periode, alle gebruikers in het huishouden samen), gemeentelijk_tarief,
    minimabeleid_vrijgesteld, client_wlz_of_bw, partner_wlz_of_bw, partner_uitzondering
    (ongehuwden-AOW of scheiding van tafel en bed), voorziening ("woningaanpassing" | "hulpmiddel" |
    ...). Een leeftijd is de leeftijd vandaag (`extract.today()`, vast te zetten met BW_TODAY).
soort "kostprijs":
    kostprijs, start (eerste maand waarin wordt betaald), gemeentelijk_tarief.
soort "bijdrageplichtig_inkomen" | "lage_eigen_bijdrage":
    jaar, verzamelinkomen (of: inkomen) van jaar-2 (met partner: samen), grondslag_sparen_beleggen
    of vermogen (of: spaargeld) van jaar-2, met_partner, onder_aow_leeftijd,
    partner_onder_aow_leeftijd (of leeftijd / partner_leeftijd, dan wordt het afgeleid).
soort "hoge_eigen_bijdrage":
    jaar.
soort "tijdlijn":
    start, eind, partner_thuis, kind_onder_27, terugkeer_zelfstandig_wonen, partner_ook_opgenomen.

Uitvoer:
    {"bedrag": "20.60" | null, "bedrag_tekst": "€ 20,60 per maand" | null, "eenheid": ... | null,
     "status": "bevestigd" | "afgeleid" | "onbekend" | "niet_van_toepassing" | "gepland",
     "stappen": ["...", ...], "cijfers": [{"sleutel", "jaar", "waarde", "status", "bronnen": [...]}],
     "ontbreekt": ["...", ...], "termijnen": [{"van", "tot", "soort", "bedrag"}], "tekst": "..."}
    of bij foute invoer: {"fout": "<Nederlandse melding>"}.
    Een stap die op eigen redenering berust, eindigt op "(afgeleid, niet officieel)".
    kostprijs: bedrag = het totaal dat u betaalt (eenheid null), termijnen = de betalingen per maand.
    tijdlijn: bedrag null (het gaat om de soort bijdrage), termijnen met soort "LEB" of "HEB".
    abonnementstarief: termijnen = de maanden (2019: perioden) van het jaar, of alleen die van de peildatum.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot import extract
from bot.formatting import age, date_long, money, month_year, months_text, percentage, round_cents
from bot.knowledge import CijferWaarde, Knowledge, Leeftijd, load_cached

# The years this assistant answers about at all; figures inside come from the table.
JAAR_MIN, JAAR_MAX = 2013, 2030
LEEFTIJD_MAX = 130
# Meerderjarig (BW 1:233): clients of 18 and over pay the AT (Rijksoverheid; CAK handleiding AT).
MEERDERJARIG = 18

BEVESTIGD, AFGELEID, ONBEKEND, NVT, GEPLAND = "bevestigd", "afgeleid", "onbekend", "niet_van_toepassing", "gepland"
HUISHOUDENS = ("alleen", "partner", "anders")
LEB, HEB = "LEB", "HEB"
_SOORT_TEKST = {LEB: "lage eigen bijdrage", HEB: "hoge eigen bijdrage"}
_NUL = Decimal(0)


class InvoerFout(ValueError):
    """Input that cannot be used; the message is Dutch and meant for the user."""


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class Stap:
    """One explanation step: plain Dutch, the figures it names, the sources of its rule."""

    tekst: str
    cijfers: tuple[str, ...] = ()
    bronnen: tuple[str, ...] = ()
    afgeleid: bool = False

    def __str__(self) -> str:
        return f"{self.tekst} (afgeleid, niet officieel)" if self.afgeleid else self.tekst


@dataclass(frozen=True)
class Termijn:
    """One month, 4-week period or part of one in a schedule."""

    van: dt.date
    tot: dt.date
    soort: str
    bedrag: Decimal | None = None


@dataclass
class Resultaat:
    """The outcome of one calculation, with everything needed to explain and source it."""

    onderwerp: str
    bedrag: Decimal | None
    eenheid: str | None
    status: str
    stappen: list[Stap] = field(default_factory=list)
    cijfers: list[CijferWaarde] = field(default_factory=list)
    ontbreekt: list[str] = field(default_factory=list)
    termijnen: list[Termijn] = field(default_factory=list)

    @property
    def bedrag_tekst(self) -> str | None:
        if self.bedrag is None:
            return None
        return money(round_cents(self.bedrag), self.eenheid if self.eenheid else None)

    def bron_ids(self) -> list[str]:
        """Sources of the figures used, then of the rules, each once."""
        ids: list[str] = []
        for cw in self.cijfers:
            ids.extend(cw.bronnen)
        for stap in self.stappen:
            ids.extend(stap.bronnen)
        return list(dict.fromkeys(ids))

    def schema_regels(self) -> list[str]:
        """The schedule in lines, consecutive rows of the same kind and amount taken together.

        Empty for a plain year of the abonnementstarief (every period the same)."""
        groepen: list[list[Termijn]] = []
        for t in self.termijnen:
            if groepen and (groepen[-1][-1].soort, groepen[-1][-1].bedrag) == (t.soort, t.bedrag):
                groepen[-1].append(t)
            else:
                groepen.append([t])
        if len(groepen) <= 1 and self.eenheid is not None and not any(t.soort in _SOORT_TEKST for t in self.termijnen):
            return []
        regels = []
        for groep in groepen:
            eerste = groep[0]
            if eerste.soort in _SOORT_TEKST:
                wat = _SOORT_TEKST[eerste.soort]
            elif eerste.bedrag is None:
                wat = "niet bekend"
            else:
                wat = money(eerste.bedrag) + (f" per keer ({len(groep)} keer)" if len(groep) > 1 else "")
            regels.append(f"{date_long(eerste.van)} tot en met {date_long(groep[-1].tot)}: {wat}")
        return regels

    def tekst(self, k: Knowledge | None = None) -> str:
        """A chat-ready Dutch explanation, ending with the sources."""
        k = k or load_cached()
        if self.status == GEPLAND:
            kop = f"{self.onderwerp}: gepland, nog geen wet."
        elif self.status == NVT:
            kop = f"{self.onderwerp}: niet van toepassing."
        elif self.bedrag is None and self.status == ONBEKEND:
            kop = f"{self.onderwerp}: dit kan ik niet met zekerheid uitrekenen."
        elif self.bedrag is None:
            kop = f"{self.onderwerp}:"
        elif self.status == AFGELEID:
            kop = f"{self.onderwerp}: {self.bedrag_tekst} (afgeleid, niet officieel)."
        else:
            kop = f"{self.onderwerp}: {self.bedrag_tekst}."
        regels = [kop, ""]
        regels += [f"- {stap}" for stap in self.stappen]
        schema = self.schema_regels()
        if schema:
            regels += ["", "Overzicht:"] + [f"- {regel}" for regel in schema]
        if self.ontbreekt:
            regels += ["", "Wat ontbreekt: " + "; ".join(self.ontbreekt) + "."]
        ids = [i for i in self.bron_ids() if i in k.bronnen]
        if ids:
            regels += ["", "Bronnen:"] + [f"- {k.bronnen[i].kort()}" for i in ids]
        return "\n".join(regels)


class _Bouw:
    """Collects steps, figures and missing facts while a calculation runs."""

    def __init__(self, k: Knowledge, onderwerp: str):
        self.k = k
        self.onderwerp = onderwerp
        self.stappen: list[Stap] = []
        self.cijfers: list[CijferWaarde] = []
        self.ontbreekt: list[str] = []
        self.termijnen: list[Termijn] = []
        self.afgeleid = False

    def cijfer(self, sleutel: str, jaar: int) -> CijferWaarde:
        cw = self.k.cijfer(sleutel, jaar)
        if all((c.sleutel, c.jaar) != (cw.sleutel, cw.jaar) for c in self.cijfers):
            self.cijfers.append(cw)
        if cw.bekend and cw.status == AFGELEID:
            self.afgeleid = True
        return cw

    def stap(self, tekst: str, *cijfers: str, bronnen: Sequence[str] = (), afgeleid: bool = False) -> None:
        self.stappen.append(Stap(tekst, tuple(cijfers), tuple(bronnen), afgeleid))
        self.afgeleid = self.afgeleid or afgeleid

    def mist(self, wat: str) -> None:
        if wat not in self.ontbreekt:
            self.ontbreekt.append(wat)

    def klaar(self, bedrag: Decimal | None, eenheid: str | None, status: str | None = None) -> Resultaat:
        if status is None:
            zeker = AFGELEID if self.afgeleid else BEVESTIGD
            status = ONBEKEND if bedrag is None or self.ontbreekt else zeker
        if status == ONBEKEND:
            bedrag = None
        return Resultaat(
            self.onderwerp,
            round_cents(bedrag) if bedrag is not None else None,
            eenheid,
            status,
            self.stappen,
            self.cijfers,
            self.ontbreekt,
            self.termijnen,
        )


# --------------------------------------------------------------------------- validation


def _jaar(jaar: Any) -> int:
    if isinstance(jaar, bool) or not isinstance(jaar, int):
        raise InvoerFout(f"Het jaar moet een jaartal zijn, zoals 2025 (niet '{jaar}').")
    if not JAAR_MIN <= jaar <= JAAR_MAX:
        raise InvoerFout(f"Het jaar {jaar} valt buiten de jaren die ik ken ({JAAR_MIN} tot en met {JAAR_MAX}).")
    return jaar


def _bedrag(waarde: Any, naam: str) -> Decimal:
    """A non-negative amount (Decimal, int, float or Dutch text such as '24.000' or '€ 1.234,56')."""
    if isinstance(waarde, bool):
        raise InvoerFout(f"Bij '{naam}' verwacht ik een bedrag, niet '{waarde}'.")
    if isinstance(waarde, Decimal):
        getal = waarde
    elif isinstance(waarde, (int, float)):
        getal = Decimal(str(waarde))
    elif isinstance(waarde, str) and re.fullmatch(r"\s*(?:€\s*)?-?\d[\d.,]*\s*(?:euro)?\s*", waarde, re.IGNORECASE):
        parsed = extract.number(waarde)
        if parsed is None:
            raise InvoerFout(f"Bij '{naam}' verwacht ik een bedrag, niet '{waarde}'.")
        getal = parsed
    else:
        raise InvoerFout(f"Bij '{naam}' verwacht ik een bedrag in cijfers, niet '{waarde}'.")
    if not getal.is_finite():
        raise InvoerFout(f"Bij '{naam}' verwacht ik een bedrag, niet '{waarde}'.")
    if getal < 0:
        raise InvoerFout(f"Het bedrag bij '{naam}' kan niet negatief zijn ({waarde}).")
    return getal


def _leeftijd(waarde: Any, naam: str = "leeftijd") -> int:
    if isinstance(waarde, bool):
        raise InvoerFout(f"Bij '{naam}' verwacht ik een leeftijd in jaren, niet '{waarde}'.")
    if isinstance(waarde, str) and re.fullmatch(r"\s*-?\d+\s*(?:jaar)?\s*", waarde):
        waarde = int(re.sub(r"[^\d-]", "", waarde))
    if isinstance(waarde, float) and waarde.is_integer():
        waarde = int(waarde)
    if not isinstance(waarde, int):
        raise InvoerFout(f"Bij '{naam}' verwacht ik een leeftijd in hele jaren, zoals 72 (niet '{waarde}').")
    if not 0 <= waarde <= LEEFTIJD_MAX:
        raise InvoerFout(f"Een leeftijd van {waarde} jaar kan niet kloppen (0 tot en met {LEEFTIJD_MAX}).")
    return waarde


def _datum(waarde: Any, naam: str) -> dt.date:
    """A date: a `date`, ISO text ('2025-03-15') or Dutch text ('15 maart 2025')."""
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    if not isinstance(waarde, str) or not waarde.strip():
        raise InvoerFout(f"Bij '{naam}' verwacht ik een datum, zoals 2025-03-15 (niet '{waarde}').")
    tekst = waarde.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", tekst)
    if iso:
        jaar, maand, dag = int(iso.group(1)), int(iso.group(2)), int(iso.group(3) or 1)
        try:
            return dt.date(jaar, maand, dag)
        except ValueError:
            raise InvoerFout(f"De datum '{tekst}' bij '{naam}' bestaat niet.") from None
    try:
        gevonden = extract.dates(tekst)
    except extract.BadDate:
        raise InvoerFout(f"De datum '{tekst}' bij '{naam}' bestaat niet.") from None
    if len(gevonden) != 1:
        raise InvoerFout(f"Bij '{naam}' verwacht ik één datum, zoals 2025-03-15 (niet '{tekst}').")
    return gevonden[0]


# --------------------------------------------------------------------------- dates and ages


def _plus_maanden(dag: dt.date, maanden: int) -> dt.date:
    """`dag` plus a number of months; a day that does not exist becomes the month's last day."""
    index = dag.year * 12 + dag.month - 1 + maanden
    jaar, maand = divmod(index, 12)
    maand += 1
    return dt.date(jaar, maand, min(dag.day, calendar.monthrange(jaar, maand)[1]))


def _maand_eind(dag: dt.date) -> dt.date:
    return dt.date(dag.year, dag.month, calendar.monthrange(dag.year, dag.month)[1])


def leeftijd_op(geboren: dt.date, op: dt.date) -> int:
    """Age in whole years on `op` (born 29 February: a year older on 28 February in other years)."""
    jaren = op.year - geboren.year
    return jaren - 1 if _plus_maanden(geboren, 12 * jaren) > op else jaren


@dataclass(frozen=True)
class Persoon:
    """Someone's birth date, as exact as it is known: a range from `vroegst` to `laatst`."""

    vroegst: dt.date
    laatst: dt.date
    omschrijving: str

    @classmethod
    def geboren_op(cls, datum: dt.date) -> Persoon:
        return cls(datum, datum, f"geboren op {date_long(datum)}")

    @classmethod
    def geboren_in(cls, jaar: int) -> Persoon:
        if not 1890 <= jaar <= extract.today().year:
            raise InvoerFout(f"Het geboortejaar {jaar} kan niet kloppen.")
        return cls(dt.date(jaar, 1, 1), dt.date(jaar, 12, 31), f"geboren in {jaar}")

    @classmethod
    def met_leeftijd(cls, leeftijd: int, op: dt.date | None = None) -> Persoon:
        """Someone who is `leeftijd` years old on `op` (today when not given)."""
        leeftijd = _leeftijd(leeftijd)
        op = op or extract.today()
        laatst = _plus_maanden(op, -12 * leeftijd)
        while leeftijd_op(laatst + dt.timedelta(days=1), op) >= leeftijd:
            laatst += dt.timedelta(days=1)
        while leeftijd_op(laatst, op) < leeftijd:
            laatst -= dt.timedelta(days=1)
        vroegst = _plus_maanden(op, -12 * (leeftijd + 1))
        while leeftijd_op(vroegst, op) > leeftijd:
            vroegst += dt.timedelta(days=1)
        while leeftijd_op(vroegst - dt.timedelta(days=1), op) == leeftijd:
            vroegst -= dt.timedelta(days=1)
        return cls(vroegst, laatst, f"{leeftijd} jaar op {date_long(op)}")

    @property
    def exact(self) -> bool:
        return self.vroegst == self.laatst


@dataclass(frozen=True)
class Huishouden:
    """The household for the abonnementstarief.

    soort: 'alleen' (one person), 'partner' (married or living together) or 'anders' (with one or
    more others, no partner); None when not known. The Wlz/BW flags are the anticumulation rule;
    `partner_uitzondering` = ongehuwden-AOW or scheiding van tafel en bed.
    """

    soort: str | None = None
    client: Persoon | None = None
    partner: Persoon | None = None
    client_wlz_of_bw: bool = False
    partner_wlz_of_bw: bool = False
    partner_uitzondering: bool = False

    def __post_init__(self) -> None:
        if self.soort is not None and self.soort not in HUISHOUDENS:
            raise InvoerFout(f"Huishouden '{self.soort}' ken ik niet; kies uit: {', '.join(HUISHOUDENS)}.")
        if self.soort == "alleen" and (self.partner is not None or self.partner_wlz_of_bw):
            raise InvoerFout("U woont alleen, maar er zijn ook gegevens van een partner opgegeven.")


def _aow_bereikt(k: Knowledge, geboren: dt.date, op: dt.date) -> bool | None:
    """Has someone born on `geboren` reached the AOW age on `op`? None when the table cannot say.

    The AOW age is that of the year in which it is reached (table `aow_leeftijd`, years and
    months). Someone reached it by `op` when for some year Y up to `op`'s year, birth date plus the
    AOW age of Y falls on or before both `op` and the end of Y (the AOW age never went down).
    """
    bekend_dit_jaar = k.cijfer("aow_leeftijd", op.year).bekend
    for jaar in k.cijfers["aow_leeftijd"].jaren():
        if jaar > op.year:
            break
        cw = k.cijfer("aow_leeftijd", jaar)
        if not isinstance(cw.waarde, Leeftijd):
            continue
        if _plus_maanden(geboren, cw.waarde.in_maanden()) <= min(op, dt.date(jaar, 12, 31)):
            return True
    return False if bekend_dit_jaar else None


def _aow_datum(k: Knowledge, geboren: dt.date, jaar: int) -> dt.date | None:
    """The day someone born on `geboren` reaches the AOW age, when that falls in `jaar`."""
    cw = k.cijfer("aow_leeftijd", jaar)
    if not isinstance(cw.waarde, Leeftijd):
        return None
    dag = _plus_maanden(geboren, cw.waarde.in_maanden())
    if dag.year == jaar and not _aow_bereikt(k, geboren, dag - dt.timedelta(days=1)):
        return dag
    return None


def _drie(vroegst: bool | None, laatst: bool | None) -> bool | None:
    """Combine the answer for the oldest and the youngest possible birth date."""
    return vroegst if vroegst == laatst else None


def _persoon_aow(k: Knowledge, p: Persoon, op: dt.date) -> bool | None:
    return _drie(_aow_bereikt(k, p.vroegst, op), _aow_bereikt(k, p.laatst, op))


def _persoon_minderjarig(p: Persoon, op: dt.date) -> bool | None:
    return _drie(leeftijd_op(p.vroegst, op) < MEERDERJARIG, leeftijd_op(p.laatst, op) < MEERDERJARIG)


# --------------------------------------------------------------------------- abonnementstarief


def _perioden(jaar: int, eenheid: str) -> list[tuple[dt.date, dt.date]]:
    """The billing periods of a year: calendar months, or (2019) periods of 4 weeks.

    The 4-week periods start on the Monday of ISO week 1 (for 2019: 31 December 2018, as seed 002
    says) and number 52 // 4 = 13.
    """
    if eenheid == "per_4_weken":
        begin = dt.date.fromisocalendar(jaar, 1, 1)
        weken = dt.date(jaar, 12, 28).isocalendar()[1]
        return [
            (begin + dt.timedelta(weeks=4 * i), begin + dt.timedelta(weeks=4 * i + 4, days=-1))
            for i in range(weken // 4)
        ]
    return [(dt.date(jaar, m, 1), _maand_eind(dt.date(jaar, m, 1))) for m in range(1, 13)]


def _periode_naam(van: dt.date, tot: dt.date, eenheid: str | None) -> str:
    if eenheid == "per_4_weken":
        return f"de periode van {date_long(van)} tot en met {date_long(tot)}"
    return month_year(van)


def _nog_niet_ingevoerd(k: Knowledge, sleutel: str, jaar: int) -> CijferWaarde | None:
    """For a year before the table starts: the first entry, when that says 'did not exist yet'."""
    jaren = k.cijfers[sleutel].jaren()
    if jaren and jaar < jaren[0]:
        eerste = k.cijfer(sleutel, jaren[0])
        if eerste.status == NVT:
            return eerste
    return None


def _gepland(b: _Bouw, jaar: int, cw: CijferWaarde) -> Resultaat | None:
    """2027: the planned income-dependent contribution is not law; say so with its planned bounds."""
    minimum = b.k.cijfer("ivb_2027_minimum", jaar)
    maximum = b.k.cijfer("ivb_2027_maximum", jaar)
    if minimum.status != GEPLAND or maximum.status != GEPLAND:
        return None
    b.cijfer("abonnementstarief", jaar)
    b.cijfer("ivb_2027_minimum", jaar)
    b.cijfer("ivb_2027_maximum", jaar)
    if cw.toelichting:
        b.stap(cw.toelichting, "abonnementstarief")
    assert isinstance(minimum.waarde, Decimal) and isinstance(maximum.waarde, Decimal)
    b.stap(
        f"Gepland is een eigen bijdrage die afhangt van inkomen en vermogen: minimaal "
        f"{money(minimum.waarde, minimum.eenheid)} en maximaal {money(maximum.waarde, maximum.eenheid)}. "
        "Dat is een plan, geen wet; ik reken het daarom niet uit.",
        "ivb_2027_minimum",
        "ivb_2027_maximum",
    )
    b.mist(f"een vastgestelde eigen bijdrage Wmo voor {jaar} (de wet is nog niet aangenomen)")
    return b.klaar(None, "per_maand", GEPLAND)


def abonnementstarief(
    k: Knowledge,
    jaar: int,
    huishouden: Huishouden | None = None,
    *,
    peildatum: dt.date | None = None,
    kosten: Sequence[Decimal] | Decimal | None = None,
    gemeentelijk_tarief: Decimal | None = None,
    minimabeleid_vrijgesteld: bool = False,
    voorziening: str | None = None,
) -> Resultaat:
    """The Wmo abonnementstarief for one household in `jaar` (reference.md §1.2).

    Rules: one contribution per household, at most the year's amount (2019 per 4 weeks, from 2020
    per month; table `abonnementstarief`); €0 when married or with a partner and one of the two has
    not reached the AOW age (seed 002, Rijksoverheid, Drimmelen); only the costs when they are lower
    (seed 002, CAK zakelijk); a lower gemeentelijk tarief or minimabeleid (Rijksoverheid, seed 000);
    no Wmo contribution beside a Wlz or beschermd wonen contribution, also for the partner except
    with ongehuwden-AOW or scheiding van tafel en bed (CAK "wel of geen eigen bijdrage voor Wmo");
    under 18 only woningaanpassingen (Rijksoverheid). Before 2019 the AT did not exist; for 2027
    the planned income-dependent contribution is not computed.

    `peildatum` judges the one month/period containing that date; without it the whole year.
    `kosten` are the costs of the support in one month/period (several: all users together).
    """
    jaar = _jaar(jaar)
    if peildatum is not None and peildatum.year != jaar:
        raise InvoerFout(f"De peildatum {date_long(peildatum)} valt niet in {jaar}.")
    hh = huishouden or Huishouden()
    kosten_lijst = [] if kosten is None else [kosten] if isinstance(kosten, Decimal) else list(kosten)
    kosten_lijst = [_bedrag(x, "kosten") for x in kosten_lijst]
    if gemeentelijk_tarief is not None:
        gemeentelijk_tarief = _bedrag(gemeentelijk_tarief, "gemeentelijk tarief")

    b = _Bouw(k, f"Abonnementstarief Wmo {jaar}")
    at = b.cijfer("abonnementstarief", jaar)
    eerder = _nog_niet_ingevoerd(k, "abonnementstarief", jaar)
    if at.status == NVT or eerder is not None:
        bron = eerder or at
        if eerder is not None:
            b.cijfers[:] = [eerder]
            sinds = next(j for j in k.cijfers["abonnementstarief"].jaren() if k.cijfer("abonnementstarief", j).bekend)
            b.stap(
                f"Het abonnementstarief bestond in {jaar} nog niet; het bestaat sinds {sinds}.", bronnen=["seed-002"]
            )
        if bron.toelichting:
            b.stap(bron.toelichting, "abonnementstarief")
        return b.klaar(None, None, NVT)
    if not at.bekend:
        gepland = _gepland(b, jaar, at)
        if gepland is not None:
            return gepland
        if at.toelichting:
            b.stap(at.toelichting, "abonnementstarief")
        b.mist(f"het abonnementstarief voor {jaar}")
        return b.klaar(None, at.eenheid)

    assert isinstance(at.waarde, Decimal) and at.eenheid is not None
    maximum = at.waarde
    b.stap(
        f"Het abonnementstarief in {jaar} is ten hoogste {money(maximum, at.eenheid)}, voor het hele huishouden samen.",
        "abonnementstarief",
        bronnen=["cak-wmo-zakelijk", "seed-004"],
    )
    perioden = _perioden(jaar, at.eenheid)
    if at.eenheid == "per_4_weken":
        b.stap(
            f"In {jaar} rekende het CAK in {len(perioden)} perioden van 4 weken; periode 1 begon op "
            f"{date_long(perioden[0][0])}.",
            bronnen=["seed-002"],
        )
    if peildatum is not None:
        perioden = [p for p in perioden if p[0] <= peildatum <= p[1]] or [(peildatum, peildatum)]

    # Rules that hold for the whole year.
    if hh.client_wlz_of_bw:
        b.stap(
            "U betaalt al een eigen bijdrage voor de Wlz of voor beschermd wonen. Dan betaalt u geen eigen bijdrage "
            "voor de Wmo.",
            bronnen=["cak-wlz-geen-wmo", "seed-004"],
        )
        return _at_uniform(b, _NUL, at.eenheid, perioden)
    if hh.partner_wlz_of_bw and not hh.partner_uitzondering:
        b.stap(
            "Uw partner betaalt een eigen bijdrage voor de Wlz of voor beschermd wonen. Dan betaalt u geen eigen "
            "bijdrage voor de Wmo (behalve bij een AOW voor ongehuwden of scheiding van tafel en bed).",
            bronnen=["cak-wlz-geen-wmo", "seed-004"],
        )
        return _at_uniform(b, _NUL, at.eenheid, perioden)
    if hh.partner_wlz_of_bw:
        b.stap(
            "Uw partner betaalt een eigen bijdrage voor de Wlz of beschermd wonen, maar met een AOW voor ongehuwden "
            "of bij scheiding van tafel en bed geldt de vrijstelling voor u niet.",
            bronnen=["cak-wlz-geen-wmo"],
        )
    if minimabeleid_vrijgesteld:
        b.stap(
            "Uw gemeente stelt u vrij via het minimabeleid: u betaalt geen eigen bijdrage.",
            bronnen=["seed-002", "cak-aanpassing-wmo"],
        )
        return _at_uniform(b, _NUL, at.eenheid, perioden)

    tarief = maximum
    if gemeentelijk_tarief is not None and gemeentelijk_tarief < maximum:
        tarief = gemeentelijk_tarief
        b.stap(
            f"Uw gemeente rekent een lager tarief: {money(tarief, at.eenheid)}.",
            bronnen=["rijksoverheid-wmo", "seed-000"],
        )
    elif gemeentelijk_tarief is not None:
        b.stap(
            f"Een gemeente mag geen hoger tarief vragen dan het maximum; het opgegeven tarief "
            f"({money(gemeentelijk_tarief)}) telt daarom niet.",
            bronnen=["rijksoverheid-wmo"],
        )
    bedrag = tarief
    if kosten_lijst:
        totaal = sum(kosten_lijst, _NUL)
        if len(kosten_lijst) > 1:
            b.stap(
                f"De kosten van alle ondersteuning in uw huishouden tellen samen: {money(totaal)}. Het huishouden "
                "betaalt één keer, nooit meer dan het maximum.",
                bronnen=["cak-wmo-zakelijk", "seed-004"],
            )
        if totaal < bedrag:
            bedrag = totaal
            b.stap(
                f"De kosten van de ondersteuning ({money(totaal)}) zijn lager dan het tarief: u betaalt alleen "
                "die kosten.",
                bronnen=["seed-002", "cak-wmo-zakelijk"],
            )

    # Rules that depend on age, per month or period.
    regels, ontbrekend = _at_leeftijdsregels(b, hh, jaar, voorziening)
    uitkomsten: list[bool | None] = []  # True = pays, False = exempt, None = depends on the birth date
    for van, tot in perioden:
        uitkomst = _at_betaalt(regels, van)
        uitkomsten.append(uitkomst)
        b.termijnen.append(
            Termijn(van, tot, "abonnementstarief", None if uitkomst is None else bedrag if uitkomst else _NUL)
        )

    if None in uitkomsten:
        zeker = [t for t in b.termijnen if t.bedrag is not None]
        if ontbrekend:
            reden = "Zonder die gegevens kan ik niet zeggen of u betaalt."
            for wat in ontbrekend:
                b.mist(wat)
        else:
            reden = (
                "Of u betaalt, hangt af van de precieze geboortedatum: de AOW-leeftijd (of 18 jaar) wordt in deze tijd "
                "bereikt."
            )
            b.mist("de precieze geboortedatum (dag, maand en jaar)")
        b.stap(
            f"{reden} Het is {money(0)} of ten hoogste {money(bedrag, at.eenheid)}"
            + (f" (zeker voor {len(zeker)} van de {len(perioden)} perioden)." if zeker else "."),
            "aow_leeftijd",
        )
        return b.klaar(None, at.eenheid)
    betaalde = [t for t in b.termijnen if t.bedrag]
    if betaalde and len(betaalde) < len(b.termijnen):
        eerste = betaalde[0]
        b.stap(
            f"Vanaf {_periode_naam(eerste.van, eerste.tot, at.eenheid)} betaalt u ten hoogste "
            f"{money(bedrag, at.eenheid)}, daarvoor niets. Wij laten een maand meetellen als op de eerste dag "
            "ervan de voorwaarde geldt; hoe het CAK dit precies doet, staat niet in de bronnen.",
            "aow_leeftijd",
            bronnen=["scherpenzeel-cak", "westerveld-uitzonderingen"],
            afgeleid=True,
        )
        uitkomst_bedrag = bedrag
    else:
        uitkomst_bedrag = bedrag if betaalde else _NUL
    if len(b.termijnen) > 1 and uitkomst_bedrag:
        jaartotaal = sum((t.bedrag or _NUL for t in b.termijnen), _NUL)
        b.stap(f"Over heel {jaar} is dat ten hoogste {money(jaartotaal)} ({len(b.termijnen)} perioden).")
    return b.klaar(uitkomst_bedrag, at.eenheid)


def _at_uniform(b: _Bouw, bedrag: Decimal, eenheid: str, perioden: list[tuple[dt.date, dt.date]]) -> Resultaat:
    b.termijnen.extend(Termijn(van, tot, "abonnementstarief", bedrag) for van, tot in perioden)
    return b.klaar(bedrag, eenheid)


_Regel = Callable[[dt.date], "bool | None"]  # True = this rule exempts on that day, None = unsure


def _at_leeftijdsregels(b: _Bouw, hh: Huishouden, jaar: int, voorziening: str | None) -> tuple[list[_Regel], list[str]]:
    """Explain the age rules for this household; return them as per-day exemption tests, plus the
    facts that are missing (they only matter when no other rule already decides)."""
    k = b.k
    regels: list[_Regel] = []
    ontbrekend: list[str] = []
    client = hh.client
    if client is not None:
        minderjarig_begin = _persoon_minderjarig(client, dt.date(jaar, 1, 1))
        if minderjarig_begin is not False:
            if voorziening == "woningaanpassing":
                b.stap(
                    "Voor iemand jonger dan 18 jaar mag de gemeente alleen voor een woningaanpassing een eigen "
                    "bijdrage vragen. Of uw gemeente dat doet, vraagt u aan de gemeente; wij rekenen met het maximum.",
                    bronnen=["rijksoverheid-wmo", "cak-handleiding-at"],
                    afgeleid=True,
                )
            else:
                b.stap(
                    "Wie jonger is dan 18 jaar, betaalt geen abonnementstarief. Alleen voor een woningaanpassing "
                    "mag de gemeente dan een eigen bijdrage vragen.",
                    bronnen=["rijksoverheid-wmo", "cak-handleiding-at"],
                )
                regels.append(_regel_minderjarig(client))

    if hh.soort is None:
        b.stap(
            "Ik weet niet of u een partner heeft. Heeft u een partner en is een van u beiden jonger dan de "
            "AOW-leeftijd, dan betaalt u niets.",
            bronnen=["seed-002", "rijksoverheid-wmo"],
        )
        return regels, ontbrekend
    if hh.soort == "alleen":
        b.stap("U woont alleen: uw leeftijd speelt geen rol (behalve onder de 18).", bronnen=["drimmelen-at"])
        return regels, ontbrekend

    aow = b.cijfer("aow_leeftijd", jaar)
    if not isinstance(aow.waarde, Leeftijd):
        ontbrekend.append(f"de AOW-leeftijd in {jaar}")
        regels.append(_onbekende_regel)
        return regels, ontbrekend
    aow_tekst = age(aow.waarde.jaren, aow.waarde.maanden)
    personen = [("u", client)] + ([("uw partner", hh.partner)] if hh.soort == "partner" else [])
    if hh.soort == "partner":
        b.stap(
            f"U heeft een partner. Is een van u beiden jonger dan de AOW-leeftijd ({aow_tekst} in {jaar}), dan "
            "betaalt uw huishouden geen eigen bijdrage.",
            "aow_leeftijd",
            bronnen=["seed-002", "arbe-2019", "rijksoverheid-wmo", "drimmelen-at"],
        )
    else:
        b.stap(
            f"U woont met een ander dan een partner. Rijksoverheid schrijft: wie jonger is dan de AOW-leeftijd "
            f"({aow_tekst} in {jaar}) en met minstens één ander een huishouden voert, betaalt niets. Het CAK noemt "
            "alleen 'getrouwd of partner'; wij volgen Rijksoverheid.",
            "aow_leeftijd",
            bronnen=["rijksoverheid-wmo", "drimmelen-at", "seed-002"],
            afgeleid=True,
        )
    for wie, persoon in personen:
        if persoon is None:
            regels.append(_onbekende_regel)
            ontbrekend.append(
                "uw leeftijd of geboortedatum" if wie == "u" else "de leeftijd of geboortedatum van uw partner"
            )
            continue
        regels.append(_regel_aow(k, persoon))
        begin, eind = dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)
        if _persoon_aow(k, persoon, begin):
            b.stap(f"{wie.capitalize()} ({persoon.omschrijving}) had op 1 januari {jaar} de AOW-leeftijd al.")
        elif _persoon_aow(k, persoon, eind) is False:
            b.stap(f"{wie.capitalize()} ({persoon.omschrijving}) bereikt de AOW-leeftijd niet in {jaar}.")
        elif persoon.exact and (dag := _aow_datum(k, persoon.vroegst, jaar)) is not None:
            b.stap(f"{wie.capitalize()} ({persoon.omschrijving}) bereikt de AOW-leeftijd op {date_long(dag)}.")
        else:
            b.stap(
                f"{wie.capitalize()} ({persoon.omschrijving}) bereikt de AOW-leeftijd in of rond {jaar}; de precieze "
                "dag hangt af van de geboortedatum."
            )
    return regels, ontbrekend


def _regel_minderjarig(p: Persoon) -> _Regel:
    return lambda dag: _persoon_minderjarig(p, dag)


def _regel_aow(k: Knowledge, p: Persoon) -> _Regel:
    return lambda dag: _niet(_persoon_aow(k, p, dag))


def _onbekende_regel(dag: dt.date) -> bool | None:
    return None


def _niet(waarde: bool | None) -> bool | None:
    return None if waarde is None else not waarde


def _at_betaalt(regels: list[_Regel], dag: dt.date) -> bool | None:
    """Does the household pay for the period starting on `dag`? None when a birth date decides."""
    antwoorden = [regel(dag) for regel in regels]
    if True in antwoorden:
        return False
    if None in antwoorden:
        return None
    return True


# --------------------------------------------------------------------------- kostprijs


def kostprijs_schema(
    k: Knowledge, kostprijs: Decimal, start: dt.date, *, gemeentelijk_tarief: Decimal | None = None
) -> Resultaat:
    """Payment schedule for a hulpmiddel or woningaanpassing under the cost-price cap.

    Rule: the contribution may not exceed the kostprijs while the provision is in use; the client
    pays the abonnementstarief (or a lower gemeentelijk tarief) per month/period until the kostprijs
    is paid (CAK zakelijk Wmo; seed 000; seed 004; Woerden). `start` is the first month (2019: the
    4-week period containing that day) that is paid. The schedule ends in the month the last
    (possibly smaller) payment is due; the total never exceeds the kostprijs. A year without a
    known abonnementstarief stops the schedule with status 'onbekend'.
    """
    kostprijs = _bedrag(kostprijs, "kostprijs")
    start = _datum(start, "start")
    _jaar(start.year)
    if gemeentelijk_tarief is not None:
        gemeentelijk_tarief = _bedrag(gemeentelijk_tarief, "gemeentelijk tarief")
    b = _Bouw(k, "Eigen bijdrage tot de kostprijs")
    b.stap(
        f"Voor een hulpmiddel of woningaanpassing betaalt u nooit meer dan de kostprijs ({money(kostprijs)}). "
        "U betaalt het abonnementstarief tot de kostprijs is bereikt; daarna niets meer.",
        bronnen=["cak-wmo-zakelijk", "seed-000", "seed-004", "woerden-at"],
    )
    b.stap(
        "Heeft u daarnaast andere Wmo-ondersteuning, dan blijft het abonnementstarief voor die ondersteuning "
        "gewoon gelden.",
        bronnen=["vng-at-qa"],
        afgeleid=True,
    )
    if kostprijs == 0:
        b.stap(f"De kostprijs is {money(_NUL)}: u betaalt voor deze voorziening niets.")
        return b.klaar(_NUL, None)
    resterend = kostprijs
    jaar = start.year
    eenheid: str | None = None
    while resterend > 0:
        if jaar > JAAR_MAX:
            b.mist(f"het abonnementstarief na {JAAR_MAX}")
            break
        at = b.cijfer("abonnementstarief", jaar)
        if at.status == NVT or _nog_niet_ingevoerd(k, "abonnementstarief", jaar) is not None:
            b.stap(f"In {jaar} bestond het abonnementstarief nog niet.", "abonnementstarief", bronnen=["seed-002"])
            return b.klaar(None, None, NVT)
        if not isinstance(at.waarde, Decimal) or at.eenheid is None:
            b.mist(f"het abonnementstarief voor {jaar}")
            b.stap(
                f"Het abonnementstarief voor {jaar} is niet bekend. Tot dan betaalt u "
                f"{money(kostprijs - resterend)}; er staat dan nog {money(resterend)} open.",
                "abonnementstarief",
            )
            break
        tarief, eenheid = at.waarde, at.eenheid
        if gemeentelijk_tarief is not None and gemeentelijk_tarief < tarief:
            tarief = gemeentelijk_tarief
        for van, tot in _perioden(jaar, at.eenheid):
            if tot < start or resterend <= 0:
                continue
            betaling = min(tarief, resterend)
            resterend -= betaling
            b.termijnen.append(Termijn(van, tot, "abonnementstarief", betaling))
        jaar += 1
    if resterend > 0:
        return b.klaar(None, None)
    laatste = b.termijnen[-1]
    b.stap(
        f"U betaalt {len(b.termijnen)} keer. De laatste betaling is over "
        f"{_periode_naam(laatste.van, laatste.tot, eenheid)} ({money(laatste.bedrag or _NUL)}); daarna betaalt u "
        "voor deze voorziening niets meer.",
        "abonnementstarief",
    )
    b.stap("De eerste betaling is over de opgegeven startmaand.", afgeleid=True)
    return b.klaar(sum((t.bedrag or _NUL for t in b.termijnen), _NUL), None)


# --------------------------------------------------------------------------- intramural: LEB / HEB


def _grondslag_uit_vermogen(b: _Bouw, vermogen: Decimal, jaar: int, met_partner: bool) -> Decimal | None:
    peiljaar = jaar - 2
    sleutel = "heffingsvrij_vermogen_partners" if met_partner else "heffingsvrij_vermogen_alleenstaand"
    hvv = b.cijfer(sleutel, peiljaar)
    if not isinstance(hvv.waarde, Decimal):
        b.mist(f"het heffingsvrij vermogen van {peiljaar}")
        return None
    grondslag = max(_NUL, vermogen - hvv.waarde)
    b.stap(
        f"Grondslag sparen en beleggen: uw vermogen in {peiljaar} ({money(vermogen)}) min het heffingsvrij vermogen "
        f"({money(hvv.waarde)}) = {money(grondslag)}. De precieze grondslag staat op uw aanslag "
        f"inkomstenbelasting over {peiljaar}.",
        sleutel,
        afgeleid=True,
    )
    return grondslag


def bijdrageplichtig_inkomen(
    k: Knowledge,
    verzamelinkomen_t2: Decimal,
    grondslag_sparen_beleggen_t2: Decimal | None,
    jaar: int,
    *,
    onder_aow_leeftijd: bool | None = None,
    met_partner: bool = False,
    partner_onder_aow_leeftijd: bool | None = None,
    vermogen_t2: Decimal | None = None,
) -> Resultaat:
    """Bijdrageplichtig inkomen per year for the intramural contribution (reference.md §3.1).

    = verzamelinkomen of jaar-2 (with a partner: both) + vermogensinkomensbijtelling% of `jaar`
    (table: 8% until 2018, 4% from 2019) × grondslag sparen en beleggen of jaar-2, minus the korting
    niet-pensioengerechtigde leeftijd per person below the AOW age (table; CAK portal 2016: "… + 8%
    van grondslag sparen en beleggen (– eventuele korting niet-pensioengerechtigde leeftijd)").
    When the korting is not in the table for `jaar` and someone is below the AOW age, or it is not
    known whether they are, the result is 'onbekend'. Instead of the grondslag a `vermogen_t2` may
    be given (grondslag = vermogen − heffingsvrij vermogen of jaar-2; afgeleid).
    """
    b = _Bouw(k, f"Bijdrageplichtig inkomen {jaar}")
    waarde = _bijdrageplichtig(
        b,
        verzamelinkomen_t2,
        grondslag_sparen_beleggen_t2,
        jaar,
        onder_aow_leeftijd,
        met_partner,
        partner_onder_aow_leeftijd,
        vermogen_t2,
    )
    return b.klaar(waarde, "per_jaar")


def _bijdrageplichtig(
    b: _Bouw,
    verzamelinkomen: Any,
    grondslag: Any,
    jaar: int,
    onder_aow: bool | None,
    met_partner: bool,
    partner_onder_aow: bool | None,
    vermogen: Any,
) -> Decimal | None:
    jaar = _jaar(jaar)
    inkomen = _bedrag(verzamelinkomen, "verzamelinkomen")
    peiljaar = jaar - 2
    b.stap(
        f"Het CAK rekent met het inkomen en vermogen van 2 jaar eerder: voor {jaar} is dat {peiljaar} (peiljaar).",
        bronnen=["cak-peiljaar", "cak-heb-berekening"],
    )
    b.stap(f"Verzamelinkomen {peiljaar}{' (u en uw partner samen)' if met_partner else ''}: {money(inkomen)}.")
    if grondslag is None and vermogen is not None:
        grondslag = _grondslag_uit_vermogen(b, _bedrag(vermogen, "vermogen"), jaar, met_partner)
        if grondslag is None:
            return None
    elif grondslag is None:
        grondslag = _NUL
        b.stap(f"Geen grondslag sparen en beleggen opgegeven: wij rekenen met {money(_NUL)}.")
    else:
        grondslag = _bedrag(grondslag, "grondslag sparen en beleggen")
    vib = b.cijfer("vermogensinkomensbijtelling", jaar)
    if not isinstance(vib.waarde, Decimal):
        b.mist(f"de vermogensinkomensbijtelling voor {jaar}")
        return None
    bijtelling = grondslag * vib.waarde / 100
    b.stap(
        f"Vermogensinkomensbijtelling: {percentage(vib.waarde)} van de grondslag sparen en beleggen "
        f"({money(grondslag)}) = {money(bijtelling)}.",
        "vermogensinkomensbijtelling",
    )
    totaal = inkomen + bijtelling

    personen = [("u", onder_aow)] + ([("uw partner", partner_onder_aow)] if met_partner else [])
    korting = b.k.cijfer("korting_niet_pensioengerechtigde_leeftijd", jaar)
    aantal = 0
    for wie, onder in personen:
        if onder is None:
            b.mist(
                "of u de AOW-leeftijd al heeft bereikt"
                if wie == "u"
                else "of uw partner de AOW-leeftijd al heeft bereikt"
            )
        elif onder:
            aantal += 1
    if aantal or any(onder is None for _, onder in personen):
        b.cijfer("korting_niet_pensioengerechtigde_leeftijd", jaar)
        if not isinstance(korting.waarde, Decimal):
            b.mist(f"de korting niet-pensioengerechtigde leeftijd voor {jaar} (staat niet in onze tabel)")
    if b.ontbreekt:
        b.stap(
            f"Zonder korting voor wie jonger is dan de AOW-leeftijd zou het {money(totaal)} per jaar zijn; met die "
            "korting wordt het lager. Die korting kan ik nu niet toepassen.",
            "korting_niet_pensioengerechtigde_leeftijd",
            bronnen=["cak-portal-leb-oud", "cak-aanpassing-leb-2020"],
        )
        return None
    if aantal:
        assert isinstance(korting.waarde, Decimal)
        aftrek = korting.waarde * aantal
        b.stap(
            f"Korting niet-pensioengerechtigde leeftijd: {money(korting.waarde)} per persoon jonger dan de "
            f"AOW-leeftijd ({aantal}×) = {money(aftrek)} eraf.",
            "korting_niet_pensioengerechtigde_leeftijd",
            bronnen=["cak-portal-leb-oud", "cak-aanpassing-leb-2020"],
        )
        totaal -= aftrek
    if totaal < 0:
        b.stap("Het bijdrageplichtig inkomen komt onder nul; wij rekenen met € 0.", afgeleid=True)
        totaal = _NUL
    b.stap(f"Bijdrageplichtig inkomen: {money(totaal)} per jaar.")
    return totaal


def lage_eigen_bijdrage(
    k: Knowledge,
    verzamelinkomen_t2: Decimal,
    grondslag_sparen_beleggen_t2: Decimal | None,
    jaar: int,
    *,
    onder_aow_leeftijd: bool | None = None,
    met_partner: bool = False,
    partner_onder_aow_leeftijd: bool | None = None,
    vermogen_t2: Decimal | None = None,
) -> Resultaat:
    """Lage eigen bijdrage per month (Wlz, beschermd wonen in een instelling, pgb BW with wooncomponent).

    = LEB% (table: 12.5% until 2017, 10% from 2018) × bijdrageplichtig inkomen / 12, bounded by the
    year's minimum and maximum (table; CAK portal k1-1-4-2, Staatscourant indexation regulations).
    When a bound is not known for `jaar`, the result is 'onbekend' and names it, except where the
    known bound alone decides (the formula lies above a known maximum, or below a known minimum).
    """
    jaar = _jaar(jaar)
    b = _Bouw(k, f"Lage eigen bijdrage {jaar}")
    inkomen = _bijdrageplichtig(
        b,
        verzamelinkomen_t2,
        grondslag_sparen_beleggen_t2,
        jaar,
        onder_aow_leeftijd,
        met_partner,
        partner_onder_aow_leeftijd,
        vermogen_t2,
    )
    pct = b.cijfer("lage_eigen_bijdrage_percentage", jaar)
    minimum = b.cijfer("lage_eigen_bijdrage_minimum", jaar)
    maximum = b.cijfer("lage_eigen_bijdrage_maximum", jaar)
    grenzen: list[str] = []
    missend: list[str] = []
    for cw, naam in ((minimum, "minimum"), (maximum, "maximum")):
        if isinstance(cw.waarde, Decimal):
            grenzen.append(f"{naam} {money(cw.waarde, cw.eenheid)}")
        else:
            missend.append(f"het {naam} van de lage eigen bijdrage in {jaar}")
    if not isinstance(pct.waarde, Decimal):
        b.mist(f"het percentage van de lage eigen bijdrage in {jaar}")
    if inkomen is None or not isinstance(pct.waarde, Decimal):
        for wat in missend:
            b.mist(wat)
        if grenzen:
            b.stap(
                f"De lage eigen bijdrage in {jaar}: {' en '.join(grenzen)}.",
                "lage_eigen_bijdrage_minimum",
                "lage_eigen_bijdrage_maximum",
            )
        return b.klaar(None, "per_maand")
    formule = pct.waarde * inkomen / 100 / 12
    b.stap(
        f"De lage eigen bijdrage is {percentage(pct.waarde)} van het bijdrageplichtig inkomen, gedeeld door 12: "
        f"{money(formule, 'per_maand')}.",
        "lage_eigen_bijdrage_percentage",
        bronnen=["cak-portal-leb-oud"],
    )
    lo = minimum.waarde if isinstance(minimum.waarde, Decimal) else None
    hi = maximum.waarde if isinstance(maximum.waarde, Decimal) else None
    if lo is not None and hi is not None:
        bedrag = min(max(formule, lo), hi)
        uitleg = (
            ": u betaalt het minimum."
            if formule < lo
            else ": u betaalt het maximum."
            if formule > hi
            else "; uw uitkomst ligt daartussen."
        )
        b.stap(
            f"In {jaar} is de lage eigen bijdrage minimaal {money(lo)} en maximaal {money(hi)} per maand{uitleg}",
            "lage_eigen_bijdrage_minimum",
            "lage_eigen_bijdrage_maximum",
        )
        return b.klaar(bedrag, "per_maand")
    # One bound unknown: the known bound alone decides when the formula lies beyond it.
    if hi is not None and formule >= hi:
        b.stap(
            f"Het maximum in {jaar} is {money(hi)} per maand. Uw uitkomst ligt daarboven, dus u betaalt het maximum "
            "(het onbekende minimum van dat jaar maakt dan niet uit).",
            "lage_eigen_bijdrage_maximum",
        )
        return b.klaar(hi, "per_maand")
    if lo is not None and formule <= lo:
        b.stap(
            f"Het minimum in {jaar} is {money(lo)} per maand. Uw uitkomst ligt daaronder, dus u betaalt het minimum "
            "(het onbekende maximum van dat jaar maakt dan niet uit).",
            "lage_eigen_bijdrage_minimum",
        )
        return b.klaar(lo, "per_maand")
    for wat in missend:
        b.mist(wat)
    b.stap(
        f"Het minimum en maximum van de lage eigen bijdrage voor {jaar} zijn niet allebei bekend"
        + (f" (bekend: {' en '.join(grenzen)})" if grenzen else "")
        + ". Daarom kan ik het bedrag niet met zekerheid noemen. De rekenhulp van het CAK rekent het precies uit.",
        "lage_eigen_bijdrage_minimum",
        "lage_eigen_bijdrage_maximum",
        bronnen=["cak-rekenhulp"],
    )
    return b.klaar(None, "per_maand")


def hoge_eigen_bijdrage(k: Knowledge, jaar: int) -> Resultaat:
    """Hoge eigen bijdrage: only what the sources allow (reference.md §3.1, §7.9).

    Known: the maximum per month per year (table) and the minimum of €0. The full formula
    (beschikbaar inkomen minus tax, aftrek Zvw, zak- en kleedgeld, korting, part of income from
    work, …) is NOT FOUND in parts, so the result is always 'onbekend', names what is missing and
    points to the CAK rekenhulp, with the known bounds as steps.
    """
    jaar = _jaar(jaar)
    b = _Bouw(k, f"Hoge eigen bijdrage {jaar}")
    maximum = b.cijfer("hoge_eigen_bijdrage_maximum", jaar)
    minimum = b.cijfer("hoge_eigen_bijdrage_minimum", jaar)
    if isinstance(maximum.waarde, Decimal):
        lo = money(minimum.waarde) if isinstance(minimum.waarde, Decimal) else "onbekend"
        b.stap(
            f"De hoge eigen bijdrage is in {jaar} ten hoogste {money(maximum.waarde, maximum.eenheid)} en "
            f"minimaal {lo}.",
            "hoge_eigen_bijdrage_maximum",
            "hoge_eigen_bijdrage_minimum",
        )
    else:
        b.mist(f"het maximum van de hoge eigen bijdrage in {jaar}")
    b.stap(
        "De hoge eigen bijdrage gaat uit van uw beschikbaar inkomen van 2 jaar eerder: verzamelinkomen min "
        "belasting, min een vast bedrag voor de zorgverzekering, min zak- en kleedgeld, min kortingen. Niet alle "
        "onderdelen en bedragen daarvan hebben wij kunnen vinden.",
        bronnen=["cak-heb-berekening", "cak-portal-heb-oud"],
    )
    zkg = b.k.cijfer("zak_en_kleedgeld_alleenstaand", jaar)
    if isinstance(zkg.waarde, Decimal):
        b.cijfer("zak_en_kleedgeld_alleenstaand", jaar)
        b.stap(
            f"Het zak- en kleedgeld voor een alleenstaande in {jaar} is waarschijnlijk "
            f"{money(zkg.waarde, zkg.eenheid)}.",
            "zak_en_kleedgeld_alleenstaand",
            afgeleid=zkg.status == AFGELEID,
        )
    b.mist("de volledige berekening van de hoge eigen bijdrage (onder meer het zak- en kleedgeld en de aftrekposten)")
    b.stap(
        "Reken uw hoge eigen bijdrage precies uit met de rekenhulp van het CAK (kies 'Zorg in een instelling').",
        bronnen=["cak-rekenhulp", "seed-003"],
    )
    return b.klaar(None, "per_maand", ONBEKEND)


def verblijf_tijdlijn(
    k: Knowledge,
    start: dt.date,
    eind: dt.date | None = None,
    *,
    partner_thuis: bool = False,
    kind_onder_27: bool = False,
    terugkeer_zelfstandig_wonen: bool = False,
    partner_ook_opgenomen: bool = False,
) -> Resultaat:
    """Per month: lage (LEB) or hoge (HEB) eigen bijdrage during a stay in an instelling (reference.md §3.3).

    - The first N months LEB (table `lage_eigen_bijdrage_maanden`: 6 until 2018, 4 from 2019; CAK
      text via VGN 19-12-2018). N is taken from the year the stay starts (our choice).
    - LEB for the whole stay while a partner still lives at home, or while you regularly pay for a
      child younger than 27 (Consumentenbond; the old CAK rule spoke of kinderbijslag or
      studiefinanciering, so the age rule is unclear: it is an input here and marked afgeleid).
    - Terugkeer naar zelfstandig wonen: LEB for the last N months (table
      `terugkeer_zelfstandig_wonen_maanden`, of the year the stay ends; needs `eind`).
    - Partners who are both admitted pay one contribution together (Consumentenbond; old CAK).
    Counting: N months from the start day (15 March + 4 months → LEB to 14 July); rows are split at
    calendar months. The sources do not say how the CAK counts a stay that starts mid-month.
    """
    start = _datum(start, "start")
    _jaar(start.year)
    if eind is not None:
        eind = _datum(eind, "eind")
        if eind < start:
            raise InvoerFout("De einddatum van het verblijf ligt vóór de begindatum.")
        _jaar(eind.year)
    if partner_thuis and partner_ook_opgenomen:
        raise InvoerFout("Uw partner kan niet tegelijk thuis wonen en ook in een instelling wonen.")
    if terugkeer_zelfstandig_wonen and eind is None:
        raise InvoerFout(
            "Voor terugkeer naar zelfstandig wonen heb ik de (verwachte) einddatum van het verblijf nodig."
        )

    b = _Bouw(k, "Lage en hoge eigen bijdrage tijdens het verblijf")
    n = b.cijfer("lage_eigen_bijdrage_maanden", start.year)
    if not isinstance(n.waarde, int):
        b.mist(f"het aantal maanden lage eigen bijdrage voor een verblijf dat in {start.year} begint")
        return b.klaar(None, None)
    leb_eind = _plus_maanden(start, n.waarde) - dt.timedelta(days=1)
    b.stap(
        f"Uw verblijf begint op {date_long(start)}. Bij een verblijf dat in {start.year} begint, betaalt u de eerste "
        f"{months_text(n.waarde)} de lage eigen bijdrage, daarna de hoge.",
        "lage_eigen_bijdrage_maanden",
        bronnen=["vng-2019-wijzigingen", "consumentenbond-wlz"],
    )
    volgend = b.k.cijfer("lage_eigen_bijdrage_maanden", start.year + 1)
    if isinstance(volgend.waarde, int) and volgend.waarde != n.waarde:
        b.stap(
            f"In {start.year + 1} werd dat {months_text(volgend.waarde)}. Wij gaan uit van de regel van het jaar "
            "waarin het verblijf begint.",
            "lage_eigen_bijdrage_maanden",
            afgeleid=True,
        )
    if start.day == 1:
        b.stap(f"De lage eigen bijdrage geldt dan tot en met {date_long(leb_eind)}.")
    else:
        b.stap(
            f"Wij tellen de maanden vanaf de begindatum: lage eigen bijdrage tot en met {date_long(leb_eind)}. Hoe "
            "het CAK telt als een verblijf halverwege een maand begint, staat niet in de bronnen.",
            afgeleid=True,
        )

    altijd_leb = False
    if partner_thuis:
        altijd_leb = True
        b.stap(
            "Uw partner woont nog thuis: u blijft de lage eigen bijdrage betalen.",
            bronnen=["consumentenbond-wlz", "cak-portal-leb-heb-oud"],
        )
    if kind_onder_27:
        altijd_leb = True
        b.stap(
            "U betaalt geregeld voor een kind jonger dan 27 jaar: u blijft de lage eigen bijdrage betalen. De precieze "
            "voorwaarde voor kinderen is niet duidelijk (vroeger: kinderbijslag of studiefinanciering).",
            bronnen=["consumentenbond-wlz", "cak-portal-leb-heb-oud"],
            afgeleid=True,
        )
    if partner_ook_opgenomen:
        b.stap(
            "U en uw partner wonen allebei in een instelling: u betaalt samen één eigen bijdrage.",
            bronnen=["consumentenbond-wlz"],
        )

    terug_van: dt.date | None = None
    if terugkeer_zelfstandig_wonen and eind is not None:
        tzw = b.cijfer("terugkeer_zelfstandig_wonen_maanden", eind.year)
        if not isinstance(tzw.waarde, int):
            b.mist(f"het aantal maanden bij terugkeer naar zelfstandig wonen in {eind.year}")
            return b.klaar(None, None)
        terug_van = _plus_maanden(eind + dt.timedelta(days=1), -tzw.waarde)
        b.stap(
            f"U gaat terug naar zelfstandig wonen: de laatste {months_text(tzw.waarde)} betaalt u weer de lage "
            f"eigen bijdrage, vanaf {date_long(max(terug_van, start))}. Daarvoor is een verklaring nodig.",
            "terugkeer_zelfstandig_wonen_maanden",
            bronnen=["seed-000", "consumentenbond-wlz"],
        )

    def soort_op(dag: dt.date) -> str:
        if altijd_leb or dag <= leb_eind or (terug_van is not None and dag >= terug_van):
            return LEB
        return HEB

    horizon = eind or _maand_eind(_plus_maanden(leb_eind, 1))
    dag = start
    while dag <= horizon:
        tot = min(_maand_eind(dag), horizon)
        soort = soort_op(dag)
        # split where the kind changes inside this month
        einde = dag
        while einde < tot and soort_op(einde + dt.timedelta(days=1)) == soort:
            einde += dt.timedelta(days=1)
        b.termijnen.append(Termijn(dag, einde, soort))
        dag = einde + dt.timedelta(days=1)
    if eind is None:
        laatste = b.termijnen[-1].soort
        b.stap(
            f"Daarna betaalt u de {_SOORT_TEKST[laatste]} zolang het verblijf duurt"
            + (" en de uitzondering geldt." if altijd_leb else ".")
        )
    if b.ontbreekt:
        return b.klaar(None, None)
    return b.klaar(None, None, AFGELEID if b.afgeleid else BEVESTIGD)


# --------------------------------------------------------------------------- facts from text

_PARTNER_WOORD = r"(?:man|vrouw|partner|echtgenoot|echtgenote|vriend|vriendin)"
_LEEFTIJD = [
    re.compile(r"\bik\s+ben\s+(?:nu\s+|al\s+|inmiddels\s+)?(\d{1,3})(?!\d|[.,]\d)(?!\s*(?:euro|€|%))", re.I),
    re.compile(r"\bmijn\s+leeftijd\s+is\s+(\d{1,3})\b", re.I),
    re.compile(r"\b(\d{1,3})\s+jaar\s+oud\b", re.I),
]
_PARTNER_LEEFTIJD = re.compile(
    rf"\b(?:mijn|m'n)\s+{_PARTNER_WOORD}\s+is\s+(?:nu\s+|al\s+)?(\d{{1,3}})(?!\d|[.,]\d)(?:\s*jaar(?:\s+oud)?)?", re.I
)
_ZINSDEEL = r"[.;!?,]|\sen\s|\smaar\s"
_GEBOREN = re.compile(rf"\bgeboren\b(?:(?!{_ZINSDEEL}).)*", re.I)
_PARTNER_IN = re.compile(rf"\b(?:mijn|m'n)\s+{_PARTNER_WOORD}\b(?!.*\bik\b)", re.I)
# extract.YEAR skips "2024," (it guards against amounts); a year before a comma and a space is a year.
_JAARTAL = re.compile(r"(?<![\d.,])(19\d\d|20\d\d)(?!\d|[.,]\d)")
_ALLEEN = re.compile(
    rf"\b(?:woon|wonen)\s+(?:nu\s+)?alleen\b|\balleenstaand|\bzonder\s+partner\b|\bweduw|{_PARTNER_WOORD}\s+is\s+overleden",
    re.I,
)
_MET_PARTNER = re.compile(
    rf"\bmet\s+(?:mijn|m'n)\s+{_PARTNER_WOORD}\b|\bsamenwonend|\bsamen\s*wonen\b|\bwonen\s+samen\b|\bgetrouwd\b"
    rf"|\bgehuwd\b|\b(?:mijn|m'n)\s+{_PARTNER_WOORD}\b",
    re.I,
)
_INTRAMURAAL = re.compile(
    r"beschermd\s+wonen|\binstelling|\bwlz\b|verpleeghuis|verzorgingshuis|zorginstelling|\bopgenomen\b", re.I
)
_WMO = re.compile(
    r"huishoudelijke\s+hulp|hulp\s+(?:bij|in)\s+(?:het\s+)?huishouden|scootmobiel|rolstoel|traplift|"
    r"woningaanpassing|hulpmiddel|\bwmo\b|dagbesteding|begeleiding",
    re.I,
)
_WONINGAANPASSING = re.compile(
    r"woningaanpassing|traplift|aanpassing\s+(?:van|in|aan)\s+(?:mijn|m'n|de)\s+woning", re.I
)
_HULPMIDDEL = re.compile(r"scootmobiel|rolstoel|hulpmiddel", re.I)
_INKOMEN = re.compile(r"\binkomen\b[^\d€.;!?]{0,40}(?:€\s*)?(\d[\d.,]*)", re.I)
_SPAARGELD = re.compile(
    r"\b(?:spaargeld|vermogen|spaarrekening|spaartegoed|spaarcenten)\b[^\d€.;!?]{0,40}(?:€\s*)?(\d[\d.,]*)"
    r"|(?:€\s*)?(\d[\d.,]*)\s*(?:euro\s+)?(?:aan\s+)?(?:spaargeld|vermogen)\b",
    re.I,
)


def _wis(text: str, start: int, eind: int) -> str:
    """Blank out a span that has been used, so later patterns do not read it again."""
    return text[:start] + " " * (eind - start) + text[eind:]


def extract_feiten(text: str, today: dt.date | None = None) -> dict[str, Any]:
    """Calculation facts from a Dutch message; only what is present.

    Keys: leeftijd, partner_leeftijd (int); geboortedatum, partner_geboortedatum (date);
    geboortejaar, partner_geboortejaar, jaar (int); huishouden ('alleen' | 'partner');
    zorg ('wmo' | 'intramuraal'); voorziening ('woningaanpassing' | 'hulpmiddel');
    inkomen, spaargeld (Decimal, as written: the caller decides per month or per year).
    Built on bot.extract (dates, number, YEAR, RELATIVE_YEAR). A birth date that does not exist
    raises InvoerFout.
    """
    today = today or extract.today()
    feiten: dict[str, Any] = {}
    rest = text

    # Money first: an amount must not be read as a year or an age.
    for sleutel, pattern in (("inkomen", _INKOMEN), ("spaargeld", _SPAARGELD)):
        m = pattern.search(rest)
        if m:
            waarde = extract.number(next(g for g in m.groups() if g))
            if waarde is not None:
                feiten[sleutel] = waarde
            rest = _wis(rest, m.start(), m.end())
    for m in extract.MONEY.finditer(rest):
        rest = _wis(rest, m.start(), m.end())

    for m in _GEBOREN.finditer(rest):
        deel = m.group(0)
        zinsdeel = re.split(_ZINSDEEL, rest[: m.start()])[-1]
        prefix = "partner_" if _PARTNER_IN.search(zinsdeel) else ""
        try:
            datums = extract.dates(deel, reference=today)
        except extract.BadDate as exc:
            raise InvoerFout(f"De geboortedatum '{exc}' bestaat niet.") from None
        jaren = [int(y) for y in _JAARTAL.findall(deel)]
        if datums and prefix + "geboortedatum" not in feiten:
            feiten[prefix + "geboortedatum"] = datums[0]
            feiten[prefix + "geboortejaar"] = datums[0].year
        elif jaren and prefix + "geboortejaar" not in feiten:
            feiten[prefix + "geboortejaar"] = jaren[0]
        if datums or jaren:
            rest = _wis(rest, m.start(), m.end())

    m = _PARTNER_LEEFTIJD.search(rest)
    if m:
        feiten["partner_leeftijd"] = _leeftijd(int(m.group(1)), "leeftijd van uw partner")
        rest = _wis(rest, m.start(), m.end())
    for pattern in _LEEFTIJD:
        m = pattern.search(rest)
        if m:
            feiten["leeftijd"] = _leeftijd(int(m.group(1)))
            rest = _wis(rest, m.start(), m.end())
            break

    jaren_gevonden = [int(y) for y in _JAARTAL.findall(rest) if int(y) >= JAAR_MIN]
    laag = rest.lower()
    jaren_gevonden += [today.year + delta for phrase, delta in extract.RELATIVE_YEAR.items() if phrase in laag]
    if jaren_gevonden:
        feiten["jaar"] = jaren_gevonden[0]

    if _ALLEEN.search(text):
        feiten["huishouden"] = "alleen"
    elif _MET_PARTNER.search(text):
        feiten["huishouden"] = "partner"
    if _INTRAMURAAL.search(text):
        feiten["zorg"] = "intramuraal"
    elif _WMO.search(text):
        feiten["zorg"] = "wmo"
    if _WONINGAANPASSING.search(text):
        feiten["voorziening"] = "woningaanpassing"
    elif _HULPMIDDEL.search(text):
        feiten["voorziening"] = "hulpmiddel"
    return feiten


# --------------------------------------------------------------------------- JSON contract

_VELDEN: dict[str, set[str]] = {
    "abonnementstarief": {
        "jaar",
        "huishouden",
        "leeftijd",
        "geboortedatum",
        "geboortejaar",
        "partner_leeftijd",
        "partner_geboortedatum",
        "partner_geboortejaar",
        "peildatum",
        "kosten",
        "gemeentelijk_tarief",
        "minimabeleid_vrijgesteld",
        "client_wlz_of_bw",
        "partner_wlz_of_bw",
        "partner_uitzondering",
        "voorziening",
    },
    "kostprijs": {"kostprijs", "start", "gemeentelijk_tarief"},
    "bijdrageplichtig_inkomen": {
        "jaar",
        "verzamelinkomen",
        "inkomen",
        "grondslag_sparen_beleggen",
        "vermogen",
        "spaargeld",
        "met_partner",
        "onder_aow_leeftijd",
        "partner_onder_aow_leeftijd",
        "leeftijd",
        "partner_leeftijd",
    },
    "hoge_eigen_bijdrage": {"jaar"},
    "tijdlijn": {
        "start",
        "eind",
        "partner_thuis",
        "kind_onder_27",
        "terugkeer_zelfstandig_wonen",
        "partner_ook_opgenomen",
    },
}
_VELDEN["lage_eigen_bijdrage"] = _VELDEN["bijdrageplichtig_inkomen"]


def _ja_nee(data: dict[str, Any], naam: str) -> bool:
    waarde = data.get(naam, False)
    if waarde is None:
        return False
    if not isinstance(waarde, bool):
        raise InvoerFout(f"Bij '{naam}' verwacht ik true of false (niet '{waarde}').")
    return waarde


def _persoon(data: dict[str, Any], prefix: str) -> Persoon | None:
    if data.get(prefix + "geboortedatum") is not None:
        geboren = _datum(data[prefix + "geboortedatum"], prefix + "geboortedatum")
        if geboren > extract.today():
            raise InvoerFout(f"De geboortedatum {date_long(geboren)} ligt in de toekomst.")
        return Persoon.geboren_op(geboren)
    if data.get(prefix + "leeftijd") is not None:
        return Persoon.met_leeftijd(_leeftijd(data[prefix + "leeftijd"], prefix + "leeftijd"))
    if data.get(prefix + "geboortejaar") is not None:
        jaar = data[prefix + "geboortejaar"]
        if isinstance(jaar, bool) or not isinstance(jaar, int):
            raise InvoerFout(f"Bij '{prefix}geboortejaar' verwacht ik een jaartal (niet '{jaar}').")
        return Persoon.geboren_in(jaar)
    return None


def _onder_aow(k: Knowledge, data: dict[str, Any], prefix: str, jaar: int) -> bool | None:
    """Explicit flag, or derived from an age today, judged on 1 January of `jaar` (our choice:
    the sources do not say on which day the korting looks); None when the birth date decides."""
    vlag = data.get(prefix + "onder_aow_leeftijd")
    if vlag is not None:
        if not isinstance(vlag, bool):
            raise InvoerFout(f"Bij '{prefix}onder_aow_leeftijd' verwacht ik true of false (niet '{vlag}').")
        return vlag
    if data.get(prefix + "leeftijd") is None:
        return None
    persoon = Persoon.met_leeftijd(_leeftijd(data[prefix + "leeftijd"], prefix + "leeftijd"))
    return _niet(_persoon_aow(k, persoon, dt.date(jaar, 1, 1)))


def _jaar_uit(data: dict[str, Any]) -> int:
    if data.get("jaar") is None:
        raise InvoerFout("Voor welk jaar wilt u het weten? Het veld 'jaar' ontbreekt.")
    return _jaar(data["jaar"])


def _bereken(k: Knowledge, data: dict[str, Any]) -> Resultaat:
    soort = data.get("soort")
    if soort not in _VELDEN:
        raise InvoerFout(f"Onbekende soort berekening '{soort}'; kies uit: {', '.join(sorted(_VELDEN))}.")
    onbekend = sorted(set(data) - _VELDEN[soort] - {"soort"})
    if onbekend:
        raise InvoerFout(
            f"Onbekend veld '{onbekend[0]}' voor {soort}. Bekende velden: {', '.join(sorted(_VELDEN[soort]))}."
        )
    if soort == "abonnementstarief":
        peildatum = _datum(data["peildatum"], "peildatum") if data.get("peildatum") is not None else None
        jaar = peildatum.year if peildatum is not None and data.get("jaar") is None else _jaar_uit(data)
        kosten = data.get("kosten")
        if kosten is not None and not isinstance(kosten, list):
            kosten = [kosten]
        kosten_lijst = None if kosten is None else [_bedrag(x, "kosten") for x in kosten]
        soort_hh = data.get("huishouden")
        if soort_hh is not None and soort_hh not in HUISHOUDENS:
            raise InvoerFout(f"Huishouden '{soort_hh}' ken ik niet; kies uit: {', '.join(HUISHOUDENS)}.")
        hh = Huishouden(
            soort=soort_hh,
            client=_persoon(data, ""),
            partner=_persoon(data, "partner_"),
            client_wlz_of_bw=_ja_nee(data, "client_wlz_of_bw"),
            partner_wlz_of_bw=_ja_nee(data, "partner_wlz_of_bw"),
            partner_uitzondering=_ja_nee(data, "partner_uitzondering"),
        )
        tarief = data.get("gemeentelijk_tarief")
        return abonnementstarief(
            k,
            jaar,
            hh,
            peildatum=peildatum,
            kosten=kosten_lijst,
            gemeentelijk_tarief=None if tarief is None else _bedrag(tarief, "gemeentelijk_tarief"),
            minimabeleid_vrijgesteld=_ja_nee(data, "minimabeleid_vrijgesteld"),
            voorziening=data.get("voorziening"),
        )
    if soort == "kostprijs":
        for naam in ("kostprijs", "start"):
            if data.get(naam) is None:
                raise InvoerFout(f"Het veld '{naam}' ontbreekt.")
        tarief = data.get("gemeentelijk_tarief")
        return kostprijs_schema(
            k,
            _bedrag(data["kostprijs"], "kostprijs"),
            _datum(data["start"], "start"),
            gemeentelijk_tarief=None if tarief is None else _bedrag(tarief, "gemeentelijk_tarief"),
        )
    if soort in ("bijdrageplichtig_inkomen", "lage_eigen_bijdrage"):
        jaar = _jaar_uit(data)
        inkomen = data.get("verzamelinkomen", data.get("inkomen"))
        if inkomen is None:
            raise InvoerFout("Het veld 'verzamelinkomen' ontbreekt (uw inkomen van 2 jaar eerder).")
        grondslag = data.get("grondslag_sparen_beleggen")
        vermogen = data.get("vermogen", data.get("spaargeld"))
        functie = bijdrageplichtig_inkomen if soort == "bijdrageplichtig_inkomen" else lage_eigen_bijdrage
        met_partner = _ja_nee(data, "met_partner")
        return functie(
            k,
            _bedrag(inkomen, "verzamelinkomen"),
            None if grondslag is None else _bedrag(grondslag, "grondslag_sparen_beleggen"),
            jaar,
            onder_aow_leeftijd=_onder_aow(k, data, "", jaar),
            met_partner=met_partner,
            partner_onder_aow_leeftijd=_onder_aow(k, data, "partner_", jaar) if met_partner else None,
            vermogen_t2=None if vermogen is None else _bedrag(vermogen, "vermogen"),
        )
    if soort == "hoge_eigen_bijdrage":
        return hoge_eigen_bijdrage(k, _jaar_uit(data))
    if data.get("start") is None:
        raise InvoerFout("Het veld 'start' (begindatum van het verblijf) ontbreekt.")
    return verblijf_tijdlijn(
        k,
        _datum(data["start"], "start"),
        _datum(data["eind"], "eind") if data.get("eind") is not None else None,
        partner_thuis=_ja_nee(data, "partner_thuis"),
        kind_onder_27=_ja_nee(data, "kind_onder_27"),
        terugkeer_zelfstandig_wonen=_ja_nee(data, "terugkeer_zelfstandig_wonen"),
        partner_ook_opgenomen=_ja_nee(data, "partner_ook_opgenomen"),
    )


def _waarde_json(cw: CijferWaarde) -> Any:
    if isinstance(cw.waarde, Decimal):
        return str(cw.waarde)
    if isinstance(cw.waarde, Leeftijd):
        return {"jaren": cw.waarde.jaren, "maanden": cw.waarde.maanden}
    return cw.waarde


def resultaat_json(k: Knowledge, r: Resultaat) -> dict[str, Any]:
    """A result as the JSON contract's output object."""

    def bron(i: str) -> str:
        b = k.bronnen.get(i)
        return (b.url or b.titel) if b else i

    return {
        "bedrag": None if r.bedrag is None else str(round_cents(r.bedrag)),
        "bedrag_tekst": r.bedrag_tekst,
        "eenheid": r.eenheid,
        "status": r.status,
        "stappen": [str(s) for s in r.stappen],
        "cijfers": [
            {
                "sleutel": cw.sleutel,
                "jaar": cw.jaar,
                "waarde": _waarde_json(cw),
                "status": cw.status,
                "bronnen": [bron(i) for i in cw.bronnen],
            }
            for cw in r.cijfers
        ],
        "ontbreekt": list(r.ontbreekt),
        "termijnen": [
            {
                "van": t.van.isoformat(),
                "tot": t.tot.isoformat(),
                "soort": t.soort,
                "bedrag": None if t.bedrag is None else str(round_cents(t.bedrag)),
            }
            for t in r.termijnen
        ],
        "tekst": r.tekst(k),
    }


def bereken_json(data: dict[str, Any], k: Knowledge | None = None) -> dict[str, Any]:
    """The command-line contract: a JSON object in, a JSON object out (see the module docstring)."""
    if not isinstance(data, dict):
        return {"fout": 'Ik verwacht een JSON-object, zoals {"soort": "abonnementstarief", "jaar": 2025}.'}
    k = k or load_cached()
    try:
        return resultaat_json(k, _bereken(k, data))
    except InvoerFout as exc:
        return {"fout": str(exc)}
    except (InvalidOperation, OverflowError):
        return {"fout": "Een van de getallen kan ik niet gebruiken (te groot of ongeldig)."}
