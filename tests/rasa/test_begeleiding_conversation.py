"""The staff guidance loop through the REST channel of the running assistant.

REST users are citizens unless the metadata says otherwise; these conversations are staff.
Expected checklists are rendered by the core from the same facts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from bot import guidance, knowledge
from bot.extract import today
from tests.rasa.conftest import Chat

K = knowledge.load()
STAFF = {"doelgroep": "medewerker"}


class Casus:
    def __init__(self, chat: Chat):
        self.chat = chat
        self.sender = f"begeleiding-{uuid.uuid4().hex}"

    def send(self, text: str) -> list[dict[str, Any]]:
        return self.chat.send(text, self.sender, metadata=STAFF)

    def texts(self, text: str) -> str:
        return self.chat.texts(text, self.sender, metadata=STAFF)


def vraag(feit: str) -> str:
    return str(guidance._catalogus(K)[feit]["vraag"])


def checklist(situatie: str, **feiten: Any) -> str:
    return guidance.checklist(K, situatie, feiten, today()).markdown()


def test_all_facts_at_once(chat: Chat):
    c = Casus(chat)
    reply = c.texts("cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen, leveringsvorm 2")
    assert reply == checklist("wlz_naar_bw", datum_overgang=dt.date(2026, 3, 1), leveringsvorm=2)


def test_several_turns_one_question_at_a_time(chat: Chat):
    c = Casus(chat)
    reply = c.send("bw-client verhuist op 15-04-2026 van Haarlem naar Amsterdam")
    assert reply[-1]["text"].startswith(vraag("leveringsvorm"))
    assert [b["payload"] for b in reply[-1]["buttons"]] == ["2", "5", "7"]
    reply = c.send("7")
    assert reply[-1]["text"].startswith(vraag("wooncomponent"))
    assert [b["payload"] for b in reply[-1]["buttons"]] == ["ja", "nee"]
    assert c.texts("ja") == checklist(
        "bw_verhuizing",
        datum_overgang=dt.date(2026, 4, 15),
        gemeente_oud="Haarlem",
        gemeente_nieuw="Amsterdam",
        leveringsvorm=7,
        wooncomponent="ja",
    )


def test_a_correction_overwrites_the_date(chat: Chat):
    c = Casus(chat)
    reply = c.send("cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen")
    assert reply[-1]["text"].startswith(vraag("leveringsvorm"))
    reply = c.send("nee, de datum is 1 april 2026")
    assert reply[-1]["text"].startswith(vraag("leveringsvorm"))
    assert c.texts("2") == checklist("wlz_naar_bw", datum_overgang=dt.date(2026, 4, 1), leveringsvorm=2)


def test_an_impossible_date_is_asked_again(chat: Chat):
    c = Casus(chat)
    reply = c.send("cliënt gaat van de Wlz naar beschermd wonen, lv 2")
    assert reply[-1]["text"].startswith(vraag("datum_overgang"))
    reply = c.texts("31 februari 2026")
    assert "'31 februari 2026' is geen bestaande datum" in reply
    assert vraag("datum_overgang") in reply
    assert c.texts("1 maart 2026") == checklist("wlz_naar_bw", datum_overgang=dt.date(2026, 3, 1), leveringsvorm=2)


def test_an_unknown_gemeente_is_named_and_asked_again(chat: Chat):
    c = Casus(chat)
    reply = c.texts("bw-client verhuist op 15-04-2026 van Haarlem naar Gotham")
    assert "Ik ken de gemeente 'Gotham' niet" in reply
    assert vraag("gemeente_nieuw") in reply
    reply = c.send("Amsterdam")
    assert reply[-1]["text"].startswith(vraag("leveringsvorm"))


def test_leaving_halfway(chat: Chat):
    c = Casus(chat)
    reply = c.send("cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen")
    assert reply[-1]["text"].startswith(vraag("leveringsvorm"))
    assert "gestopt" in c.texts("ik wil stoppen")
    # the case is gone: a greeting is answered as a greeting, not as an answer to the question
    assert "eigen bijdrage" in c.texts("hallo")
