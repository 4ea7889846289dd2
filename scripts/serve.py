"""Start the action server and the Rasa server together; Ctrl-C stops both.

Used by `make run`, by the conversation tests and by the benchmark, so all three run
the assistant the same way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "bw-assistent.tar.gz"


def write_endpoints(path: Path, action_port: int, db: Path) -> Path:
    """endpoints.yml with another action port and SQLite file (tests use their own)."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["action_endpoint"]["url"] = f"http://localhost:{action_port}/webhook"
    config["tracker_store"]["db"] = str(db)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _wait(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process stopped while starting ({url}), exit code {proc.returncode}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def servers(
    port: int = 5005,
    action_port: int = 5055,
    endpoints: Path | None = None,
    extra_env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    timeout: float = 180,
    credentials: Path | None = None,
) -> Iterator[str]:
    """Run both servers; yields the Rasa base URL. Stops both on exit."""
    env = {**os.environ, **(extra_env or {})}
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    out = {}
    for name in ("actions", "rasa"):
        out[name] = open(log_dir / f"{name}.log", "w") if log_dir else None  # noqa: SIM115
    actions = subprocess.Popen(
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)],
        cwd=ROOT,
        env=env,
        stdout=out["actions"],
        stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [
            str(BIN / "rasa"),
            "run",
            "--model",
            str(MODEL),
            "--port",
            str(port),
            "--endpoints",
            str(endpoints or ROOT / "endpoints.yml"),
            "--credentials",
            str(credentials or ROOT / "credentials.yml"),
            "--cors",
            "*",
        ],
        cwd=ROOT,
        env=env,
        stdout=out["rasa"],
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(f"http://localhost:{action_port}/health", actions, timeout)
        _wait(f"http://localhost:{port}/", rasa, timeout)
        yield f"http://localhost:{port}"
    finally:
        for proc in (rasa, actions):
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in (rasa, actions):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for fh in out.values():
            if fh:
                fh.close()


def main() -> int:
    port = int(os.environ.get("BW_PORT", "5005"))
    from scripts import credentials as staff_credentials

    creds, warnings = staff_credentials.write()  # Slack/Teams only when configured
    for w in warnings:
        print(f"Let op: {w}", flush=True)
    print("De assistent start (ongeveer 30 seconden)...", flush=True)
    with servers(port=port, credentials=creds):
        print(
            f"Klaar. REST: http://localhost:{port}/webhooks/rest/webhook\nStoppen: Ctrl-C.",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nGestopt.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
