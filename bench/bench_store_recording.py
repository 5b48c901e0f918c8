#!/usr/bin/env python3
"""What recording a batch run in the store costs: `cwb score` with and without `--store`, same
model, same file, one run, alternating, median of --repeat; prints both times and the ratio.

Steps: make a portfolio from the Taiwan data (../shared/bench/make_portfolio.py), train the peer's
fixed model (peer_score.py train) and import it with `cwb import-xgboost --id ID` (as
bench_batch_scoring.py does), then score the file plainly and with `--store` into a fresh store
each time (a single-user store, created on first use). Checks that every scored row was recorded
and that the audit chain verifies.

    python3 bench/bench_store_recording.py --rows 1000000 [--reasons 4] [--repeat 3]

Needs python3-pandas and python3-xgboost for the model (./dev deps installs them).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")


def timed(cmd, env):
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return seconds, proc.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--reasons", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--cwb", default=os.path.join(ROOT, "build", "release", "app", "cwb"))
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()

    work = args.workdir or tempfile.mkdtemp(prefix="cwb_store_bench_")
    os.makedirs(work, exist_ok=True)
    portfolio = os.path.join(work, f"portfolio_{args.rows}.csv")
    model_json = os.path.join(work, "taiwan_xgb.json")
    bundle = os.path.join(work, "taiwan_peer.cwbm")
    py = "/usr/bin/python3"
    if not os.path.exists(portfolio):
        subprocess.run([py, os.path.join(SHARED, "make_portfolio.py"), "--rows", str(args.rows),
                        "--out", portfolio], check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(model_json):
        subprocess.run([py, os.path.join(SHARED, "peer_score.py"), "train", "--out", model_json],
                       check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(bundle):
        subprocess.run([args.cwb, "import-xgboost", "--xgboost-model", model_json, "--data",
                        portfolio, "--id", "ID", "--out", bundle], check=True,
                       stderr=subprocess.DEVNULL)

    env = dict(os.environ)
    for v in ("CWB_STORE", "CWB_USER", "CWB_PASSWORD"):
        env.pop(v, None)
    env["CWB_PUSHGATEWAY_URL"] = ""
    base = [args.cwb, "score", "--model", bundle, "--in", portfolio, "--reasons",
            str(args.reasons), "--threads", str(args.threads), "--quiet", "--json"]
    plain, recorded = [], []
    print(f"rows={args.rows} reasons={args.reasons} repeat={args.repeat} workdir={work}")
    for i in range(args.repeat):
        out = os.path.join(work, "scored.csv")
        s, _ = timed(base + ["--out", out], env)
        plain.append(s)
        store = os.path.join(work, f"store_{i}.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(store + suffix):
                os.remove(store + suffix)
        s, text = timed(base + ["--out", out, "--store", store], env)
        recorded.append(s)
        result = json.loads(text)
        if result["store"]["rows_recorded"] != result["rows_scored"]:
            sys.exit(f"recorded {result['store']['rows_recorded']} of {result['rows_scored']} rows")
        verify = subprocess.run([args.cwb, "audit", "verify", "--store", store], env=env,
                                stderr=subprocess.PIPE, text=True)
        if verify.returncode != 0:
            sys.exit(f"audit verify failed: {verify.stderr}")
        size = os.path.getsize(store) / 1e6
        print(f"  pass {i + 1}: plain {plain[-1]:.2f} s, with --store {recorded[-1]:.2f} s "
              f"(store {size:.0f} MB)")
    p, r = statistics.median(plain), statistics.median(recorded)
    print(f"median: plain {p:.2f} s, with --store {r:.2f} s, ratio {r / p:.3f} "
          f"(+{(r / p - 1) * 100:.1f} %)")


if __name__ == "__main__":
    main()
