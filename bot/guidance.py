"""Case guidance for gemeente staff: registering citizens with the CAK and special transitions.

The rules are data (`knowledge/begeleiding/*.yml`, loaded as plain data by bot.knowledge);
this module interprets them:

- `validate_file` checks one begeleiding file for the content editor (line + Dutch message);
- `situaties` / `situatie` list the situations (transitions, everyday registration and the
  seven leveringsvormen);
- `herken` reads a staff message: which situation, dates, gemeenten, leveringsvorm, and the
  problems in it (an impossible date, a stop before a start, an unknown gemeente);
- `ontbrekend` gives the facts that are still missing, in asking order (ask the first);
- `checklist` computes the steps with dates, the effect on the contribution, what the
  citizen receives, risks and sources; `Checklist.markdown()` renders it for a chat.

A step or point with status `afgeleid` is our own reasoning: it is always rendered with the
"Niet officieel bevestigd" warning. Status `onbekend` means looked for and not found.
Dates: the last day of the old situation is the day before the first day of the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from bot import extract, formatting
from bot.knowledge import PLACEHOLDER, Bron, Knowledge, normalize, placeholder_problems, plain
from bot.render import format_value

# --------------------------------------------------------------------------- vocabulary

WIE = ("gemeente", "centrumgemeente", "zorgaanbieder", "zorgkantoor", "CAK", "CIZ")
WIE_TEKST = {
    "gemeente": "Gemeente",
    "centrumgemeente": "Centrumgemeente",
    "zorgaanbieder": "Zorgaanbieder",
    "zorgkantoor": "Zorgkantoor",
    "CAK": "CAK",
    "CIZ": "CIZ",
}
STAP_STATUSSEN = ("bevestigd", "afgeleid")
PUNT_STATUSSEN = ("bevestigd", "afgeleid", "onbekend")
ONDERWERPEN = ("soort", "leb_periode", "abonnementstarief", "huishouden", "overig")
VERPLICHTE_ONDERWERPEN = ("soort", "leb_periode", "abonnementstarief", "huishouden")
FEIT_SOORTEN = ("datum", "gemeente", "keuze", "leveringsvorm")
AFDRACHT_WIE = ("gemeente", "centrumgemeente", "regiogemeente", "zorgaanbieder")
REGELINGEN = ("bw", "at")
BESTANDSVOLGORDE = ("overgangen", "aanmelden", "leveringsvormen")
ID_PATROON = re.compile(r"^[a-z][a-z0-9_]*$")

NIET_BEVESTIGD = (
    "Niet officieel bevestigd: controleer dit in de Handleiding Wmo beschermd wonen "
    "of bij de Wmo Servicedesk ({email.cak_wmo_servicedesk})"
)
ONBEKEND_TEKST = "Niet gevonden"

# Derived facts: computed from the facts, usable in `als` (with these values) and as text.
AFGELEIDE_FEITEN: dict[str, tuple[str, ...]] = {
    "bw_regeling": REGELINGEN,
    "correctie_richting": ("eerder", "later"),
}


# Date placeholders: name -> (label, facts it can be computed from (any of), computation).
# The computation gets the facts and the Knowledge and returns a date or None.
@dataclass(frozen=True)
class _DatumVeld:
    label: str
    nodig: tuple[str, ...]
    bereken: Callable[[dict[str, Any], Knowledge], dt.date | None]


def _feit(naam: str, verschuif: int = 0) -> Callable[[dict[str, Any], Knowledge], dt.date | None]:
    def bereken(f: dict[str, Any], _k: Knowledge) -> dt.date | None:
        d = f.get(naam)
        return d + dt.timedelta(days=verschuif) if isinstance(d, dt.date) else None

    return bereken


def _maanden(k: Knowledge, sleutel: str, jaar: int) -> int | None:
    cv = k.cijfer(sleutel, jaar) if sleutel in k.cijfers else None
    return int(cv.waarde) if cv is not None and cv.bekend else None  # type: ignore[arg-type]


def einde_periode(start: dt.date, maanden: int) -> dt.date:
    """Last day of a period of `maanden` months that begins on `start` (both days included).

    1 March + 4 months ends on 30 June. When the start day does not exist in the end month
    (31 October + 4 months: there is no 31 February), the period ends at that month's end.
    """
    volgende = start + relativedelta(months=maanden)
    if volgende.day < start.day:  # relativedelta clipped the day to the month end
        return volgende
    return volgende - dt.timedelta(days=1)


def begin_laatste_maanden(eerste_dag_na: dt.date, maanden: int) -> dt.date:
    """First day of the last `maanden` months before `eerste_dag_na` (1 July, 4 -> 1 March)."""
    return eerste_dag_na - relativedelta(months=maanden)


def _verblijf_start(f: dict[str, Any]) -> dt.date | None:
    for naam in ("datum_start_juist", "datum_overgang", "datum_start"):
        if isinstance(f.get(naam), dt.date):
            return f[naam]  # type: ignore[no-any-return]
    return None


def _leb_laatste_dag(f: dict[str, Any], k: Knowledge) -> dt.date | None:
    start = _verblijf_start(f)
    if start is None:
        return None
    n = _maanden(k, "lage_eigen_bijdrage_maanden", start.year)
    return einde_periode(start, n) if n else None


def _tzw_vanaf(f: dict[str, Any], k: Knowledge) -> dt.date | None:
    eerste = f.get("datum_overgang")
    if not isinstance(eerste, dt.date):
        return None
    laatste = eerste - dt.timedelta(days=1)
    n = _maanden(k, "terugkeer_zelfstandig_wonen_maanden", laatste.year)
    return begin_laatste_maanden(eerste, n) if n else None


DATUM_VELDEN: dict[str, _DatumVeld] = {
    "eerste_dag_nieuw": _DatumVeld("eerste dag van de nieuwe situatie", ("datum_overgang",), _feit("datum_overgang")),
    "laatste_dag_oud": _DatumVeld("laatste dag van de oude situatie", ("datum_overgang",), _feit("datum_overgang", -1)),
    "datum_overgang": _DatumVeld("eerste dag van de nieuwe situatie", ("datum_overgang",), _feit("datum_overgang")),
    "datum_start": _DatumVeld("startdatum", ("datum_start",), _feit("datum_start")),
    "datum_laatste_dag": _DatumVeld("laatste dag met zorg", ("datum_laatste_dag",), _feit("datum_laatste_dag")),
    "dag_na_laatste_dag": _DatumVeld("dag na de laatste dag", ("datum_laatste_dag",), _feit("datum_laatste_dag", 1)),
    "datum_start_fout": _DatumVeld("verkeerde startdatum", ("datum_start_fout",), _feit("datum_start_fout")),
    "datum_start_juist": _DatumVeld("juiste startdatum", ("datum_start_juist",), _feit("datum_start_juist")),
    "datum_einde_indicatie": _DatumVeld(
        "einddatum indicatie", ("datum_einde_indicatie",), _feit("datum_einde_indicatie")
    ),
    "dag_na_einde_indicatie": _DatumVeld(
        "dag na de einddatum indicatie", ("datum_einde_indicatie",), _feit("datum_einde_indicatie", 1)
    ),
    "leb_laatste_dag": _DatumVeld(
        "laatste dag lage eigen bijdrage", ("datum_start_juist", "datum_overgang", "datum_start"), _leb_laatste_dag
    ),
    "tzw_leb_vanaf": _DatumVeld("begin van de laatste maanden van het verblijf", ("datum_overgang",), _tzw_vanaf),
}
# Month placeholders ("maart 2026"), computed from a date placeholder.
MAAND_VELDEN: dict[str, str] = {
    "eerste_maand_nieuw": "eerste_dag_nieuw",
    "laatste_maand_oud": "laatste_dag_oud",
    "laatste_maand": "datum_laatste_dag",
}
# Text placeholders computed from facts: name -> facts needed (any of).
TEKST_VELDEN: dict[str, tuple[str, ...]] = {
    "bw_bericht": ("leveringsvorm",),
    "bw_retour": ("leveringsvorm",),
    "bw_bijdrage": ("leveringsvorm",),
    "start_bericht": ("regeling",),
    "start_retour": ("regeling",),
    "jaar": (),
    "gemeente": (),
    "gemeente.telefoon": (),
}


class GuidanceError(ValueError):
    """Facts that cannot be right (impossible date, stop before start, unknown gemeente)."""


# --------------------------------------------------------------------------- data access


def _bestanden(k: Knowledge) -> list[tuple[str, dict[str, Any]]]:
    known = [s for s in BESTANDSVOLGORDE if s in k.begeleiding]
    rest = sorted(s for s in k.begeleiding if s not in BESTANDSVOLGORDE)
    return [(s, k.begeleiding[s]) for s in known + rest if isinstance(k.begeleiding[s], dict)]


def _catalogus(k: Knowledge) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for _stem, data in _bestanden(k):
        feiten = data.get("feiten")
        if isinstance(feiten, dict):
            out.update({str(n): spec for n, spec in feiten.items() if isinstance(spec, dict)})
    return out


def _regimes(k: Knowledge) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for _stem, data in _bestanden(k):
        regimes = data.get("regimes")
        if isinstance(regimes, dict):
            out.update({str(n): spec for n, spec in regimes.items() if isinstance(spec, dict)})
    return out


def _aliassen(k: Knowledge) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for _stem, data in _bestanden(k):
        aliassen = data.get("aliassen")
        if isinstance(aliassen, list):
            out += [a for a in aliassen if isinstance(a, dict)]
    return out


def _leveringsvormen(k: Knowledge) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for _stem, data in _bestanden(k):
        for lv in data.get("leveringsvormen") or []:
            if isinstance(lv, dict) and isinstance(lv.get("nummer"), int):
                out[lv["nummer"]] = lv
    return out


def _kiesbare_leveringsvormen(k: Knowledge) -> list[dict[str, Any]]:
    """Leveringsvormen that still exist and have a current rule: the button choices."""
    return [
        lv
        for _n, lv in sorted(_leveringsvormen(k).items())
        if lv.get("nu") and (lv.get("van_toepassing") or {}).get("antwoord") == "ja"
    ]


@dataclass(frozen=True)
class FeitRef:
    """A fact a situation needs: which one, when (als) and whether it is asked at all."""

    feit: str
    als: dict[str, Any] = field(default_factory=dict)
    optioneel: bool = False


@dataclass
class Situatie:
    id: str
    titel: str
    beschrijving: str
    bestand: str
    data: dict[str, Any]

    @property
    def is_leveringsvorm(self) -> bool:
        return "nummer" in self.data

    @property
    def nummer(self) -> int | None:
        n = self.data.get("nummer")
        return n if isinstance(n, int) else None

    @property
    def feiten(self) -> list[FeitRef]:
        return [_feitref(r) for r in self.data.get("feiten") or []]

    @property
    def herkenning(self) -> dict[str, Any]:
        return self.data.get("herkenning") or {}


def _feitref(raw: Any) -> FeitRef:
    if isinstance(raw, dict):
        return FeitRef(str(raw.get("feit")), dict(raw.get("als") or {}), bool(raw.get("optioneel", False)))
    return FeitRef(str(raw))


def situaties(k: Knowledge) -> list[Situatie]:
    """All situations: the transitions, everyday registration and the leveringsvormen."""
    out = []
    for stem, data in _bestanden(k):
        for key in ("situaties", "leveringsvormen"):
            for s in data.get(key) or []:
                if isinstance(s, dict) and s.get("id"):
                    out.append(
                        Situatie(str(s["id"]), str(s.get("titel", "")), str(s.get("beschrijving", "")).strip(), stem, s)
                    )
    return out


def situatie(k: Knowledge, situatie_id: str | Situatie) -> Situatie:
    if isinstance(situatie_id, Situatie):
        return situatie_id
    for s in situaties(k):
        if s.id == situatie_id:
            return s
    raise GuidanceError(f"Onbekende situatie '{situatie_id}'.")


# --------------------------------------------------------------------------- facts


def _gemeente_naam(k: Knowledge, naam: str) -> tuple[str | None, str | None]:
    """Official name for a typed name (official or alias) and the alias note, or (None, None)."""
    norm = normalize(naam)
    if norm in k.gemeentelijst:
        return k.gemeentelijst[norm], None
    for a in _aliassen(k):
        if normalize(str(a.get("naam", ""))) == norm:
            doel = k.gemeentelijst.get(normalize(str(a.get("gemeente", ""))))
            if doel:
                toelichting = a.get("toelichting")
                return doel, (f"{a['naam']} is {toelichting}." if toelichting else None)
    return None, None


def _suggesties(k: Knowledge, naam: str) -> list[str]:
    """Official names a typed name probably means: "Bergen" -> Bergen (L.), Bergen (NH.)."""
    norm = normalize(naam)
    if not norm:
        return []
    begin = [n for key, n in k.gemeentelijst.items() if key.startswith(norm + " ")]
    if begin:
        return sorted(begin)[:3]
    hits = difflib.get_close_matches(norm, list(k.gemeentelijst), n=2, cutoff=0.75)
    return [k.gemeentelijst[h] for h in hits]


def onbekende_gemeente_tekst(k: Knowledge, naam: str) -> str:
    tekst = f"Ik ken de gemeente '{naam}' niet."
    sugg = _suggesties(k, naam)
    if sugg:
        tekst += " Bedoelt u " + " of ".join(sugg) + "?"
    else:
        tekst += " Controleer de naam (de officiële gemeentenaam, zoals het CBS die gebruikt)."
    return tekst


def _als_datum(waarde: Any, vandaag: dt.date) -> dt.date:
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    tekst = str(waarde).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", tekst):
        try:
            return dt.date.fromisoformat(tekst)
        except ValueError:
            raise GuidanceError(f"'{tekst}' is geen bestaande datum. Controleer de datum.") from None
    gevonden = _datums_in(tekst, vandaag)
    if len(gevonden) == 1 and gevonden[0].datum is None:
        raise GuidanceError(f"'{tekst}' is geen bestaande datum. Controleer de datum.")
    if len(gevonden) != 1:
        raise GuidanceError(f"Ik kan '{tekst}' niet als datum lezen. Schrijf bijvoorbeeld 1 maart 2026.")
    return gevonden[0].datum  # type: ignore[return-value]


def _leveringsvorm_nummer(waarde: Any) -> int | None:
    if isinstance(waarde, bool):
        return None
    if isinstance(waarde, int):
        return waarde
    m = re.search(r"\d+", str(waarde))
    return int(m.group(0)) if m else None


def _normaliseer(k: Knowledge, feiten: dict[str, Any], vandaag: dt.date) -> tuple[dict[str, Any], list[str]]:
    """Facts as typed values (dates, official gemeente names, ints); raises GuidanceError."""
    cat = _catalogus(k)
    f: dict[str, Any] = {}
    notities: list[str] = []
    for naam, waarde in feiten.items():
        if waarde is None or waarde == "":
            continue
        spec = cat.get(naam)
        if spec is None:
            f[naam] = waarde
            continue
        soort = spec.get("soort")
        if soort == "datum":
            f[naam] = _als_datum(waarde, vandaag)
        elif soort == "gemeente":
            officieel, noot = _gemeente_naam(k, str(waarde))
            if officieel is None:
                raise GuidanceError(onbekende_gemeente_tekst(k, str(waarde)))
            f[naam] = officieel
            if noot:
                notities.append(noot)
        elif soort == "leveringsvorm":
            nummer = _leveringsvorm_nummer(waarde)
            if nummer not in _leveringsvormen(k):
                raise GuidanceError(
                    f"Leveringsvorm '{waarde}' bestaat niet. Kies een leveringsvorm van 1 tot en met 7."
                )
            f[naam] = nummer
        elif soort == "keuze":
            if isinstance(waarde, bool):
                waarde = "ja" if waarde else "nee"
            opties = [str(o.get("waarde")) for o in spec.get("opties") or []]
            if str(waarde) not in opties:
                raise GuidanceError(
                    f"'{waarde}' is geen geldig antwoord voor {spec.get('label', naam)}; kies uit {', '.join(opties)}."
                )
            f[naam] = str(waarde)
        else:
            f[naam] = waarde
    _controleer_samenhang(cat, f)
    return f, notities


def _controleer_samenhang(cat: dict[str, dict[str, Any]], f: dict[str, Any]) -> None:
    for naam, spec in cat.items():
        if naam not in f:
            continue
        ander = spec.get("niet_voor")
        if ander and isinstance(f.get(ander), dt.date) and f[naam] < f[ander]:
            raise GuidanceError(
                f"De {spec.get('label', naam)} ({formatting.date_long(f[naam])}) ligt vóór de "
                f"{cat.get(ander, {}).get('label', ander)} ({formatting.date_long(f[ander])}). "
                "Een stop kan niet vóór de start liggen: controleer de datums."
            )
        ander = spec.get("anders_dan")
        if ander and ander in f and f[naam] == f[ander]:
            waarde = formatting.date_long(f[naam]) if isinstance(f[naam], dt.date) else str(f[naam])
            raise GuidanceError(
                f"De {spec.get('label', naam)} is hetzelfde als de {cat.get(ander, {}).get('label', ander)} "
                f"({waarde}). Controleer dit."
            )


def _nu_regel(k: Knowledge, nummer: int, f: dict[str, Any]) -> dict[str, Any] | None:
    lv = _leveringsvormen(k).get(nummer)
    for regel in (lv or {}).get("nu") or []:
        if _past(regel.get("als") or {}, f):
            return regel  # type: ignore[no-any-return]
    return None


def _afgeleide_feiten(k: Knowledge, f: dict[str, Any]) -> dict[str, Any]:
    d: dict[str, Any] = {}
    nummer = f.get("leveringsvorm")
    if isinstance(nummer, int):
        regel = _nu_regel(k, nummer, f)
        if regel:
            d["bw_regeling"] = regel.get("regeling")
            d["bw_bericht"] = regel.get("bericht")
            d["bw_retour"] = regel.get("retour")
            d["bw_bijdrage"] = regel.get("bijdrage")
    if f.get("regeling") == "at":
        d["start_bericht"], d["start_retour"] = "WMO405", "WMO406"
    elif f.get("regeling") == "bw" and "bw_bericht" in d:
        d["start_bericht"], d["start_retour"] = d["bw_bericht"], d["bw_retour"]
    fout, juist = f.get("datum_start_fout"), f.get("datum_start_juist")
    if isinstance(fout, dt.date) and isinstance(juist, dt.date) and fout != juist:
        d["correctie_richting"] = "eerder" if juist < fout else "later"
    return d


def _past(als: dict[str, Any], waarden: dict[str, Any]) -> bool:
    for naam, verwacht in als.items():
        if naam not in waarden:
            return False
        opties = verwacht if isinstance(verwacht, list) else [verwacht]
        if str(waarden[naam]) not in {str(o) for o in opties}:
            return False
    return True


# --------------------------------------------------------------------------- missing facts


@dataclass(frozen=True)
class Optie:
    waarde: str
    label: str


@dataclass
class Vraag:
    """One missing fact: ask `vraag`; `opties` are the fixed answers (buttons), if any."""

    feit: str
    vraag: str
    soort: str
    label: str
    opties: list[Optie] = field(default_factory=list)
    uitleg: str | None = None

    def knoppen(self) -> list[dict[str, str]]:
        return [{"title": o.label, "payload": o.waarde} for o in self.opties]


def _vraag(k: Knowledge, naam: str, spec: dict[str, Any]) -> Vraag:
    soort = str(spec.get("soort", ""))
    opties: list[Optie] = []
    if soort == "keuze":
        opties = [Optie(str(o["waarde"]), str(o.get("label", o["waarde"]))) for o in spec.get("opties") or []]
    elif soort == "leveringsvorm":
        opties = [Optie(str(lv["nummer"]), str(lv.get("titel"))) for lv in _kiesbare_leveringsvormen(k)]
    return Vraag(naam, str(spec.get("vraag", naam)), soort, str(spec.get("label", naam)), opties, spec.get("uitleg"))


def ontbrekend(k: Knowledge, situatie_id: str | Situatie, feiten: dict[str, Any] | None = None) -> list[Vraag]:
    """The facts still missing for the situation, in asking order: ask the first one.

    A fact with a condition (`als`) is only asked when the condition holds for the facts
    known so far; optional facts are never asked.
    """
    s = situatie(k, situatie_id)
    cat = _catalogus(k)
    bekend = {n: v for n, v in (feiten or {}).items() if v is not None and v != ""}
    if s.nummer is not None:
        bekend.setdefault("leveringsvorm", s.nummer)
    lv = _leveringsvorm_nummer(bekend.get("leveringsvorm")) if "leveringsvorm" in bekend else None
    waarden = dict(bekend)
    if lv is not None:
        waarden["leveringsvorm"] = lv
    with contextlib.suppress(TypeError, ValueError):
        waarden.update(_afgeleide_feiten(k, waarden))
    out = []
    for ref in s.feiten:
        if ref.optioneel or ref.feit in bekend or not _past(ref.als, waarden):
            continue
        out.append(_vraag(k, ref.feit, cat.get(ref.feit, {})))
    return out


# --------------------------------------------------------------------------- checklist


@dataclass
class Stap:
    wie: str
    wat: str
    bericht: str | None
    status: str
    bronnen: list[Bron]

    @property
    def afgeleid(self) -> bool:
        return self.status == "afgeleid"


@dataclass
class Punt:
    tekst: str
    status: str
    bronnen: list[Bron]
    onderwerp: str | None = None

    @property
    def afgeleid(self) -> bool:
        return self.status == "afgeleid"


@dataclass
class Checklist:
    situatie_id: str
    titel: str
    beschrijving: str
    feiten: list[tuple[str, str]]
    stappen: list[Stap]
    bijdrage: list[Punt]
    burger_ontvangt: list[Punt]
    risicos: list[Punt]
    leveringsvorm: Punt | None
    bronnen: list[Bron]
    waarschuwing: str
    ontbrekend: list[str] = field(default_factory=list)
    notities: list[str] = field(default_factory=list)

    @property
    def alle_punten(self) -> list[Punt]:
        extra = [self.leveringsvorm] if self.leveringsvorm else []
        return extra + self.bijdrage + self.burger_ontvangt + self.risicos

    def markdown(self, stijl: str = "markdown") -> str:
        """Chat text. `stijl="slack"` uses Slack's *bold* and <url|title> links."""
        slack = stijl == "slack"

        def vet(t: str) -> str:
            return f"*{t}*" if slack else f"**{t}**"

        def link(b: Bron) -> str:
            if not b.url:
                return b.titel
            return f"<{b.url}|{b.titel}>" if slack else f"[{b.titel}]({b.url})"

        def punt(p: Punt) -> str:
            if p.status == "afgeleid":
                return f"- {p.tekst} _(niet officieel bevestigd)_"
            if p.status == "onbekend":
                return f"- _{ONBEKEND_TEKST}:_ {p.tekst}"
            return f"- {p.tekst}"

        regels = [vet(self.titel), self.beschrijving]
        if self.feiten:
            regels += [""] + [f"- {label}: {waarde}" for label, waarde in self.feiten]
        if self.leveringsvorm:
            regels += ["", vet("Leveringsvorm"), punt(self.leveringsvorm)]
        regels += ["", vet("Stappen")]
        for i, s in enumerate(self.stappen, 1):
            regels.append(f"{i}. {vet(WIE_TEKST.get(s.wie, s.wie) + ':')} {s.wat}")
            if s.bericht:
                regels.append(f"   - Bericht: {s.bericht}")
            if s.afgeleid:
                regels.append(f"   - _{self.waarschuwing}_")
        for kop, punten in (
            ("Eigen bijdrage", self.bijdrage),
            ("Wat de cliënt krijgt", self.burger_ontvangt),
            ("Risico's", self.risicos),
        ):
            if punten:
                regels += ["", vet(kop)] + [punt(p) for p in punten]
        if self.ontbrekend:
            regels += ["", vet("Nog nodig") + " " + ", ".join(self.ontbrekend)]
        for n in self.notities:
            regels += ["", f"_{n}_"]
        if any(p.afgeleid for p in self.alle_punten):
            regels += ["", f"_{self.waarschuwing}_"]
        if self.bronnen:
            regels += ["", vet("Bronnen")] + [f"- {link(b)}" for b in self.bronnen]
        return "\n".join(regels).strip()


