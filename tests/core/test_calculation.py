"""bot.calculation: one test per rule, one row per sourced case.

Expected amounts come from the knowledge table (knowledge/cijfers.yml), never typed here, except
in the tests marked "the table itself", which pin a sourced figure the rules depend on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot import calculation as calc
from bot.calculation import Huishouden, InvoerFout, Persoon
from bot.formatting import money, round_cents
from bot.knowledge import Knowledge, Leeftijd

D = dt.date
JAREN = range(calc.JAAR_MIN, calc.JAAR_MAX + 1)


@pytest.fixture()
def k(cijfer_kennis: Knowledge) -> Knowledge:
    return cijfer_kennis


def waarde(k: Knowledge, sleutel: str, jaar: int) -> Decimal:
    cw = k.cijfer(sleutel, jaar)
    assert isinstance(cw.waarde, Decimal), (sleutel, jaar, cw)
    return cw.waarde


def aow(k: Knowledge, jaar: int) -> Leeftijd:
    cw = k.cijfer("aow_leeftijd", jaar)
    assert isinstance(cw.waarde, Leeftijd)
    return cw.waarde


PEILDAG = D(2026, 1, 1)


def alleen(leeftijd: int = 75) -> Huishouden:
    return Huishouden("alleen", client=Persoon.met_leeftijd(leeftijd, PEILDAG))


def stel(client: Persoon, partner: Persoon) -> Huishouden:
    return Huishouden("partner", client=client, partner=partner)


OUD = Persoon.geboren_op(D(1940, 5, 5))  # past the AOW age in every year of the table
JONG = Persoon.geboren_op(D(1980, 5, 5))  # below it in every year of the table


# --------------------------------------------------------------------------- the table itself


def test_the_table_itself_has_the_sourced_abonnementstarief_units(k: Knowledge):
    """seed 002: 2019 per 4 weeks; from 2020 per month (CAK zakelijk Wmo)."""
    assert k.cijfer("abonnementstarief", 2019).eenheid == "per_4_weken"
    for jaar in range(2020, 2027):
        assert k.cijfer("abonnementstarief", jaar).eenheid == "per_maand"


def test_the_table_itself_has_the_2018_2019_changes(k: Knowledge):
    """VGN/CAK 19-12-2018: VIB 8% -> 4% and LEB 6 -> 4 months from 1-1-2019."""
    assert waarde(k, "vermogensinkomensbijtelling", 2018) == 8
    assert waarde(k, "vermogensinkomensbijtelling", 2019) == 4
    assert k.cijfer("lage_eigen_bijdrage_maanden", 2018).waarde == 6
    assert k.cijfer("lage_eigen_bijdrage_maanden", 2019).waarde == 4


# --------------------------------------------------------------------------- abonnementstarief: amount per year


@pytest.mark.parametrize("jaar", JAREN)
def test_abonnementstarief_per_year_is_the_tables_amount_and_unit_or_says_why_not(k: Knowledge, jaar: int):
    cw = k.cijfer("abonnementstarief", jaar)
    r = calc.abonnementstarief(k, jaar, alleen())
    if cw.bekend:
        assert (r.bedrag, r.eenheid, r.status) == (cw.waarde, cw.eenheid, "bevestigd")
        assert r.ontbreekt == []
    elif jaar <= 2018:
        assert r.status == "niet_van_toepassing" and r.bedrag is None
        assert "bestond" in r.tekst(k)
    elif k.cijfer("ivb_2027_minimum", jaar).status == "gepland":
        assert r.status == "gepland" and r.bedrag is None
    else:
        assert r.status == "onbekend" and r.bedrag is None
        assert any(f"abonnementstarief voor {jaar}" in o for o in r.ontbreekt)
    # never a neighbour's amount in the text
    if not cw.bekend:
        andere = {money(waarde(k, "abonnementstarief", j)) for j in JAREN if k.cijfer("abonnementstarief", j).bekend}
        assert not any(a in r.tekst(k) for a in andere), r.tekst(k)


def test_2019_is_billed_in_13_periods_of_4_weeks_from_31_december_2018(k: Knowledge):
    """seed 002: 13 periods a year; period 1 of 2019 began 31-12-2018."""
    r = calc.abonnementstarief(k, 2019, alleen())
    assert len(r.termijnen) == 13
    assert r.termijnen[0].van == D(2018, 12, 31)
    assert all((t.tot - t.van).days == 27 for t in r.termijnen)
    assert all(b.van - a.tot == dt.timedelta(days=1) for a, b in zip(r.termijnen, r.termijnen[1:], strict=False))
    assert sum(t.bedrag or 0 for t in r.termijnen) == 13 * waarde(k, "abonnementstarief", 2019)


@pytest.mark.parametrize("jaar", range(2020, 2027))
def test_from_2020_the_abonnementstarief_is_per_calendar_month(k: Knowledge, jaar: int):
    r = calc.abonnementstarief(k, jaar, alleen())
    assert [(t.van.month, t.van.day) for t in r.termijnen] == [(m, 1) for m in range(1, 13)]
    assert sum(t.bedrag or 0 for t in r.termijnen) == 12 * waarde(k, "abonnementstarief", jaar)


def test_2027_planned_contribution_is_not_computed_but_named_with_its_planned_bounds(k: Knowledge):
    r = calc.abonnementstarief(k, 2027, alleen())
    assert r.status == "gepland" and r.bedrag is None
    tekst = r.tekst(k)
    assert money(waarde(k, "ivb_2027_minimum", 2027), "per_maand") in tekst
    assert money(waarde(k, "ivb_2027_maximum", 2027), "per_maand") in tekst
    assert {cw.sleutel for cw in r.cijfers} >= {"ivb_2027_minimum", "ivb_2027_maximum"}
    assert all(cw.status == "gepland" for cw in r.cijfers if cw.sleutel.startswith("ivb"))
    assert r.ontbreekt


# --------------------------------------------------------------------------- household and AOW rules

AT = "abonnementstarief"
NUL = "nul"
HANGT_AF = "hangt af"


@pytest.mark.parametrize(
    ("naam", "jaar", "huishouden", "peildatum", "verwacht"),
    [
        ("alleen, AOW or not: the AT", 2024, alleen(40), None, AT),
        ("alleen, pensioner: the AT", 2024, alleen(80), None, AT),
        ("partners both past AOW age: the AT", 2024, stel(OUD, OUD), None, AT),
        ("client below AOW age, with partner: nothing", 2024, stel(JONG, OUD), None, NUL),
        ("partner below AOW age: nothing", 2024, stel(OUD, JONG), None, NUL),
        ("partner below AOW age, 2019: nothing", 2019, stel(OUD, JONG), None, NUL),
        (
            "AOW age 66y4m, partner 66 in whole years: depends on the birth date",
            2020,
            stel(OUD, Persoon.met_leeftijd(66, D(2020, 6, 1))),
            D(2020, 6, 1),
            HANGT_AF,
        ),
        (
            "AOW age 67y0m, partner 67 in whole years on that day: past it",
            2024,
            stel(OUD, Persoon.met_leeftijd(67, D(2024, 6, 1))),
            D(2024, 6, 1),
            AT,
        ),
        (
            "AOW age 67y0m, partner 66 in whole years on that day: not yet",
            2024,
            stel(OUD, Persoon.met_leeftijd(66, D(2024, 6, 1))),
            D(2024, 6, 1),
            NUL,
        ),
        (
            "partner born in the year that reaches AOW age: depends",
            2024,
            stel(OUD, Persoon.geboren_in(1957)),
            None,
            HANGT_AF,
        ),
        ("partner's age unknown, client young: nothing anyway", 2024, Huishouden("partner", client=JONG), None, NUL),
        ("partner's age unknown, client old: unknown", 2024, Huishouden("partner", client=OUD), None, HANGT_AF),
        ("household with another (no partner), below AOW: nothing", 2024, Huishouden("anders", client=JONG), None, NUL),
        ("household with another (no partner), past AOW: the AT", 2024, Huishouden("anders", client=OUD), None, AT),
    ],
)
def test_partner_below_aow_age_pays_nothing(
    k: Knowledge, naam: str, jaar: int, huishouden: Huishouden, peildatum: dt.date | None, verwacht: str
):
    """seed 002, Rijksoverheid, Drimmelen: married or partner and one below the AOW age -> €0."""
    r = calc.abonnementstarief(k, jaar, huishouden, peildatum=peildatum)
    if verwacht == AT:
        assert r.bedrag == waarde(k, "abonnementstarief", jaar), naam
    elif verwacht == NUL:
        assert r.bedrag == 0 and r.status in ("bevestigd", "afgeleid"), naam
    else:
        assert r.bedrag is None and r.status == "onbekend", naam
        assert r.ontbreekt, naam
        assert money(0) in r.tekst(k)  # it says both possibilities
    if huishouden.soort == "anders":
        assert r.status == "afgeleid"  # Rijksoverheid's broader wording, not the CAK's


def test_whole_year_ages_name_the_missing_birth_date(k: Knowledge):
    r = calc.abonnementstarief(k, 2020, stel(OUD, Persoon.met_leeftijd(66, D(2020, 6, 1))), peildatum=D(2020, 6, 1))
    assert any("geboortedatum" in o for o in r.ontbreekt)


def eerste_betaalmaand(aow_dag: dt.date) -> tuple[int, int]:
    """Our documented rule: a month counts when on its first day both have the AOW age."""
    if aow_dag.day == 1:
        return aow_dag.year, aow_dag.month
    volgende = (aow_dag.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return volgende.year, volgende.month


@pytest.mark.parametrize(
    ("jaar", "geboren"),
    [
        (2024, D(1957, 5, 12)),  # AOW birthday mid-month
        (2024, D(1957, 6, 1)),  # AOW birthday on the first of the month
        (2024, D(1957, 5, 31)),  # last day of the month before
        (2024, D(1957, 6, 2)),  # the day after the first
        (2024, D(1957, 12, 31)),  # last day of the year: nothing all year but December
        (2023, D(1956, 8, 15)),  # 66 jaar en 10 maanden
        (2022, D(1955, 9, 15)),  # AOW age changes with the year (66y4m would fall in 2022; 66y7m applies)
    ],
)
def test_around_the_aow_birthday_month_the_at_starts_the_month_after(k: Knowledge, jaar: int, geboren: dt.date):
    leeftijd = aow(k, jaar)
    aow_dag = calc._plus_maanden(geboren, leeftijd.in_maanden())
    assert aow_dag.year == jaar
    r = calc.abonnementstarief(k, jaar, stel(OUD, Persoon.geboren_op(geboren)))
    betaald = [(t.van.year, t.van.month) for t in r.termijnen if t.bedrag]
    if aow_dag.month == 12 and aow_dag.day > 1:
        assert betaald == [] and r.bedrag == 0
        return
    assert betaald[0] == eerste_betaalmaand(aow_dag)
    assert all(t.bedrag == 0 for t in r.termijnen if (t.van.year, t.van.month) < betaald[0])
    assert r.bedrag == waarde(k, "abonnementstarief", jaar)
    assert r.status == "afgeleid"  # the switch month is our reading
    assert calc.date_long(aow_dag) in r.tekst(k)


def test_the_aow_age_of_the_year_it_is_reached_counts_not_a_later_one(k: Knowledge):
    """Born 15 July 1955: 66y4m falls on 15 Nov 2021, so in January 2022 (AOW 66y7m) AOW is reached."""
    assert calc._aow_bereikt(k, D(1955, 7, 15), D(2022, 1, 1)) is True
    assert calc._aow_bereikt(k, D(1955, 7, 15), D(2021, 11, 14)) is False
    # born 15 May 1956: 66y7m (2022) falls on 15 Dec 2022, before 66y10m (2023) would
    r = calc.abonnementstarief(k, 2023, stel(OUD, Persoon.geboren_op(D(1956, 5, 15))))
    assert all(t.bedrag for t in r.termijnen) and r.status == "bevestigd"


def test_2019_switches_at_the_first_4_week_period_after_the_aow_birthday(k: Knowledge):
    geboren = D(1953, 2, 10)  # + 66y4m = 10 June 2019
    aow_dag = calc._plus_maanden(geboren, aow(k, 2019).in_maanden())
    r = calc.abonnementstarief(k, 2019, stel(OUD, Persoon.geboren_op(geboren)))
    eerste = next(t for t in r.termijnen if t.bedrag)
    assert eerste.van >= aow_dag > eerste.van - dt.timedelta(weeks=4)
    assert eerste.bedrag == waarde(k, "abonnementstarief", 2019)


@pytest.mark.parametrize(
    ("geboren", "jaar", "eerste_maand"),
    [
        (D(1954, 10, 31), 2021, 3),  # + 66y4m = "31 February 2021": last day of February
        (D(1954, 10, 29), 2021, 3),  # + 66y4m = 29 February in a common year
        (D(1953, 10, 29), 2020, 3),  # + 66y4m = 29 February 2020, a leap day
        (D(1956, 2, 29), 2022, 10),  # leap-day birthday + 66y7m = 29 September 2022
    ],
)
def test_leap_day_and_month_end_birthdays_give_the_same_month_either_way(
    k: Knowledge, geboren: dt.date, jaar: int, eerste_maand: int
):
    """Whether a missing day counts as 28/29 February or 1 March, the first paying month is the same."""
    r = calc.abonnementstarief(k, jaar, stel(OUD, Persoon.geboren_op(geboren)))
    assert next(t.van.month for t in r.termijnen if t.bedrag) == eerste_maand


def test_leap_day_birthday_age_in_a_common_year():
    assert calc.leeftijd_op(D(1956, 2, 29), D(2023, 2, 27)) == 66
    assert calc.leeftijd_op(D(1956, 2, 29), D(2023, 2, 28)) == 67
    assert calc.leeftijd_op(D(1956, 2, 29), D(2024, 2, 28)) == 67
    assert calc.leeftijd_op(D(1956, 2, 29), D(2024, 2, 29)) == 68
    p = Persoon.met_leeftijd(67, D(2023, 2, 28))
    assert p.laatst == D(1956, 2, 29)


def test_a_household_pays_one_abonnementstarief_whatever_the_number_of_users(k: Knowledge):
    """CAK zakelijk, seed 004: one AT per household."""
    maximum = waarde(k, "abonnementstarief", 2025)
    r = calc.abonnementstarief(k, 2025, stel(OUD, OUD), kosten=[maximum, maximum, maximum])
    assert r.bedrag == maximum
    assert "één keer" in r.tekst(k)


@pytest.mark.parametrize("jaar", [2019, 2020, 2024, 2026])
def test_costs_lower_than_the_maximum_only_the_costs(k: Knowledge, jaar: int):
    maximum = waarde(k, "abonnementstarief", jaar)
    laag = maximum - Decimal("0.01")
    assert calc.abonnementstarief(k, jaar, alleen(), kosten=[laag]).bedrag == laag
    assert calc.abonnementstarief(k, jaar, alleen(), kosten=[laag / 2, laag / 2]).bedrag == round_cents(laag)
    assert calc.abonnementstarief(k, jaar, alleen(), kosten=[maximum + 1]).bedrag == maximum


def test_a_lower_gemeentelijk_tarief_applies_a_higher_one_does_not(k: Knowledge):
    maximum = waarde(k, "abonnementstarief", 2025)
    assert calc.abonnementstarief(k, 2025, alleen(), gemeentelijk_tarief=maximum / 2).bedrag == round_cents(maximum / 2)
    assert calc.abonnementstarief(k, 2025, alleen(), gemeentelijk_tarief=maximum * 2).bedrag == maximum


def test_minimabeleid_exemption_pays_nothing(k: Knowledge):
    r = calc.abonnementstarief(k, 2025, alleen(), minimabeleid_vrijgesteld=True)
    assert r.bedrag == 0 and all(t.bedrag == 0 for t in r.termijnen)


@pytest.mark.parametrize(
    ("huishouden", "verwacht_nul"),
    [
        (Huishouden("alleen", client=OUD, client_wlz_of_bw=True), True),
        (Huishouden("partner", client=OUD, partner=OUD, partner_wlz_of_bw=True), True),
        (Huishouden("partner", client=OUD, partner=OUD, partner_wlz_of_bw=True, partner_uitzondering=True), False),
    ],
)
def test_no_wmo_contribution_beside_a_wlz_or_beschermd_wonen_contribution(
    k: Knowledge, huishouden: Huishouden, verwacht_nul: bool
):
    """CAK 'wel of geen eigen bijdrage voor Wmo': also for the partner, except ongehuwden-AOW / scheiding."""
    r = calc.abonnementstarief(k, 2025, huishouden)
    assert r.bedrag == (0 if verwacht_nul else waarde(k, "abonnementstarief", 2025))


def test_under_18_no_abonnementstarief_only_woningaanpassingen(k: Knowledge):
    kind = Huishouden("anders", client=Persoon.geboren_op(D(2012, 5, 1)))
    r = calc.abonnementstarief(k, 2025, kind)
    assert r.bedrag == 0
    assert "woningaanpassing" in r.tekst(k)
    w = calc.abonnementstarief(k, 2025, Huishouden("alleen", client=kind.client), voorziening="woningaanpassing")
    assert w.bedrag == waarde(k, "abonnementstarief", 2025) and w.status == "afgeleid"


def test_turning_18_mid_year_pays_from_the_month_after(k: Knowledge):
    r = calc.abonnementstarief(k, 2025, Huishouden("alleen", client=Persoon.geboren_op(D(2007, 4, 15))))
    assert [t.van.month for t in r.termijnen if t.bedrag] == list(range(5, 13))


def test_peildatum_judges_one_month(k: Knowledge):
    hh = stel(OUD, Persoon.geboren_op(D(1957, 5, 12)))
    assert calc.abonnementstarief(k, 2024, hh, peildatum=D(2024, 5, 20)).bedrag == 0
    juni = calc.abonnementstarief(k, 2024, hh, peildatum=D(2024, 6, 1))
    assert juni.bedrag == waarde(k, "abonnementstarief", 2024) and len(juni.termijnen) == 1


# --------------------------------------------------------------------------- cost-price cap


@pytest.mark.parametrize(
    ("start", "perioden_vol", "rest_centen"),
    [
        (D(2025, 1, 1), 3, 5),  # three full months, then 5 cents in April
        (D(2025, 11, 1), 4, 0),  # across the year change: exactly four payments
        (D(2019, 12, 2), 2, 100),  # 2019 periods, then months in 2020
        (D(2025, 3, 15), 0, 1),  # a start mid-month pays from that month
    ],
)
def test_cost_price_cap_stops_in_the_month_the_kostprijs_is_reached(
    k: Knowledge, start: dt.date, perioden_vol: int, rest_centen: int
):
    """CAK zakelijk Wmo, seed 000/004: never more than the kostprijs for a hulpmiddel or woningaanpassing."""
    # the kostprijs: `perioden_vol` full payments at the table's rates from `start`, plus a rest
    verwacht: list[Decimal] = []
    for van, tot in _perioden_vanaf(k, start, perioden_vol + 1):
        verwacht.append(waarde(k, "abonnementstarief", van.year if van.year == tot.year else tot.year))
    rest = Decimal(rest_centen) / 100
    kostprijs = sum(verwacht[:perioden_vol], Decimal(0)) + rest
    r = calc.kostprijs_schema(k, kostprijs, start)
    bedragen = [t.bedrag for t in r.termijnen]
    assert bedragen == verwacht[:perioden_vol] + ([rest] if rest else [])
    assert sum(bedragen, Decimal(0)) == kostprijs == r.bedrag
    laatste = r.termijnen[-1]
    assert calc.month_year(laatste.van) in r.tekst(k) or "periode" in r.tekst(k)
    assert r.status in ("bevestigd", "afgeleid")


def _perioden_vanaf(k: Knowledge, start: dt.date, aantal: int) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    jaar = start.year
    while len(out) < aantal:
        eenheid = k.cijfer("abonnementstarief", jaar).eenheid
        assert eenheid
        out += [p for p in calc._perioden(jaar, eenheid) if p[1] >= start]
        jaar += 1
    return out[:aantal]


def test_cost_price_cap_uses_a_lower_gemeentelijk_tarief(k: Knowledge):
    tarief = waarde(k, "abonnementstarief", 2025) / 2
    r = calc.kostprijs_schema(k, tarief * 3, D(2025, 1, 1), gemeentelijk_tarief=tarief)
    assert [t.bedrag for t in r.termijnen] == [tarief] * 3


def test_cost_price_cap_into_a_year_without_a_known_tarief_is_unknown(k: Knowledge):
    r = calc.kostprijs_schema(k, waarde(k, "abonnementstarief", 2026) * 24, D(2026, 1, 1))
    assert r.status == "onbekend" and r.bedrag is None
    assert any("2027" in o for o in r.ontbreekt)
    assert sum(t.bedrag or 0 for t in r.termijnen) == 12 * waarde(k, "abonnementstarief", 2026)


def test_cost_price_cap_before_2019_did_not_exist(k: Knowledge):
    assert calc.kostprijs_schema(k, Decimal(100), D(2018, 6, 1)).status == "niet_van_toepassing"


def test_cost_price_zero_pays_nothing(k: Knowledge):
    r = calc.kostprijs_schema(k, Decimal(0), D(2025, 1, 1))
    assert r.bedrag == 0 and r.termijnen == []


# --------------------------------------------------------------------------- bijdrageplichtig inkomen, LEB, HEB


@pytest.mark.parametrize("jaar", JAREN)
def test_bijdrageplichtig_inkomen_adds_the_years_vermogensinkomensbijtelling(k: Knowledge, jaar: int):
    """CAK: verzamelinkomen t-2 + VIB% (8% until 2018, 4% from 2019) x grondslag sparen en beleggen."""
    r = calc.bijdrageplichtig_inkomen(k, Decimal(20000), Decimal(50000), jaar, onder_aow_leeftijd=False)
    vib = waarde(k, "vermogensinkomensbijtelling", jaar)
    assert r.bedrag == Decimal(20000) + Decimal(50000) * vib / 100
    assert r.eenheid == "per_jaar"
    assert str(jaar - 2) in r.tekst(k)  # the peiljaar


@pytest.mark.parametrize("jaar", JAREN)
def test_korting_niet_pensioengerechtigde_leeftijd_or_unknown(k: Knowledge, jaar: int):
    korting = k.cijfer("korting_niet_pensioengerechtigde_leeftijd", jaar)
    vib = waarde(k, "vermogensinkomensbijtelling", jaar)
    r = calc.bijdrageplichtig_inkomen(
        k,
        Decimal(30000),
        Decimal(1000),
        jaar,
        onder_aow_leeftijd=True,
        met_partner=True,
        partner_onder_aow_leeftijd=True,
    )
    if korting.bekend:
        assert isinstance(korting.waarde, Decimal)
        assert r.bedrag == Decimal(30000) + Decimal(1000) * vib / 100 - 2 * korting.waarde
    else:
        assert r.bedrag is None and r.status == "onbekend"
        assert any("korting niet-pensioengerechtigde leeftijd" in o for o in r.ontbreekt)


def test_unknown_whether_below_aow_age_is_asked_not_guessed(k: Knowledge):
    r = calc.bijdrageplichtig_inkomen(k, Decimal(30000), Decimal(0), 2022)
    assert r.bedrag is None and any("AOW-leeftijd" in o for o in r.ontbreekt)


def test_vermogen_instead_of_grondslag_subtracts_the_heffingsvrij_vermogen_of_the_peiljaar(k: Knowledge):
    hvv = waarde(k, "heffingsvrij_vermogen_alleenstaand", 2020)
    r = calc.bijdrageplichtig_inkomen(
        k, Decimal(10000), None, 2022, onder_aow_leeftijd=False, vermogen_t2=hvv + Decimal(1000)
    )
    assert r.bedrag == Decimal(10000) + Decimal(1000) * waarde(k, "vermogensinkomensbijtelling", 2022) / 100
    assert r.status == "afgeleid"


def leb_jaren(k: Knowledge) -> list[int]:
    return [
        j
        for j in JAREN
        if k.cijfer("lage_eigen_bijdrage_minimum", j).bekend and k.cijfer("lage_eigen_bijdrage_maximum", j).bekend
    ]


def inkomen_voor(k: Knowledge, jaar: int, maandbedrag: Decimal) -> Decimal:
    """The bijdrageplichtig inkomen that gives `maandbedrag` by the LEB formula (no wealth, past AOW age)."""
    return maandbedrag * 12 * 100 / waarde(k, "lage_eigen_bijdrage_percentage", jaar)


@pytest.mark.parametrize("positie", ["onder", "midden", "boven"])
@pytest.mark.parametrize("jaar", JAREN)
def test_lage_eigen_bijdrage_is_percentage_of_income_within_the_years_bounds(k: Knowledge, jaar: int, positie: str):
    """CAK: LEB = LEB% x bijdrageplichtig inkomen / 12, bounded by the year's minimum and maximum."""
    lo_cw = k.cijfer("lage_eigen_bijdrage_minimum", jaar)
    hi_cw = k.cijfer("lage_eigen_bijdrage_maximum", jaar)
    lo = lo_cw.waarde if isinstance(lo_cw.waarde, Decimal) else None
    hi = hi_cw.waarde if isinstance(hi_cw.waarde, Decimal) else None
    doel = {"onder": Decimal(50), "midden": Decimal(500), "boven": Decimal(5000)}[positie]
    r = calc.lage_eigen_bijdrage(k, inkomen_voor(k, jaar, doel), Decimal(0), jaar, onder_aow_leeftijd=False)
    if lo is not None and hi is not None:
        assert r.bedrag == round_cents(min(max(doel, lo), hi))
        assert r.status == "bevestigd" and r.eenheid == "per_maand"
    elif positie == "boven" and hi is not None:
        assert r.bedrag == hi  # the known maximum decides on its own
    elif positie == "onder" and lo is not None:
        assert r.bedrag == lo
    else:
        assert r.bedrag is None and r.status == "onbekend"
        for naam, cw in (("minimum", lo_cw), ("maximum", hi_cw)):
            if not cw.bekend:
                assert f"het {naam} van de lage eigen bijdrage in {jaar}" in r.ontbreekt
        andere = {money(waarde(k, "lage_eigen_bijdrage_minimum", j)) for j in leb_jaren(k)}
        assert not any(a in r.tekst(k) for a in andere - ({money(lo)} if lo else set()))


