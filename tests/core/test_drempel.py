"""The gate simulation that `make drempel` uses to choose the fallback thresholds."""

from __future__ import annotations

from scripts import drempel
from scripts.drempel import Prediction, choose, simulate


def p(intent: str, *ranking: tuple[str, float]) -> Prediction:
    return Prediction(text="-", intent=intent, ranking=tuple(ranking))


PREDICTIONS = [
    p("faq_a", ("faq_a", 0.9), ("faq_b", 0.05)),  # sure and right
    p("faq_a", ("faq_b", 0.45), ("faq_a", 0.40)),  # unsure and wrong: only answered by a low gate
    p("faq_b", ("faq_b", 0.6), ("faq_a", 0.55)),  # right but close to the second
    p("buiten_bereik", ("faq_a", 0.35), ("buiten_bereik", 0.3)),  # out of scope, weakly faq_a
    p("buiten_bereik", ("buiten_bereik", 0.8), ("faq_a", 0.1)),  # refused, never an answer
]


def test_simulate_counts_answers_the_way_the_gate_does() -> None:
    low = simulate(PREDICTIONS, threshold=0.3, ambiguity=0.0)
    assert (low["goed"], low["fout"], low["buiten_bereik_fout"]) == (0.667, 0.333, 0.5)


def test_ambiguity_holds_back_close_calls() -> None:
    gated = simulate(PREDICTIONS, threshold=0.3, ambiguity=0.1)
    assert (gated["goed"], gated["fout"], gated["buiten_bereik_fout"]) == (0.333, 0.0, 0.0)


def test_choose_takes_the_most_right_answers_within_the_error_limits() -> None:
    best, grid = choose(PREDICTIONS)
    assert best is not None
    assert best["fout"] <= 0.02 and best["buiten_bereik_fout"] <= 0.02
    assert best["goed"] == max(g["goed"] for g in grid if g["fout"] <= 0.02 and g["buiten_bereik_fout"] <= 0.02)
    assert best["goed"] == 0.667  # 0.6 against 0.55 is only answered without an ambiguity margin


def test_choose_can_pick_a_wide_margin_when_top_confidence_does_not_separate() -> None:
    # Right answers have a modest top confidence but a clear lead; the wrong ones a higher top
    # confidence split with a second topic. No threshold on the top confidence alone keeps the
    # wrong ones out without losing the right ones; a margin of 0.50-0.55 does.
    predictions = [
        p("faq_a", ("faq_a", 0.6), ("faq_b", 0.02)),
        p("faq_b", ("faq_b", 0.62), ("faq_a", 0.03)),
        p("faq_a", ("faq_b", 0.7), ("faq_a", 0.25)),
        p("buiten_bereik", ("faq_a", 0.72), ("buiten_bereik", 0.26)),
    ]
    best, _ = choose(predictions)
    assert best is not None
    assert (best["goed"], best["fout"], best["buiten_bereik_fout"]) == (0.667, 0.0, 0.0)  # both right ones
    assert 0.5 <= best["ambiguiteit"] <= 0.55


def test_the_configured_gate_is_read_from_config_yml(tmp_path, monkeypatch) -> None:
    (tmp_path / "config.yml").write_text(
        "pipeline:\n  - name: SpacyNLP\n"
        "  - name: FallbackClassifier\n    threshold: 0.4\n    ambiguity_threshold: 0.15\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(drempel, "ROOT", tmp_path)
    assert drempel.configured_gate() == (0.4, 0.15)


def test_development_questions_carry_their_intent(tmp_path, monkeypatch) -> None:
    faq, oos = tmp_path / "faq.yml", tmp_path / "oos.yml"
    faq.write_text("vragen:\n- tekst: wat kost het\n  verwacht: at_bedrag\n", encoding="utf-8")
    oos.write_text("vragen:\n- tekst: wie won het wk\n  soort: algemeen\n", encoding="utf-8")
    monkeypatch.setattr(drempel, "ONTWIKKELSET_FAQ", faq)
    monkeypatch.setattr(drempel, "ONTWIKKELSET_BUITEN_BEREIK", oos)
    monkeypatch.setattr(drempel, "rankings", lambda model, texts: [(("faq_at_bedrag", 0.9),)] * len(texts))
    predictions = drempel.development_predictions(tmp_path / "model.tar.gz")
    expected = [("wat kost het", "faq_at_bedrag"), ("wie won het wk", "buiten_bereik")]
    assert [(p.text, p.intent) for p in predictions] == expected
    assert simulate(predictions, 0.5, 0.0)["buiten_bereik_fout"] == 1.0