class _Vuller:
    """Fills placeholders in step and point texts from facts, dates and the figure table."""

    def __init__(self, k: Knowledge, s: Situatie, f: dict[str, Any], afgeleid: dict[str, Any], jaar: int):
        self.k = k
        self.s = s
        self.f = f
        self.afgeleid = afgeleid
        self.jaar = jaar
        self.cat = _catalogus(k)
        self.ontbrekend: list[str] = []
        self.notities: list[str] = []

    def _mist(self, label: str) -> str:
        if label not in self.ontbrekend:
            self.ontbrekend.append(label)
        return f"[nog niet bekend: {label}]"

    def datum(self, naam: str) -> dt.date | None:
        return DATUM_VELDEN[naam].bereken(self.f, self.k)

    def vul(self, tekst: str) -> str:
        # collapse YAML line breaks, but keep the no-break space Babel puts in "€ 21,80"
        return re.sub(r"[ \t\r\n]+", " ", PLACEHOLDER.sub(self._een, tekst)).strip()

    def _een(self, m: re.Match[str]) -> str:
        naam, mod = m.group(1), m.group(2)
        if naam in DATUM_VELDEN:
            d = self.datum(naam)
            return formatting.date_long(d) if d else self._mist(DATUM_VELDEN[naam].label)
        if naam in MAAND_VELDEN:
            d = self.datum(MAAND_VELDEN[naam])
            return formatting.month_year(d) if d else self._mist(DATUM_VELDEN[MAAND_VELDEN[naam]].label)
        if naam == "jaar":
            return str(self.jaar)
        if naam in ("gemeente", "gemeente.telefoon"):
            g = self.f.get("gemeente")
            if naam == "gemeente":
                return str(g) if g else "uw gemeente"
            lokaal = self.k.gemeente(g) if g else None
            return lokaal.telefoon if lokaal and lokaal.telefoon else "het telefoonnummer op de website van de gemeente"
        if naam in TEKST_VELDEN:
            waarde = self.afgeleid.get(naam)
            if waarde:
                return str(waarde)
            nodig = TEKST_VELDEN[naam][0]
            return self._mist(str(self.cat.get(nodig, {}).get("label", nodig)))
        if naam in self.cat:
            waarde = self.f.get(naam)
            if waarde is None:
                return self._mist(str(self.cat[naam].get("label", naam)))
            return formatting.date_long(waarde) if isinstance(waarde, dt.date) else str(waarde)
        if naam.startswith(("telefoon.", "email.")):
            soort, _, cid = naam.partition(".")
            c = self.k.contact.get(cid)
            return str(getattr(c, soort)) if c and getattr(c, soort) else m.group(0)
        if naam in self.k.cijfers:
            jaar = self.jaar
            if mod == "vorig_jaar":
                jaar -= 1
            elif mod == "volgend_jaar":
                jaar += 1
            elif mod and mod.isdigit():
                jaar = int(mod)
            cv = self.k.cijfer(naam, jaar)
            if not cv.bekend:
                noot = f"De {self.k.cijfers[naam].omschrijving} voor {jaar} is niet bekend."
                if noot not in self.notities:
                    self.notities.append(noot)
                return "(niet bekend)"
            if cv.status == "afgeleid":
                noot = f"De {self.k.cijfers[naam].omschrijving} voor {jaar} is afgeleid, niet officieel bevestigd."
                if noot not in self.notities:
                    self.notities.append(noot)
            return format_value(cv)
        return m.group(0)