def test_lage_eigen_bijdrage_2024_is_unknown_and_names_both_bounds(k: Knowledge):
    r = calc.lage_eigen_bijdrage(k, Decimal(24000), Decimal(10000), 2024, onder_aow_leeftijd=False)
    assert r.status == "onbekend" and r.bedrag is None
    assert r.ontbreekt == [
        "het minimum van de lage eigen bijdrage in 2024",
        "het maximum van de lage eigen bijdrage in 2024",
    ]
    assert k.bronnen["cak-rekenhulp"].kort() in r.tekst(k)


@pytest.mark.parametrize("jaar", JAREN)
def test_hoge_eigen_bijdrage_is_incomplete_and_gives_the_known_cap(k: Knowledge, jaar: int):
    """reference §3.1/§7.9: the HEB formula is NOT FOUND in parts; only the cap and €0 are known."""
    r = calc.hoge_eigen_bijdrage(k, jaar)
    assert r.status == "onbekend" and r.bedrag is None
    assert any("hoge eigen bijdrage" in o for o in r.ontbreekt)
    assert k.bronnen["cak-rekenhulp"].kort() in r.tekst(k)
    maximum = k.cijfer("hoge_eigen_bijdrage_maximum", jaar)
    if isinstance(maximum.waarde, Decimal):
        assert money(maximum.waarde, "per_maand") in r.tekst(k)
    else:
        assert f"het maximum van de hoge eigen bijdrage in {jaar}" in r.ontbreekt


