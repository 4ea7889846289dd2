"""Meldingen (tickets) voor de servicedesk: triage, opslag en doorsturen.

Pure Python (geen Rasa): de actions in actions/handoff.py, de command line
(`python -m bot tickets ...`) en de tests gebruiken dezelfde code.

- Triage: regels als data in knowledge/triage.yml (categorie, behandelaar met reden,
  urgentie, eigen reactietermijn). `validate_triage()` controleert dat bestand met een
  JSON-schema en geeft Nederlandse meldingen met bestand en regel.
- Opslag: SQLAlchemy 1.4, tabel `bw_tickets`. URL uit BW_DATABASE_URL, standaard
  sqlite:///<projectmap>/tickets.db; PostgreSQL werkt met dezelfde URL-vorm
  (postgresql://gebruiker:wachtwoord@host/db).
- Webhook (optioneel, BW_TICKET_WEBHOOK_URL): JSON in de vorm van een TOPdesk-incident,
  met herhaalpogingen en oplopende wachttijd. De melding wordt ALTIJD eerst opgeslagen;
  `webhook_status` is pending, sent, failed of disabled, en `retry_pending()` stuurt wat
  is blijven liggen alsnog.
- Privacy: alle vrije tekst gaat vlak voor het opslaan nog een keer door bot.privacy.mask
  (de kanalen maskeren al; dit is de tweede laag).
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import requests
import sqlalchemy as sa
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from bot import KNOWLEDGE_DIR, PROJECT_ROOT, privacy
from bot.knowledge import line_of, normalize, plain, schema_message

logger = logging.getLogger(__name__)

TRIAGE_FILE = KNOWLEDGE_DIR / "triage.yml"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'tickets.db'}"

HANDLERS = ("cak", "gemeente", "zorgaanbieder", "zorgkantoor", "svb")
URGENCIES = ("normaal", "hoog")
AUDIENCES = ("burger", "medewerker")
FALLBACK_CATEGORY = "anders"

WEBHOOK_PENDING, WEBHOOK_SENT, WEBHOOK_FAILED, WEBHOOK_DISABLED = "pending", "sent", "failed", "disabled"
WEBHOOK_STATUSES = (WEBHOOK_PENDING, WEBHOOK_SENT, WEBHOOK_FAILED, WEBHOOK_DISABLED)

# Why a ticket was made (shown to the desk).
AANLEIDING_MEDEWERKER = "medewerker gevraagd"
AANLEIDING_NIET_OPGELOST = "niet opgelost"

# Intents that say nothing about the question itself (for the summary).
_SOCIAL_INTENTS = {
    "groet",
    "afscheid",
    "bedankt",
    "bevestigen",
    "ontkennen",
    "vraag_medewerker",
    "wie_ben_jij",
    "ongeldige_invoer",
}
CHANNEL_NAMES = {"slack": "Slack", "botframework": "Teams", "rest": "de website", "socketio": "de website"}

# Ticket numbers: no 0/O, 1/I/L, so they can be read out on the phone.
_ID_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


# --------------------------------------------------------------------------- triage file


class TriageError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


_STR = {"type": "string", "minLength": 1}
_IDS = {"type": "array", "items": _STR}
_WORDS = {"type": "array", "items": _STR}
_CONTACT = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {a: _STR for a in AUDIENCES},
}

TRIAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["versie", "servicebelofte", "behandelaars", "categorieen", "urgentie"],
    "additionalProperties": False,
    "properties": {
        "versie": {"enum": [1]},
        "servicebelofte": {
            "type": "object",
            "required": ["soort", "toelichting"],
            "additionalProperties": False,
            "properties": {"soort": {"enum": ["eigen_servicebelofte"]}, "toelichting": _STR},
        },
        "behandelaars": {
            "type": "object",
            "required": list(HANDLERS),
            "additionalProperties": False,
            "properties": {
                h: {
                    "type": "object",
                    "required": ["naam", "reden", "reactietijd_werkdagen"],
                    "additionalProperties": False,
                    "properties": {
                        "naam": _STR,
                        "reden": _STR,
                        "bronnen": _IDS,
                        "onbevestigd": _STR,
                        "contact": _CONTACT,
                        "operatorgroep": _STR,
                        "reactietijd_werkdagen": {"type": "integer", "minimum": 1, "maximum": 30},
                    },
                }
                for h in HANDLERS
            },
        },
        "categorieen": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["id", "titel", "behandelaar", "trefwoorden"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "titel": _STR,
                    "behandelaar": {"enum": list(HANDLERS)},
                    "reden": _STR,
                    "vaste_behandelaar": {"type": "boolean"},
                    "trefwoorden": _WORDS,
                    "patronen": _WORDS,
                    "let_op": _STR,
                    "let_op_bronnen": _IDS,
                },
            },
        },
        "doorverwijzingen": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["behandelaar", "trefwoorden"],
                "additionalProperties": False,
                "properties": {
                    "behandelaar": {"enum": list(HANDLERS)},
                    "trefwoorden": _WORDS,
                    "patronen": _WORDS,
                    "categorieen": _IDS,
                    "reden": _STR,
                    "bronnen": _IDS,
                    "contact": _CONTACT,
                },
            },
        },
        "urgentie": {
            "type": "object",
            "required": ["standaard", "hoog", "regels"],
            "additionalProperties": False,
            "properties": {
                "standaard": {"enum": ["normaal"]},
                "hoog": {
                    "type": "object",
                    "required": ["reactietijd_werkdagen"],
                    "additionalProperties": False,
                    "properties": {
                        "reactietijd_werkdagen": {"type": "integer", "minimum": 1, "maximum": 30},
                        "advies": _STR,
                        "advies_medewerker": _STR,
                        "advies_bronnen": _IDS,
                    },
                },
                "regels": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["id", "reden"],
                        "additionalProperties": False,
                        "properties": {
                            "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                            "reden": _STR,
                            "trefwoorden": _WORDS,
                            "patronen": _WORDS,
                        },
                    },
                },
            },
        },
        "voorbeelden": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tekst", "categorie", "behandelaar", "urgentie"],
                "additionalProperties": False,
                "properties": {
                    "tekst": _STR,
                    "categorie": _STR,
                    "behandelaar": {"enum": list(HANDLERS)},
                    "urgentie": {"enum": list(URGENCIES)},
                },
            },
        },
    },
}


def _keyword_regex(word: str) -> re.Pattern[str]:
    """A keyword as a whole-word regex on normalized text; `*` stands for the rest of a word."""
    parts = [re.escape(w).replace(r"\*", r"\w*") for w in word.split()]
    return re.compile(r"(?<!\w)" + " ".join(parts) + r"(?!\w)")


def _load_tree(path: Path, problems: list[str], rel: str) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            tree = YAML(typ="rt").load(fh)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.append(f"{rel}:{mark.line + 1 if mark else 0}: geen geldige YAML: {exc.problem or exc.context}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{rel}:0: kan het bestand niet lezen: {exc}")
        return None
    if tree is None:
        problems.append(f"{rel}:1: het bestand is leeg")
    return tree


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _ids_in(path: Path) -> set[str] | None:
    """Top-level keys of a knowledge file (bronnen.yml, contact.yml); None when unreadable."""
    try:
        with path.open(encoding="utf-8") as fh:
            tree = YAML(typ="safe").load(fh)
    except Exception:  # noqa: BLE001 - the knowledge validator reports those files itself
        return None
    return {str(k) for k in tree} if isinstance(tree, dict) else None


def validate_triage(path: Path | None = None) -> list[str]:
    """All problems in knowledge/triage.yml as Dutch messages `bestand:regel: wat`; empty = in orde."""
    path = Path(path or TRIAGE_FILE)
    rel = _rel(path)
    problems: list[str] = []
    tree = _load_tree(path, problems, rel)
    if tree is None:
        return problems
    errors = sorted(
        jsonschema.Draft7Validator(TRIAGE_SCHEMA).iter_errors(plain(tree)), key=lambda e: list(e.absolute_path)
    )
    for err in errors:
        problems.append(f"{rel}:{line_of(tree, list(err.absolute_path))}: {schema_message(err)}")
    if errors:
        return problems

    def add(where: Sequence[Any], message: str) -> None:
        problems.append(f"{rel}:{line_of(tree, where)}: {message}")

    folder = path.parent
    bronnen = _ids_in(folder / "bronnen.yml")
    contacts = _ids_in(folder / "contact.yml")

    def check_bronnen(where: Sequence[Any], ids: Iterable[str]) -> None:
        for i, b in enumerate(ids):
            if bronnen is not None and b not in bronnen:
                add([*where, i], f"bron '{b}' staat niet in knowledge/bronnen.yml")

    def check_contact(where: Sequence[Any], contact: dict[str, str] | None) -> None:
        for aud, cid in (contact or {}).items():
            if contacts is not None and cid not in contacts:
                add([*where, aud], f"contact '{cid}' staat niet in knowledge/contact.yml")

    def check_words(where: Sequence[Any], spec: dict[str, Any]) -> None:
        for i, w in enumerate(spec.get("trefwoorden") or []):
            bare = str(w).replace("*", "")
            if normalize(bare) != bare.strip() or not bare.strip():
                add(
                    [*where, "trefwoorden", i],
                    f"trefwoord {str(w)!r} moet in kleine letters zijn, zonder accenten of leestekens "
                    f"(bijvoorbeeld {normalize(bare)!r})",
                )
        for i, p in enumerate(spec.get("patronen") or []):
            try:
                re.compile(str(p))
            except re.error as exc:
                add([*where, "patronen", i], f"patroon {str(p)!r} is geen geldige reguliere expressie: {exc}")

    for hid, h in tree["behandelaars"].items():
        if not h.get("bronnen") and not h.get("onbevestigd"):
            add(["behandelaars", hid], f"behandelaar '{hid}': geef 'bronnen' of leg in 'onbevestigd' uit waarom niet")
        check_bronnen(["behandelaars", hid, "bronnen"], h.get("bronnen") or [])
        check_contact(["behandelaars", hid, "contact"], h.get("contact"))

    seen: dict[str, int] = {}
    cats = tree["categorieen"]
    for i, c in enumerate(cats):
        if c["id"] in seen:
            add(["categorieen", i, "id"], f"categorie '{c['id']}' staat er al (regel {seen[c['id']]})")
        seen.setdefault(c["id"], line_of(tree, ["categorieen", i]))
        check_words(["categorieen", i], c)
        check_bronnen(["categorieen", i, "let_op_bronnen"], c.get("let_op_bronnen") or [])
        if c.get("let_op") and not c.get("let_op_bronnen"):
            add(["categorieen", i, "let_op"], "let_op noemt feiten: geef ook let_op_bronnen")
    last = cats[-1]
    if last["id"] != FALLBACK_CATEGORY or last["trefwoorden"] or last.get("patronen"):
        add(["categorieen", len(cats) - 1], f"de laatste categorie moet '{FALLBACK_CATEGORY}' zijn, zonder trefwoorden")
    for i, c in enumerate(cats[:-1]):
        if not c["trefwoorden"] and not c.get("patronen"):
            add(["categorieen", i, "trefwoorden"], f"categorie '{c['id']}' heeft geen trefwoorden of patronen")

    for i, d in enumerate(tree.get("doorverwijzingen") or []):
        check_words(["doorverwijzingen", i], d)
        check_bronnen(["doorverwijzingen", i, "bronnen"], d.get("bronnen") or [])
        check_contact(["doorverwijzingen", i, "contact"], d.get("contact"))
        if d.get("reden") and not d.get("bronnen"):
            add(["doorverwijzingen", i, "reden"], "een eigen reden heeft ook bronnen nodig")
        for j, cid in enumerate(d.get("categorieen") or []):
            if cid not in seen:
                add(["doorverwijzingen", i, "categorieen", j], f"onbekende categorie '{cid}'")

    urg = tree["urgentie"]
    check_bronnen(["urgentie", "hoog", "advies_bronnen"], urg["hoog"].get("advies_bronnen") or [])
    for i, r in enumerate(urg["regels"]):
        check_words(["urgentie", "regels", i], r)
        if not r.get("trefwoorden") and not r.get("patronen"):
            add(["urgentie", "regels", i], f"urgentieregel '{r['id']}' heeft geen trefwoorden of patronen")

    if problems:
        return problems
    regels = TriageRegels.from_tree(plain(tree))
    for i, v in enumerate(tree.get("voorbeelden") or []):
        if v["categorie"] not in seen:
            add(["voorbeelden", i, "categorie"], f"onbekende categorie '{v['categorie']}'")
            continue
        got = regels.triage([v["tekst"]])
        verwacht = (v["categorie"], v["behandelaar"], v["urgentie"])
        kreeg = (got.categorie, got.behandelaar, got.urgentie)
        if kreeg != verwacht:
            add(
                ["voorbeelden", i],
                f"voorbeeld {v['tekst']!r}: verwacht {'/'.join(verwacht)}, de regels geven {'/'.join(kreeg)}",
            )
    return problems


# --------------------------------------------------------------------------- triage rules


@dataclass(frozen=True)
class _Matcher:
    regexes: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, spec: dict[str, Any]) -> _Matcher:
        rx = [_keyword_regex(str(w)) for w in spec.get("trefwoorden") or []]
        rx += [re.compile(str(p)) for p in spec.get("patronen") or []]
        return cls(tuple(rx))

    def hits(self, text: str) -> int:
        """How many different keywords/patterns occur (not how often)."""
        return sum(1 for r in self.regexes if r.search(text))


@dataclass(frozen=True)
class Behandelaar:
    id: str
    naam: str
    reden: str
    bronnen: tuple[str, ...]
    reactietijd_werkdagen: int
    contact: dict[str, str] = field(default_factory=dict)
    operatorgroep: str | None = None
    onbevestigd: str | None = None


@dataclass(frozen=True)
class Triage:
    """What the rules decide for one conversation."""

    categorie: str
    categorie_titel: str
    behandelaar: str
    behandelaar_naam: str
    reden: str
    bronnen: tuple[str, ...]
    contact_id: str | None
    operatorgroep: str | None
    urgentie: str
    urgentie_redenen: tuple[str, ...]
    reactietijd_werkdagen: int
    let_op: str | None = None
    advies: str | None = None


@dataclass
class TriageRegels:
    servicebelofte: str
    behandelaars: dict[str, Behandelaar]
    categorieen: list[dict[str, Any]]
    doorverwijzingen: list[dict[str, Any]]
    urgentie: dict[str, Any]
    voorbeelden: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_tree(cls, data: dict[str, Any]) -> TriageRegels:
        behandelaars = {
            hid: Behandelaar(
                id=hid,
                naam=h["naam"],
                reden=" ".join(str(h["reden"]).split()),
                bronnen=tuple(h.get("bronnen") or ()),
                reactietijd_werkdagen=int(h["reactietijd_werkdagen"]),
                contact=dict(h.get("contact") or {}),
                operatorgroep=h.get("operatorgroep"),
                onbevestigd=h.get("onbevestigd"),
            )
            for hid, h in data["behandelaars"].items()
        }
        cats = [{**c, "_m": _Matcher.of(c)} for c in data["categorieen"]]
        doors = [{**d, "_m": _Matcher.of(d)} for d in data.get("doorverwijzingen") or []]
        urg = dict(data["urgentie"])
        urg["regels"] = [{**r, "_m": _Matcher.of(r)} for r in urg["regels"]]
        return cls(
            servicebelofte=" ".join(str(data["servicebelofte"]["toelichting"]).split()),
            behandelaars=behandelaars,
            categorieen=cats,
            doorverwijzingen=doors,
            urgentie=urg,
            voorbeelden=list(data.get("voorbeelden") or []),
        )

    def _advies(self, audience: str) -> str | None:
        hoog = self.urgentie["hoog"]
        text = (hoog.get("advies_medewerker") if audience == "medewerker" else None) or hoog.get("advies")
        return " ".join(str(text).split()) if text else None

    def categorie_titel(self, cid: str) -> str:
        return next((c["titel"] for c in self.categorieen if c["id"] == cid), cid)

    def triage(self, texts: Iterable[str] | str, audience: str = "burger") -> Triage:
        if isinstance(texts, str):
            texts = [texts]
        # Button payloads ("/intent") are not the user's words.
        text = "\n".join(normalize(t) for t in texts if t and not t.lstrip().startswith("/"))

        best, best_hits = self.categorieen[-1], 0
        for c in self.categorieen:
            h = c["_m"].hits(text)
            if h > best_hits:
                best, best_hits = c, h

        handler = self.behandelaars[best["behandelaar"]]
        reden = " ".join(str(best["reden"]).split()) if best.get("reden") else handler.reden
        bronnen, contact = handler.bronnen, handler.contact
        if not best.get("vaste_behandelaar"):
            door, door_hits = None, 0
            for d in self.doorverwijzingen:
                if d.get("categorieen") and best["id"] not in d["categorieen"]:
                    continue
                h = d["_m"].hits(text)
                if h > door_hits:
                    door, door_hits = d, h
            if door is not None:
                handler = self.behandelaars[door["behandelaar"]]
                reden = " ".join(str(door["reden"]).split()) if door.get("reden") else handler.reden
                bronnen = tuple(door.get("bronnen") or handler.bronnen)
                contact = {**handler.contact, **(door.get("contact") or {})}

        redenen = tuple(r["reden"] for r in self.urgentie["regels"] if r["_m"].hits(text))
        urgentie = "hoog" if redenen else str(self.urgentie["standaard"])
        hoog = self.urgentie["hoog"]
        termijn = handler.reactietijd_werkdagen
        if urgentie == "hoog":
            termijn = min(termijn, int(hoog["reactietijd_werkdagen"]))
        return Triage(
            categorie=best["id"],
            categorie_titel=best["titel"],
            behandelaar=handler.id,
            behandelaar_naam=handler.naam,
            reden=reden,
            bronnen=tuple(bronnen),
            contact_id=contact.get(audience) or contact.get("burger"),
            operatorgroep=handler.operatorgroep,
            urgentie=urgentie,
            urgentie_redenen=redenen,
            reactietijd_werkdagen=termijn,
            let_op=" ".join(str(best["let_op"]).split()) if best.get("let_op") else None,
            advies=self._advies(audience) if urgentie == "hoog" else None,
        )


@lru_cache(maxsize=4)
def _load_triage(path: str, mtime: float) -> TriageRegels:
    problems = validate_triage(Path(path))
    if problems:
        raise TriageError(problems)
    with open(path, encoding="utf-8") as fh:
        data = YAML(typ="safe").load(fh)
    return TriageRegels.from_tree(data)


def load_triage(path: Path | None = None) -> TriageRegels:
    """The validated rules (cached until the file changes); TriageError lists the problems."""
    p = Path(path or TRIAGE_FILE)
    return _load_triage(str(p), p.stat().st_mtime)


def triage(texts: Iterable[str] | str, audience: str = "burger", regels: TriageRegels | None = None) -> Triage:
    return (regels or load_triage()).triage(texts, audience)


# --------------------------------------------------------------------------- tickets


@dataclass
class Ticket:
    id: str
    created: datetime
    category: str
    handler: str
    handler_reason: str
    urgency: str
    summary: str
    facts: dict[str, Any] = field(default_factory=dict)
    # [{"rol": "gebruiker" | "assistent", "tekst": "...", "intent": "..."}], already masked
    transcript: list[dict[str, Any]] = field(default_factory=list)
    channel: str | None = None
    audience: str = "burger"
    caller: str | None = None  # the channel's sender id (Slack/Teams user); not a name
    urgency_reasons: list[str] = field(default_factory=list)
    aanleiding: str = AANLEIDING_MEDEWERKER
    status: str = "nieuw"
    webhook_status: str = WEBHOOK_DISABLED
    webhook_attempts: int = 0
    webhook_error: str | None = None
    webhook_last_attempt: datetime | None = None
    webhook_sent_at: datetime | None = None
    reactietijd_werkdagen: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, datetime):
                d[k] = v.isoformat()
        return d


def new_ticket_id() -> str:
    chars = "".join(secrets.choice(_ID_ALPHABET) for _ in range(6))
    return f"BW-{chars[:3]}-{chars[3:]}"


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return privacy.mask(value).tekst
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def masked(ticket: Ticket) -> Ticket:
    """A copy with every free text masked (BSN, IBAN)."""
    return replace(
        ticket,
        summary=_mask(ticket.summary),
        facts=_mask(ticket.facts),
        transcript=_mask(ticket.transcript),
        caller=_mask(ticket.caller),
    )


def summarize(transcript: list[dict[str, Any]], tri: Triage, limit: int = 200) -> str:
    """Category, handler and the last user text that is a question (not a greeting or 'medewerker')."""
    user = [m for m in transcript if m.get("rol") == "gebruiker" and not str(m.get("tekst", "")).startswith("/")]
    vraag = next((m for m in reversed(user) if m.get("intent") not in _SOCIAL_INTENTS), None) or (
        user[-1] if user else None
    )
    tekst = " ".join(str(vraag["tekst"]).split()) if vraag else "(geen vraag in het gesprek)"
    if len(tekst) > limit:
        tekst = tekst[: limit - 1].rstrip() + "…"
    return f"{tri.categorie_titel} ({tri.behandelaar_naam}): {tekst}"


def build_ticket(
    transcript: list[dict[str, Any]],
    *,
    facts: dict[str, Any] | None = None,
    channel: str | None = None,
    audience: str = "burger",
    caller: str | None = None,
    aanleiding: str = AANLEIDING_MEDEWERKER,
    regels: TriageRegels | None = None,
    now: datetime | None = None,
) -> tuple[Ticket, Triage]:
    """A new (unsaved) ticket from a conversation, triaged with knowledge/triage.yml."""
    regels = regels or load_triage()
    transcript = _mask(transcript)
    user_texts = [str(m.get("tekst") or "") for m in transcript if m.get("rol") == "gebruiker"]
    tri = regels.triage(user_texts, audience)
    ticket = Ticket(
        id=new_ticket_id(),
        created=(now or datetime.now(timezone.utc)),
        category=tri.categorie,
        handler=tri.behandelaar,
        handler_reason=tri.reden,
        urgency=tri.urgentie,
        urgency_reasons=list(tri.urgentie_redenen),
        summary=summarize(transcript, tri),
        facts={k: v for k, v in (facts or {}).items() if v not in (None, "", [], {})},
        transcript=transcript,
        channel=channel,
        audience=audience,
        caller=caller,
        aanleiding=aanleiding,
        reactietijd_werkdagen=tri.reactietijd_werkdagen,
    )
    return masked(ticket), tri


# --------------------------------------------------------------------------- storage

_metadata = sa.MetaData()
tickets_table = sa.Table(
    "bw_tickets",
    _metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("handler", sa.String(40), nullable=False),
    sa.Column("handler_reason", sa.Text, nullable=False),
    sa.Column("urgency", sa.String(16), nullable=False),
    sa.Column("urgency_reasons", sa.Text, nullable=False),  # JSON list
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),  # JSON object
    sa.Column("transcript", sa.Text, nullable=False),  # JSON list
    sa.Column("channel", sa.String(40)),
    sa.Column("audience", sa.String(16), nullable=False),
    sa.Column("caller", sa.String(200)),
    sa.Column("aanleiding", sa.String(40), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reactietijd_werkdagen", sa.Integer),
    sa.Column("webhook_status", sa.String(16), nullable=False, index=True),
    sa.Column("webhook_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("webhook_error", sa.Text),
    sa.Column("webhook_last_attempt", sa.DateTime(timezone=True)),
    sa.Column("webhook_sent_at", sa.DateTime(timezone=True)),
)

_JSON_FIELDS = ("urgency_reasons", "facts", "transcript")
_DATE_FIELDS = ("created", "webhook_last_attempt", "webhook_sent_at")


def database_url() -> str:
    return os.environ.get("BW_DATABASE_URL") or DEFAULT_DATABASE_URL


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _db_time(dt: datetime | None) -> datetime | None:
    # Stored as UTC; SQLite keeps no zone, so write naive UTC everywhere.
    u = _utc(dt)
    return u.replace(tzinfo=None) if u else None


class TicketNotFound(KeyError):
    pass


class TicketStore:
    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        kwargs: dict[str, Any] = {"future": True, "pool_pre_ping": True}
        if self.url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 15, "check_same_thread": False}
        self.engine = sa.create_engine(self.url, **kwargs)
        _metadata.create_all(self.engine, checkfirst=True)

    # rows <-> tickets
    @staticmethod
    def _row(ticket: Ticket) -> dict[str, Any]:
        d = asdict(masked(ticket))
        for k in _JSON_FIELDS:
            d[k] = json.dumps(d[k], ensure_ascii=False, default=str)
        for k in _DATE_FIELDS:
            d[k] = _db_time(d[k])
        d["updated"] = _db_time(datetime.now(timezone.utc))
        return d

    @staticmethod
    def _ticket(row: Any) -> Ticket:
        d = dict(row._mapping)
        d.pop("updated", None)
        for k in _JSON_FIELDS:
            d[k] = json.loads(d[k]) if d[k] else ([] if k != "facts" else {})
        for k in _DATE_FIELDS:
            d[k] = _utc(d[k])
        return Ticket(**d)

    def add(self, ticket: Ticket) -> Ticket:
        """Store a new ticket (masked again here); a clashing id gets a new one."""
        for _ in range(5):
            try:
                with self.engine.begin() as con:
                    con.execute(tickets_table.insert().values(**self._row(ticket)))
                return self.get(ticket.id)
            except sa.exc.IntegrityError:
                ticket = replace(ticket, id=new_ticket_id())
        raise RuntimeError("kon geen vrij meldingnummer vinden")

    def get(self, ticket_id: str) -> Ticket:
        with self.engine.connect() as con:
            row = con.execute(sa.select(tickets_table).where(tickets_table.c.id == ticket_id.strip().upper())).first()
        if row is None:
            raise TicketNotFound(ticket_id)
        return self._ticket(row)

    def find(
        self, *, webhook_status: str | None = None, status: str | None = None, limit: int | None = 50
    ) -> list[Ticket]:
        q = sa.select(tickets_table).order_by(tickets_table.c.created.desc())
        if webhook_status:
            q = q.where(tickets_table.c.webhook_status == webhook_status)
        if status:
            q = q.where(tickets_table.c.status == status)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as con:
            return [self._ticket(r) for r in con.execute(q)]

    def update(self, ticket_id: str, **values: Any) -> None:
        for k in _DATE_FIELDS:
            if k in values:
                values[k] = _db_time(values[k])
        values["updated"] = _db_time(datetime.now(timezone.utc))
        with self.engine.begin() as con:
            con.execute(tickets_table.update().where(tickets_table.c.id == ticket_id).values(**values))

    def due_for_retry(self, pending_grace: timedelta, max_attempts: int) -> list[Ticket]:
        """Failed tickets, and pending ones nobody has tried for `pending_grace` (a crash or restart)."""
        cutoff = _db_time(datetime.now(timezone.utc) - pending_grace)
        c = tickets_table.c
        stale_pending = sa.and_(
            c.webhook_status == WEBHOOK_PENDING,
            sa.or_(
                sa.and_(c.webhook_last_attempt.is_(None), c.created <= cutoff),
                c.webhook_last_attempt <= cutoff,
            ),
        )
        q = (
            sa.select(tickets_table)
            .where(sa.or_(c.webhook_status == WEBHOOK_FAILED, stale_pending))
            .where(c.webhook_attempts < max_attempts)
            .order_by(c.created)
        )
        with self.engine.connect() as con:
            return [self._ticket(r) for r in con.execute(q)]

    def purge(self, older_than: timedelta) -> int:
        """Delete tickets created before now - older_than; returns how many."""
        cutoff = _db_time(datetime.now(timezone.utc) - older_than)
        with self.engine.begin() as con:
            return con.execute(tickets_table.delete().where(tickets_table.c.created < cutoff)).rowcount or 0


_stores: dict[str, TicketStore] = {}
_stores_lock = threading.Lock()


def store(url: str | None = None) -> TicketStore:
    """One store (engine) per database URL."""
    key = url or database_url()
    with _stores_lock:
        if key not in _stores:
            _stores[key] = TicketStore(key)
        return _stores[key]


# --------------------------------------------------------------------------- webhook


def webhook_url() -> str | None:
    return os.environ.get("BW_TICKET_WEBHOOK_URL") or None


def webhook_payload(ticket: Ticket, regels: TriageRegels | None = None) -> dict[str, Any]:
    """A TOPdesk-incident-like JSON body (POST /tdapi/incidents); the desk's mapping may differ."""
    regels = regels or load_triage()
    handler = regels.behandelaars.get(ticket.handler)
    kanaal = CHANNEL_NAMES.get(ticket.channel or "", ticket.channel or "onbekend kanaal")
    regels_tekst = [
        f"Melding {ticket.id} van de BW-assistent ({ticket.aanleiding}).",
        f"Aangemaakt: {ticket.created.isoformat()}",
        f"Kanaal: {kanaal}; doelgroep: {ticket.audience}; afzender-id: {ticket.caller or '-'}",
        f"Categorie: {regels.categorie_titel(ticket.category)}",
        f"Afhandeling: {handler.naam if handler else ticket.handler}. {ticket.handler_reason}",
        f"Urgentie: {ticket.urgency}" + (f" ({', '.join(ticket.urgency_reasons)})" if ticket.urgency_reasons else ""),
        f"Toegezegde reactietijd (eigen servicebelofte): {ticket.reactietijd_werkdagen} werkdag(en)",
        "",
        "Gegevens uit het gesprek:",
        *(f"- {k}: {v}" for k, v in ticket.facts.items()),
        "",
        "Gesprek:",
        *(
            f"{'Gebruiker' if m.get('rol') == 'gebruiker' else 'Assistent'}: {m.get('tekst', '')}"
            for m in ticket.transcript
        ),
    ]
    brief = f"[{ticket.id}] {ticket.summary}"
    return {
        "externalNumber": ticket.id,
        "caller": {"dynamicName": f"{kanaal} {ticket.caller or ''}".strip()[:100]},
        "briefDescription": brief if len(brief) <= 80 else brief[:79] + "…",  # TOPdesk: max 80 tekens
        "request": "\n".join(regels_tekst),
        "category": {"name": "Eigen bijdrage"},
        "subcategory": {"name": regels.categorie_titel(ticket.category)},
        "priority": {"name": "Hoog" if ticket.urgency == "hoog" else "Normaal"},
        "operatorGroup": {"name": (handler.operatorgroep if handler and handler.operatorgroep else "Servicedesk")},
    }


