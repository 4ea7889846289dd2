"""Case guidance: steps and dates per situation and leveringsvorm, recognition, missing facts."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from bot import formatting, guidance, knowledge
from bot.render import format_value

K = knowledge.load()
D = dt.date
TODAY = D(2026, 1, 15)


def maanden(key: str, year: int) -> int:
    """A month count from cijfers.yml (never typed by hand in a test)."""
    cv = K.cijfer(key, year)
    assert cv.bekend, (key, year)
    return int(cv.waarde)  # type: ignore[arg-type]


def cl(situatie: str, **feiten) -> guidance.Checklist:
    return guidance.checklist(K, situatie, feiten, vandaag=TODAY)


def step_text(c: guidance.Checklist) -> str:
    return "\n".join(f"{s.wie}|{s.wat}|{s.bericht or ''}" for s in c.stappen)


def points(c: guidance.Checklist, onderwerp: str | None = None) -> list[guidance.Punt]:
    return [p for p in c.bijdrage if onderwerp is None or p.onderwerp == onderwerp]


def long(d: dt.date) -> str:
    return formatting.date_long(d)


# --------------------------------------------------------------------------- transitions


@pytest.mark.parametrize(
    ("eerste", "laatste"),
    [
        (D(2024, 3, 1), D(2024, 2, 29)),  # leap year
        (D(2025, 3, 1), D(2025, 2, 28)),  # not a leap year
        (D(2026, 1, 1), D(2025, 12, 31)),  # over the turn of the year
        (D(2025, 5, 31), D(2025, 5, 30)),  # the 31st
    ],
)
def test_wlz_to_bw_starts_bw_the_day_after_the_last_wlz_day(eerste, laatste):
    c = cl("wlz_naar_bw", datum_overgang=eerste, leveringsvorm=2)
    start = next(s for s in c.stappen if s.bericht == "WMO407 start")
    assert start.wie == "centrumgemeente"
    assert long(eerste) in start.wat
    assert start.afgeleid
    assert long(laatste) in step_text(c)
    assert ("Laatste dag van de oude situatie", long(laatste)) in c.feiten
    assert c.ontbrekend == []


def test_wlz_to_bw_says_the_leb_restart_is_not_found():
    c = cl("wlz_naar_bw", datum_overgang=D(2025, 3, 1), leveringsvorm=2)
    leb = points(c, "leb_periode")
    assert leb and all(p.status == "onbekend" for p in leb)
    n = maanden("lage_eigen_bijdrage_maanden", 2025)
    assert formatting.months_text(n) in leb[0].tekst
    at = points(c, "abonnementstarief")
    assert at and at[0].status == "bevestigd" and "Geen abonnementstarief" in at[0].tekst
    assert any("samen één bijdrage" in p.tekst for p in points(c, "huishouden"))
    assert "_Niet gevonden:_" in c.markdown()


def test_bw_to_wlz_stops_bw_on_the_last_bw_day():
    c = cl("bw_naar_wlz", datum_overgang=D(2025, 7, 1), leveringsvorm=2)
    stop = next(s for s in c.stappen if s.bericht == "WMO407 stop")
    assert long(D(2025, 6, 30)) in stop.wat
    assert any(s.wie == "CIZ" and s.status == "bevestigd" for s in c.stappen)
    assert any("dubbele facturen" in r.tekst for r in c.risicos)


def test_bw_to_wlz_with_an_extramural_form_uses_wmo405():
    c = cl("bw_naar_wlz", datum_overgang=D(2025, 7, 1), leveringsvorm=5)
    assert any(s.bericht == "WMO405 stop" for s in c.stappen)
    assert "WMO407" not in step_text(c)
    assert c.leveringsvorm is not None and "abonnementstarief" in c.leveringsvorm.tekst


def test_at_to_bw_starts_bw_stops_at_and_computes_the_leb_period():
    start = D(2025, 3, 1)
    c = cl("at_naar_bw", datum_overgang=start, leveringsvorm=2, at_voorzieningen_stoppen="ja")
    berichten = [s.bericht for s in c.stappen]
    assert "WMO407 start" in berichten and "WMO405 stop" in berichten
    stop = next(s for s in c.stappen if s.bericht == "WMO405 stop")
    assert long(D(2025, 2, 28)) in stop.wat
    n = maanden("lage_eigen_bijdrage_maanden", 2025)
    leb_einde = start + relativedelta(months=n) - dt.timedelta(days=1)
    assert any(long(leb_einde) in p.tekst for p in points(c, "leb_periode"))
    assert any(p.status == "bevestigd" and formatting.months_text(n) in p.tekst for p in points(c, "leb_periode"))
    assert any("stopt" in p.tekst for p in points(c, "abonnementstarief"))


def test_at_to_bw_keeps_the_at_registration_when_a_provision_continues():
    c = cl("at_naar_bw", datum_overgang=D(2025, 3, 1), leveringsvorm=2, at_voorzieningen_stoppen="nee")
    assert "WMO405 stop" not in [s.bericht for s in c.stappen]
    assert any("nog geen WMO405-stopbericht" in s.wat for s in c.stappen)


def test_at_to_bw_with_a_pgb_without_wooncomponent_has_no_leb():
    c = cl(
        "at_naar_bw", datum_overgang=D(2025, 3, 1), leveringsvorm=7, wooncomponent="nee", at_voorzieningen_stoppen="nee"
    )
    assert any(s.bericht == "WMO405 start" for s in c.stappen)
    leb = points(c, "leb_periode")
    assert len(leb) == 1 and "geen lage of hoge" in leb[0].tekst


def test_at_to_bw_in_another_gemeente_names_both_gemeenten():
    c = cl(
        "at_naar_bw_andere_gemeente",
        datum_overgang=D(2025, 9, 1),
        gemeente_oud="Haarlemmermeer",
        gemeente_nieuw="Haarlem",
        leveringsvorm=2,
    )
    tekst = step_text(c)
    assert "Haarlemmermeer stuurt een WMO405-stopbericht" in tekst
    assert "Haarlem (of de centrumgemeente" in tekst
    assert long(D(2025, 8, 31)) in tekst and long(D(2025, 9, 1)) in tekst


def test_at_to_bw_in_another_gemeente_refuses_the_same_gemeente():
    with pytest.raises(guidance.GuidanceError, match="hetzelfde"):
        cl(
            "at_naar_bw_andere_gemeente",
            datum_overgang=D(2025, 9, 1),
            gemeente_oud="Haarlem",
            gemeente_nieuw="haarlem",
            leveringsvorm=2,
        )


def test_bw_move_stops_old_and_starts_new_gemeente_on_contiguous_days():
    c = cl(
        "bw_verhuizing",
        datum_overgang=D(2024, 4, 15),
        gemeente_oud="Haarlem",
        gemeente_nieuw="Amsterdam",
        leveringsvorm=2,
    )
    stop = next(s for s in c.stappen if s.bericht == "WMO407 stop")
    start = next(s for s in c.stappen if s.bericht == "WMO407 start")
    assert "Haarlem" in stop.wat and long(D(2024, 4, 14)) in stop.wat
    assert "Amsterdam" in start.wat and long(D(2024, 4, 15)) in start.wat
    assert any("woonplaatsbeginsel" in s.wat and s.afgeleid for s in c.stappen)
    assert all(p.status == "onbekend" for p in points(c, "leb_periode"))


def test_wlz_to_at_starts_the_at_with_the_figure_of_that_year():
    c = cl("wlz_naar_at", datum_overgang=D(2024, 5, 1))
    assert any(s.bericht == "WMO405 start" and long(D(2024, 5, 1)) in s.wat for s in c.stappen)
    at = format_value(K.cijfer("abonnementstarief", 2024))
    assert any(at in p.tekst for p in points(c, "soort"))
    assert any("terugvalt in de Wlz-periode" in r.tekst for r in c.risicos)


def test_bw_to_at_with_tzw_and_wmo_support():
    eerste = D(2025, 7, 1)
    c = cl("bw_naar_at", datum_overgang=eerste, leveringsvorm=2, wmo_ondersteuning_na="ja")
    berichten = [s.bericht for s in c.stappen]
    assert "WMO407 stop" in berichten and "WMO405 start" in berichten
    assert any("Porta" in (s.bericht or "") and s.status == "bevestigd" for s in c.stappen)
    n = maanden("terugkeer_zelfstandig_wonen_maanden", 2025)
    vanaf = eerste - relativedelta(months=n)
    assert any(long(vanaf) in p.tekst for p in points(c, "leb_periode"))


def test_bw_to_at_without_support_and_without_stay_has_no_tzw_and_no_at_start():
    c = cl("bw_naar_at", datum_overgang=D(2025, 7, 1), leveringsvorm=5, wmo_ondersteuning_na="nee")
    assert "WMO405 start" not in [s.bericht for s in c.stappen]
    assert not any("Porta" in (s.bericht or "") for s in c.stappen)


def test_bw_and_wlz_at_the_same_time_sends_staff_to_the_servicedesk_first():
    c = cl("bw_en_wlz", datum_overgang=D(2025, 6, 1), leveringsvorm=2)
    first = c.stappen[0]
    assert first.status == "bevestigd" and K.contact["cak_wmo_servicedesk"].email in first.wat
    assert any(p.status == "afgeleid" and "Alleen de Wlz-bijdrage" in p.tekst for p in points(c, "soort"))


# --------------------------------------------------------------------------- everyday registration


@pytest.mark.parametrize(
    ("basis", "risico"),
    [("toekenning_301", "wachttijden"), ("declaratie_303", "stapelfacturen"), ("levering_305_307", "sluitende")],
)
def test_new_start_names_the_risk_of_the_chosen_basis(basis, risico):
    c = cl("nieuwe_start", regeling="at", basis=basis, datum_start=D(2025, 2, 3))
    assert any(risico in s.wat for s in c.stappen)
    start = next(s for s in c.stappen if s.bericht == "WMO405 start")
    assert long(D(2025, 2, 3)) in start.wat and start.status == "bevestigd"
    assert any(s.bericht == "WMO406" for s in c.stappen)
    at = format_value(K.cijfer("abonnementstarief", 2025))
    assert any(at in p.tekst for p in points(c, "soort"))


def test_new_start_of_beschermd_wonen_uses_wmo407_and_the_leb():
    c = cl("nieuwe_start", regeling="bw", leveringsvorm=2, basis="levering_305_307", datum_start=D(2025, 10, 31))
    assert any(s.bericht == "WMO407 start" for s in c.stappen)
    n = maanden("lage_eigen_bijdrage_maanden", 2025)
    einde = guidance.einde_periode(D(2025, 10, 31), n)
    assert any(long(einde) in p.tekst for p in points(c, "leb_periode"))


def test_stop_sends_a_stop_with_the_last_day_and_refuses_a_stop_before_the_start():
    c = cl("stoppen", regeling="at", datum_laatste_dag=D(2025, 4, 30))
    assert any(s.bericht == "WMO405 stop" and long(D(2025, 4, 30)) in s.wat for s in c.stappen)
    with pytest.raises(guidance.GuidanceError, match="vóór de startdatum"):
        cl("stoppen", regeling="at", datum_start=D(2025, 3, 1), datum_laatste_dag=D(2025, 2, 15))


@pytest.mark.parametrize(
    ("fout", "juist", "woord"),
    [(D(2025, 3, 1), D(2025, 2, 1), "extra factuur"), (D(2025, 2, 1), D(2025, 3, 1), "creditfactuur")],
)
def test_correcting_a_start_date_explains_the_extra_or_credit_invoice(fout, juist, woord):
    c = cl("startdatum_corrigeren", regeling="at", datum_start_fout=fout, datum_start_juist=juist)
    assert any(woord in p.tekst for p in c.bijdrage)
    assert c.stappen[0].status == "bevestigd" and K.contact["cak_wmo_servicedesk"].email in c.stappen[0].wat
    assert any("creditfacturen" in p.tekst for p in c.burger_ontvangt)


def test_correcting_to_the_same_date_is_refused():
    with pytest.raises(guidance.GuidanceError):
        cl("startdatum_corrigeren", regeling="at", datum_start_fout=D(2025, 2, 1), datum_start_juist=D(2025, 2, 1))


def test_late_herindicatie_before_and_after_the_automatic_stop():
    voor = cl("herindicatie_te_laat", datum_einde_indicatie=D(2025, 12, 31), stopbericht_verstuurd="nee")
    assert any("vóór 31 december 2025" in s.wat and s.status == "bevestigd" for s in voor.stappen)
    na = cl("herindicatie_te_laat", datum_einde_indicatie=D(2025, 12, 31), stopbericht_verstuurd="ja")
    assert any(long(D(2026, 1, 1)) in s.wat and s.afgeleid for s in na.stappen)
    assert any("creditfacturen" in p.tekst for p in na.burger_ontvangt)


def test_retourcode_points_to_the_document_and_the_servicedesks():
    c = cl("retourcode")
    tekst = step_text(c)
    assert "WMO406" in tekst and "WMO408" in tekst
    assert "Retourcodes Wmo beschermd wonen" in tekst
    assert K.contact["cak_servicedesk_ketenpartners"].telefoon in tekst
    assert all(s.status == "bevestigd" for s in c.stappen)


def test_terugkeer_zelfstandig_wonen_via_porta_with_the_last_months():
    vertrek = D(2024, 6, 30)
    c = cl("terugkeer_zelfstandig_wonen", datum_overgang=vertrek)
    porta = next(s for s in c.stappen if s.bericht and "Porta" in s.bericht)
    assert porta.wie == "centrumgemeente" and porta.status == "bevestigd"
    n = maanden("terugkeer_zelfstandig_wonen_maanden", 2024)
    assert long(vertrek - relativedelta(months=n)) in step_text(c)
    assert any(s.bericht and "WMO407 stop" in s.bericht and long(D(2024, 6, 29)) in s.wat for s in c.stappen)


# --------------------------------------------------------------------------- leveringsvormen


def test_leveringsvorm_2_is_intramural_leb_heb_via_wmo407():
    c = cl("lv2", datum_start=D(2025, 1, 1))
    assert any(s.bericht == "WMO407 start" for s in c.stappen)
    assert "lage of hoge eigen bijdrage" in points(c, "soort")[0].tekst
    assert c.leveringsvorm is not None and "WMO407" in c.leveringsvorm.tekst


def test_leveringsvorm_5_is_the_abonnementstarief_via_wmo405():
    c = cl("lv5", datum_start=D(2025, 1, 1))
    assert any(s.bericht == "WMO405 start" for s in c.stappen)
    at = format_value(K.cijfer("abonnementstarief", 2025))
    assert any(at in p.tekst for p in points(c, "soort"))
    assert any(s.wie == "zorgaanbieder" and "geen gegevens meer" in s.wat for s in c.stappen)


@pytest.mark.parametrize(
    ("woon", "bericht", "soort"), [("ja", "WMO407", "lage of hoge"), ("nee", "WMO405", "abonnementstarief")]
)
def test_leveringsvorm_7_depends_on_the_wooncomponent(woon, bericht, soort):
    c = cl("lv7", wooncomponent=woon, datum_start=D(2025, 1, 1))
    assert any(s.bericht == f"{bericht} start" for s in c.stappen)
    assert soort in points(c, "soort")[0].tekst


@pytest.mark.parametrize("nummer", [1, 3, 4, 6])
def test_ended_leveringsvormen_say_they_no_longer_apply(nummer):
    c = cl(f"lv{nummer}")
    assert c.stappen and "niet meer" in c.stappen[0].wat
    lv = guidance._leveringsvormen(K)[nummer]
    assert lv["van_toepassing"]["antwoord"] == "nee"


@pytest.mark.parametrize("nummer", [3, 4, 6])
def test_an_ended_leveringsvorm_cannot_be_used_for_a_transition(nummer):
    with pytest.raises(guidance.GuidanceError, match=f"Leveringsvorm {nummer} kan niet meer"):
        cl("wlz_naar_bw", datum_overgang=D(2025, 3, 1), leveringsvorm=nummer)


def test_afdracht_goes_to_the_centrumgemeente_for_1_to_3_and_the_regiogemeente_for_4_to_7():
    lvs = guidance._leveringsvormen(K)
    assert sorted(lvs) == [1, 2, 3, 4, 5, 6, 7]
    assert [lvs[n]["afdracht"]["wie"] for n in range(1, 8)] == ["centrumgemeente"] * 3 + ["regiogemeente"] * 4
    assert [lvs[n]["aanlevering"]["wie"] for n in (4, 5)] == ["zorgaanbieder"] * 2


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("start", "einde"),
    [
        (D(2025, 3, 1), D(2025, 6, 30)),
        (D(2023, 10, 31), D(2024, 2, 29)),  # no 31 February: ends at the (leap) month end
        (D(2022, 10, 31), D(2023, 2, 28)),
        (D(2023, 10, 29), D(2024, 2, 28)),
        (D(2023, 11, 1), D(2024, 2, 29)),
        (D(2025, 1, 1), D(2025, 4, 30)),
    ],
)
def test_einde_periode_of_four_months(start, einde):
    assert guidance.einde_periode(start, 4) == einde


@pytest.mark.parametrize(
    ("eerste_dag_na", "begin"),
    [(D(2025, 7, 1), D(2025, 3, 1)), (D(2024, 6, 30), D(2024, 2, 29)), (D(2023, 6, 30), D(2023, 2, 28))],
)
def test_begin_of_the_last_four_months(eerste_dag_na, begin):
    assert guidance.begin_laatste_maanden(eerste_dag_na, 4) == begin


@pytest.mark.parametrize("waarde", ["2025-02-29", "31 februari 2025", "31-04-2025", "32 maart 2025"])
def test_an_impossible_date_in_the_facts_is_refused_in_dutch(waarde):
    with pytest.raises(guidance.GuidanceError, match="geen bestaande datum"):
        cl("wlz_naar_bw", datum_overgang=waarde, leveringsvorm=2)


def test_dates_as_text_are_read():
    c = cl("wlz_naar_bw", datum_overgang="1 maart 2024", leveringsvorm="2")
    assert ("Laatste dag van de oude situatie", long(D(2024, 2, 29))) in c.feiten


def test_an_unknown_gemeente_in_the_facts_is_refused_with_a_suggestion():
    with pytest.raises(guidance.GuidanceError, match="Bedoelt u Amsterdam"):
        cl("bw_verhuizing", datum_overgang=D(2025, 1, 1), gemeente_oud="Haarlem", gemeente_nieuw="Amsterdm")


def test_missing_facts_show_as_not_yet_known():
    c = cl("wlz_naar_bw", leveringsvorm=2)
    assert "eerste dag van de nieuwe situatie" in c.ontbrekend
    assert "[nog niet bekend:" in step_text(c)
    assert "Nog nodig" in c.markdown()


# --------------------------------------------------------------------------- missing facts


def test_missing_facts_come_in_order_and_one_condition_at_a_time():
    vragen = guidance.ontbrekend(K, "wlz_naar_bw", {})
    assert [v.feit for v in vragen] == ["datum_overgang", "leveringsvorm"]
    assert vragen[0].soort == "datum" and vragen[0].opties == []
    assert [o.waarde for o in vragen[1].opties] == ["2", "5", "7"]
    assert [
        v.feit for v in guidance.ontbrekend(K, "wlz_naar_bw", {"datum_overgang": D(2025, 1, 1), "leveringsvorm": 7})
    ] == ["wooncomponent"]
    assert guidance.ontbrekend(K, "wlz_naar_bw", {"datum_overgang": D(2025, 1, 1), "leveringsvorm": 2}) == []


def test_new_start_asks_regeling_then_leveringsvorm_then_basis_then_date():
    assert [v.feit for v in guidance.ontbrekend(K, "nieuwe_start", {})] == ["regeling", "basis", "datum_start"]
    bw = guidance.ontbrekend(K, "nieuwe_start", {"regeling": "bw"})
    assert [v.feit for v in bw] == ["leveringsvorm", "basis", "datum_start"]
    basis = next(v for v in bw if v.feit == "basis")
    assert [b["payload"] for b in basis.knoppen()] == ["toekenning_301", "declaratie_303", "levering_305_307"]
    assert all(b["title"] for b in basis.knoppen())


def test_optional_facts_are_not_asked():
    assert [v.feit for v in guidance.ontbrekend(K, "stoppen", {"regeling": "at"})] == ["datum_laatste_dag"]


def test_two_gemeenten_are_asked_for_a_move():
    assert [v.feit for v in guidance.ontbrekend(K, "bw_verhuizing", {"datum_overgang": D(2025, 1, 1)})][:2] == [
        "gemeente_oud",
        "gemeente_nieuw",
    ]


def test_unknown_situation_is_an_error():
    with pytest.raises(guidance.GuidanceError):
        guidance.ontbrekend(K, "bestaat_niet", {})


# --------------------------------------------------------------------------- recognition


def test_recognises_wlz_to_bw_from_a_staff_sentence():
    h = guidance.herken(K, "cliënt gaat per 1 maart van de Wlz naar beschermd wonen bij ons", TODAY)
    assert h.situatie == "wlz_naar_bw"
    assert h.feiten["datum_overgang"] == D(2026, 3, 1)
    assert h.ok
    assert any("2026" in a for a in h.aannames)  # the year was not written


def test_recognises_a_bw_move_between_gemeenten():
    h = guidance.herken(K, "bw-client verhuist op 15-04 van Haarlem naar Amsterdam", TODAY)
    assert h.situatie == "bw_verhuizing"
    assert h.feiten["datum_overgang"] == D(2026, 4, 15)
    assert (h.feiten["gemeente_oud"], h.feiten["gemeente_nieuw"]) == ("Haarlem", "Amsterdam")
    assert h.gemeenten == ["Haarlem", "Amsterdam"] and h.ok


def test_an_unknown_gemeente_is_reported_not_dropped():
    h = guidance.herken(K, "bw-client verhuist op 15-04 van Haarlem naar Amsterdm", TODAY)
    assert h.onbekende_gemeenten == ["Amsterdm"]
    assert not h.ok and "Bedoelt u Amsterdam" in h.problemen[0]
    assert "gemeente_nieuw" not in h.feiten


@pytest.mark.parametrize("tekst", ["start per 31 februari 2026", "aanmelden per 29-02-2025", "vanaf 32 maart"])
def test_an_impossible_date_is_a_problem(tekst):
    h = guidance.herken(K, tekst, TODAY)
    assert any("geen bestaande datum" in p for p in h.problemen), h.problemen


def test_a_stop_before_a_start_is_a_problem():
    h = guidance.herken(K, "huishoudelijke hulp start 1 maart 2026, stop 15 februari 2026", TODAY)
    assert any("vóór de startdatum" in p for p in h.problemen)


@pytest.mark.parametrize(
    ("tekst", "situatie"),
    [
        ("BW stopt per 1 april 2026, daarna gaat de cliënt naar de Wlz", "bw_naar_wlz"),
        ("cliënt met huishoudelijke hulp gaat per 1 mei beschermd wonen", "at_naar_bw"),
        (
            "cliënt gaat van huishoudelijke hulp naar beschermd wonen in Utrecht, nu Wmo in Zeist",
            "at_naar_bw_andere_gemeente",
        ),
        ("de Wlz stopt, cliënt gaat van de Wlz naar huishoudelijke hulp per 1 juni", "wlz_naar_at"),
        ("bw-cliënt gaat van beschermd wonen naar zelfstandig wonen met huishoudelijke hulp", "bw_naar_at"),
        ("cliënt met beschermd wonen krijgt ook Wlz-zorg tegelijk", "bw_en_wlz"),
        ("ik wil een nieuwe cliënt aanmelden, start per 1 februari", "nieuwe_start"),
        ("de zorg stopt per 1 mei, hoe meld ik af?", "stoppen"),
        ("de startdatum stond op 15 februari maar moet 1 maart zijn", "startdatum_corrigeren"),
        ("de herindicatie is niet op tijd verwerkt, indicatie verloopt 31 december", "herindicatie_te_laat"),
        ("wat betekent deze retourcode op ons WMO408-bericht?", "retourcode"),
        ("verklaring terugkeer naar zelfstandig wonen aanvragen", "terugkeer_zelfstandig_wonen"),
        ("wat moet ik doen bij leveringsvorm 5?", "lv5"),
    ],
)
def test_recognises_every_kind_of_situation(tekst, situatie):
    h = guidance.herken(K, tekst, TODAY)
    assert h.situatie == situatie, (h.situatie, h.scores)


def test_stop_per_date_means_the_day_before_is_the_last_day():
    h = guidance.herken(K, "de zorg stopt per 1 mei 2026", TODAY)
    assert h.situatie == "stoppen"
    assert h.feiten["datum_laatste_dag"] == D(2026, 4, 30)
    assert any("30 april 2026" in a for a in h.aannames)


def test_correction_dates_are_read_as_wrong_and_right():
    h = guidance.herken(K, "de startdatum stond op 15 februari maar moet 1 maart zijn", TODAY)
    assert h.feiten["datum_start_fout"] == D(2026, 2, 15)
    assert h.feiten["datum_start_juist"] == D(2026, 3, 1)


def test_a_bw_stop_date_gives_the_transition_date_the_day_after():
    h = guidance.herken(K, "BW stopt per 1 april 2026, daarna Wlz", TODAY)
    assert h.feiten["datum_overgang"] == D(2026, 4, 1)
    h = guidance.herken(K, "beschermd wonen t/m 31 maart 2026, daarna naar de Wlz", TODAY)
    assert h.feiten["datum_overgang"] == D(2026, 4, 1)


def test_recognises_leveringsvorm_and_wooncomponent():
    h = guidance.herken(K, "bw-cliënt met lv 7 zonder wooncomponent verhuist van Zwolle naar Deventer", TODAY)
    assert h.leveringsvorm == 7 and h.feiten["wooncomponent"] == "nee"
    assert h.situatie == "bw_verhuizing"
    assert guidance.herken(K, "beschermd wonen met een pgb", TODAY).leveringsvorm == 7


def test_an_ended_leveringsvorm_in_a_message_is_a_problem():
    h = guidance.herken(K, "cliënt met leveringsvorm 4 gaat naar de Wlz", TODAY)
    assert h.leveringsvorm == 4
    assert any("Leveringsvorm 4 kan niet meer" in p for p in h.problemen)


def test_aliases_and_former_gemeenten_are_recognised_with_a_note():
    h = guidance.herken(K, "bw-cliënt verhuist van Weesp naar Den Haag per 1 juni", TODAY)
    assert h.feiten["gemeente_oud"] == "Amsterdam"
    assert h.feiten["gemeente_nieuw"] == "'s-Gravenhage"
    assert any("Weesp" in a and "Amsterdam" in a for a in h.aannames)


def test_ordinary_words_are_not_gemeenten():
    h = guidance.herken(K, "Dat kan leiden tot dubbele facturen, zeggen de buren", TODAY)
    assert h.gemeenten == [] and h.onbekende_gemeenten == []


def test_a_message_about_something_else_has_no_situation():
    h = guidance.herken(K, "Hoe laat is het?", TODAY)
    assert h.situatie is None and h.kandidaten == [] and h.ok


def test_recognised_facts_feed_the_checklist():
    h = guidance.herken(K, "bw-client verhuist op 15-04 van Haarlem naar Amsterdam, leveringsvorm 2", TODAY)
    assert guidance.ontbrekend(K, h.situatie, h.feiten) == []
    c = guidance.checklist(K, h.situatie, h.feiten, vandaag=TODAY)
    assert long(D(2026, 4, 14)) in step_text(c)


# --------------------------------------------------------------------------- rendering


def test_markdown_bold_owners_and_warning_under_inferred_steps():
    c = cl("wlz_naar_bw", datum_overgang=D(2025, 3, 1), leveringsvorm=2)
    md = c.markdown()
    assert md.startswith("**Van Wlz naar Wmo beschermd wonen**")
    assert "**Centrumgemeente:**" in md
    warning = (
        "Niet officieel bevestigd: controleer dit in de Handleiding Wmo beschermd wonen "
        f"of bij de Wmo Servicedesk ({K.contact['cak_wmo_servicedesk'].email})"
    )
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(("1.", "2.", "3.", "4.", "5.")) and "WMO407-startbericht" in line:
            assert warning in "\n".join(lines[i : i + 3])
    assert "**Bronnen**" in md and "](http" in md


def test_slack_markdown_uses_single_asterisks_and_slack_links():
    md = cl("retourcode").markdown(stijl="slack")
    assert "**" not in md
    assert "*Stappen*" in md and "<https://" in md


def test_an_ambiguous_message_gives_candidates_instead_of_a_guess():
    h = guidance.herken(K, "per 15/04 van Utrecht naar Zeist", TODAY)
    assert h.situatie is None
    assert {"at_naar_bw_andere_gemeente", "bw_verhuizing"} <= set(h.kandidaten)
    assert (h.feiten["gemeente_oud"], h.feiten["gemeente_nieuw"]) == ("Utrecht", "Zeist")


def test_an_ambiguous_gemeente_name_suggests_both():
    h = guidance.herken(K, "bw-cliënt verhuist naar Bergen", TODAY)
    assert h.onbekende_gemeenten == ["Bergen"]
    assert "Bergen (L.)" in h.problemen[0] and "Bergen (NH.)" in h.problemen[0]
