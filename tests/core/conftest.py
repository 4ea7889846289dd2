"""Shared fixtures for the core tests."""

from __future__ import annotations

import shutil

import pytest

from bot import KNOWLEDGE_DIR, knowledge

# What bot.calculation reads: the yearly figures and their sources (contact.yml is required by
# the loader). FAQ, gemeenten and begeleiding are validated by their own tests.
_CIJFER_BESTANDEN = ("bronnen.yml", "cijfers.yml", "contact.yml")


@pytest.fixture(scope="session")
def cijfer_kennis(tmp_path_factory: pytest.TempPathFactory) -> knowledge.Knowledge:
    """The real figures and sources, loaded and validated by the real loader."""
    root = tmp_path_factory.mktemp("kennis") / "knowledge"
    root.mkdir()
    for naam in _CIJFER_BESTANDEN:
        shutil.copy(KNOWLEDGE_DIR / naam, root / naam)
    return knowledge.load(root)
