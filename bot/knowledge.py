"""Load and validate `knowledge/`: sources, yearly figures, contacts, FAQ topics, gemeenten.

Content editors change these YAML files; a mistake must come back as a clear Dutch
message with file and line, never as a stack trace. Structure is checked with a JSON
schema (jsonschema), references and consistency with the checks below. ruamel.yaml
gives the line numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from bot import GENERATED_MARK, KNOWLEDGE_DIR

STATUSES = ("bevestigd", "afgeleid", "onbekend", "niet_van_toepassing", "gepland")
WITH_VALUE = ("bevestigd", "afgeleid", "gepland")
SOORTEN = ("bedrag", "percentage", "leeftijd", "maanden")
EENHEDEN = ("per_maand", "per_4_weken", "per_jaar", "per_uur", "per_persoon")

# {naam} or {naam@jaar|vorig_jaar|volgend_jaar|tabel}
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)(?:@([a-z0-9_]+))?\}")
YEAR_MODIFIERS = ("vorig_jaar", "volgend_jaar", "tabel")
YEAR_KEY = re.compile(r"^(?:(\d{4})|(\d{4})-(\d{4})|(\d{4})-|-(\d{4}))$")


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Problem:
    """One content error, for the editor: which file, which line, what is wrong."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Bron:
    id: str
    titel: str
    url: str | None = None

    def kort(self) -> str:
        return f"{self.titel} ({self.url})" if self.url else self.titel


@dataclass(frozen=True)
class Leeftijd:
    jaren: int
    maanden: int = 0

    def in_maanden(self) -> int:
        return self.jaren * 12 + self.maanden


Waarde = Decimal | Leeftijd | int | None


@dataclass(frozen=True)
class CijferWaarde:
    """A figure for one year, as the table gives it."""

    sleutel: str
    jaar: int
    soort: str
    waarde: Waarde
    eenheid: str | None
    status: str
    bronnen: tuple[str, ...]
    toelichting: str | None = None

    @property
    def bekend(self) -> bool:
        return self.waarde is not None and self.status in WITH_VALUE


@dataclass(frozen=True)
class _Periode:
    van: int | None
    tot: int | None
    entry: dict[str, Any]

    def omvat(self, jaar: int) -> bool:
        return (self.van is None or jaar >= self.van) and (self.tot is None or jaar <= self.tot)


@dataclass
class Cijfer:
    sleutel: str
    omschrijving: str
    soort: str
    perioden: list[_Periode]

    def voor(self, jaar: int) -> CijferWaarde:
        """The figure for `jaar`; a year outside the table is `onbekend`, never a neighbour's value."""
        for periode in self.perioden:
            if periode.omvat(jaar):
                e = periode.entry
                return CijferWaarde(
                    sleutel=self.sleutel,
                    jaar=jaar,
                    soort=self.soort,
                    waarde=_waarde(self.soort, e.get("waarde")),
                    eenheid=e.get("eenheid"),
                    status=e["status"],
                    bronnen=tuple(e["bronnen"]),
                    toelichting=e.get("toelichting"),
                )
        return CijferWaarde(self.sleutel, jaar, self.soort, None, None, "onbekend", ())

    def jaren(self) -> list[int]:
        """Explicit years in the table (open ranges are shown from their first year to `tot`)."""
        years: set[int] = set()
        for p in self.perioden:
            if p.van is not None and p.tot is not None:
                years.update(range(p.van, p.tot + 1))
            elif p.van is not None:
                years.add(p.van)
            elif p.tot is not None:
                years.add(p.tot)
        return sorted(years)


@dataclass(frozen=True)
class Contact:
    id: str
    naam: str
    telefoon: str | None
    email: str | None
    toelichting: str | None
    bronnen: tuple[str, ...]


@dataclass(frozen=True)
class Onderwerp:
    id: str
    titel: str
    vragen: tuple[str, ...]
    antwoord: str
    bronnen: tuple[str, ...]
    jaargebonden: bool = False
    antwoord_medewerker: str | None = None
    bestand: str = ""
    regel: int = 0

    @property
    def intent(self) -> str:
        return f"faq_{self.id}"

    @property
    def trainingsvragen(self) -> tuple[str, ...]:
        """The questions plus the title: the title is the question in its plainest words, the one
        a user reads on a "Bedoelt u...?" button and most likely types."""
        return (self.titel, *self.vragen) if titel_telt_mee(self.titel, self.vragen) else self.vragen