def _retryable(status: int) -> bool:
    return status >= 500 or status in (408, 425, 429)


def _retry_after(resp: requests.Response | None) -> float | None:
    if resp is None:
        return None
    try:
        return min(float(resp.headers.get("Retry-After", "")), 30.0)
    except ValueError:
        return None


def deliver(
    ticket_id: str,
    *,
    url: str | None = None,
    ticket_store: TicketStore | None = None,
    attempts: int = 3,
    backoff: float = 1.0,
    timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
    regels: TriageRegels | None = None,
) -> str:
    """POST the stored ticket to the webhook, retrying with growing waits; returns the new webhook_status.

    Every attempt is recorded, so a crash halfway leaves a `pending` ticket that
    retry_pending() picks up later.
    """
    url = url or webhook_url()
    st = ticket_store or store()
    ticket = st.get(ticket_id)
    if not url:
        return ticket.webhook_status
    headers = {"Content-Type": "application/json", "X-BW-Ticket": ticket.id}
    auth = os.environ.get("BW_TICKET_WEBHOOK_AUTHORIZATION")
    if auth:
        headers["Authorization"] = auth
    body = json.dumps(webhook_payload(ticket, regels), ensure_ascii=False).encode("utf-8")
    done = ticket.webhook_attempts
    error = "geen poging gedaan"
    for i in range(max(1, attempts)):
        now = datetime.now(timezone.utc)
        done += 1
        st.update(ticket.id, webhook_status=WEBHOOK_PENDING, webhook_attempts=done, webhook_last_attempt=now)
        resp: requests.Response | None = None
        try:
            resp = requests.post(url, data=body, headers=headers, timeout=timeout)
            if 200 <= resp.status_code < 300:
                st.update(ticket.id, webhook_status=WEBHOOK_SENT, webhook_error=None, webhook_sent_at=now)
                return WEBHOOK_SENT
            error = f"HTTP {resp.status_code}: {resp.text[:200]}"
            retry = _retryable(resp.status_code)
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
            retry = True
        logger.warning("webhook voor melding %s, poging %d mislukt: %s", ticket.id, i + 1, error)
        st.update(ticket.id, webhook_error=error)
        if not retry or i == attempts - 1:
            break
        sleep(_retry_after(resp) or backoff * (2**i))
    st.update(ticket.id, webhook_status=WEBHOOK_FAILED, webhook_error=error)
    return WEBHOOK_FAILED


