"""`make bench`: answer accuracy on held-out questions, cross-validated intent F1,
training time and latency through the REST channel. Prints figures; asserts nothing.

Answer accuracy is measured end to end: each held-out question goes to the running
assistant; the reply counts as correct when it is exactly the rendered answer of the
expected topic (right topic, right year). An out-of-scope question counts as correct
when no FAQ answer comes back; a FAQ answer there is a *confident wrong answer*.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import dialog, knowledge, render  # noqa: E402
from scripts import drempel  # noqa: E402
from scripts.serve import BIN, MODEL, servers, write_endpoints  # noqa: E402

# Two held-out sets, each reported on its own: the first (2026-11-23) and a second, larger
# one (2026-11-24) written from the topics' titles and answers only, by writers who never saw
# the training questions.
HELDOUT = {
    "heldout": ROOT / "tests" / "data" / "heldout.yml",
    "heldout_2": ROOT / "tests" / "data" / "heldout_2.yml",
}
ONTWIKKELSET = drempel.ONTWIKKELSET_BUITEN_BEREIK
PORT, ACTION_PORT = 5305, 5355


def send(url: str, sender: str, text: str) -> list[dict]:
    r = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    r.raise_for_status()
    return r.json()


def ask(url: str, text: str) -> tuple[list[dict], str, bool]:
    """Ask in a new conversation: the reply, its text, and whether it is a FAQ answer."""
    reply = send(url, uuid.uuid4().hex, text)
    answer = "\n\n".join(m.get("text", "") for m in reply)  # Rasa splits on blank lines
    return reply, answer, "\nBron: " in answer  # every FAQ answer ends with its source


def heldout(name: str) -> list[dict]:
    return drempel.vragen(HELDOUT[name])


def accuracy(url: str, k: knowledge.Knowledge, items: list[dict]) -> dict:
    counts = dict.fromkeys(("goed", "gevraagd", "gevraagd_met_juiste_knop", "fout", "oos_goed", "oos_fout"), 0)
    wrong: list[str] = []
    n_in = n_oos = 0
    for item in items:
        text, expected = item["tekst"], item["verwacht"]
        reply, answer, is_faq_answer = ask(url, text)
        if expected == dialog.OUT_OF_SCOPE:
            n_oos += 1
            if is_faq_answer:
                counts["oos_fout"] += 1
                wrong.append(f"OOS beantwoord: {text!r}")
            else:
                counts["oos_goed"] += 1
            continue
        n_in += 1
        jaar = dialog.jaar(text, None)
        want = render.render(k, expected, jaar, render.BURGER, dialog.gemeente(k, text, None)).markdown()
        if answer == want:
            counts["goed"] += 1
        elif is_faq_answer:
            counts["fout"] += 1
            wrong.append(f"fout antwoord op {text!r} (verwacht {expected})")
        else:
            counts["gevraagd"] += 1
            offered = [b.get("payload") for m in reply for b in m.get("buttons") or []]
            if f"/faq_{expected}" in offered:
                counts["gevraagd_met_juiste_knop"] += 1
            wrong.append(f"doorgevraagd/niet beantwoord: {text!r} (verwacht {expected})")
    return {"n_in": n_in, "n_oos": n_oos, **counts, "details": wrong}


def ontwikkelset_vragen() -> list[dict]:
    return drempel.vragen(ONTWIKKELSET)


def ontwikkelset(url: str) -> dict:
    """How many of the out-of-scope development questions get a FAQ answer (should be none)."""
    texts = [v["tekst"] for v in ontwikkelset_vragen()]
    answered = [t for t in texts if ask(url, t)[2]]
    return {"n": len(texts), "beantwoord": len(answered), "vragen": answered}


def top1(items: list[dict]) -> float:
    """The classifier alone on the in-scope held-out questions (the model loaded in-process)."""
    items = [i for i in items if i["verwacht"] != dialog.OUT_OF_SCOPE]
    ranked = drempel.rankings(MODEL, [i["tekst"] for i in items])
    return sum(r[0][0] == f"faq_{i['verwacht']}" for i, r in zip(items, ranked, strict=True)) / len(items)


def latency(url: str, questions: list[str], conversations: int, per_worker: int, turns: int = 10) -> dict:
    """`conversations` users at once, each holding `per_worker` conversations of `turns` messages."""
    times: list[float] = []
    lock = threading.Lock()

    def worker(idx: int) -> None:
        for c in range(per_worker):
            sender = f"bench-{idx}-{c}-{uuid.uuid4().hex}"
            for i in range(turns):
                start = time.perf_counter()
                send(url, sender, questions[(i + idx + c) % len(questions)])
                with lock:
                    times.append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(conversations)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    times.sort()
    return {
        "berichten": len(times),
        "mediaan_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1),
        "per_seconde": round(len(times) / wall, 1),
    }


def training_time(tmp: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "rasa"), "train", "--domain", "domain", "--data", "data", "--config", "config.yml",
         "--out", str(tmp), "--force", "--quiet"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def cross_validation(folds: int) -> dict:
    """Intent scores over k folds of data/nlu, and what the configured gate does there."""
    predictions = drempel.cross_validate(folds)
    return {
        **drempel.intent_scores(predictions),
        "met_drempel_uit_config": drempel.simulate(predictions, *drempel.configured_gate()),
    }


def nauwkeurigheid(acc: dict, top1_score: float) -> dict:
    return {
        "antwoord_nauwkeurigheid": acc["goed"] / acc["n_in"],
        "doorgevraagd": acc["gevraagd"] / acc["n_in"],
        "doorgevraagd_juiste_knop_aangeboden": acc["gevraagd_met_juiste_knop"] / acc["n_in"],
        "goed_binnen_een_klik": (acc["goed"] + acc["gevraagd_met_juiste_knop"]) / acc["n_in"],
        "fout_antwoord": acc["fout"] / acc["n_in"],
        "top1_intentclassificatie": top1_score,
        "buiten_bereik_correct_geweigerd": acc["oos_goed"] / max(acc["n_oos"], 1),
        "buiten_bereik_zelfverzekerd_fout": acc["oos_fout"],
        "n_vragen": acc["n_in"],
        "n_buiten_bereik": acc["n_oos"],
    }


def model_is_current() -> bool:
    """Whether the served model was trained on the current data; make's own rule decides, so
    `scripts/bench.py` run by hand cannot measure a stale model (make -q: 0 = up to date)."""
    target = str(MODEL.relative_to(ROOT))
    return subprocess.run(["make", "-q", target], cwd=ROOT, capture_output=True).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-train", action="store_true", help="meet de trainingstijd niet")
    parser.add_argument("--skip-cv", action="store_true", help="sla de kruisvalidatie over")
    parser.add_argument("--skip-accuracy", action="store_true", help="meet alleen de snelheid (en training/CV)")
    parser.add_argument("--folds", type=int, default=drempel.FOLDS)
    args = parser.parse_args()
    if not model_is_current():
        print(
            "Het model is ouder dan de trainingsdata of config.yml: draai eerst `make train` "
            "(of meet met `make bench`, dat traint zo nodig).",
            file=sys.stderr,
        )
        return 2
    k = knowledge.load()
    sets = {name: heldout(name) for name in HELDOUT}
    report: dict[str, object] = {"datum": time.strftime("%Y-%m-%d")}

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        endpoints = write_endpoints(tmp / "endpoints.yml", ACTION_PORT, tmp / "bench.db")
        env = {"BW_DATABASE_URL": f"sqlite:///{tmp}/tickets.db"}
        with servers(PORT, ACTION_PORT, endpoints, extra_env=env, log_dir=tmp) as url:
            acc = None if args.skip_accuracy else {name: accuracy(url, k, items) for name, items in sets.items()}
            dev = None if args.skip_accuracy else ontwikkelset(url)
            questions = [q for t in list(k.onderwerpen.values())[:40] for q in t.vragen[:1]]
            send(url, "warmup", questions[0])
            report["latentie_1_gesprek"] = latency(url, questions, 1, 20)
            report["latentie_10_gesprekken"] = latency(url, questions, 10, 4)
        if acc is not None:
            report["nauwkeurigheid"] = {name: nauwkeurigheid(a, top1(sets[name])) for name, a in acc.items()}
            report["ontwikkelset_buiten_bereik_beantwoord"] = dev
        if not args.skip_train:
            report["trainingstijd_s"] = training_time(tmp / "models")
        if not args.skip_cv:
            report["kruisvalidatie_intent"] = cross_validation(args.folds)

    print(json.dumps(report, indent=2, ensure_ascii=False))
    for name, a in (acc or {}).items():
        print(f"\nNiet goed beantwoorde vragen van {name}:")
        for line in a["details"]:
            print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
