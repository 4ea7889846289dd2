"""Command line: `python -m bot <command>` (see README, "Commando's")."""

from __future__ import annotations

import argparse
import json
import sys

from bot import knowledge


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tickets"]:  # the service desk's own command, with its own options
        from bot import tickets_cli

        return tickets_cli.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bot", description="BW-assistent: inhoud en berekening")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("valideer", help="controleer knowledge/ (bestand en regel bij elke fout)")
    b = sub.add_parser("build", help="genereer de trainingsdata in data/ en domain/ uit knowledge/")
    b.add_argument("--check", action="store_true", help="alleen controleren of de gegenereerde bestanden actueel zijn")
    a = sub.add_parser("antwoord", help="toon het antwoord op een onderwerp")
    a.add_argument("onderwerp")
    a.add_argument("--jaar", type=int)
    a.add_argument("--gemeente")
    a.add_argument("--doelgroep", choices=["burger", "medewerker"], default="burger")
    sub.add_parser("bereken", help="bereken een eigen bijdrage: JSON op stdin, JSON op stdout")
    sub.add_parser("tickets", help="meldingen voor de servicedesk: lijst, toon ID, opnieuw-versturen")
    sub.add_parser("spacy-model", help="bouw de Nederlandse spaCy-pijplijn in .spacy/nl")
    args = parser.parse_args(argv)

    if args.command == "spacy-model":
        from bot import spacy_model

        print(f"spaCy-pijplijn: {spacy_model.build()}")
        return 0

    if args.command == "bereken":
        from bot import calculation

        try:
            data = json.load(sys.stdin)
        except json.JSONDecodeError as exc:
            print(json.dumps({"fout": f"Geen geldige JSON: {exc.msg} (regel {exc.lineno})"}, ensure_ascii=False))
            return 2
        result = calculation.bereken_json(data)
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 2 if "fout" in result else 0

    problems = knowledge.validate()
    if problems:
        print(f"{len(problems)} fout(en) in knowledge/:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    k = knowledge.load()

    if args.command == "valideer":
        print(
            f"knowledge/ is in orde: {len(k.onderwerpen)} onderwerpen, {len(k.cijfers)} cijfers, "
            f"{len(k.bronnen)} bronnen, {len(k.gemeenten)} gemeente(n) met lokale antwoorden."
        )
        return 0
    if args.command == "build":
        from bot import build

        if args.check:
            stale = build.stale(k)
            for path in stale:
                print(f"verouderd: {path} (draai `make content`)", file=sys.stderr)
            return 1 if stale else 0
        changed = build.write(k)
        print(f"{len(changed)} bestand(en) bijgewerkt" + "".join(f"\n  {p}" for p in changed))
        return 0
    if args.command == "antwoord":
        from bot import render

        if args.onderwerp not in k.onderwerpen:
            print(f"onbekend onderwerp '{args.onderwerp}'", file=sys.stderr)
            return 1
        print(render.render(k, args.onderwerp, args.jaar, args.doelgroep, args.gemeente).markdown())
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
