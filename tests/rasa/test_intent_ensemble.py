"""IntentEnsemble: the ranking is the weighted mean of DIET's and the regression's."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from plugins.intent_ensemble import IntentEnsemble

X = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=float)
Y = ["faq_a", "faq_b", "faq_c", "faq_a", "faq_b", "faq_c"]


def ensemble(weight: float) -> IntentEnsemble:
    component = IntentEnsemble({"diet_weight": weight}, "ensemble", None, None)  # type: ignore[arg-type]
    component.clf = LogisticRegression(C=10).fit(csr_matrix(X), Y)
    return component


def message(vector: list[float] | None, diet: dict[str, float]) -> Message:
    m = Message(data={TEXT: "vraag"})
    if vector is not None:
        m.add_features(Features(csr_matrix([vector]), FEATURE_TYPE_SENTENCE, TEXT, "test"))
    ranking = [{"name": n, "confidence": c} for n, c in diet.items()]
    m.set(INTENT, ranking[0])
    m.set(INTENT_RANKING_KEY, ranking)
    return m


@pytest.mark.parametrize("weight", [0.0, 0.5, 0.8])
def test_ranking_is_the_weighted_mean(weight: float):
    component = ensemble(weight)
    diet = {"faq_b": 0.7, "faq_a": 0.2}  # DIET's ranking, top-10 only: faq_c is missing
    m = component.process([message([1, 0, 0], diet)])[0]
    lr = dict(zip(component.clf.classes_, component.clf.predict_proba(csr_matrix([[1, 0, 0]]))[0], strict=True))
    expected = {n: weight * diet.get(n, 0.0) + (1 - weight) * lr[n] for n in lr}
    got = {r["name"]: r["confidence"] for r in m.get(INTENT_RANKING_KEY)}
    assert got == pytest.approx(expected)
    assert m.get(INTENT)["name"] == max(expected, key=expected.get)


def test_the_regression_can_overrule_a_doubtful_diet():
    # The features point clearly at faq_a; DIET hesitates between b and a.
    m = ensemble(0.5).process([message([1, 0, 0], {"faq_b": 0.45, "faq_a": 0.4})])[0]
    assert m.get(INTENT)["name"] == "faq_a"


def test_a_message_without_features_keeps_what_it_had():
    m = ensemble(0.5).process([message(None, {"faq_b": 0.9})])[0]
    assert m.get(INTENT) == {"name": "faq_b", "confidence": 0.9}


def test_fast_probabilities_equal_scikit_learns():
    from scipy.sparse import random as sparse_random

    rng = np.random.default_rng(7)
    x = sparse_random(300, 500, density=0.02, format="csr", random_state=7)
    y = [f"faq_{i}" for i in rng.integers(0, 20, size=300)]
    component = ensemble(0.5)
    component.clf = LogisticRegression(max_iter=200).fit(x, y)
    for row in range(10):
        expected = component.clf.predict_proba(x[row])[0]
        assert component._probabilities([x[row]]) == pytest.approx(expected, abs=1e-12)
        # As Rasa hands them over: one COO block per featurizer.
        blocks = [x[row, :200].tocoo(), x[row, 200:].tocoo()]
        assert component._probabilities(blocks) == pytest.approx(expected, abs=1e-12)
