"""BW-assistent core: knowledge, rules and calculation for the CAK eigen bijdrage.

Pure Python: nothing here imports Rasa, so the rules are tested directly and the
same code serves the Rasa actions, the command line and the tests.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
# First words of every file that `python -m bot build` writes (never edit those by hand).
GENERATED_MARK = "# GENERATED"