def _bronnen(k: Knowledge, ids: Iterable[Any]) -> list[Bron]:
    return [k.bronnen[str(i)] for i in ids if str(i) in k.bronnen]


def _anker_jaar(f: dict[str, Any], vandaag: dt.date) -> int:
    for naam in ("datum_overgang", "datum_start_juist", "datum_start", "datum_laatste_dag", "datum_einde_indicatie"):
        if isinstance(f.get(naam), dt.date):
            return int(f[naam].year)
    return vandaag.year


def checklist(
    k: Knowledge, situatie_id: str | Situatie, feiten: dict[str, Any] | None = None, vandaag: dt.date | None = None
) -> Checklist:
    """The steps for a situation with computed dates, contribution effect, letters, risks, sources.

    Raises GuidanceError for facts that cannot be right. Missing facts are shown as
    "[nog niet bekend: ...]" and listed in `Checklist.ontbrekend`.
    """
    s = situatie(k, situatie_id)
    today = vandaag or extract.today()
    f, notities = _normaliseer(k, dict(feiten or {}), today)
    if s.nummer is not None:
        f.setdefault("leveringsvorm", s.nummer)
    lv_nummer = f.get("leveringsvorm")
    lv = _leveringsvormen(k).get(lv_nummer) if isinstance(lv_nummer, int) else None
    if lv is not None and not lv.get("nu") and s.nummer is None:
        reden = str((lv.get("van_toepassing") or {}).get("tekst", "")).strip()
        kiesbaar = ", ".join(str(x["nummer"]) for x in _kiesbare_leveringsvormen(k))
        raise GuidanceError(f"Leveringsvorm {lv_nummer} kan niet meer. {reden} Kies leveringsvorm {kiesbaar}.")
    afgeleid = _afgeleide_feiten(k, f)
    waarden = {**f, **afgeleid}
    vuller = _Vuller(k, s, f, afgeleid, _anker_jaar(f, today))

    stappen = [
        Stap(
            wie=str(st["wie"]),
            wat=vuller.vul(str(st["wat"])),
            bericht=vuller.vul(str(st["bericht"])) if st.get("bericht") else None,
            status=str(st["status"]),
            bronnen=_bronnen(k, st.get("bronnen") or []),
        )
        for st in s.data.get("stappen") or []
        if _past(st.get("als") or {}, waarden)
    ]

    def punten(key: str) -> list[Punt]:
        return [
            Punt(vuller.vul(str(p["tekst"])), str(p["status"]), _bronnen(k, p.get("bronnen") or []), p.get("onderwerp"))
            for p in s.data.get(key) or []
            if _past(p.get("als") or {}, waarden)
        ]

    bijdrage = punten("bijdrage")
    bijdrage.sort(key=lambda p: ONDERWERPEN.index(p.onderwerp) if p.onderwerp in ONDERWERPEN else len(ONDERWERPEN))

    lv_punt = None
    if lv is not None:
        regel = _nu_regel(k, lv["nummer"], f)
        toepassing = lv.get("van_toepassing") or {}
        if regel:
            tekst = f"{lv.get('titel')}: {regel.get('bijdrage')}; bericht {regel.get('bericht')}."
            if toepassing.get("antwoord") == "nee":
                tekst += " " + str(toepassing.get("tekst", "")).strip()
            lv_punt = Punt(vuller.vul(tekst), str(regel.get("status")), _bronnen(k, regel.get("bronnen") or []))
        else:
            lv_punt = Punt(
                f"{lv.get('titel')}: {str(toepassing.get('tekst', '')).strip()}",
                str(toepassing.get("status", "bevestigd")),
                _bronnen(k, toepassing.get("bronnen") or []),
            )

    getoond: list[tuple[str, str]] = []
    cat = _catalogus(k)
    for ref in s.feiten:
        if ref.feit in f:
            waarde = f[ref.feit]
            if ref.feit == "leveringsvorm" and lv_punt is not None:
                continue  # shown in its own section
            if isinstance(waarde, dt.date):
                tekst = formatting.date_long(waarde)
            else:
                opties = {str(o.get("waarde")): str(o.get("label")) for o in cat.get(ref.feit, {}).get("opties") or []}
                tekst = opties.get(str(waarde), str(waarde))
            label = str(cat.get(ref.feit, {}).get("label", ref.feit))
            getoond.append((label[:1].upper() + label[1:], tekst))
            if ref.feit == "datum_overgang":
                oud = vuller.datum("laatste_dag_oud")
                if oud:
                    getoond.append(("Laatste dag van de oude situatie", formatting.date_long(oud)))

    alle = stappen + bijdrage + punten("burger_ontvangt") + punten("risicos")
    bron_ids: list[str] = []
    for item in alle + ([lv_punt] if lv_punt else []):
        for b in item.bronnen:
            if b.id not in bron_ids:
                bron_ids.append(b.id)

    for ref in s.feiten:
        if not ref.optioneel and ref.feit not in f and _past(ref.als, waarden):
            label = str(cat.get(ref.feit, {}).get("label", ref.feit))
            if label not in vuller.ontbrekend:
                vuller.ontbrekend.append(label)

    return Checklist(
        situatie_id=s.id,
        titel=s.titel,
        beschrijving=s.beschrijving,
        feiten=getoond,
        stappen=stappen,
        bijdrage=bijdrage,
        burger_ontvangt=punten("burger_ontvangt"),
        risicos=punten("risicos"),
        leveringsvorm=lv_punt,
        bronnen=_bronnen(k, bron_ids),
        waarschuwing=niet_bevestigd_tekst(k),
        ontbrekend=vuller.ontbrekend,
        notities=notities + vuller.notities,
    )


