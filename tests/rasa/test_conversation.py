"""Conversations through the REST channel of the running assistant."""

from __future__ import annotations

import json

import pytest

from bot import knowledge, render
from bot.extract import today
from tests.rasa.conftest import Chat

K = knowledge.load()


def topic_with(placeholder: str) -> str:
    return next(t.id for t in K.onderwerpen.values() if placeholder in t.antwoord)


def test_greeting(chat: Chat):
    assert "eigen bijdrage" in chat.texts("Goedemorgen")


@pytest.mark.parametrize(
    "question,topic,jaar",
    [
        ("Hoe hoog is de eigen bijdrage voor de Wmo in 2019?", "at_bedrag", 2019),
        ("hoeveel is het abonnementstarief in 2024", "at_bedrag", 2024),
        ("Hoe hoog is de eigen bijdrage Wmo?", "at_bedrag", None),
    ],
)
def test_faq_answer_is_rendered_for_the_year(chat: Chat, question: str, topic: str, jaar: int | None):
    expected = render.render(K, topic, jaar or today().year).markdown()
    assert chat.texts(question) == expected


def test_out_of_scope_gets_an_honest_answer(chat: Chat):
    reply = chat.send("Wat is de hoofdstad van Frankrijk?")
    assert reply[0]["text"].startswith("Dat weet ik niet")


@pytest.mark.parametrize(
    "message",
    [
        "",
        "x" * 10_000,
        "😀😀😀",
        "<script>alert('hoi')</script>",
        "What is the weather like in London today?",
        "asdkjh qwpoeiru zxmcnv",
    ],
)
def test_bad_input_gets_a_reply_and_is_kept(chat: Chat, message: str):
    sender = f"bad-{abs(hash(message))}"
    reply = chat.send(message, sender)
    assert reply and all(m.get("text") or m.get("buttons") for m in reply)
    stored = [json.loads(d)["text"] for t, d in chat.stored_events(sender) if t == "user"]
    assert stored == [message]


def test_bsn_and_iban_never_reach_the_tracker_store(chat: Chat):
    sender = "privacy-test"
    reply = chat.texts("mijn bsn is 111222333 en mijn iban NL91ABNA0417164300, wat betaal ik?", sender)
    assert "burgerservicenummer" in reply
    raw = " ".join(d for _, d in chat.stored_events(sender))
    assert "111222333" not in raw and "0417164300" not in raw
    assert "[BSN verwijderd]" in raw


def test_clarify_then_button_answers_for_the_year_asked(chat: Chat):
    sender = "clarify-test"
    # An answer reached through a button payload keeps the year asked earlier.
    chat.send("Hoe hoog was de eigen bijdrage Wmo in 2022?", sender)
    reply = chat.texts(f"/faq_{topic_with('{abonnementstarief}')}", sender)
    assert reply == render.render(K, topic_with("{abonnementstarief}"), 2022).markdown()
