#!/usr/bin/env python3
"""What recording a batch costs on each store backend (issue 14): `cwb score` on the same model
and file, plainly, with `--store FILE` (SQLite) and with `--store postgresql://...` (a throwaway
PostgreSQL 15 server on loopback, started here), alternating in one run, median of --repeat;
prints the three times and each backend's ratio to scoring without a store.

Each recorded pass gets a fresh store (a new SQLite file; a new database made with
`cwb store init`), checks that every scored row was recorded and that `cwb audit verify` passes.

    python3 bench/bench_team_store.py --rows 100000 [--repeat 3] [--reasons 4]

Needs the postgresql package (initdb, postgres, psql in /usr/lib/postgresql/15/bin) and, for the
model, python3-pandas and python3-xgboost (./dev deps installs them). As root the server runs as
`nobody`, as the tests' server does (docs/decisions.md, decision 15).
"""
import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")
PG_BIN = os.environ.get("CWB_PG_BINDIR", "/usr/lib/postgresql/15/bin")


class Server:
    """initdb + postgres in a temporary folder, trust authentication on 127.0.0.1 only."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cwb-pg-bench-")
        self.port = self._free_port()
        self.demote = None
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)

            def demote():
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            self.demote = demote
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", TZ="UTC")
        data = os.path.join(self.dir, "data")
        subprocess.run([os.path.join(PG_BIN, "initdb"), "-D", data, "-U", "postgres", "-E", "UTF8",
                        "--locale=C", "--auth=trust", "--no-instructions"], check=True, env=env,
                       preexec_fn=self.demote, stdout=subprocess.DEVNULL, cwd=self.dir)
        # Durable commits (fsync on), as a team's server would run.
        self.proc = subprocess.Popen(
            [os.path.join(PG_BIN, "postgres"), "-D", data, "-p", str(self.port), "-k", self.dir,
             "-h", "127.0.0.1"], env=env, preexec_fn=self.demote, cwd=self.dir,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "server.log"), "w"))
        for _ in range(600):
            ready = subprocess.run([os.path.join(PG_BIN, "pg_isready"), "-h", self.dir, "-p",
                                    str(self.port), "-t", "1"], stdout=subprocess.DEVNULL)
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        sys.exit("the PostgreSQL server did not become ready")

    @staticmethod
    def _free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def sql(self, statement):
        subprocess.run([os.path.join(PG_BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h",
                        self.dir, "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-c",
                        statement], check=True)

    def address(self, database):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def timed(cmd, env):
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return seconds, proc.stdout


def check_recorded(cwb, text, store, env):
    result = json.loads(text)
    if result["store"]["rows_recorded"] != result["rows_scored"]:
        sys.exit(f"recorded {result['store']['rows_recorded']} of {result['rows_scored']} rows")
    verify = subprocess.run([cwb, "audit", "verify", "--store", store], env=env,
                            stderr=subprocess.PIPE, text=True)
    if verify.returncode != 0:
        sys.exit(f"audit verify failed: {verify.stderr}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--reasons", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--cwb", default=os.path.join(ROOT, "build", "release", "app", "cwb"))
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()

    work = args.workdir or tempfile.mkdtemp(prefix="cwb_team_store_bench_")
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

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CWB_", "PG"))}
    env["CWB_PUSHGATEWAY_URL"] = ""
    base = [args.cwb, "score", "--model", bundle, "--in", portfolio, "--reasons",
            str(args.reasons), "--threads", str(args.threads), "--quiet", "--json"]
    out = os.path.join(work, "scored.csv")
    server = Server()
    plain, sqlite, postgres = [], [], []
    print(f"rows={args.rows} reasons={args.reasons} repeat={args.repeat} workdir={work}")
    try:
        for i in range(args.repeat):
            s, _ = timed(base + ["--out", out], env)
            plain.append(s)

            store = os.path.join(work, f"store_{i}.sqlite")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(store + suffix):
                    os.remove(store + suffix)
            s, text = timed(base + ["--out", out, "--store", store], env)
            sqlite.append(s)
            check_recorded(args.cwb, text, store, env)

            database = f"bench_{i}"
            server.sql(f"CREATE DATABASE {database}")
            address = server.address(database)
            team = dict(env, CWB_NEW_PASSWORD="bench-password", CWB_USER="bench",
                        CWB_PASSWORD="bench-password")
            subprocess.run([args.cwb, "store", "init", "--store", address, "--admin", "bench"],
                           env=team, check=True, stderr=subprocess.DEVNULL)
            subprocess.run([args.cwb, "user", "roles", "--store", address, "--name", "bench",
                            "--role", "admin", "--role", "analyst"], env=team, check=True,
                           stderr=subprocess.DEVNULL)
            s, text = timed(base + ["--out", out, "--store", address], team)
            postgres.append(s)
            check_recorded(args.cwb, text, address, team)
            print(f"  pass {i + 1}: plain {plain[-1]:.2f} s, SQLite store {sqlite[-1]:.2f} s, "
                  f"PostgreSQL store {postgres[-1]:.2f} s")
    finally:
        server.stop()
    p, q, r = statistics.median(plain), statistics.median(sqlite), statistics.median(postgres)
    print(f"median: plain {p:.2f} s, SQLite {q:.2f} s (ratio {q / p:.3f}), "
          f"PostgreSQL {r:.2f} s (ratio {r / p:.3f})")


if __name__ == "__main__":
    main()