def niet_bevestigd_tekst(k: Knowledge) -> str:
    email = k.contact["cak_wmo_servicedesk"].email if "cak_wmo_servicedesk" in k.contact else None
    return NIET_BEVESTIGD.replace("{email.cak_wmo_servicedesk}", email or "het CAK")


# --------------------------------------------------------------------------- recognition

# Cue words before a date (normalized text, longest first where it matters).
_CUE_LAATSTE = ("tot en met", "t m", "tm", "laatste dag", "laatste zorgdag", "einddatum", "uiterlijk")
_CUE_EERSTE = ("met ingang van", "m i v", "miv", "per", "vanaf", "sinds", "ingangsdatum", "startdatum")
_CUE_FOUT = ("in plaats van", "i p v", "ipv", "foute", "verkeerde", "fout", "was", "stond op", "stond")
_CUE_JUIST = ("moet zijn", "juiste", "correcte", "goede", "moet", "wordt", "naar")
_STOP_WOORDEN = {
    "stop",
    "stopt",
    "stoppen",
    "stopdatum",
    "eindigt",
    "einde",
    "afmelden",
    "afmelding",
    "beeindigd",
    "beeindigen",
    "beeindiging",
    "einddatum",
    "verloopt",
    "afloopt",
}
_START_WOORDEN = {
    "start",
    "starten",
    "startdatum",
    "begint",
    "beginnen",
    "begin",
    "aanmelden",
    "aanmelding",
    "ingangsdatum",
    "toegekend",
    "toekenning",
}
_BEWEGING = {
    "gaat",
    "gaan",
    "over",
    "overgang",
    "overstap",
    "verhuist",
    "verhuizen",
    "verhuizing",
    "stroomt",
    "wordt",
    "naar",
    "per",
    "vanaf",
    "uitstroom",
    "krijgt",
    "instroom",
}
_VERHUIS_WOORDEN = ("verhuist", "verhuizen", "verhuizing", "verhuisd", "andere gemeente", "gaat wonen in")
_LIDWOORDEN = {"de", "het", "een", "gemeente", "zijn", "haar"}
_NIET_GEMEENTE = {
    "wlz",
    "wmo",
    "bw",
    "at",
    "cak",
    "ciz",
    "porta",
    "mijn",
    "zorgkantoor",
    "centrumgemeente",
    "gemeente",
    "beschermd",
    "abonnementstarief",
    "huishoudelijke",
    "pgb",
    "leveringsvorm",
}
# Gemeenten whose name is also an ordinary Dutch word: only a capital letter makes them a gemeente.
_GEWONE_WOORDEN = {
    "leiden",
    "buren",
    "best",
    "putten",
    "beek",
    "goes",
    "sluis",
    "laren",
    "stein",
    "hoorn",
    "voorst",
    "wierden",
    "huizen",
    "kampen",
    "duiven",
    "grave",
    "assen",
    "delft",
    "losser",
    "hulst",
    "waterland",
    "echt",
    "ede",
    "epe",
    "oss",
    "weert",
    "boxtel",
    "dongen",
}
_DDMM = re.compile(r"(?<![\d\w/-])(\d{1,2})[-/](\d{1,2})(?![\d/-]|\w)")
_LV = re.compile(r"\b(?:leveringsvorm|lv)\s*(\d)\b")
_SCORE_DREMPEL = 3


@dataclass
class _Datum:
    tekst: str
    start: int
    eind: int
    datum: dt.date | None
    jaar_aangenomen: bool
    cue: str | None = None  # laatste | eerste | van | fout | juist | None
    soort: str | None = None  # start | stop | None


@dataclass
class Herkenning:
    """What a staff message says: situation, facts, and what is wrong with it."""

    situatie: str | None
    kandidaten: list[str] = field(default_factory=list)
    feiten: dict[str, Any] = field(default_factory=dict)
    datums: list[dt.date] = field(default_factory=list)
    gemeenten: list[str] = field(default_factory=list)
    onbekende_gemeenten: list[str] = field(default_factory=list)
    leveringsvorm: int | None = None
    problemen: list[str] = field(default_factory=list)
    aannames: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problemen


def _vouw(tekst: str) -> str:
    """Lower case without accents, non-word characters as spaces; same length as the input."""
    out = []
    for c in tekst:
        basis = unicodedata.normalize("NFKD", c)[:1] or c
        low = basis.lower()
        low = low if len(low) == 1 else basis
        out.append(low if (low.isalnum() or low == "_") else " ")
    return "".join(out)


@lru_cache(maxsize=8192)
def _woord_regex(frase: str) -> re.Pattern[str]:
    delen = normalize(frase).split()
    return re.compile(r"(?<![\w])" + r"\s+".join(re.escape(d) for d in delen) + r"(?![\w])")


def _tokens_voor(gevouwen: str, pos: int, n: int = 4) -> list[str]:
    return gevouwen[:pos].split()[-n:]


def _eindigt_met(tokens: list[str], frases: Iterable[str]) -> str | None:
    tekst = " ".join(tokens)
    for frase in frases:
        if tekst == frase or tekst.endswith(" " + frase):
            return frase
    return None


def _datums_in(tekst: str, vandaag: dt.date) -> list[_Datum]:
    """Dates in the text with their position; impossible ones come back with datum=None."""
    out: list[_Datum] = []
    for m in extract.DATE.finditer(tekst):
        raw = m.group(1)
        try:
            gevonden = extract.dates(raw, vandaag)
        except extract.BadDate:
            out.append(_Datum(raw, m.start(1), m.end(1), None, False))
            continue
        d = gevonden[0] if gevonden else None
        dagnr = re.match(r"\d{1,2}", raw)
        if d is not None and dagnr and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) and int(dagnr.group(0)) != d.day:
            d = None  # "32 maart" must not become 1 maart 2032
        heeft_jaar = bool(re.search(r"\d{4}", raw)) or bool(re.search(r"[-/]\d{2}$", raw))
        out.append(_Datum(raw, m.start(1), m.end(1), d, not heeft_jaar))
    bezet = [(d.start, d.eind) for d in out]
    for m in _DDMM.finditer(tekst):
        if any(a <= m.start() < b for a, b in bezet):
            continue
        dag, maand = int(m.group(1)), int(m.group(2))
        try:
            d = dt.date(vandaag.year, maand, dag)
        except ValueError:
            d = None
        out.append(_Datum(m.group(0), m.start(), m.end(), d, True))
    out.sort(key=lambda d: d.start)
    return out


def _markeer_datums(gevouwen: str, datums: list[_Datum]) -> None:
    for d in datums:
        voor = _tokens_voor(gevouwen, d.start, 4)
        kort = voor[-3:]
        if _eindigt_met(kort, _CUE_FOUT):
            d.cue = "fout"
        elif _eindigt_met(kort, _CUE_JUIST) and not _eindigt_met(kort, ("naar",)):
            d.cue = "juist"
        elif _eindigt_met(kort, _CUE_LAATSTE):
            d.cue = "laatste"
        elif _eindigt_met(kort, _CUE_EERSTE):
            d.cue = "eerste"
        elif _eindigt_met(kort, ("naar",)):
            d.cue = "juist"
        elif _eindigt_met(kort, ("van",)):
            d.cue = "van"  # "van 1 maart tot en met ...": a start, but no day shift
        d.soort = "stop" if d.cue == "laatste" else None
        for t in reversed(_tokens_voor(gevouwen, d.start, 6)):  # the nearest keyword decides
            if t in _STOP_WOORDEN:
                d.soort = "stop"
                break
            if t in _START_WOORDEN:
                d.soort = d.soort or "start"
                break


