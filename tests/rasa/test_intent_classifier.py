"""TfidfIntentClassifier: tf-idf weighted features, a regression, and a model that survives storage."""

from __future__ import annotations

import platform
import resource

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from scipy.sparse import random as sparse_random
from sklearn.feature_extraction.text import TfidfTransformer

from plugins.intent_classifier import TfidfIntentClassifier, keep_freed_memory

# Two featurizers (say words and characters): 4 and 3 columns. Column 0 is in every
# question, like "eigen bijdrage"; the others tell the intents apart.
WORDS = [[1, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1], [2, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1]]
CHARS = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
INTENTS = ["faq_a", "faq_b", "faq_c", "faq_a", "faq_b", "faq_c"]


def message(
    words: list[int] | None, chars: list[int] | None = None, intent: str | None = None, text: str = "vraag"
) -> Message:
    m = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    for name, vector in (("woorden", words), ("tekens", chars)):
        if vector is not None:
            m.add_features(Features(csr_matrix([vector]), FEATURE_TYPE_SENTENCE, TEXT, name))
    return m


@pytest.fixture
def storage(tmp_path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def trained(storage: LocalModelStorage, **config) -> TfidfIntentClassifier:
    context = ExecutionContext(GraphSchema({}), "intent")
    component = TfidfIntentClassifier.create({**TfidfIntentClassifier.get_default_config(), **config},
                                             storage, Resource("intent"), context)  # fmt: skip
    # Distinct texts: TrainingData drops examples with the same text and intent.
    examples = [message(w, c, i, f"vraag {n}") for n, (w, c, i) in enumerate(zip(WORDS, CHARS, INTENTS, strict=True))]
    training = TrainingData(examples)
    component.train(training)
    return component


def test_each_block_is_weighted_like_scikit_learns_tfidf(storage):
    component = trained(storage)
    for block, rows in zip(component.tfidf, (WORDS, CHARS), strict=True):
        expected = TfidfTransformer(sublinear_tf=True).fit(csr_matrix(rows))
        assert block.idf_ == pytest.approx(expected.idf_)
    # The word every question has weighs least.
    assert component.tfidf[0].idf_.argmin() == 0


def test_ranking_follows_the_distinctive_words(storage):
    m = trained(storage).process([message([3, 0, 1, 0], [0, 1, 0])])[0]
    ranking = m.get(INTENT_RANKING_KEY)
    assert m.get(INTENT)["name"] == "faq_b" == ranking[0]["name"]
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_the_stored_model_answers_the_same(storage):
    component = trained(storage)
    context = ExecutionContext(GraphSchema({}), "intent")
    loaded = TfidfIntentClassifier.load(component.config, storage, Resource("intent"), context)
    for words, chars in zip(WORDS, CHARS, strict=True):
        before = component.process([message(words, chars)])[0].get(INTENT_RANKING_KEY)
        after = loaded.process([message(words, chars)])[0].get(INTENT_RANKING_KEY)
        assert [r["name"] for r in after] == [r["name"] for r in before]
        assert [r["confidence"] for r in after] == pytest.approx([r["confidence"] for r in before], abs=1e-12)


def test_an_untrained_model_loads_and_says_it_has_no_intent(storage):
    # The FallbackClassifier after it fails on a message without any intent.
    context = ExecutionContext(GraphSchema({}), "intent")
    loaded = TfidfIntentClassifier.load({}, storage, Resource("nooit_getraind"), context)
    m = loaded.process([message([1, 0, 0, 0], [1, 0, 0])])[0]
    assert m.get(INTENT) == {"name": None, "confidence": 0.0}
    assert m.get(INTENT_RANKING_KEY) == []


def test_an_empty_message_gets_no_intent(storage):
    m = trained(storage).process([message(None)])[0]
    assert m.get(INTENT) == {"name": None, "confidence": 0.0}


def test_a_message_without_features_keeps_what_it_had(storage):
    m = message(None)
    m.set(INTENT, {"name": "ongeldige_invoer", "confidence": 1.0})
    trained(storage).process([m])
    assert m.get(INTENT) == {"name": "ongeldige_invoer", "confidence": 1.0}


def test_fast_probabilities_equal_scikit_learns(storage):
    rng = np.random.default_rng(7)
    x = sparse_random(300, 500, density=0.02, format="csr", random_state=7)
    y = [f"faq_{i}" for i in rng.integers(0, 20, size=300)]
    component = trained(storage)
    component.clf.set_params(C=1.0, max_iter=300).fit(x, y)
    for row in range(10):
        expected = component.clf.predict_proba(x[row])[0]
        # As the component hands them over: one block per featurizer.
        blocks = [x[row, :200], x[row, 200:]]
        assert component._probabilities(blocks) == pytest.approx(expected, abs=1e-12)
        assert hstack(blocks).shape == x[row].shape


def _page_faults_of_large_allocations() -> int:
    """Minor page faults for allocating, filling and freeing a 64 MB array four times, after a
    first time that is not counted (that one always needs new memory)."""
    before = 0
    for i in range(5):
        if i == 1:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        block = np.empty(8_000_000)
        block.fill(1.0)
        del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_freed_memory_is_kept_while_fitting_and_returned_after():
    # What made training slow: every large block came fresh from the kernel (see keep_freed_memory).
    outside = _page_faults_of_large_allocations()
    with keep_freed_memory() as applied:
        inside = _page_faults_of_large_allocations()
    after = _page_faults_of_large_allocations()
    assert applied == (platform.libc_ver()[0] == "glibc")
    if applied:
        assert inside < outside / 4, (outside, inside)
        assert after > 4 * inside, (inside, after)  # the defaults are back
