#!/usr/bin/env python3
"""Helpers of scripts/bench-sharing.sh (docs/benchmarks.md §11); standard library only.

  bench_sharing.py load DB PSQL…            a local Målkart file's rows into the server's
                                            tables (psql COPY), as publish stores them
  bench_sharing.py units DB N               N unit codes spread over the tree, one a line
  bench_sharing.py economy DB MONTH         an accounting export: one line per unit for MONTH
  bench_sharing.py push URL USER PW UNIT MONTH N
                                            N grid saves of one sick-leave row (8 cells),
                                            each pushed and answered; median and p95
  bench_sharing.py clients URL PW PID N INTERVAL SECONDS USER…
                                            N desktops (own session, own watermark) pulling
                                            every INTERVAL s for SECONDS s, a writer saving
                                            sick leave meanwhile; latencies, errors, the
                                            server's memory (PID)

The loader is the benchmark's way of getting `large` onto the server quickly; it measures
nothing. Every row is stored at one new version with every cell at that version, as
`POST /api/v1/publish` stores a published file.
"""

import csv
import http.client
import io
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

# Table, the columns the server stores, the cells of a row (as src/storage/replica.rs).
TABLES = [
    ("units", ["code", "name", "parent", "level", "sort"], ["name", "parent", "level"]),
    ("indicators",
     ["code", "name", "perspective", "goal", "description", "source", "responsible",
      "unit_label", "decimals", "direction", "frequency", "aggregation", "unit_rollup",
      "factor", "builtin"],
     ["name", "perspective", "goal", "description", "source", "responsible", "unit_label",
      "decimals", "direction", "frequency", "aggregation", "unit_rollup", "factor"]),
    ("targets", ["indicator", "unit", "year", "target", "red_limit"], ["target", "red_limit"]),
    ("measurements",
     ["indicator", "span_first", "unit", "span_last", "value", "numerator", "denominator"],
     ["value", "numerator", "denominator"]),
    ("sick_leave",
     ["unit", "month", "contracted_days", "self_certified", "doctor_certified", "employees",
      "days_1_3", "days_4_16", "days_17_56", "days_over_56"],
     ["contracted_days", "self_certified", "doctor_certified", "employees", "days_1_3",
      "days_4_16", "days_17_56", "days_over_56"]),
    ("economy", ["unit", "month", "budget", "actual", "forecast"],
     ["budget", "actual", "forecast"]),
    ("comments",
     ["uid", "indicator", "unit", "period", "author", "text", "created_at", "updated_at"],
     ["text"]),
    ("locked_months", ["month", "locked_by", "locked_at"], ["locked"]),
]


def cell(v):
    if v is None:
        return "\\N"
    if isinstance(v, float):
        return repr(v)
    return v


