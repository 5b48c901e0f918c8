#!/usr/bin/env python3
"""Batch scoring benchmark: cwb score against the peer pipeline, same model, same file, one run.

Steps: make a portfolio from the Taiwan data (../shared/bench/make_portfolio.py), train the peer's
fixed model (peer_score.py train), import it with `cwb import-xgboost --id ID`, score the file with
both pipelines (4 reasons), check that the outputs agree, and print both times, the ratio and both
peak resident memories. A second pass scores without reasons.

    python3 bench/bench_batch_scoring.py --rows 100000
    python3 bench/bench_batch_scoring.py --rows 1000000 --cwb build/release/app/cwb

Needs python3-pandas and python3-xgboost (./dev deps installs them). Run with /usr/bin/python3.
"""
import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")


def run_measured(cmd, log):
    """Runs cmd, returns (seconds, peak RSS in MB) of that process alone (wait4 rusage)."""
    start = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)} (see {log})")
    return seconds, usage.ru_maxrss / 1024.0


def compare(peer_path, cwb_path, reasons):
    """Max |pd difference| and the share of rows whose reason sets are equal (ties aside)."""
    max_diff = 0.0
    rows = equal = 0
    with open(peer_path, newline="") as a, open(cwb_path, newline="") as b:
        ra, rb = csv.reader(a), csv.reader(b)
        ha, hb = next(ra), next(rb)
        ia = {name: i for i, name in enumerate(ha)}
        ib = {name: i for i, name in enumerate(hb)}
        for x, y in zip(ra, rb):
            if x[ia["ID"]] != y[ib["ID"]]:
                sys.exit(f"row order differs at ID {x[ia['ID']]} vs {y[ib['ID']]}")
            rows += 1
            max_diff = max(max_diff, abs(float(x[ia["pd"]]) - float(y[ib["pd"]])))
            if reasons:
                # cwb lists only characteristics that push towards bad (positive contribution);
                # the peer always lists four. They agree when cwb's reasons are the peer's first ones.
                peer = [x[ia[f"reason_{k}"]] for k in range(1, 5)]
                ours = [r for r in (y[ib[f"reason_{k}"]] for k in range(1, 5)) if r]
                equal += set(ours) == set(peer[:len(ours)])
    return rows, max_diff, (equal / rows if rows else math.nan)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--cwb", default=os.path.join(ROOT, "build", "release", "app", "cwb"))
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--passes", default="4,0",
                    help="reason counts to run, comma-separated (default 4,0: with four reasons, then none)")
    args = ap.parse_args()

    work = args.workdir or tempfile.mkdtemp(prefix="cwb_bench_")
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
    subprocess.run([args.cwb, "import-xgboost", "--xgboost-model", model_json, "--data", portfolio,
                    "--id", "ID", "--out", bundle], check=True, stderr=subprocess.DEVNULL)

    print(f"rows={args.rows} threads={args.threads} workdir={work}")
    for reasons in (int(p) for p in args.passes.split(",")):
        peer_out = os.path.join(work, f"peer_{reasons}.csv")
        peer_script = (os.path.join(SHARED, "peer_score.py") if reasons
                       else os.path.join(HERE, "peer_no_reasons.py"))
        peer_cmd = [py, peer_script] + (["score"] if reasons else [])
        peer_s, peer_mb = run_measured(peer_cmd + ["--model", model_json, "--in", portfolio, "--out",
                                                   peer_out, "--threads", str(args.threads)],
                                       os.path.join(work, f"peer_{reasons}.log"))
        cwb_out = os.path.join(work, f"cwb_{reasons}.csv")
        cwb_s, cwb_mb = run_measured([args.cwb, "score", "--model", bundle, "--in", portfolio,
                                      "--out", cwb_out, "--reasons", str(reasons), "--threads",
                                      str(args.threads), "--quiet"],
                                     os.path.join(work, f"cwb_{reasons}.log"))
        rows, max_diff, agree = compare(peer_out, cwb_out, reasons > 0)
        label = f"{reasons} reasons" if reasons else "no reasons"
        print(f"[{label}] peer {peer_s:.2f} s, {peer_mb:.0f} MB peak | cwb {cwb_s:.2f} s, "
              f"{cwb_mb:.0f} MB peak | speed-up {peer_s / cwb_s:.1f}x | rows {rows} | "
              f"max |pd diff| {max_diff:.2e}" + (f" | reason sets equal {agree * 100:.2f} %" if reasons else ""))


if __name__ == "__main__":
    main()
