"""What a director does with Målkart, on the real window: read a sector's målkart for a
quarter and get the same figures as `malkart status`, drill down, ask why a status is what
it is, comment, and find the comment again after a restart."""

from __future__ import annotations

import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import cli_json, last_full_quarter

STATUS_WORD = {"green": "grønn", "yellow": "gul", "red": "rød", "no_data": "ingen data", "no_target": "ingen mål"}


def quarter_before(quarter: str) -> str:
    y, q = int(quarter[:4]), int(quarter[-1])
    return f"{y}-K{q - 1}" if q > 1 else f"{y - 1}-K4"


def expected_rows(status: dict) -> dict[str, dict[str, str]]:
    return {
        ind["code"]: {"value": ind["display"] or "–", "status": ind["status"]}
        for p in status["perspectives"]
        for ind in p["indicators"]
    }


def test_sector_quarter_shows_what_the_command_line_computes(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    app.screenshot("01-start-kommune")

    sector = app.choose_unit_by_name("Oppvekst")
    app.choose_period_kind("quarter")
    # Kvartal lands on the latest complete quarter (issue 12), then one back.
    app.wait_for_scorecard(unit=sector, period=last_full_quarter())
    app.find("[data-testid=period-prev]").click()
    period = quarter_before(last_full_quarter())
    app.wait_for_scorecard(unit=sector, period=period)
    app.screenshot("02-oppvekst-kvartal")

    expected = cli_json(demo_db, "status", "--unit", sector, "--period", period, "--format", "json")
    want = expected_rows(expected)
    got = app.scorecard_rows()
    assert len(want) > 0
    assert set(got) == set(want)
    for code, row in want.items():
        assert got[code]["value"] == row["value"], code
        assert got[code]["status"] == row["status"], code
        assert got[code]["status_text"] == STATUS_WORD[row["status"]], code
    # Each perspective's summary status too.
    for p in expected["perspectives"]:
        panel = app.find(f"section[data-perspective='{p['key']}'] [data-testid=perspective-status] [data-status]")
        assert panel.get_attribute("data-status") == p["status"], p["key"]


def test_drill_down_from_an_indicator_to_a_unit_below(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    root = app.find("[data-testid=scorecard]").get_attribute("data-unit")
    period = app.find("[data-testid=scorecard]").get_attribute("data-period")
    first = app.all("[data-testid=scorecard] tr[data-indicator]")[0].get_attribute("data-indicator")
    app.open_indicator(first)
    child_button = app.find("[data-testid=children] [data-testid=drill]")
    child_row = child_button.find_element(By.XPATH, "./ancestor::tr")
    child = child_row.get_attribute("data-unit")
    child_name = child_button.text.strip()
    assert child != root
    child_button.click()

    app.wait(lambda d: child_name in d.find_element(By.CSS_SELECTOR, "[data-testid=indicator-detail] .sub").text)
    app.wait_value(lambda: app.find("[role=treeitem][aria-selected=true]").get_attribute("data-unit"), child)
    status = cli_json(demo_db, "status", "--unit", child, "--period", period, "--format", "json")
    want = expected_rows(status)[first]
    app.wait_text("[data-testid=detail-value]", lambda t: t.replace("\xa0", " ").strip() == want["value"])
    app.screenshot("03-drill-down")


def test_indicator_detail_explains_its_status(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    sector = app.choose_unit_by_name("Helse og omsorg")
    period = app.find("[data-testid=scorecard]").get_attribute("data-period")
    status = cli_json(demo_db, "status", "--unit", sector, "--period", period, "--format", "json")
    with_target = [
        ind for p in status["perspectives"] for ind in p["indicators"] if ind["status"] in ("green", "yellow", "red")
    ]
    assert with_target, "demokommunen skal ha indikatorer med mål"
    ind = with_target[0]
    app.open_indicator(ind["code"])
    text = app.wait_text(
        "[data-testid=explanation]",
        lambda t: "Hvorfor denne statusen?" in t and ind["display"] in t.replace("\xa0", " "),
    )
    assert f"Status\n{STATUS_WORD[ind['status']]}." in text or f"{STATUS_WORD[ind['status']]}." in text
    app.wait_value(lambda: app.find("[data-testid=detail-status] [data-status]").get_attribute("data-status"), ind["status"])
    app.find("[data-testid=history-chart] canvas")
    app.screenshot("04-indikator-forklaring")
    # Escape goes back, and the focus lands on the indicator that was open.
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.wait_for_scorecard(unit=sector)
    app.wait_value(
        lambda: app.driver.switch_to.active_element.find_element(By.XPATH, "./ancestor::tr").get_attribute("data-indicator"),
        ind["code"],
    )


def test_a_comment_is_still_there_after_a_restart(open_app, demo_db: Path):
    text = f"Tiltak for e2e-test {int(time.time())}"
    app = open_app(demo_db)
    app.wait_for_scorecard()
    first = app.all("[data-testid=scorecard] tr[data-indicator]")[0].get_attribute("data-indicator")
    app.open_indicator(first)
    box = app.find("[data-testid=new-comment]")
    box.send_keys(text)
    app.find("[data-testid=add-comment]").click()
    app.wait(lambda d: any(e.text == text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=comment-text]")))
    app.show("[data-testid=comments]")
    app.screenshot("05-kommentar-lagt-til")
    app.quit()

    again = open_app(demo_db)
    again.wait_for_scorecard()
    again.open_indicator(first)
    again.wait(lambda d: any(e.text == text for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=comment-text]")))
    again.show("[data-testid=comments]")
    again.screenshot("06-kommentar-etter-omstart")


def test_the_unit_tree_works_with_the_keyboard_alone(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    root = app.find("[data-testid=scorecard]").get_attribute("data-unit")
    search = app.find("[data-testid=unit-search]")
    search.click()
    search.send_keys(Keys.ARROW_DOWN)  # into the tree, on the first unit
    focused = lambda attr: app.driver.switch_to.active_element.get_attribute(attr)  # noqa: E731
    app.wait_value(lambda: focused("data-unit"), root)
    app.driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    app.wait(lambda d: focused("data-unit") not in (None, root))
    below = focused("data-unit")
    app.driver.switch_to.active_element.send_keys(Keys.ENTER)
    app.wait_for_scorecard(unit=below)
    app.wait_value(lambda: app.find("[role=treeitem][aria-selected=true]").get_attribute("data-unit"), below)

    # Type-ahead: "t" jumps to the next unit whose name starts with T; → opens it, ↓ enters it.
    app.driver.switch_to.active_element.send_keys("t")
    name = lambda: app.driver.switch_to.active_element.find_element(By.CSS_SELECTOR, ".name").get_attribute("textContent")  # noqa: E731
    app.wait(lambda d: name().lower().startswith("t"))
    app.wait_value(lambda: focused("aria-expanded"), "false")
    app.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    app.wait_value(lambda: focused("aria-expanded"), "true")
    parent = focused("data-unit")
    level = int(focused("aria-level"))
    app.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
    app.wait_value(lambda: focused("aria-level"), str(level + 1))
    app.driver.switch_to.active_element.send_keys(Keys.ARROW_LEFT)
    app.wait_value(lambda: focused("data-unit"), parent)
    app.screenshot("07-tastatur")


def test_an_empty_database_offers_the_demo_municipality(open_app, tmp_path: Path):
    db = tmp_path / "ny.db"
    app = open_app(db)
    app.find("[data-testid=welcome]")
    app.screenshot("00-velkommen")
    app.find("[data-testid=load-demo]").click()
    app.wait_for_scorecard()
    assert len(app.all("[data-testid=scorecard] tr[data-indicator]")) > 0


def test_a_file_with_a_bad_line_is_listed_with_its_line_and_nothing_changes(open_app, demo_db: Path, tmp_path: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    root = app.find("[data-testid=scorecard]").get_attribute("data-unit")
    period = app.find("[data-testid=scorecard]").get_attribute("data-period")
    before = cli_json(demo_db, "status", "--unit", root, "--period", period, "--format", "json")
    codes = [ind["code"] for p in before["perspectives"] for ind in p["indicators"]]
    year = period[:4]
    targets = tmp_path / "mål.csv"
    # Line 2 is right, line 3 has a target that is not a number: the whole file is refused.
    targets.write_text(
        "indikator;enhet;år;målverdi;rød_grense\n"
        f"{codes[0]};;{year};12,5;\n"
        f"{codes[1]};;{year};7,3,1;\n",
        encoding="utf-8",
    )
    app.find("[data-testid=nav-data]").click()
    app.find("[data-testid=import] input[value=targets]").click()
    path = app.find("[data-testid=import-path]")
    path.clear()
    path.send_keys(str(targets))
    app.find("[data-testid=import-preview]").click()
    failure = app.find("[data-testid=import-failure]")
    line3 = failure.find_element(By.CSS_SELECTOR, "tr[data-line='3']")
    app.wait(lambda d: "7,3,1" in line3.text)
    assert not failure.find_elements(By.CSS_SELECTOR, "tr[data-line='2']")
    app.wait_text("[data-testid=import-failure]", lambda t: "ingenting er endret" in t)
    app.screenshot("08-import-med-feil")
    after = cli_json(demo_db, "status", "--unit", root, "--period", period, "--format", "json")
    assert after == before


def test_a_target_set_in_the_detail_changes_the_status(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    root = app.find("[data-testid=scorecard]").get_attribute("data-unit")
    period = app.find("[data-testid=scorecard]").get_attribute("data-period")
    before = cli_json(demo_db, "status", "--unit", root, "--period", period, "--format", "json")
    off_target = [
        ind for p in before["perspectives"] for ind in p["indicators"]
        if ind["status"] in ("yellow", "red") and ind["display_value"] is not None
    ]
    assert off_target, "demokommunen skal ha indikatorer som ikke når målet"
    ind = off_target[0]
    typed = f"{ind['display_value']:.{ind['decimals']}f}".replace(".", ",")
    app.open_indicator(ind["code"])
    app.show("[data-testid=targets]")
    app.find("[data-testid=edit-target]").click()
    app.find("[data-testid=targets] input[value=unit]").click()
    # Select all and type over, as a person does (WebDriver's clear() fires no input event).
    box = app.find("[data-testid=target-value]")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(typed)
    red = app.find("[data-testid=target-red]")
    red.send_keys(Keys.CONTROL, "a")
    red.send_keys(Keys.BACKSPACE)
    app.find("[data-testid=save-target]").click()
    # The unit's own target equal to the displayed value is met whichever the direction.
    app.wait(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=detail-status] [data-status]").get_attribute("data-status") == "green")
    app.screenshot("09-mål-endret")
    after = cli_json(demo_db, "status", "--unit", root, "--period", period, "--format", "json")
    now = next(i for p in after["perspectives"] for i in p["indicators"] if i["code"] == ind["code"])
    assert now["target"] == ind["display_value"]
    assert now["status"] == "green"
    # Back on the målkart, the row shows it too.
    app.find("[data-testid=back]").click()
    app.wait_for_scorecard(unit=root)
    app.wait(lambda d: app.scorecard_rows()[ind["code"]]["status"] == "green")


def test_a_month_is_locked_and_unlocked_with_a_reason_in_the_log(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    app.find("[data-testid=nav-data]").click()
    month = app.find("[data-testid=lock-month]").get_attribute("value")
    app.find("[data-testid=lock]").click()
    row = app.find(f"[data-testid=locks] tr[data-month='{month}']")
    row.find_element(By.CSS_SELECTOR, "[data-testid=start-unlock]").click()
    reason = "Rettet feil i tallene fra regnskapet"
    app.find("[data-testid=unlock-reason]").send_keys(reason)
    app.find("[data-testid=unlock]").click()
    app.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f"[data-testid=locks] tr[data-month='{month}']"))
    app.wait(lambda d: reason in d.find_element(By.CSS_SELECTOR, "[data-testid=audit]").text)
    app.show("[data-testid=audit]")
    app.screenshot("10-lås-og-logg")


def test_a_good_file_is_previewed_then_imported(open_app, demo_db: Path, tmp_path: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard()
    root = app.find("[data-testid=scorecard]").get_attribute("data-unit")
    period = app.find("[data-testid=scorecard]").get_attribute("data-period")
    before = cli_json(demo_db, "status", "--unit", root, "--period", period, "--format", "json")
    ind = next(
        i for p in before["perspectives"] for i in p["indicators"]
        if i["period"] == period and i["aggregation"] != "sum"
    )
    targets = tmp_path / "mål.csv"
    targets.write_text(f"indikator;enhet;år;målverdi;rød_grense\n{ind['code']};{root};{period[:4]};12 345;\n", encoding="utf-8")
    app.find("[data-testid=nav-data]").click()
    app.find("[data-testid=import] input[value=targets]").click()
    app.find("[data-testid=import-path]").send_keys(str(targets))
    app.find("[data-testid=import-preview]").click()
    app.wait_text("[data-testid=import-created]", "1")
    # The preview stored nothing.
    assert cli_json(demo_db, "status", "--unit", root, "--period", period, "--format", "json") == before
    app.find("[data-testid=import-apply]").click()
    app.wait_text("[data-testid=import-done]", lambda t: "er importert" in t)
    after = cli_json(demo_db, "status", "--unit", root, "--period", period, "--format", "json")
    now = next(i for p in after["perspectives"] for i in p["indicators"] if i["code"] == ind["code"])
    assert now["target"] == 12345
