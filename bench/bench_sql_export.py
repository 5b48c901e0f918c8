#!/usr/bin/env python3
"""In-database scoring benchmark: the statement from `cwb export-sql` scoring the 30,000 Taiwan
rows inside SQLite and inside PostgreSQL 15, against `cwb score` on the same rows, in one run.

Steps: train the peer's fixed model (../shared/bench/peer_score.py train: 300 trees, depth 5) and
import it with `cwb import-xgboost --id ID` (or take --model), export the statement for both
dialects (sizes printed), load the rows into an SQLite file (Python's sqlite3 module, the system
libsqlite3) and into a throw-away PostgreSQL server (initdb + postgres in a temporary directory on
a free loopback port, as `nobody` when run as root), then time, --repeat times each:
  - cwb score --reasons 0 on the CSV file (all threads, and one thread),
  - the SQLite statement, every row fetched into Python,
  - the PostgreSQL statement through psql, COPY (...) TO STDOUT into a file, with jit=off
    (as docs/in-database-scoring.md advises), and once with the server's default (JIT on).
Prints the median wall times, the ratios SQL / cwb score, and the largest pd difference and
decision disagreements of each SQL result against cwb score.

    python3 bench/bench_sql_export.py [--cwb build/release/app/cwb] [--repeat 3] [--workdir DIR]

Needs postgresql (initdb, postgres, psql in /usr/lib/postgresql/15/bin), python3-xgboost and
python3-pandas for the peer model (./dev deps installs them).
"""
import argparse
import csv
import json
import os
import pwd
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")
PG_BIN = os.environ.get("CWB_PG_BINDIR", "/usr/lib/postgresql/15/bin")