@dataclass
class RetryResult:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def retry_pending(
    *,
    url: str | None = None,
    ticket_store: TicketStore | None = None,
    pending_grace: timedelta = timedelta(minutes=5),
    max_attempts: int = 20,
    **deliver_kwargs: Any,
) -> RetryResult:
    """Send failed tickets again, and pending ones left behind by a crash or restart."""
    url = url or webhook_url()
    st = ticket_store or store()
    result = RetryResult()
    if not url:
        return result
    for t in st.due_for_retry(pending_grace, max_attempts):
        status = deliver(t.id, url=url, ticket_store=st, **deliver_kwargs)
        (result.sent if status == WEBHOOK_SENT else result.failed).append(t.id)
    return result


# --------------------------------------------------------------------------- the whole flow


def open_ticket(
    transcript: list[dict[str, Any]],
    *,
    facts: dict[str, Any] | None = None,
    channel: str | None = None,
    audience: str = "burger",
    caller: str | None = None,
    aanleiding: str = AANLEIDING_MEDEWERKER,
    ticket_store: TicketStore | None = None,
    url: str | None = None,
    background: bool = True,
    regels: TriageRegels | None = None,
    **deliver_kwargs: Any,
) -> tuple[Ticket, Triage]:
    """Triage, store (first!), then send to the webhook if one is set.

    With `background=True` the webhook runs in a thread, so the user gets an answer at
    once; the stored `webhook_status` tells how it went.
    """
    regels = regels or load_triage()
    url = url or webhook_url()
    st = ticket_store or store()
    ticket, tri = build_ticket(
        transcript,
        facts=facts,
        channel=channel,
        audience=audience,
        caller=caller,
        aanleiding=aanleiding,
        regels=regels,
    )
    ticket.webhook_status = WEBHOOK_PENDING if url else WEBHOOK_DISABLED
    ticket = st.add(ticket)
    if url:
        kwargs = {"url": url, "ticket_store": st, "regels": regels, **deliver_kwargs}
        if background:
            threading.Thread(target=_deliver_quietly, args=(ticket.id,), kwargs=kwargs, daemon=True).start()
        else:
            deliver(ticket.id, **kwargs)
            ticket = st.get(ticket.id)
    return ticket, tri


