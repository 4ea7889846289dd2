"""The guidance content in knowledge/begeleiding: complete, sourced, honest about what is inferred."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot import KNOWLEDGE_DIR, guidance, knowledge

K = knowledge.load()
TODAY = dt.date(2026, 1, 15)
WARNING = guidance.niet_bevestigd_tekst(K)
SITUATIES = guidance.situaties(K)
# The eight special situations the CAK lists for gemeenten (seed-000).
ACHT = {
    "wlz_naar_bw",
    "bw_naar_wlz",
    "at_naar_bw",
    "at_naar_bw_andere_gemeente",
    "bw_verhuizing",
    "wlz_naar_at",
    "bw_naar_at",
    "bw_en_wlz",
}


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def all_points(s: guidance.Situatie) -> list[dict[str, Any]]:
    return [p for key in ("bijdrage", "burger_ontvangt", "risicos") for p in s.data[key]]


COMBINATIONS: dict[str, list[dict[str, Any]]] = {}


def fact_combinations(s: guidance.Situatie) -> list[dict[str, Any]]:
    if s.id not in COMBINATIONS:
        COMBINATIONS[s.id] = _fact_combinations(s)
    return COMBINATIONS[s.id]


def _fact_combinations(s: guidance.Situatie) -> list[dict[str, Any]]:
    """Every combination of the fixed choices the situation can ask, with dates and gemeenten filled in."""
    cat = guidance._catalogus(K)
    refs = s.feiten
    choices: list[list[tuple[str, Any]]] = []
    for i, r in enumerate(refs):
        spec = cat[r.feit]
        if spec["soort"] == "keuze":
            choices.append([(r.feit, o["waarde"]) for o in spec["opties"]])
        elif spec["soort"] == "leveringsvorm":
            choices.append([(r.feit, int(v.waarde)) for v in guidance._vraag(K, r.feit, spec).opties])
        elif spec["soort"] == "datum":
            choices.append([(r.feit, dt.date(2025, 3, 1) + dt.timedelta(days=31 * i))])
        else:
            choices.append([(r.feit, ["Haarlem", "Amsterdam", "Utrecht"][i % 3])])
    out = []
    for combo in itertools.product(*choices) if choices else [()]:
        feiten = dict(combo)
        # keep only what the situation would really ask for these answers
        gevraagd: dict[str, Any] = {}
        for _ in range(len(refs) + 1):
            vragen = guidance.ontbrekend(K, s.id, gevraagd)
            if not vragen:
                break
            gevraagd[vragen[0].feit] = feiten[vragen[0].feit]
        out.append(gevraagd)
    unique = []
    for f in out:
        if f not in unique:
            unique.append(f)
    return unique


def test_the_begeleiding_files_are_valid():
    assert [p for p in knowledge.validate() if "begeleiding" in p.file or "gemeentelijst" in p.file] == []


def test_the_eight_special_situations_and_everyday_registration_are_there():
    ids = {s.id for s in SITUATIES}
    assert {s.id for s in SITUATIES if s.bestand == "overgangen"} == ACHT
    assert {
        "nieuwe_start",
        "stoppen",
        "startdatum_corrigeren",
        "herindicatie_te_laat",
        "retourcode",
        "terugkeer_zelfstandig_wonen",
    } <= ids
    assert {f"lv{n}" for n in range(1, 8)} <= ids
    assert len(ids) == len(SITUATIES), "situation ids must be unique"


@pytest.mark.parametrize("s", SITUATIES, ids=lambda s: s.id)
def test_every_situation_has_sourced_steps_with_a_status(s: guidance.Situatie):
    assert s.titel and s.beschrijving and s.herkenning.get("woorden")
    assert s.data["stappen"], s.id
    for st in s.data["stappen"]:
        assert st["wie"] in guidance.WIE
        assert st["wat"].strip()
        assert st["status"] in ("bevestigd", "afgeleid")
        assert st["bronnen"] and all(b in K.bronnen for b in st["bronnen"]), st
    for p in all_points(s):
        assert p["status"] in ("bevestigd", "afgeleid", "onbekend")
        assert p["bronnen"] and all(b in K.bronnen for b in p["bronnen"]), p
    topics = {p["onderwerp"] for p in s.data["bijdrage"]}
    assert set(guidance.VERPLICHTE_ONDERWERPEN) <= topics, s.id
    assert s.data["burger_ontvangt"] and s.data["risicos"]


@pytest.mark.parametrize("s", SITUATIES, ids=lambda s: s.id)
def test_every_step_is_reachable_and_every_inferred_step_carries_the_warning(s: guidance.Situatie):
    for feiten in fact_combinations(s):
        c = guidance.checklist(K, s.id, feiten, vandaag=TODAY)
        assert c.ontbrekend == [], (s.id, feiten, c.ontbrekend)
        md = c.markdown()
        assert "{" not in md and "[nog niet bekend" not in md, md
        blocks = re.split(r"\n(?=\d+\. )", md.split("**Stappen**", 1)[1].split("\n\n**", 1)[0].strip())
        assert len(blocks) == len(c.stappen)
        for stap, block in zip(c.stappen, blocks, strict=True):
            assert stap.wat in block
            if stap.status == "afgeleid":
                assert f"_{WARNING}_" in block, block
                assert "Niet officieel bevestigd" in block
            else:
                assert "Niet officieel bevestigd" not in block, block
        for p in c.alle_punten:
            if p.status == "afgeleid":
                assert f"- {p.tekst} _(niet officieel bevestigd)_" in md
            elif p.status == "onbekend":
                assert f"- _Niet gevonden:_ {p.tekst}" in md
    # every step in the file shows up for some answer (no dead, unreachable steps)
    rendered = 0
    for st in s.data["stappen"]:
        if not st.get("als"):
            rendered += 1
            continue
        for feiten in fact_combinations(s):
            waarden = {**guidance._normaliseer(K, feiten, TODAY)[0]}
            waarden.update(guidance._afgeleide_feiten(K, waarden))
            if guidance._past(st["als"], waarden):
                rendered += 1
                break
    assert rendered == len(s.data["stappen"]), s.id


def test_the_warning_names_the_handleiding_and_the_servicedesk_email():
    assert WARNING.startswith("Niet officieel bevestigd: controleer dit in de Handleiding Wmo beschermd wonen")
    assert f"({K.contact['cak_wmo_servicedesk'].email})" in WARNING


def test_direct_intramural_moves_say_the_leb_restart_was_not_found():
    for sid in ("wlz_naar_bw", "bw_naar_wlz", "bw_verhuizing", "bw_en_wlz"):
        leb = [p for p in guidance.situatie(K, sid).data["bijdrage"] if p["onderwerp"] == "leb_periode"]
        assert leb and all(p["status"] == "onbekend" for p in leb), sid


def test_no_figure_is_written_by_hand_in_the_guidance():
    money = re.compile(r"€|\d+,\d\d|\d+\s*%|\b\d+\s+maanden\b|\b\d+\s+weken\b")
    for s in SITUATIES:
        texts = [st["wat"] for st in s.data["stappen"]] + [p["tekst"] for p in all_points(s)]
        for t in texts:
            assert not money.search(t), (s.id, t)


def test_the_leveringsvormen_table_is_complete():
    lvs = guidance._leveringsvormen(K)
    assert sorted(lvs) == list(range(1, 8))
    for n, lv in lvs.items():
        toepassing = lv["van_toepassing"]
        assert toepassing["antwoord"] in ("ja", "nee")
        if toepassing["antwoord"] == "ja":
            assert lv.get("nu"), n
        for regel in lv.get("nu") or []:
            assert regel["regeling"] in ("bw", "at") and regel["bericht"] in ("WMO405", "WMO407")
            assert regel["retour"] == {"WMO405": "WMO406", "WMO407": "WMO408"}[regel["bericht"]]
    assert [lv["nummer"] for lv in guidance._kiesbare_leveringsvormen(K)] == [2, 5, 7]


# --------------------------------------------------------------------------- the validator


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      - wie: zorgkantoor\n", "      - wie: buurman\n", "'wie' moet een van"),
        ("bronnen: [seed-000, zorgkantoor-dsw-start]", "bronnen: [seed-999]", "onbekende bron 'seed-999'"),
        (
            "met startdatum {eerste_dag_nieuw}: de dag",
            "met startdatum {eerste_dag_nieuwe}: de dag",
            "onbekend invulveld",
        ),
        (
            "{bw_bericht}-startbericht met startdatum {eerste_dag_nieuw}: de dag",
            "{bw_bericht}-startbericht {",
            "accolades",
        ),
        (
            "        status: afgeleid\n        bronnen: [seed-000, zorgkantoor-dsw-start]",
            "        status: misschien\n        bronnen: [seed-000, zorgkantoor-dsw-start]",
            "status moet een van",
        ),
        (
            "      - {feit: wooncomponent, als: {leveringsvorm: 7}}\n",
            "      - {feit: woonkamer, als: {leveringsvorm: 7}}\n",
            "onbekend feit 'woonkamer'",
        ),
        ("      - tekst: >-\n          Overlap:", "      - txt: >-\n          Overlap:", "onbekend veld 'txt'"),
    ],
)
def test_the_validator_names_file_and_line(copy: Path, old: str, new: str, message: str):
    path = copy / "begeleiding" / "overgangen.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = [p for p in knowledge.validate(copy) if message in p.message]
    assert problems, knowledge.validate(copy)
    assert all(p.file.endswith("begeleiding/overgangen.yml") for p in problems)
    first_line = _line_of(path, new.strip().splitlines()[0][:25])
    assert any(abs(p.line - first_line) <= 2 for p in problems), (problems, first_line)


def test_a_situation_without_steps_or_a_contribution_topic_is_an_error(copy: Path):
    path = copy / "begeleiding" / "aanmelden.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: retourcode")
    end = text.index("  # ------------------------------------------------------------------ TZW")
    block = text[start:end]
    broken = re.sub(r"    stappen:\n(?:      .*\n|        .*\n|          .*\n)+", "    stappen: []\n", block, count=1)
    broken = broken.replace("      - onderwerp: huishouden", "      - onderwerp: overig")
    path.write_text(text[:start] + broken + text[end:], encoding="utf-8")
    messages = [p.message for p in knowledge.validate(copy)]
    assert any("retourcode" in m and "geen stappen" in m for m in messages), messages
    assert any("retourcode" in m and "'huishouden'" in m for m in messages), messages


def test_duplicate_ids_and_unknown_alias_targets_are_errors(copy: Path):
    path = copy / "begeleiding" / "leveringsvormen.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: lv1\n", "  - id: retourcode\n"), encoding="utf-8")
    feiten = copy / "begeleiding" / "feiten.yml"
    feiten.write_text(
        feiten.read_text(encoding="utf-8").replace(
            "gemeente: Dijk en Waard, toelichting", "gemeente: Dijk, toelichting", 1
        ),
        encoding="utf-8",
    )
    messages = [str(p) for p in knowledge.validate(copy)]
    assert any("leveringsvormen.yml" in m and "'retourcode'" in m and "bestaat al" in m for m in messages), messages
    assert any("feiten.yml" in m and "onbekende gemeente 'Dijk'" in m for m in messages), messages


def test_confirming_an_inferred_step_needs_only_status_and_bronnen(copy: Path):
    path = copy / "begeleiding" / "overgangen.yml"
    text = path.read_text(encoding="utf-8")
    old = (
        '        bericht: "{bw_bericht} start"\n        status: afgeleid\n'
        "        bronnen: [seed-000, inlichtingenbureau-ieb]"
    )
    assert old in text
    new = '        bericht: "{bw_bericht} start"\n        status: bevestigd\n        bronnen: [cak-wmo-zakelijk]'
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert [p for p in knowledge.validate(copy) if "begeleiding" in p.file] == []
    k = knowledge.load(copy)
    c = guidance.checklist(k, "wlz_naar_bw", {"datum_overgang": dt.date(2025, 3, 1), "leveringsvorm": 2}, vandaag=TODAY)
    start = next(s for s in c.stappen if s.bericht == "WMO407 start")
    assert start.status == "bevestigd" and [b.id for b in start.bronnen] == ["cak-wmo-zakelijk"]
    block = c.markdown().split("WMO407-startbericht", 1)[1].split("\n2. ", 1)[0].split("\n3. ", 1)[0]
    assert "Niet officieel bevestigd" not in block


# --------------------------------------------------------------------------- gemeentelijst


def test_the_gemeentelijst_has_every_gemeente_once_with_a_cbs_code():
    path = KNOWLEDGE_DIR / "gemeentelijst.yml"
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    rows = data["gemeenten"]
    assert data["peildatum"] == "2026-01-01" and data["bronnen"] == ["cbs-gemeenten"]
    assert "cbs-gemeenten" in K.bronnen
    assert len(rows) == 342  # 2023-2025; no herindeling per 2026 known (see the file's comment)
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"GM\d{4}", c) for c in codes)
    assert len(K.gemeentelijst) == len(rows)  # no two names normalize alike
    by_name = {r["naam"]: r["code"] for r in rows}
    assert by_name["Haarlemmermeer"] == "GM0394"
    assert by_name["Amsterdam"] == "GM0363"
    assert by_name["'s-Gravenhage"] == "GM0518"
    assert by_name["Voorne aan Zee"] == "GM1992"
    for gone in ("Weesp", "Heerhugowaard", "Beemster", "Brielle", "Uden", "Cuijk"):
        assert gone not in by_name


def test_every_alias_points_to_a_gemeente_in_the_list():
    for a in guidance._aliassen(K):
        naam, noot = guidance._gemeente_naam(K, a["naam"])
        assert naam is not None and naam in K.gemeentelijst.values(), a
