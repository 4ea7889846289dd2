"""The held-out questions of `make bench` stay apart from the training data.

Answer accuracy on tests/data/heldout*.yml only means something when none of its questions
is (nearly) a training example; the training data grows with every content round, so this
is checked on every run rather than once when the set was written.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from sklearn.preprocessing import MultiLabelBinarizer

from bot import PROJECT_ROOT, dialog, knowledge
from scripts import bench, drempel

# Share of distinct words two questions have in common (Jaccard) from which one counts as a
# copy of the other. At 0.65 "wat is de wet langdurige zorg" is a copy of "wet langdurige zorg
# wat is dat"; below it are different questions on the same subject.
NEAR_COPY = 0.65


def words(text: str) -> frozenset[str]:
    return frozenset(knowledge.normalize(text).split())


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def near_copies(questions: list[dict[str, str]], training: dict[frozenset[str], str]) -> list[str]:
    """Every pair with overlap() >= NEAR_COPY, a held-out question against a training example.

    The words shared by every pair at once, as a product of two sparse word matrices: the same
    measure as overlap() (the test below compares both), in about a second instead of ~30 s
    for ~800 questions against ~14,000 examples.
    """
    asked = [(q["tekst"], words(q["tekst"])) for q in questions]
    known = list(training.items())
    binarizer = MultiLabelBinarizer(sparse_output=True).fit([v for _, v in asked] + [w for w, _ in known])
    a, b = binarizer.transform([v for _, v in asked]), binarizer.transform([w for w, _ in known])
    shared = (a @ b.T).tocoo()
    size_a, size_b = np.asarray(a.sum(axis=1)).ravel(), np.asarray(b.sum(axis=1)).ravel()
    pairs = {(i, j) for i, j, n in zip(shared.row, shared.col, shared.data, strict=True)
             if n / (size_a[i] + size_b[j] - n) >= NEAR_COPY}  # fmt: skip
    # Two empty questions share nothing, yet overlap() calls them the same.
    pairs |= {(i, j) for i, j in product(np.flatnonzero(size_a == 0), np.flatnonzero(size_b == 0))}
    return [f"{asked[i][0]!r} ~ {known[j][1]!r}" for i, j in sorted(pairs)]


@pytest.fixture(scope="module", params=sorted(bench.HELDOUT))
def heldout(request: pytest.FixtureRequest) -> list[dict[str, str]]:
    return bench.heldout(request.param)  # the questions exactly as `make bench` reads them


@pytest.fixture(scope="module")
def training() -> dict[frozenset[str], str]:
    """Every training example (FAQ questions and titles, hand-written intents) -> its text."""
    k = knowledge.load_cached()
    texts = [q for t in k.onderwerpen.values() for q in t.trainingsvragen]
    found = {words(q): q for q in texts}
    for norm in knowledge.hand_written_examples(PROJECT_ROOT / "data" / "nlu"):
        found.setdefault(words(norm), norm)
    return found


def test_every_expected_topic_exists(heldout: list[dict[str, str]]) -> None:
    k = knowledge.load_cached()
    unknown = [q["verwacht"] for q in heldout if q["verwacht"] not in {*k.onderwerpen, dialog.OUT_OF_SCOPE}]
    assert not unknown


def test_no_heldout_question_is_a_training_example(
    heldout: list[dict[str, str]], training: dict[frozenset[str], str]
) -> None:
    copies = near_copies(heldout, training)
    assert not copies, "trainingsvragen die (bijna) een held-out vraag zijn; formuleer ze anders:\n" + "\n".join(copies)


def test_no_development_question_is_a_training_example(training: dict[frozenset[str], str]) -> None:
    # The out-of-scope development set of `make bench` compares classifiers; a copy in
    # buiten_bereik would make that comparison say nothing.
    copies = near_copies(bench.ontwikkelset_vragen(), training)
    assert not copies, "trainingsvoorbeelden die (bijna) een vraag uit de ontwikkelset zijn:\n" + "\n".join(copies)


def test_overlap_measure() -> None:
    assert overlap(words("wat is de wet langdurige zorg"), words("wet langdurige zorg, wat is dat?")) >= NEAR_COPY
    assert overlap(words("wat is het verschil tussen bijstand en ww"), words("verschil wmo405 en wmo407")) < NEAR_COPY


def test_near_copies_are_the_pairs_overlap_finds() -> None:
    training = {words(t): t for t in ("wat is de wet langdurige zorg", "verschil wmo405 en wmo407",
                                      "hoeveel betaal ik voor de wmo", "", "eigen bijdrage 2024")}  # fmt: skip
    questions = ["wet langdurige zorg, wat is dat?", "hoeveel betaal ik voor de wmo?", "?", "iets anders", "bijdrage"]
    expected = sorted(
        f"{q!r} ~ {t!r}" for q, (w, t) in product(questions, training.items()) if overlap(words(q), w) >= NEAR_COPY
    )
    assert len(expected) == 3
    assert sorted(near_copies([{"tekst": q} for q in questions], training)) == expected


def test_every_topic_of_the_development_set_exists() -> None:
    # Stricter than the held-out sets: no buiten_bereik, every label must be a FAQ topic.
    k = knowledge.load_cached()
    assert not [q["verwacht"] for q in drempel.vragen(drempel.ONTWIKKELSET_FAQ) if q["verwacht"] not in k.onderwerpen]


def test_no_faq_development_question_is_a_training_or_heldout_question(training: dict[frozenset[str], str]) -> None:
    # A copy of a training question would flatter the gate; a copy of a held-out question
    # would let the held-out sets take part in choosing it.
    heldout_questions = {words(q["tekst"]): q["tekst"] for name in bench.HELDOUT for q in bench.heldout(name)}
    development = drempel.vragen(drempel.ONTWIKKELSET_FAQ)
    copies = near_copies(development, training) + near_copies(development, heldout_questions)
    assert not copies, "ontwikkelvragen die (bijna) een trainings- of held-out vraag zijn:\n" + "\n".join(copies)
