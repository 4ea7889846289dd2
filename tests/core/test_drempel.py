"""The gate simulation that `make drempel` uses to choose the fallback thresholds."""

from __future__ import annotations

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
