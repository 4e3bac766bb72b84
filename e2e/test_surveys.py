"""Surveys on the real window (issue 16): a leader opens «Rapporter» › «Undersøkelser» for a
unit and reads its 10-FAKTOR round factor by factor beside the round before, the municipality
and the national average; a unit with too few respondents shows every score as `*` with its
reason; the view is exported as PDF, read back with `pdftotext` and its first page rendered
for a person to look at. Expected figures come from `malkart status --format json` on the
same database, and the units from the database itself."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import SHOTS, cli_json, export_to, month_id


def shown(value: float) -> str:
    """A score as the app shows it: one decimal, rounded half away from zero on the number's
    shortest decimal form (4,35 → 4,4, as the core's `format::round_half_away`)."""
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")


def one(db: Path, sql: str) -> tuple:
    with sqlite3.connect(db) as conn:
        row = conn.execute(sql).fetchone()
    assert row, sql
    return row


def tf(db: Path, unit: str, code: str, period: str) -> dict:
    card = cli_json(db, "status", "--unit", unit, "--period", period, "--format", "json")
    return next(r for p in card["perspectives"] for r in p["indicators"] if r["code"] == code)


def open_surveys(app, name: str):
    code = app.choose_unit_by_name(name)
    app.find("[data-testid=nav-reports]").click()
    app.find("[data-testid=tab-surveys]").click()
    return app.find(f"[data-testid=survey-report] [data-testid=survey-table][data-unit='{code}']")


def choose_in_the_tree(app, name: str):
    """Another unit chosen in the tree while the survey view is open: the view follows."""
    code = app.choose_unit_by_name(name, scorecard=False)
    return app.find(f"[data-testid=survey-report] [data-testid=survey-table][data-unit='{code}']")


def test_a_leader_reads_the_units_10_faktor_round_and_a_small_unit_is_masked(open_app, demo_db: Path, tmp_path: Path):
    period = month_id()
    # A unit shown in both rounds (the previous round is two years back), and a unit below
    # the minimum of 3 respondents.
    code, name = one(
        demo_db,
        "SELECT u.code, u.name FROM survey_results a JOIN survey_results b USING (indicator, unit) "
        "JOIN units u ON u.code = a.unit WHERE a.indicator = 'TF-1' AND a.year = 2026 "
        "AND b.year = 2024 AND a.respondents >= 10 AND b.respondents >= 10 AND u.parent IS NOT NULL "
        "AND (SELECT COUNT(*) FROM units v WHERE v.name = u.name) = 1 ORDER BY u.code LIMIT 1",
    )
    small, small_name = one(
        demo_db,
        "SELECT u.code, u.name FROM survey_results r JOIN units u ON u.code = r.unit "
        "WHERE r.indicator = 'TF-1' AND r.year = 2026 AND r.respondents < 3 "
        "AND (SELECT COUNT(*) FROM units v WHERE v.name = u.name) = 1 ORDER BY u.code LIMIT 1",
    )
    expected = tf(demo_db, code, "TF-1", period)
    assert expected["masked"] is None and expected["period"] == "2026"
    assert expected["previous"]["period"] == "2024"

    app = open_app(demo_db)
    app.wait_for_scorecard(period=period)
    table = open_surveys(app, name)
    head = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert "2026" in head and "2024" in head and "Landet" in head, head
    row = app.find("[data-testid=survey-table] tr[data-factor='TF-1']")
    assert "Mestringsorientert ledelse" in row.text
    assert row.find_element(By.CSS_SELECTOR, "[data-testid=score]").text == expected["display"]
    previous = shown(expected["previous"]["value"])
    assert row.find_element(By.CSS_SELECTOR, "[data-testid=previous]").text == previous
    # The change is the difference of the two shown values.
    tenths = Decimal(expected["display"].replace(",", ".")) - Decimal(previous.replace(",", "."))
    change = ("+" if tenths > 0 else "−" if tenths < 0 else "") + f"{abs(tenths):.1f}".replace(".", ",")
    assert row.find_element(By.CSS_SELECTOR, "[data-testid=change]").text == change
    landet = next(x for x in expected["references"] if x["series"] == "Landet")
    assert row.find_element(By.CSS_SELECTOR, "[data-testid=reference]").text == landet["display"]
    # Ten factors in KS's order, each with a status in words.
    factors = [tr.get_attribute("data-factor") for tr in app.all("[data-testid=survey-table] tbody tr")]
    assert factors == [f"TF-{n}" for n in range(1, 11)], factors
    subtitle = app.find("[data-testid=survey-subtitle]").text
    assert "Runde 2026, sammenlignet med 2024" in subtitle and "svar" in subtitle, subtitle
    app.screenshot("86-undersokelse-10-faktor")

    # The PDF of the same view.
    out = tmp_path / f"undersøkelse-{code}-2026.pdf"
    done = export_to(app, "[data-testid=survey-report]", out, "pdf")
    assert done == f"Lagret i {out}"
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "10-FAKTOR 2026" in flat, flat
    assert "Mestringsorientert ledelse" in flat and expected["display"] in flat, flat
    assert "Landet" in flat and "Side 1 av 1" in flat, flat
    SHOTS.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(SHOTS / "87-undersokelse-pdf")], check=True)

    # The small unit: every score hidden, with why, and the footnote.
    masked = tf(demo_db, small, "TF-1", period)
    assert masked["masked"] == "few_respondents" and masked["value"] is None
    choose_in_the_tree(app, small_name)
    app.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=survey-table] tr[data-factor='TF-1'][data-masked]"))
    row = app.find("[data-testid=survey-table] tr[data-factor='TF-1']")
    score = row.find_element(By.CSS_SELECTOR, "[data-testid=score]")
    assert score.text.startswith("*"), score.text
    assert "færre enn 3 svar" in score.text
    assert score.get_attribute("title") == "Skjult av personvernhensyn: færre enn 3 svar."
    assert "antall svar vises ikke" in app.find("[data-testid=survey-subtitle]").text
    assert "færre enn 3 svar" in app.find("[data-testid=survey-footnote]").text
    app.screenshot("88-undersokelse-maskert")

    # The factor's detail on the målkart: the round before by its year, the respondents
    # instead of «same period last year», and the chart's points the rounds 2024 and 2026.
    app.find("[data-testid=nav-scorecard]").click()
    app.choose_unit_by_name(name)
    app.open_indicator("TF-1")
    figures = app.find("[data-testid=indicator-detail] .figures").text
    assert "Runden før (2024)" in figures and "Samme periode i fjor" not in figures, figures
    assert app.find("[data-testid=detail-respondents]").text == str(expected["survey"]["respondents"])
    app.screenshot("89-undersokelse-detalj")
