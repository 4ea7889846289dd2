"""Generate Rasa training data from `knowledge/faq`: NLU examples, rules and intents.

The FAQ questions live next to their answers in knowledge/; Rasa needs them in
data/ and domain/. These generated files say so in their first line, and
`python -m bot build --check` fails when they are stale (run by `make test`).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot import GENERATED_MARK, PROJECT_ROOT
from bot.knowledge import Knowledge

HEADER = f"{GENERATED_MARK} by `python -m bot build` from knowledge/faq: do not edit, edit knowledge/ instead.\n"
ANSWER_ACTION = "action_answer_faq"


def _dump(data: object) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def generated_files(k: Knowledge, root: Path = PROJECT_ROOT) -> dict[Path, str]:
    """Path -> content of every generated file."""
    topics = sorted(k.onderwerpen.values(), key=lambda t: t.id)
    nlu = {
        "version": "3.1",
        "nlu": [{"intent": t.intent, "examples": "".join(f"- {q}\n" for q in t.trainingsvragen)} for t in topics],
    }
    rules = {
        "version": "3.1",
        "rules": [{"rule": f"faq {t.id}", "steps": [{"intent": t.intent}, {"action": ANSWER_ACTION}]} for t in topics],
    }
    domain = {"version": "3.1", "intents": [t.intent for t in topics]}
    return {
        root / "data" / "nlu" / "faq.yml": _dump(nlu),
        root / "data" / "rules" / "faq.yml": _dump(rules),
        root / "domain" / "faq.yml": _dump(domain),
    }


def write(k: Knowledge, root: Path = PROJECT_ROOT) -> list[Path]:
    """Write the generated files; return those that changed."""
    changed = []
    for path, content in generated_files(k, root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            changed.append(path)
    return changed


def stale(k: Knowledge, root: Path = PROJECT_ROOT) -> list[Path]:
    """Generated files that do not match knowledge/ (empty = up to date)."""
    return [
        p
        for p, content in generated_files(k, root).items()
        if not p.exists() or p.read_text(encoding="utf-8") != content
    ]
