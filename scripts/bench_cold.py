"""The cold-start comparison of issue 17 (docs/benchmarks.md §14), run by
scripts/bench-cold.sh: the whole process `malkart status --unit ROOT --period P --format json`
against the sqlite3 command-line tool answering a value-only roll-up of the same målkart
with a recursive CTE, in one run and interleaved (A B, B A, A B, …), so both meet the same
machine. It first checks that the SQL's values equal Målkart's for every sum and brøk
indicator it covers (the period, the previous period and the same period last year), then
prints the medians of wall time, CPU time and peak RSS, and the ratio.

    python3 scripts/bench_cold.py MALKART DB ROOT PERIOD ROUNDS
"""

import json
import os
import statistics
import subprocess
import sys
import time


def months(period):
    """The first and last month index (year × 12 + month − 1) of a quarter `2026-K3`."""
    year, quarter = period.split("-K")
    first = int(year) * 12 + (int(quarter) - 1) * 3
    return first, first + 2


def rollup_sql(root, period):
    """Per indicator: the value for the period, the previous quarter and the quarter a year
    before, over the root's subtree (a recursive CTE over units), for the indicators a plain
    sum or Σteller/Σnevner × faktor answers: aggregation sum or brøk, summed over units,
    monthly or quarterly (so their spans lie inside the quarter)."""
    a, b = months(period)
    spans = {"p": (a, b), "prev": (a - 3, b - 3), "ly": (a - 12, b - 12)}

    def inside(name):
        lo, hi = spans[name]
        return f"(m.span_first >= {lo} AND m.span_last <= {hi})"

    def value(name):
        cond = inside(name)
        return (
            f"CASE WHEN i.aggregation = 'sum' THEN sum(CASE WHEN {cond} THEN m.value END) "
            f"ELSE i.factor * sum(CASE WHEN {cond} THEN m.numerator END) "
            f"/ sum(CASE WHEN {cond} THEN m.denominator END) END"
        )

    return f"""
WITH RECURSIVE subtree (code) AS (
    SELECT '{root}'
    UNION ALL
    SELECT u.code FROM units u JOIN subtree s ON u.parent = s.code
)
SELECT m.indicator, {value("p")}, {value("prev")}, {value("ly")}
FROM indicators i
JOIN measurements m ON m.indicator = i.code
WHERE i.aggregation IN ('sum', 'brøk') AND i.unit_rollup = 'sum'
  AND i.frequency IN ('måned', 'kvartal')
  AND m.span_first BETWEEN {spans["ly"][0]} AND {spans["p"][1]}
  AND ({inside("p")} OR {inside("prev")} OR {inside("ly")})
  AND m.unit IN (SELECT code FROM subtree)
GROUP BY m.indicator
ORDER BY m.indicator;
"""


def peak_rss(argv):
    """Peak RSS in KiB, from GNU time (a child forked from Python would count Python's pages
    as its own until it execs)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, check=True).stderr.decode()
    return int(out.strip().splitlines()[-1])


def run(argv):
    """Runs a command to its end; answers (wall s, CPU s, stdout)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{argv[0]} gikk ikke: kode {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, out


def number(text):
    return None if text in ("", None) else float(text)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check(malkart_out, sqlite_out, period):
    """Every SQL value equals Målkart's (unrounded) value of the same indicator."""
    ours = {}
    for p in json.loads(malkart_out)["perspectives"]:
        for r in p["indicators"]:
            ours[r["code"]] = r
    compared = 0
    for line in sqlite_out.decode().splitlines():
        code, *values = line.split("|")
        r = ours.get(code)
        if r is None:
            sys.exit(f"{code}: Målkart viser ikke indikatoren")
        want = [r.get("value"), (r.get("previous") or {}).get("value"),
                (r.get("last_year") or {}).get("value")]
        got = [number(v) for v in values]
        if r["period"] != period:
            sys.exit(f"{code}: Målkart viser perioden {r['period']}, ikke {period}")
        for name, w, g in zip(("perioden", "forrige", "i fjor"), want, got):
            if not close(w, g):
                sys.exit(f"{code} {name}: Målkart {w}, SQL {g}")
            compared += 1
    return compared


def main():
    malkart, db, root, period, rounds = sys.argv[1:6]
    rounds = int(rounds)
    sql = rollup_sql(root, period)
    a = [malkart, "--db", db, "status", "--unit", root, "--period", period, "--format", "json"]
    b = ["sqlite3", "-readonly", db, sql]
    compared = check(run(a)[2], run(b)[2], period)
    print(f"samme tall: {compared} verdier (sum- og brøkindikatorer, perioden, forrige, i fjor)")
    figures = {"malkart": [], "sqlite3": []}
    for n in range(rounds):
        order = (("malkart", a), ("sqlite3", b)) if n % 2 == 0 else (("sqlite3", b), ("malkart", a))
        for name, argv in order:
            figures[name].append(run(argv)[:2])
    rss = {name: statistics.median(peak_rss(argv) for _ in range(5))
           for name, argv in (("malkart", a), ("sqlite3", b))}
    med = {
        name: [statistics.median(f[i] for f in runs) for i in range(2)] + [rss[name]]
        for name, runs in figures.items()
    }
    for name, (wall, cpu, rss) in med.items():
        print(f"{name:8} median over {rounds}: {wall * 1000:7.1f} ms wall, "
              f"{cpu * 1000:7.1f} ms CPU, peak RSS {rss / 1024:6.1f} MiB")
    ratio = med["sqlite3"][0] / med["malkart"][0]
    cpu_ratio = med["sqlite3"][1] / med["malkart"][1]
    print(f"forhold sqlite3 / malkart: {ratio:.2f} (wall), {cpu_ratio:.2f} (CPU); "
          f"mål ≥ 1,0 og malkart ≤ 50 MiB")


if __name__ == "__main__":
    main()