def _laatste_dag(d: _Datum) -> dt.date | None:
    """The last day with care that a stop date means: 'per 1 mei' = after 30 april."""
    if d.datum is None:
        return None
    return d.datum - dt.timedelta(days=1) if d.cue == "eerste" else d.datum


@dataclass
class _Treffer:
    start: int
    eind: int
    naam: str  # official name or regime id
    noot: str | None = None
    rol: str | None = None


def _zoek_frases(gevouwen: str, frases: dict[str, str]) -> list[_Treffer]:
    """Non-overlapping matches of normalized phrases (longest first) in the folded text."""
    treffers: list[_Treffer] = []
    for frase, naam in frases.items():
        if not frase:
            continue
        for m in _woord_regex(frase).finditer(gevouwen):
            treffers.append(_Treffer(m.start(), m.end(), naam))
    treffers.sort(key=lambda t: (t.start, -(t.eind - t.start)))
    gekozen: list[_Treffer] = []
    for t in treffers:
        if all(t.start >= g.eind or t.eind <= g.start for g in gekozen):
            gekozen.append(t)
    return sorted(gekozen, key=lambda t: t.start)


def _rol(gevouwen: str, pos: int) -> str | None:
    voor = [t for t in _tokens_voor(gevouwen, pos, 3) if t not in _LIDWOORDEN]
    if not voor:
        return None
    laatste = voor[-1]
    if laatste in ("van", "vanuit", "uit"):
        return "van"
    if laatste == "naar":
        return "naar"
    if laatste in ("in", "bij", "te"):
        return "in"
    return None


def _gemeenten_in(k: Knowledge, tekst: str, gevouwen: str) -> list[_Treffer]:
    frases = {norm: naam for norm, naam in k.gemeentelijst.items()}
    noten: dict[str, str | None] = {}
    for a in _aliassen(k):
        doel = k.gemeentelijst.get(normalize(str(a.get("gemeente", ""))))
        if doel and a.get("naam"):
            frases.setdefault(normalize(str(a["naam"])), doel)
            if a.get("toelichting"):
                noten[normalize(str(a["naam"]))] = f"{a['naam']} is {a['toelichting']}."
    out = []
    for t in _zoek_frases(gevouwen, frases):
        origineel = tekst[t.start : t.eind]
        hoofdletter = any(w[:1].isupper() for w in re.findall(r"[^\W\d_]+", origineel))
        norm = normalize(origineel)
        if not hoofdletter and (norm in _GEWONE_WOORDEN or _rol(gevouwen, t.start) is None):
            continue
        t.noot = noten.get(norm)
        t.rol = _rol(gevouwen, t.start)
        out.append(t)
    return out


_KANDIDAAT = r"((?:'s-)?[A-ZÀ-Ý][\w'’-]*(?:\s+(?:(?:aan|den|de|op|en|van|bij|der|in)\s+)?[A-ZÀ-Ý][\w'’-]*)*)"
_ONBEKEND_PATRONEN = (
    re.compile(
        r"\bvan\s+(?:de\s+)?(?:gemeente\s+)?" + _KANDIDAAT + r"\s+naar\s+(?:de\s+)?(?:gemeente\s+)?" + _KANDIDAAT
    ),
    re.compile(r"\b(?:naar|uit)\s+(?:de\s+)?(?:gemeente\s+)?" + _KANDIDAAT),
    re.compile(r"\b[Gg]emeente\s+" + _KANDIDAAT),
)


def _onbekende_gemeenten(
    k: Knowledge, tekst: str, bekend: list[_Treffer], regime_frases: dict[str, str]
) -> list[_Treffer]:
    out: list[_Treffer] = []
    maanden = set(extract.MONTHS)
    for patroon in _ONBEKEND_PATRONEN:
        for m in patroon.finditer(tekst):
            for g in range(1, (m.lastindex or 0) + 1):
                kandidaat, start = m.group(g), m.start(g)
                if not kandidaat:
                    continue
                eind = start + len(kandidaat)
                if any(start < t.eind and t.start < eind for t in bekend + out):
                    continue
                norm = normalize(kandidaat)
                eerste = norm.split()[0] if norm else ""
                if (
                    not norm
                    or eerste in _NIET_GEMEENTE
                    or eerste in maanden
                    or norm in regime_frases
                    or any(norm.startswith(f + " ") for f in regime_frases)
                ):
                    continue
                rol = "van" if patroon is _ONBEKEND_PATRONEN[0] and g == 1 else None
                if rol is None:
                    voor = tekst[:start].split()[-2:]
                    rol = "van" if voor and voor[-1].lower() in ("uit", "van") else "naar"
                    if voor and voor[-1].lower() == "gemeente":
                        rol = _rol(_vouw(tekst), start - len("gemeente ")) or "in"
                out.append(_Treffer(start, eind, kandidaat.strip(), rol=rol))
    return out


def _regime_frases(k: Knowledge) -> dict[str, str]:
    frases: dict[str, str] = {}
    for rid, spec in _regimes(k).items():
        for w in spec.get("woorden") or []:
            frases[normalize(str(w))] = rid
    return frases


def _bevat(gevouwen: str, frase: str) -> bool:
    return bool(frase.strip()) and bool(_woord_regex(frase).search(gevouwen))


def herken(k: Knowledge, tekst: str, today: dt.date | None = None) -> Herkenning:
    """Read a staff message: situation, dates, gemeenten, leveringsvorm and problems.

    Problems (impossible date, stop before start, unknown gemeente) are returned in
    `problemen`, in Dutch, never raised. Assumptions the staff member should check (a year
    that was not written, how a stop date is read) are in `aannames`.
    """
    vandaag = today or extract.today()
    gevouwen = _vouw(tekst)
    h = Herkenning(situatie=None)

    # dates
    datums = _datums_in(tekst, vandaag)
    _markeer_datums(gevouwen, datums)
    for d in datums:
        if d.datum is None:
            h.problemen.append(f"'{d.tekst}' is geen bestaande datum. Controleer de datum.")
        else:
            h.datums.append(d.datum)
    geldig = [d for d in datums if d.datum is not None]
    if any(d.jaar_aangenomen for d in geldig):
        jaren = sorted({d.datum.year for d in geldig if d.jaar_aangenomen and d.datum})
        h.aannames.append(f"Er staat geen jaar bij de datum; ik ga uit van {', '.join(map(str, jaren))}.")

    # regimes (Wlz, beschermd wonen, abonnementstarief) and their roles
    regime_frases = _regime_frases(k)
    regimes = _zoek_frases(gevouwen, regime_frases)
    for r in regimes:
        r.rol = _rol(gevouwen, r.start)
    volgorde: list[str] = []
    for r in regimes:
        if r.naam not in volgorde:
            volgorde.append(r.naam)
    van = next((r.naam for r in regimes if r.rol == "van"), None)
    naar = next((r.naam for r in regimes if r.rol == "naar"), None)
    zonder_rol = [r.naam for r in regimes if r.rol not in ("van", "naar")]
    if van is None and naar is not None:
        van = next((x for x in zonder_rol if x != naar), None)
    if naar is None and van is not None:
        naar = next((x for x in zonder_rol if x != van), None)

    # gemeenten
    bekend = _gemeenten_in(k, tekst, gevouwen)
    onbekend = _onbekende_gemeenten(k, tekst, bekend, regime_frases)
    for t in bekend:
        if t.naam not in h.gemeenten:
            h.gemeenten.append(t.naam)
        if t.noot and t.noot not in h.aannames:
            h.aannames.append(t.noot)
    for t in onbekend:
        h.onbekende_gemeenten.append(t.naam)
        h.problemen.append(onbekende_gemeente_tekst(k, t.naam))
    alle_gem = sorted(bekend + onbekend, key=lambda t: t.start)
    verhuizing = any(_bevat(gevouwen, w) for w in _VERHUIS_WOORDEN)
    verschillend = {t.naam for t in alle_gem}
    twee_gemeenten = len(verschillend) >= 2 or _bevat(gevouwen, "andere gemeente")

    samen_woord = any(
        _bevat(gevouwen, w)
        for s in situaties(k)
        if s.herkenning.get("samen")
        for w in s.herkenning.get("woorden") or []
    )
    if _LV.search(gevouwen) and not set(volgorde) & {"bw", "at"}:
        volgorde.append("bw")  # "leveringsvorm 7" is about beschermd wonen
    if van is None and naar is None:
        if len(volgorde) >= 2 and not samen_woord and set(gevouwen.split()) & _BEWEGING:
            van, naar = volgorde[0], volgorde[1]
        elif len(volgorde) == 1 and (verhuizing or twee_gemeenten):
            van = naar = volgorde[0]

    # leveringsvorm and other choices
    m = _LV.search(gevouwen)
    lv_by_nr = _leveringsvormen(k)
    if m and int(m.group(1)) in lv_by_nr:
        h.leveringsvorm = int(m.group(1))
    elif m:
        h.problemen.append(f"Leveringsvorm {m.group(1)} bestaat niet; er zijn leveringsvormen 1 tot en met 7.")
    else:
        lv_frases = {
            normalize(str(w)): str(nr)
            for nr, lv in lv_by_nr.items()
            for w in (lv.get("herkenning") or {}).get("woorden") or []
            if not _LV.search(normalize(str(w)))
        }
        gevonden = _zoek_frases(gevouwen, lv_frases)
        if gevonden:
            h.leveringsvorm = int(gevonden[0].naam)
    if h.leveringsvorm is not None:
        lv = lv_by_nr[h.leveringsvorm]
        h.feiten["leveringsvorm"] = h.leveringsvorm
        if not lv.get("nu"):
            reden = str((lv.get("van_toepassing") or {}).get("tekst", "")).strip()
            h.problemen.append(f"Leveringsvorm {h.leveringsvorm} kan niet meer gekozen worden. {reden}")
    if _bevat(gevouwen, "zonder wooncomponent"):
        h.feiten["wooncomponent"] = "nee"
    elif _bevat(gevouwen, "met wooncomponent"):
        h.feiten["wooncomponent"] = "ja"
    gebruikte = set(volgorde)
    if gebruikte & {"bw", "at"} and len(gebruikte & {"bw", "at"}) == 1:
        h.feiten["regeling"] = next(iter(gebruikte & {"bw", "at"}))
    for woorden, basis in (
        (("301", "toekenning"), "toekenning_301"),
        (("303", "declaratie", "declaraties"), "declaratie_303"),
        (("305", "307", "feitelijke levering", "daadwerkelijke levering"), "levering_305_307"),
    ):
        if any(_bevat(gevouwen, w) for w in woorden):
            h.feiten["basis"] = basis
            break

    # situation
    scores: dict[str, int] = {}
    for s in situaties(k):
        her = s.herkenning
        score = 0
        if s.is_leveringsvorm:
            score = 4 if (m and s.nummer == h.leveringsvorm) else 0
        else:
            hv, hn = her.get("van"), her.get("naar")
            if hv and hn:
                if van == hv and naar == hn:
                    score += 10
                elif naar == hn and van is None:
                    score += 4
                elif van == hv and naar is None:
                    score += 3
            samen = her.get("samen")
            if samen and all(x in gebruikte for x in samen) and samen_woord:
                score += 10
            ag = her.get("andere_gemeente")
            if ag is True:
                score += 4 if twee_gemeenten else -3
            elif ag is False and twee_gemeenten:
                score -= 4
            score += 3 * sum(1 for w in her.get("woorden") or [] if _bevat(gevouwen, str(w)))
        if score > 0:
            scores[s.id] = score
    h.scores = scores
    gerangschikt = sorted(scores, key=lambda sid: -scores[sid])
    gelijk = len(gerangschikt) >= 2 and scores[gerangschikt[0]] == scores[gerangschikt[1]]
    if gerangschikt and scores[gerangschikt[0]] >= _SCORE_DREMPEL and not gelijk:
        h.situatie = gerangschikt[0]  # a tie is left to the staff member (kandidaten)
    h.kandidaten = [sid for sid in gerangschikt if sid != h.situatie][: 3 if h.situatie else 4]

    # gemeenten as facts; "naar beschermd wonen in Utrecht": Utrecht is where the client goes
    for t in alle_gem:
        if t.rol == "in":
            vorige = [r for r in regimes if r.eind <= t.start and t.start - r.eind <= 20]
            if vorige and vorige[-1].rol in ("van", "naar"):
                t.rol = vorige[-1].rol
    rollen_oud = [t.naam for t in alle_gem if t.rol == "van"]
    rollen_nieuw = [t.naam for t in alle_gem if t.rol == "naar"]
    bekende_namen = {t.naam for t in bekend}
    if rollen_oud and rollen_oud[0] in bekende_namen:
        h.feiten["gemeente_oud"] = rollen_oud[0]
    if rollen_nieuw and rollen_nieuw[0] in bekende_namen:
        h.feiten["gemeente_nieuw"] = rollen_nieuw[0]
    zonder_rollen = all(t.rol is None for t in alle_gem)
    if zonder_rollen and len(bekend) >= 2 and len(bekende_namen) >= 2:
        h.feiten["gemeente_oud"], h.feiten["gemeente_nieuw"] = bekend[0].naam, bekend[1].naam
    elif len(bekende_namen) == 1 and "gemeente_oud" not in h.feiten and "gemeente_nieuw" not in h.feiten:
        h.feiten["gemeente"] = bekend[0].naam

    # dates as facts for the situation
    _datums_als_feiten(k, h, geldig)
    _check_start_stop(k, h, geldig)
    return h