@dataclass(frozen=True)
class LokaalAntwoord:
    antwoord: str
    bronnen: tuple[str, ...]
    vervangt: bool = False


@dataclass
class Gemeente:
    id: str
    naam: str
    telefoon: str | None
    bronnen: tuple[str, ...]
    antwoorden: dict[str, LokaalAntwoord] = field(default_factory=dict)


@dataclass
class Knowledge:
    bronnen: dict[str, Bron]
    cijfers: dict[str, Cijfer]
    contact: dict[str, Contact]
    onderwerpen: dict[str, Onderwerp]
    gemeenten: dict[str, Gemeente]
    # begeleiding/*.yml as loaded (file name -> plain data); bot.guidance interprets it.
    begeleiding: dict[str, Any] = field(default_factory=dict)
    # every Dutch gemeente by normalized name -> official name (gemeentelijst.yml)
    gemeentelijst: dict[str, str] = field(default_factory=dict)

    def cijfer(self, sleutel: str, jaar: int) -> CijferWaarde:
        return self.cijfers[sleutel].voor(jaar)

    def gemeente(self, naam: str | None) -> Gemeente | None:
        if not naam:
            return None
        return self.gemeenten.get(normalize(naam))

    def onderwerp_by_intent(self, intent: str) -> Onderwerp | None:
        return self.onderwerpen.get(intent.removeprefix("faq_")) if intent.startswith("faq_") else None


# --------------------------------------------------------------------------- helpers


def normalize(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: for comparing questions and names."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def titel_telt_mee(titel: str, vragen: Iterable[str]) -> bool:
    """Whether the title is a training question of its own: not when it repeats one of the questions."""
    return normalize(titel) not in {normalize(q) for q in vragen}


def _waarde(soort: str, raw: Any) -> Waarde:
    if raw is None:
        return None
    if soort == "leeftijd":
        return Leeftijd(int(raw["jaren"]), int(raw.get("maanden", 0)))
    if soort == "maanden":
        return int(raw)
    return Decimal(str(raw))


def _parse_year_key(key: Any) -> tuple[int | None, int | None] | None:
    m = YEAR_KEY.match(str(key))
    if not m:
        return None
    single, a, b, open_from, open_to = m.groups()
    if single:
        return int(single), int(single)
    if a:
        return int(a), int(b)
    if open_from:
        return int(open_from), None
    return None, int(open_to)


def plain(node: Any) -> Any:
    """ruamel's commented tree to plain dicts/lists with string keys (for jsonschema)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def line_of(node: Any, path: Any = ()) -> int:
    """1-based line of the element at `path` inside a ruamel tree (best effort)."""
    line = 0
    for part in path:
        try:
            if isinstance(node, dict):
                key = next((k for k in node if str(k) == str(part)), part)
                line = node.lc.key(key)[0]
                node = node[key]
            elif isinstance(node, list):
                line = node.lc.item(int(part))[0]
                node = node[int(part)]
        except (AttributeError, KeyError, IndexError, TypeError, ValueError):
            break
    else:
        if hasattr(node, "lc") and node.lc.line is not None and not path:
            line = node.lc.line
    return line + 1


@lru_cache(maxsize=64)
def _parse(text: str) -> Any:
    """The round-trip tree of a YAML text, with its line numbers; cached by content.

    ruamel's round-trip parser is pure Python: the FAQ files (1.5 MB of questions) take ~10 s,
    most of a validation. The tests validate a copy of knowledge/ with one file changed dozens
    of times in one process, so unchanged files come from here. The trees are only read,
    never changed. 64 entries: more than the files, so one changed file evicts no other.
    """
    return YAML(typ="rt").load(text)


class _Reader:
    """Reads YAML files with line numbers and collects problems instead of raising."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def load(self, path: Path, schema: dict[str, Any]) -> Any:
        try:
            tree = _parse(path.read_text(encoding="utf-8"))
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            self.problem(path, line, f"geen geldige YAML: {exc.problem or exc.context}")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(path, 0, f"kan het bestand niet lezen: {exc}")
            return None
        if tree is None:
            self.problem(path, 1, "het bestand is leeg")
            return None
        validator = jsonschema.Draft7Validator(schema)
        errors = sorted(validator.iter_errors(plain(tree)), key=lambda e: list(e.absolute_path))
        for err in errors:
            self.problem(path, line_of(tree, err.absolute_path), schema_message(err))
        return None if errors else tree

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, message))


