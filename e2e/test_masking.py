"""Sick-leave privacy on the real window (issue 19): a director opens a small unit's målkart
and sees `*` with the reason instead of its sick leave, opens the indicator and finds no chart
point for the masked months, turns on «Vis umaskerte tall» and sees the figures, and after a
restart sees them masked again.

No date is assumed: the period is the one the app opens on (its `data-period`), and which
units and months are masked comes from `malkart export sick-leave --format json` on the same
database — the same decision the app applies."""

from __future__ import annotations

import sqlite3
from pathlib import Path


from conftest import cli_json

SF_CODES = ["SF", "SF-E", "SF-L", "SF-KORT", "SF-LANG", "SF-N"]


def previous_month(month: str, back: int) -> str:
    y, m = (int(x) for x in month.split("-"))
    index = y * 12 + (m - 1) - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def masked_rows(db: Path, root: str, period: str) -> dict[str, dict]:
    """The units masked for `period`, by code: the summary of the whole municipality."""
    report = cli_json(db, "export", "sick-leave", "--unit", root, "--period", period, "--format", "json")
    return {r["code"]: r for r in report["rows"] if r["masked"]}


def unit_names(db: Path, root: str, period: str) -> dict[str, str]:
    report = cli_json(db, "export", "sick-leave", "--unit", root, "--period", period, "--format", "json")
    return {r["code"]: r["name"] for r in report["rows"]}


def test_a_small_units_sick_leave_is_masked_until_shown_deliberately(open_app, demo_db: Path):
    app = open_app(demo_db)
    card = app.wait_for_scorecard()
    root = card.get_attribute("data-unit")
    month = card.get_attribute("data-period")
    masked = masked_rows(demo_db, root, month)
    small = [code for code, r in masked.items() if r["mask_reason"] == "few_employees"]
    assert small, f"demokommunen skal ha en liten enhet som skjules i {month}"
    history = [previous_month(month, back) for back in range(12, -1, -1)]
    masked_by_month = {m: masked_rows(demo_db, root, m) for m in history}
    # Prefer a unit that is shown in some month of the chart, so that the chart has points
    # and gaps both.
    code = max(small, key=lambda c: sum(1 for m in history if c not in masked_by_month[m]))
    name = unit_names(demo_db, root, month)[code]

    # The målkart: `*` and the reason, never the number.
    app.choose_unit_by_name(name)
    app.wait_for_scorecard(unit=code, period=month)
    sf_row = "[data-testid=scorecard] tr[data-indicator='SF']"
    app.wait_value(lambda: app.find(sf_row).get_attribute("data-masked"), "few_employees")
    app.wait_text(f"{sf_row} [data-testid=value]", lambda t: t.strip() == "*")
    app.wait_text(f"{sf_row} [data-testid=mask-reason]", lambda t: "færre enn 5 ansatte" in t)
    for sf_code in SF_CODES:
        app.wait_text(f"[data-testid=scorecard] tr[data-indicator='{sf_code}'] [data-testid=value]", lambda t: t.strip() == "*")
    raw = cli_json(demo_db, "status", "--unit", code, "--period", month, "--format", "json", "--umaskert")
    raw_sf = next(r for p in raw["perspectives"] for r in p["indicators"] if r["code"] == "SF")
    assert raw_sf["display"] is not None
    masked_cli = cli_json(demo_db, "status", "--unit", code, "--period", month, "--format", "json")
    masked_sf = next(r for p in masked_cli["perspectives"] for r in p["indicators"] if r["code"] == "SF")
    assert (masked_sf["value"], masked_sf["masked"]) == (None, "few_employees")
    app.screenshot("30-maskert-maalkart")

    # The detail: `*`, the reason, and no chart point for a masked month.
    app.open_indicator("SF")
    app.wait_text("[data-testid=detail-value]", lambda t: t.strip() == "*")
    app.wait_text("[data-testid=detail-mask-reason]", lambda t: "personvernhensyn" in t)
    chart = app.find("[data-testid=history-chart]")
    drawn = set((chart.get_attribute("data-points") or "").split())
    hidden = {m for m in history if code in masked_by_month[m]}
    assert month in hidden
    assert not drawn & hidden, f"punkter for skjulte måneder: {sorted(drawn & hidden)}"
    rows = {
        tr.get_attribute("data-period"): tr.get_attribute("data-masked")
        for tr in app.all("[data-testid=indicator-detail] .numbers tbody tr")
    }
    for m in hidden:
        assert rows.get(m), f"{m} skal vises som skjult i tabellen"
    app.screenshot("31-maskert-detalj")

    # «Vis umaskerte tall»: the figures appear, and the switch is in the audit log.
    app.find("[data-testid=unmask-toggle]").click()
    app.find("[data-testid=unmask-warning]")
    app.wait_text("[data-testid=detail-value]", lambda t: t.replace("\xa0", " ").strip() == raw_sf["display"])
    app.find("[data-testid=back]").click()
    app.wait_text(f"{sf_row} [data-testid=value]", lambda t: t.strip() not in ("", "*"))
    app.screenshot("32-umaskert")

    def switched():
        with sqlite3.connect(demo_db) as conn:
            rows = conn.execute("SELECT new FROM audit WHERE entity = 'sykefravær umaskert' ORDER BY id").fetchall()
        return ('"på"',) in rows

    app.wait_value(switched, True)

    # A restart: masked again.
    app.quit()
    again = open_app(demo_db)
    again.wait_for_scorecard()
    assert not again.find("[data-testid=unmask-toggle]").is_selected()
    again.choose_unit_by_name(name)
    again.wait_text(f"{sf_row} [data-testid=value]", lambda t: t.strip() == "*")
    again.screenshot("33-maskert-etter-omstart")