def _datums_als_feiten(k: Knowledge, h: Herkenning, datums: list[_Datum]) -> None:
    if h.situatie is None or not datums:
        return
    nodig = {ref.feit for ref in situatie(k, h.situatie).feiten}
    gebruikt: set[int] = set()

    def neem(d: _Datum) -> dt.date:
        gebruikt.add(id(d))
        return d.datum  # type: ignore[return-value]

    def vrij() -> list[_Datum]:
        return [d for d in datums if id(d) not in gebruikt]

    if "datum_start_fout" in nodig or "datum_start_juist" in nodig:
        fout = next((d for d in vrij() if d.cue == "fout"), None)
        if fout:
            h.feiten["datum_start_fout"] = neem(fout)
        juist = next((d for d in vrij() if d.cue == "juist"), None)
        if juist:
            h.feiten["datum_start_juist"] = neem(juist)
        rest = vrij()
        if "datum_start_fout" not in h.feiten and rest:
            h.feiten["datum_start_fout"] = neem(rest.pop(0))
        if "datum_start_juist" not in h.feiten and rest:
            h.feiten["datum_start_juist"] = neem(rest.pop(0))
    if "datum_overgang" in nodig:
        d = next((d for d in vrij() if d.cue != "laatste" and d.soort != "stop"), None)
        if d:
            h.feiten["datum_overgang"] = neem(d)
        else:
            d = next((d for d in vrij() if d.cue == "laatste" or d.soort == "stop"), None)
            oud = _laatste_dag(d) if d else None
            if d and oud:
                neem(d)
                eerste = oud + dt.timedelta(days=1)
                h.feiten["datum_overgang"] = eerste
                h.aannames.append(
                    f"De laatste dag van de oude situatie is {formatting.date_long(oud)}; "
                    f"de nieuwe situatie begint dan op {formatting.date_long(eerste)}."
                )
    if "datum_start" in nodig:
        d = next((d for d in vrij() if d.soort == "start" or (d.cue in ("eerste", "van") and d.soort != "stop")), None)
        if d is None and "datum_laatste_dag" not in nodig:
            d = next(iter(vrij()), None)
        if d:
            h.feiten["datum_start"] = neem(d)
    if "datum_laatste_dag" in nodig:
        d = next((d for d in vrij() if d.soort == "stop" or d.cue == "laatste"), None) or next(iter(vrij()), None)
        if d:
            laatste = _laatste_dag(d)
            neem(d)
            h.feiten["datum_laatste_dag"] = laatste
            if d.cue == "eerste" and laatste:
                h.aannames.append(
                    f"'{d.tekst}' lees ik als de eerste dag zonder zorg: de laatste dag met zorg is dan "
                    f"{formatting.date_long(laatste)}."
                )
            elif d.cue != "laatste" and laatste:
                h.aannames.append(f"Ik ga ervan uit dat {formatting.date_long(laatste)} de laatste dag met zorg is.")
    if "datum_einde_indicatie" in nodig:
        d = next(iter(vrij()), None)
        if d:
            h.feiten["datum_einde_indicatie"] = neem(d)


def _check_start_stop(k: Knowledge, h: Herkenning, datums: list[_Datum]) -> None:
    """A stop before a start is a problem, whether or not a situation was recognised."""
    cat = _catalogus(k)
    try:
        _controleer_samenhang(cat, h.feiten)
    except GuidanceError as exc:
        h.problemen.append(str(exc))
        return
    starts = [d for d in datums if d.soort == "start" or (d.cue in ("eerste", "van") and d.soort != "stop")]
    stops = [d for d in datums if d.soort == "stop" or d.cue == "laatste"]
    for stop in stops:
        laatste = _laatste_dag(stop)
        for start in starts:
            if start is stop or laatste is None or start.datum is None:
                continue
            if laatste < start.datum:
                h.problemen.append(
                    f"De stopdatum ({formatting.date_long(laatste)}) ligt vóór de startdatum "
                    f"({formatting.date_long(start.datum)}). Een stop kan niet vóór de start liggen: "
                    "controleer de datums."
                )
                return


# --------------------------------------------------------------------------- validation

Fout = tuple[int, str]
LineFn = Callable[[Any, tuple[Any, ...]], int]


