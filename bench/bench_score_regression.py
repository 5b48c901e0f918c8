#!/usr/bin/env python3
"""Regression benchmark: `cwb score` of one build against another, same model, same file, one run.

Issue 10 asks that crash-safe outputs, encoding checks and the formula guard cost `cwb score` on
1M rows no more than 3 %. This script scores the same portfolio with a base binary and a new
binary, alternating them run by run so that load on a shared machine hits both alike, and prints
each binary's times, the median and best-of ratios new / base, and whether the outputs agree.

    # base = the given commit (default: main), built in a scratch worktree; new = this build
    python3 bench/bench_score_regression.py --rows 1000000
    python3 bench/bench_score_regression.py --rows 1000000 --base-commit 4a5d14c
    # or two binaries
    python3 bench/bench_score_regression.py --base /tmp/old/cwb --new build/release/app/cwb

The model is trained once with the new binary on the Taiwan data (XGBoost, the
portfolio's columns); the portfolio comes from ../shared/bench/make_portfolio.py. A work
directory given with --workdir keeps the portfolio and the model between runs; the base build
stays in build/bench-base-REV.
Standard library only.
"""
import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))


def run(cmd, **kw):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr[-3000:]}")
    return result


def build_base(commit):
    """Builds cwb of `commit` in a detached worktree (ccache makes it cheap)."""
    rev = run(["git", "-C", ROOT, "rev-parse", "--short", commit]).stdout.strip()
    # Under the build folder of this checkout, so that ccache (base_dir) reuses what any
    # checkout of the same sources compiled.
    src = os.path.join(ROOT, "build", f"bench-base-{rev}")
    binary = os.path.join(src, "build", "release", "app", "cwb")
    if os.path.exists(binary):
        return binary, rev
    if not os.path.exists(src):
        run(["git", "-C", ROOT, "worktree", "add", "--detach", src, rev])
    print(f"building cwb at {rev} in {src} ...", file=sys.stderr)
    run(["cmake", "--preset", "release", "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache",
         "-DCWB_BUILD_GUI=OFF"], cwd=src)
    run(["nice", "-n", "5", "cmake", "--build", "--preset", "release", "-j2", "--target", "cwb"],
        cwd=src)
    return binary, rev


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def timed_score(binary, model, portfolio, out, reasons, threads):
    """Wall seconds and CPU seconds (user + system, wait4 rusage) of one `cwb score` run."""
    cmd = [binary, "score", "--model", model, "--in", portfolio, "--out", out, "--quiet",
           "--reasons", str(reasons), "--pushgateway", ""]
    if threads:
        cmd += ["--threads", str(threads)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--base", help="base cwb binary (default: build --base-commit)")
    ap.add_argument("--base-commit", default="main")
    ap.add_argument("--new", default=os.path.join(ROOT, "build", "release", "app", "cwb"))
    ap.add_argument("--repeat", type=int, default=5, help="runs per binary and mode")
    ap.add_argument("--reasons", default="0,4", help="reason counts to measure, comma-separated")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--workdir")
    args = ap.parse_args()

    workdir = args.workdir or tempfile.mkdtemp(prefix="cwb-score-regression-")
    os.makedirs(workdir, exist_ok=True)
    base, base_name = (args.base, args.base) if args.base else build_base(args.base_commit)
    new = args.new
    for b in (base, new):
        if not os.access(b, os.X_OK):
            sys.exit(f"not an executable: {b}")

    portfolio = os.path.join(workdir, f"portfolio_{args.rows}.csv")
    if not os.path.exists(portfolio):
        run([sys.executable, os.path.join(SHARED, "bench", "make_portfolio.py"), "--rows",
             str(args.rows), "--out", portfolio])
    model = os.path.join(workdir, "taiwan_xgboost.cwbm")
    if not os.path.exists(model):
        # The Taiwan file without its label has the portfolio's columns.
        run([new, "train", "--data", os.path.join(SHARED, "data", "taiwan", "UCI_Credit_Card.csv"),
             "--target", "Y", "--id", "ID", "--algorithm", "xgboost", "--cv", "2", "--seed", "42",
             "--out", model])

    print(f"base: {base_name}\nnew:  {new}\nrows: {args.rows}, model: {model}, "
          f"{args.repeat} alternating runs each")
    worst = 0.0
    for reasons in [int(r) for r in args.reasons.split(",")]:
        wall = {"base": [], "new": []}
        cpu = {"base": [], "new": []}
        outs = {k: os.path.join(workdir, f"out_{k}_{reasons}.csv") for k in wall}
        # One warm-up each (page cache, first-touch), not counted.
        for key, binary in (("base", base), ("new", new)):
            timed_score(binary, model, portfolio, outs[key], reasons, args.threads)
        for i in range(args.repeat):
            order = (("base", base), ("new", new)) if i % 2 == 0 else (("new", new), ("base", base))
            for key, binary in order:
                w, c = timed_score(binary, model, portfolio, outs[key], reasons, args.threads)
                wall[key].append(w)
                cpu[key].append(c)
        same = digest(outs["base"]) == digest(outs["new"])
        fmt = lambda ts: " ".join(f"{t:.2f}" for t in ts)
        print(f"reasons {reasons}: outputs identical: {same}")
        # Wall time is what the user waits; CPU time (user + system) is what the change costs,
        # and it is far less disturbed by other work on a shared machine.
        for label, t in (("wall", wall), ("cpu", cpu)):
            med = statistics.median(t["new"]) / statistics.median(t["base"])
            best = min(t["new"]) / min(t["base"])
            if label == "wall":
                worst = max(worst, med)
            print(f"  {label:4s} base [{fmt(t['base'])}] s, new [{fmt(t['new'])}] s")
            print(f"  {label:4s} ratio new/base: median {med:.3f} ({(med - 1) * 100:+.1f} %), "
                  f"best-of {best:.3f} ({(best - 1) * 100:+.1f} %)")
    print(f"largest median wall ratio: {worst:.3f} (target <= 1.030)")


if __name__ == "__main__":
    main()
