"""Answers are rendered from the table: right year, right figure, honest when unknown."""

from __future__ import annotations

import re

import pytest

from bot import formatting, knowledge, render
from bot.knowledge import PLACEHOLDER

K = knowledge.load()
AMOUNT = re.compile(r"€\s?[\d.]+,\d\d")


def topics_using(key: str) -> list[str]:
    """Topics whose citizen answer names `key` for the answer's own year."""
    return sorted(
        t.id
        for t in K.onderwerpen.values()
        if any(m.group(1) == key and m.group(2) is None for m in PLACEHOLDER.finditer(t.antwoord))
    )


def test_there_are_topics_for_the_main_figures():
    for key in ("abonnementstarief", "lage_eigen_bijdrage_maximum", "hoge_eigen_bijdrage_maximum"):
        assert topics_using(key), key


@pytest.mark.parametrize(
    "key",
    [
        "abonnementstarief",
        "lage_eigen_bijdrage_minimum",
        "lage_eigen_bijdrage_maximum",
        "hoge_eigen_bijdrage_maximum",
        "aow_leeftijd",
        "vermogensinkomensbijtelling",
    ],
)
@pytest.mark.parametrize("jaar", range(2017, 2028))
def test_each_year_renders_its_own_figure_or_says_it_is_unknown(key: str, jaar: int):
    cv = K.cijfer(key, jaar)
    for topic in topics_using(key):
        a = render.render(K, topic, jaar)
        text = a.markdown()
        assert "{" not in a.tekst, text
        if cv.bekend:
            # known for that year: always said, even when another figure of the topic is not
            assert render.format_value(cv) in text, (topic, jaar)
        else:
            assert a.onbekend, (topic, jaar)
            assert "niet met zekerheid" in text
            # no amount from another year may slip in as this year's
            other = {render.format_value(K.cijfer(key, y)) for y in K.cijfers[key].jaren() if K.cijfer(key, y).bekend}
            assert not any(o in text for o in other), (topic, jaar, text)
            assert K.bronnen["cak-rekenhulp"].url in text


def test_no_year_means_this_year(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BW_TODAY", "2024-06-01")
    topic = topics_using("abonnementstarief")[0]
    a = render.render(K, topic)
    assert a.jaar == 2024
    assert formatting.money(K.cijfer("abonnementstarief", 2024).waarde, "per_maand") in a.markdown()


def test_2019_is_per_four_weeks():
    topic = topics_using("abonnementstarief")[0]
    text = render.render(K, topic, 2019).markdown()
    assert "per 4 weken" in text


def test_every_answer_has_a_source_line():
    for t in K.onderwerpen.values():
        for doelgroep in render.DOELGROEPEN:
            text = render.render(K, t.id, 2025, doelgroep).markdown()
            assert "\nBron: " in text, t.id
            assert "{" not in text and "}" not in text, (t.id, text)


def test_staff_get_their_own_answer_where_there_is_one():
    t = next(t for t in K.onderwerpen.values() if t.antwoord_medewerker)
    burger = render.render(K, t.id, 2025, render.BURGER).tekst
    medewerker = render.render(K, t.id, 2025, render.MEDEWERKER).tekst
    assert burger != medewerker


def test_local_answer_for_a_gemeente():
    g = next(iter(K.gemeenten.values()))
    topic, lokaal = next(iter(g.antwoorden.items()))
    national = render.render(K, topic, 2025).markdown()
    local = render.render(K, topic, 2025, gemeente=g.naam).markdown()
    assert local != national
    for b in lokaal.bronnen:
        assert K.bronnen[b].titel in local


def test_gemeente_phone_number_comes_from_the_gemeente_file():
    g = next(g for g in K.gemeenten.values() if g.telefoon)
    uses_phone = [t.id for t in K.onderwerpen.values() if "{gemeente.telefoon}" in t.antwoord]
    assert uses_phone
    assert g.telefoon in render.render(K, uses_phone[0], 2025, gemeente=g.naam).markdown()
    assert "website van uw gemeente" in render.render(K, uses_phone[0], 2025).markdown()


def test_inferred_figure_is_marked():
    inferred = [(key, y) for key, c in K.cijfers.items() for y in c.jaren() if K.cijfer(key, y).status == "afgeleid"]
    assert inferred
    for t in K.onderwerpen.values():
        for m in PLACEHOLDER.finditer(t.antwoord):
            for key, y in inferred:
                if m.group(1) == key and m.group(2) is None:
                    text = render.render(K, t.id, y).markdown()
                    assert "niet officieel bevestigd" in text, (t.id, y)


def test_money_is_dutch():
    from decimal import Decimal

    assert formatting.money(Decimal("1234.5")) == "€\xa01.234,50"
    assert formatting.money(Decimal("20.6"), "per_maand") == "€\xa020,60 per maand"
    assert formatting.percentage(Decimal("12.5")) == "12,5%"


def test_a_year_bound_answer_names_the_source_of_that_years_figure_first():
    topic = topics_using("abonnementstarief")[0]
    for jaar in (2019, 2024, 2026):
        cv = K.cijfer("abonnementstarief", jaar)
        first = render.render(K, topic, jaar).bronnen[0]
        assert first.id == cv.bronnen[0], (jaar, first.id)


def test_a_value_that_opens_a_sentence_starts_with_a_capital():
    # Every topic whose answer starts a sentence with {gemeente}: without a gemeente that is
    # "uw gemeente", which must read "Uw gemeente" there (and stay lower case mid-sentence).
    opener = re.compile(r"(^|[.?!]\s+|\n)\{gemeente\}")
    topics = [t.id for t in K.onderwerpen.values() if opener.search(t.antwoord)]
    assert topics
    for tid in topics:
        tekst = render.render(K, tid, 2025).tekst
        assert not re.search(r"(^|[.?!]\s+|\n)uw gemeente", tekst), tid
        assert re.search(r"(^|[.?!]\s+|\n)Uw gemeente", tekst), tid
