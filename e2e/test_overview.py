"""The director's overview (issue 12 §2) on the real window: the summary strip's counts are
the målkart's (`malkart status` on the same file), «Vis bare avvik» — reached with the
keyboard — leaves only the yellow and red indicators and says so where a perspective has
none; a sector's status grid opens a unit's målkart (click and Enter), the breadcrumb leads
back, and every unit in the tree carries a status mark."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import cli_json, last_full_quarter, month_id, months_of_quarter

WORST = ["red", "yellow", "green"]


def card(db: Path, unit: str, period: str) -> dict:
    return cli_json(db, "status", "--unit", unit, "--period", period, "--format", "json")


def strip_counts(app) -> dict[str, int]:
    return {
        key: int(app.find(f"[data-testid=strip-{key}]").get_attribute("data-count"))
        for key in ["green", "yellow", "red", "without"]
    }


def shown_codes(app) -> set[str]:
    return {tr.get_attribute("data-indicator") for tr in app.all("[data-testid=scorecard] tr[data-indicator]")}


def worst(statuses: list[str]) -> str:
    return next((s for s in WORST if s in statuses), "no_data")


def test_only_deviations_are_shown_when_asked(open_app, demo_db: Path):
    app = open_app(demo_db)
    period = month_id()
    app.wait_for_scorecard(period=period)
    root = app.find("[data-testid=scorecard]").get_attribute("data-unit")
    expected = card(demo_db, root, period)
    indicators = [i for p in expected["perspectives"] for i in p["indicators"]]
    # The last full month has ended: nothing is provisional, each colour counts as itself.
    assert not any(i["provisional"] for i in indicators)
    want = {
        "green": sum(i["status"] == "green" for i in indicators),
        "yellow": sum(i["status"] == "yellow" for i in indicators),
        "red": sum(i["status"] == "red" for i in indicators),
        "without": sum(i["status"] in ("no_data", "no_target") for i in indicators),
    }
    app.wait_value(lambda: strip_counts(app), want)
    assert app.find("[data-testid=strip-red]").text.split() == ["■", str(want["red"]), "rød"]
    assert shown_codes(app) == {i["code"] for i in indicators}
    app.screenshots("oversikt-01-stripe")

    # «Vis bare avvik» from the keyboard: a checkbox in the tab order; Space turns it on.
    toggle = app.find("[data-testid=deviations-only]")
    app.driver.execute_script("arguments[0].focus()", toggle)
    assert app.driver.switch_to.active_element == toggle
    toggle.send_keys(Keys.SPACE)
    deviations = {i["code"] for i in indicators if i["status"] in ("yellow", "red")}
    assert deviations, "the demo has deviations in the last month"
    app.wait_value(lambda: shown_codes(app), deviations)
    # A perspective without deviations says so; the counts still cover the whole målkart.
    for p in expected["perspectives"]:
        if p["indicators"] and not any(i["status"] in ("yellow", "red") for i in p["indicators"]):
            text = app.find(f"section[data-perspective='{p['key']}'] [data-testid=nothing-shown]").text
            assert text == f"Ingen avvik i {p['name'].lower()}."
    assert strip_counts(app) == want
    app.screenshots("oversikt-02-bare-avvik")

    # Off again: every indicator is back.
    toggle.send_keys(Keys.SPACE)
    app.wait_value(lambda: shown_codes(app), {i["code"] for i in indicators})


def test_a_sectors_status_grid_opens_a_unit_and_the_breadcrumb_leads_back(open_app, demo_db: Path):
    app = open_app(demo_db)
    period = month_id()
    app.wait_for_scorecard(period=period)
    sector = app.choose_unit_by_name("Helse og omsorg")
    app.wait_for_scorecard(unit=sector, period=period)
    grid = app.find("[data-testid=status-grid]")
    rows = [tr.get_attribute("data-unit") for tr in grid.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert len(rows) >= 2
    # Each cell is that unit's perspective status in its own målkart (the period has
    # ended, so none is provisional); «Samlet» is the worst of them.
    for unit in rows:
        own = card(demo_db, unit, period)
        for p in own["perspectives"]:
            cell = app.find(f"[data-testid=status-cell][data-unit='{unit}'][data-perspective='{p['key']}']")
            assert cell.get_attribute("data-status") == p["status"], (unit, p["key"])
            assert cell.find_element(By.CSS_SELECTOR, ".word").text.strip() != ""
        total = app.find(f"[data-testid=status-cell][data-unit='{unit}'][data-perspective=samlet]")
        assert total.get_attribute("data-status") == worst([p["status"] for p in own["perspectives"]])
    app.show("[data-testid=status-grid]")
    app.screenshots("oversikt-03-statusrutenett")

    # A click on a cell opens that unit's målkart.
    first = rows[0]
    app.find(f"[data-testid=status-cell][data-unit='{first}'][data-perspective=organisasjon]").click()
    app.wait_for_scorecard(unit=first, period=period)
    crumbs = app.find("[data-testid=breadcrumb]")
    names = [e.text for e in crumbs.find_elements(By.CSS_SELECTOR, "li > button, li > [aria-current]")]
    assert names[:2] == ["Demo kommune", "Helse og omsorg"]
    assert crumbs.find_element(By.CSS_SELECTOR, "[aria-current=page]").get_attribute("data-unit") == first
    app.screenshots("oversikt-04-brodsmuler")

    # The breadcrumb leads back to the sector; Enter on a cell opens the next unit.
    crumbs.find_element(By.CSS_SELECTOR, f"button[data-unit='{sector}']").click()
    app.wait_for_scorecard(unit=sector, period=period)
    second = rows[1]
    cell = app.find(f"[data-testid=status-cell][data-unit='{second}'][data-perspective=samlet]")
    app.driver.execute_script("arguments[0].focus()", cell)
    cell.send_keys(Keys.ENTER)
    app.wait_for_scorecard(unit=second, period=period)

    # Every unit shown in the tree carries a mark; the sector's is its målkart's worst.
    def tree_marks():
        return {
            li.get_attribute("data-unit"): li.find_element(By.CSS_SELECTOR, "[data-testid=unit-status]").get_attribute("data-status")
            for li in app.all("[role=treeitem]")
        }

    sector_card = card(demo_db, sector, period)
    app.wait(lambda d: tree_marks().get(sector) == worst([p["status"] for p in sector_card["perspectives"]]))


def test_a_quarter_not_yet_ended_counts_its_colours_as_provisional(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard(period=month_id())
    root = app.find("[data-testid=scorecard]").get_attribute("data-unit")
    app.choose_period_kind("quarter")
    app.wait_for_scorecard(period=last_full_quarter())
    y, q = int(last_full_quarter()[:4]), int(last_full_quarter()[-1])
    current = f"{y}-K{q + 1}" if q < 4 else f"{y + 1}-K1"
    if not any(m <= month_id() for m in months_of_quarter(current)):
        return  # the day after a quarter ended: nothing of the next one yet (test_periods)
    app.find("[data-testid=period-next]").click()
    app.wait_for_scorecard(period=current)
    indicators = [i for p in card(demo_db, root, current)["perspectives"] for i in p["indicators"]]
    colours = ("green", "yellow", "red")
    want = {
        "green": sum(i["status"] == "green" and not i["provisional"] for i in indicators),
        "yellow": sum(i["status"] == "yellow" and not i["provisional"] for i in indicators),
        "red": sum(i["status"] == "red" and not i["provisional"] for i in indicators),
        "provisional": sum(i["status"] in colours and i["provisional"] for i in indicators),
        "without": sum(i["status"] not in colours for i in indicators),
    }
    assert want["provisional"] > 0

    def counts():
        return {k: int(app.find(f"[data-testid=strip-{k}]").get_attribute("data-count")) for k in want}

    app.wait_value(counts, want)
    assert app.find("[data-testid=strip-provisional]").text.split() == ["◔", str(want["provisional"]), "foreløpig"]
    app.screenshots("oversikt-05-forelopig-kvartal")
