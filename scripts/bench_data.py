#!/usr/bin/env python3
"""Writes the import benchmark's files: 1 500 units, 10 monthly indicators (5 ratio, 5 sum)
and 1 000 000 measurement rows (1 500 units x 10 indicators x 67 months, cut at 1 000 000),
semicolon-separated with decimal commas, as users' files are. Deterministic."""
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
rows_wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
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

indicators = [(f"B{i}", "brøk") for i in range(5)] + [(f"S{i}", "sum") for i in range(5)]
with open(f"{out}/indikatorer.csv", "w", encoding="utf-8") as f:
    f.write("kode;navn;perspektiv;retning;frekvens;aggregering\n")
    for c, agg in indicators:
        f.write(f"{c};Indikator {c};organisasjon;lav;måned;{agg}\n")

n = 0
state = 12345
with open(f"{out}/målinger.csv", "w", encoding="utf-8") as f:
    f.write("indikator;enhet;periode;verdi;teller;nevner\n")
    for m in range(67):
        year, month = 2021 + m // 12, m % 12 + 1
        for c, agg in indicators:
            for u in units:
                if n >= rows_wanted:
                    break
                state = (state * 1103515245 + 12345) % 2**31
                if agg == "brøk":
                    f.write(f"{c};{u};{year}-{month:02d};;{state % 9000 / 100:.2f}".replace(".", ",")
                            + f";{1000 + state % 500}\n")
                else:
                    f.write(f"{c};{u};{year}-{month:02d};{state % 100000 / 10:.1f}".replace(".", ",")
                            + ";;\n")
                n += 1
print(f"{out}: {len(units)} enheter, {len(indicators)} indikatorer, {n} målinger")