def schema_message(err: jsonschema.ValidationError) -> str:
    """A jsonschema error in Dutch, for content editors."""
    where = ".".join(str(p) for p in err.absolute_path) or "bestand"
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"{where}: verplicht veld '{missing}' ontbreekt"
    if err.validator == "additionalProperties":
        return f"{where}: onbekend veld ({err.message})"
    if err.validator == "enum":
        keuze = ", ".join(map(str, err.validator_value))
        return f"{where}: waarde {err.instance!r} is niet toegestaan; kies uit {keuze}"
    if err.validator == "type":
        return f"{where}: verwacht {err.validator_value}, gevonden {type(err.instance).__name__}"
    if err.validator == "minItems":
        return f"{where}: te weinig items (minstens {err.validator_value})"
    if err.validator in ("minimum", "maximum"):
        return f"{where}: {err.instance!r} ligt buiten de grenzen ({err.validator} {err.validator_value})"
    if err.validator == "maxLength":
        return f"{where}: te lang (maximaal {err.validator_value} tekens)"
    if err.validator == "minLength":
        return f"{where}: mag niet leeg zijn"
    if err.validator == "pattern":
        return f"{where}: {err.instance!r} heeft niet de juiste vorm"
    return f"{where}: {err.message}"


# --------------------------------------------------------------------------- schemas

_STR = {"type": "string", "minLength": 1}
_IDS = {"type": "array", "minItems": 1, "items": _STR}

BRONNEN_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["titel"],
        "additionalProperties": False,
        "properties": {"titel": _STR, "url": {"type": "string", "pattern": "^https?://"}},
    },
}

CIJFER_ENTRY = {
    "type": "object",
    "required": ["status", "bronnen"],
    "additionalProperties": False,
    "properties": {
        "waarde": {"type": ["number", "object", "null"]},
        "eenheid": {"enum": list(EENHEDEN)},
        "status": {"enum": list(STATUSES)},
        "bronnen": _IDS,
        "toelichting": _STR,
    },
}

CIJFERS_SCHEMA = {
    "type": "object",
    "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
    "additionalProperties": {
        "type": "object",
        "required": ["omschrijving", "soort", "jaren"],
        "additionalProperties": False,
        "properties": {
            "omschrijving": _STR,
            "soort": {"enum": list(SOORTEN)},
            "jaren": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": YEAR_KEY.pattern},
                "additionalProperties": CIJFER_ENTRY,
            },
        },
    },
}

CONTACT_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["naam", "bronnen"],
        "additionalProperties": False,
        "properties": {
            "naam": _STR,
            "telefoon": _STR,
            "email": _STR,
            "toelichting": _STR,
            "bronnen": _IDS,
        },
    },
}

FAQ_SCHEMA = {
    "type": "object",
    "required": ["onderwerpen"],
    "additionalProperties": False,
    "properties": {
        "onderwerpen": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "titel", "vragen", "antwoord", "bronnen"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "titel": {"type": "string", "minLength": 3, "maxLength": 60},
                    "jaargebonden": {"type": "boolean"},
                    "vragen": {"type": "array", "minItems": 3, "items": {"type": "string", "minLength": 2}},
                    "antwoord": {"type": "string", "minLength": 10},
                    "antwoord_medewerker": {"type": "string", "minLength": 10},
                    "bronnen": _IDS,
                },
            },
        }
    },
}

GEMEENTE_SCHEMA = {
    "type": "object",
    "required": ["naam", "bronnen"],
    "additionalProperties": False,
    "properties": {
        "naam": _STR,
        "telefoon": _STR,
        "bronnen": _IDS,
        "antwoorden": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["antwoord", "bronnen"],
                "additionalProperties": False,
                "properties": {"antwoord": _STR, "bronnen": _IDS, "vervangt": {"type": "boolean"}},
            },
        },
    },
}

GEMEENTELIJST_SCHEMA = {
    "type": "object",
    "required": ["bronnen", "gemeenten"],
    "additionalProperties": False,
    "properties": {
        "peildatum": _STR,
        "bronnen": _IDS,
        "gemeenten": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["naam", "code"],
                "additionalProperties": False,
                "properties": {
                    "naam": _STR,
                    "code": {"type": "string", "pattern": "^GM\\d{4}$"},
                    "centrumgemeente": _STR,
                },
            },
        },
    },
}

BEGELEIDING_SCHEMA: dict[str, Any] = {"type": "object"}  # bot.guidance checks the content


# --------------------------------------------------------------------------- loading


def _yaml_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.glob("*.yml") if not p.name.startswith((".", "_")))


