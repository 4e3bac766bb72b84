#!/usr/bin/env python3
"""Writes the economy import benchmark's files: 1 500 units (enheter.csv) and an accounting
export of N lines (økonomi.csv, default 500 000) as Visma or Unit4 write them: extra columns
(firma, konto, prosjekt, mva), one line per account and function, expenses positive and
income lines with the real minus sign U+2212, amounts with space-grouped thousands and a
decimal comma, plus one budget line per ansvar and month. 1 500 units x 12 months of 2026;
the lines of one (ansvar, periode) are summed by the import. Deterministic."""
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "target/bench/economy"
lines_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000
os.makedirs(out, exist_ok=True)

units = ["1000"] + [f"{2000 + s * 1000}" for s in range(4)]
parents = {"1000": ""}
for s in range(4):
    parents[f"{2000 + s * 1000}"] = "1000"
code = 10000
while len(units) < 1500:
    sector = f"{2000 + (len(units) % 4) * 1000}"
    units.append(str(code))
    parents[str(code)] = sector
    code += 1

with open(f"{out}/enheter.csv", "w", encoding="utf-8") as f:
    f.write("kode;navn;overordnet;nivå\n")
    for u in units:
        f.write(f"{u};Enhet {u};{parents[u]};{'kommune' if u == '1000' else 'enhet'}\n")


def kroner(ore):
    sign = "\u2212" if ore < 0 else ""
    ore = abs(ore)
    whole = f"{ore // 100:,}".replace(",", " ")
    return f"{sign}{whole},{ore % 100:02d}"


state = 12345


def rand(n):
    global state
    state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (state >> 33) % n


groups = len(units) * 12
per_group = max(2, -(-lines_wanted // groups))
n = 0
with open(f"{out}/økonomi.csv", "w", encoding="utf-8") as f:
    f.write("firma;ansvar;periode;art;funksjon;prosjekt;mva;tekst;budsjett;regnskap\n")
    for m in range(12):
        periode = f"2026-{m + 1:02d}"
        for u in units:
            if n >= lines_wanted:
                break
            f.write(f"1;{u};{periode};;;;;Budsjett;{kroner(100_000_00 + rand(50_000_00))};\n")
            n += 1
            for k in range(per_group - 1):
                if n >= lines_wanted:
                    break
                art = 10100 + 100 * (k % 40)
                amount = rand(2_000_000_00)
                if k % 7 == 6:
                    amount = -amount  # income line
                f.write(f"1;{u};{periode};{art};{2020 + k % 9};;{k % 3};Linje {k};;{kroner(amount)}\n")
                n += 1
print(f"{n} lines, {groups} (ansvar, periode) groups, in {out}/økonomi.csv")
