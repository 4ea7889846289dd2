"""Meldingen: triage from knowledge/triage.yml, storage, webhook with retries, masking, the CLI."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot import KNOWLEDGE_DIR, tickets, tickets_cli

REGELS = tickets.load_triage()
BSN = "111222333"  # passes the 11-proef
IBAN = "NL91ABNA0417164300"


# --------------------------------------------------------------------------- a local fake desk


class FakeDesk:
    """A webhook receiver on loopback that answers with the scripted status codes, then 201."""

    def __init__(self, statuses: list[int] | None = None):
        self.statuses = list(statuses or [])
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        desk = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                desk.received.append(json.loads(body))
                desk.headers.append(dict(self.headers))
                status = desk.statuses.pop(0) if desk.statuses else 201
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id": "topdesk-1"}' if status < 300 else b'{"fout": "even niet"}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tdapi/incidents"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def desk() -> Iterator[FakeDesk]:
    d = FakeDesk()
    yield d
    d.close()


@pytest.fixture
def st(tmp_path: Path) -> tickets.TicketStore:
    return tickets.TicketStore(f"sqlite:///{tmp_path / 'tickets.db'}")


def gesprek(*user_texts: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for t in user_texts:
        intent = "vraag_medewerker" if "medewerker" in t else "faq_iets"
        out.append({"rol": "gebruiker", "tekst": t, "intent": intent})
        out.append({"rol": "assistent", "tekst": "Ik weet niet zeker wat u bedoelt."})
    return out


def no_sleep(_: float) -> None:
    pass


# --------------------------------------------------------------------------- triage


def test_triage_file_is_valid():
    assert tickets.validate_triage() == []


@pytest.mark.parametrize("voorbeeld", REGELS.voorbeelden, ids=lambda v: v["tekst"][:40])
def test_examples_in_the_rules(voorbeeld: dict[str, Any]):
    t = REGELS.triage([voorbeeld["tekst"]])
    assert (t.categorie, t.behandelaar, t.urgentie) == (
        voorbeeld["categorie"],
        voorbeeld["behandelaar"],
        voorbeeld["urgentie"],
    )


# Our own table, independent of the examples in the file.
@pytest.mark.parametrize(
    "tekst, categorie, behandelaar, urgentie",
    [
        ("Ik heb een vraag over mijn factuur van het CAK", "factuur", "cak", "normaal"),
        ("Ik heb in een keer vier facturen gekregen", "factuur", "cak", "hoog"),
        ("Er komen stapelfacturen binnen", "factuur", "cak", "hoog"),
        ("De energie wordt afgesloten en nu ook nog deze rekening", "factuur", "cak", "hoog"),
        ("Ik kan dit bedrag niet betalen", "hoogte_bijdrage", "cak", "hoog"),
        ("Kan ik gespreid betalen? Ik heb een deurwaarder aan de deur", "betalingsregeling", "cak", "hoog"),
        ("Ik wil een betalingsregeling, de SVB is ook traag", "betalingsregeling", "cak", "normaal"),
        ("Ik wil bezwaar maken tegen de beschikking", "bezwaar", "cak", "normaal"),
        ("Hoe hoog is de eigen bijdrage als mijn vermogen stijgt?", "hoogte_bijdrage", "cak", "normaal"),
        ("Ons startbericht is afgekeurd met een retourcode", "aanmelding", "cak", "normaal"),
        ("De einddatum van de voorziening klopt niet in de registratie", "aanmelding", "gemeente", "normaal"),
        ("Client verhuisd naar een andere gemeente, wie meldt af?", "overgang", "gemeente", "normaal"),
        ("Overgang naar de Wlz: wanneer begint het zorgkantoor?", "overgang", "zorgkantoor", "normaal"),
        ("De zorgaanbieder rekent leefgeld", "anders", "zorgaanbieder", "normaal"),
        ("Budgethouder: trekkingsrecht werkt niet", "anders", "svb", "normaal"),
        ("ik wil een medewerker spreken", "anders", "gemeente", "normaal"),
        ("", "anders", "gemeente", "normaal"),
    ],
)
def test_triage_table(tekst: str, categorie: str, behandelaar: str, urgentie: str):
    t = REGELS.triage([tekst])
    assert (t.categorie, t.behandelaar, t.urgentie) == (categorie, behandelaar, urgentie)
    assert t.reden and t.reactietijd_werkdagen >= 1


def _sample(word: str) -> str:
    return word.replace("*", "")


@pytest.mark.parametrize(
    "regel, woord",
    [(r["id"], w) for r in REGELS.urgentie["regels"] for w in r.get("trefwoorden") or []],
)
def test_every_urgency_keyword_makes_it_urgent(regel: str, woord: str):
    t = REGELS.triage([f"Vraag over de eigen bijdrage: {_sample(woord)}."])
    assert t.urgentie == "hoog", regel
    assert t.reactietijd_werkdagen == REGELS.urgentie["hoog"]["reactietijd_werkdagen"]
    assert t.advies and "0800 1925" in t.advies


@pytest.mark.parametrize(
    "categorie, woord",
    [(c["id"], w) for c in REGELS.categorieen for w in c["trefwoorden"]],
)
def test_every_category_keyword_matches(categorie: str, woord: str):
    # Alone, a keyword gives its own category, or an earlier one that shares the word.
    t = REGELS.triage([_sample(woord)])
    order = [c["id"] for c in REGELS.categorieen]
    assert order.index(t.categorie) <= order.index(categorie)
    assert t.categorie != tickets.FALLBACK_CATEGORY


def test_payloads_and_other_messages_count_together():
    t = REGELS.triage(["/buiten_bereik", "ik heb vragen", "over de factuur van vorige maand"])
    assert t.categorie == "factuur"
    assert REGELS.triage(["/faq_betalingsregeling"]).categorie == "anders"


def test_betalingsregeling_always_goes_to_the_cak():
    t = REGELS.triage(["betalingsregeling voor de huur bij mijn zorgaanbieder en de startdatum"])
    assert (t.categorie, t.behandelaar) == ("betalingsregeling", "cak")


def test_staff_get_the_staff_contact():
    burger = REGELS.triage(["factuur"], "burger")
    medewerker = REGELS.triage(["factuur"], "medewerker")
    assert burger.contact_id == "cak_klanten"
    assert medewerker.contact_id == "cak_wmo_servicedesk"
    keten = REGELS.triage(["retourcode op het WMO407 bericht"], "medewerker")
    assert keten.contact_id == "cak_servicedesk_ketenpartners"


def test_response_times_are_marked_as_our_own_promise():
    assert "eigen" in REGELS.servicebelofte and "CAK" in REGELS.servicebelofte
    for h in REGELS.behandelaars.values():
        assert 1 <= h.reactietijd_werkdagen <= 30


# --------------------------------------------------------------------------- validation


def _copy_knowledge(tmp_path: Path, triage_text: str) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in ("bronnen.yml", "contact.yml"):
        shutil.copy(KNOWLEDGE_DIR / name, folder / name)
    path = folder / "triage.yml"
    path.write_text(triage_text, encoding="utf-8")
    return path


ORIGINAL = (KNOWLEDGE_DIR / "triage.yml").read_text(encoding="utf-8")


def _last_line_of(text: str, part: str) -> int:
    return text[: text.index(part)].count("\n") + len(part.rstrip("\n").splitlines())


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("bronnen: [seed-000, seed-004]", "bronnen: [seed-000, bestaat-niet]", "bron 'bestaat-niet' staat niet"),
        ("    reactietijd_werkdagen: 2\n  gemeente:", "    reactietijd_werkdagen: 0\n  gemeente:", "buiten de grenzen"),
        (
            "    behandelaar: cak\n    vaste_behandelaar",
            "    behandelaar: ggd\n    vaste_behandelaar",
            "niet toegestaan",
        ),
        ("trefwoorden: [bezwaar*,", "trefwoorden: [Bezwaar*,", "kleine letters"),
        ("patronen: ['\\bkan", "patronen: ['(\\bkan", "geen geldige reguliere expressie"),
        (
            "    categorie: overgang\n    behandelaar: zorgkantoor",
            "    categorie: overgang\n    behandelaar: svb",
            "verwacht overgang/svb/normaal",
        ),
        ("  - id: anders\n", "  - id: anders\n    kleur: rood\n", "onbekend veld"),
        ("    contact:\n      burger: cak_klanten", "    contact:\n      burger: cak_bestaat_niet", "contact.yml"),
    ],
)
def test_validation_names_file_and_line(tmp_path: Path, old: str, new: str, expected: str):
    assert old in ORIGINAL, old
    text = ORIGINAL.replace(old, new, 1)
    problems = tickets.validate_triage(_copy_knowledge(tmp_path, text))
    assert problems, "geen fout gevonden"
    hit = next((p for p in problems if expected in p), None)
    assert hit is not None, problems
    file_part, line, _ = hit.split(":", 2)
    assert file_part.endswith("triage.yml")
    # The line points at the changed part (or the item that contains it).
    changed = _last_line_of(text, new)
    assert changed - 3 <= int(line) <= changed, (hit, changed)


def test_validation_of_broken_yaml(tmp_path: Path):
    problems = tickets.validate_triage(_copy_knowledge(tmp_path, "versie: 1\nbehandelaars: [\n"))
    assert len(problems) == 1 and "geen geldige YAML" in problems[0]


def test_invalid_rules_refuse_to_load(tmp_path: Path):
    path = _copy_knowledge(tmp_path, ORIGINAL.replace("versie: 1", "versie: 2"))
    with pytest.raises(tickets.TriageError) as exc:
        tickets.load_triage(path)
    assert "versie" in str(exc.value)


# --------------------------------------------------------------------------- storage and masking


def test_ticket_is_stored_and_read_back(st: tickets.TicketStore):
    t, tri = tickets.open_ticket(
        gesprek("Ik kreeg drie facturen tegelijk", "ik wil een medewerker"),
        facts={"jaar": 2024, "gemeente": "Haarlemmermeer", "leeg": None},
        channel="slack",
        audience="medewerker",
        caller="U123",
        ticket_store=st,
        url=None,
        regels=REGELS,
    )
    assert t.id.startswith("BW-") and len(t.id) == 10
    assert t.webhook_status == tickets.WEBHOOK_DISABLED
    back = st.get(t.id.lower())
    assert back.category == "factuur" and back.handler == "cak" and back.urgency == "hoog"
    assert back.facts == {"jaar": 2024, "gemeente": "Haarlemmermeer"}
    assert back.transcript[0] == {"rol": "gebruiker", "tekst": "Ik kreeg drie facturen tegelijk", "intent": "faq_iets"}
    assert back.channel == "slack" and back.audience == "medewerker" and back.caller == "U123"
    assert back.created.tzinfo is not None and back.status == "nieuw"
    assert "drie facturen" in back.summary and back.reactietijd_werkdagen == tri.reactietijd_werkdagen
    assert [x.id for x in st.find()] == [t.id]
    with pytest.raises(tickets.TicketNotFound):
        st.get("BW-XXX-XXX")


def test_no_unmasked_bsn_or_iban_is_stored(tmp_path: Path, st: tickets.TicketStore):
    t, _ = tickets.open_ticket(
        gesprek(f"mijn bsn is {BSN} en mijn rekening {IBAN}", f"nogmaals: {BSN[:4]}.{BSN[4:6]}.{BSN[6:]}"),
        facts={"notitie": f"iban {IBAN}"},
        caller=f"klant {BSN}",
        ticket_store=st,
        url=None,
        regels=REGELS,
    )
    raw = (tmp_path / "tickets.db").read_bytes()
    for secret in (BSN, IBAN, "1112.22.333"):
        assert secret.encode() not in raw
    with sqlite3.connect(tmp_path / "tickets.db") as con:
        dump = "\n".join(con.iterdump())
    assert BSN not in dump and IBAN not in dump and "[BSN verwijderd]" in dump
    back = st.get(t.id)
    assert BSN not in json.dumps(back.to_dict())


def test_bsn_followed_by_a_comma_is_masked(st: tickets.TicketStore):
    t, _ = tickets.open_ticket(gesprek(f"mijn bsn is {BSN}, klopt de factuur?"), ticket_store=st, regels=REGELS)
    assert BSN not in json.dumps(st.get(t.id).to_dict())


def test_store_masks_even_when_handed_an_unmasked_ticket(st: tickets.TicketStore):
    t, _ = tickets.build_ticket(gesprek("factuur"), regels=REGELS)
    t.summary = f"bsn {BSN}"
    t.transcript.append({"rol": "gebruiker", "tekst": f"iban {IBAN}"})
    back = st.add(t)
    assert BSN not in back.summary and IBAN not in json.dumps(back.transcript)


def test_purge_removes_old_tickets(st: tickets.TicketStore):
    long_ago = datetime.now(timezone.utc) - timedelta(days=400)
    old, _ = tickets.build_ticket(gesprek("factuur"), regels=REGELS, now=long_ago)
    new, _ = tickets.build_ticket(gesprek("factuur"), regels=REGELS)
    st.add(old)
    st.add(new)
    assert st.purge(timedelta(days=365)) == 1
    assert [t.id for t in st.find()] == [new.id]


# --------------------------------------------------------------------------- webhook


def test_webhook_retries_until_the_desk_answers(st: tickets.TicketStore, desk: FakeDesk, monkeypatch):
    monkeypatch.setenv("BW_TICKET_WEBHOOK_AUTHORIZATION", "Bearer test-token")
    desk.statuses = [500, 503]
    waits: list[float] = []
    t, _ = tickets.open_ticket(
        gesprek("ik heb schulden en kan de factuur niet betalen"),
        channel="botframework",
        audience="medewerker",
        caller="29:abc",
        ticket_store=st,
        url=desk.url,
        background=False,
        regels=REGELS,
        attempts=3,
        backoff=0.5,
        sleep=waits.append,
    )
    assert t.webhook_status == tickets.WEBHOOK_SENT and t.webhook_attempts == 3
    assert waits == [0.5, 1.0]  # growing waits between attempts
    assert len(desk.received) == 3 and desk.received[0] == desk.received[2]
    body = desk.received[-1]
    assert {"caller", "briefDescription", "request", "category", "priority", "operatorGroup"} <= body.keys()
    assert body["externalNumber"] == t.id and t.id in body["briefDescription"]
    assert len(body["briefDescription"]) <= 80
    assert body["priority"] == {"name": "Hoog"}
    assert body["operatorGroup"] == {"name": "Eigen bijdrage - CAK-vragen"}
    assert body["caller"]["dynamicName"] == "Teams 29:abc"
    assert "kan de factuur niet betalen" in body["request"] and "eigen servicebelofte" in body["request"]
    assert desk.headers[-1]["Authorization"] == "Bearer test-token"
    assert desk.headers[-1]["X-BW-Ticket"] == t.id


def test_ticket_survives_a_failing_webhook_and_is_sent_later(st: tickets.TicketStore, desk: FakeDesk):
    desk.statuses = [500, 500, 500]
    t, _ = tickets.open_ticket(
        gesprek(f"bezwaar, mijn bsn is {BSN}"),
        ticket_store=st,
        url=desk.url,
        background=False,
        regels=REGELS,
        attempts=3,
        sleep=no_sleep,
    )
    assert t.webhook_status == tickets.WEBHOOK_FAILED and "HTTP 500" in (t.webhook_error or "")
    assert st.get(t.id).category == "bezwaar"  # stored all the same
    assert [x.id for x in st.find(webhook_status="failed")] == [t.id]

    result = tickets.retry_pending(ticket_store=st, url=desk.url, sleep=no_sleep)
    assert result.sent == [t.id] and result.failed == []
    back = st.get(t.id)
    assert back.webhook_status == tickets.WEBHOOK_SENT and back.webhook_attempts == 4 and back.webhook_sent_at
    assert BSN not in json.dumps(desk.received)
    # Nothing left to send.
    assert tickets.retry_pending(ticket_store=st, url=desk.url, sleep=no_sleep).sent == []


def test_unreachable_webhook_keeps_the_ticket(st: tickets.TicketStore):
    t, _ = tickets.open_ticket(
        gesprek("factuur"),
        ticket_store=st,
        url="http://127.0.0.1:9/dicht",
        background=False,
        regels=REGELS,
        attempts=2,
        sleep=no_sleep,
        timeout=2,
    )
    assert t.webhook_status == tickets.WEBHOOK_FAILED and t.webhook_attempts == 2
    assert "ConnectionError" in (t.webhook_error or "")


def test_client_errors_are_not_retried(st: tickets.TicketStore, desk: FakeDesk):
    desk.statuses = [400]
    t, _ = tickets.open_ticket(
        gesprek("factuur"), ticket_store=st, url=desk.url, background=False, regels=REGELS, sleep=no_sleep
    )
    assert t.webhook_status == tickets.WEBHOOK_FAILED and t.webhook_attempts == 1 and len(desk.received) == 1


def test_background_delivery(st: tickets.TicketStore, desk: FakeDesk):
    t, _ = tickets.open_ticket(gesprek("factuur"), ticket_store=st, url=desk.url, background=True, regels=REGELS)
    assert t.webhook_status == tickets.WEBHOOK_PENDING
    deadline = datetime.now() + timedelta(seconds=10)
    while st.get(t.id).webhook_status != tickets.WEBHOOK_SENT and datetime.now() < deadline:
        threading.Event().wait(0.05)
    assert st.get(t.id).webhook_status == tickets.WEBHOOK_SENT


def test_retry_leaves_fresh_pending_tickets_alone(st: tickets.TicketStore, desk: FakeDesk):
    # A crash between storing and sending leaves 'pending'; only stale ones are picked up.
    fresh, _ = tickets.build_ticket(gesprek("factuur"), regels=REGELS)
    fresh.webhook_status = tickets.WEBHOOK_PENDING
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    stale, _ = tickets.build_ticket(gesprek("factuur"), regels=REGELS, now=an_hour_ago)
    stale.webhook_status = tickets.WEBHOOK_PENDING
    st.add(fresh)
    st.add(stale)
    result = tickets.retry_pending(ticket_store=st, url=desk.url, sleep=no_sleep)
    assert result.sent == [stale.id]
    assert st.get(fresh.id).webhook_status == tickets.WEBHOOK_PENDING


def test_without_webhook_nothing_is_sent(st: tickets.TicketStore, monkeypatch):
    monkeypatch.delenv("BW_TICKET_WEBHOOK_URL", raising=False)
    t, _ = tickets.open_ticket(gesprek("factuur"), ticket_store=st, regels=REGELS)
    assert t.webhook_status == tickets.WEBHOOK_DISABLED
    assert tickets.retry_pending(ticket_store=st).sent == []


# --------------------------------------------------------------------------- what the user reads


def test_confirmation_for_a_citizen(st: tickets.TicketStore):
    t, tri = tickets.open_ticket(
        gesprek("Ik wil bezwaar maken"), ticket_store=st, url=None, regels=REGELS, channel="socketio"
    )
    text = tickets.bevestiging(t, tri, REGELS, "CAK (voor burgers), 0800 1925 (gratis)")
    assert t.id in text and "2 werkdagen" in text and "eigen afspraak" in text
    assert "het CAK" in text and "0800 1925" in text
    assert "6 weken" in text and "geen bezwaarschrift" in text  # the deadline keeps running


def test_confirmation_for_staff_with_urgency(st: tickets.TicketStore):
    t, tri = tickets.open_ticket(
        gesprek("client heeft schulden en meerdere facturen"),
        ticket_store=st,
        url=None,
        regels=REGELS,
        channel="botframework",
        audience="medewerker",
    )
    text = tickets.bevestiging(t, tri, REGELS, None)
    assert t.id in text and "1 werkdag " in text and "via Teams" in text and "urgentie: hoog" in text
    assert "betalingsregeling is gratis" in text


# --------------------------------------------------------------------------- command line


def test_cli(tmp_path: Path, desk: FakeDesk, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    st = tickets.store(url)
    desk.statuses = [500]
    t, _ = tickets.open_ticket(
        gesprek(f"factuur, bsn {BSN}"),
        ticket_store=st,
        url=desk.url,
        background=False,
        regels=REGELS,
        attempts=1,
        sleep=no_sleep,
    )
    assert tickets_cli.main(["--database", url, "lijst"]) == 0
    out = capsys.readouterr().out
    assert t.id in out and "failed" in out

    assert tickets_cli.main(["--database", url, "toon", t.id]) == 0
    out = capsys.readouterr().out
    assert "Gesprek:" in out and "[BSN verwijderd]" in out and BSN not in out

    assert tickets_cli.main(["--database", url, "toon", "BW-BES-TAAT"]) == 1

    monkeypatch.delenv("BW_TICKET_WEBHOOK_URL", raising=False)
    assert tickets_cli.main(["--database", url, "opnieuw-versturen"]) == 1
    monkeypatch.setenv("BW_TICKET_WEBHOOK_URL", desk.url)
    assert tickets_cli.main(["--database", url, "opnieuw-versturen"]) == 0
    assert f"verstuurd: {t.id}" in capsys.readouterr().out
    assert st.get(t.id).webhook_status == "sent"

    assert tickets_cli.main(["valideer"]) == 0
    assert tickets_cli.main(["onbekend"]) == 2
