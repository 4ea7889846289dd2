"""NLU component: a logistic regression on tf-idf weighted word and character features.

Rasa's `LogisticRegressionClassifier` learns from the raw counts of the featurizers. Here
each featurizer's block of sentence features is first weighted by scikit-learn's
`TfidfTransformer` (sublinear: 1 + log(count), times idf, each block scaled to length 1),
so that words every topic uses ("eigen bijdrage", "wmo") weigh less than the words that
tell topics apart, and a long message does not outweigh a short one.

Offline, on the same lemmas, features and 3 folds, this answered 48% of the training
questions directly at a threshold that keeps wrong answers at 2%, against 41% for the mean
of DIET and the plain regression it replaces (top-1 79% against 76%). With Rasa and
`make drempel`'s rule on the data of that time: 45% against 25%, and about a third of the
training time (README, "Metingen", where the current figures are).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfTransformer

logger = logging.getLogger(__name__)


def _blocks(message: Message) -> list[Any]:
    """The sentence features of each featurizer, in pipeline order (what Rasa would hstack)."""
    return [f.features for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]


def _tfidf(idf: np.ndarray) -> TfidfTransformer:
    transformer = TfidfTransformer(sublinear_tf=True)
    transformer.idf_ = idf  # a fitted transformer is its idf vector (scikit-learn's setter)
    return transformer


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
_DEFAULT_TRIM_THRESHOLD, _DEFAULT_MMAP_MAX = 128 * 1024, 65536


@contextmanager
def keep_freed_memory() -> Iterator[bool]:
    """While fitting, let glibc keep freed memory in the process instead of returning it.

    Each step of lbfgs allocates arrays of intents x features (~60 MB). glibc serves every block
    over 32 MB with a fresh mmap and unmaps it on free, so the kernel zeroes ~400 MB of new
    pages per step: measured on the full training data, 2.7 s per step of which a third in the
    kernel, against 1.5 s with the settings below (README, "Metingen"). The arithmetic, and so
    the model, is the same. Afterwards the defaults return and malloc_trim hands the memory back.
    Yields whether the settings apply (False without glibc, e.g. macOS: nothing changes there).
    """
    libc_name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(libc_name) if libc_name else None
        mallopt, malloc_trim = libc.mallopt, libc.malloc_trim  # type: ignore[union-attr]
    except (OSError, AttributeError):
        yield False
        return
    applied = bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, 2**30))
    try:
        yield applied
    finally:
        mallopt(_M_MMAP_MAX, _DEFAULT_MMAP_MAX)
        mallopt(_M_TRIM_THRESHOLD, _DEFAULT_TRIM_THRESHOLD)
        malloc_trim(0)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # C: little regularisation; with tf-idf features 30-100 did best in cross-validation.
        # max_iter: lbfgs needs more than Rasa's 100 steps to converge at that C.
        # class_weight: Rasa's "balanced" weighs each intent alike; None weighs each example
        # alike, so the many buiten_bereik examples count in full.
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 100.0,
            "max_iter": 1000,
            "class_weight": "balanced",
        }

    def __init__(self, config: dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=float(self.config["C"]), class_weight=self.config["class_weight"])
        self.tfidf: list[TfidfTransformer] = []

    def _weighted(self, blocks: list[Any]) -> list[csr_matrix]:
        return [t.transform(csr_matrix(b)) for t, b in zip(self.tfidf, blocks, strict=True)]

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        per_message = [_blocks(e) for e in examples]
        if not examples or not per_message[0]:
            logger.debug("%s: no training data or no sentence features, nothing to train.", self.name)
            return self._resource
        columns = [vstack([csr_matrix(b) for b in col]).tocsr() for col in zip(*per_message, strict=True)]
        self.tfidf = [TfidfTransformer(sublinear_tf=True).fit(c) for c in columns]
        x = hstack([t.transform(c) for t, c in zip(self.tfidf, columns, strict=True)]).tocsr()
        with keep_freed_memory():
            self.clf.fit(x, [e.get(INTENT) for e in examples])
        self.persist()
        return self._resource

    def persist(self) -> None:
        import skops.io as sio

        # The idf vectors as plain arrays: skops trusts those, not scikit-learn 1.1's sparse
        # diagonal inside a TfidfTransformer.
        with self._model_storage.write_to(self._resource) as model_dir:
            state = {"clf": self.clf, "idf": [t.idf_ for t in self.tfidf]}
            sio.dump(state, model_dir / f"{self._resource.name}.skops")

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        import skops.io as sio

        component = cls(config, execution_context.node_name, model_storage, resource)
        try:
            with model_storage.read_from(resource) as model_dir:
                state = sio.load(model_dir / f"{resource.name}.skops", trusted=False)
        except ValueError:  # not trained (no intents): Rasa's own classifier does the same
            logger.debug("%s: no trained model in storage, loading it untrained.", cls.__name__)
            return component
        component.clf = state["clf"]
        component.tfidf = [_tfidf(idf) for idf in state["idf"]]
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        length = int(self.config.get("ranking_length", LABEL_RANKING_LENGTH))
        for message in messages:
            blocks = _blocks(message)
            if not blocks or not self.tfidf:
                # No words to classify (an empty message): no intent, as Rasa's own classifiers
                # say it. The FallbackClassifier after this needs one, and the InvoerControle
                # at the end of the pipeline answers such messages.
                if message.get(INTENT) is None:
                    message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                    message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            probabilities = self._probabilities(self._weighted(blocks))
            ranking = [
                {"name": n, "confidence": float(p)}
                for n, p in sorted(zip(self.clf.classes_, probabilities, strict=True), key=lambda x: -x[1])
            ]
            if length > 0:
                ranking = ranking[:length]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def _probabilities(self, blocks: list[csr_matrix]) -> np.ndarray:
        """`self.clf.predict_proba(hstack(blocks))[0]` for one message, 0.13 ms instead of 2.8 ms.

        scikit-learn multiplies the sparse features by the transposed (Fortran-ordered)
        weights, which scipy handles slowly: py-spy put a tenth of the server's time there.
        The weights are transposed into C order once, and each block is multiplied by its
        own rows of them. The model (multinomial, more than two intents) is the same, as
        the tests check.
        """
        widths = [b.shape[1] for b in blocks]
        if len(self.clf.classes_) <= 2 or sum(widths) != self.clf.coef_.shape[1]:
            return self.clf.predict_proba(hstack(blocks).tocsr())[0]
        weights = getattr(self, "_weights", None)
        if weights is None:
            weights = self._weights = np.ascontiguousarray(self.clf.coef_.T)
        scores = self.clf.intercept_.copy()
        start = 0
        for block, width in zip(blocks, widths, strict=True):
            scores += np.asarray(block @ weights[start : start + width]).ravel()
            start += width
        return softmax(scores)
