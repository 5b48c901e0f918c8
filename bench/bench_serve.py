#!/usr/bin/env python3
"""Scoring service benchmark: `cwb serve` against the peer Flask service, same model, same
request, same load generator, in one run.

Steps: train the peer's fixed model (../shared/bench/peer_score.py train: 300 trees, depth 5, on
the Taiwan data) and import it with `cwb import-xgboost --id ID`; start `cwb serve` (request log
off) and the peer (`gunicorn -w 2` over ../shared/bench/peer_flask.py, Flask + XGBoost with
TreeSHAP reasons) on free loopback ports; check that both answer the applicant of
../shared/bench/score_request.lua with the same pd; then run wrk with that script against each
(`wrk -t2 -c16 -d10s --latency`, warm-up first), one after the other, and print requests per
second, p50 and p99 latency of each, the ratio of throughputs and any failed requests.

    python3 bench/bench_serve.py [--cwb build/release/app/cwb] [--duration 10] [--workdir DIR]

Needs wrk, gunicorn, python3-flask, python3-xgboost and python3-pandas (./dev deps installs them).
Run with /usr/bin/python3.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")
LUA = os.path.join(SHARED, "bench", "score_request.lua")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, deadline_s=60):
    end = time.time() + deadline_s
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"not ready: {url}")


def request_body():
    with open(LUA) as f:
        return re.search(r"wrk\.body = '([^']*)'", f.read()).group(1).encode()


def post(url, body):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url, duration, threads, connections):
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "-s", LUA,
                          "--latency", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {m.group(1): to_ms(m.group(2), m.group(3))
           for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return {"rps": rps, "p50_ms": lat.get("50"), "p99_ms": lat.get("99"), "requests": total,
            "failed": failed}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cwb", default=os.path.join(ROOT, "build", "release", "app", "cwb"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--connections", type=int, default=16, help="wrk connections")
    ap.add_argument("--serve-threads", type=int, default=32)
    ap.add_argument("--workdir")
    args = ap.parse_args()
    work = args.workdir or tempfile.mkdtemp(prefix="bench_serve_")
    os.makedirs(work, exist_ok=True)
    model_json = os.path.join(work, "taiwan_xgb.json")
    bundle = os.path.join(work, "taiwan_xgb.cwbm")
    data = os.path.join(SHARED, "data", "taiwan", "UCI_Credit_Card.csv")
    if not os.path.exists(bundle):
        subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "bench", "peer_score.py"), "train",
                        "--out", model_json], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.cwb, "import-xgboost", "--xgboost-model", model_json, "--data", data,
                        "--id", "ID", "--out", bundle], check=True, stderr=subprocess.DEVNULL)

    cwb_port, peer_port = free_port(), free_port()
    procs = []
    try:
        procs.append(subprocess.Popen([args.cwb, "serve", "--model", bundle, "--port", str(cwb_port),
                                       "--threads", str(args.serve_threads), "--log", "off"],
                                      stderr=subprocess.DEVNULL))
        env = dict(os.environ, CWB_PEER_MODEL=model_json)
        procs.append(subprocess.Popen(["gunicorn", "-w", "2", "-b", f"127.0.0.1:{peer_port}",
                                       "--chdir", os.path.join(SHARED, "bench"), "peer_flask:app"],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        cwb_url = f"http://127.0.0.1:{cwb_port}/v1/score"
        peer_url = f"http://127.0.0.1:{peer_port}/score"
        wait_ready(f"http://127.0.0.1:{cwb_port}/readyz")
        wait_ready(f"http://127.0.0.1:{peer_port}/health")
        body = request_body()
        ours, theirs = post(cwb_url, body), post(peer_url, body)
        pd_diff = abs(ours["pd"] - theirs["pd"])
        print(f"same applicant: cwb pd {ours['pd']:.9f} score {ours['score']} reasons "
              f"{[r['feature'] for r in ours['reasons']]}; peer pd {theirs['pd']:.9f} score "
              f"{theirs['score']} reasons {theirs['reasons']} (|pd diff| {pd_diff:.2e})")
        if pd_diff > 1e-6:
            sys.exit("the two services disagree on the applicant's pd")

        results = {}
        for name, url in (("cwb serve", cwb_url), ("peer (Flask, gunicorn -w 2)", peer_url)):
            run_wrk(url, 2, args.threads, args.connections)  # warm-up
            results[name] = run_wrk(url, args.duration, args.threads, args.connections)
        print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, "
              f"score_request.lua (one Taiwan applicant, 4 reasons), {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"{'service':30} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'failed':>6}")
        for name, r in results.items():
            print(f"{name:30} {r['rps']:10.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
                  f"{r['requests']:9d} {r['failed']:6d}")
        a, b = results["cwb serve"], results["peer (Flask, gunicorn -w 2)"]
        print(f"\nthroughput ratio cwb/peer: {a['rps'] / b['rps']:.1f}x "
              f"(target >= 50x); cwb p99 {a['p99_ms']:.2f} ms (target < 10 ms)")
        print(json.dumps({"cwb": a, "peer": b, "ratio": a["rps"] / b["rps"]}))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
