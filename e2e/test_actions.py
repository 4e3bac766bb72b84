"""Tiltak on the real window (issue 15): a director sees an indicator marked «rød uten tiltak»
in the målkart, opens it, creates a tiltak from it with «Nytt tiltak» (prefilled: the
indicator, its goal and the unit), sees the flag go, finds the tiltak in the Tiltak list, and
exports the actions report as PDF — read back with `pdftotext`, its first page rendered for
a person to look at. Expected flags and counts come from `malkart status --format json`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import SHOTS, cli_json, export_to, month_id


def flagged(db: Path, unit: str, period: str) -> list[dict]:
    card = cli_json(db, "status", "--unit", unit, "--period", period, "--format", "json")
    return [r for p in card["perspectives"] for r in p["indicators"] if r["red_without_action"]]


def set_month(app, css: str, value: str):
    """A month field (`<input type=month>`): WebKitGTK draws it as it likes, so the value is
    set as a person's typing would leave it, with the input event Svelte listens to."""
    field = app.find(css)
    app.driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
        field,
        value,
    )


def test_a_director_answers_a_red_indicator_with_a_tiltak_and_exports_the_actions_report(open_app, demo_db: Path, tmp_path: Path):
    period = month_id()
    app = open_app(demo_db)
    card = app.wait_for_scorecard(period=period)
    root = card.get_attribute("data-unit")

    # The demo leaves one or two red indicators without a tiltak for the director to find.
    before = flagged(demo_db, root, period)
    assert before, "demokommunen skal ha minst én rød indikator uten tiltak"
    code = before[0]["code"]
    goal = before[0]["goal"]
    row = app.find(f"[data-testid=scorecard] tr[data-indicator='{code}']")
    mark = row.find_element(By.CSS_SELECTOR, "[data-testid=red-without-action]")
    assert mark.text.strip() == "⚑ rød uten tiltak"
    # The summary strip counts them, and each goal's tiltak stand under its perspective.
    strip = app.find("[data-testid=strip-red-without-action]").text
    assert strip.startswith(f"⚑ {len(before)} rød"), strip
    assert app.all("[data-testid=goal-actions]"), "målkartet skal vise tiltak per mål"
    app.show(f"[data-testid=scorecard] tr[data-indicator='{code}']")
    app.screenshot("80-tiltak-rod-uten-tiltak")

    # «Nytt tiltak» from the red indicator: the form comes prefilled.
    app.open_indicator(code)
    app.find("[data-testid=detail-red-without-action]")
    app.find("[data-testid=indicator-actions] [data-testid=new-action]").click()
    form = app.find("[data-testid=action-form]")
    assert app.find("[data-testid=f-mal]").get_attribute("value") == goal
    assert app.find("[data-testid=f-enhet]").get_attribute("value") == root
    box = form.find_element(By.CSS_SELECTOR, f"input[data-indicator='{code}']")
    assert box.is_selected()
    new_code = app.find("[data-testid=f-kode]").get_attribute("value")
    assert new_code.startswith("T-")

    # A progress above 100 is refused beside its field, and nothing is saved.
    title = "Ekstra oppfølging av avvikene"
    app.find("[data-testid=f-tittel]").send_keys(title)
    set_month(app, "[data-testid=f-frist]", f"{int(period[:4]) + 1}-03")
    progress = app.find("[data-testid=f-fremdrift]")
    progress.clear()
    progress.send_keys("120")
    responsible = app.find("[data-testid=f-ansvarlig]")
    responsible.send_keys("Kommunedirektøren")
    responsible.send_keys(Keys.ENTER)
    refused = app.find("#f-fremdrift-feil").text
    assert "fra 0 til 100" in refused, refused
    # The focus is on the refused field, for the keyboard to fix it there.
    app.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "f-fremdrift")
    app.screenshot("81-tiltak-skjema-feil")
    progress = app.find("[data-testid=f-fremdrift]")
    progress.clear()
    progress.send_keys("10")
    progress.send_keys(Keys.ENTER)

    # Saved: the flag is gone from the detail and the tiltak is listed there.
    app.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=action-form]"))
    app.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=detail-red-without-action]"))
    listed = app.find(f"[data-testid=indicator-actions] tr[data-action='{new_code}']")
    assert title in listed.text
    app.show("[data-testid=indicator-actions]")
    app.screenshot("82-tiltak-i-indikatoren")

    # Back in the målkart the indicator is no longer flagged, as the command line says.
    app.find("[data-testid=back]").click()
    app.wait_for_scorecard(period=period)
    app.wait(lambda d: not d.find_elements(
        By.CSS_SELECTOR, f"[data-testid=scorecard] tr[data-indicator='{code}'] [data-testid=red-without-action]"))
    assert code not in [r["code"] for r in flagged(demo_db, root, period)]

    # The Tiltak list: the new tiltak among the municipality's, filtered by its goal.
    app.find("[data-testid=nav-actions]").click()
    app.find("[data-testid=actions-view]")
    app.find(f"[data-testid=filter-goal] option[value='{goal}']")
    Select(app.find("[data-testid=filter-goal]")).select_by_value(goal)
    app.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f"[data-testid=actions-view] tr[data-action='{new_code}']"))
    count = app.find("[data-testid=actions-count]").text
    assert count.startswith("Viser "), count
    # Opened by the keyboard: Enter on the row's title.
    app.find(f"[data-testid=actions-view] tr[data-action='{new_code}'] [data-testid=open-action]").send_keys(Keys.ENTER)
    detail = app.find("[data-testid=action-detail]")
    assert title in detail.text
    assert "○ ikke startet" in app.find("[data-testid=action-detail-status]").text
    # A status comment for the month shown; the report shows it as the latest.
    note = "Kartleggingen er i gang."
    app.find("[data-testid=new-action-comment]").send_keys(note)
    app.find("[data-testid=add-action-comment]").click()
    app.wait(lambda d: any(note in e.text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=action-comment-text]")))
    app.screenshot("83-tiltak-liste")

    # The actions report, exported as PDF and read back.
    app.find("[data-testid=nav-reports]").click()
    app.find("[data-testid=tab-actions]").click()
    line = app.find(f"[data-testid=actions-report] tr[data-action='{new_code}']")
    assert note in line.find_element(By.CSS_SELECTOR, "[data-testid=last-comment]").text
    assert "○ ikke startet" in line.text and "10 %" in line.text, line.text
    app.screenshot("84-tiltak-rapport")
    out = tmp_path / f"tiltak-{root}-{period}.pdf"
    done = export_to(app, "[data-testid=actions-report]", out, "pdf")
    assert done == f"Lagret i {out}"
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tiltak" in text
    assert new_code in text and "Ekstra oppfølging" in text, text
    assert "Side 1 av" in text
    # Page 1 as a picture, beside the screenshots, for a person to look at.
    SHOTS.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(SHOTS / "85-tiltak-rapport-pdf")], check=True)
