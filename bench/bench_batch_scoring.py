#!/usr/bin/env python3
"""Batch scoring benchmark: cwb score against the peer pipeline, same model, same file, one run.

Steps: make a portfolio from the Taiwan data (../shared/bench/make_portfolio.py), train the peer's
fixed model (peer_score.py train), import it with `cwb import-xgboost --id ID`, score the file with
both pipelines (4 reasons), check that the outputs agree, and print both times, the ratio and both
peak resident memories. A second pass scores without reasons.

    python3 bench/bench_batch_scoring.py --rows 100000
    python3 bench/bench_batch_scoring.py --rows 1000000 --cwb build/release/app/cwb
    python3 bench/bench_batch_scoring.py --rows 1000000 --threads 1,2   # thread sweep

With a list of thread counts, cwb runs once per count (the peer once, with the largest) and a
sweep table prints rows/s, speed-up over one thread and efficiency for each path, plus an
Amdahl fit of the sweep extrapolated to 16 threads, labelled as an estimate. The per-row
TreeSHAP cost (the table kernel, the previous quadrature kernel and XGBoost's pred_contribs)
comes from build/release/bench/bench_treeshap on the same model and file (--treeshap-rows 0
skips it).

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
    """Runs cmd, returns (wall seconds, peak RSS in MB, CPU seconds = user + system) of that
    process alone (wait4 rusage). On a shared machine the CPU time is the steadier figure."""
    start = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)} (see {log})")
    return seconds, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


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
    ap.add_argument("--threads", default=str(os.cpu_count() or 2),
                    help="thread count, or a comma-separated sweep such as 1,2,4")
    ap.add_argument("--treeshap", default=os.path.join(ROOT, "build", "release", "bench", "bench_treeshap"))
    ap.add_argument("--treeshap-rows", type=int, default=20000)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--peer-no-reasons", default=None,
                    help="the peer without reasons (default: ../shared/bench/peer_no_reasons.py, "
                         "the one issue 18 names, else bench/peer_no_reasons.py)")
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

    sweep = [int(t) for t in args.threads.split(",")]
    top = max(sweep)
    peer_plain = args.peer_no_reasons or next(
        p for p in (os.path.join(SHARED, "peer_no_reasons.py"), os.path.join(HERE, "peer_no_reasons.py"))
        if os.path.exists(p))
    print(f"rows={args.rows} threads={args.threads} cores={os.cpu_count()} workdir={work} "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    sweeps = {}
    for reasons in (int(p) for p in args.passes.split(",")):
        peer_out = os.path.join(work, f"peer_{reasons}.csv")
        peer_script = os.path.join(SHARED, "peer_score.py") if reasons else peer_plain
        peer_cmd = [py, peer_script] + (["score"] if reasons else [])
        peer_cmd += ["--model", model_json, "--in", portfolio, "--out", peer_out]
        # The shared peer without reasons takes no --threads (XGBoost then uses every core).
        if reasons or "--threads" in open(peer_script).read():
            peer_cmd += ["--threads", str(top)]
        peer_s, peer_mb, peer_cpu = run_measured(peer_cmd, os.path.join(work, f"peer_{reasons}.log"))
        cwb_out = os.path.join(work, f"cwb_{reasons}.csv")
        times = {}
        for threads in sweep:
            cwb_s, cwb_mb, cwb_cpu = run_measured([args.cwb, "score", "--model", bundle, "--in", portfolio,
                                          "--out", cwb_out, "--reasons", str(reasons), "--threads",
                                          str(threads), "--quiet"],
                                         os.path.join(work, f"cwb_{reasons}.log"))
            times[threads] = (cwb_s, cwb_mb, cwb_cpu)
            rows, max_diff, agree = compare(peer_out, cwb_out, reasons > 0)
        sweeps[reasons] = times
        cwb_s, cwb_mb, cwb_cpu = times[top]
        label = f"{reasons} reasons" if reasons else "no reasons"
        print(f"[{label}] peer {peer_s:.2f} s wall, {peer_cpu:.2f} s CPU, {peer_mb:.0f} MB peak | "
              f"cwb ({top} threads) {cwb_s:.2f} s wall, {cwb_cpu:.2f} s CPU, {cwb_mb:.0f} MB peak | "
              f"speed-up {peer_s / cwb_s:.1f}x wall, {peer_cpu / cwb_cpu:.1f}x CPU | rows {rows} | "
              f"max |pd diff| {max_diff:.2e}" + (f" | reason sets equal {agree * 100:.2f} %" if reasons else "")
              + f" | load average {os.getloadavg()[0]:.1f}", flush=True)

    if len(sweep) > 1:
        print("\nthread sweep (measured):")
        print("path        threads  seconds    rows/s   speed-up  efficiency  peak MB  CPU s")
        for reasons, times in sweeps.items():
            base = times.get(1, times[min(times)])[0] * min(times)
            for threads in sweep:
                sec, mb, cpu = times[threads]
                speedup = base / sec
                print(f"{'4 reasons' if reasons else 'no reasons':<11} {threads:>7} {sec:>8.2f} "
                      f"{args.rows / sec:>9.0f} {speedup:>9.2f} {speedup / threads * 100:>9.0f} % {mb:>8.0f} {cpu:>6.2f}")
        load = os.getloadavg()[0]
        if load > (os.cpu_count() or 1):
            # Other processes held the cores: the threads waited for them, not for each other.
            print(f"\nWARNING: load average {load:.1f} on {os.cpu_count()} cores: the wall times, "
                  "speed-ups and the estimate below measure the other processes as much as cwb; "
                  "compare CPU times (CPU s equal across thread counts = no parallel overhead).")
        print("\nESTIMATE, not measured (Amdahl fit of the sweep above, extrapolated):")
        for reasons, times in sweeps.items():
            lo, hi = min(times), max(times)
            if hi == lo:
                continue
            t_lo, t_hi = times[lo][0], times[hi][0]
            # t(n) = t1 * (s + (1 - s) / n), fitted through the two ends of the sweep.
            r = t_hi / t_lo
            s_frac = (1 / hi - r / lo) / (r - r / lo - 1 + 1 / hi)
            s_frac = min(max(s_frac, 0.0), 1.0)
            t1 = t_lo / (s_frac + (1 - s_frac) / lo)
            for n in (4, 8, 16):
                est = t1 * (s_frac + (1 - s_frac) / n)
                print(f"  {'4 reasons' if reasons else 'no reasons':<11} {n:>2} threads ~{est:.2f} s, "
                      f"~{args.rows / est:.0f} rows/s, efficiency ~{t1 / est / n * 100:.0f} % "
                      f"(serial share {s_frac * 100:.1f} %)")

    if args.treeshap_rows > 0 and os.path.exists(args.treeshap):
        print("\nper-row TreeSHAP cost, one core (bench_treeshap):", flush=True)
        subprocess.run([args.treeshap, model_json, portfolio, "--rows", str(args.treeshap_rows),
                        "--single", "1000", "--xgb-rows", "500", "--repeat", "2"], check=False)

if __name__ == "__main__":
    main()
