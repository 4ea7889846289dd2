"""knowledge/ loads, and the validator names file and line for every kind of broken content."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from bot import GENERATED_MARK, KNOWLEDGE_DIR, knowledge

# A verbatim copy of shared/domain/figures.json (the team's sourced reference, with a URL
# per figure); the project never reads ../shared itself.
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference_figures.json"


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A scratch copy of knowledge/ to break."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def test_the_real_knowledge_is_valid():
    assert knowledge.validate() == []


def test_every_topic_has_sources_and_enough_questions():
    k = knowledge.load()
    assert len(k.onderwerpen) >= 70
    for t in k.onderwerpen.values():
        assert t.bronnen and all(b in k.bronnen for b in t.bronnen), t.id
        assert len(t.vragen) >= 3, t.id


def test_a_year_outside_the_table_is_unknown_not_a_neighbours_value():
    k = knowledge.load()
    cv = k.cijfer("abonnementstarief", 2031)
    assert cv.status == "onbekend" and cv.waarde is None and not cv.bekend


def test_open_ranges_cover_later_years():
    k = knowledge.load()
    assert k.cijfer("vermogensinkomensbijtelling", 2018).waarde == Decimal("8.0")
    assert k.cijfer("vermogensinkomensbijtelling", 2019).waarde == Decimal("4.0")
    assert k.cijfer("vermogensinkomensbijtelling", 2026).waarde == Decimal("4.0")


def _replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _only(problems: list[knowledge.Problem]) -> knowledge.Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_missing_source_names_file_and_line(copy: Path):
    line = _replace(copy / "cijfers.yml", "bronnen: [cak-wmo-2026, stcrt-2025-35082]", "toelichting: x")
    p = _only(knowledge.validate(copy))
    # a missing field is reported at the entry it is missing from: the "2026:" line above
    lines = (copy / "cijfers.yml").read_text(encoding="utf-8").splitlines()
    entry = max(i + 1 for i, text in enumerate(lines[:line]) if text.strip() == "2026:")
    assert p.file.endswith("cijfers.yml") and p.line == entry and "bronnen" in p.message


def test_unknown_source_id(copy: Path):
    line = _replace(copy / "cijfers.yml", "bronnen: [cak-wmo-2026, stcrt-2025-35082]", "bronnen: [bestaat-niet]")
    p = _only(knowledge.validate(copy))
    assert p.line == line and "onbekende bron 'bestaat-niet'" in p.message


def test_value_with_unknown_status_is_rejected(copy: Path):
    line = _replace(
        copy / "cijfers.yml",
        "    2024: {status: onbekend, bronnen: [projectreferentie]}\n",
        "    2024: {waarde: 1.0, eenheid: per_maand, status: onbekend, bronnen: [projectreferentie]}\n",
    )
    problems = knowledge.validate(copy)
    assert any(p.line == line and "mag geen waarde" in p.message for p in problems), problems


def test_overlapping_years(copy: Path):
    _replace(copy / "cijfers.yml", "    2019-: {waarde: 4.0,", "    2018-: {waarde: 4.0,")
    problems = knowledge.validate(copy)
    assert any("overlapt" in p.message for p in problems), problems


def test_broken_yaml_names_the_line(copy: Path):
    path = copy / "contact.yml"
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] = "  telefoon: [0800 1925"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    p = knowledge.validate(copy)[0]
    assert p.file.endswith("contact.yml") and 4 <= p.line <= 6 and "YAML" in p.message


def _first_faq(copy: Path) -> tuple[Path, knowledge.Onderwerp]:
    k = knowledge.load(copy)
    t = sorted(k.onderwerpen.values(), key=lambda t: (t.bestand, t.regel))[0]
    return copy.parent / t.bestand, t


def test_unknown_figure_in_an_answer(copy: Path):
    path, t = _first_faq(copy)
    first_line = t.antwoord.splitlines()[0]
    line = _replace(path, first_line, first_line + " {bestaat_niet}")
    p = _only(knowledge.validate(copy))
    assert p.line == line - 0 or abs(p.line - line) <= 1
    assert "onbekend cijfer 'bestaat_niet'" in p.message


@pytest.mark.parametrize("field", ["vraag", "titel"])
def test_conflicting_training_question_between_topics(copy: Path, field: str):
    # Titles are training questions too, so a title may not be another topic's question either.
    k = knowledge.load(copy)
    a, b = sorted(k.onderwerpen.values(), key=lambda t: (t.bestand, t.regel))[:2]
    path = copy.parent / b.bestand
    if field == "vraag":
        line = _replace(path, f"- {b.vragen[0]}\n", f"- {a.vragen[0].upper()}!\n")
    else:
        line = _replace(path, f"titel: {b.titel}\n", f"titel: {a.vragen[3]}\n")
    problems = knowledge.validate(copy)
    assert any(p.line == line and "tegenstrijdige trainingsvraag" in p.message for p in problems), problems


def test_the_title_is_a_training_question_once():
    import yaml

    from bot import build

    k = knowledge.load()
    nlu = next(c for p, c in build.generated_files(k).items() if p.parent.name == "nlu")
    examples = {i["intent"]: i["examples"] for i in yaml.safe_load(nlu)["nlu"]}
    for t in k.onderwerpen.values():
        questions = [line[2:] for line in examples[t.intent].splitlines()]
        assert questions == list(t.trainingsvragen)
        assert [knowledge.normalize(q) for q in questions].count(knowledge.normalize(t.titel)) == 1
    title_as_question = knowledge.Onderwerp("x", "Wat is X?", ("wat is x", "iets anders"), "", ())
    assert title_as_question.trainingsvragen == ("wat is x", "iets anders")
    assert knowledge.Onderwerp("x", "Titel", ("vraag",), "", ()).trainingsvragen == ("Titel", "vraag")


def test_duplicate_question_within_a_topic(copy: Path):
    path, t = _first_faq(copy)
    line = _replace(path, f"- {t.vragen[1]}\n", f"- {t.vragen[0]}\n")
    problems = knowledge.validate(copy)
    assert any(p.line == line and "dubbele trainingsvraag" in p.message for p in problems), problems


def test_unknown_gemeente(copy: Path):
    files = sorted((copy / "gemeenten").glob("*.yml"))
    assert files, "at least one gemeente file"
    text = files[0].read_text(encoding="utf-8")
    naam = knowledge.load(copy).gemeenten[knowledge.normalize(text.split("naam:")[1].splitlines()[0].strip())].naam
    line = _replace(files[0], f"naam: {naam}", "naam: Nergenshuizen")
    problems = knowledge.validate(copy)
    assert any(p.line == line and "onbekende gemeente 'Nergenshuizen'" in p.message for p in problems), problems


def test_local_answer_for_unknown_topic(copy: Path):
    files = sorted((copy / "gemeenten").glob("*.yml"))
    text = files[0].read_text(encoding="utf-8")
    topic = text.split("antwoorden:\n")[1].splitlines()[0].strip().rstrip(":")
    line = _replace(files[0], f"  {topic}:", "  geen_bestaand_onderwerp:")
    problems = knowledge.validate(copy)
    assert any(p.line == line and "onbekend onderwerp" in p.message for p in problems), problems


# ---------------------------------------------------------------- table against the sources
# The project's table must agree with the sourced reference (tests/data/reference_figures.json).

REFERENCE_KEYS = {
    "abonnementstarief": ("abonnementstarief", "amount"),
    "hoge_eigen_bijdrage_maximum": ("hoge_eigen_bijdrage_max", "amount"),
    "lage_eigen_bijdrage_minimum": ("lage_eigen_bijdrage", "min"),
    "lage_eigen_bijdrage_maximum": ("lage_eigen_bijdrage", "max"),
    "pgb_mpt_aftrek": ("pgb_mpt_aftrek_leb", "amount"),
    "korting_niet_pensioengerechtigde_leeftijd": ("korting_niet_pensioengerechtigde_leeftijd", "amount"),
    "heffingsvrij_vermogen_alleenstaand": ("heffingsvrij_vermogen", "single"),
}


@pytest.mark.parametrize("ours,ref", REFERENCE_KEYS.items())
def test_table_matches_the_sourced_reference(ours: str, ref: tuple[str, str]):
    k = knowledge.load()
    figures = json.loads(REFERENCE.read_text(encoding="utf-8"))
    section, field = ref
    checked = 0
    for year, entry in figures[section].items():
        if not year.isdigit() or not isinstance(entry, dict) or entry.get(field) is None:
            continue
        cv = k.cijfer(ours, int(year))
        reliable = "unverified" not in str(entry.get("status", ""))
        if reliable:
            assert cv.bekend, f"{ours} {year}: the reference has {entry[field]}, the table says {cv.status}"
            assert cv.waarde == Decimal(str(entry[field])), f"{ours} {year}"
        else:
            assert not cv.bekend, f"{ours} {year}: an unverified figure must not be used"
        checked += 1
    assert checked


def test_aow_age_matches_the_reference():
    k = knowledge.load()
    figures = json.loads(REFERENCE.read_text(encoding="utf-8"))
    for year, entry in figures["aow_leeftijd"].items():
        cv = k.cijfer("aow_leeftijd", int(year))
        assert (cv.waarde.jaren, cv.waarde.maanden) == (entry["years"], entry["months"]), year


def test_question_that_a_hand_written_intent_also_trains_on(copy: Path):
    """A FAQ question equal to an example of another intent in data/nlu (e.g. bereken_bijdrage)."""
    nlu = copy.parent / "data" / "nlu"
    nlu.mkdir(parents=True)
    path, t = _first_faq(copy)
    (nlu / "bereken.yml").write_text(
        f'version: "3.1"\nnlu:\n  - intent: bereken_bijdrage\n    examples: |\n      - {t.vragen[2].upper()}\n',
        encoding="utf-8",
    )
    (nlu / "faq.yml").write_text(f"{GENERATED_MARK}\nnlu:\n  - intent: x\n    examples: |\n      - {t.vragen[3]}\n")
    problems = knowledge.validate(copy)
    assert [(p.file.endswith(path.name), p.line > 0, p.message) for p in problems] == [
        (
            True,
            True,
            f"tegenstrijdige trainingsvraag '{t.vragen[2]}' "
            "(ook bij intent 'bereken_bijdrage' in data/nlu/bereken.yml)",
        )
    ]