def timed(fn, repeat):
    """Median wall seconds of fn() over repeat runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away PostgreSQL server; as root, initdb and the server run as `nobody`."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cwb-pg-")
        self.port = free_port()
        self.proc = None
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
        self.env = env

    def start(self):
        data = os.path.join(self.dir, "data")
        subprocess.run([os.path.join(PG_BIN, "initdb"), "-D", data, "-U", "postgres", "-E", "UTF8",
                        "--locale=C", "--auth=trust", "--no-sync", "--no-instructions"],
                       check=True, stdout=subprocess.DEVNULL, env=self.env, cwd=self.dir,
                       preexec_fn=self.demote)
        log = open(os.path.join(self.dir, "server.log"), "w")
        self.proc = subprocess.Popen(
            [os.path.join(PG_BIN, "postgres"), "-D", data, "-p", str(self.port), "-k", self.dir,
             "-h", "127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"],
            stdout=log, stderr=log, env=self.env, cwd=self.dir, preexec_fn=self.demote)
        for _ in range(600):
            if subprocess.run([os.path.join(PG_BIN, "pg_isready"), "-h", self.dir, "-p",
                               str(self.port), "-t", "1"], stdout=subprocess.DEVNULL).returncode == 0:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        sys.exit(f"PostgreSQL did not start; see {self.dir}/server.log")

    def psql(self, args, extra_env=None, stdout=subprocess.PIPE):
        env = dict(self.env, **(extra_env or {}))
        return subprocess.run([os.path.join(PG_BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                               "-h", self.dir, "-p", str(self.port), "-U", "postgres", "-d",
                               "postgres"] + args, check=True, stdout=stdout, env=env, text=True)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(2)  # SIGINT: fast shutdown
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def read_cwb_scores(path):
    with open(path, newline="") as f:
        return {row["ID"]: (float(row["pd"]), row["decision"]) for row in csv.DictReader(f)}


def agreement(reference, rows):
    """Largest |pd difference| and rows whose decision differs, rows keyed by ID."""
    max_diff, decisions = 0.0, 0
    for key, pd_, decision in rows:
        ref_pd, ref_decision = reference[str(key)]
        max_diff = max(max_diff, abs(float(pd_) - ref_pd))
        decisions += decision != ref_decision
    return max_diff, decisions


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cwb", default=os.path.join(ROOT, "build", "release", "app", "cwb"))
    ap.add_argument("--model", help="a bundle to use instead of the peer's 300-tree model")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()

    work = args.workdir or tempfile.mkdtemp(prefix="cwb_sqlbench_")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(SHARED, "data", "taiwan", "UCI_Credit_Card.csv")
    bundle = args.model
    if not bundle:
        model_json = os.path.join(work, "taiwan_xgb.json")
        bundle = os.path.join(work, "taiwan_peer.cwbm")
        if not os.path.exists(model_json):
            subprocess.run(["/usr/bin/python3", os.path.join(SHARED, "bench", "peer_score.py"),
                            "train", "--out", model_json], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.cwb, "import-xgboost", "--xgboost-model", model_json, "--data", data,
                        "--id", "ID", "--out", bundle], check=True, stderr=subprocess.DEVNULL)
    info = json.loads(subprocess.run([args.cwb, "info", bundle, "--json"], check=True,
                                     capture_output=True, text=True).stdout)
    columns = [info["id_column"]] + [f["name"] for f in info["features"]]

    # The rows, with just the id and the model's inputs, for every pipeline.
    rows_csv = os.path.join(work, "rows.csv")
    with open(data, newline="") as src, open(rows_csv, "w", newline="") as out:
        reader, writer = csv.DictReader(src), csv.writer(out)
        writer.writerow(columns)
        rows = [[r[c] for c in columns] for r in reader]
        writer.writerows(rows)

    statements = {}
    for dialect in ("sqlite", "postgresql"):
        sql = subprocess.run([args.cwb, "export-sql", "--model", bundle, "--dialect", dialect,
                              "--table", "portfolio", "--quiet"], check=True, capture_output=True,
                             text=True).stdout
        statements[dialect] = sql
        print(f"export-sql {dialect}: {len(sql.encode())} bytes for {info['name']} ({info['algorithm']})")

    # cwb score on the CSV file.
    scores = os.path.join(work, "cwb_scores.csv")
    cwb_all, _ = timed(lambda: subprocess.run(
        [args.cwb, "score", "--model", bundle, "--in", rows_csv, "--out", scores, "--reasons", "0",
         "--quiet"], check=True, stderr=subprocess.DEVNULL), args.repeat)
    cwb_one, _ = timed(lambda: subprocess.run(
        [args.cwb, "score", "--model", bundle, "--in", rows_csv, "--out", scores, "--reasons", "0",
         "--threads", "1", "--quiet"], check=True, stderr=subprocess.DEVNULL), args.repeat)
    reference = read_cwb_scores(scores)

    # SQLite: a database file holding the rows as REAL (the id as TEXT).
    db_path = os.path.join(work, "portfolio.sqlite")
    if os.path.exists(db_path):
        os.remove(db_path)
    ddl = subprocess.run([args.cwb, "export-sql", "--model", bundle, "--dialect", "sqlite", "--table",
                          "portfolio", "--create-table"], check=True, capture_output=True,
                         text=True).stdout
    db = sqlite3.connect(db_path)
    db.executescript(ddl)
    db.executemany(f"INSERT INTO portfolio VALUES ({', '.join('?' * len(columns))})",
                   [[r[0]] + [float(v) for v in r[1:]] for r in rows])
    db.commit()
    sqlite_s, sqlite_rows = timed(lambda: db.execute(statements["sqlite"]).fetchall(), args.repeat)
    sqlite_diff, sqlite_decisions = agreement(reference, [(r[0], r[1], r[3]) for r in sqlite_rows])
    db.close()

    # PostgreSQL: a fresh server, the rows loaded with \copy.
    pg = Postgres()
    try:
        pg.start()
        ddl = subprocess.run([args.cwb, "export-sql", "--model", bundle, "--dialect", "postgresql",
                              "--table", "portfolio", "--create-table"], check=True,
                             capture_output=True, text=True).stdout
        pg.psql(["-c", ddl])
        pg.psql(["-c", f"\\copy portfolio FROM '{rows_csv}' WITH (FORMAT csv, HEADER true)"])
        pg.psql(["-c", "ANALYZE portfolio"])
        jit = pg.psql(["-A", "-t", "-c", "SELECT current_setting('jit') || ' ' || "
                       "pg_jit_available()::text"]).stdout.strip()
        statement = os.path.join(work, "pg_statement.sql")
        with open(statement, "w") as f:
            f.write("COPY (" + statements["postgresql"] + ") TO STDOUT WITH (FORMAT csv, HEADER true);\n")
        pg_out = os.path.join(work, "pg_scores.csv")

        def run_pg(extra_env=None):
            with open(pg_out, "w") as out:
                pg.psql(["-f", statement], extra_env, stdout=out)
        pg_nojit_s, _ = timed(lambda: run_pg({"PGOPTIONS": "-c jit=off"}), args.repeat)
        pg_s, _ = timed(run_pg, 1)  # JIT compiling takes minutes: once is enough to show it
        with open(pg_out, newline="") as f:
            pg_rows = [(r["ID"], r["pd"], r["decision"]) for r in csv.DictReader(f)]
        pg_diff, pg_decisions = agreement(reference, pg_rows)
    finally:
        pg.stop()

    n = len(rows)
    print(f"rows={n} repeat={args.repeat} (median wall seconds) workdir={work}")
    print(f"cwb score --reasons 0, all threads: {cwb_all:.3f} s | one thread: {cwb_one:.3f} s")
    print(f"SQLite {sqlite3.sqlite_version}: {sqlite_s:.3f} s = {sqlite_s / cwb_all:.2f}x cwb (all threads),"
          f" {sqlite_s / cwb_one:.2f}x cwb (one thread) | max |pd diff| {sqlite_diff:.2e},"
          f" decisions differing {sqlite_decisions}")
    print(f"PostgreSQL 15, jit=off: {pg_nojit_s:.3f} s = {pg_nojit_s / cwb_all:.2f}x cwb (all threads),"
          f" {pg_nojit_s / cwb_one:.2f}x cwb (one thread) | server default (jit, available: {jit}), one run:"
          f" {pg_s:.3f} s = {pg_s / cwb_all:.2f}x | max |pd diff| {pg_diff:.2e},"
          f" decisions differing {pg_decisions}")


if __name__ == "__main__":
    main()