class _Controle:
    def __init__(self, k: Knowledge, stem: str, tree: Any, line_fn: LineFn):
        self.k = k
        self.stem = stem
        self.tree = tree
        self.line_fn = line_fn
        self.data = plain(tree)
        self.fouten: list[Fout] = []
        cat = _catalogus(k)
        if isinstance(self.data, dict) and isinstance(self.data.get("feiten"), dict):
            cat.update({n: s for n, s in self.data["feiten"].items() if isinstance(s, dict)})
        self.cat = cat
        regimes = _regimes(k)
        if isinstance(self.data, dict) and isinstance(self.data.get("regimes"), dict):
            regimes.update(self.data["regimes"])
        self.regimes = regimes

    def fout(self, pad: tuple[Any, ...], bericht: str) -> None:
        try:
            regel = int(self.line_fn(self.tree, pad))
        except Exception:  # noqa: BLE001 - a line number is best effort
            regel = 0
        self.fouten.append((regel, bericht))

    def tekst(self, pad: tuple[Any, ...], waarde: Any, veld: str, verplicht: bool = True) -> bool:
        if waarde is None and not verplicht:
            return False
        if not isinstance(waarde, str) or not waarde.strip():
            self.fout(pad, f"{veld}: verplicht veld met tekst ontbreekt of is leeg")
            return False
        return True

    def bronnen(self, pad: tuple[Any, ...], ids: Any, waar: str) -> None:
        if not isinstance(ids, list) or not ids:
            self.fout(pad, f"{waar}: 'bronnen' ontbreekt (minstens één bron-id uit knowledge/bronnen.yml)")
            return
        if not self.k.bronnen:
            return  # bronnen.yml itself did not load: that error is reported there
        for i, b in enumerate(ids):
            if str(b) not in self.k.bronnen:
                self.fout((*pad, i), f"{waar}: onbekende bron '{b}' (niet in knowledge/bronnen.yml)")

    def invulvelden(self, pad: tuple[Any, ...], tekst: str, waar: str, feiten: set[str]) -> None:
        for m in re.finditer(r"\{[^{}]*\}", tekst):
            if not PLACEHOLDER.fullmatch(m.group(0)):
                self.fout(pad, f"{waar}: ongeldig invulveld {m.group(0)}")
        if tekst.count("{") != tekst.count("}"):
            self.fout(pad, f"{waar}: accolades {{ }} zijn niet in evenwicht")
        rest = []
        for m in PLACEHOLDER.finditer(tekst):
            naam, mod = m.group(1), m.group(2)
            eigen = naam in DATUM_VELDEN or naam in MAAND_VELDEN or naam in TEKST_VELDEN or naam in self.cat
            if not eigen:
                rest.append(m.group(0))
                continue
            if mod is not None:
                self.fout(pad, f"{waar}: {m.group(0)} kan geen @{mod} hebben")
            nodig: tuple[str, ...] = ()
            if naam in DATUM_VELDEN:
                nodig = DATUM_VELDEN[naam].nodig
            elif naam in MAAND_VELDEN:
                nodig = DATUM_VELDEN[MAAND_VELDEN[naam]].nodig
            elif naam in TEKST_VELDEN:
                nodig = TEKST_VELDEN[naam]
            elif naam in self.cat and naam != "gemeente":
                nodig = (naam,)
            if nodig and not set(nodig) & feiten:
                self.fout(
                    pad, f"{waar}: {m.group(0)} vraagt het feit {' of '.join(nodig)}, maar dat staat niet bij 'feiten'"
                )
        if not self.k.cijfers:
            return  # cijfers.yml itself did not load: that error is reported there
        for ph in rest:
            naam = ph[1:-1].split("@")[0]
            if naam not in self.k.cijfers and not naam.startswith(("telefoon.", "email.")):
                bekend = ", ".join(sorted(DATUM_VELDEN) + sorted(MAAND_VELDEN) + sorted(TEKST_VELDEN))
                self.fout(pad, f"{waar}: onbekend invulveld {ph} (geen feit, cijfer of contact; datums: {bekend})")
                continue
            for bericht in placeholder_problems(self.k, ph):
                self.fout(pad, f"{waar}: {bericht}")

    def als(self, pad: tuple[Any, ...], als: Any, waar: str, feiten: set[str]) -> None:
        if als is None:
            return
        if not isinstance(als, dict) or not als:
            self.fout(pad, f"{waar}: 'als' moet een lijstje feit: waarde zijn")
            return
        for naam, verwacht in als.items():
            waarden = verwacht if isinstance(verwacht, list) else [verwacht]
            if naam in AFGELEIDE_FEITEN:
                toegestaan: list[str] | None = list(AFGELEIDE_FEITEN[naam])
                bron = "leveringsvorm" if naam == "bw_regeling" else "datum_start_fout"
                if bron not in feiten:
                    self.fout((*pad, naam), f"{waar}: 'als {naam}' vraagt het feit {bron} bij 'feiten'")
            elif naam in self.cat:
                spec = self.cat[naam]
                if naam not in feiten:
                    self.fout((*pad, naam), f"{waar}: 'als {naam}' gebruikt een feit dat niet bij 'feiten' staat")
                if spec.get("soort") == "keuze":
                    toegestaan = [str(o.get("waarde")) for o in spec.get("opties") or []]
                elif spec.get("soort") == "leveringsvorm":
                    toegestaan = [str(n) for n in range(1, 8)]
                else:
                    toegestaan = None
            else:
                self.fout((*pad, naam), f"{waar}: onbekend feit '{naam}' in 'als'")
                continue
            if toegestaan is not None:
                for w in waarden:
                    if str(w) not in toegestaan:
                        self.fout(
                            (*pad, naam), f"{waar}: waarde '{w}' kan niet voor {naam}; kies uit {', '.join(toegestaan)}"
                        )

    def sleutels(self, pad: tuple[Any, ...], obj: dict[str, Any], toegestaan: Iterable[str], waar: str) -> None:
        toegestaan = tuple(toegestaan)
        for key in obj:
            if key not in toegestaan:
                self.fout((*pad, key), f"{waar}: onbekend veld '{key}' (kies uit {', '.join(toegestaan)})")

    # ---------------------------------------------------------------- parts

    def feiten_catalogus(self, feiten: Any) -> None:
        if not isinstance(feiten, dict):
            self.fout(("feiten",), "'feiten' moet per feit een beschrijving hebben")
            return
        for naam, spec in feiten.items():
            pad = ("feiten", naam)
            if not ID_PATROON.match(naam):
                self.fout(pad, f"feit '{naam}': gebruik kleine letters, cijfers en _")
            if not isinstance(spec, dict):
                self.fout(pad, f"feit '{naam}': beschrijving ontbreekt")
                continue
            self.sleutels(
                pad, spec, ("soort", "label", "vraag", "uitleg", "opties", "niet_voor", "anders_dan"), f"feit '{naam}'"
            )
            if spec.get("soort") not in FEIT_SOORTEN:
                self.fout((*pad, "soort"), f"feit '{naam}': soort moet een van {', '.join(FEIT_SOORTEN)} zijn")
            self.tekst((*pad, "vraag"), spec.get("vraag"), f"feit '{naam}': vraag")
            self.tekst((*pad, "label"), spec.get("label"), f"feit '{naam}': label")
            if spec.get("soort") == "keuze":
                opties = spec.get("opties")
                if not isinstance(opties, list) or len(opties) < 2:
                    self.fout((*pad, "opties"), f"feit '{naam}': een keuze heeft minstens twee opties")
                else:
                    for i, o in enumerate(opties):
                        if not isinstance(o, dict) or "waarde" not in o or not o.get("label"):
                            self.fout((*pad, "opties", i), f"feit '{naam}': een optie heeft een waarde en een label")
            for sleutel in ("niet_voor", "anders_dan"):
                ander = spec.get(sleutel)
                if ander is not None and ander not in self.cat:
                    self.fout((*pad, sleutel), f"feit '{naam}': {sleutel} verwijst naar onbekend feit '{ander}'")
            if spec.get("niet_voor") and (
                spec.get("soort") != "datum" or self.cat.get(spec["niet_voor"], {}).get("soort") != "datum"
            ):
                self.fout((*pad, "niet_voor"), f"feit '{naam}': niet_voor kan alleen tussen twee datums")

    def regimes_deel(self, regimes: Any) -> None:
        if not isinstance(regimes, dict):
            self.fout(("regimes",), "'regimes' moet per regeling een naam en woorden hebben")
            return
        for rid, spec in regimes.items():
            pad = ("regimes", rid)
            if not isinstance(spec, dict):
                self.fout(pad, f"regeling '{rid}': beschrijving ontbreekt")
                continue
            self.sleutels(pad, spec, ("naam", "woorden"), f"regeling '{rid}'")
            self.tekst((*pad, "naam"), spec.get("naam"), f"regeling '{rid}': naam")
            woorden = spec.get("woorden")
            if (
                not isinstance(woorden, list)
                or not woorden
                or not all(isinstance(w, str) and normalize(w) for w in woorden)
            ):
                self.fout((*pad, "woorden"), f"regeling '{rid}': 'woorden' moet een lijst woordgroepen zijn")

    def aliassen_deel(self, aliassen: Any) -> None:
        if not isinstance(aliassen, list):
            self.fout(("aliassen",), "'aliassen' moet een lijst zijn")
            return
        for i, a in enumerate(aliassen):
            pad = ("aliassen", i)
            if not isinstance(a, dict):
                self.fout(pad, "alias: schrijf {naam: .., gemeente: ..}")
                continue
            self.sleutels(pad, a, ("naam", "gemeente", "toelichting"), "alias")
            if not self.tekst((*pad, "naam"), a.get("naam"), "alias: naam"):
                continue
            doel = a.get("gemeente")
            if self.k.gemeentelijst and normalize(str(doel)) not in self.k.gemeentelijst:
                self.fout(
                    (*pad, "gemeente"),
                    f"alias '{a['naam']}': onbekende gemeente '{doel}' (niet in knowledge/gemeentelijst.yml)",
                )
            if normalize(str(a["naam"])) in self.k.gemeentelijst:
                self.fout((*pad, "naam"), f"alias '{a['naam']}' is zelf al een officiële gemeentenaam")

    def punt(self, pad: tuple[Any, ...], p: Any, waar: str, feiten: set[str], onderwerp: bool) -> None:
        if not isinstance(p, dict):
            self.fout(pad, f"{waar}: schrijf een punt met tekst, status en bronnen")
            return
        velden = ["tekst", "status", "bronnen", "als"] + (["onderwerp"] if onderwerp else [])
        self.sleutels(pad, p, velden, waar)
        if self.tekst((*pad, "tekst"), p.get("tekst"), f"{waar}: tekst"):
            self.invulvelden((*pad, "tekst"), p["tekst"], waar, feiten)
        if p.get("status") not in PUNT_STATUSSEN:
            self.fout((*pad, "status"), f"{waar}: status moet een van {', '.join(PUNT_STATUSSEN)} zijn")
        self.bronnen((*pad, "bronnen"), p.get("bronnen"), waar)
        self.als((*pad, "als"), p.get("als"), waar, feiten)
        if onderwerp and p.get("onderwerp") not in ONDERWERPEN:
            self.fout((*pad, "onderwerp"), f"{waar}: onderwerp moet een van {', '.join(ONDERWERPEN)} zijn")

    def situatie_deel(self, pad: tuple[Any, ...], s: Any, is_lv: bool, ids: dict[str, tuple[Any, ...]]) -> None:
        if not isinstance(s, dict):
            self.fout(pad, "een situatie is een lijstje velden (id, titel, stappen, ...)")
            return
        sid = str(s.get("id", "?"))
        waar = f"situatie '{sid}'"
        basis = [
            "id",
            "titel",
            "beschrijving",
            "feiten",
            "herkenning",
            "stappen",
            "bijdrage",
            "burger_ontvangt",
            "risicos",
        ]
        extra = ["nummer", "grondslag", "aanlevering", "afdracht", "van_toepassing", "nu"] if is_lv else []
        self.sleutels(pad, s, basis + extra, waar)
        if not isinstance(s.get("id"), str) or not ID_PATROON.match(s["id"]):
            self.fout((*pad, "id"), f"{waar}: id ontbreekt of heeft niet de juiste vorm (kleine letters, cijfers, _)")
        elif sid in ids:
            self.fout((*pad, "id"), f"{waar}: id bestaat al")
        else:
            ids[sid] = pad
        if self.tekst((*pad, "titel"), s.get("titel"), f"{waar}: titel") and len(s["titel"]) > 60:
            self.fout((*pad, "titel"), f"{waar}: titel is te lang (maximaal 60 tekens)")
        self.tekst((*pad, "beschrijving"), s.get("beschrijving"), f"{waar}: beschrijving")

        feiten: set[str] = set()
        raw_feiten = s.get("feiten")
        if not isinstance(raw_feiten, list):
            self.fout((*pad, "feiten"), f"{waar}: 'feiten' moet een lijst zijn (leeg mag: [])")
            raw_feiten = []
        for i, r in enumerate(raw_feiten):
            ref = _feitref(r)
            if isinstance(r, dict):
                self.sleutels((*pad, "feiten", i), r, ("feit", "als", "optioneel"), waar)
            if ref.feit not in self.cat:
                self.fout((*pad, "feiten", i), f"{waar}: onbekend feit '{ref.feit}' (niet in begeleiding/feiten.yml)")
            feiten.add(ref.feit)
        if is_lv:
            feiten.add("leveringsvorm")
        for i, r in enumerate(raw_feiten):
            if isinstance(r, dict):
                self.als((*pad, "feiten", i, "als"), r.get("als"), waar, feiten)

        her = s.get("herkenning")
        if not isinstance(her, dict):
            self.fout((*pad, "herkenning"), f"{waar}: 'herkenning' ontbreekt (minstens 'woorden')")
        else:
            self.sleutels((*pad, "herkenning"), her, ("van", "naar", "samen", "andere_gemeente", "woorden"), waar)
            for key in ("van", "naar"):
                if key in her and her[key] not in self.regimes:
                    self.fout((*pad, "herkenning", key), f"{waar}: onbekende regeling '{her[key]}' (zie regimes)")
            if "samen" in her and (
                not isinstance(her["samen"], list) or not all(x in self.regimes for x in her["samen"])
            ):
                self.fout((*pad, "herkenning", "samen"), f"{waar}: 'samen' moet een lijst regelingen zijn")
            if "andere_gemeente" in her and not isinstance(her["andere_gemeente"], bool):
                self.fout((*pad, "herkenning", "andere_gemeente"), f"{waar}: andere_gemeente is true of false")
            woorden = her.get("woorden")
            if (
                not isinstance(woorden, list)
                or not woorden
                or not all(isinstance(w, str) and normalize(w) for w in woorden)
            ):
                self.fout((*pad, "herkenning", "woorden"), f"{waar}: 'woorden' moet een lijst woordgroepen zijn")

        stappen = s.get("stappen")
        if not isinstance(stappen, list) or not stappen:
            self.fout((*pad, "stappen"), f"{waar}: geen stappen (minstens één)")
            stappen = []
        for i, st in enumerate(stappen):
            spad = (*pad, "stappen", i)
            swaar = f"{waar}, stap {i + 1}"
            if not isinstance(st, dict):
                self.fout(spad, f"{swaar}: schrijf een stap met wie, wat, status en bronnen")
                continue
            self.sleutels(spad, st, ("wie", "wat", "bericht", "als", "status", "bronnen"), swaar)
            if st.get("wie") not in WIE:
                self.fout((*spad, "wie"), f"{swaar}: 'wie' moet een van {', '.join(WIE)} zijn")
            if self.tekst((*spad, "wat"), st.get("wat"), f"{swaar}: wat"):
                self.invulvelden((*spad, "wat"), st["wat"], swaar, feiten)
            if self.tekst((*spad, "bericht"), st.get("bericht"), f"{swaar}: bericht", verplicht=False):
                self.invulvelden((*spad, "bericht"), st["bericht"], swaar, feiten)
            if st.get("status") not in STAP_STATUSSEN:
                self.fout((*spad, "status"), f"{swaar}: status moet een van {', '.join(STAP_STATUSSEN)} zijn")
            self.bronnen((*spad, "bronnen"), st.get("bronnen"), swaar)
            self.als((*spad, "als"), st.get("als"), swaar, feiten)

        bijdrage = s.get("bijdrage")
        if not isinstance(bijdrage, list) or not bijdrage:
            self.fout((*pad, "bijdrage"), f"{waar}: 'bijdrage' ontbreekt (effect op de eigen bijdrage)")
            bijdrage = []
        for i, p in enumerate(bijdrage):
            self.punt((*pad, "bijdrage", i), p, f"{waar}, bijdrage {i + 1}", feiten, onderwerp=True)
        gedekt = {p.get("onderwerp") for p in bijdrage if isinstance(p, dict)}
        for o in VERPLICHTE_ONDERWERPEN:
            if bijdrage and o not in gedekt:
                self.fout((*pad, "bijdrage"), f"{waar}: 'bijdrage' zegt niets over '{o}'")
        for key, naam in (("burger_ontvangt", "wat de cliënt krijgt"), ("risicos", "risico's")):
            lijst = s.get(key)
            if not isinstance(lijst, list) or not lijst:
                self.fout((*pad, key), f"{waar}: '{key}' ontbreekt ({naam}, minstens één punt)")
                continue
            for i, p in enumerate(lijst):
                self.punt((*pad, key, i), p, f"{waar}, {key} {i + 1}", feiten, onderwerp=False)
        if is_lv:
            self.leveringsvorm_extra(pad, s, waar, feiten)

    def leveringsvorm_extra(self, pad: tuple[Any, ...], s: dict[str, Any], waar: str, feiten: set[str]) -> None:
        if not isinstance(s.get("nummer"), int) or not 1 <= s["nummer"] <= 7:
            self.fout((*pad, "nummer"), f"{waar}: nummer moet 1 tot en met 7 zijn")
        self.tekst((*pad, "grondslag"), s.get("grondslag"), f"{waar}: grondslag")
        for key in ("aanlevering", "afdracht"):
            p = s.get(key)
            if not isinstance(p, dict):
                self.fout((*pad, key), f"{waar}: '{key}' ontbreekt")
                continue
            self.sleutels((*pad, key), p, ("wie", "tekst", "status", "bronnen"), f"{waar}, {key}")
            if p.get("wie") not in AFDRACHT_WIE:
                self.fout((*pad, key, "wie"), f"{waar}, {key}: 'wie' moet een van {', '.join(AFDRACHT_WIE)} zijn")
            self.tekst((*pad, key, "tekst"), p.get("tekst"), f"{waar}, {key}: tekst")
            if p.get("status") not in PUNT_STATUSSEN:
                self.fout((*pad, key, "status"), f"{waar}, {key}: status moet een van {', '.join(PUNT_STATUSSEN)} zijn")
            self.bronnen((*pad, key, "bronnen"), p.get("bronnen"), f"{waar}, {key}")
        vt = s.get("van_toepassing")
        if not isinstance(vt, dict):
            self.fout((*pad, "van_toepassing"), f"{waar}: 'van_toepassing' ontbreekt")
        else:
            self.sleutels((*pad, "van_toepassing"), vt, ("antwoord", "tekst", "status", "bronnen"), waar)
            if vt.get("antwoord") not in ("ja", "nee"):
                self.fout((*pad, "van_toepassing", "antwoord"), f"{waar}: van_toepassing.antwoord is ja of nee")
            self.tekst((*pad, "van_toepassing", "tekst"), vt.get("tekst"), f"{waar}: van_toepassing.tekst")
            if vt.get("status") not in PUNT_STATUSSEN:
                self.fout((*pad, "van_toepassing", "status"), f"{waar}: van_toepassing.status is ongeldig")
            self.bronnen((*pad, "van_toepassing", "bronnen"), vt.get("bronnen"), waar)
            if vt.get("antwoord") == "ja" and not s.get("nu"):
                self.fout((*pad, "nu"), f"{waar}: een leveringsvorm die nog bestaat, heeft een regel onder 'nu'")
        nu = s.get("nu")
        if nu is None:
            return
        if not isinstance(nu, list) or not nu:
            self.fout((*pad, "nu"), f"{waar}: 'nu' moet een lijst regels zijn")
            return
        for i, r in enumerate(nu):
            rpad = (*pad, "nu", i)
            if not isinstance(r, dict):
                self.fout(rpad, f"{waar}: een regel onder 'nu' is een lijstje velden")
                continue
            self.sleutels(
                rpad, r, ("als", "regeling", "bericht", "retour", "bijdrage", "status", "bronnen"), f"{waar}, nu"
            )
            if r.get("regeling") not in REGELINGEN:
                self.fout((*rpad, "regeling"), f"{waar}, nu: regeling moet bw of at zijn")
            for key in ("bericht", "retour", "bijdrage"):
                self.tekst((*rpad, key), r.get(key), f"{waar}, nu: {key}")
            if r.get("status") not in PUNT_STATUSSEN:
                self.fout((*rpad, "status"), f"{waar}, nu: status moet een van {', '.join(PUNT_STATUSSEN)} zijn")
            self.bronnen((*rpad, "bronnen"), r.get("bronnen"), f"{waar}, nu")
            self.als((*rpad, "als"), r.get("als"), f"{waar}, nu", feiten)

    def alles(self) -> list[Fout]:
        if not isinstance(self.data, dict):
            self.fout((), "het bestand moet onderdelen hebben (situaties, leveringsvormen, feiten, ...)")
            return self.fouten
        toegestaan = ("feiten", "regimes", "aliassen", "situaties", "leveringsvormen")
        self.sleutels((), self.data, toegestaan, f"begeleiding/{self.stem}.yml")
        if "feiten" in self.data:
            self.feiten_catalogus(self.data["feiten"])
        if "regimes" in self.data:
            self.regimes_deel(self.data["regimes"])
        if "aliassen" in self.data:
            self.aliassen_deel(self.data["aliassen"])
        andere_ids: dict[str, tuple[Any, ...]] = {}
        for stem, data in _bestanden(self.k):
            if stem >= self.stem:
                continue  # a duplicate is reported in the later file only
            for key in ("situaties", "leveringsvormen"):
                for s in data.get(key) or []:
                    if isinstance(s, dict) and s.get("id"):
                        andere_ids[str(s["id"])] = ()
        ids = dict(andere_ids)
        for key, is_lv in (("situaties", False), ("leveringsvormen", True)):
            if key not in self.data:
                continue
            lijst = self.data[key]
            if not isinstance(lijst, list) or not lijst:
                self.fout((key,), f"'{key}' moet een lijst zijn met minstens één item")
                continue
            for i, s in enumerate(lijst):
                self.situatie_deel((key, i), s, is_lv, ids)
        return self.fouten


def validate_file(k: Knowledge, stem: str, tree: Any, line_fn: LineFn) -> list[tuple[int, str]]:
    """Problems in one begeleiding file: (1-based line, Dutch message). Empty list = fine."""
    return _Controle(k, stem, tree, line_fn).alles()