def _deliver_quietly(ticket_id: str, **kwargs: Any) -> None:
    try:
        deliver(ticket_id, **kwargs)
    except Exception:  # noqa: BLE001 - the ticket is stored; retry_pending() tries again
        logger.exception("webhook voor melding %s", ticket_id)


# --------------------------------------------------------------------------- what the user reads


def _werkdagen(n: int) -> str:
    return f"{n} werkdag" if n == 1 else f"{n} werkdagen"


def bevestiging(ticket: Ticket, tri: Triage, regels: TriageRegels, contact: str | None = None) -> str:
    """The Dutch answer after a ticket: number, who handles it and why, when, what to do meanwhile."""
    termijn = _werkdagen(tri.reactietijd_werkdagen)
    if ticket.audience == "medewerker":
        kanaal = CHANNEL_NAMES.get(ticket.channel or "", "dit kanaal")
        delen = [
            f"Ik heb een melding gemaakt voor de servicedesk: **{ticket.id}** "
            f"(categorie: {tri.categorie_titel.lower()}, urgentie: {tri.urgentie}). "
            f"De servicedesk neemt binnen {termijn} contact met u op via {kanaal}. {regels.servicebelofte}",
            f"Afhandeling door {tri.behandelaar_naam}: {tri.reden}" + (f" Contact: {contact}." if contact else ""),
        ]
    else:
        delen = [
            f"Ik heb uw vraag doorgezet naar onze servicedesk. Uw meldingnummer is **{ticket.id}**. "
            f"De servicedesk bekijkt uw melding binnen {termijn}. {regels.servicebelofte} "
            "Ik vraag in deze chat niet naar uw naam of telefoonnummer; noem daarom het meldingnummer "
            "als u zelf contact opneemt.",
            f"Uw vraag hoort waarschijnlijk bij {tri.behandelaar_naam}: {tri.reden}"
            + (f" U kunt ook zelf contact opnemen: {contact}." if contact else ""),
        ]
    extra = " ".join(x for x in (tri.advies, tri.let_op) if x)
    if extra:
        delen.append(extra)
    return "\n\n".join(delen)


def mislukt_bericht(contact: str | None) -> str:
    """When not even storing worked: say so, and where to go instead."""
    return "Het is mij niet gelukt om een melding te maken. Excuses daarvoor. " + (
        f"Neem zelf contact op: {contact}." if contact else "Neem contact op met het CAK of uw gemeente."
    )
