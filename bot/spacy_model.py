"""The Dutch spaCy pipeline that Rasa's SpacyNLP loads (config.yml: `model: .spacy/nl`).

`nl_core_news_sm` is used when it is installed (`python -m spacy download nl_core_news_sm`);
otherwise a blank Dutch pipeline with lookup lemmas from spacy-lookups-data. Both are
saved to the same folder, so config.yml never changes. Neither has word vectors, so
the lemmas (used by the CountVectorsFeaturizer) are what spaCy adds here.
"""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from bot import PROJECT_ROOT

TARGET = PROJECT_ROOT / ".spacy" / "nl"
FULL_MODEL = "nl_core_news_sm"


def source() -> str:
    """Which pipeline would be built now."""
    try:
        spacy.util.get_package_path(FULL_MODEL)
        return FULL_MODEL
    except (ImportError, ModuleNotFoundError, OSError):
        return "blank:nl+lookups"


def build(target: Path = TARGET) -> str:
    """Save the pipeline to `target` unless the same kind is already there; return its kind."""
    kind = source()
    stamp = target / "bw_source.json"
    if stamp.exists() and json.loads(stamp.read_text())["source"] == kind:
        return kind
    if kind == FULL_MODEL:
        nlp = spacy.load(FULL_MODEL, exclude=["ner", "parser"])
    else:
        nlp = spacy.blank("nl")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    stamp.write_text(json.dumps({"source": kind}))
    return kind
