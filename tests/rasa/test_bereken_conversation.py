"""The eigen-bijdrage form through the REST channel of the running assistant.

Expected results are rendered by the core (bot/calculation.py) for the same facts.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from actions.bereken import VRAGEN
from bot import calculation, knowledge
from bot.calculation import Huishouden, Persoon
from bot.extract import today
from tests.rasa.conftest import Chat

K = knowledge.load()


def vraag(slot: str) -> str:
    """The start of the form's question for a slot (the text before any year is filled in)."""
    return VRAGEN[slot][0].split("{")[0][:40]


def at_tekst(jaar: int, huishouden: str, leeftijd: int, partner: int | None = None) -> str:
    hh = Huishouden(
        huishouden,
        client=Persoon.met_leeftijd(leeftijd),
        partner=None if partner is None else Persoon.met_leeftijd(partner),
    )
    return calculation.abonnementstarief(K, jaar, hh).tekst(K)


@pytest.fixture
def sender() -> str:
    return uuid.uuid4().hex


def test_all_facts_in_one_message(chat: Chat, sender: str):
    reply = chat.texts("ik ben 72, woon alleen en krijg huishoudelijke hulp, wat betaal ik in 2024?", sender)
    assert reply == at_tekst(2024, "alleen", 72)


def test_facts_over_several_turns(chat: Chat, sender: str):
    assert vraag("zorgsoort") in chat.texts("bereken mijn eigen bijdrage", sender)
    assert vraag("huishouden") in chat.texts("wmo", sender)
    assert vraag("leeftijd") in chat.texts("met partner", sender)
    assert vraag("partner_leeftijd") in chat.texts("72", sender)
    assert chat.texts("68", sender) == at_tekst(today().year, "partner", 72, 68)


def test_instelling_over_several_turns(chat: Chat, sender: str):
    assert vraag("zorgsoort") in chat.texts("wat ga ik betalen", sender)
    inkomen_vraag = chat.texts("instelling", sender)
    assert f"verzamelinkomen in {today().year - 2}" in inkomen_vraag
    assert vraag("vermogen") in chat.texts("20.000", sender)
    assert vraag("met_partner") in chat.texts("0", sender)
    expected = calculation.lage_eigen_bijdrage(
        K, Decimal(20000), None, today().year, met_partner=False, vermogen_t2=Decimal(0)
    ).tekst(K)
    assert chat.texts("nee", sender) == expected


def test_correction_mid_form(chat: Chat, sender: str):
    assert vraag("leeftijd") in chat.texts(
        "ik krijg huishoudelijke hulp en woon met mijn vrouw, wat betaal ik?", sender
    )
    assert vraag("partner_leeftijd") in chat.texts("ik ben 72", sender)
    assert vraag("partner_leeftijd") in chat.texts("nee, ik ben 68", sender)
    assert chat.texts("70", sender) == at_tekst(today().year, "partner", 68, 70)


def test_invalid_answer_gets_a_dutch_message_and_the_question_again(chat: Chat, sender: str):
    chat.texts("ik woon alleen en krijg hulp van de wmo, bereken mijn eigen bijdrage", sender)
    with pytest.raises(calculation.InvoerFout) as fout:
        calculation._leeftijd(200)
    reply = chat.texts("200", sender)
    assert str(fout.value) in reply
    assert vraag("leeftijd") in reply
    assert chat.texts("72", sender) == at_tekst(today().year, "alleen", 72)


def test_text_instead_of_a_number(chat: Chat, sender: str):
    chat.texts("ik ga naar een instelling, bereken mijn eigen bijdrage", sender)
    reply = chat.texts("heel weinig", sender)
    assert "verwacht ik een bedrag" in reply
    assert "verzamelinkomen" in reply


def test_user_stops(chat: Chat, sender: str):
    assert vraag("zorgsoort") in chat.texts("bereken mijn eigen bijdrage", sender)
    assert "ik stop met de berekening" in chat.texts("laat maar", sender)
    # the form is gone: a new calculation starts from the first question
    assert vraag("zorgsoort") in chat.texts("bereken mijn eigen bijdrage", sender)


def test_faq_question_mid_form_is_answered_and_the_question_asked_again(chat: Chat, sender: str):
    chat.texts("bereken mijn eigen bijdrage", sender)
    reply = chat.texts("hoe hoog is de eigen bijdrage wmo in 2019", sender)
    assert "2019" in reply
    assert reply.endswith(VRAGEN["zorgsoort"][0])