def load(db, psql):
    """Streams COPY blocks into one psql transaction."""
    version = subprocess.run(psql + ["-qtA", "-c", "SELECT nextval('malkart_version')"],
                             check=True, capture_output=True, text=True).stdout.strip()
    src = sqlite3.connect(db)
    proc = subprocess.Popen(psql + ["-q", "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                            text=True)
    out = proc.stdin
    out.write("BEGIN;\n")
    counts = {}
    for table, columns, cells in TABLES:
        versions = json.dumps({c: int(version) for c in cells})
        where = " WHERE builtin = 0" if table == "indicators" else ""
        out.write(f"COPY {table} ({', '.join(columns)}, version, cell_versions) FROM STDIN "
                  "WITH (FORMAT csv, NULL '\\N');\n")
        writer = csv.writer(out, lineterminator="\n")
        n = 0
        for row in src.execute(f"SELECT {', '.join(columns)} FROM {table}{where}"):
            row = list(row)
            if table == "indicators":
                row[-1] = "t" if row[-1] else "f"
            writer.writerow([cell(v) for v in row] + [version, versions])
            n += 1
        out.write("\\.\n")
        counts[table] = n
    for key, value in src.execute("SELECT key, value FROM settings"):
        out.write(f"INSERT INTO settings (key, value, version, cell_versions) VALUES "
                  f"('{key}', '{value}', {version}, '{{\"value\": {version}}}') "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                  "version = excluded.version, cell_versions = excluded.cell_versions;\n")
    out.write("COMMIT;\nANALYZE;\n")
    out.close()
    if proc.wait() != 0:
        sys.exit("bench_sharing.py: psql refused the load")
    print(" ".join(f"{t}={n}" for t, n in counts.items()), f"version={version}")


def units(db, n):
    """N units a leader is given (a `virksomhet` and its departments), spread over the
    tree (deterministic)."""
    src = sqlite3.connect(db)
    codes = [c for (c,) in src.execute(
        "SELECT code FROM units WHERE level = 'virksomhet' ORDER BY sort")]
    step = max(1, len(codes) // n)
    for code in codes[::step][:n]:
        print(code)


def economy(db, month):
    """One line per unit for MONTH (YYYY-MM): an accounting figure and a forecast."""
    src = sqlite3.connect(db)
    print("ansvar;periode;art;funksjon;tekst;budsjett;regnskap;prognose")
    rng = random.Random(13)
    for (code,) in src.execute("SELECT code FROM units ORDER BY sort"):
        actual = rng.randrange(100_000, 5_000_000)
        print(f"{code};{month};10100;2020;Fastlønn;;{actual},00;")


# ---- HTTP -------------------------------------------------------------------------------

class Api:
    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.token = None

    def call(self, method, path, body=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        conn.request(method, "/api/v1/" + path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:200]!r}")
        return json.loads(payload) if payload else None

    def login(self, user, password, device):
        self.token = self.call("POST", "login",
                               {"user": user, "password": password, "device": device})["token"]


def sick_leave_ops(unit, month, i, bases):
    """One grid save of a sick-leave row: its eight cells (split = the absence)."""
    self_c, doctor = 30.0 + i % 7, 50.0
    values = {"contracted_days": 2000.0, "self_certified": self_c, "doctor_certified": doctor,
              "employees": 100, "days_1_3": 20.0, "days_4_16": 20.0, "days_17_56": 20.0,
              "days_over_56": self_c + doctor - 60.0}
    batch = str(uuid.uuid4())
    ops = []
    for field, value in values.items():
        base_version, base_value = bases.get(field, (None, None))
        ops.append({"op_id": str(uuid.uuid4()), "batch": batch, "entity": "sick_leave",
                    "key": {"unit": unit, "month": month}, "field": field,
                    "base_version": base_version, "base_value": base_value,
                    "new_value": value})
    return ops


def save(api, unit, month, i, bases):
    """Pushes one save; the answers move the bases on. Returns the seconds it took."""
    ops = sick_leave_ops(unit, month, i, bases)
    start = time.perf_counter()
    answer = api.call("POST", "push", {"device": "bench", "operations": ops})
    took = time.perf_counter() - start
    for op, result in zip(ops, answer["results"]):
        if result["status"] != "applied":
            raise RuntimeError(f"push: {result}")
        bases[op["field"]] = (result["version"], op["new_value"])
    return took


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def push(url, user, password, unit, month, n):
    api = Api(url)
    api.login(user, password, "bench-push")
    bases = {}
    save(api, unit, month, 0, bases)  # the row exists from here on: every save an update
    times = [save(api, unit, month, i + 1, bases) for i in range(n)]
    ms = [t * 1000 for t in times]
    print(f"push round trip, {n} saves of 8 cells: median {statistics.median(ms):.1f} ms, "
          f"p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms")


def rss(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return 0


def clients(url, password, pid, n, interval, seconds, users):
    desktops = []
    for i in range(n):
        api = Api(url)
        api.login(users[i % len(users)], password, f"bench-{i}")
        first = api.call("GET", "pull")  # the first pull (not measured)
        desktops.append((api, {"after": first["watermark"], "scope": first["scope"]}))
    # Peak memory from here on (Linux: 5 resets VmHWM).
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    latencies, errors, rows = [], [], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    start = time.monotonic()

    def desktop(i, api, state):
        t = start + interval * i / n  # spread evenly over the interval
        while t < stop:
            time.sleep(max(0.0, t - time.monotonic()))
            query = urllib.parse.urlencode(state)
            begin = time.perf_counter()
            try:
                answer = api.call("GET", f"pull?{query}")
                took = time.perf_counter() - begin
                state["after"] = answer["watermark"]
                changed = sum(len(r) for r in answer["changes"].values())
                with lock:
                    latencies.append(took * 1000)
                    rows[0] += changed
            except Exception as e:  # noqa: BLE001 — every failure is counted and shown
                with lock:
                    errors.append(str(e))
            t += interval

    def writer():
        api = Api(url)
        api.login(users[0], password, "bench-writer")
        unit = writer_unit
        bases, i = {}, 0
        while time.monotonic() < stop:
            try:
                save(api, unit, "2026-12", i, bases)
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append("writer: " + str(e))
            i += 1
            time.sleep(1.0)

    writer_unit = units_given[0]
    threads = [threading.Thread(target=desktop, args=(i, api, state))
               for i, (api, state) in enumerate(desktops)]
    threads.append(threading.Thread(target=writer))
    samples = []
    for t in threads:
        t.start()
    while time.monotonic() < stop:
        samples.append(rss(pid, "VmRSS"))
        time.sleep(1.0)
    for t in threads:
        t.join()
    print(f"{n} desktops pulling every {interval} s for {seconds} s: {len(latencies)} pulls, "
          f"{len(errors)} errors, {rows[0]} rows pulled")
    if latencies:
        print(f"pull latency: median {statistics.median(latencies):.1f} ms, "
              f"p95 {pct(latencies, 95):.1f} ms, p99 {pct(latencies, 99):.1f} ms, "
              f"max {max(latencies):.1f} ms")
    print(f"server memory under load: RSS median {statistics.median(samples)} MiB, "
          f"peak (VmHWM) {rss(pid, 'VmHWM')} MiB")
    for e in errors[:5]:
        print("error:", e)


units_given = []

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "load":
        load(args[0], args[1:])
    elif cmd == "units":
        units(args[0], int(args[1]))
    elif cmd == "economy":
        economy(args[0], args[1])
    elif cmd == "push":
        push(args[0], args[1], args[2], args[3], args[4], int(args[5]))
    elif cmd == "clients":
        # USER… as NAME:UNIT; the writer saves sick leave for the first user's unit.
        pairs = [a.split(":", 1) for a in args[6:]]
        units_given.extend(u for _, u in pairs)
        clients(args[0], args[1], int(args[2]), int(args[3]), float(args[4]), float(args[5]),
                [name for name, _ in pairs])
    else:
        sys.exit(__doc__)