def _read(root: Path) -> tuple[Knowledge, _Reader, dict[str, Any]]:
    """Read everything; structural problems are collected in the reader."""
    r = _Reader(root)
    trees: dict[str, Any] = {}

    bronnen_tree = r.load(root / "bronnen.yml", BRONNEN_SCHEMA) or {}
    bronnen = {str(k): Bron(str(k), v["titel"], v.get("url")) for k, v in bronnen_tree.items()}
    trees["bronnen"] = bronnen_tree

    cijfers_tree = r.load(root / "cijfers.yml", CIJFERS_SCHEMA) or {}
    trees["cijfers"] = cijfers_tree
    cijfers: dict[str, Cijfer] = {}
    for key, spec in cijfers_tree.items():
        perioden = []
        for year_key, entry in spec["jaren"].items():
            van, tot = _parse_year_key(year_key) or (None, None)
            perioden.append(_Periode(van, tot, plain(entry)))
        cijfers[str(key)] = Cijfer(str(key), spec["omschrijving"], spec["soort"], perioden)

    contact_tree = r.load(root / "contact.yml", CONTACT_SCHEMA) or {}
    trees["contact"] = contact_tree
    contact = {
        str(k): Contact(str(k), v["naam"], v.get("telefoon"), v.get("email"), v.get("toelichting"), tuple(v["bronnen"]))
        for k, v in contact_tree.items()
    }

    onderwerpen: dict[str, Onderwerp] = {}
    faq_trees: dict[Path, Any] = {}
    for path in _yaml_files(root / "faq"):
        tree = r.load(path, FAQ_SCHEMA)
        if tree is None:
            continue
        faq_trees[path] = tree
        for i, t in enumerate(tree["onderwerpen"]):
            line = line_of(tree, ("onderwerpen", i))
            if t["id"] in onderwerpen:
                first = onderwerpen[t["id"]]
                r.problem(path, line, f"onderwerp '{t['id']}' bestaat al in {first.bestand}:{first.regel}")
                continue
            onderwerpen[t["id"]] = Onderwerp(
                id=t["id"],
                titel=t["titel"],
                vragen=tuple(str(q) for q in t["vragen"]),
                antwoord=str(t["antwoord"]).strip(),
                bronnen=tuple(t["bronnen"]),
                jaargebonden=bool(t.get("jaargebonden", False)),
                antwoord_medewerker=str(t["antwoord_medewerker"]).strip() if t.get("antwoord_medewerker") else None,
                bestand=r.rel(path),
                regel=line,
            )
    trees["faq"] = faq_trees

    gemeenten: dict[str, Gemeente] = {}
    gemeente_trees: dict[Path, Any] = {}
    for path in _yaml_files(root / "gemeenten"):
        tree = r.load(path, GEMEENTE_SCHEMA)
        if tree is None:
            continue
        gemeente_trees[path] = tree
        antwoorden = {
            str(k): LokaalAntwoord(str(v["antwoord"]).strip(), tuple(v["bronnen"]), bool(v.get("vervangt", False)))
            for k, v in (tree.get("antwoorden") or {}).items()
        }
        g = Gemeente(path.stem, str(tree["naam"]), tree.get("telefoon"), tuple(tree["bronnen"]), antwoorden)
        gemeenten[normalize(g.naam)] = g
    trees["gemeenten"] = gemeente_trees

    begeleiding: dict[str, Any] = {}
    begeleiding_trees: dict[Path, Any] = {}
    for path in _yaml_files(root / "begeleiding"):
        tree = r.load(path, BEGELEIDING_SCHEMA)
        if tree is not None:
            begeleiding_trees[path] = tree
            begeleiding[path.stem] = plain(tree)
    trees["begeleiding"] = begeleiding_trees

    gemeentelijst: dict[str, str] = {}
    lijst_path = root / "gemeentelijst.yml"
    lijst_tree = r.load(lijst_path, GEMEENTELIJST_SCHEMA) if lijst_path.exists() else None
    trees["gemeentelijst"] = lijst_tree
    for entry in (lijst_tree or {}).get("gemeenten", []):
        gemeentelijst[normalize(str(entry["naam"]))] = str(entry["naam"])

    k = Knowledge(bronnen, cijfers, contact, onderwerpen, gemeenten, begeleiding, gemeentelijst)
    return k, r, trees


