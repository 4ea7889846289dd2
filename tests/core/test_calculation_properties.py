"""Invariants of bot.calculation, checked with hypothesis over many inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import calculation as calc
from bot.calculation import Huishouden, Persoon
from bot.knowledge import Knowledge

JAREN = range(calc.JAAR_MIN, calc.JAAR_MAX + 1)
AT_JAREN = range(2019, 2027)  # years the abonnementstarief can exist; the tests check the table per year

geld = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False)
klein_geld = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
geboortedatums = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2015, 12, 31))
personen = st.one_of(
    st.none(),
    geboortedatums.map(Persoon.geboren_op),
    st.integers(0, 100).map(lambda n: Persoon.met_leeftijd(n, dt.date(2026, 1, 1))),
    st.integers(1930, 2015).map(Persoon.geboren_in),
)
huishoudens = st.builds(
    Huishouden,
    soort=st.sampled_from(["partner", "anders", None]),
    client=personen,
    partner=personen,
    client_wlz_of_bw=st.booleans(),
    partner_wlz_of_bw=st.booleans(),
    partner_uitzondering=st.booleans(),
) | st.builds(Huishouden, soort=st.just("alleen"), client=personen)


def grenzen(k: Knowledge, jaar: int) -> tuple[Decimal, Decimal] | None:
    lo, hi = (k.cijfer(f"lage_eigen_bijdrage_{naam}", jaar).waarde for naam in ("minimum", "maximum"))
    return (lo, hi) if isinstance(lo, Decimal) and isinstance(hi, Decimal) else None


@settings(max_examples=300, deadline=None)
@given(jaar=st.sampled_from(JAREN), a=geld, b=geld, grondslag=geld)
def test_lage_eigen_bijdrage_never_decreases_when_income_rises(
    cijfer_kennis: Knowledge, jaar: int, a: Decimal, b: Decimal, grondslag: Decimal
):
    laag, hoog = sorted((a, b))
    r1 = calc.lage_eigen_bijdrage(cijfer_kennis, laag, grondslag, jaar, onder_aow_leeftijd=False)
    r2 = calc.lage_eigen_bijdrage(cijfer_kennis, hoog, grondslag, jaar, onder_aow_leeftijd=False)
    if r1.bedrag is not None and r2.bedrag is not None:
        assert r1.bedrag <= r2.bedrag
    # more wealth never lowers it either
    r3 = calc.lage_eigen_bijdrage(cijfer_kennis, laag, grondslag + 1000, jaar, onder_aow_leeftijd=False)
    if r1.bedrag is not None and r3.bedrag is not None:
        assert r1.bedrag <= r3.bedrag


@settings(max_examples=300, deadline=None)
@given(
    jaar=st.sampled_from(JAREN),
    inkomen=geld,
    grondslag=geld,
    onder_aow=st.booleans(),
    met_partner=st.booleans(),
)
def test_lage_eigen_bijdrage_always_lies_within_the_years_bounds(
    cijfer_kennis: Knowledge, jaar: int, inkomen: Decimal, grondslag: Decimal, onder_aow: bool, met_partner: bool
):
    r = calc.lage_eigen_bijdrage(
        cijfer_kennis,
        inkomen,
        grondslag,
        jaar,
        onder_aow_leeftijd=onder_aow,
        met_partner=met_partner,
        partner_onder_aow_leeftijd=onder_aow,
    )
    bounds = grenzen(cijfer_kennis, jaar)
    if bounds is not None and (
        not onder_aow or cijfer_kennis.cijfer("korting_niet_pensioengerechtigde_leeftijd", jaar).bekend
    ):
        assert r.bedrag is not None
    if r.bedrag is not None:
        lo, hi = (cijfer_kennis.cijfer(f"lage_eigen_bijdrage_{n}", jaar).waarde for n in ("minimum", "maximum"))
        assert isinstance(lo, Decimal) or isinstance(hi, Decimal)  # never a figure from nowhere
        if isinstance(lo, Decimal):
            assert r.bedrag >= lo
        if isinstance(hi, Decimal):
            assert r.bedrag <= hi
    else:
        assert r.status == "onbekend" and r.ontbreekt


@settings(max_examples=400, deadline=None)
@given(
    jaar=st.sampled_from(AT_JAREN),
    huishouden=huishoudens,
    kosten=st.none() | st.lists(klein_geld, max_size=6),
    tarief=st.none() | klein_geld,
    peildag=st.none() | st.integers(0, 364),
)
def test_a_household_never_pays_the_abonnementstarief_twice(
    cijfer_kennis: Knowledge,
    jaar: int,
    huishouden: Huishouden,
    kosten: list[Decimal] | None,
    tarief: Decimal | None,
    peildag: int | None,
):
    at = cijfer_kennis.cijfer("abonnementstarief", jaar)
    assert isinstance(at.waarde, Decimal)
    peildatum = (
        None if peildag is None else min(dt.date(jaar, 1, 1) + dt.timedelta(days=peildag), dt.date(jaar, 12, 28))
    )
    r = calc.abonnementstarief(
        cijfer_kennis, jaar, huishouden, peildatum=peildatum, kosten=kosten, gemeentelijk_tarief=tarief
    )
    for t in r.termijnen:
        assert t.bedrag is None or 0 <= t.bedrag <= at.waarde
        if kosten:
            assert t.bedrag is None or t.bedrag <= sum(kosten)
    if r.bedrag is not None:
        assert 0 <= r.bedrag <= at.waarde
    else:
        assert r.status == "onbekend" and r.ontbreekt
    assert sum((t.bedrag or 0 for t in r.termijnen), Decimal(0)) <= len(r.termijnen) * at.waarde


@settings(max_examples=300, deadline=None)
@given(
    kostprijs=st.decimals(min_value=0, max_value=3000, places=2, allow_nan=False, allow_infinity=False),
    start=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 12, 31)),
    tarief=st.none() | st.decimals(min_value=1, max_value=30, places=2),
)
def test_the_cost_price_cap_is_never_exceeded(
    cijfer_kennis: Knowledge, kostprijs: Decimal, start: dt.date, tarief: Decimal | None
):
    r = calc.kostprijs_schema(cijfer_kennis, kostprijs, start, gemeentelijk_tarief=tarief)
    betaald = [t.bedrag for t in r.termijnen]
    assert all(b is not None and b > 0 for b in betaald)
    totaal = sum((b or 0 for b in betaald), Decimal(0))
    assert totaal <= kostprijs
    for t in r.termijnen:
        at = cijfer_kennis.cijfer("abonnementstarief", t.tot.year if t.van.year < t.tot.year else t.van.year)
        assert isinstance(at.waarde, Decimal) and t.bedrag is not None and t.bedrag <= at.waarde
    if r.status == "onbekend":
        assert r.bedrag is None and r.ontbreekt
    else:
        assert r.bedrag == totaal == kostprijs
        # payments stop in the month the kostprijs is reached: every earlier payment was a full one
        assert all(
            b == min(tarief or Decimal("Infinity"), cijfer_kennis.cijfer("abonnementstarief", t.tot.year).waarde)  # type: ignore[type-var]
            for t, b in zip(r.termijnen[:-1], betaald[:-1], strict=True)
        )


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2013, 1, 1), max_value=dt.date(2029, 12, 31)),
    duur=st.none() | st.integers(0, 900),
    partner_thuis=st.booleans(),
    terugkeer=st.booleans(),
)
def test_timeline_covers_every_day_once_with_lage_first(
    cijfer_kennis: Knowledge, start: dt.date, duur: int | None, partner_thuis: bool, terugkeer: bool
):
    eind = None if duur is None else min(start + dt.timedelta(days=duur), dt.date(2030, 12, 31))
    r = calc.verblijf_tijdlijn(
        cijfer_kennis,
        start,
        eind,
        partner_thuis=partner_thuis,
        terugkeer_zelfstandig_wonen=terugkeer and eind is not None,
    )
    assert r.termijnen[0].van == start and r.termijnen[0].soort == "LEB"
    for a, b in zip(r.termijnen, r.termijnen[1:], strict=False):
        assert b.van - a.tot == dt.timedelta(days=1)
    for t in r.termijnen:
        assert t.van <= t.tot and (t.van.year, t.van.month) == (t.tot.year, t.tot.month)
    if eind is not None:
        assert r.termijnen[-1].tot == eind
    if partner_thuis:
        assert {t.soort for t in r.termijnen} == {"LEB"}


@settings(max_examples=300, deadline=None)
@given(leeftijd=st.integers(0, 120), op=st.dates(min_value=dt.date(2013, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_an_age_in_whole_years_is_exactly_the_range_of_birth_dates(leeftijd: int, op: dt.date):
    p = Persoon.met_leeftijd(leeftijd, op)
    een = dt.timedelta(days=1)
    assert calc.leeftijd_op(p.vroegst, op) == leeftijd == calc.leeftijd_op(p.laatst, op)
    assert calc.leeftijd_op(p.vroegst - een, op) == leeftijd + 1
    assert calc.leeftijd_op(p.laatst + een, op) == leeftijd - 1