# --------------------------------------------------------------------------- LEB/HEB timeline


def soorten(r: calc.Resultaat) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive rows of one kind taken together."""
    out: list[tuple[dt.date, dt.date, str]] = []
    for t in r.termijnen:
        if out and out[-1][2] == t.soort:
            out[-1] = (out[-1][0], t.tot, t.soort)
        else:
            out.append((t.van, t.tot, t.soort))
    return out


@pytest.mark.parametrize(
    ("start", "status"),
    [
        (D(2025, 3, 1), "bevestigd"),
        (D(2025, 3, 15), "afgeleid"),  # mid-month: our counting
        (D(2025, 1, 31), "afgeleid"),
        (D(2019, 1, 1), "bevestigd"),  # first day of the 4-month rule
        (D(2018, 12, 31), "afgeleid"),  # last day of the 6-month rule (and it runs into 2019)
        (D(2018, 7, 1), "afgeleid"),  # 6 months until 31 December 2018, rule changed next year
        (D(2017, 3, 1), "bevestigd"),
    ],
)
def test_first_months_of_a_stay_lage_then_hoge_eigen_bijdrage(k: Knowledge, start: dt.date, status: str):
    """CAK via VGN 19-12-2018: first 6 months LEB until 2018, first 4 from 2019; then HEB."""
    n = k.cijfer("lage_eigen_bijdrage_maanden", start.year).waarde
    assert isinstance(n, int)
    r = calc.verblijf_tijdlijn(k, start)
    leb_eind = calc._plus_maanden(start, n) - dt.timedelta(days=1)
    assert soorten(r)[0] == (start, leb_eind, "LEB")
    assert soorten(r)[1][0:3:2] == (leb_eind + dt.timedelta(days=1), "HEB")
    assert r.status == status
    assert r.bedrag is None and r.ontbreekt == []


def test_the_rule_of_the_year_the_stay_starts_decides_the_number_of_months(k: Knowledge):
    voor = calc.verblijf_tijdlijn(k, D(2018, 12, 1))
    na = calc.verblijf_tijdlijn(k, D(2019, 1, 1))
    n18, n19 = (k.cijfer("lage_eigen_bijdrage_maanden", j).waarde for j in (2018, 2019))
    assert soorten(voor)[0][1] == calc._plus_maanden(D(2018, 12, 1), n18) - dt.timedelta(days=1)  # type: ignore[arg-type]
    assert soorten(na)[0][1] == calc._plus_maanden(D(2019, 1, 1), n19) - dt.timedelta(days=1)  # type: ignore[arg-type]
    assert "2019" in voor.tekst(k) and "afgeleid" in voor.tekst(k)


def test_timeline_rows_stay_inside_one_calendar_month(k: Knowledge):
    r = calc.verblijf_tijdlijn(k, D(2025, 3, 15), D(2026, 2, 10))
    for t in r.termijnen:
        assert (t.van.year, t.van.month) == (t.tot.year, t.tot.month)
    assert r.termijnen[0].van == D(2025, 3, 15) and r.termijnen[-1].tot == D(2026, 2, 10)
    juli = [t for t in r.termijnen if t.van.month == 7 and t.van.year == 2025]
    assert [(t.van.day, t.tot.day, t.soort) for t in juli] == [(1, 14, "LEB"), (15, 31, "HEB")]


@pytest.mark.parametrize(
    ("uitzondering", "afgeleid"),
    [("partner_thuis", False), ("kind_onder_27", True)],
)
def test_exceptions_keep_the_lage_eigen_bijdrage(k: Knowledge, uitzondering: str, afgeleid: bool):
    """Consumentenbond: partner at home, or paying for a child under 27 (age rule unclear, §7.3)."""
    r = calc.verblijf_tijdlijn(k, D(2025, 1, 1), D(2025, 12, 31), **{uitzondering: True})
    assert {t.soort for t in r.termijnen} == {"LEB"}
    assert (r.status == "afgeleid") is afgeleid


@pytest.mark.parametrize("eind", [D(2019, 12, 31), D(2025, 12, 31), D(2025, 10, 15)])
def test_terugkeer_naar_zelfstandig_wonen_gives_the_last_months_lage_eigen_bijdrage(k: Knowledge, eind: dt.date):
    start = D(eind.year - 1, 1, 1)
    n = k.cijfer("terugkeer_zelfstandig_wonen_maanden", eind.year).waarde
    assert isinstance(n, int)
    r = calc.verblijf_tijdlijn(k, start, eind, terugkeer_zelfstandig_wonen=True)
    laatste = soorten(r)[-1]
    assert laatste == (calc._plus_maanden(eind + dt.timedelta(days=1), -n), eind, "LEB")
    assert soorten(r)[-2][2] == "HEB"


def test_short_stay_with_terugkeer_is_lage_eigen_bijdrage_throughout(k: Knowledge):
    r = calc.verblijf_tijdlijn(k, D(2025, 1, 1), D(2025, 6, 30), terugkeer_zelfstandig_wonen=True)
    assert {t.soort for t in r.termijnen} == {"LEB"}


def test_partners_both_admitted_pay_one_contribution(k: Knowledge):
    r = calc.verblijf_tijdlijn(k, D(2025, 1, 1), partner_ook_opgenomen=True)
    assert "samen één eigen bijdrage" in r.tekst(k)
    assert soorten(r)[-1][2] == "HEB"  # a partner in an instelling is not a partner at home


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "melding"),
    [
        ({"soort": "lage_eigen_bijdrage", "jaar": 2025, "verzamelinkomen": -1}, "negatief"),
        ({"soort": "abonnementstarief", "jaar": 2025, "kosten": [-5]}, "negatief"),
        ({"soort": "kostprijs", "kostprijs": "-100", "start": "2025-01-01"}, "negatief"),
        ({"soort": "abonnementstarief", "jaar": 2031}, "2031"),
        ({"soort": "abonnementstarief", "jaar": 2012}, "2012"),
        ({"soort": "abonnementstarief", "jaar": "volgend jaar"}, "jaartal"),
        ({"soort": "abonnementstarief", "jaar": 2025, "leeftijd": -1}, "kan niet kloppen"),
        ({"soort": "abonnementstarief", "jaar": 2025, "leeftijd": 131}, "kan niet kloppen"),
        ({"soort": "abonnementstarief", "jaar": 2025, "leeftijd": "zeventig"}, "hele jaren"),
        ({"soort": "tijdlijn", "start": "2025-02-31"}, "bestaat niet"),
        ({"soort": "tijdlijn", "start": "31 februari 2025"}, "bestaat niet"),
        ({"soort": "abonnementstarief", "jaar": 2025, "geboortedatum": "2023-02-29"}, "bestaat niet"),
        ({"soort": "lage_eigen_bijdrage", "jaar": 2025, "verzamelinkomen": "veel"}, "verwacht ik een bedrag"),
        ({"soort": "kostprijs", "kostprijs": True, "start": "2025-01"}, "verwacht ik een bedrag"),
        ({"soort": "abonnementstarief", "jaar": 2025, "huishouden": "groot"}, "ken ik niet"),
        ({"soort": "abonnementstarief", "jaar": 2025, "leeftyd": 70}, "Onbekend veld 'leeftyd'"),
        ({"soort": "verzin"}, "Onbekende soort"),
        ({"soort": "tijdlijn", "start": "2025-05-01", "eind": "2025-04-01"}, "vóór de begindatum"),
        ({"soort": "lage_eigen_bijdrage", "verzamelinkomen": 1}, "'jaar' ontbreekt"),
        ({"soort": "tijdlijn", "start": "2025-05-01", "partner_thuis": "ja"}, "true of false"),
    ],
)
def test_bad_input_gives_a_clear_dutch_message(k: Knowledge, data: dict, melding: str):
    uit = calc.bereken_json(data, k)
    assert set(uit) == {"fout"}, uit
    assert melding in uit["fout"]


def test_invoerfout_is_a_value_error_with_a_dutch_message(k: Knowledge):
    with pytest.raises(ValueError, match="negatief"):
        calc.lage_eigen_bijdrage(k, Decimal(-1), Decimal(0), 2025, onder_aow_leeftijd=False)
    with pytest.raises(InvoerFout, match="2031"):
        calc.hoge_eigen_bijdrage(k, 2031)
    with pytest.raises(InvoerFout, match="kan niet kloppen"):
        Persoon.met_leeftijd(140)


def test_bereken_json_rejects_what_is_not_an_object(k: Knowledge):
    assert "fout" in calc.bereken_json([1, 2], k)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- JSON contract and text


def test_json_contract_for_the_abonnementstarief(k: Knowledge):
    uit = calc.bereken_json({"soort": "abonnementstarief", "jaar": 2024, "leeftijd": 72, "huishouden": "alleen"}, k)
    at = k.cijfer("abonnementstarief", 2024)
    assert isinstance(at.waarde, Decimal)
    assert uit["bedrag"] == str(round_cents(at.waarde))
    assert uit["bedrag_tekst"] == money(at.waarde, at.eenheid)
    assert (uit["eenheid"], uit["status"], uit["ontbreekt"]) == (at.eenheid, "bevestigd", [])
    assert all(isinstance(s, str) for s in uit["stappen"]) and uit["stappen"]
    cijfer = next(c for c in uit["cijfers"] if c["sleutel"] == "abonnementstarief")
    assert cijfer == {
        "sleutel": "abonnementstarief",
        "jaar": 2024,
        "waarde": str(at.waarde),
        "status": at.status,
        "bronnen": [k.bronnen[b].url or k.bronnen[b].titel for b in at.bronnen],
    }
    assert len(uit["termijnen"]) == 12
    assert uit["tekst"].startswith("Abonnementstarief Wmo 2024")


def test_json_contract_unknown_is_null_with_what_is_missing(k: Knowledge):
    uit = calc.bereken_json(
        {
            "soort": "lage_eigen_bijdrage",
            "jaar": 2024,
            "verzamelinkomen": 24000,
            "grondslag_sparen_beleggen": 10000,
            "onder_aow_leeftijd": False,
        },
        k,
    )
    assert uit["bedrag"] is None and uit["bedrag_tekst"] is None and uit["status"] == "onbekend"
    assert len(uit["ontbreekt"]) == 2


@pytest.mark.parametrize(
    "data",
    [
        {
            "soort": "abonnementstarief",
            "jaar": 2024,
            "geboortedatum": "1950-01-01",
            "partner_geboortejaar": 1957,
            "huishouden": "partner",
            "kosten": ["12,50", 3],
        },
        {
            "soort": "abonnementstarief",
            "peildatum": "1 juni 2024",
            "huishouden": "partner",
            "leeftijd": "70",
            "partner_leeftijd": 60,
        },
        {"soort": "kostprijs", "kostprijs": "1.234,56", "start": "2025-03"},
        {"soort": "bijdrageplichtig_inkomen", "jaar": 2022, "inkomen": 20000, "spaargeld": 80000, "leeftijd": 40},
        {
            "soort": "lage_eigen_bijdrage",
            "jaar": 2025,
            "verzamelinkomen": 24000,
            "grondslag_sparen_beleggen": 10000,
            "leeftijd": 80,
        },
        {"soort": "hoge_eigen_bijdrage", "jaar": 2026},
        {"soort": "tijdlijn", "start": "2025-03-15", "eind": "2026-06-30", "terugkeer_zelfstandig_wonen": True},
    ],
)
def test_json_contract_every_kind_answers_with_the_documented_keys(k: Knowledge, data: dict):
    uit = calc.bereken_json(data, k)
    assert set(uit) == {
        "bedrag",
        "bedrag_tekst",
        "eenheid",
        "status",
        "stappen",
        "cijfers",
        "ontbreekt",
        "termijnen",
        "tekst",
    }, uit
    assert uit["status"] in ("bevestigd", "afgeleid", "onbekend", "niet_van_toepassing", "gepland")
    for c in uit["cijfers"]:
        assert set(c) == {"sleutel", "jaar", "waarde", "status", "bronnen"}


def test_json_derives_below_aow_age_from_a_whole_year_age(k: Knowledge):
    jong = calc.bereken_json(
        {"soort": "bijdrageplichtig_inkomen", "jaar": 2022, "verzamelinkomen": 30000, "leeftijd": 30}, k
    )
    korting = waarde(k, "korting_niet_pensioengerechtigde_leeftijd", 2022)
    assert Decimal(jong["bedrag"]) == 30000 - korting
    oud = calc.bereken_json(
        {"soort": "bijdrageplichtig_inkomen", "jaar": 2022, "verzamelinkomen": 30000, "leeftijd": 95}, k
    )
    assert Decimal(oud["bedrag"]) == 30000


def test_text_ends_with_the_sources_of_the_figures_used(k: Knowledge):
    r = calc.lage_eigen_bijdrage(k, Decimal(24000), Decimal(10000), 2025, onder_aow_leeftijd=False)
    tekst = r.tekst(k)
    bronnen_deel = tekst.split("Bronnen:")[1]
    for cw in r.cijfers:
        for b in cw.bronnen:
            assert k.bronnen[b].kort() in bronnen_deel
    assert money(r.bedrag or 0, "per_maand") in tekst
    assert tekst.rstrip().splitlines()[-1].startswith("- ")


def test_derived_steps_are_marked_in_the_text(k: Knowledge):
    r = calc.verblijf_tijdlijn(k, D(2025, 3, 15))
    assert "(afgeleid, niet officieel)" in r.tekst(k)
    assert "15 maart 2025 tot en met 14 juli 2025: lage eigen bijdrage" in r.tekst(k)


# --------------------------------------------------------------------------- facts from a message

VANDAAG = D(2026, 3, 1)


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        (
            "Ik ben 72 en woon alleen, wat betaal ik in 2024 voor huishoudelijke hulp?",
            {"leeftijd": 72, "jaar": 2024, "huishouden": "alleen", "zorg": "wmo"},
        ),
        (
            "ik ben geboren in 1950, mijn man is 64. We zijn getrouwd.",
            {"geboortejaar": 1950, "partner_leeftijd": 64, "huishouden": "partner"},
        ),
        (
            "Mijn vrouw is geboren op 29 februari 1960 en ik ben 70 jaar oud",
            {
                "partner_geboortedatum": D(1960, 2, 29),
                "partner_geboortejaar": 1960,
                "leeftijd": 70,
                "huishouden": "partner",
            },
        ),
        (
            "Ik woon samen met mijn partner en heb een scootmobiel",
            {"huishouden": "partner", "zorg": "wmo", "voorziening": "hulpmiddel"},
        ),
        ("samenwonend, rolstoel nodig", {"huishouden": "partner", "zorg": "wmo", "voorziening": "hulpmiddel"}),
        (
            "Mijn moeder gaat naar een verpleeghuis, inkomen 24.000 en spaargeld € 50.000",
            {"zorg": "intramuraal", "inkomen": Decimal(24000), "spaargeld": Decimal(50000)},
        ),
        ("Wat kost beschermd wonen vorig jaar?", {"zorg": "intramuraal", "jaar": 2025}),
        ("eigen bijdrage wlz in 2019", {"zorg": "intramuraal", "jaar": 2019}),
        ("inkomen van 2000 euro per maand", {"inkomen": Decimal(2000)}),
        ("Hallo, wie ben jij?", {}),
    ],
)
def test_extract_feiten_returns_only_what_is_present(tekst: str, verwacht: dict):
    assert calc.extract_feiten(tekst, today=VANDAAG) == verwacht


def test_extract_feiten_rejects_a_birth_date_that_does_not_exist():
    with pytest.raises(InvoerFout, match="bestaat niet"):
        calc.extract_feiten("ik ben geboren op 31 februari 1950", today=VANDAAG)
