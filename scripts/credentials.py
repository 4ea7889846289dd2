"""Build the effective Rasa credentials file at start: credentials.yml plus Slack/Teams when configured.

credentials.yml holds only the channels without secrets (REST, socket.io). Slack and
Teams are added here only when their environment variables are set, and then only as
`${VAR}` placeholders: Rasa fills those in from the environment when it reads the file,
so no secret is ever written to disk. A half-configured channel is left out with a
Dutch warning (the server still starts for the other channels).

    python -m scripts.credentials            # writes .rasa/credentials.effective.yml, prints the path
    python -m scripts.credentials --toon     # print the file instead

See credentials.staff.example.yml for the variables.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "credentials.yml"
DEFAULT_OUT = ROOT / ".rasa" / "credentials.effective.yml"

SLACK_CHANNEL_CLASS = "plugins.slack.MaskedSlackInput"
TEAMS_CHANNEL_CLASS = "plugins.teams.TeamsInput"

# credentials key -> environment variable (required first)
SLACK_REQUIRED = {"slack_token": "SLACK_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"}
SLACK_OPTIONAL = {"slack_channel": "SLACK_CHANNEL", "slack_api_url": "SLACK_API_URL"}
TEAMS_REQUIRED = {"app_id": "BOTFRAMEWORK_APP_ID", "app_password": "BOTFRAMEWORK_APP_PASSWORD"}
TEAMS_OPTIONAL = {
    "tenant_id": "BOTFRAMEWORK_TENANT_ID",
    "token_url": "BOTFRAMEWORK_TOKEN_URL",
    "openid_url": "BOTFRAMEWORK_OPENID_URL",
    "jwks_url": "BOTFRAMEWORK_JWKS_URL",
    "issuer": "BOTFRAMEWORK_ISSUER",
    "scope": "BOTFRAMEWORK_SCOPE",
}


def _is_set(env: Mapping[str, str], name: str) -> bool:
    return bool((env.get(name) or "").strip())


def _entry(
    name: str, cls: str, required: dict[str, str], optional: dict[str, str], env: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """YAML lines for one channel (placeholders only) and warnings; no lines when it stays off."""
    wanted = [v for v in (*required.values(), *optional.values()) if _is_set(env, v)]
    if not wanted:
        return [], []
    missing = [v for v in required.values() if not _is_set(env, v)]
    if missing:
        return [], [f"{name} blijft uit: {', '.join(missing)} ontbreekt."]
    lines = [f"{cls}:"]
    # Unquoted on purpose: Rasa only fills in ${VAR} in plain (unquoted) YAML scalars.
    lines += [f"  {key}: ${{{var}}}" for key, var in {**required, **optional}.items() if _is_set(env, var)]
    return lines, []


def extra_channels(env: Mapping[str, str] | None = None) -> tuple[list[str], list[str]]:
    """YAML lines for the staff channels switched on in `env`, and warnings for half-configured ones."""
    env = os.environ if env is None else env
    lines: list[str] = []
    warnings: list[str] = []
    slack, w = _entry("Slack", SLACK_CHANNEL_CLASS, SLACK_REQUIRED, SLACK_OPTIONAL, env)
    lines += slack
    warnings += w
    teams, w = _entry("Teams", TEAMS_CHANNEL_CLASS, TEAMS_REQUIRED, TEAMS_OPTIONAL, env)
    if teams and not (_is_set(env, "BOTFRAMEWORK_TENANT_ID") or _is_set(env, "BOTFRAMEWORK_TOKEN_URL")):
        teams, w = (
            [],
            [
                "Teams blijft uit: BOTFRAMEWORK_TENANT_ID ontbreekt (de tenant van de bot; "
                "alleen voor een multi-tenant bot: botframework.com)."
            ],
        )
    lines += teams
    warnings += w
    return lines, warnings


def build(env: Mapping[str, str] | None = None, base: Path = BASE) -> tuple[str, list[str]]:
    """The effective file's text and the warnings."""
    text = base.read_text(encoding="utf-8")
    present = {line.strip() for line in text.splitlines() if line and not line[0].isspace()}
    found, warnings = extra_channels(env)
    lines: list[str] = []
    skip = False
    for line in found:
        if not line.startswith(" "):
            skip = line in present
            if skip:
                warnings.append(f"{line.rstrip(':')} staat al in {base.name}; niet nog een keer toegevoegd.")
        if not skip:
            lines.append(line)
    if lines:
        text = text.rstrip("\n") + "\n\n# Toegevoegd door scripts/credentials.py (waarden uit de omgeving):\n"
        text += "\n".join(lines) + "\n"
    return text, warnings


def write(path: Path = DEFAULT_OUT, env: Mapping[str, str] | None = None, base: Path = BASE) -> tuple[Path, list[str]]:
    """Write the effective credentials file; returns its path and the warnings."""
    text, warnings = build(env, base)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.credentials", description=__doc__.splitlines()[0])
    parser.add_argument("--uit", type=Path, default=DEFAULT_OUT, help="waar het bestand komt")
    parser.add_argument("--toon", action="store_true", help="toon het bestand in plaats van het te schrijven")
    args = parser.parse_args(argv)
    if args.toon:
        text, warnings = build()
        print(text, end="")
    else:
        path, warnings = write(args.uit)
        print(path)
    for w in warnings:
        print(f"let op: {w}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
