"""`python -m bot tickets ...`: the service desk's view on the meldingen (bot/tickets.py).

    python -m bot tickets lijst [--webhook pending|sent|failed|disabled] [--aantal 20]
    python -m bot tickets toon BW-ABC-DEF
    python -m bot tickets opnieuw-versturen      # failed, and pending ones left behind
    python -m bot tickets valideer               # knowledge/triage.yml
    python -m bot tickets opschonen --dagen 365  # delete old meldingen (bewaartermijn)

The database is BW_DATABASE_URL (default tickets.db in the project folder) or --database.
Exit codes: 0 in orde, 1 not found / not everything sent / invalid rules, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta

from bot import tickets

try:
    from zoneinfo import ZoneInfo

    _TZ: ZoneInfo | None = ZoneInfo("Europe/Amsterdam")
except Exception:  # noqa: BLE001 - no tz data: show UTC
    _TZ = None


def _when(dt: datetime | None) -> str:
    if dt is None:
        return "-"
    return (dt.astimezone(_TZ) if _TZ else dt).strftime("%d-%m-%Y %H:%M")


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _lijst(st: tickets.TicketStore, args: argparse.Namespace) -> int:
    found = st.find(webhook_status=args.webhook, status=args.status, limit=args.aantal)
    if not found:
        print("Geen meldingen.")
        return 0
    print(
        f"{'nummer':<11} {'aangemaakt':<16} {'categorie':<18} {'behandelaar':<13} {'urgentie':<8} "
        f"{'webhook':<8} samenvatting"
    )
    for t in found:
        print(
            f"{t.id:<11} {_when(t.created):<16} {t.category:<18} {t.handler:<13} {t.urgency:<8} "
            f"{t.webhook_status:<8} {_short(t.summary, 70)}"
        )
    return 0


def _toon(st: tickets.TicketStore, args: argparse.Namespace) -> int:
    try:
        t = st.get(args.nummer)
    except tickets.TicketNotFound:
        print(f"Melding {args.nummer} bestaat niet.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(t.to_dict(), ensure_ascii=False, indent=2))
        return 0
    regels = tickets.load_triage()
    h = regels.behandelaars.get(t.handler)
    print(f"Melding {t.id} ({t.status}), aangemaakt {_when(t.created)}")
    print(f"Aanleiding:   {t.aanleiding}")
    print(
        f"Kanaal:       {tickets.CHANNEL_NAMES.get(t.channel or '', t.channel or '-')} "
        f"({t.audience}); afzender-id: {t.caller or '-'}"
    )
    print(f"Categorie:    {regels.categorie_titel(t.category)}")
    print(f"Behandelaar:  {h.naam if h else t.handler}: {t.handler_reason}")
    urg = f" ({', '.join(t.urgency_reasons)})" if t.urgency_reasons else ""
    print(f"Urgentie:     {t.urgency}{urg}; reactietijd {t.reactietijd_werkdagen} werkdag(en) (eigen servicebelofte)")
    err = f", laatste fout: {t.webhook_error}" if t.webhook_error else ""
    print(f"Webhook:      {t.webhook_status}, {t.webhook_attempts} poging(en){err}")
    print(f"Samenvatting: {t.summary}")
    if t.facts:
        print("Gegevens:")
        for k, v in t.facts.items():
            print(f"  {k}: {v}")
    print("Gesprek:")
    for m in t.transcript:
        wie = "Gebruiker" if m.get("rol") == "gebruiker" else "Assistent"
        print(f"  {wie}: {m.get('tekst', '')}")
    return 0


def _opnieuw(st: tickets.TicketStore, args: argparse.Namespace) -> int:
    if not tickets.webhook_url():
        print("BW_TICKET_WEBHOOK_URL is niet gezet: er is niets om naartoe te sturen.", file=sys.stderr)
        return 1
    result = tickets.retry_pending(ticket_store=st, pending_grace=timedelta(minutes=args.wacht_minuten))
    for tid in result.sent:
        print(f"verstuurd: {tid}")
    for tid in result.failed:
        print(f"mislukt:   {tid} ({st.get(tid).webhook_error})")
    if not result.sent and not result.failed:
        print("Niets te versturen.")
    return 1 if result.failed else 0


def _valideer(_: tickets.TicketStore | None, args: argparse.Namespace) -> int:
    problems = tickets.validate_triage()
    if problems:
        print(f"{len(problems)} fout(en) in knowledge/triage.yml:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    regels = tickets.load_triage()
    print(
        f"knowledge/triage.yml is in orde: {len(regels.categorieen)} categorieën, "
        f"{len(regels.doorverwijzingen)} doorverwijzingen, {len(regels.voorbeelden)} voorbeelden kloppen."
    )
    return 0


def _opschonen(st: tickets.TicketStore, args: argparse.Namespace) -> int:
    n = st.purge(timedelta(days=args.dagen))
    print(f"{n} melding(en) ouder dan {args.dagen} dagen verwijderd.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot tickets", description="Meldingen voor de servicedesk")
    parser.add_argument("--database", help="database-URL (standaard BW_DATABASE_URL of tickets.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lijst", help="de laatste meldingen")
    p.add_argument("--webhook", choices=tickets.WEBHOOK_STATUSES, help="alleen met deze webhook-status")
    p.add_argument("--status", help="alleen met deze status (bijvoorbeeld nieuw)")
    p.add_argument("--aantal", type=int, default=50)
    p = sub.add_parser("toon", help="een melding met het hele gesprek")
    p.add_argument("nummer")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("opnieuw-versturen", help="stuur mislukte en blijven liggende meldingen opnieuw")
    p.add_argument("--wacht-minuten", type=float, default=5, help="pending meldingen pas na zoveel minuten")
    sub.add_parser("valideer", help="controleer knowledge/triage.yml")
    p = sub.add_parser("opschonen", help="verwijder meldingen ouder dan --dagen")
    p.add_argument("--dagen", type=int, required=True)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)

    if args.command == "valideer":
        return _valideer(None, args)
    try:
        st = tickets.store(args.database)
    except Exception as exc:  # noqa: BLE001 - a clear message instead of a stack trace
        print(f"Kan de database niet openen: {exc}", file=sys.stderr)
        return 1
    handlers = {"lijst": _lijst, "toon": _toon, "opnieuw-versturen": _opnieuw, "opschonen": _opschonen}
    return handlers[args.command](st, args)


if __name__ == "__main__":
    sys.exit(main())