def hand_written_examples(nlu_dir: Path) -> dict[str, tuple[str, str]]:
    """Normalised example -> (intent, file) from the hand-written NLU files (not the generated
    faq.yml). Absent folder (a scratch copy of knowledge/) -> nothing to compare with.
    The core does not import Rasa, so this reads the `- example` lines itself."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(nlu_dir.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if text.startswith(GENERATED_MARK):
            continue
        try:
            tree = YAML(typ="safe").load(text) or {}
        except MarkedYAMLError:
            continue  # developers' file: `rasa data validate` reports it
        for item in tree.get("nlu") or []:
            if "intent" in item:
                for ex in str(item.get("examples", "")).splitlines():
                    if ex.strip().startswith("- "):
                        found[normalize(ex.strip()[2:])] = (str(item["intent"]), f"data/nlu/{path.name}")
    return found


def _check(k: Knowledge, r: _Reader, trees: dict[str, Any]) -> None:
    """References and consistency: what a schema cannot say."""
    root = r.root

    def bron_refs(path: Path, tree: Any, trail: tuple[Any, ...], ids: Any) -> None:
        for i, bron in enumerate(ids or []):
            if str(bron) not in k.bronnen:
                r.problem(path, line_of(tree, (*trail, i)), f"onbekende bron '{bron}' (niet in knowledge/bronnen.yml)")

    # figures: periods must not overlap; values must match the status and kind
    cijfers_path = root / "cijfers.yml"
    for key, spec in trees["cijfers"].items():
        seen: list[tuple[int | None, int | None, Any]] = []
        for year_key, entry in spec["jaren"].items():
            trail = (key, "jaren", year_key)
            line = line_of(trees["cijfers"], trail)
            span = _parse_year_key(year_key)
            if span is None:
                continue
            van, tot = span
            if van is not None and tot is not None and van > tot:
                r.problem(cijfers_path, line, f"{key}: jaarreeks '{year_key}' loopt achteruit")
            for o_van, o_tot, o_key in seen:
                lo = max(van if van is not None else -(10**9), o_van if o_van is not None else -(10**9))
                hi = min(tot if tot is not None else 10**9, o_tot if o_tot is not None else 10**9)
                if lo <= hi:
                    r.problem(cijfers_path, line, f"{key}: jaar '{year_key}' overlapt met '{o_key}'")
            seen.append((van, tot, year_key))
            status, waarde = entry["status"], entry.get("waarde")
            if status in WITH_VALUE and waarde is None:
                r.problem(cijfers_path, line, f"{key} {year_key}: status '{status}' vraagt een waarde")
            if status not in WITH_VALUE and waarde is not None:
                r.problem(cijfers_path, line, f"{key} {year_key}: status '{status}' mag geen waarde hebben")
            if waarde is not None:
                soort = spec["soort"]
                if soort == "leeftijd" and not (isinstance(waarde, dict) and "jaren" in waarde):
                    r.problem(cijfers_path, line, f"{key} {year_key}: een leeftijd is {{jaren: .., maanden: ..}}")
                elif soort != "leeftijd" and not isinstance(waarde, (int, float)):
                    r.problem(cijfers_path, line, f"{key} {year_key}: waarde moet een getal zijn")
                elif soort != "leeftijd" and waarde < 0:
                    r.problem(cijfers_path, line, f"{key} {year_key}: waarde mag niet negatief zijn")
                if soort == "bedrag" and "eenheid" not in entry:
                    r.problem(cijfers_path, line, f"{key} {year_key}: een bedrag vraagt een eenheid")
            bron_refs(cijfers_path, trees["cijfers"], (*trail, "bronnen"), entry.get("bronnen"))

    for key, spec in trees["contact"].items():
        bron_refs(root / "contact.yml", trees["contact"], (key, "bronnen"), spec.get("bronnen"))

    # FAQ topics: sources, placeholders, and training questions that collide (with each other
    # or with the hand-written intents in data/nlu next to knowledge/)
    seen_q: dict[str, tuple[str, str, int]] = {}
    other_q = hand_written_examples(root.parent / "data" / "nlu")
    for path, tree in trees["faq"].items():
        for i, t in enumerate(tree["onderwerpen"]):
            bron_refs(path, tree, ("onderwerpen", i, "bronnen"), t["bronnen"])
            for field_name in ("antwoord", "antwoord_medewerker"):
                if t.get(field_name):
                    for msg in placeholder_problems(k, str(t[field_name])):
                        r.problem(path, line_of(tree, ("onderwerpen", i, field_name)), f"{t['id']}: {msg}")
            # What the model trains on: the questions and, unless it repeats one, the title.
            vragen = [(str(q), ("onderwerpen", i, "vragen", j)) for j, q in enumerate(t["vragen"])]
            titel = (str(t["titel"]), ("onderwerpen", i, "titel"))
            for q, where in ([titel] if titel_telt_mee(titel[0], (q for q, _ in vragen)) else []) + vragen:
                norm = normalize(q)
                line = line_of(tree, where)
                if not norm:
                    r.problem(path, line, f"{t['id']}: lege trainingsvraag")
                    continue
                if norm in other_q:
                    intent, other_file = other_q[norm]
                    r.problem(
                        path, line, f"tegenstrijdige trainingsvraag '{q}' (ook bij intent '{intent}' in {other_file})"
                    )
                elif norm in seen_q:
                    other_id, other_file, other_line = seen_q[norm]
                    kind = "dubbele" if other_id == t["id"] else "tegenstrijdige"
                    r.problem(
                        path,
                        line,
                        f"{kind} trainingsvraag '{q}' (ook bij '{other_id}' in {other_file}:{other_line})",
                    )
                else:
                    seen_q[norm] = (t["id"], r.rel(path), line)

    for path, tree in trees["gemeenten"].items():
        bron_refs(path, tree, ("bronnen",), tree.get("bronnen"))
        for topic, spec in (tree.get("antwoorden") or {}).items():
            line = line_of(tree, ("antwoorden", topic))
            if str(topic) not in k.onderwerpen:
                r.problem(path, line, f"antwoord voor onbekend onderwerp '{topic}'")
            bron_refs(path, tree, ("antwoorden", topic, "bronnen"), spec.get("bronnen"))
            for msg in placeholder_problems(k, str(spec["antwoord"])):
                r.problem(path, line, f"{topic}: {msg}")

    lijst = trees.get("gemeentelijst")
    if lijst is not None:
        bron_refs(root / "gemeentelijst.yml", lijst, ("bronnen",), lijst.get("bronnen"))
    for path, tree in trees["gemeenten"].items():
        if k.gemeentelijst and normalize(str(tree["naam"])) not in k.gemeentelijst:
            r.problem(
                path,
                line_of(tree, ("naam",)),
                f"onbekende gemeente '{tree['naam']}' (niet in knowledge/gemeentelijst.yml)",
            )

    if trees["begeleiding"]:
        from bot import guidance  # the guidance rules know their own schema

        for path, tree in trees["begeleiding"].items():
            for problem in guidance.validate_file(k, path.stem, tree, line_of):
                r.problem(path, problem[0], problem[1])


def placeholder_problems(k: Knowledge, text: str) -> list[str]:
    """Unknown names or modifiers in `{...}` placeholders."""
    out = []
    for m in PLACEHOLDER.finditer(text):
        name, mod = m.group(1), m.group(2)
        if name in ("jaar", "gemeente", "gemeente.telefoon") and mod is None:
            continue
        if name.startswith(("telefoon.", "email.")) and mod is None:
            kind, _, cid = name.partition(".")
            c = k.contact.get(cid)
            if c is None:
                out.append(f"onbekend contact '{cid}' in {m.group(0)}")
            elif getattr(c, kind) is None:
                out.append(f"contact '{cid}' heeft geen {kind} ({m.group(0)})")
            continue
        if name not in k.cijfers:
            out.append(f"onbekend cijfer '{name}' in {m.group(0)} (niet in knowledge/cijfers.yml)")
        elif mod is not None and mod not in YEAR_MODIFIERS and not re.fullmatch(r"\d{4}", mod):
            out.append(f"onbekende toevoeging '@{mod}' in {m.group(0)}")
    return out


def _base_broken(r: _Reader) -> bool:
    """True when a table that everything refers to (sources, figures, contacts) did not load."""
    base = {"bronnen.yml", "cijfers.yml", "contact.yml"}
    return any(Path(p.file).name in base for p in r.problems)


def validate(root: Path = KNOWLEDGE_DIR) -> list[Problem]:
    """All problems in the knowledge folder (empty list = fine)."""
    k, r, trees = _read(root)
    if not _base_broken(r):  # a broken table would make every reference to it look wrong
        _check(k, r, trees)
    return r.problems


def load(root: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Load and validate; raises KnowledgeError listing every problem."""
    k, r, trees = _read(root)
    if not _base_broken(r):
        _check(k, r, trees)
    if r.problems:
        raise KnowledgeError(r.problems)
    return k


@lru_cache(maxsize=4)
def load_cached(root: Path = KNOWLEDGE_DIR) -> Knowledge:
    """The knowledge for a running process (loaded once; restart to pick up edits)."""
    return load(root)
