"""Layout and the unit tree (issue 12 §4): the header in one row at 1024 px with every
period kind reachable and one height in every view, Esc from the header closing the
indicator detail, the tree's search (hit count, marks, emptied after a choice), «Skjul alle
/ Vis alle» and the resizable sidebar. Expected units come from the database file itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import cli, last_full_month, month_id
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"]
VIEWS = ["nav-scorecard", "nav-sickleave", "nav-economy", "nav-reports", "nav-data"]


def units_in(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return [(code, name) for code, name in con.execute("SELECT code, name FROM units")]


def rect(app, element) -> dict:
    return app.driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height};",
        element,
    )


def inside_window(app, element) -> bool:
    r = rect(app, element)
    width, height = app.driver.execute_script("return [window.innerWidth, window.innerHeight]")
    return r["left"] >= 0 and r["top"] >= 0 and r["right"] <= width and r["bottom"] <= height


def header_height(app) -> float:
    return rect(app, app.find("[data-testid=app-header]"))["height"]


def test_the_header_fits_at_1024_px_with_every_period_kind_reachable(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard(period=month_id())
    app.screenshots("40-toppen-treet-og-maalkartet")
    app.resize(1024, 768)

    # Every control of the header is inside the window: nothing cut off at the right.
    header = app.find("[data-testid=app-header]")
    controls = header.find_elements(By.CSS_SELECTOR, "button, select")
    assert len(controls) >= 8, "navigasjonen og periodevelgeren skal være i toppen"
    outside = [c.get_attribute("data-testid") or c.text for c in controls if not inside_window(app, c)]
    assert outside == [], f"utenfor vinduet ved 1024 px: {outside}"
    # One row: the header is no taller than its fixed height (3,5 rem of 15 px = 52,5 px).
    assert header_height(app) <= 54, header_height(app)

    # År and Hittil i år are offered and can be chosen with the mouse.
    kind = app.find("[data-testid=period-kind]")
    assert inside_window(app, kind)
    options = {o.get_attribute("value"): o.text for o in Select(kind).options}
    assert options["year"] == "År" and options["ytd"] == "Hittil i år", options
    y, m = last_full_month()
    Select(kind).select_by_value("year")
    app.wait_for_scorecard(period=str(y) if m == 12 else str(y - 1))
    Select(app.find("[data-testid=period-kind]")).select_by_value("ytd")
    app.wait_for_scorecard(period=f"{y}-01..{month_id()}")
    app.wait_value(lambda: app.find("[data-testid=period-kind]").get_attribute("value"), "ytd")
    app.screenshot("40-toppen-1024x768")


@pytest.mark.any_date
def test_the_header_has_one_height_in_every_view(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard(period=month_id())
    for width, height in ((1024, 768), (1280, 720), (1920, 1080)):
        app.resize(width, height)
        heights = {}
        for view in VIEWS:
            app.find(f"[data-testid={view}]").click()
            app.wait_value(lambda v=view: app.find(f"[data-testid={v}]").get_attribute("aria-current"), "page")
            heights[view] = round(header_height(app), 1)
        assert len(set(heights.values())) == 1, f"{width} px: {heights}"
        # In a wide window the kinds are six buttons again.
        app.find("[data-testid=nav-scorecard]").click()
        if width >= 1440:
            assert inside_window(app, app.find("[role=radio][data-kind=ytd]"))
        else:
            assert inside_window(app, app.find("[data-testid=period-kind]"))


@pytest.mark.any_date
def test_escape_from_the_header_closes_the_indicator_detail(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard(period=month_id())
    first = app.all("[data-testid=scorecard] tr[data-indicator]")[0].get_attribute("data-indicator")
    app.open_indicator(first)

    # The focus on a control in the header (the period picker's «forrige periode»), not in
    # the detail: Esc still goes back to the målkart, and the focus stays where it was.
    app.driver.execute_script("document.querySelector('[data-testid=period-prev]').focus()")
    app.wait_value(lambda: app.driver.switch_to.active_element.get_attribute("data-testid"), "period-prev")
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=indicator-detail]") == [])
    app.wait_for_scorecard(period=month_id())
    assert app.driver.switch_to.active_element.get_attribute("data-testid") == "period-prev"

    # From the unit tree's search box: the first Esc empties the search (the detail stays),
    # the next one closes the detail.
    app.open_indicator(first)
    search = app.find("[data-testid=unit-search]")
    search.send_keys("Furu")
    app.find("[data-testid=unit-hits]")
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.wait_value(lambda: app.find("[data-testid=unit-search]").get_attribute("value"), "")
    assert app.all("[data-testid=indicator-detail]") != []
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=indicator-detail]") == [])


@pytest.mark.any_date
def test_the_tree_search_counts_and_marks_hits_and_is_emptied_after_a_choice(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard(period=month_id())
    query = "furulund"
    hits = sorted(code for code, name in units_in(demo_db) if query in name.lower() or query in code.lower())
    assert len(hits) == 3, hits  # the demo: Furulund sykehjem, avd. 1 and avd. 2

    search = app.find("[data-testid=unit-search]")
    search.send_keys("Furulund")
    app.wait_text("[data-testid=unit-hits]", f"{len(hits)} treff")
    # Every hit has its match marked in the name's own case; the ancestors shown to place
    # them (Demo kommune, Helse og omsorg) have none.
    marked = app.wait_value(
        lambda: sorted(li.get_attribute("data-unit") for li in app.all("[role=treeitem]") if li.find_elements(By.CSS_SELECTOR, "mark")),
        hits,
    )
    assert {m.text for m in app.all("[role=treeitem] mark")} == {"Furulund"}
    app.screenshots("41-enhetssok")

    # Choosing a unit empties the search: the whole tree is back, with the unit chosen
    # and shown in its place, and the hit count gives way to «Skjul alle / Vis alle».
    chosen = marked[-1]
    app.find(f"[role=treeitem][data-unit='{chosen}']").click()
    app.wait_for_scorecard(unit=chosen)
    app.wait_value(lambda: app.find("[data-testid=unit-search]").get_attribute("value"), "")
    app.find("[data-testid=tree-collapse-all]")
    assert app.all("[data-testid=unit-hits]") == []
    assert app.all("[role=treeitem] mark") == []
    app.wait_value(lambda: app.find("[role=treeitem][aria-selected=true]").get_attribute("data-unit"), chosen)
    assert len(app.all("[role=treeitem]")) > len(hits) + 2


@pytest.mark.any_date
def test_collapse_all_and_expand_all(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard(period=month_id())
    units = units_in(demo_db)
    with sqlite3.connect(demo_db) as con:
        roots = [code for (code,) in con.execute("SELECT code FROM units WHERE parent IS NULL")]

    app.find("[data-testid=tree-collapse-all]").click()
    app.wait_value(lambda: sorted(li.get_attribute("data-unit") for li in app.all("[role=treeitem]")), sorted(roots))
    assert all(li.get_attribute("aria-expanded") == "false" for li in app.all("[role=treeitem]"))

    app.find("[data-testid=tree-expand-all]").click()
    app.wait_value(lambda: len(app.all("[role=treeitem]")), len(units))
    # Leaves line up: every leaf's name starts where its siblings' names start (the space
    # in place of the twisty does not shrink, even for a long name).
    lefts: dict[str, set[int]] = {}
    for li in app.all("[role=treeitem]"):
        name = li.find_element(By.CSS_SELECTOR, ".name")
        lefts.setdefault(li.get_attribute("aria-level"), set()).add(round(rect(app, name)["left"]))
    assert all(len(x) == 1 for x in lefts.values()), lefts

    # A name cut off with … shows itself whole on hover; a name that fits has no tooltip.
    cut = app.driver.execute_script(
        "return [...document.querySelectorAll('[role=treeitem]')]"
        ".filter(li => { const n = li.querySelector('.name'); return n.scrollWidth > n.clientWidth; })"
        ".map(li => li.dataset.unit);"
    )
    assert cut, "minst ett navn skal være for langt for 240 px (Trollskogen barnehage)"
    names = dict(units)
    app.show(f"[role=treeitem][data-unit='{cut[0]}']")
    ActionChains(app.driver).move_to_element(app.find(f"[role=treeitem][data-unit='{cut[0]}']")).perform()
    app.wait_value(lambda: app.find(f"[role=treeitem][data-unit='{cut[0]}']").get_attribute("title"), names[cut[0]])
    short = min((c for c in names if c not in cut), key=lambda c: len(names[c]))
    app.show(f"[role=treeitem][data-unit='{short}']")
    ActionChains(app.driver).move_to_element(app.find(f"[role=treeitem][data-unit='{short}']")).perform()
    app.wait_value(lambda: app.find(f"[role=treeitem][data-unit='{short}']").get_attribute("title"), "")
    app.screenshots("42-treet-vis-alle")


@pytest.mark.any_date
def test_the_sidebar_is_resized_with_the_keyboard_and_the_mouse(open_app, demo_db: Path):
    app = open_app(demo_db)
    app.wait_for_scorecard(period=month_id())
    live = [app]
    try:
        sidebar = lambda a: round(rect(a, a.find("nav.sidebar"))["right"] - rect(a, a.find("nav.sidebar"))["left"])  # noqa: E731
        before = sidebar(app)
        handle = app.find("[data-testid=sidebar-handle]")
        assert handle.get_attribute("role") == "separator"
        app.driver.execute_script("arguments[0].focus()", handle)
        # Two steps of 16 px wider: 32 px; then back.
        app.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
        app.wait_value(lambda: sidebar(app), before + 32)
        assert app.find("[data-testid=sidebar-handle]").get_attribute("aria-valuenow") == str(before + 32)
        app.driver.switch_to.active_element.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT)
        app.wait_value(lambda: sidebar(app), before)

        # With the mouse: the edge dragged 40 px to the right; the width is kept after a restart.
        ActionChains(app.driver).click_and_hold(handle).move_by_offset(40, 0).release().perform()
        app.wait_value(lambda: sidebar(app), before + 40)
        app.quit()
        again = open_app(demo_db)
        live[0] = again
        again.wait_for_scorecard(period=month_id())
        again.wait_value(lambda: sidebar(again), before + 40)
    finally:
        # The width is remembered for the app on this machine (other tests, other runs):
        # whatever happened above, the next start has the default again.
        if live[0].driver is not None:
            live[0].driver.execute_script("localStorage.removeItem('malkart.sidebarWidth')")

def test_the_latest_month_follows_an_import_without_a_restart(open_app, tmp_path: Path):
    # A demo one month behind: figures through the month before the last full month.
    db = tmp_path / "malkart.db"
    cli(db, "init", "--demo", "--through", month_id(-1))
    with sqlite3.connect(db) as con:
        indicator, unit, value = con.execute(
            "SELECT m.indicator, m.unit, m.value FROM measurements m JOIN indicators i ON i.code = m.indicator"
            " WHERE i.frequency = 'måned' AND i.builtin = 0 AND m.value IS NOT NULL"
            " ORDER BY m.span_first DESC, m.indicator, m.unit LIMIT 1"
        ).fetchone()
    new = tmp_path / "maalinger.csv"
    new.write_text(f"indikator;enhet;periode;verdi\n{indicator};{unit};{month_id()};{str(value).replace('.', ',')}\n", encoding="utf-8")

    app = open_app(db)
    app.wait_for_scorecard(period=month_id(-1))
    name = lambda month: MONTHS[int(month[5:7]) - 1]  # noqa: E731
    app.find("[data-testid=nav-reports]").click()
    app.find("[data-testid=tab-economy]").click()
    app.wait_text("[data-testid=latest-month]", f"Siste måned ({name(month_id(-1))})")

    # The import adds the last full month; the reports offer it at once.
    app.find("[data-testid=nav-data]").click()
    app.find("[data-testid=import] input[value=measurements]").click()
    app.find("[data-testid=import-path]").send_keys(str(new))
    app.find("[data-testid=import-preview]").click()
    app.wait_text("[data-testid=import-created]", "1")
    app.find("[data-testid=import-apply]").click()
    app.wait_text("[data-testid=import-done]", lambda t: "er importert" in t)
    app.find("[data-testid=nav-reports]").click()
    app.find("[data-testid=tab-economy]").click()
    app.wait_text("[data-testid=latest-month]", f"Siste måned ({name(month_id())})")
